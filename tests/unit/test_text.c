/*
 * Plain text (content format 0) and opaque (42): one value each, strict
 * decoding per type, and base64 for Opaque in text (OMA LwM2M 1.0.2+
 * appendix C, with RFC 4648's own test vectors).
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

static int encode(uint16_t format, const tern_value_t *v, char *buf, size_t cap)
{
    tern_out_t out;
    tern_path_t base = P(3, 0, 9);
    assert_int_equal(tern_out_init(&out, format, &base, (uint8_t *)buf, cap, 0), 0);
    tern_out_value(&out, &base, v);
    int n = tern_out_finish(&out);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

static void expect_text(const tern_value_t *v, const char *want)
{
    char buf[64];
    int n = encode(TERN_FORMAT_TEXT, v, buf, sizeof(buf) - 1);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static tern_value_t bytes_value(tern_type_t type, const char *s)
{
    return (tern_value_t){ .type = type, .v.bytes = { (const uint8_t *)s, strlen(s) } };
}

static void test_text_out(void **state)
{
    (void)state;
    expect_text(&(tern_value_t){ .type = TERN_TYPE_INTEGER, .v.i = -42 }, "-42");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_INTEGER, .v.i = INT64_MIN },
                "-9223372036854775808");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_TIME, .v.i = 1367491215 }, "1367491215");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_UNSIGNED, .v.u = UINT64_MAX },
                "18446744073709551615");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_FLOAT, .v.f = (tern_float_t)22.3 }, "22.3");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_FLOAT, .v.f = (tern_float_t)-1e21 }, "-1e+21");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_BOOLEAN, .v.b = true }, "1");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_BOOLEAN, .v.b = false }, "0");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_OBJLNK, .v.lnk = { 3, 0 } }, "3:0");
    expect_text(&(tern_value_t){ .type = TERN_TYPE_OBJLNK, .v.lnk = { 65535, 65535 } },
                "65535:65535");
    tern_value_t s = bytes_value(TERN_TYPE_STRING, "Open Mobile Alliance");
    expect_text(&s, "Open Mobile Alliance");
    s = bytes_value(TERN_TYPE_CORELNK, "</3/0>,</4/0>");
    expect_text(&s, "</3/0>,</4/0>");
    s = bytes_value(TERN_TYPE_STRING, "");
    expect_text(&s, "");
}

/* 48 bytes that are the sextets 0 to 63 in turn */
static const uint8_t EVERY_SEXTET[] = {
    0x00, 0x10, 0x83, 0x10, 0x51, 0x87, 0x20, 0x92, 0x8b, 0x30, 0xd3, 0x8f, 0x41, 0x14, 0x93, 0x51,
    0x55, 0x97, 0x61, 0x96, 0x9b, 0x71, 0xd7, 0x9f, 0x82, 0x18, 0xa3, 0x92, 0x59, 0xa7, 0xa2, 0x9a,
    0xab, 0xb2, 0xdb, 0xaf, 0xc3, 0x1c, 0xb3, 0xd3, 0x5d, 0xb7, 0xe3, 0x9e, 0xbb, 0xf3, 0xdf, 0xbf,
};
static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void test_text_out_base64(void **state)
{
    (void)state;
    /* the example of LwM2M appendix C */
    tern_value_t v = { .type = TERN_TYPE_OPAQUE, .v.bytes = { (const uint8_t *)"\1\2\3\4\5", 5 } };
    expect_text(&v, "AQIDBAU=");
    /* RFC 4648 section 10 */
    static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *const coded[] = { "",         "Zg==",     "Zm8=",    "Zm9v",
                                         "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    for (int i = 0; i < 7; i++) {
        v = bytes_value(TERN_TYPE_OPAQUE, plain[i]);
        expect_text(&v, coded[i]);
    }
    const uint8_t all[] = { 0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83 };
    v = (tern_value_t){ .type = TERN_TYPE_OPAQUE, .v.bytes = { all, sizeof(all) } };
    expect_text(&v, "+/+/ABCD");
    /* every character of the alphabet, in order */
    char text[sizeof(ALPHABET)];
    v = (tern_value_t){ .type = TERN_TYPE_OPAQUE,
                        .v.bytes = { EVERY_SEXTET, sizeof(EVERY_SEXTET) } };
    assert_int_equal(encode(TERN_FORMAT_TEXT, &v, text, sizeof(text) - 1), 64);
    assert_string_equal(text, ALPHABET);
}

static void test_out_errors(void **state)
{
    (void)state;
    char buf[64];
    tern_out_t out;
    tern_path_t base = P(3, 0, 9);
    tern_path_t other = P(3, 0, 10);
    tern_path_t inst = P(3, 0, 9, 0);
    tern_value_t v = { .type = TERN_TYPE_INTEGER, .v.i = 1 };

    /* one value only, and only the one the request names */
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_value(&out, &base, &v);
    tern_out_value(&out, &base, &v);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_value(&out, &other, &v);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    /* a multiple resource or an instance has no text form, even empty */
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_begin(&out, &base);
    tern_out_end(&out);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    tern_path_t instance = P(3, 0);
    tern_out_init(&out, TERN_FORMAT_OPAQUE, &instance, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_begin(&out, &instance);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    /* nor a resource instance of a resource requested whole */
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_value(&out, &inst, &v);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    /* but a resource instance requested as such has */
    tern_out_init(&out, TERN_FORMAT_TEXT, &inst, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_value(&out, &inst, &v);
    assert_int_equal(tern_out_finish(&out), 1);

    /* NaN and infinities have no LwM2M text */
    tern_value_t f = { .type = TERN_TYPE_FLOAT };
    uint8_t nan_bits[sizeof(tern_float_t)];
    memset(nan_bits, 0xff, sizeof(nan_bits));
    memcpy(&f.v.f, nan_bits, sizeof(nan_bits));
    assert_int_equal(encode(TERN_FORMAT_TEXT, &f, buf, sizeof(buf)),
                     -TERN_COAP_INTERNAL_SERVER_ERROR);
    tern_value_t none = { .type = TERN_TYPE_NONE };
    assert_int_equal(encode(TERN_FORMAT_TEXT, &none, buf, sizeof(buf)), TERN_ERR_ARG);

    /* opaque carries opaque values only */
    tern_value_t o = bytes_value(TERN_TYPE_OPAQUE, "\x01\x02");
    assert_int_equal(encode(TERN_FORMAT_OPAQUE, &o, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "\x01\x02", 2);
    assert_int_equal(encode(TERN_FORMAT_OPAQUE, &v, buf, sizeof(buf)), -TERN_COAP_NOT_ACCEPTABLE);
    tern_value_t str = bytes_value(TERN_TYPE_STRING, "x");
    assert_int_equal(encode(TERN_FORMAT_OPAQUE, &str, buf, sizeof(buf)), -TERN_COAP_NOT_ACCEPTABLE);
    tern_out_init(&out, TERN_FORMAT_OPAQUE, &base, (uint8_t *)buf, sizeof(buf), 0);
    tern_out_value(&out, &base, &o);
    tern_out_value(&out, &base, &o);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LINK, &base, NULL, 0, 0),
                     -TERN_COAP_NOT_ACCEPTABLE);
}

/* Decodes text as type at /3/0/9; returns tern_in_value()'s result. */
static int decode(uint16_t format, const char *text, tern_type_t type, tern_value_t *v)
{
    tern_in_t in;
    tern_path_t base = P(3, 0, 9);
    tern_path_t path;
    assert_int_equal(tern_in_init(&in, format, &base, (const uint8_t *)text, strlen(text)), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(path.len, 3);
    assert_int_equal(path.ids[2], 9);
    assert_false(in.multiple);
    int rc = tern_in_value(&in, type, v);
    assert_int_equal(tern_in_next(&in, &path), 0);
    return rc;
}

static void expect_bad_text(const char *text, tern_type_t type)
{
    tern_value_t v;
    if (decode(TERN_FORMAT_TEXT, text, type, &v) != -TERN_COAP_BAD_REQUEST)
        fail_msg("\"%s\" accepted as type %d", text, type);
}

static void test_text_in(void **state)
{
    (void)state;
    tern_value_t v;
    assert_int_equal(decode(TERN_FORMAT_TEXT, "-42", TERN_TYPE_INTEGER, &v), 0);
    assert_true(v.type == TERN_TYPE_INTEGER && v.v.i == -42);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "1367491215", TERN_TYPE_TIME, &v), 0);
    assert_true(v.v.i == 1367491215);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "18446744073709551615", TERN_TYPE_UNSIGNED, &v), 0);
    assert_true(v.v.u == UINT64_MAX);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "22.5", TERN_TYPE_FLOAT, &v), 0);
    assert_true(v.v.f == 22.5);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "-3", TERN_TYPE_FLOAT, &v), 0);
    assert_true(v.v.f == -3);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "1", TERN_TYPE_BOOLEAN, &v), 0);
    assert_true(v.v.b);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "0", TERN_TYPE_BOOLEAN, &v), 0);
    assert_false(v.v.b);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "66:65535", TERN_TYPE_OBJLNK, &v), 0);
    assert_int_equal(v.v.lnk.oid, 66);
    assert_int_equal(v.v.lnk.iid, 65535);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "h\xc3\xa9 ok", TERN_TYPE_STRING, &v), 0);
    assert_int_equal(v.v.bytes.len, 6);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "", TERN_TYPE_STRING, &v), 0);
    assert_non_null(v.v.bytes.ptr);
    assert_int_equal(v.v.bytes.len, 0);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "</1>", TERN_TYPE_CORELNK, &v), 0);

    expect_bad_text("", TERN_TYPE_INTEGER);
    expect_bad_text(" 1", TERN_TYPE_INTEGER);
    expect_bad_text("1.0", TERN_TYPE_INTEGER);
    expect_bad_text("+1", TERN_TYPE_INTEGER);
    expect_bad_text("9223372036854775808", TERN_TYPE_TIME);
    expect_bad_text("-1", TERN_TYPE_UNSIGNED);
    expect_bad_text("1,5", TERN_TYPE_FLOAT);
    expect_bad_text("inf", TERN_TYPE_FLOAT);
    expect_bad_text("true", TERN_TYPE_BOOLEAN);
    expect_bad_text("2", TERN_TYPE_BOOLEAN);
    expect_bad_text("01", TERN_TYPE_BOOLEAN);
    expect_bad_text("", TERN_TYPE_BOOLEAN);
    expect_bad_text("3", TERN_TYPE_OBJLNK);
    expect_bad_text("3:", TERN_TYPE_OBJLNK);
    expect_bad_text(":0", TERN_TYPE_OBJLNK);
    expect_bad_text("3:0:1", TERN_TYPE_OBJLNK);
    expect_bad_text("65536:0", TERN_TYPE_OBJLNK);
    expect_bad_text("0:65536", TERN_TYPE_OBJLNK);
    expect_bad_text("0:4294967296", TERN_TYPE_OBJLNK); /* beyond 32 bits too */
    expect_bad_text("3:-1", TERN_TYPE_OBJLNK);
    expect_bad_text("3 :0", TERN_TYPE_OBJLNK);
    expect_bad_text("\xff", TERN_TYPE_STRING);
    expect_bad_text("\xe2\x82", TERN_TYPE_STRING);
    expect_bad_text("x", TERN_TYPE_NONE);
    expect_bad_text("1", TERN_TYPE_NONE); /* a number, but no type to take it */
    expect_bad_text("1", (tern_type_t)(TERN_TYPE_CORELNK + 1));
}

static void test_text_in_base64(void **state)
{
    (void)state;
    tern_in_t in;
    tern_path_t base = P(5, 0, 0);
    tern_path_t path;
    tern_value_t v;
    uint8_t scratch[8];
    /* into a scratch buffer */
    tern_in_init(&in, TERN_FORMAT_TEXT, &base, (const uint8_t *)"AQIDBAU=", 8);
    in.scratch = scratch;
    in.scratch_cap = sizeof(scratch);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), 0);
    assert_ptr_equal(v.v.bytes.ptr, scratch);
    assert_int_equal(v.v.bytes.len, 5);
    assert_memory_equal(v.v.bytes.ptr, "\1\2\3\4\5", 5);
    /* in place, over the payload itself */
    char payload[] = "Zm9vYmFy+/+/ABCD";
    tern_in_init(&in, TERN_FORMAT_TEXT, &base, (const uint8_t *)payload, 16);
    in.scratch = (uint8_t *)payload;
    in.scratch_cap = 16;
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), 0);
    assert_int_equal(v.v.bytes.len, 12);
    assert_memory_equal(v.v.bytes.ptr, "foobar\xfb\xff\xbf\x00\x10\x83", 12);
    /* too large for the scratch, or no scratch at all */
    tern_in_init(&in, TERN_FORMAT_TEXT, &base, (const uint8_t *)"Zm9vYmFyYmF6", 12);
    in.scratch = scratch;
    in.scratch_cap = sizeof(scratch);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), -TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "Zg==", TERN_TYPE_OPAQUE, &v),
                     -TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    assert_int_equal(decode(TERN_FORMAT_TEXT, "", TERN_TYPE_OPAQUE, &v), 0);
    assert_int_equal(v.v.bytes.len, 0);
    /* every character of the alphabet, in order */
    uint8_t every[sizeof(EVERY_SEXTET)];
    tern_in_init(&in, TERN_FORMAT_TEXT, &base, (const uint8_t *)ALPHABET, 64);
    in.scratch = every;
    in.scratch_cap = sizeof(every);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), 0);
    assert_int_equal(v.v.bytes.len, sizeof(EVERY_SEXTET));
    assert_memory_equal(every, EVERY_SEXTET, sizeof(EVERY_SEXTET));
    /* canonical base64 only */
    static const char *const bad[] = { "AQIDBAU",  "AQIDBAV=", "Zh==", "Zm9=", "A===", "====",
                                       "Zg==Zg==", "Zm9v\n",   "Zm 9", "Zm-_", "Zg=A", "Z===" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tern_in_init(&in, TERN_FORMAT_TEXT, &base, (const uint8_t *)bad[i], strlen(bad[i]));
        in.scratch = scratch;
        in.scratch_cap = sizeof(scratch);
        assert_int_equal(tern_in_next(&in, &path), 1);
        if (tern_in_value(&in, TERN_TYPE_OPAQUE, &v) != -TERN_COAP_BAD_REQUEST)
            fail_msg("\"%s\" accepted", bad[i]);
    }
}

static void test_opaque_in(void **state)
{
    (void)state;
    tern_value_t v;
    assert_int_equal(decode(TERN_FORMAT_OPAQUE, "\x01\xff", TERN_TYPE_OPAQUE, &v), 0);
    assert_int_equal(v.v.bytes.len, 2);
    assert_memory_equal(v.v.bytes.ptr, "\x01\xff", 2);
    assert_int_equal(decode(TERN_FORMAT_OPAQUE, "1", TERN_TYPE_INTEGER, &v),
                     -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    assert_int_equal(decode(TERN_FORMAT_OPAQUE, "x", TERN_TYPE_STRING, &v),
                     -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
}

static void test_in_paths(void **state)
{
    (void)state;
    tern_in_t in;
    tern_path_t path;
    tern_value_t v;
    tern_path_t inst = P(3, 0);
    tern_path_t res_inst = P(3, 0, 7, 1);
    /* text and opaque name one resource (instance), never more */
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_TEXT, &inst, (const uint8_t *)"1", 1), 0);
    assert_int_equal(tern_in_next(&in, &path), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_in_next(&in, &path), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_OPAQUE, &inst, (const uint8_t *)"1", 1), 0);
    assert_int_equal(tern_in_next(&in, &path), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_TEXT, &res_inst, (const uint8_t *)"7", 1), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(path.len, 4);
    assert_int_equal(path.ids[3], 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), 0);
    assert_true(v.v.i == 7);
    assert_int_equal(tern_in_next(&in, &path), 0);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), -TERN_COAP_BAD_REQUEST);
    /* formats Tern does not decode */
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_JSON, &inst, NULL, 0),
                     -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    assert_int_equal(tern_in_next(&in, &path), -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_NONE, &inst, NULL, 0),
                     -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
}

/* A long text value through windows: each block is its slice. */
static void test_text_windows(void **state)
{
    (void)state;
    static uint8_t blob[200];
    char full[400];
    char part[400];
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (uint8_t)(i * 37);
    tern_value_t v = { .type = TERN_TYPE_OPAQUE, .v.bytes = { blob, sizeof(blob) } };
    tern_path_t base = P(3, 0, 9);
    tern_out_t out;
    tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)full, sizeof(full), 0);
    tern_out_value(&out, &base, &v);
    int total = tern_out_finish(&out);
    assert_int_equal(total, 268);
    for (size_t skip = 0; skip < (size_t)total; skip += 16) {
        tern_out_init(&out, TERN_FORMAT_TEXT, &base, (uint8_t *)part, 16, skip);
        tern_out_value(&out, &base, &v);
        int n = tern_out_finish(&out);
        assert_int_equal(n, (size_t)total - skip < 16 ? (size_t)total - skip : 16);
        assert_memory_equal(part, full + skip, (size_t)n);
        assert_int_equal(out.sink.pos, (size_t)total);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_out),       cmocka_unit_test(test_text_out_base64),
        cmocka_unit_test(test_out_errors),     cmocka_unit_test(test_text_in),
        cmocka_unit_test(test_text_in_base64), cmocka_unit_test(test_opaque_in),
        cmocka_unit_test(test_in_paths),       cmocka_unit_test(test_text_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
