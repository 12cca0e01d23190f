/*
 * Device Management operations (TS 5.4) and their response codes: Read,
 * Discover, Write, Write-Attributes, Execute, Create, Delete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>

#include "format/format.h"
#include "lwm2m/lwm2m.h"
#include "lwm2m_fixture.h"

static int setup(void **state)
{
    static fixture_t f;
    fixture_init(&f);
    fixture_register(&f);
    *state = &f;
    return 0;
}

static void get(fixture_t *f, const char *path, int32_t accept)
{
    req_opts_t o = { 0, -1, accept, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, path, &o);
}

static void put(fixture_t *f, const char *path, int32_t format, const void *payload, size_t len)
{
    req_opts_t o = { 0, format, -1, { NULL }, payload, len, false };
    request(f, TERN_COAP_PUT, path, &o);
}

static void post(fixture_t *f, const char *path, int32_t format, const void *payload, size_t len)
{
    req_opts_t o = { 0, format, -1, { NULL }, payload, len, false };
    request(f, TERN_COAP_POST, path, &o);
}

static void expect_text(fixture_t *f, const char *path, const char *text)
{
    get(f, path, TERN_FORMAT_TEXT);
    expect_code(f, TERN_COAP_CONTENT);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_TEXT);
    expect_payload(f, text);
}

static void test_read_text(void **state)
{
    fixture_t *f = *state;
    expect_text(f, "/9000/0/0", "hello");
    expect_text(f, "/9000/0/1", "-5");
    expect_text(f, "/9000/0/2", "1.5");
    expect_text(f, "/9000/0/3", "1");
    expect_text(f, "/9000/0/5", "1700000000");
    expect_text(f, "/9000/0/6", "3:0");
    expect_text(f, "/9000/0/9", "42");
    expect_text(f, "/9000/0/7/1", "20");
    expect_text(f, "/3/0/0", "Tern");
    expect_text(f, "/1/0/1", "300");
    /* no Accept: plain text for a single value, opaque for opaque */
    get(f, "/9000/0/1", -1);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_TEXT);
    expect_payload(f, "-5");
    get(f, "/9000/0/4", -1);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_OPAQUE);
    expect_payload(f, "\x01\x02\x03");
}

/* Decodes f->msg's TLV payload and returns the integer at path, or fails. */
static int64_t tlv_int(fixture_t *f, const tern_path_t *base, const tern_path_t *want)
{
    tern_in_t in;
    tern_path_t p;
    assert_int_equal(
        tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, base, f->msg.payload, f->msg.payload_len), 0);
    while (tern_in_next(&in, &p) == 1) {
        if (p.len == want->len && memcmp(p.ids, want->ids, p.len * sizeof(uint16_t)) == 0
            && !in.multiple) {
            tern_value_t v;
            assert_int_equal(tern_in_value(&in, TERN_TYPE_INTEGER, &v), 0);
            return v.v.i;
        }
    }
    fail_msg("path not in the TLV payload");
    return 0;
}

static void test_read_tlv(void **state)
{
    fixture_t *f = *state;
    tern_path_t inst = tern_path(2, TEST_OID, 0, 0, 0);
    get(f, "/9000/0", TERN_FORMAT_LWM2M_TLV);
    expect_code(f, TERN_COAP_CONTENT);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LWM2M_TLV);
    /* the first resource: type 11, 8-bit id 0, length 5 in the type byte */
    const uint8_t first[] = { 0xc5, 0x00, 'h', 'e', 'l', 'l', 'o' };
    assert_memory_equal(f->msg.payload, first, sizeof(first));
    tern_path_t r1 = tern_path(3, TEST_OID, 0, TR_INT, 0);
    assert_int_equal(tlv_int(f, &inst, &r1), -5);
    tern_path_t m1 = tern_path(4, TEST_OID, 0, TR_MULTI, 1);
    assert_int_equal(tlv_int(f, &inst, &m1), 20);
    tern_path_t ro = tern_path(3, TEST_OID, 0, TR_RO, 0);
    assert_int_equal(tlv_int(f, &inst, &ro), 42);

    /* whole object: one object-instance TLV around the resources */
    get(f, "/9000", TERN_FORMAT_LWM2M_TLV);
    expect_code(f, TERN_COAP_CONTENT);
    assert_int_equal(f->msg.payload[0] >> 6, 0); /* object instance */
    tern_path_t obj = tern_path(1, TEST_OID, 0, 0, 0);
    assert_int_equal(tlv_int(f, &obj, &r1), -5);

    /* a multiple resource alone, with no Accept: TLV */
    get(f, "/9000/0/7", -1);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LWM2M_TLV);
    tern_path_t multi = tern_path(3, TEST_OID, 0, TR_MULTI, 0);
    tern_path_t m0 = tern_path(4, TEST_OID, 0, TR_MULTI, 0);
    assert_int_equal(tlv_int(f, &multi, &m0), 10);
}

static void test_read_errors(void **state)
{
    fixture_t *f = *state;
    get(f, "/9999", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/3", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0/99", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0/11", -1); /* optional and absent */
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0/7/3", -1); /* no such resource instance */
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0/1/0", -1); /* a single resource has no instances */
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/x", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    /* path ids are digits only, 0..65534, at most four of them */
    get(f, "/9000/+0", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0x", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/65535", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/000000", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    get(f, "/9000/0/7/0/0", -1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    expect_text(f, "/09000/00000/01", "-5");
    get(f, "/9000/0/8", -1); /* executable */
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    get(f, "/9000/0/10", -1); /* write-only */
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    get(f, "/9000/0/1", 9999);
    expect_code(f, TERN_COAP_NOT_ACCEPTABLE);
    get(f, "/9000/0", TERN_FORMAT_TEXT); /* text carries one value */
    expect_code(f, TERN_COAP_NOT_ACCEPTABLE);
    get(f, "/9000/0/1", TERN_FORMAT_OPAQUE);
    expect_code(f, TERN_COAP_NOT_ACCEPTABLE);
    get(f, "/0/0", -1); /* the Security object is not for management servers */
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    get(f, "/", -1);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
}

static void test_write(void **state)
{
    fixture_t *f = *state;
    put(f, "/9000/0/1", TERN_FORMAT_TEXT, "77", 2);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].integer, 77);
    put(f, "/9000/0/2", TERN_FORMAT_TEXT, "-0.25", 5);
    expect_code(f, TERN_COAP_CHANGED);
    assert_true(f->obj.inst[0].real == (tern_float_t)-0.25);
    put(f, "/9000/0/0", -1, "plain", 5); /* no Content-Format: plain text */
    expect_code(f, TERN_COAP_CHANGED);
    assert_string_equal(f->obj.inst[0].string, "plain");
    put(f, "/9000/0/6", TERN_FORMAT_TEXT, "1:2", 3);
    assert_int_equal(f->obj.inst[0].lnk.oid, 1);
    assert_int_equal(f->obj.inst[0].lnk.iid, 2);
    put(f, "/9000/0/4", TERN_FORMAT_OPAQUE, "\xff\x00", 2);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].opaque_len, 2);
    /* opaque in plain text is base64 (TS 1.0.2 appendix C) */
    put(f, "/9000/0/4", TERN_FORMAT_TEXT, "AQIDBAU=", 8);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].opaque_len, 5);
    assert_memory_equal(f->obj.inst[0].opaque, "\x01\x02\x03\x04\x05", 5);
    expect_text(f, "/9000/0/4", "AQIDBAU=");
    put(f, "/9000/0/4", TERN_FORMAT_TEXT, "AQIDBAU", 7);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    put(f, "/9000/0/10", TERN_FORMAT_TEXT, "9", 1); /* write-only is writable */
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].wo, 9);

    /* TLV, one resource: type 11, id 1, length 1, value 5 */
    const uint8_t tlv[] = { 0xc1, 0x01, 0x05 };
    put(f, "/9000/0/1", TERN_FORMAT_LWM2M_TLV, tlv, sizeof(tlv));
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].integer, 5);
}

static void test_write_errors(void **state)
{
    fixture_t *f = *state;
    put(f, "/9000/0/9", TERN_FORMAT_TEXT, "1", 1); /* read-only */
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    put(f, "/9000/0/8", TERN_FORMAT_TEXT, "1", 1); /* executable */
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    put(f, "/9000/0/1", 9999, "1", 1);
    expect_code(f, TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);
    put(f, "/9000/0/1", TERN_FORMAT_TEXT, "abc", 3);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    put(f, "/9000/0/3", TERN_FORMAT_TEXT, "2", 1);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    const uint8_t truncated[] = { 0xc4, 0x01, 0x05 };
    put(f, "/9000/0/1", TERN_FORMAT_LWM2M_TLV, truncated, sizeof(truncated));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    const uint8_t wrong_id[] = { 0xc1, 0x02, 0x05 };
    put(f, "/9000/0/1", TERN_FORMAT_LWM2M_TLV, wrong_id, sizeof(wrong_id));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    put(f, "/9000/5/1", TERN_FORMAT_TEXT, "1", 1);
    expect_code(f, TERN_COAP_NOT_FOUND);
    put(f, "/9000", TERN_FORMAT_LWM2M_TLV, "\xc1\x01\x05", 3); /* no Write on objects */
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    assert_int_equal(f->obj.inst[0].integer, -5); /* nothing was changed */
    /* the server's own writes cannot exceed what the object accepts */
    put(f, "/9000/0/0", TERN_FORMAT_TEXT, "0123456789012345678901234567890123", 34);
    expect_code(f, TERN_COAP_BAD_REQUEST);
}

/* Partial update writes all or nothing. */
static void test_partial_update(void **state)
{
    fixture_t *f = *state;
    const uint8_t ok[] = { 0xc1, 0x01, 0x07, 0xc1, 0x03, 0x00 };
    post(f, "/9000/0", TERN_FORMAT_LWM2M_TLV, ok, sizeof(ok));
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].integer, 7);
    assert_false(f->obj.inst[0].boolean);
    assert_true(f->obj.inst[0].multi_used[0]); /* untouched */
    /* the second entry is read-only: the first must not be applied */
    const uint8_t bad[] = { 0xc1, 0x01, 0x08, 0xc1, 0x09, 0x01 };
    post(f, "/9000/0", TERN_FORMAT_LWM2M_TLV, bad, sizeof(bad));
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    assert_int_equal(f->obj.inst[0].integer, 7);
    /* a value the object refuses (a 33-byte string): nothing is applied */
    uint8_t refused[64] = { 0xc1, 0x01, 0x09, 0xc8, 0x00, 33 };
    memset(refused + 6, 'x', 33);
    post(f, "/9000/0", TERN_FORMAT_LWM2M_TLV, refused, 6 + 33);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    assert_int_equal(f->obj.inst[0].integer, 7);
    const uint8_t unknown[] = { 0xc1, 0x63, 0x08 };
    post(f, "/9000/0", TERN_FORMAT_LWM2M_TLV, unknown, sizeof(unknown));
    expect_code(f, TERN_COAP_NOT_FOUND);
}

/* Replace of a multiple resource drops the instances not in the payload. */
static void test_replace_multiple(void **state)
{
    fixture_t *f = *state;
    /* type 10 (multiple resource), id 7, length 3: one instance 2 = 99 */
    const uint8_t tlv[] = { 0x83, 0x07, 0x41, 0x02, 0x63 };
    put(f, "/9000/0/7", TERN_FORMAT_LWM2M_TLV, tlv, sizeof(tlv));
    expect_code(f, TERN_COAP_CHANGED);
    assert_false(f->obj.inst[0].multi_used[0]);
    assert_false(f->obj.inst[0].multi_used[1]);
    assert_true(f->obj.inst[0].multi_used[2]);
    assert_int_equal(f->obj.inst[0].multi[2], 99);
    put(f, "/9000/0/7", TERN_FORMAT_TEXT, "1", 1); /* text cannot carry it */
    expect_code(f, TERN_COAP_BAD_REQUEST);
}

static void test_execute(void **state)
{
    fixture_t *f = *state;
    post(f, "/9000/0/8", TERN_FORMAT_TEXT, "0='on',1", 8);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.executed, 1);
    assert_string_equal(f->obj.exec_args, "0='on',1");
    post(f, "/9000/0/8", -1, NULL, 0);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->obj.executed, 2);
    const char *bad[] = { "x", "0='a", "0=a", "0,", "10", "0='a'1" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        post(f, "/9000/0/8", TERN_FORMAT_TEXT, bad[i], strlen(bad[i]));
        expect_code(f, TERN_COAP_BAD_REQUEST);
    }
    assert_int_equal(f->obj.executed, 2);
    post(f, "/9000/0/1", TERN_FORMAT_TEXT, NULL, 0);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    post(f, "/9000/0/99", TERN_FORMAT_TEXT, NULL, 0);
    expect_code(f, TERN_COAP_NOT_FOUND);
    /* the fake port has no reboot hook: Reboot is not allowed */
    post(f, "/3/0/4", -1, NULL, 0);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
}

static void test_create_delete(void **state)
{
    fixture_t *f = *state;
    /* resources only: the client picks the instance id (1) */
    const uint8_t res_only[] = { 0xc1, 0x01, 0x0b };
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, res_only, sizeof(res_only));
    expect_code(f, TERN_COAP_CREATED);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_LOCATION_PATH, "/9000/1"));
    assert_int_equal(f->obj.inst[1].integer, 11);
    assert_int_equal(f->obj.base.n_iids, 2);
    /* the Update announcing the instance */
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
    answer(f, TERN_COAP_CHANGED, NULL);
    /* with an object-instance TLV naming id 3 */
    const uint8_t with_id[] = { 0x03, 0x03, 0xc1, 0x01, 0x0c };
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, with_id, sizeof(with_id));
    expect_code(f, TERN_COAP_CREATED);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_LOCATION_PATH, "/9000/3"));
    assert_int_equal(f->obj.inst[3].integer, 12);
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_CHANGED, NULL);
    /* an existing id */
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, with_id, sizeof(with_id));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    /* a read-only resource may be given a value at creation */
    const uint8_t read_only[] = { 0xc1, 0x09, 0x01 };
    int created = f->obj.created;
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, read_only, sizeof(read_only));
    expect_code(f, TERN_COAP_CREATED);
    assert_int_equal(f->obj.created, created + 1);
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_CHANGED, NULL);
    /* a bad payload creates nothing: checked before the object is asked */
    created = f->obj.created;
    const uint8_t garbage[] = { 0xc9, 0x01 };
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, garbage, sizeof(garbage));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    const uint8_t executable[] = { 0xc1, 0x08, 0x01 };
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, executable, sizeof(executable));
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    assert_int_equal(f->obj.created, created);
    post(f, "/3", TERN_FORMAT_LWM2M_TLV, res_only, sizeof(res_only));
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    post(f, "/9999", TERN_FORMAT_LWM2M_TLV, res_only, sizeof(res_only));
    expect_code(f, TERN_COAP_NOT_FOUND);
    post(f, "/9000", 9999, res_only, sizeof(res_only));
    expect_code(f, TERN_COAP_UNSUPPORTED_CONTENT_FORMAT);

    request(f, TERN_COAP_DELETE, "/9000/1", NULL);
    expect_code(f, TERN_COAP_DELETED);
    assert_int_equal(tern_dm_instance_index(&f->obj.base, 1), -1);
    expect_sent(f); /* the Update announcing the removal */
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
    answer(f, TERN_COAP_CHANGED, NULL);
    request(f, TERN_COAP_DELETE, "/9000/1", NULL);
    expect_code(f, TERN_COAP_NOT_FOUND);
    request(f, TERN_COAP_DELETE, "/9000", NULL);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    request(f, TERN_COAP_DELETE, "/9000/0/1", NULL);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    request(f, TERN_COAP_DELETE, "/3/0", NULL);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    /* an empty payload names no instance: the lowest free id, 1 again */
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, NULL, 0);
    expect_code(f, TERN_COAP_CREATED);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_LOCATION_PATH, "/9000/1"));
    assert_int_equal(tern_dm_instance_index(&f->obj.base, 1), 1);
}

/* A Create that fails undoes itself; one with no room creates nothing. */
static void test_create_undone(void **state)
{
    fixture_t *f = *state;
    /* an opaque value the check accepts and the write refuses (17 bytes) */
    uint8_t too_long[3 + 17] = { 0xc8, 0x04, 17 };
    int created = f->obj.created;
    int removed = f->obj.removed;
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, too_long, sizeof(too_long));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    assert_int_equal(f->obj.created, created + 1);
    assert_int_equal(f->obj.removed, removed + 1);
    assert_int_equal(f->obj.base.n_iids, 1);
    assert_int_equal(tern_dm_instance_index(&f->obj.base, 1), -1);
    /* fill the object (instances 1..3), then one too many */
    const uint8_t res_only[] = { 0xc1, 0x01, 0x0b };
    for (int i = 1; i < TEST_MAX_INST; i++) {
        post(f, "/9000", TERN_FORMAT_LWM2M_TLV, res_only, sizeof(res_only));
        expect_code(f, TERN_COAP_CREATED);
        fixture_step(f);
        expect_sent(f);
        answer(f, TERN_COAP_CHANGED, NULL);
    }
    assert_int_equal(f->obj.base.n_iids, TEST_MAX_INST);
    created = f->obj.created;
    post(f, "/9000", TERN_FORMAT_LWM2M_TLV, res_only, sizeof(res_only));
    expect_code(f, TERN_COAP_BAD_REQUEST);
    assert_int_equal(f->obj.created, created);
    assert_int_equal(f->obj.base.n_iids, TEST_MAX_INST);
}

static void attrs(fixture_t *f, const char *path, const char *q1, const char *q2)
{
    req_opts_t o = { 0, -1, -1, { q1, q2, NULL }, NULL, 0, false };
    request(f, TERN_COAP_PUT, path, &o);
}

static void test_discover_and_attributes(void **state)
{
    fixture_t *f = *state;
    get(f, "/9000/0", TERN_FORMAT_LINK);
    expect_code(f, TERN_COAP_CONTENT);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LINK);
    expect_payload(f, "</9000/0>,</9000/0/0>,</9000/0/1>,</9000/0/2>,</9000/0/3>,</9000/0/4>,"
                      "</9000/0/5>,</9000/0/6>,</9000/0/7>;dim=2,</9000/0/8>,</9000/0/9>,"
                      "</9000/0/10>");
    attrs(f, "/9000/0", "pmin=10", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    attrs(f, "/9000/0/1", "gt=5", "pmax=60");
    expect_code(f, TERN_COAP_CHANGED);
    get(f, "/9000/0/1", TERN_FORMAT_LINK);
    expect_payload(f, "</9000/0/1>;pmin=10;pmax=60;gt=5"); /* inherited pmin */
    get(f, "/9000/0/7", TERN_FORMAT_LINK);
    expect_payload(f, "</9000/0/7>;dim=2;pmin=10");
    /* every attribute, in the order pmin, pmax, gt, lt, st */
    req_opts_t all = { 0, -1, -1, { "st=0.5", "lt=1", "pmax=70", "gt=4", NULL }, NULL, 0, false };
    request(f, TERN_COAP_PUT, "/9000/0/2", &all);
    expect_code(f, TERN_COAP_CHANGED);
    get(f, "/9000/0/2", TERN_FORMAT_LINK);
    expect_payload(f, "</9000/0/2>;pmin=10;pmax=70;gt=4;lt=1;st=0.5");
    get(f, "/9000", TERN_FORMAT_LINK);
    assert_true(f->msg.payload_len > 0);
    assert_memory_equal(f->msg.payload, "</9000>,</9000/0>;pmin=10,</9000/0/0>", 37);
    /* cancelling an attribute: a name without a value */
    attrs(f, "/9000/0/1", "gt", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    get(f, "/9000/0/1", TERN_FORMAT_LINK);
    expect_payload(f, "</9000/0/1>;pmin=10;pmax=60");
    get(f, "/9000/0/7/0", TERN_FORMAT_LINK);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    get(f, "/9000/0/11", TERN_FORMAT_LINK); /* absent optional resource */
    expect_code(f, TERN_COAP_NOT_FOUND);
}

static void test_attribute_errors(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0/0", "gt=5", NULL); /* gt on a string */
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "pmin=10", "pmax=5");
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "lt=10", "gt=5");
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "foo=1", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "pmin=-1", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "st=-1", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "dim=3", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    /* names match whole: neither a prefix, nor longer, nor empty */
    attrs(f, "/9000/0/1", "pmi=3", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "g", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "pminx=3", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "=3", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/0/1", "stt", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    attrs(f, "/9000/7", "pmin=1", NULL);
    expect_code(f, TERN_COAP_NOT_FOUND);
    /* the pool is finite: the next path past TERN_MAX_ATTRS gets 5.00 */
    char path[32];
    for (int i = 0; i < TERN_MAX_ATTRS; i++) {
        snprintf(path, sizeof(path), "/9000/0/%d", i < 3 ? i + 1 : i + 2);
        attrs(f, path, "pmax=100", NULL);
        expect_code(f, TERN_COAP_CHANGED);
    }
    attrs(f, "/9000/0/9", "pmax=100", NULL);
    expect_code(f, TERN_COAP_INTERNAL_SERVER_ERROR);
    /* with neither payload nor query, a PUT is a bad request */
    request(f, TERN_COAP_PUT, "/9000/0/1", NULL);
    expect_code(f, TERN_COAP_BAD_REQUEST);
}

/* RFC 7252 5.10.8 with no ETags: If-Match "" = exists, If-None-Match = absent. */
static void conditional_put(fixture_t *f, const char *path, uint16_t option, const char *etag,
                            uint8_t expected)
{
    uint8_t buf[64];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_PUT, f->next_mid++, NULL, 0);
    if (option < TERN_COAP_OPT_URI_PATH)
        tern_coap_write_option(&w, option, etag, strlen(etag));
    const char *p = path + 1;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        tern_coap_write_option(&w, TERN_COAP_OPT_URI_PATH, p, n);
        p += n + (slash != NULL);
    }
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_TEXT);
    tern_coap_write_payload(&w, "3", 1);
    fake_port_push(&f->fp, 0, &f->server, buf, (size_t)tern_coap_writer_finish(&w));
    fixture_step(f);
    expect_sent(f);
    expect_code(f, expected);
}

static void test_preconditions(void **state)
{
    fixture_t *f = *state;
    conditional_put(f, "/9000/0/1", TERN_COAP_OPT_IF_MATCH, "", TERN_COAP_CHANGED);
    conditional_put(f, "/9000/0/1", TERN_COAP_OPT_IF_MATCH, "\x01\x02",
                    TERN_COAP_PRECONDITION_FAILED);
    conditional_put(f, "/9000/0/1", TERN_COAP_OPT_IF_NONE_MATCH, "", TERN_COAP_PRECONDITION_FAILED);
    conditional_put(f, "/9000/0/1", TERN_COAP_OPT_URI_PATH, "", TERN_COAP_CHANGED);
    assert_int_equal(f->obj.inst[0].integer, 3);
}

static void test_unsupported_methods(void **state)
{
    fixture_t *f = *state;
    request(f, TERN_COAP_FETCH, "/9000/0", NULL);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    post(f, "/9000/0/7/1", TERN_FORMAT_TEXT, "1", 1);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_read_text, setup),
        cmocka_unit_test_setup(test_read_tlv, setup),
        cmocka_unit_test_setup(test_read_errors, setup),
        cmocka_unit_test_setup(test_write, setup),
        cmocka_unit_test_setup(test_write_errors, setup),
        cmocka_unit_test_setup(test_partial_update, setup),
        cmocka_unit_test_setup(test_replace_multiple, setup),
        cmocka_unit_test_setup(test_execute, setup),
        cmocka_unit_test_setup(test_create_delete, setup),
        cmocka_unit_test_setup(test_create_undone, setup),
        cmocka_unit_test_setup(test_discover_and_attributes, setup),
        cmocka_unit_test_setup(test_attribute_errors, setup),
        cmocka_unit_test_setup(test_preconditions, setup),
        cmocka_unit_test_setup(test_unsupported_methods, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
