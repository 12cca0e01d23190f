/*
 * LwM2M TLV (OMA-TS-LightweightM2M 1.0 section 6.4.3): the examples of
 * 6.4.3.1-6.4.3.3 decoded byte for byte and re-encoded, value encodings at
 * their size limits, malformed and misplaced input, and windowed output
 * (block-wise) equal to slices of the whole. Built with double and with
 * float as tern_float_t.
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
/* the same as a constant initializer, for static tables */
#define PI(...)                                                                                    \
    {                                                                                              \
        { __VA_ARGS__ }, (uint8_t)(sizeof((uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t))         \
    }
#define ROOT ((tern_path_t){ { 0 }, 0 })

/* 6.4.3.1: Read /3/0, the Device object instance, 121 bytes. */
static const uint8_t DEVICE[] = {
    0xC8, 0x00, 0x14, 'O',  'p',  'e',  'n',  ' ',  'M',  'o',  'b',  'i',  'l',  'e',  ' ',  'A',
    'l',  'l',  'i',  'a',  'n',  'c',  'e',  0xC8, 0x01, 0x16, 'L',  'i',  'g',  'h',  't',  'w',
    'e',  'i',  'g',  'h',  't',  ' ',  'M',  '2',  'M',  ' ',  'C',  'l',  'i',  'e',  'n',  't',
    0xC8, 0x02, 0x09, '3',  '4',  '5',  '0',  '0',  '0',  '1',  '2',  '3',  0xC3, 0x03, '1',  '.',
    '0',  0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05, 0x88, 0x07, 0x08, 0x42, 0x00, 0x0E, 0xD8,
    0x42, 0x01, 0x13, 0x88, 0x87, 0x08, 0x41, 0x00, 0x7D, 0x42, 0x01, 0x03, 0x84, 0xC1, 0x09, 0x64,
    0xC1, 0x0A, 0x0F, 0x83, 0x0B, 0x41, 0x00, 0x00, 0xC4, 0x0D, 0x51, 0x82, 0x42, 0x8F, 0xC6, 0x0E,
    '+',  '0',  '2',  ':',  '0',  '0',  0xC1, 0x10, 'U'
};

/* The same as Tern writes it: containers with a 16-bit length field. */
static const uint8_t DEVICE_TERN[] = {
    0xC8, 0x00, 0x14, 'O',  'p',  'e',  'n',  ' ',  'M',  'o',  'b',  'i',  'l',  'e',  ' ',  'A',
    'l',  'l',  'i',  'a',  'n',  'c',  'e',  0xC8, 0x01, 0x16, 'L',  'i',  'g',  'h',  't',  'w',
    'e',  'i',  'g',  'h',  't',  ' ',  'M',  '2',  'M',  ' ',  'C',  'l',  'i',  'e',  'n',  't',
    0xC8, 0x02, 0x09, '3',  '4',  '5',  '0',  '0',  '0',  '1',  '2',  '3',  0xC3, 0x03, '1',  '.',
    '0',  0x90, 0x06, 0x00, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05, 0x90, 0x07, 0x00, 0x08, 0x42,
    0x00, 0x0E, 0xD8, 0x42, 0x01, 0x13, 0x88, 0x90, 0x08, 0x00, 0x07, 0x41, 0x00, 0x7D, 0x42, 0x01,
    0x03, 0x84, 0xC1, 0x09, 0x64, 0xC1, 0x0A, 0x0F, 0x90, 0x0B, 0x00, 0x03, 0x41, 0x00, 0x00, 0xC4,
    0x0D, 0x51, 0x82, 0x42, 0x8F, 0xC6, 0x0E, '+',  '0',  '2',  ':',  '0',  '0',  0xC1, 0x10, 'U'
};

/* 6.4.3.2: Read /2, two Access Control instances; the second has an ACL
 * instance with a 16-bit id (310). */
static const uint8_t ACCESS[] = { 0x08, 0x00, 0x0E, 0xC1, 0x00, 0x01, 0xC1, 0x01, 0x00, 0x83,
                                  0x02, 0x41, 0x7F, 0x07, 0xC1, 0x03, 0x7F, 0x08, 0x02, 0x12,
                                  0xC1, 0x00, 0x03, 0xC1, 0x01, 0x00, 0x87, 0x02, 0x41, 0x7F,
                                  0x07, 0x61, 0x01, 0x36, 0x01, 0xC1, 0x03, 0x7F };
static const uint8_t ACCESS_TERN[] = { 0x10, 0x00, 0x00, 0x10, 0xC1, 0x00, 0x01, 0xC1, 0x01,
                                       0x00, 0x90, 0x02, 0x00, 0x03, 0x41, 0x7F, 0x07, 0xC1,
                                       0x03, 0x7F, 0x10, 0x02, 0x00, 0x14, 0xC1, 0x00, 0x03,
                                       0xC1, 0x01, 0x00, 0x90, 0x02, 0x00, 0x07, 0x41, 0x7F,
                                       0x07, 0x61, 0x01, 0x36, 0x01, 0xC1, 0x03, 0x7F };

/* 6.4.3.2: Read /1, one Server instance (lifetime 86400 in 4 bytes). */
static const uint8_t SERVER[] = { 0x08, 0x00, 0x0F, 0xC1, 0x00, 0x01, 0xC4, 0x01, 0x00,
                                  0x01, 0x51, 0x80, 0xC1, 0x06, 0x01, 0xC1, 0x07, 0x55 };

/* 6.4.3.3: object links, Read /66/0 and Read /66. */
static const uint8_t OBJLNK1[] = { 0x88, 0x00, 0x0C, 0x44, 0x00, 0x00, 0x42, 0x00, 0x00, 0x44,
                                   0x01, 0x00, 0x42, 0x00, 0x01, 0xC8, 0x01, 0x0D, '8',  '6',
                                   '1',  '3',  '8',  '0',  '0',  '7',  '5',  '5',  '5',  '0',
                                   '0',  0xC4, 0x02, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t OBJLNK2[] = { 0x08, 0x00, 0x26, 0xC8, 0x00, 0x0B, 'm',  'y',  'S',  'e',  'r',
                                   'v',  'i',  'c',  'e',  ' ',  '1',  0xC8, 0x01, 0x0F, 'I',  'n',
                                   't',  'e',  'r',  'n',  'e',  't',  '.',  '1',  '5',  '.',  '2',
                                   '3',  '4',  0xC4, 0x02, 0x00, 0x43, 0x00, 0x00, 0x08, 0x01, 0x26,
                                   0xC8, 0x00, 0x0B, 'm',  'y',  'S',  'e',  'r',  'v',  'i',  'c',
                                   'e',  ' ',  '2',  0xC8, 0x01, 0x0F, 'I',  'n',  't',  'e',  'r',
                                   'n',  'e',  't',  '.',  '1',  '5',  '.',  '2',  '3',  '5',  0xC4,
                                   0x02, 0xFF, 0xFF, 0xFF, 0xFF };

/* One decoded entry, as the tests expect it. */
typedef struct entry {
    tern_path_t path;
    bool multiple;
    tern_type_t type; /* TERN_TYPE_NONE: no value to check */
    int64_t i;        /* integer-like value (objlnk as oid << 16 | iid) */
    const char *s;    /* string value */
} entry_t;

static bool same_path(const tern_path_t *a, const tern_path_t *b)
{
    return a->len == b->len && memcmp(a->ids, b->ids, a->len * sizeof(a->ids[0])) == 0;
}

static void expect_entries(const tern_path_t *base, const uint8_t *data, size_t len,
                           const entry_t *want, size_t count)
{
    tern_in_t in;
    tern_path_t path;
    tern_value_t v;
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, base, data, len), 0);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(tern_in_next(&in, &path), 1);
        if (!same_path(&path, &want[i].path))
            fail_msg("entry %zu: path len %d ids %d/%d/%d/%d", i, path.len, path.ids[0],
                     path.ids[1], path.ids[2], path.ids[3]);
        assert_int_equal(in.multiple, want[i].multiple);
        if (want[i].type == TERN_TYPE_STRING) {
            assert_int_equal(tern_in_value(&in, TERN_TYPE_STRING, &v), 0);
            assert_int_equal(v.v.bytes.len, strlen(want[i].s));
            assert_memory_equal(v.v.bytes.ptr, want[i].s, v.v.bytes.len);
        } else if (want[i].type == TERN_TYPE_OBJLNK) {
            assert_int_equal(tern_in_value(&in, TERN_TYPE_OBJLNK, &v), 0);
            assert_int_equal(v.v.lnk.oid, want[i].i >> 16);
            assert_int_equal(v.v.lnk.iid, want[i].i & 0xffff);
        } else if (want[i].type != TERN_TYPE_NONE) {
            assert_int_equal(tern_in_value(&in, want[i].type, &v), 0);
            assert_true(v.v.i == want[i].i);
        } else {
            assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), -TERN_COAP_BAD_REQUEST);
        }
    }
    assert_int_equal(tern_in_next(&in, &path), 0);
    assert_int_equal(tern_in_next(&in, &path), 0);
}

#define I TERN_TYPE_INTEGER
#define S TERN_TYPE_STRING
#define N TERN_TYPE_NONE

static const entry_t DEVICE_ENTRIES[] = {
    { PI(3, 0, 0), false, S, 0, "Open Mobile Alliance" },
    { PI(3, 0, 1), false, S, 0, "Lightweight M2M Client" },
    { PI(3, 0, 2), false, S, 0, "345000123" },
    { PI(3, 0, 3), false, S, 0, "1.0" },
    { PI(3, 0, 6), true, N, 0, NULL },
    { PI(3, 0, 6, 0), false, I, 1, NULL },
    { PI(3, 0, 6, 1), false, I, 5, NULL },
    { PI(3, 0, 7), true, N, 0, NULL },
    { PI(3, 0, 7, 0), false, I, 3800, NULL },
    { PI(3, 0, 7, 1), false, I, 5000, NULL },
    { PI(3, 0, 8), true, N, 0, NULL },
    { PI(3, 0, 8, 0), false, I, 125, NULL },
    { PI(3, 0, 8, 1), false, I, 900, NULL },
    { PI(3, 0, 9), false, I, 100, NULL },
    { PI(3, 0, 10), false, I, 15, NULL },
    { PI(3, 0, 11), true, N, 0, NULL },
    { PI(3, 0, 11, 0), false, I, 0, NULL },
    { PI(3, 0, 13), false, TERN_TYPE_TIME, 1367491215, NULL },
    { PI(3, 0, 14), false, S, 0, "+02:00" },
    { PI(3, 0, 16), false, S, 0, "U" },
};

static void test_spec_device_decode(void **state)
{
    (void)state;
    tern_path_t base = P(3, 0);
    size_t count = sizeof(DEVICE_ENTRIES) / sizeof(DEVICE_ENTRIES[0]);
    expect_entries(&base, DEVICE, sizeof(DEVICE), DEVICE_ENTRIES, count);
    expect_entries(&base, DEVICE_TERN, sizeof(DEVICE_TERN), DEVICE_ENTRIES, count);

    /* Write on /3/0 may also wrap the resources in their instance */
    uint8_t wrapped[3 + sizeof(DEVICE)] = { 0x08, 0x00, (uint8_t)sizeof(DEVICE) };
    memcpy(wrapped + 3, DEVICE, sizeof(DEVICE));
    expect_entries(&base, wrapped, sizeof(wrapped), DEVICE_ENTRIES, count);
}

/* Writes the Device instance of 6.4.3.1 in the order the engine would. */
static void write_device(tern_out_t *out, uint16_t iid)
{
    tern_value_t v;
    for (size_t i = 0; i < sizeof(DEVICE_ENTRIES) / sizeof(DEVICE_ENTRIES[0]); i++) {
        entry_t e = DEVICE_ENTRIES[i];
        e.path.ids[1] = iid;
        bool last_in_multiple = e.path.len == 4
                                && (i + 1 == sizeof(DEVICE_ENTRIES) / sizeof(DEVICE_ENTRIES[0])
                                    || DEVICE_ENTRIES[i + 1].path.len == 3);
        if (e.multiple) {
            tern_out_begin(out, &e.path);
            continue;
        }
        v.type = e.type;
        if (e.type == TERN_TYPE_STRING) {
            v.v.bytes.ptr = (const uint8_t *)e.s;
            v.v.bytes.len = strlen(e.s);
        } else {
            v.v.i = e.i;
        }
        tern_out_value(out, &e.path, &v);
        if (last_in_multiple)
            tern_out_end(out);
    }
}

static void test_spec_device_encode(void **state)
{
    (void)state;
    uint8_t buf[300];
    tern_out_t out;
    tern_path_t base = P(3, 0);
    tern_path_t inst = P(3, 0);
    /* Read /3/0: no container for the instance the request names */
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0), 0);
    tern_out_begin(&out, &inst);
    write_device(&out, 0);
    tern_out_end(&out);
    assert_int_equal(tern_out_finish(&out), sizeof(DEVICE_TERN));
    assert_memory_equal(buf, DEVICE_TERN, sizeof(DEVICE_TERN));

    /* Read /3: the instance gets its container, 16-bit length 128 */
    base = P(3);
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0), 0);
    tern_out_begin(&out, &inst);
    write_device(&out, 0);
    tern_out_end(&out);
    assert_int_equal(tern_out_finish(&out), 4 + sizeof(DEVICE_TERN));
    const uint8_t head[] = { 0x10, 0x00, 0x00, sizeof(DEVICE_TERN) };
    assert_memory_equal(buf, head, 4);
    assert_memory_equal(buf + 4, DEVICE_TERN, sizeof(DEVICE_TERN));

    /* and it decodes as instance 0 of /3, then its resources */
    tern_in_t in;
    tern_path_t path;
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, buf, out.sink.pos), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_true(same_path(&path, &inst));
    assert_int_equal(tern_in_next(&in, &path), 1);
    tern_path_t first = P(3, 0, 0);
    assert_true(same_path(&path, &first));
}

static void test_spec_access_control(void **state)
{
    (void)state;
    const entry_t want[] = {
        { P(2, 0), false, N, 0, NULL },         { P(2, 0, 0), false, I, 1, NULL },
        { P(2, 0, 1), false, I, 0, NULL },      { P(2, 0, 2), true, N, 0, NULL },
        { P(2, 0, 2, 127), false, I, 7, NULL }, { P(2, 0, 3), false, I, 127, NULL },
        { P(2, 2), false, N, 0, NULL },         { P(2, 2, 0), false, I, 3, NULL },
        { P(2, 2, 1), false, I, 0, NULL },      { P(2, 2, 2), true, N, 0, NULL },
        { P(2, 2, 2, 127), false, I, 7, NULL }, { P(2, 2, 2, 310), false, I, 1, NULL },
        { P(2, 2, 3), false, I, 127, NULL },
    };
    tern_path_t base = P(2);
    size_t count = sizeof(want) / sizeof(want[0]);
    expect_entries(&base, ACCESS, sizeof(ACCESS), want, count);
    expect_entries(&base, ACCESS_TERN, sizeof(ACCESS_TERN), want, count);

    uint8_t buf[100];
    tern_out_t out;
    tern_value_t v = { .type = TERN_TYPE_INTEGER };
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0), 0);
    for (size_t i = 0; i < count; i++) {
        bool closes_multiple =
            want[i].path.len == 4 && (i + 1 == count || want[i + 1].path.len != 4);
        bool closes_instance = i + 1 == count || want[i + 1].path.len == 2;
        if (want[i].type == TERN_TYPE_NONE) {
            tern_out_begin(&out, &want[i].path);
            continue;
        }
        v.v.i = want[i].i;
        tern_out_value(&out, &want[i].path, &v);
        if (closes_multiple)
            tern_out_end(&out);
        if (closes_instance)
            tern_out_end(&out);
    }
    assert_int_equal(tern_out_finish(&out), sizeof(ACCESS_TERN));
    assert_memory_equal(buf, ACCESS_TERN, sizeof(ACCESS_TERN));
}

static void test_spec_server_and_objlnk(void **state)
{
    (void)state;
    const entry_t server[] = {
        { P(1, 0), false, N, 0, NULL },        { P(1, 0, 0), false, I, 1, NULL },
        { P(1, 0, 1), false, I, 86400, NULL }, { P(1, 0, 6), false, TERN_TYPE_BOOLEAN, 1, NULL },
        { P(1, 0, 7), false, S, 0, "U" },
    };
    tern_path_t base = P(1);
    expect_entries(&base, SERVER, sizeof(SERVER), server, 5);

    const entry_t lnk1[] = {
        { P(66, 0, 0), true, N, 0, NULL },
        { P(66, 0, 0, 0), false, TERN_TYPE_OBJLNK, 66 << 16 | 0, NULL },
        { P(66, 0, 0, 1), false, TERN_TYPE_OBJLNK, 66 << 16 | 1, NULL },
        { P(66, 0, 1), false, S, 0, "8613800755500" },
        { P(66, 0, 2), false, I, 0x12345678, NULL },
    };
    base = P(66, 0);
    expect_entries(&base, OBJLNK1, sizeof(OBJLNK1), lnk1, 5);

    const entry_t lnk2[] = {
        { P(66, 0), false, N, 0, NULL },
        { P(66, 0, 0), false, S, 0, "myService 1" },
        { P(66, 0, 1), false, S, 0, "Internet.15.234" },
        { P(66, 0, 2), false, TERN_TYPE_OBJLNK, 0x43 << 16 | 0, NULL },
        { P(66, 1), false, N, 0, NULL },
        { P(66, 1, 0), false, S, 0, "myService 2" },
        { P(66, 1, 1), false, S, 0, "Internet.15.235" },
        { P(66, 1, 2), false, TERN_TYPE_OBJLNK, 0xffffffff, NULL },
    };
    base = P(66);
    expect_entries(&base, OBJLNK2, sizeof(OBJLNK2), lnk2, 8);
}

/* Encodes one value as /3/0/R (or /3/0/R/RI) at base /3/0. */
static size_t encode_one(const tern_path_t *path, const tern_value_t *v, uint8_t *buf, size_t cap)
{
    tern_out_t out;
    tern_path_t base = P(3, 0);
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, cap, 0), 0);
    tern_out_value(&out, path, v);
    int n = tern_out_finish(&out);
    assert_true(n > 0);
    return (size_t)n;
}

static void expect_int_encoding(int64_t i, const uint8_t *want, size_t len)
{
    uint8_t buf[16];
    tern_value_t v = { .type = TERN_TYPE_INTEGER, .v.i = i };
    tern_path_t path = P(3, 0, 5);
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), len);
    assert_memory_equal(buf, want, len);
    /* and back */
    tern_in_t in;
    tern_path_t base = P(3, 0, 5);
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, buf, len), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), 0);
    assert_true(v.v.i == i);
}

static void test_integer_sizes(void **state)
{
    (void)state;
    expect_int_encoding(0, (const uint8_t[]){ 0xC1, 5, 0 }, 3);
    expect_int_encoding(127, (const uint8_t[]){ 0xC1, 5, 0x7f }, 3);
    expect_int_encoding(-128, (const uint8_t[]){ 0xC1, 5, 0x80 }, 3);
    expect_int_encoding(128, (const uint8_t[]){ 0xC2, 5, 0x00, 0x80 }, 4);
    expect_int_encoding(-129, (const uint8_t[]){ 0xC2, 5, 0xff, 0x7f }, 4);
    expect_int_encoding(32767, (const uint8_t[]){ 0xC2, 5, 0x7f, 0xff }, 4);
    expect_int_encoding(32768, (const uint8_t[]){ 0xC4, 5, 0, 0, 0x80, 0 }, 6);
    expect_int_encoding(-32769, (const uint8_t[]){ 0xC4, 5, 0xff, 0xff, 0x7f, 0xff }, 6);
    expect_int_encoding(INT32_MAX, (const uint8_t[]){ 0xC4, 5, 0x7f, 0xff, 0xff, 0xff }, 6);
    expect_int_encoding(INT32_MIN, (const uint8_t[]){ 0xC4, 5, 0x80, 0, 0, 0 }, 6);
    expect_int_encoding(2147483648, (const uint8_t[]){ 0xC8, 5, 8, 0, 0, 0, 0, 0x80, 0, 0, 0 }, 11);
    expect_int_encoding(INT64_MIN, (const uint8_t[]){ 0xC8, 5, 8, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 11);
    expect_int_encoding(-1, (const uint8_t[]){ 0xC1, 5, 0xff }, 3);

    uint8_t buf[16];
    tern_value_t v = { .type = TERN_TYPE_UNSIGNED, .v.u = 255 };
    tern_path_t path = P(3, 0, 1, 300); /* resource instance with a 16-bit id */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, ((const uint8_t[]){ 0x61, 0x01, 0x2c, 0xff }), 4);
    v.v.u = 65536;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 7);
    assert_memory_equal(buf, ((const uint8_t[]){ 0x64, 0x01, 0x2c, 0, 1, 0, 0 }), 7);
    v.v.u = UINT64_MAX;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 12);
    assert_memory_equal(buf, ((const uint8_t[]){ 0x68, 0x01, 0x2c, 8, 0xff, 0xff }), 6);
}

static void test_other_values(void **state)
{
    (void)state;
    uint8_t buf[70000];
    tern_path_t path = P(3, 0, 2);
    tern_value_t v = { .type = TERN_TYPE_BOOLEAN, .v.b = true };
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC1, 2, 1 }), 3);
    v = (tern_value_t){ .type = TERN_TYPE_OBJLNK, .v.lnk = { 66, 65535 } };
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0, 66, 0xff, 0xff }), 6);
    v = (tern_value_t){ .type = TERN_TYPE_TIME, .v.i = 1367491215 };
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0x51, 0x82, 0x42, 0x8F }), 6);

    /* lengths: in the type byte up to 7, then 8, 16 and 24 bits */
    static uint8_t big[70000];
    memset(big, 'x', sizeof(big));
    v = (tern_value_t){ .type = TERN_TYPE_OPAQUE, .v.bytes = { big, 7 } };
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 2 + 7);
    assert_int_equal(buf[0], 0xC7);
    v.v.bytes.len = 8;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 3 + 8);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC8, 2, 8 }), 3);
    v.v.bytes.len = 300;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 4 + 300);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xD0, 2, 0x01, 0x2c }), 4);
    v.v.bytes.len = 65536;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 5 + 65536);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xD8, 2, 0x01, 0x00, 0x00 }), 5);
    v.v.bytes.len = 0;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC0, 2 }), 2);
    tern_path_t path300 = P(3, 0, 300);
    v = (tern_value_t){ .type = TERN_TYPE_STRING, .v.bytes = { (const uint8_t *)"U", 1 } };
    assert_int_equal(encode_one(&path300, &v, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xE1, 0x01, 0x2c, 'U' }), 4);
}

static tern_float_t float_of(const uint8_t *payload, size_t len, int *rc)
{
    tern_in_t in;
    tern_path_t base = P(3, 0, 2);
    tern_path_t path;
    tern_value_t v;
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, payload, len), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    *rc = tern_in_value(&in, TERN_TYPE_FLOAT, &v);
    return v.v.f;
}

static void test_floats(void **state)
{
    (void)state;
    uint8_t buf[16];
    tern_path_t path = P(3, 0, 2);
    tern_value_t v = { .type = TERN_TYPE_FLOAT, .v.f = 1.5 };
    int rc;
    /* exactly a single: 4 bytes */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0x3f, 0xc0, 0, 0 }), 6);
    v.v.f = -0.0;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0x80, 0, 0, 0 }), 6);
    v.v.f = (tern_float_t)0x1p-149; /* the smallest single, a subnormal */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0, 0, 0, 1 }), 6);
#if TERN_WITH_DOUBLE
    v.v.f = 0.1; /* not a single: 8 bytes */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 11);
    assert_memory_equal(
        buf, ((const uint8_t[]){ 0xC8, 2, 8, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a }), 11);
    v.v.f = 1e300;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 11);
    v.v.f = 0x1.fffffep127; /* the largest single */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    v.v.f = 0x1p-149 * 3; /* 3 * the smallest single */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0, 0, 0, 3 }), 6);
    v.v.f = 0x1p-150; /* below: a double */
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 11);
    /* 4 bytes widen exactly, subnormals too */
    assert_true(float_of((const uint8_t[]){ 0xC4, 2, 0x3d, 0xcc, 0xcc, 0xcd }, 6, &rc)
                == (double)0.1f);
    assert_int_equal(rc, 0);
    assert_true(float_of((const uint8_t[]){ 0xC4, 2, 0x00, 0x40, 0x00, 0x00 }, 6, &rc) == 0x1p-127);
    assert_true(float_of((const uint8_t[]){ 0xC4, 2, 0x80, 0x00, 0x00, 0x01 }, 6, &rc)
                == -0x1p-149);
    assert_true(
        float_of((const uint8_t[]){ 0xC8, 2, 8, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
                 11, &rc)
        == 1.7976931348623157e308);
    assert_int_equal(rc, 0);
#else
    v.v.f = 0.1f;
    assert_int_equal(encode_one(&path, &v, buf, sizeof(buf)), 6);
    assert_memory_equal(buf, ((const uint8_t[]){ 0xC4, 2, 0x3d, 0xcc, 0xcc, 0xcd }), 6);
    /* 8 bytes round to the nearest single, with integer arithmetic only */
    assert_true(
        float_of((const uint8_t[]){ 0xC8, 2, 8, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a },
                 11, &rc)
        == 0.1f);
    assert_int_equal(rc, 0);
    /* 1 + 2^-24 is a tie: to even (1); 1 + 3 * 2^-24 rounds up */
    assert_true(float_of((const uint8_t[]){ 0xC8, 2, 8, 0x3f, 0xf0, 0, 0, 0x10, 0, 0, 0 }, 11, &rc)
                == 1.0f);
    assert_true(float_of((const uint8_t[]){ 0xC8, 2, 8, 0x3f, 0xf0, 0, 0, 0x30, 0, 0, 0 }, 11, &rc)
                == 1.0f + 2 * 1.1920929e-7f);
    /* 2^-149 (smallest subnormal) from a double, and the largest single */
    assert_true(float_of((const uint8_t[]){ 0xC8, 2, 8, 0x36, 0xa0, 0, 0, 0, 0, 0, 0 }, 11, &rc)
                == 0x1p-149f);
    assert_true(
        float_of((const uint8_t[]){ 0xC8, 2, 8, 0x47, 0xef, 0xff, 0xff, 0xe0, 0, 0, 0 }, 11, &rc)
        == 3.4028235e38f);
    assert_int_equal(rc, 0);
    /* out of range: too large, or non-zero rounding to zero (2^-151) */
    (void)float_of((const uint8_t[]){ 0xC8, 2, 8, 0x7e, 0x37, 0xe4, 0x3c, 0x88, 0, 0, 0 }, 11, &rc);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    (void)float_of((const uint8_t[]){ 0xC8, 2, 8, 0x36, 0x80, 0, 0, 0, 0, 0, 0 }, 11, &rc);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    /* double subnormals, the largest double, NaN and +infinity from 8 bytes */
    static const uint8_t out_of_range[][8] = {
        { 0x00, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
        { 0x80, 0, 0, 0, 0, 0, 0, 1 },
        { 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
        { 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 },
        { 0x7f, 0xf0, 0, 0, 0, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
        uint8_t tlv[11] = { 0xC8, 2, 8 };
        memcpy(tlv + 3, out_of_range[i], 8);
        rc = 0;
        (void)float_of(tlv, sizeof(tlv), &rc);
        assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    }
#endif
    /* NaN and infinities are not values */
    (void)float_of((const uint8_t[]){ 0xC4, 2, 0x7f, 0xc0, 0, 0 }, 6, &rc);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    (void)float_of((const uint8_t[]){ 0xC8, 2, 8, 0xff, 0xf0, 0, 0, 0, 0, 0, 0 }, 11, &rc);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    (void)float_of((const uint8_t[]){ 0xC2, 2, 0x3f, 0xc0 }, 4, &rc);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    /* 0 from 8 bytes keeps its sign */
    tern_float_t z = float_of((const uint8_t[]){ 0xC8, 2, 8, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 11, &rc);
    assert_int_equal(rc, 0);
    uint8_t zb[sizeof(z)];
    memcpy(zb, &z, sizeof(z));
    assert_int_equal(zb[sizeof(z) - 1], 0x80); /* little-endian hosts */
}

/* Decodes payload at base; the last call must give err. */
static void expect_bad(const tern_path_t *base, const uint8_t *data, size_t len)
{
    tern_in_t in;
    tern_path_t path;
    int rc;
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, base, data, len), 0);
    for (int i = 0; (rc = tern_in_next(&in, &path)) == 1; i++)
        assert_true(i < 100);
    assert_int_equal(rc, -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_in_next(&in, &path), -TERN_COAP_BAD_REQUEST); /* sticky */
}

#define BAD(base, ...)                                                                             \
    do {                                                                                           \
        const uint8_t bytes_[] = { __VA_ARGS__ };                                                  \
        tern_path_t base_ = base;                                                                  \
        expect_bad(&base_, bytes_, sizeof(bytes_));                                                \
    } while (0)

static void test_malformed(void **state)
{
    (void)state;
    BAD(P(3, 0), 0xC8);                                     /* header cut short */
    BAD(P(3, 0), 0xC8, 0x00);                               /* length byte missing */
    BAD(P(3, 0), 0xE0, 0x00);                               /* 16-bit id cut short */
    BAD(P(3, 0), 0xC3, 0x00, 'a', 'b');                     /* value runs past the end */
    BAD(P(3, 0), 0xD0, 0x00, 0x00);                         /* 16-bit length cut short */
    BAD(P(3), 0x08, 0x00, 0x05, 0xC1, 0x00, 0x01);          /* instance past the end */
    BAD(P(3), 0x08, 0x00, 0x02, 0xC1, 0x00, 0x01);          /* child past its container */
    BAD(P(3), 0x08, 0x00, 0x04, 0xC1, 0x00, 0x01, 0xFF);    /* trailing byte in a container */
    BAD(P(3, 0), 0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01); /* multiple cut short */
    BAD(P(3, 0), 0xC9, 0x00, 0x01, 'a');                    /* length field and length bits */
    BAD(P(3, 0), 0xE1, 0xFF, 0xFF, 0x01);                   /* id 65535 */
    BAD(P(3, 0), 0xC1, 0x00, 0x01, 0x00);                   /* a lone trailing byte */
}

static void test_misplaced(void **state)
{
    (void)state;
    BAD(P(3, 0), 0x08, 0x01, 0x03, 0xC1, 0x00, 0x01);                   /* instance 1 at /3/0 */
    BAD(P(3, 0), 0x08, 0x00, 0x00, 0x08, 0x00, 0x00);                   /* two wrappers */
    BAD(P(3, 0), 0x08, 0x00, 0x03, 0xC1, 0x00, 0x01, 0xC1, 0x01, 0x02); /* and a resource */
    BAD(P(3, 0), 0xC1, 0x01, 0x02, 0x08, 0x00, 0x00);                /* resource, then a wrapper */
    BAD(P(3), 0xC1, 0x00, 0x01, 0x08, 0x00, 0x03, 0xC1, 0x00, 0x01); /* mixed top level */
    BAD(P(3), 0x08, 0x00, 0x03, 0xC1, 0x00, 0x01, 0xC1, 0x00, 0x01);
    BAD(P(3), 0x08, 0x00, 0x03, 0x08, 0x01, 0x00);          /* instance in an instance */
    BAD(P(3, 0), 0x41, 0x00, 0x01);                         /* resource instance at the top */
    BAD(P(3, 0), 0x83, 0x06, 0xC1, 0x00, 0x01);             /* resource in a multiple */
    BAD(P(3, 0), 0x82, 0x06, 0x80, 0x00);                   /* multiple in a multiple */
    BAD(P(3, 0), 0x08, 0x00, 0x03, 0x41, 0x00, 0x01);       /* resource instance in an instance */
    BAD(P(3, 0, 1), 0xC1, 0x02, 0x05);                      /* id 2 at /3/0/1 */
    BAD(P(3, 0, 1), 0xC1, 0x01, 0x05, 0xC1, 0x01, 0x06);    /* two at /3/0/1 */
    BAD(P(3, 0, 1), 0x08, 0x00, 0x03, 0xC1, 0x01, 0x05);    /* instance at /3/0/1 */
    BAD(P(3, 0, 1), 0x41, 0x00, 0x05);                      /* bare instance at /3/0/1 */
    BAD(P(3, 0, 1, 2), 0x41, 0x03, 0x05);                   /* id 3 at /3/0/1/2 */
    BAD(P(3, 0, 1, 2), 0xC1, 0x01, 0x05);                   /* resource at /3/0/1/2 */
    BAD(P(3, 0, 1, 2), 0x41, 0x02, 0x05, 0x41, 0x02, 0x05); /* two at /3/0/1/2 */
    BAD(ROOT, 0x08, 0x00, 0x00);                            /* TLV cannot name objects */
    BAD(ROOT, 0xC1, 0x00, 0x01);
}

static void test_accepted_forms(void **state)
{
    (void)state;
    /* any length-field width, 16-bit ids for small values, empty containers */
    const uint8_t wide[] = { 0xD8, 0x00, 0x00, 0x00, 0x02, 'a',  'b',  0xE0, 0x00,
                             0x05, 0x90, 0x07, 0x00, 0x00, 0x88, 0x08, 0x00 };
    const entry_t want[] = {
        { P(3, 0, 0), false, S, 0, "ab" },
        { P(3, 0, 5), false, S, 0, "" },
        { P(3, 0, 7), true, N, 0, NULL },
        { P(3, 0, 8), true, N, 0, NULL },
    };
    tern_path_t base = P(3, 0);
    expect_entries(&base, wide, sizeof(wide), want, 4);

    /* Create on /3 with no instance id: resources directly */
    const uint8_t create[] = { 0xC1, 0x09, 0x64, 0x83, 0x0B, 0x41, 0x00, 0x00 };
    const entry_t created[] = {
        { P(3, TERN_ID_NONE, 9), false, I, 100, NULL },
        { P(3, TERN_ID_NONE, 11), true, N, 0, NULL },
        { P(3, TERN_ID_NONE, 11, 0), false, I, 0, NULL },
    };
    base = P(3);
    expect_entries(&base, create, sizeof(create), created, 3);

    /* Write on a multiple resource, and on one resource instance */
    const uint8_t multi[] = { 0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05 };
    const entry_t multi_want[] = {
        { P(3, 0, 6), true, N, 0, NULL },
        { P(3, 0, 6, 0), false, I, 1, NULL },
        { P(3, 0, 6, 1), false, I, 5, NULL },
    };
    base = P(3, 0, 6);
    expect_entries(&base, multi, sizeof(multi), multi_want, 3);
    base = P(3, 0, 6, 1);
    expect_entries(&base, multi + 5, 3, multi_want + 2, 1);
    /* an empty payload has no entries */
    expect_entries(&base, NULL, 0, NULL, 0);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        uint8_t bytes[6];
        size_t len;
        tern_type_t type;
    } cases[] = {
        { { 0xC3, 1, 0, 0, 1 }, 5, TERN_TYPE_INTEGER },               /* 3 bytes */
        { { 0xC0, 1 }, 2, TERN_TYPE_INTEGER },                        /* empty */
        { { 0xC3, 1, 0, 0, 1 }, 5, TERN_TYPE_UNSIGNED },              /* 3 bytes */
        { { 0xC3, 1, 0, 0, 1 }, 5, TERN_TYPE_TIME },                  /* 3 bytes */
        { { 0xC2, 1, 0, 1 }, 4, TERN_TYPE_BOOLEAN },                  /* 2 bytes */
        { { 0xC1, 1, 2 }, 3, TERN_TYPE_BOOLEAN },                     /* 2 is no boolean */
        { { 0xC3, 1, 0, 0, 1 }, 5, TERN_TYPE_OBJLNK },                /* 3 bytes */
        { { 0xC1, 1, 0x80 }, 3, TERN_TYPE_STRING },                   /* not UTF-8 */
        { { 0xC2, 1, 0xC0, 0x80 }, 4, TERN_TYPE_STRING },             /* overlong */
        { { 0xC3, 1, 0xED, 0xA0, 0x80 }, 5, TERN_TYPE_CORELNK },      /* a surrogate */
        { { 0xC4, 1, 0xF4, 0x90, 0x80, 0x80 }, 6, TERN_TYPE_STRING }, /* > U+10FFFF */
        { { 0xC2, 1, 0xE2, 0x82 }, 4, TERN_TYPE_STRING },             /* cut short */
        { { 0xC3, 1, 0xE0, 0x9F, 0xBF }, 5, TERN_TYPE_STRING },       /* overlong, 3 bytes */
        { { 0xC4, 1, 0xF0, 0x8F, 0xBF, 0xBF }, 6, TERN_TYPE_STRING }, /* overlong, 4 bytes */
        { { 0xC3, 1, 0xED, 0xBF, 0xBF }, 5, TERN_TYPE_STRING },       /* the last surrogate */
        { { 0xC2, 1, 0xC3, 0x29 }, 4, TERN_TYPE_STRING },             /* no continuation */
        { { 0xC1, 1, 0xF8 }, 3, TERN_TYPE_STRING },                   /* no lead byte */
        { { 0xC1, 1, 0 }, 3, TERN_TYPE_NONE },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tern_in_t in;
        tern_path_t base = P(3, 0, 1);
        tern_path_t path;
        tern_value_t v;
        assert_int_equal(
            tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, cases[i].bytes, cases[i].len), 0);
        assert_int_equal(tern_in_next(&in, &path), 1);
        if (tern_in_value(&in, cases[i].type, &v) != -TERN_COAP_BAD_REQUEST)
            fail_msg("case %zu accepted", i);
    }
    /* good UTF-8: 2, 3 and 4 bytes, the smallest and largest of each
     * length, around the surrogates; and an opaque takes anything */
    const uint8_t utf8[] = { 0xC8, 1, 9, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80 };
    const uint8_t edges[] = { 0xC8, 1,    30,   0x7F, 0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80,
                              0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xEF, 0xBF, 0xBF, 0xF0, 0x90,
                              0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x00, 'a',  'b',  'c',  'd' };
    {
        tern_in_t e;
        tern_path_t eb = P(3, 0, 1);
        tern_path_t ep;
        tern_value_t ev;
        assert_int_equal(tern_in_init(&e, TERN_FORMAT_LWM2M_TLV, &eb, edges, sizeof(edges)), 0);
        assert_int_equal(tern_in_next(&e, &ep), 1);
        assert_int_equal(tern_in_value(&e, TERN_TYPE_STRING, &ev), 0);
        assert_int_equal(ev.v.bytes.len, 30);
    }
    tern_in_t in;
    tern_path_t base = P(3, 0, 1);
    tern_path_t path;
    tern_value_t v;
    assert_int_equal(tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, utf8, sizeof(utf8)), 0);
    assert_int_equal(tern_in_next(&in, &path), 1);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_STRING, &v), 0);
    assert_int_equal(v.v.bytes.len, 9);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), 0);
    assert_int_equal(tern_in_value(&in, TERN_TYPE_FLOAT, &v), -TERN_COAP_BAD_REQUEST);
}

static void test_encoder_contract(void **state)
{
    (void)state;
    uint8_t buf[64];
    tern_out_t out;
    tern_path_t base = P(3);
    tern_path_t inst = P(3, 0);
    tern_path_t res = P(3, 0, 1);
    tern_value_t v = { .type = TERN_TYPE_INTEGER, .v.i = 1 };
    assert_int_equal(tern_out_init(&out, 9999, &base, buf, sizeof(buf), 0),
                     -TERN_COAP_NOT_ACCEPTABLE);
    assert_int_equal(tern_out_finish(&out), -TERN_COAP_NOT_ACCEPTABLE);

    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
    tern_out_begin(&out, &inst); /* never ended */
    assert_int_equal(tern_out_finish(&out), TERN_ERR_ARG);
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
    tern_out_end(&out);
    assert_int_equal(tern_out_finish(&out), TERN_ERR_ARG);
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
    tern_out_value(&out, &inst, &v); /* a value needs a resource path */
    assert_int_equal(tern_out_finish(&out), TERN_ERR_ARG);
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
    v.type = TERN_TYPE_NONE;
    tern_out_value(&out, &res, &v);
    assert_int_equal(tern_out_finish(&out), TERN_ERR_ARG);
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
    tern_out_begin(&out, &inst);
    tern_out_begin(&out, &res);
    tern_out_begin(&out, &res); /* deeper than TERN_OUT_MAX_DEPTH */
    assert_int_equal(tern_out_finish(&out), TERN_ERR_ARG);

    /* a container over 65535 bytes cannot be written with 16 bits */
    static uint8_t big[70000];
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, NULL, 0, 0);
    tern_out_begin(&out, &inst);
    v = (tern_value_t){ .type = TERN_TYPE_OPAQUE, .v.bytes = { big, sizeof(big) } };
    tern_out_value(&out, &res, &v);
    tern_out_end(&out);
    assert_int_equal(tern_out_finish(&out), TERN_ERR_NO_SPACE);
}

/* ---- windowed output ---------------------------------------------------- */

/* Two instances of /3 with multiple resources and lengths past 255, in
 * every window the window holds. */
static int encode_sample(uint8_t *buf, size_t cap, size_t skip, size_t *total)
{
    static char text[600];
    memset(text, 'a', sizeof(text));
    tern_out_t out;
    tern_path_t base = P(3);
    tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, cap, skip);
    for (uint16_t iid = 0; iid < 2; iid++) {
        tern_path_t inst = P(3, iid);
        tern_out_begin(&out, &inst);
        write_device(&out, iid);
        tern_path_t res = P(3, iid, 20);
        tern_value_t v = { .type = TERN_TYPE_STRING,
                           .v.bytes = { (const uint8_t *)text, 300 + 200 * iid } };
        tern_out_value(&out, &res, &v);
        tern_path_t multi = P(3, iid, 21);
        tern_out_begin(&out, &multi);
        for (uint16_t ri = 0; ri < 40; ri++) {
            tern_path_t p = P(3, iid, 21, (uint16_t)(ri * 9));
            v = (tern_value_t){ .type = TERN_TYPE_INTEGER, .v.i = (int64_t)ri * 1000003 };
            tern_out_value(&out, &p, &v);
        }
        tern_out_end(&out);
        tern_out_end(&out);
    }
    *total = out.sink.pos;
    return tern_out_finish(&out);
}

static void test_windows(void **state)
{
    (void)state;
    static uint8_t full[4096];
    static uint8_t part[4096];
    size_t total;
    size_t t2;
    int n = encode_sample(full, sizeof(full), 0, &total);
    assert_true(n > 600 && (size_t)n == total);
    static const size_t caps[] = { 1, 2, 3, 4, 7, 16, 32, 64, 128, 256, 1024, 4096 };
    for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
        for (size_t skip = 0; skip <= total + 2; skip += (caps[c] < 16 ? 1 : caps[c] / 3)) {
            memset(part, 0xee, sizeof(part));
            int got = encode_sample(part, caps[c], skip, &t2);
            size_t want = skip >= total ? 0 : total - skip < caps[c] ? total - skip : caps[c];
            assert_int_equal(got, (int)want);
            assert_int_equal(t2, total);
            assert_memory_equal(part, full + (skip < total ? skip : 0), want);
            assert_int_equal(part[want], 0xee); /* nothing past the window */
        }
    }
    /* the whole payload decodes back: 2 instances, their containers closed */
    tern_in_t in;
    tern_path_t base = P(3);
    tern_path_t path;
    int entries = 0;
    int rc;
    tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, full, total);
    while ((rc = tern_in_next(&in, &path)) == 1)
        entries++;
    assert_int_equal(rc, 0);
    assert_int_equal(entries, 2 * (1 + 20 + 1 + 1 + 40));
}

/* Random trees: what is encoded at /O decodes to the same entries. */
static uint64_t rng_state = 88172645463325252u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static void test_random_round_trip(void **state)
{
    (void)state;
    static uint8_t buf[8192];
    static uint8_t blob[300];
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (uint8_t)rng();
    for (int round = 0; round < 300; round++) {
        entry_t want[200];
        int64_t ivals[200];
        size_t count = 0;
        tern_out_t out;
        tern_path_t base = P(1000);
        tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0);
        int ninst = (int)(rng() % 4);
        for (int k = 0; k < ninst; k++) {
            tern_path_t inst = P(1000, (uint16_t)(rng() % 65535));
            tern_out_begin(&out, &inst);
            want[count++] = (entry_t){ inst, false, N, 0, NULL };
            int nres = (int)(rng() % 8);
            for (int r = 0; r < nres; r++) {
                tern_path_t res = P(1000, inst.ids[1], (uint16_t)(rng() % 65535));
                bool multi = rng() % 3 == 0;
                int nval = multi ? (int)(rng() % 5) : 1;
                if (multi) {
                    tern_out_begin(&out, &res);
                    want[count++] = (entry_t){ res, true, N, 0, NULL };
                }
                for (int x = 0; x < nval; x++) {
                    tern_path_t p = res;
                    if (multi) {
                        p.ids[3] = (uint16_t)(rng() % 65535);
                        p.len = 4;
                    }
                    tern_value_t v;
                    int64_t iv = (int64_t)(((uint64_t)rng() << 32) | rng()) >> (rng() % 64);
                    if (rng() % 2) {
                        v = (tern_value_t){ .type = TERN_TYPE_INTEGER, .v.i = iv };
                        want[count] = (entry_t){ p, false, I, iv, NULL };
                    } else {
                        v = (tern_value_t){ .type = TERN_TYPE_OPAQUE,
                                            .v.bytes = { blob, rng() % sizeof(blob) } };
                        want[count] =
                            (entry_t){ p, false, TERN_TYPE_OPAQUE, (int64_t)v.v.bytes.len, NULL };
                    }
                    ivals[count++] = iv;
                    tern_out_value(&out, &p, &v);
                }
                if (multi)
                    tern_out_end(&out);
            }
            tern_out_end(&out);
        }
        int len = tern_out_finish(&out);
        assert_true(len >= 0);
        tern_in_t in;
        tern_path_t path;
        tern_value_t v;
        tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, buf, (size_t)len);
        for (size_t e = 0; e < count; e++) {
            assert_int_equal(tern_in_next(&in, &path), 1);
            assert_true(same_path(&path, &want[e].path));
            assert_int_equal(in.multiple, want[e].multiple);
            if (want[e].type == I) {
                assert_int_equal(tern_in_value(&in, I, &v), 0);
                assert_true(v.v.i == ivals[e]);
            } else if (want[e].type == TERN_TYPE_OPAQUE) {
                assert_int_equal(tern_in_value(&in, TERN_TYPE_OPAQUE, &v), 0);
                assert_int_equal(v.v.bytes.len, (size_t)want[e].i);
                assert_memory_equal(v.v.bytes.ptr, blob, v.v.bytes.len);
            }
        }
        assert_int_equal(tern_in_next(&in, &path), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_device_decode),
        cmocka_unit_test(test_spec_device_encode),
        cmocka_unit_test(test_spec_access_control),
        cmocka_unit_test(test_spec_server_and_objlnk),
        cmocka_unit_test(test_integer_sizes),
        cmocka_unit_test(test_other_values),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_misplaced),
        cmocka_unit_test(test_accepted_forms),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_encoder_contract),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_random_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
