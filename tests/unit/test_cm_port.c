/* The Cortex-M port's pieces that run anywhere: SLIP framing (RFC 1055),
 * the log formatter, the CONFIG parser and the random generator. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cm_internal.h"
#include "fmt.h"
#include "slip.h"

/* Encodes data as a sender does: END, escaped bytes, END. */
static size_t encode(uint8_t *out, const uint8_t *data, size_t len)
{
    size_t n = 0;
    out[n++] = TERN_SLIP_END;
    for (size_t i = 0; i < len; i++)
        n += tern_slip_escape(data[i], out + n);
    out[n++] = TERN_SLIP_END;
    return n;
}

/* Feeds wire bytes; returns the length of the last frame completed. */
static size_t feed(tern_slip_decoder_t *d, const uint8_t *wire, size_t len, int *frames)
{
    size_t last = 0;
    *frames = 0;
    for (size_t i = 0; i < len; i++) {
        size_t n = tern_slip_decode(d, wire[i]);
        if (n > 0) {
            last = n;
            (*frames)++;
        }
    }
    return last;
}

static void test_slip_round_trip(void **state)
{
    (void)state;
    const uint8_t data[] = { 0x01, 0xC0, 0x02, 0xDB, 0xDC, 0xDD, 0xC0, 0xDB };
    uint8_t wire[2 + 2 * sizeof(data)];
    size_t n = encode(wire, data, sizeof(data));
    assert_int_equal(tern_slip_escaped_size(data, sizeof(data)), sizeof(data) + 4);
    assert_int_equal(n, 2 + sizeof(data) + 4);
    /* RFC 1055: END -> ESC ESC_END, ESC -> ESC ESC_ESC, others as they are */
    const uint8_t expect[] = { 0xC0, 0x01, 0xDB, 0xDC, 0x02, 0xDB, 0xDD,
                               0xDC, 0xDD, 0xDB, 0xDC, 0xDB, 0xDD, 0xC0 };
    assert_int_equal(n, sizeof(expect));
    assert_memory_equal(wire, expect, n);

    uint8_t buf[32];
    tern_slip_decoder_t d;
    int frames;
    tern_slip_decoder_init(&d, buf, sizeof(buf));
    assert_int_equal(feed(&d, wire, n, &frames), sizeof(data));
    assert_int_equal(frames, 1); /* the leading END made an empty frame: ignored */
    assert_memory_equal(buf, data, sizeof(data));
}

static void test_slip_bad_and_long_frames(void **state)
{
    (void)state;
    uint8_t buf[4];
    tern_slip_decoder_t d;
    int frames;
    tern_slip_decoder_init(&d, buf, sizeof(buf));

    /* ESC followed by an ordinary byte: the frame is dropped */
    const uint8_t bad[] = { 0xC0, 'a', 0xDB, 'b', 'c', 0xC0 };
    assert_int_equal(feed(&d, bad, sizeof(bad), &frames), 0);
    assert_int_equal(frames, 0);
    /* ESC right before END: dropped too */
    const uint8_t cut[] = { 'a', 0xDB, 0xC0 };
    assert_int_equal(feed(&d, cut, sizeof(cut), &frames), 0);
    /* the decoder recovers at the next frame */
    const uint8_t good[] = { 'o', 'k', 0xC0 };
    assert_int_equal(feed(&d, good, sizeof(good), &frames), 2);
    assert_memory_equal(buf, "ok", 2);

    /* longer than the buffer: the full length, the first bytes kept */
    const uint8_t longer[] = { '1', '2', '3', '4', '5', 0xDB, 0xDC, '7', 0xC0 };
    assert_int_equal(feed(&d, longer, sizeof(longer), &frames), 7);
    assert_memory_equal(buf, "1234", 4);
}

static size_t fmt_into(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    size_t n = tern_cm_vformat(buf, cap, f, ap);
    va_end(ap);
    return n;
}

static char out[64];
#define fmt(...) (fmt_into(out, sizeof(out), __VA_ARGS__), out)

/* Every conversion against the C library's own snprintf. */
static void test_format_like_snprintf(void **state)
{
    (void)state;
    char ref[64];
#define SAME(...)                                                                                  \
    do {                                                                                           \
        snprintf(ref, sizeof(ref), __VA_ARGS__);                                                   \
        assert_string_equal(fmt(__VA_ARGS__), ref);                                                \
    } while (0)
    SAME("plain text, 100%%");
    SAME("%u.%02u", 2u, 5u);
    SAME("%d %d %d", 0, -42, INT_MIN);
    SAME("%i|%5d|%-5d|%05d", 7, -3, 12, -12);
    SAME("%lu %ld", ULONG_MAX, LONG_MIN);
    SAME("%llu %lld", ULLONG_MAX, LLONG_MIN);
    SAME("%zu", (size_t)123456);
    SAME("%x %X %08x", 0xbeefu, 0xbeefu, 0x1fu);
    SAME("%hu %hhu", 65535, 255);
    SAME("[%s] [%6s] [%-6s]", "abc", "abc", "abc");
    SAME("%c%c %3c", 'o', 'k', '!');
#undef SAME
    assert_string_equal(fmt("%s", (const char *)NULL), "(null)");
    assert_string_equal(fmt("%q and %"), "%q and ");
    assert_string_equal(fmt("%p", (void *)0x1234), "0x1234");
}

static void test_format_truncates(void **state)
{
    (void)state;
    char small[8];
    memset(small, 'x', sizeof(small));
    assert_int_equal(fmt_into(small, sizeof(small), "%s=%u", "abcdef", 12345u), 7);
    assert_string_equal(small, "abcdef=");
    assert_int_equal(fmt_into(small, 1, "%d", 5), 0);
    assert_string_equal(small, "");
    assert_int_equal(fmt_into(small, sizeof(small), "%020d", -5), 7);
    assert_string_equal(small, "-000000");
}

static void test_config(void **state)
{
    (void)state;
    tern_cm_config_t c = { .lifetime_s = 300, .log_level = 2 };
    tern_cm_random_t r1, r2;
    tern_cm_random_init(&r1);
    tern_cm_random_init(&r2);
    const char *text = "  ep=bulb-7 uri=coap://192.0.2.1:5683 lt=60  log=3 time=1700000000 "
                       "seed=00ff10 future=1 junk";
    tern_cm_config_parse(&c, &r1, (const uint8_t *)text, strlen(text));
    assert_string_equal(c.endpoint, "bulb-7");
    assert_string_equal(c.uri, "coap://192.0.2.1:5683");
    assert_int_equal(c.lifetime_s, 60);
    assert_int_equal(c.log_level, 3);
    assert_true(c.unix_time_s == 1700000000);
    /* the seed changed the generator's state */
    assert_int_not_equal(tern_cm_random_next(&r1), tern_cm_random_next(&r2));

    /* bad values are ignored, the previous ones stay */
    const char *bad = "lt=0 lt=12x log=9 time= ep= "
                      "uri=coap://a-very-long-host-name-that-is-too-long.example:5683/xxxxxxxxxx";
    tern_cm_config_parse(&c, &r1, (const uint8_t *)bad, strlen(bad));
    assert_string_equal(c.endpoint, "bulb-7");
    assert_string_equal(c.uri, "coap://192.0.2.1:5683");
    assert_int_equal(c.lifetime_s, 60);
    assert_int_equal(c.log_level, 3);
    const char *huge = "lt=99999999999999999999";
    tern_cm_config_parse(&c, &r1, (const uint8_t *)huge, strlen(huge));
    assert_int_equal(c.lifetime_s, 60);
    /* not NUL-terminated: the parser stops at len */
    tern_cm_config_parse(&c, &r1, (const uint8_t *)"lt=45", 4);
    assert_int_equal(c.lifetime_s, 4);
}

static void test_random(void **state)
{
    (void)state;
    tern_cm_random_t a, b;
    tern_cm_random_init(&a);
    tern_cm_random_init(&b);
    tern_cm_random_mix(&a, "seed", 4);
    tern_cm_random_mix(&b, "seed", 4);
    for (int i = 0; i < 100; i++)
        assert_int_equal(tern_cm_random_next(&a), tern_cm_random_next(&b));
    tern_cm_random_mix(&b, "x", 1);
    assert_int_not_equal(tern_cm_random_next(&a), tern_cm_random_next(&b));
    /* the forbidden all-zero state never comes out of a mix */
    a.s[0] = a.s[1] = a.s[2] = a.s[3] = 0;
    tern_cm_random_mix(&a, "", 0);
    assert_int_not_equal(a.s[0] | a.s[1] | a.s[2] | a.s[3], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slip_round_trip),
        cmocka_unit_test(test_slip_bad_and_long_frames),
        cmocka_unit_test(test_format_like_snprintf),
        cmocka_unit_test(test_format_truncates),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
