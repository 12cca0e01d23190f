/* CoAP codec: RFC 7252 section 3 and the byte examples of appendix A. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "coap/coap_msg.h"

/* RFC 7252 figure 16: CON GET /temperature, MID 0x7d34, no token. */
static const uint8_t FIG16_REQUEST[] = { 0x40, 0x01, 0x7d, 0x34, 0xbb, 't', 'e', 'm',
                                         'p',  'e',  'r',  'a',  't',  'u', 'r', 'e' };
/* ...and its piggybacked response: ACK 2.05 "22.3 C". */
static const uint8_t FIG16_RESPONSE[] = {
    0x60, 0x45, 0x7d, 0x34, 0xff, '2', '2', '.', '3', ' ', 'C'
};
/* RFC 7252 figure 17: the same with token 0x20, one byte longer each. */
static const uint8_t FIG17_REQUEST[] = { 0x41, 0x01, 0x7d, 0x34, 0x20, 0xbb, 't', 'e', 'm',
                                         'p',  'e',  'r',  'a',  't',  'u',  'r', 'e' };
static const uint8_t FIG17_RESPONSE[] = { 0x61, 0x45, 0x7d, 0x34, 0x20, 0xff,
                                          '2',  '2',  '.',  '3',  ' ',  'C' };

static void test_fig16_parse(void **state)
{
    (void)state;
    tern_coap_msg_t m;
    assert_int_equal(tern_coap_parse(&m, FIG16_REQUEST, sizeof(FIG16_REQUEST)), 0);
    assert_int_equal(m.type, TERN_COAP_CON);
    assert_int_equal(m.code, TERN_COAP_GET);
    assert_int_equal(m.mid, 0x7d34);
    assert_int_equal(m.token_len, 0);
    assert_null(m.payload);
    tern_coap_option_t opt;
    assert_true(tern_coap_find_option(&m, TERN_COAP_OPT_URI_PATH, &opt));
    assert_int_equal(opt.len, 11);
    assert_memory_equal(opt.value, "temperature", 11);

    assert_int_equal(tern_coap_parse(&m, FIG16_RESPONSE, sizeof(FIG16_RESPONSE)), 0);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.code, TERN_COAP_CONTENT);
    assert_int_equal(m.payload_len, 6);
    assert_memory_equal(m.payload, "22.3 C", 6);
}

static void test_fig16_fig17_serialise(void **state)
{
    (void)state;
    uint8_t buf[64];
    tern_coap_writer_t w;
    const uint8_t token = 0x20;

    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 0x7d34, NULL, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "temperature");
    assert_int_equal(tern_coap_writer_finish(&w), sizeof(FIG16_REQUEST));
    assert_memory_equal(buf, FIG16_REQUEST, sizeof(FIG16_REQUEST));

    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_CONTENT, 0x7d34, NULL, 0);
    tern_coap_write_payload(&w, "22.3 C", 6);
    assert_int_equal(tern_coap_writer_finish(&w), sizeof(FIG16_RESPONSE));
    assert_memory_equal(buf, FIG16_RESPONSE, sizeof(FIG16_RESPONSE));

    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 0x7d34, &token, 1);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "temperature");
    assert_int_equal(tern_coap_writer_finish(&w), sizeof(FIG17_REQUEST));
    assert_memory_equal(buf, FIG17_REQUEST, sizeof(FIG17_REQUEST));

    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_CONTENT, 0x7d34, &token, 1);
    tern_coap_write_payload(&w, "22.3 C", 6);
    assert_int_equal(tern_coap_writer_finish(&w), sizeof(FIG17_RESPONSE));
    assert_memory_equal(buf, FIG17_RESPONSE, sizeof(FIG17_RESPONSE));
}

static void test_fig17_token(void **state)
{
    (void)state;
    tern_coap_msg_t m;
    assert_int_equal(tern_coap_parse(&m, FIG17_RESPONSE, sizeof(FIG17_RESPONSE)), 0);
    assert_int_equal(m.token_len, 1);
    assert_int_equal(m.token[0], 0x20);
    assert_memory_equal(m.payload, "22.3 C", 6);
}

/* Extended deltas and lengths: 13 + 1 byte, 269 + 2 bytes (3.1). */
static void test_extended_option_fields(void **state)
{
    (void)state;
    uint8_t buf[600];
    uint8_t value[300];
    memset(value, 'x', sizeof(value));
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_POST, 1, NULL, 0);
    tern_coap_write_option(&w, TERN_COAP_OPT_URI_PATH, value, 13);   /* len 13: 1 ext byte */
    tern_coap_write_option(&w, TERN_COAP_OPT_URI_PATH, value, 268);  /* len 268: 1 ext byte */
    tern_coap_write_option(&w, TERN_COAP_OPT_PROXY_URI, value, 269); /* len 269: 2 ext bytes */
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_SIZE1, 1024);      /* delta 25 */
    tern_coap_write_option_uint(&w, 2000, 7);                        /* delta 1940: 2 ext */
    int len = tern_coap_writer_finish(&w);
    assert_true(len > 0);
    /* first option: delta 11, length 13 -> nibbles b,d and one byte 0 */
    assert_int_equal(buf[4], 0xbd);
    assert_int_equal(buf[5], 0);
    /* second: delta 0, length 268 -> 0x0d, 255 */
    assert_int_equal(buf[6 + 13], 0x0d);
    assert_int_equal(buf[7 + 13], 255);

    tern_coap_msg_t m;
    assert_int_equal(tern_coap_parse(&m, buf, (size_t)len), 0);
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    const uint16_t numbers[] = { 11, 11, 35, 60, 2000 };
    const uint16_t lengths[] = { 13, 268, 269, 2, 1 };
    tern_coap_opt_iter_init(&it, &m);
    for (int i = 0; i < 5; i++) {
        assert_true(tern_coap_opt_next(&it, &opt));
        assert_int_equal(opt.number, numbers[i]);
        assert_int_equal(opt.len, lengths[i]);
    }
    assert_false(tern_coap_opt_next(&it, &opt));
    uint32_t v;
    assert_true(tern_coap_get_uint(&m, TERN_COAP_OPT_SIZE1, &v));
    assert_int_equal(v, 1024);
    assert_true(tern_coap_get_uint(&m, 2000, &v));
    assert_int_equal(v, 7);
    assert_false(tern_coap_get_uint(&m, TERN_COAP_OPT_SIZE2, &v));
}

static void expect_format_error(const uint8_t *data, size_t len)
{
    tern_coap_msg_t m;
    assert_int_equal(tern_coap_parse(&m, data, len), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(m.mid, (data[2] << 8) | data[3]);
}

static void test_format_errors(void **state)
{
    (void)state;
    /* delta nibble 15 without length 15 */
    const uint8_t delta15[] = { 0x40, 0x01, 0x00, 0x01, 0xf1, 'a' };
    expect_format_error(delta15, sizeof(delta15));
    /* length nibble 15 */
    const uint8_t len15[] = { 0x40, 0x01, 0x00, 0x02, 0xbf, 'a' };
    expect_format_error(len15, sizeof(len15));
    /* payload marker followed by nothing */
    const uint8_t empty_payload[] = { 0x40, 0x01, 0x00, 0x03, 0xff };
    expect_format_error(empty_payload, sizeof(empty_payload));
    /* token length 9..15 */
    const uint8_t tkl9[] = { 0x49, 0x01, 0x00, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    expect_format_error(tkl9, sizeof(tkl9));
    /* token longer than the message */
    const uint8_t short_token[] = { 0x44, 0x01, 0x00, 0x05, 1, 2 };
    expect_format_error(short_token, sizeof(short_token));
    /* option value runs past the end */
    const uint8_t truncated[] = { 0x40, 0x01, 0x00, 0x06, 0xb5, 'a', 'b' };
    expect_format_error(truncated, sizeof(truncated));
    /* extended delta byte missing */
    const uint8_t ext_missing[] = { 0x40, 0x01, 0x00, 0x07, 0xd0 };
    expect_format_error(ext_missing, sizeof(ext_missing));
    /* two-byte extended length cut short */
    const uint8_t ext2_missing[] = { 0x40, 0x01, 0x00, 0x08, 0x1e, 0x01 };
    expect_format_error(ext2_missing, sizeof(ext2_missing));
    /* option number beyond 65535 */
    const uint8_t overflow[] = { 0x40, 0x01, 0x00, 0x09, 0xe0, 0xff, 0xff, 0xe0, 0xff, 0xff };
    expect_format_error(overflow, sizeof(overflow));
    /* Empty message (code 0.00) with a token or bytes after the header */
    const uint8_t empty_token[] = { 0x41, 0x00, 0x00, 0x0a, 0x01 };
    expect_format_error(empty_token, sizeof(empty_token));
    const uint8_t empty_bytes[] = { 0x60, 0x00, 0x00, 0x0b, 0xff, 'x' };
    expect_format_error(empty_bytes, sizeof(empty_bytes));
}

static void test_unusable_header(void **state)
{
    (void)state;
    tern_coap_msg_t m;
    const uint8_t short_msg[] = { 0x40, 0x01, 0x00 };
    assert_int_equal(tern_coap_parse(&m, short_msg, sizeof(short_msg)), TERN_ERR_CORRUPT);
    const uint8_t version2[] = { 0x80, 0x01, 0x00, 0x01 };
    assert_int_equal(tern_coap_parse(&m, version2, sizeof(version2)), TERN_ERR_CORRUPT);
    const uint8_t version0[] = { 0x00, 0x01, 0x00, 0x01 };
    assert_int_equal(tern_coap_parse(&m, version0, sizeof(version0)), TERN_ERR_CORRUPT);
    assert_int_equal(tern_coap_parse(&m, short_msg, 0), TERN_ERR_CORRUPT);
}

static void test_empty_message(void **state)
{
    (void)state;
    tern_coap_msg_t m;
    const uint8_t ack[] = { 0x60, 0x00, 0x12, 0x34 };
    assert_int_equal(tern_coap_parse(&m, ack, sizeof(ack)), 0);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.code, TERN_COAP_EMPTY);
    assert_int_equal(m.mid, 0x1234);
}

static void test_writer_uint_forms(void **state)
{
    (void)state;
    const struct {
        uint32_t value;
        size_t len;
    } cases[] = { { 0, 0 },          { 1, 1 },          { 255, 1 },
                  { 256, 2 },        { 65535, 2 },      { 65536, 3 },
                  { 0x00ffffff, 3 }, { 0x01000000, 4 }, { 0xffffffff, 4 } };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t buf[16];
        tern_coap_writer_t w;
        tern_coap_writer_init(&w, buf, sizeof(buf));
        tern_coap_write_header(&w, TERN_COAP_NON, TERN_COAP_GET, 7, NULL, 0);
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, cases[i].value);
        assert_int_equal(tern_coap_writer_finish(&w), 5 + (int)cases[i].len);
        assert_int_equal(buf[4] & 0x0f, cases[i].len);
        tern_coap_msg_t m;
        uint32_t v;
        assert_int_equal(tern_coap_parse(&m, buf, 5 + cases[i].len), 0);
        assert_true(tern_coap_get_uint(&m, TERN_COAP_OPT_CONTENT_FORMAT, &v));
        assert_int_equal(v, cases[i].value);
    }
}

static void test_writer_errors(void **state)
{
    (void)state;
    uint8_t buf[16];
    tern_coap_writer_t w;

    /* options out of order */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_ACCEPT, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "a");
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);

    /* too long for the buffer; the first error sticks */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "0123456789abcdef");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "");
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_NO_SPACE);

    /* payload that does not fit */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_payload(&w, "0123456789abcdef", 16);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_NO_SPACE);

    /* option after the payload */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_payload(&w, "x", 1);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_SIZE1, 1);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);

    /* a second payload, in one go or begun, is refused: one marker only */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_payload(&w, "x", 1);
    tern_coap_write_payload(&w, "y", 1);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_payload(&w, "x", 1);
    size_t room;
    assert_null(tern_coap_payload_begin(&w, &room));
    tern_coap_payload_commit(&w, 1);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);

    /* token too long */
    const uint8_t token[9] = { 0 };
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, token, 9);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);

    /* nothing written */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);
}

/* writer_start() is writer_init() and write_header() in one call. */
static void test_writer_start(void **state)
{
    (void)state;
    uint8_t buf[32];
    tern_coap_writer_t w;
    const uint8_t token = 0x20;
    tern_coap_writer_start(&w, buf, sizeof(buf), TERN_COAP_ACK, TERN_COAP_CONTENT, 0x7d34, &token,
                           1);
    tern_coap_write_payload(&w, "22.3 C", 6);
    assert_int_equal(tern_coap_writer_finish(&w), sizeof(FIG17_RESPONSE));
    assert_memory_equal(buf, FIG17_RESPONSE, sizeof(FIG17_RESPONSE));
    /* a second header is refused */
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_CONTENT, 1, NULL, 0);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);

    const uint8_t long_token[9] = { 0 };
    tern_coap_writer_start(&w, buf, sizeof(buf), TERN_COAP_CON, TERN_COAP_GET, 1, long_token, 9);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "a");
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_ARG);
    tern_coap_writer_start(&w, buf, 3, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    assert_int_equal(tern_coap_writer_finish(&w), TERN_ERR_NO_SPACE);
}

static void test_empty_payload_has_no_marker(void **state)
{
    (void)state;
    uint8_t buf[16];
    tern_coap_writer_t w;
    size_t room;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_CHANGED, 1, NULL, 0);
    uint8_t *p = tern_coap_payload_begin(&w, &room);
    assert_non_null(p);
    assert_int_equal(room, sizeof(buf) - 5);
    tern_coap_payload_commit(&w, 0);
    tern_coap_write_payload(&w, "", 0);
    assert_int_equal(tern_coap_writer_finish(&w), 4);
}

static size_t build(uint8_t *buf, size_t cap, uint16_t n1, const void *v1, size_t l1, uint16_t n2,
                    const void *v2, size_t l2)
{
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, cap);
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    tern_coap_write_option(&w, n1, v1, l1);
    if (n2 != 0)
        tern_coap_write_option(&w, n2, v2, l2);
    return (size_t)tern_coap_writer_finish(&w);
}

static uint16_t bad_option_of(const uint8_t *buf, size_t len)
{
    tern_coap_msg_t m;
    assert_int_equal(tern_coap_parse(&m, buf, len), 0);
    return tern_coap_bad_critical_option(&m);
}

/* 5.4.1, 5.4.3, 5.4.5: what counts as an unrecognized critical option. */
static void test_critical_options(void **state)
{
    (void)state;
    uint8_t buf[400];
    uint8_t big[300] = { 0 };
    size_t n;
    n = build(buf, sizeof(buf), 9, "x", 1, 0, NULL, 0); /* unknown, odd */
    assert_int_equal(bad_option_of(buf, n), 9);
    n = build(buf, sizeof(buf), 10, "x", 1, 0, NULL, 0); /* unknown, even: ignored */
    assert_int_equal(bad_option_of(buf, n), 0);
    n = build(buf, sizeof(buf), 258, "x", 1, 0, NULL, 0); /* No-Response, elective */
    assert_int_equal(bad_option_of(buf, n), 0);
    n = build(buf, sizeof(buf), TERN_COAP_OPT_ACCEPT, "\x00", 1, TERN_COAP_OPT_ACCEPT, "\x00",
              1); /* Accept is not repeatable */
    assert_int_equal(bad_option_of(buf, n), TERN_COAP_OPT_ACCEPT);
    n = build(buf, sizeof(buf), TERN_COAP_OPT_ACCEPT, "\x00\x00\x01", 3, 0, NULL, 0);
    assert_int_equal(bad_option_of(buf, n), TERN_COAP_OPT_ACCEPT); /* 0-2 bytes */
    n = build(buf, sizeof(buf), TERN_COAP_OPT_URI_PATH, big, 256, 0, NULL, 0);
    assert_int_equal(bad_option_of(buf, n), TERN_COAP_OPT_URI_PATH); /* 0-255 bytes */
    n = build(buf, sizeof(buf), TERN_COAP_OPT_IF_NONE_MATCH, "x", 1, 0, NULL, 0);
    assert_int_equal(bad_option_of(buf, n), TERN_COAP_OPT_IF_NONE_MATCH);
    n = build(buf, sizeof(buf), TERN_COAP_OPT_URI_PATH, "a", 1, TERN_COAP_OPT_URI_PATH, "b", 1);
    assert_int_equal(bad_option_of(buf, n), 0); /* Uri-Path repeats */
    n = build(buf, sizeof(buf), TERN_COAP_OPT_CONTENT_FORMAT, "\0\0\0", 3, 0, NULL, 0);
    assert_int_equal(bad_option_of(buf, n), 0); /* elective: ignored */
    n = build(buf, sizeof(buf), TERN_COAP_OPT_BLOCK2, "\0\0\0\0", 4, 0, NULL, 0);
    assert_int_equal(bad_option_of(buf, n), TERN_COAP_OPT_BLOCK2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fig16_parse),      cmocka_unit_test(test_fig16_fig17_serialise),
        cmocka_unit_test(test_fig17_token),      cmocka_unit_test(test_extended_option_fields),
        cmocka_unit_test(test_format_errors),    cmocka_unit_test(test_unusable_header),
        cmocka_unit_test(test_empty_message),    cmocka_unit_test(test_writer_uint_forms),
        cmocka_unit_test(test_writer_errors),    cmocka_unit_test(test_empty_payload_has_no_marker),
        cmocka_unit_test(test_critical_options), cmocka_unit_test(test_writer_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
