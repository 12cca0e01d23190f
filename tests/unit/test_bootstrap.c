/*
 * Bootstrap (TS 5.2), access control with two servers (TS 7.3) and the
 * stored configuration: client- and server-initiated bootstrap, the
 * Bootstrap-Finish consistency checks, Bootstrap-Discover, fallback to
 * bootstrap, ACL decisions, save/restore and a corrupt image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/crc32.h"
#include "format/format.h"
#include "lwm2m/lwm2m.h"
#include "lwm2m_fixture.h"

static int setup_bs(void **state)
{
    static fixture_t f;
    fixture_init_bootstrap(&f, 0);
    *state = &f;
    return 0;
}

static size_t encode(uint8_t *buf, size_t cap, const tern_path_t *base, const tern_path_t *paths,
                     const tern_value_t *values, size_t n)
{
    tern_out_t out;
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, base, buf, cap, 0), 0);
    for (size_t i = 0; i < n; i++)
        tern_out_value(&out, &paths[i], &values[i]);
    int len = tern_out_finish(&out);
    assert_true(len > 0);
    return (size_t)len;
}

static tern_value_t str(const char *s)
{
    tern_value_t v = { TERN_TYPE_STRING, { 0 } };
    v.v.bytes.ptr = (const uint8_t *)s;
    v.v.bytes.len = strlen(s);
    return v;
}

static tern_value_t num(int64_t i)
{
    tern_value_t v = { TERN_TYPE_INTEGER, { 0 } };
    v.v.i = i;
    return v;
}

static tern_value_t flag(bool b)
{
    tern_value_t v = { TERN_TYPE_BOOLEAN, { 0 } };
    v.v.b = b;
    return v;
}

/* Bootstrap-Write of a Security instance for server ssid at uri. */
static void write_security(fixture_t *f, uint16_t iid, const char *uri, uint16_t ssid)
{
    uint8_t buf[128];
    tern_path_t base = tern_path(2, 0, iid, 0, 0);
    tern_path_t paths[] = { tern_path(3, 0, iid, 0, 0), tern_path(3, 0, iid, 1, 0),
                            tern_path(3, 0, iid, 2, 0), tern_path(3, 0, iid, 10, 0) };
    tern_value_t values[] = { str(uri), flag(false), num(TERN_SEC_NOSEC), num(ssid) };
    size_t n = encode(buf, sizeof(buf), &base, paths, values, 4);
    char path[16];
    snprintf(path, sizeof(path), "/0/%u", iid);
    req_opts_t o = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, buf, n, false };
    request(f, TERN_COAP_PUT, path, &o);
}

static void write_server(fixture_t *f, uint16_t iid, uint16_t ssid, int64_t lifetime)
{
    uint8_t buf[64];
    tern_path_t base = tern_path(2, 1, iid, 0, 0);
    tern_path_t paths[] = { tern_path(3, 1, iid, 0, 0), tern_path(3, 1, iid, 1, 0),
                            tern_path(3, 1, iid, 7, 0) };
    tern_value_t values[] = { num(ssid), num(lifetime), str("U") };
    size_t n = encode(buf, sizeof(buf), &base, paths, values, 3);
    char path[16];
    snprintf(path, sizeof(path), "/1/%u", iid);
    req_opts_t o = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, buf, n, false };
    request(f, TERN_COAP_PUT, path, &o);
}

/* Runs the client-initiated start: the Bootstrap-Request, answered 2.04. */
static void request_bootstrap(fixture_t *f)
{
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/bs"));
    assert_true(msg_has_query(&f->msg, "ep=dev1"));
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_BOOTSTRAPPING);
    answer(f, TERN_COAP_CHANGED, NULL);
}

static void finish(fixture_t *f, uint8_t expected)
{
    request(f, TERN_COAP_POST, "/bs", NULL);
    expect_code(f, expected);
}

/* A full bootstrap: delete, one account, finish; the client then registers. */
static void bootstrap_one_server(fixture_t *f)
{
    request_bootstrap(f);
    request(f, TERN_COAP_DELETE, "/", NULL);
    expect_code(f, TERN_COAP_DELETED);
    write_security(f, 1, "coap://10.0.0.1:5683", 1);
    expect_code(f, TERN_COAP_CHANGED);
    write_server(f, 0, 1, 60);
    expect_code(f, TERN_COAP_CHANGED);
    finish(f, TERN_COAP_CHANGED);
}

static void test_client_initiated(void **state)
{
    fixture_t *f = *state;
    bootstrap_one_server(f);
    /* the configuration was saved, then the client registers */
    assert_int_equal(f->fp.saves, 1);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    assert_true(msg_has_query(&f->msg, "lt=60"));
    f->conn = 1; /* the new server's connection */
    answer(f, TERN_COAP_CREATED, "rd/x");
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
    /* the management server cannot see the Security object... */

    req_opts_t o = { 0, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/0/1/0", &o);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    /* ...nor create or delete Server instances */
    request(f, TERN_COAP_DELETE, "/1/0", NULL);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    request(f, TERN_COAP_GET, "/1/0/1", &o);
    expect_code(f, TERN_COAP_CONTENT);
    expect_payload(f, "60");
}

static void test_finish_checks_consistency(void **state)
{
    fixture_t *f = *state;
    request_bootstrap(f);
    finish(f, TERN_COAP_NOT_ACCEPTABLE); /* no server account at all */
    write_security(f, 1, "coap://10.0.0.1:5683", 7);
    finish(f, TERN_COAP_NOT_ACCEPTABLE); /* Security without its Server */
    write_server(f, 0, 8, 60);
    finish(f, TERN_COAP_NOT_ACCEPTABLE); /* SSIDs differ */
    write_server(f, 0, 7, 60);
    write_security(f, 2, "coaps://10.0.0.2:5684", 9); /* coaps with NoSec */
    write_server(f, 1, 9, 60);
    finish(f, TERN_COAP_NOT_ACCEPTABLE);
    request(f, TERN_COAP_DELETE, "/0/2", NULL);
    request(f, TERN_COAP_DELETE, "/1/1", NULL);
    /* Short Server IDs are unique: a second Server instance with ID 7... */
    write_server(f, 1, 7, 60);
    expect_code(f, TERN_COAP_CHANGED);
    finish(f, TERN_COAP_NOT_ACCEPTABLE);
    request(f, TERN_COAP_DELETE, "/1/1", NULL);
    /* ...or a second Security instance with it */
    write_security(f, 2, "coap://10.0.0.2:5683", 7);
    expect_code(f, TERN_COAP_CHANGED);
    finish(f, TERN_COAP_NOT_ACCEPTABLE);
    request(f, TERN_COAP_DELETE, "/0/2", NULL);
    /* a Server instance without a Security instance */
    write_server(f, 1, 9, 60);
    finish(f, TERN_COAP_NOT_ACCEPTABLE);
    request(f, TERN_COAP_DELETE, "/1/1", NULL);
    finish(f, TERN_COAP_CHANGED);
}

static tern_value_t opaque(const uint8_t *data, size_t len)
{
    tern_value_t v = { TERN_TYPE_OPAQUE, { 0 } };
    v.v.bytes.ptr = data;
    v.v.bytes.len = len;
    return v;
}

/* A Security instance in raw public key mode (TS E.1: Security Mode 1;
 * Public Key or Identity, Server Public Key and Secret Key opaque) gives
 * the port an RPK connection with exactly those keys. */
static void test_bootstrap_rpk_security(void **state)
{
    fixture_t *f = *state;
    uint8_t own_pub[91], server_pub[91], own_priv[121], buf[512];
    for (size_t i = 0; i < sizeof(own_pub); i++) {
        own_pub[i] = (uint8_t)i;
        server_pub[i] = (uint8_t)(0xff - i);
    }
    for (size_t i = 0; i < sizeof(own_priv); i++)
        own_priv[i] = (uint8_t)(i * 7);
    request_bootstrap(f);
    request(f, TERN_COAP_DELETE, "/", NULL);
    tern_path_t base = tern_path(2, 0, 1, 0, 0);
    tern_path_t paths[] = { tern_path(3, 0, 1, 0, 0), tern_path(3, 0, 1, 1, 0),
                            tern_path(3, 0, 1, 2, 0), tern_path(3, 0, 1, 3, 0),
                            tern_path(3, 0, 1, 4, 0), tern_path(3, 0, 1, 5, 0),
                            tern_path(3, 0, 1, 10, 0) };
    tern_value_t values[] = { str("coaps://10.0.0.1:5684"),
                              flag(false),
                              num(TERN_SEC_RPK),
                              opaque(own_pub, sizeof(own_pub)),
                              opaque(server_pub, sizeof(server_pub)),
                              opaque(own_priv, sizeof(own_priv)),
                              num(4) };
    size_t n = encode(buf, sizeof(buf), &base, paths, values, 7);
    req_opts_t o = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, buf, n, false };
    request(f, TERN_COAP_PUT, "/0/1", &o);
    expect_code(f, TERN_COAP_CHANGED);
    write_server(f, 0, 4, 60);
    expect_code(f, TERN_COAP_CHANGED);
    finish(f, TERN_COAP_CHANGED);
    fixture_step(f);
    assert_int_equal(f->fp.secure_opens, 1); /* the bootstrap server's is coap:// */
    const tern_net_security_t *sec = &f->fp.last_security;
    assert_int_equal(sec->mode, TERN_NET_RPK);
    assert_int_equal(f->fp.last_open.port, 5684);
    assert_int_equal(sec->identity_len, sizeof(own_pub));
    assert_memory_equal(sec->identity, own_pub, sizeof(own_pub));
    assert_int_equal(sec->server_key_len, sizeof(server_pub));
    assert_memory_equal(sec->server_key, server_pub, sizeof(server_pub));
    assert_int_equal(sec->secret_len, sizeof(own_priv));
    assert_memory_equal(sec->secret, own_priv, sizeof(own_priv));
}

static void test_bootstrap_discover_and_read(void **state)
{
    fixture_t *f = *state;
    request_bootstrap(f);
    write_security(f, 1, "coap://10.0.0.1:5683", 5);
    write_server(f, 0, 5, 60);
    req_opts_t link = { 0, -1, TERN_FORMAT_LINK, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/", &link);
    expect_code(f, TERN_COAP_CONTENT);
    expect_payload(f, "lwm2m=\"1.0\",</0/0>,</0/1>;ssid=5,</1/0>;ssid=5,</2>,</3/0>,</9000/0>");
    request(f, TERN_COAP_GET, "/1", &link);
    expect_payload(f, "lwm2m=\"1.0\",</1/0>;ssid=5");
    /* Bootstrap-Read of the Server object (TS 1.1) */
    req_opts_t text = { 0, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/1/0/1", &text);
    expect_code(f, TERN_COAP_CONTENT);
    expect_payload(f, "60");
    /* what the path names is resolved for it too: a missing instance */
    request(f, TERN_COAP_GET, "/1/7/1", &text);
    expect_code(f, TERN_COAP_NOT_FOUND);
    request(f, TERN_COAP_GET, "/3/0/0", &text);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    /* the Bootstrap-Server's account survives a Delete of itself and of /0 */
    request(f, TERN_COAP_DELETE, "/0/0", NULL);
    expect_code(f, TERN_COAP_DELETED);
    request(f, TERN_COAP_DELETE, "/0", NULL);
    expect_code(f, TERN_COAP_DELETED);
    request(f, TERN_COAP_GET, "/", &link);
    expect_payload(f, "lwm2m=\"1.0\",</0/0>,</1/0>;ssid=5,</2>,</3/0>,</9000/0>");
    /* Bootstrap-Delete of "/" keeps the Bootstrap-Server account and the Device */
    request(f, TERN_COAP_DELETE, "/", NULL);
    request(f, TERN_COAP_GET, "/", &link);
    /* the test object can be deleted, the Device cannot */
    expect_payload(f, "lwm2m=\"1.0\",</0/0>,</1>,</2>,</3/0>,</9000>");
}

static void test_server_initiated(void **state)
{
    fixture_t *f = *state;
    fixture_init_bootstrap(f, 30); /* a 30 s hold-off before asking */
    fixture_step(f);
    expect_nothing_sent(f); /* waiting for the server to start it */
    f->fp.now += 5000;
    /* a Bootstrap-Delete of / from another address: dropped unanswered */
    static const uint8_t DELETE_ALL[] = { 0x40, TERN_COAP_DELETE, 0x55, 0x66 };
    tern_addr_t stranger = fake_addr(2);
    fake_port_push(&f->fp, f->conn, &stranger, DELETE_ALL, sizeof(DELETE_ALL));
    fixture_step(f);
    expect_nothing_sent(f);
    assert_string_equal(f->fp.last_log,
                        "lwm2m: request from a stranger on the bootstrap connection dropped");
    request(f, TERN_COAP_DELETE, "/", NULL);
    expect_code(f, TERN_COAP_DELETED);
    write_security(f, 1, "coap://10.0.0.1:5683", 1);
    write_server(f, 0, 1, 60);
    finish(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd")); /* no POST /bs ever */
}

static void test_no_finish_retries(void **state)
{
    fixture_t *f = *state;
    request_bootstrap(f);
    f->fp.now += (tern_time_t)TERN_BOOTSTRAP_TIMEOUT_S * 1000;
    fixture_step(f);
    expect_nothing_sent(f);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_BOOTSTRAPPING);
    f->fp.now += TERN_REG_RETRY_MIN_S * 1000;
    fixture_step(f);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/bs"));
}

/* A server that refuses the registration sends the client back to bootstrap. */
/* Steps the fake clock a second at a time until the client sends. */
static unsigned seconds_until_sent(fixture_t *f)
{
    unsigned s = 0;
    for (fixture_step(f); f->fp.n_sent == 0 && s < 3600; s++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    return s;
}

/* The rest of bootstrap_one_server() once the client has sent its
 * Bootstrap-Request: answer it, configure one server, finish. */
static void answer_bootstrap(fixture_t *f)
{
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/bs"));
    f->conn = f->sent.conn;
    answer(f, TERN_COAP_CHANGED, NULL);
    write_security(f, 1, "coap://10.0.0.1:5683", 1);
    expect_code(f, TERN_COAP_CHANGED);
    write_server(f, 0, 1, 60);
    expect_code(f, TERN_COAP_CHANGED);
    finish(f, TERN_COAP_CHANGED);
}

/* The Register that follows a bootstrap, answered with code. */
static void answer_register(fixture_t *f, uint8_t code)
{
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    f->conn = f->sent.conn;
    answer(f, code, code == TERN_COAP_CREATED ? "rd/x" : NULL);
}

/* A server that refuses the registration sends the client back to
 * bootstrap; every bootstrap that led to no registration makes the next
 * one wait longer, so a refusing server cannot make the device spin, and
 * a registration ends the back-off. */
static void test_fallback_to_bootstrap(void **state)
{
    fixture_t *f = *state;
    bootstrap_one_server(f);
    answer_register(f, TERN_COAP_FORBIDDEN);
    unsigned first = seconds_until_sent(f);
    assert_int_equal(first, TERN_REG_RETRY_MIN_S);
    answer_bootstrap(f);
    answer_register(f, TERN_COAP_FORBIDDEN);
    unsigned second = seconds_until_sent(f);
    assert_int_equal(second, 2 * TERN_REG_RETRY_MIN_S);
    answer_bootstrap(f);
    answer_register(f, TERN_COAP_CREATED);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
    assert_int_equal(f->client.bs.attempts, 0);
}

/* ---- persistence ---- */

static void test_restore_after_restart(void **state)
{
    fixture_t *f = *state;
    bootstrap_one_server(f);
    assert_int_equal(f->fp.saves, 1);
    /* "restart": a new client over the same storage */
    static fake_port_t saved;
    saved = f->fp;
    fixture_init_bootstrap(f, 0);
    memcpy(f->fp.image, saved.image, saved.image_len);
    f->fp.image_len = saved.image_len;
    assert_int_equal(tern_config_restore(&f->client), 1);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd")); /* no bootstrap */
    assert_true(msg_has_query(&f->msg, "lt=60"));
    /* nothing stored: the factory configuration stays */
    fixture_init_bootstrap(f, 0);
    assert_int_equal(tern_config_restore(&f->client), 0);
}

static void test_corrupt_image_bootstraps(void **state)
{
    fixture_t *f = *state;
    bootstrap_one_server(f);
    static fake_port_t saved;
    saved = f->fp;
    const size_t cuts[] = { 1, 11, saved.image_len / 2, saved.image_len - 1 };
    for (size_t k = 0; k < 5; k++) {
        fixture_init_bootstrap(f, 0);
        memcpy(f->fp.image, saved.image, saved.image_len);
        f->fp.image_len = saved.image_len;
        if (k < 4)
            f->fp.image_len = cuts[k]; /* truncated */
        else
            f->fp.image[saved.image_len / 2] ^= 0x40; /* one flipped bit */
        int logs = f->fp.n_logs;
        assert_int_equal(tern_config_restore(&f->client), TERN_ERR_CORRUPT);
        assert_true(f->fp.n_logs > logs);
        fixture_step(f);
        expect_sent(f);
        assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/bs"));
    }
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* An image whose length and CRC are right but whose records end in a
 * piece too short for a record header is refused as a whole. */
static void test_image_with_a_torn_record(void **state)
{
    fixture_t *f = *state;
    bootstrap_one_server(f);
    static fake_port_t saved;
    saved = f->fp;
    for (size_t tail = 1; tail < 6; tail++) {
        fixture_init_bootstrap(f, 0);
        size_t records = saved.image_len - 16;
        memcpy(f->fp.image, saved.image, 12 + records);
        memset(f->fp.image + 12 + records, 0xff, tail);
        put_le32(f->fp.image + 8, (uint32_t)(records + tail));
        put_le32(f->fp.image + 12 + records + tail,
                 tern_crc32(0, f->fp.image, 12 + records + tail));
        f->fp.image_len = 16 + records + tail;
        assert_int_equal(tern_config_restore(&f->client), TERN_ERR_CORRUPT);
        fixture_step(f);
        expect_sent(f);
        assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/bs"));
    }
}

/* ---- two servers and access control ---- */

static void write_acl(fixture_t *f, uint16_t iid, uint16_t oid, uint16_t oiid, uint16_t owner,
                      uint16_t ssid, int64_t rights)
{
    uint8_t buf[64];
    tern_path_t base = tern_path(2, 2, iid, 0, 0);
    tern_path_t paths[] = { tern_path(3, 2, iid, 0, 0), tern_path(3, 2, iid, 1, 0),
                            tern_path(4, 2, iid, 2, ssid), tern_path(3, 2, iid, 3, 0) };
    tern_value_t values[] = { num(oid), num(oiid), num(rights), num(owner) };
    tern_out_t out;
    assert_int_equal(tern_out_init(&out, TERN_FORMAT_LWM2M_TLV, &base, buf, sizeof(buf), 0), 0);
    tern_out_value(&out, &paths[0], &values[0]);
    tern_out_value(&out, &paths[1], &values[1]);
    tern_path_t acl = tern_path(3, 2, iid, 2, 0);
    tern_out_begin(&out, &acl);
    tern_out_value(&out, &paths[2], &values[2]);
    tern_out_end(&out);
    tern_out_value(&out, &paths[3], &values[3]);
    int n = tern_out_finish(&out);
    char path[16];
    snprintf(path, sizeof(path), "/2/%u", iid);
    req_opts_t o = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, buf, (size_t)n, false };
    request(f, TERN_COAP_PUT, path, &o);
    expect_code(f, TERN_COAP_CHANGED);
}

static void test_two_servers_and_acl(void **state)
{
    fixture_t *f = *state;
    request_bootstrap(f);
    request(f, TERN_COAP_DELETE, "/1", NULL);
    write_security(f, 1, "coap://10.0.0.1:5683", 1);
    write_server(f, 0, 1, 60);
    write_security(f, 2, "coap://10.0.0.2:5683", 2);
    write_server(f, 1, 2, 60);
    /* /9000/0: owned by server 1, server 2 may only read; Create on 9000 for server 1 */
    write_acl(f, 0, TEST_OID, 0, 1, 2, TERN_ACL_READ);
    write_acl(f, 1, TEST_OID, TERN_ID_NONE, 1, 1, TERN_ACL_CREATE);
    finish(f, TERN_COAP_CHANGED);
    /* both register, each on its own connection */
    fixture_step(f);
    for (int i = 0; i < 2; i++) {
        expect_sent(f);
        assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
        f->conn = f->sent.conn;
        answer(f, TERN_COAP_CREATED, i == 0 ? "rd/a" : "rd/b");
    }
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
    assert_int_equal(tern_registration_state(&f->client, 1), TERN_REG_REGISTERED);
    int s1 = tern_server_by_ssid(&f->client, 1);
    int s2 = tern_server_by_ssid(&f->client, 2);
    assert_true(s1 >= 0 && s2 >= 0);
    int conn1 = s1 >= 0 ? f->client.servers[s1].conn : -1;
    int conn2 = s2 >= 0 ? f->client.servers[s2].conn : -1;
    req_opts_t text = { 0, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, false };
    req_opts_t put = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"9", 1, false };

    f->conn = conn2; /* server 2: read only */
    request(f, TERN_COAP_GET, "/9000/0/1", &text);
    expect_code(f, TERN_COAP_CONTENT);
    request(f, TERN_COAP_PUT, "/9000/0/1", &put);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    request(f, TERN_COAP_POST, "/9000/0/8", NULL);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    request(f, TERN_COAP_GET, "/3/0/0", &text); /* no Access Control instance: nothing */
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    const uint8_t create[] = { 0xc1, 0x01, 0x05 };
    req_opts_t cr = { 0, TERN_FORMAT_LWM2M_TLV, -1, { NULL }, create, sizeof(create), false };
    request(f, TERN_COAP_POST, "/9000", &cr);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    assert_int_equal(f->obj.inst[0].integer, -5);

    f->conn = conn1; /* server 1: the owner, full rights, and Create */
    request(f, TERN_COAP_PUT, "/9000/0/1", &put);
    expect_code(f, TERN_COAP_CHANGED);
    request(f, TERN_COAP_POST, "/9000", &cr);
    expect_code(f, TERN_COAP_CREATED);
    /* the new instance got an Access Control instance owned by server 1 */
    tern_acl_inst_t *a = tern_acl_find(&f->client, TEST_OID, 1);
    assert_non_null(a);
    assert_int_equal(a->ids[TERN_ACL_OWNER], 1);
    fake_port_clear_sent(&f->fp); /* the Updates */
    f->conn = conn2;              /* ...so server 2 may not touch it, and an object read hides it */
    request(f, TERN_COAP_GET, "/9000/1/1", &text);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
    req_opts_t tlv = { 0, -1, TERN_FORMAT_LWM2M_TLV, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/9000", &tlv);
    expect_code(f, TERN_COAP_CONTENT);
    tern_in_t in;
    tern_path_t base = tern_path(1, TEST_OID, 0, 0, 0);
    tern_path_t p;
    int instances = 0;
    assert_int_equal(
        tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &base, f->msg.payload, f->msg.payload_len), 0);
    while (tern_in_next(&in, &p) == 1)
        instances += p.len == 2;
    assert_int_equal(instances, 1);
    /* deleting the instance removes its Access Control instance */
    f->conn = conn1;
    request(f, TERN_COAP_DELETE, "/9000/1", NULL);
    expect_code(f, TERN_COAP_DELETED);
    assert_null(tern_acl_find(&f->client, TEST_OID, 1));

    /* /9000/5: only a default entry (Short Server ID 0), for every server without its own */
    assert_int_equal(tern_acl_set(&f->client, TEST_OID, 5, 7, TERN_ACL_WRITE), 0);
    assert_int_equal(tern_acl_set(&f->client, TEST_OID, 5, 0, TERN_ACL_READ), 0);
    assert_int_equal(tern_acl_set(&f->client, TEST_OID, 5, 3, TERN_ACL_EXECUTE), 0);
    assert_int_equal(tern_access_check(&f->client, s2, TEST_OID, 5, TERN_ACL_READ), 0);
    assert_int_equal(tern_access_check(&f->client, s2, TEST_OID, 5, TERN_ACL_WRITE),
                     -TERN_COAP_UNAUTHORIZED);
    /* its ACL lists the entries by Short Server ID; a non-owner may read it */
    tern_acl_inst_t *d = tern_acl_find(&f->client, TEST_OID, 5);
    assert_non_null(d);
    char acl_path[24];
    snprintf(acl_path, sizeof(acl_path), "/2/%u/2", d->ids[TERN_ACL_IID]);
    f->conn = conn2;
    request(f, TERN_COAP_GET, acl_path, &tlv);
    expect_code(f, TERN_COAP_CONTENT);
    tern_path_t acl_res = tern_path(3, 2, d->ids[TERN_ACL_IID], 2, 0);
    assert_int_equal(
        tern_in_init(&in, TERN_FORMAT_LWM2M_TLV, &acl_res, f->msg.payload, f->msg.payload_len), 0);
    const uint16_t order[] = { 0, 3, 7 };
    int k = 0;
    while (tern_in_next(&in, &p) == 1) {
        if (p.len != 4)
            continue;
        assert_true(k < 3);
        assert_int_equal(p.ids[3], order[k++]);
    }
    assert_int_equal(k, 3);
    /* ...but not write it: only its owner may */
    request(f, TERN_COAP_PUT, acl_path, &put);
    expect_code(f, TERN_COAP_UNAUTHORIZED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_client_initiated, setup_bs),
        cmocka_unit_test_setup(test_finish_checks_consistency, setup_bs),
        cmocka_unit_test_setup(test_bootstrap_discover_and_read, setup_bs),
        cmocka_unit_test_setup(test_bootstrap_rpk_security, setup_bs),
        cmocka_unit_test_setup(test_server_initiated, setup_bs),
        cmocka_unit_test_setup(test_no_finish_retries, setup_bs),
        cmocka_unit_test_setup(test_fallback_to_bootstrap, setup_bs),
        cmocka_unit_test_setup(test_restore_after_restart, setup_bs),
        cmocka_unit_test_setup(test_corrupt_image_bootstraps, setup_bs),
        cmocka_unit_test_setup(test_image_with_a_torn_record, setup_bs),
        cmocka_unit_test_setup(test_two_servers_and_acl, setup_bs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
