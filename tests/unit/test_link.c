/*
 * CoRE link format (RFC 6690): the writer's registration and Discover
 * payloads, and the strict parser on RFC 6690's own examples, quoted
 * values with ',' and ';', and what the grammar forbids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "format/format.h"

#define P(...)                                                                                     \
    (tern_path_t)                                                                                  \
    {                                                                                              \
        { __VA_ARGS__ }, (uint8_t)(sizeof((uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t))         \
    }

static void test_writer(void **state)
{
    (void)state;
    char buf[200];
    tern_sink_t sink;
    tern_link_writer_t lw;
    /* a registration payload (LwM2M 1.1 5.3.1) */
    tern_sink_init(&sink, (uint8_t *)buf, sizeof(buf), 0);
    tern_link_init(&lw, &sink);
    tern_link_target(&lw, "/");
    tern_link_attr(&lw, "rt", "\"oma.lwm2m\"");
    tern_link_attr_uint(&lw, "ct", 11543);
    tern_link_path(&lw, &P(1, 0));
    tern_link_path(&lw, &P(3, 0));
    tern_link_path(&lw, &P(5));
    const char *want = "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>,</5>";
    assert_int_equal(tern_sink_stored(&sink), strlen(want));
    assert_memory_equal(buf, want, strlen(want));

    /* a Discover answer with attributes */
    tern_sink_init(&sink, (uint8_t *)buf, sizeof(buf), 0);
    tern_link_init(&lw, &sink);
    tern_link_path(&lw, &P(3, 0, 7));
    tern_link_attr_uint(&lw, "dim", 2);
    tern_link_attr_float(&lw, "gt", (tern_float_t)22.5);
    tern_link_attr_float(&lw, "st", (tern_float_t)0.1);
    tern_link_attr(&lw, "obs", NULL);
    tern_link_path(&lw, &(tern_path_t){ { 0 }, 0 });
    tern_link_path(&lw, &P(65534, 65534, 65534, 65534));
    want = "</3/0/7>;dim=2;gt=22.5;st=0.1;obs,</>,</65534/65534/65534/65534>";
    assert_int_equal(tern_sink_stored(&sink), strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    assert_int_equal(sink.error, 0);

    uint8_t nan_bits[sizeof(tern_float_t)];
    tern_float_t nan;
    memset(nan_bits, 0xff, sizeof(nan_bits));
    memcpy(&nan, nan_bits, sizeof(nan));
    tern_link_attr_float(&lw, "lt", nan);
    assert_int_equal(sink.error, TERN_ERR_ARG);
}

typedef struct expect_link {
    const char *target;
    const char *params;
} expect_link_t;

static void expect_links(const char *payload, const expect_link_t *want, size_t count)
{
    tern_link_iter_t it;
    tern_link_t link;
    tern_link_iter_init(&it, payload, strlen(payload));
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(tern_link_next(&it, &link), 1);
        assert_int_equal(link.target_len, strlen(want[i].target));
        assert_memory_equal(link.target, want[i].target, link.target_len);
        assert_int_equal(link.params_len, strlen(want[i].params));
        assert_memory_equal(link.params, want[i].params, link.params_len);
    }
    assert_int_equal(tern_link_next(&it, &link), 0);
    assert_int_equal(tern_link_next(&it, &link), 0);
}

static void test_parse(void **state)
{
    (void)state;
    /* RFC 6690 section 5, its first example */
    const expect_link_t ex1[] = {
        { "/sensors/temp", ";if=\"sensor\"" },
        { "/sensors/light", ";if=\"sensor\"" },
    };
    expect_links("</sensors/temp>;if=\"sensor\",</sensors/light>;if=\"sensor\"", ex1, 2);
    /* RFC 6690 section 5, anchors and a title with a comma and semicolon */
    const expect_link_t ex2[] = {
        { "/sensors", ";ct=40;title=\"Sensor Index, ; one\"" },
        { "/sensors/temp", ";rt=\"temperature-c\";if=\"sensor\"" },
        { "http://www.example.com/sensors/t123", ";anchor=\"/sensors/temp\";rel=\"describedby\"" },
        { "/t", ";anchor=\"/sensors/temp\";rel=\"alternate\"" },
    };
    expect_links("</sensors>;ct=40;title=\"Sensor Index, ; one\","
                 "</sensors/temp>;rt=\"temperature-c\";if=\"sensor\","
                 "<http://www.example.com/sensors/t123>;anchor=\"/sensors/temp\";"
                 "rel=\"describedby\",</t>;anchor=\"/sensors/temp\";rel=\"alternate\"",
                 ex2, 4);
    const expect_link_t reg[] = {
        { "/", ";rt=\"oma.lwm2m\";ct=11543" },
        { "/1/0", "" },
        { "/3/0", "" },
        { "", "" },
    };
    expect_links("</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>,<>", reg, 4);
    expect_links("", NULL, 0);
    tern_link_iter_t it;
    tern_link_t link;
    tern_link_iter_init(&it, NULL, 0);
    assert_int_equal(tern_link_next(&it, &link), 0);
}

static void test_params(void **state)
{
    (void)state;
    const char *params = ";obs;pmin=10;title=\"a\\\"b,c;d\";title*=UTF-8'en'%e2%82%ac;x=\"\"";
    size_t len = strlen(params);
    const char *name;
    const char *value;
    size_t name_len;
    size_t value_len;
    static const struct {
        const char *name;
        const char *value;
    } want[] = {
        { "obs", NULL },
        { "pmin", "10" },
        { "title", "a\\\"b,c;d" },
        { "title*", "UTF-8'en'%e2%82%ac" },
        { "x", "" },
    };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(tern_link_param_next(&params, &len, &name, &name_len, &value, &value_len),
                         1);
        assert_int_equal(name_len, strlen(want[i].name));
        assert_memory_equal(name, want[i].name, name_len);
        if (want[i].value == NULL) {
            assert_null(value);
            assert_int_equal(value_len, 0);
        } else {
            assert_non_null(value);
            assert_int_equal(value_len, strlen(want[i].value));
            assert_memory_equal(value, want[i].value, value_len);
        }
    }
    assert_int_equal(tern_link_param_next(&params, &len, &name, &name_len, &value, &value_len), 0);
    params = "pmin=1";
    len = 6;
    assert_int_equal(tern_link_param_next(&params, &len, &name, &name_len, &value, &value_len),
                     -TERN_COAP_BAD_REQUEST);
    params = ";=1";
    len = 3;
    assert_int_equal(tern_link_param_next(&params, &len, &name, &name_len, &value, &value_len),
                     -TERN_COAP_BAD_REQUEST);
}

static void expect_bad(const char *payload)
{
    tern_link_iter_t it;
    tern_link_t link;
    int rc;
    int n = 0;
    tern_link_iter_init(&it, payload, strlen(payload));
    while ((rc = tern_link_next(&it, &link)) == 1)
        n++;
    if (rc != -TERN_COAP_BAD_REQUEST)
        fail_msg("accepted: %s", payload);
    assert_int_equal(tern_link_next(&it, &link), -TERN_COAP_BAD_REQUEST); /* sticky */
}

static void test_bad(void **state)
{
    (void)state;
    expect_bad(",");
    expect_bad("</1>,");      /* trailing comma */
    expect_bad(",</1>");      /* leading comma */
    expect_bad("</1>,,</2>"); /* empty link */
    expect_bad("</1");        /* no '>' */
    expect_bad("/1>");
    expect_bad("</1> "); /* whitespace */
    expect_bad("</1>, </2>");
    expect_bad("</1>;ct=40 ");
    expect_bad("</a b>");
    expect_bad("</a\"b>");
    expect_bad("</a<b>");
    expect_bad("</1>x");
    expect_bad("</1>;"); /* empty parameter */
    expect_bad("</1>;;ct=1");
    expect_bad("</1>;ct="); /* empty value */
    expect_bad("</1>;=40");
    expect_bad("</1>;c t=40");
    expect_bad("</1>;ct=4 0");
    expect_bad("</1>;c\"t=40");
    expect_bad("</1>;title=\"open"); /* unbalanced quotes */
    expect_bad("</1>;title=\"a\"b\"");
    expect_bad("</1>;title=\"a\\\"");         /* the escape eats the closing quote */
    expect_bad("</1>;title=\"a\x01\"");       /* control character */
    expect_bad("</1>;title=\"a\\\xc3\xa9\""); /* escape of a non-ASCII byte */
    expect_bad("</1>;ct=a,b");
    expect_bad("</1>;ct=\"a\"x");
    expect_bad("</1>;ct*");         /* ext-name-star needs a value... */
    expect_bad("</1>;rt=\xc3\xa9"); /* ...and ptokens are ASCII */
    expect_bad("</\xc3\xa9>");
}

/* A link payload through the windowed sink: each block is a slice. */
static void write_sample(tern_sink_t *sink)
{
    tern_link_writer_t lw;
    tern_link_init(&lw, sink);
    for (uint16_t i = 0; i < 30; i++) {
        tern_link_path(&lw, &P(3303, i, 5700));
        tern_link_attr_uint(&lw, "pmin", i * 7u);
        tern_link_attr_float(&lw, "gt", (tern_float_t)i / 8);
    }
}

static void test_windows(void **state)
{
    (void)state;
    char full[2048];
    char part[64];
    tern_sink_t sink;
    tern_sink_init(&sink, (uint8_t *)full, sizeof(full), 0);
    write_sample(&sink);
    size_t total = sink.pos;
    assert_int_equal(tern_sink_stored(&sink), total);
    for (size_t skip = 0; skip < total; skip += 64) {
        tern_sink_init(&sink, (uint8_t *)part, sizeof(part), skip);
        write_sample(&sink);
        size_t n = tern_sink_stored(&sink);
        assert_int_equal(n, total - skip < 64 ? total - skip : 64);
        assert_memory_equal(part, full + skip, n);
    }
    /* and the whole parses back: 30 links, 2 parameters each */
    tern_link_iter_t it;
    tern_link_t link;
    int links = 0;
    tern_link_iter_init(&it, full, total);
    while (tern_link_next(&it, &link) == 1) {
        const char *name;
        const char *value;
        size_t name_len;
        size_t value_len;
        int params = 0;
        while (tern_link_param_next(&link.params, &link.params_len, &name, &name_len, &value,
                                    &value_len)
               == 1)
            params++;
        assert_int_equal(params, 2);
        links++;
    }
    assert_int_equal(links, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer),  cmocka_unit_test(test_parse),
        cmocka_unit_test(test_params),  cmocka_unit_test(test_bad),
        cmocka_unit_test(test_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
