/*
 * The Security object's keys (resources 3, 4 and 5) through its
 * callbacks: stored and read back in a build with key storage; in a
 * build without (TERN_MAX_IDENTITY, TERN_MAX_SECRET and
 * TERN_MAX_SERVER_KEY all 0) every key reads empty and only an empty
 * write is taken. Server writes, and that a management server may
 * neither create nor delete Security and Server instances, also in a
 * build without bootstrap and persistence, which leaves out what only
 * they reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/lwm2m.h"
#include "lwm2m_fixture.h"

static tern_value_t bytes(const char *s, size_t len)
{
    tern_value_t v = { TERN_TYPE_OPAQUE, { .i = 0 } };
    v.v.bytes.ptr = (const uint8_t *)s;
    v.v.bytes.len = len;
    return v;
}

/* A write of the key at rid of Security instance 0: the check alone and
 * the write must agree. */
static int write_key(fixture_t *f, uint16_t rid, const tern_value_t *v)
{
    tern_path_t p = tern_path(3, 0, 0, rid, 0);
    const tern_object_ops_t *ops = f->client.security_obj.def->ops;
    int rc = ops->write(&f->client, NULL, &p, v);
    int wrc = ops->write(&f->client, &f->client.security_obj, &p, v);
    assert_int_equal(rc, wrc);
    return wrc;
}

static tern_value_t read_key(fixture_t *f, uint16_t rid)
{
    tern_path_t p = tern_path(3, 0, 0, rid, 0);
    tern_value_t v;
    memset(&v, 0, sizeof(v));
    v.type = TERN_TYPE_OPAQUE;
    assert_int_equal(
        f->client.security_obj.def->ops->read(&f->client, &f->client.security_obj, &p, &v), 0);
    return v;
}

static void test_keys(void **state)
{
    (void)state;
    static fixture_t f;
    fixture_init(&f);
    static const uint16_t rids[] = { 3, 4, 5 };
    static const size_t caps[] = { TERN_MAX_IDENTITY, TERN_MAX_SERVER_KEY, TERN_MAX_SECRET };
    for (size_t k = 0; k < 3; k++) {
        tern_value_t v = read_key(&f, rids[k]);
        assert_int_equal(v.v.bytes.len, 0);
        assert_non_null(v.v.bytes.ptr);
#if TERN_WITH_BOOTSTRAP || TERN_WITH_PERSISTENCE /* the only writers of Security */
        v = bytes("", 0);
        assert_int_equal(write_key(&f, rids[k], &v), 0);
        assert_int_equal(read_key(&f, rids[k]).v.bytes.len, 0);
        v = bytes("k", 1);
        if (caps[k] == 0) {
            assert_int_equal(write_key(&f, rids[k], &v), -TERN_COAP_BAD_REQUEST);
            assert_int_equal(read_key(&f, rids[k]).v.bytes.len, 0);
        } else {
            assert_int_equal(write_key(&f, rids[k], &v), 0);
            tern_value_t r = read_key(&f, rids[k]);
            assert_int_equal(r.v.bytes.len, 1);
            assert_memory_equal(r.v.bytes.ptr, "k", 1);
        }
#else
        (void)caps;
        (void)write_key;
#endif
    }
    /* the rest of the instance is untouched */
    const tern_security_inst_t *sec = &f.client.security[0];
    assert_int_equal(sec->mode, TERN_SEC_NOSEC);
    assert_string_equal(sec->uri, "coap://10.0.0.1:5683");
}

/* A Server write through the callbacks: checked, stored, and what the
 * next Update carries noted. */
static void test_server_write(void **state)
{
    (void)state;
    static fixture_t f;
    fixture_init(&f);
    tern_server_inst_t *srv = &f.client.servers[0];
    const tern_object_ops_t *ops = f.client.server_obj.def->ops;
    tern_path_t p = tern_path(3, 1, 0, 1, 0);
    tern_value_t v = { TERN_TYPE_INTEGER, { .i = 0 } };
    srv->update_what = 0;
    assert_int_equal(ops->write(&f.client, NULL, &p, &v), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(ops->write(&f.client, &f.client.server_obj, &p, &v), -TERN_COAP_BAD_REQUEST);
    v.v.i = 60;
    assert_int_equal(ops->write(&f.client, &f.client.server_obj, &p, &v), 0);
    assert_int_equal(srv->lifetime_s, 60);
    assert_int_equal(srv->update_what, TERN_UPD_LIFETIME);
    p.ids[2] = 2; /* pmin: no Update */
    assert_int_equal(ops->write(&f.client, &f.client.server_obj, &p, &v), 0);
    assert_int_equal(srv->pmin_s, 60);
    assert_int_equal(srv->update_what, TERN_UPD_LIFETIME);
    p.ids[2] = 7;
    v = bytes("X", 1);
    v.type = TERN_TYPE_STRING;
    assert_int_equal(ops->write(&f.client, NULL, &p, &v), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(ops->write(&f.client, &f.client.server_obj, &p, &v), -TERN_COAP_BAD_REQUEST);
    v = bytes("UQ", 2);
    v.type = TERN_TYPE_STRING;
    assert_int_equal(ops->write(&f.client, &f.client.server_obj, &p, &v), 0);
    assert_string_equal(srv->binding, "UQ");
    assert_int_equal(srv->update_what, TERN_UPD_LIFETIME | TERN_UPD_BINDING);
}

static void test_no_create_delete(void **state)
{
    (void)state;
    static fixture_t f;
    fixture_init(&f);
    fixture_register(&f);
    static const char *const paths[] = { "/0", "/1" };
    for (size_t k = 0; k < 2; k++) {
        req_opts_t o = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, NULL, 0, false };
        request(&f, TERN_COAP_POST, paths[k], &o);
        expect_code(&f, TERN_COAP_UNAUTHORIZED);
    }
    request(&f, TERN_COAP_DELETE, "/1/0", NULL);
    expect_code(&f, TERN_COAP_UNAUTHORIZED);
    request(&f, TERN_COAP_DELETE, "/0/0", NULL);
    expect_code(&f, TERN_COAP_UNAUTHORIZED);
    assert_int_equal(f.client.server_obj.n_iids, 1);
    assert_int_equal(f.client.security_obj.n_iids, 1);
    assert_true(f.client.servers[0].used);
}

/* Registration Update Trigger and Disable act on the server's own
 * registration (in the paper-like build, its only slot). */
static void test_server_execute(void **state)
{
    (void)state;
    static fixture_t f;
    fixture_init(&f);
    fixture_register(&f);
    request(&f, TERN_COAP_POST, "/1/0/8", NULL);
    expect_code(&f, TERN_COAP_CHANGED);
    fixture_step(&f);
    expect_sent(&f);
    assert_int_equal(f.msg.code, TERN_COAP_POST);
    answer(&f, TERN_COAP_CHANGED, NULL);
    request(&f, TERN_COAP_POST, "/1/0/4", NULL);
    expect_code(&f, TERN_COAP_CHANGED);
    fixture_step(&f);
    expect_sent(&f);
    assert_int_equal(f.msg.code, TERN_COAP_DELETE);
    answer(&f, TERN_COAP_DELETED, NULL);
    assert_int_equal(tern_registration_state(&f.client, 0), TERN_REG_DISABLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_server_write),
        cmocka_unit_test(test_server_execute),
        cmocka_unit_test(test_no_create_delete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
