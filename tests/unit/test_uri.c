/* coap:// URI parsing (RFC 7252 6.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/uri.h"

static int parse(const char *s, tern_uri_t *u)
{
    return tern_uri_parse(s, strlen(s), u);
}

static void assert_span(tern_span_t span, const char *expected)
{
    assert_int_equal(span.len, strlen(expected));
    assert_memory_equal(span.ptr, expected, span.len);
}

static void test_valid_uris(void **state)
{
    (void)state;
    tern_uri_t u;
    assert_int_equal(parse("coap://127.0.0.1:5683", &u), 0);
    assert_false(u.secure);
    assert_span(u.host, "127.0.0.1");
    assert_int_equal(u.port, 5683);
    assert_int_equal(u.path.len, 0);

    assert_int_equal(parse("coaps://example.com/fw/image.bin?v=2&x", &u), 0);
    assert_true(u.secure);
    assert_span(u.host, "example.com");
    assert_int_equal(u.port, 5684);
    assert_span(u.path, "/fw/image.bin");
    assert_span(u.query, "v=2&x");

    assert_int_equal(parse("coap://[::1]:61616/a", &u), 0);
    assert_span(u.host, "::1");
    assert_int_equal(u.port, 61616);

    assert_int_equal(parse("coap://host?q", &u), 0);
    assert_span(u.host, "host");
    assert_int_equal(u.path.len, 0);
    assert_span(u.query, "q");
}

static void test_invalid_uris(void **state)
{
    (void)state;
    tern_uri_t u;
    const char *bad[] = { "",
                          "http://host/",
                          "coap://",
                          "coap://:5683",
                          "coap://host:",
                          "coap://host:0",
                          "coap://host:65536",
                          "coap://host:12a",
                          "coap://[::1/a",
                          "coap://[::1]x/",
                          "coap://host/a#frag",
                          "coap://ho st/",
                          "coap://user@host/",
                          "coap://[]/",
                          "coap://[a@b]/",
                          "coap://[[::1]/",
                          "coap://a]b/",
                          "coap://[::1]]:5/",
                          "coaps:/host",
                          "coap://h\x7f/" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(parse(bad[i], &u), -TERN_COAP_BAD_REQUEST);
}

static void test_segments(void **state)
{
    (void)state;
    tern_uri_t u;
    tern_span_t seg;
    assert_int_equal(parse("coap://h/fw//b", &u), 0);
    tern_span_t path = u.path;
    assert_true(tern_uri_next_segment(&path, &seg));
    assert_span(seg, "fw");
    assert_true(tern_uri_next_segment(&path, &seg));
    assert_span(seg, "");
    assert_true(tern_uri_next_segment(&path, &seg));
    assert_span(seg, "b");
    assert_false(tern_uri_next_segment(&path, &seg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_uris),
        cmocka_unit_test(test_invalid_uris),
        cmocka_unit_test(test_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
