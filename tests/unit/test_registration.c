/* Registration interface (TS 5.3): Register, Update, De-register, retries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m_fixture.h"

static int setup(void **state)
{
    static fixture_t f;
    fixture_init(&f);
    *state = &f;
    return 0;
}

static bool payload_has(const tern_coap_msg_t *m, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= m->payload_len; i++) {
        if (memcmp(m->payload + i, text, n) == 0)
            return true;
    }
    return false;
}

static void test_register_message(void **state)
{
    fixture_t *f = *state;
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.type, TERN_COAP_CON);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LINK);
    assert_true(msg_has_query(&f->msg, "ep=dev1"));
    assert_true(msg_has_query(&f->msg, "lt=300"));
    assert_true(msg_has_query(&f->msg, "lwm2m=1.0"));
    assert_true(msg_has_query(&f->msg, "b=U"));
    assert_true(payload_has(&f->msg, "</>;rt=\"oma.lwm2m\""));
    assert_true(payload_has(&f->msg, "</1/0>"));
    assert_true(payload_has(&f->msg, "</3/0>"));
    assert_true(payload_has(&f->msg, "</9000/0>"));
    assert_false(payload_has(&f->msg, "</0")); /* never the Security object */
    answer(f, TERN_COAP_CREATED, "rd/abc");
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
}

/* Updates go out MAX_TRANSMIT_WAIT (93 s) before the lifetime ends. */
static void test_periodic_update(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    tern_time_t t0 = f->fp.now;
    uint32_t sleep_ms = fixture_step(f);
    assert_int_equal(sleep_ms, 207000);
    f->fp.now = t0 + 206999;
    fixture_step(f);
    expect_nothing_sent(f);
    f->fp.now = t0 + 207000;
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
    assert_false(msg_has_query(&f->msg, "lt=300")); /* nothing changed: empty Update */
    assert_int_equal(f->msg.payload_len, 0);
    answer(f, TERN_COAP_CHANGED, NULL);
    assert_int_equal(fixture_step(f), 207000);
}

static void test_update_carries_only_changes(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    /* the server writes a new lifetime: the Update carries lt only */
    req_opts_t o = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"600", 3, false };
    request(f, TERN_COAP_PUT, "/1/0/1", &o);
    expect_code(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
    assert_true(msg_has_query(&f->msg, "lt=600"));
    assert_false(msg_has_query(&f->msg, "b=U"));
    assert_int_equal(f->msg.payload_len, 0);
    answer(f, TERN_COAP_CHANGED, NULL);
    /* a new instance: the Update carries the object list only */
    assert_int_equal(tern_instance_add(&f->client, &f->obj.base, 2), 0);
    fixture_step(f);
    expect_sent(f);
    assert_false(msg_has_query(&f->msg, "lt=600"));
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LINK);
    assert_true(payload_has(&f->msg, "</9000/2>"));
    answer(f, TERN_COAP_CHANGED, NULL);
    /* binding change */
    req_opts_t b = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"UQ", 2, false };
    request(f, TERN_COAP_PUT, "/1/0/7", &b);
    expect_code(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_has_query(&f->msg, "b=UQ"));
    /* a bad binding is refused */
    req_opts_t bad = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"X", 1, false };
    answer(f, TERN_COAP_CHANGED, NULL);
    request(f, TERN_COAP_PUT, "/1/0/7", &bad);
    expect_code(f, TERN_COAP_BAD_REQUEST);
}

static void test_update_trigger(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    request(f, TERN_COAP_POST, "/1/0/8", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
}

static void test_refused_registration_stops(void **state)
{
    fixture_t *f = *state;
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_FORBIDDEN, NULL);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_FAILED);
    f->fp.now += 3600000;
    fixture_step(f);
    expect_nothing_sent(f);
    assert_true(f->fp.n_logs > 0);
}

static void test_retry_with_backoff(void **state)
{
    fixture_t *f = *state;
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_SERVICE_UNAVAILABLE, NULL);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERING);
    tern_time_t t = f->fp.now;
    f->fp.now = t + TERN_REG_RETRY_MIN_S * 1000 - 1;
    fixture_step(f);
    expect_nothing_sent(f);
    f->fp.now = t + TERN_REG_RETRY_MIN_S * 1000;
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    /* no answer at all: after the CoAP retransmissions, the back-off doubles */
    fake_port_clear_sent(&f->fp);
    for (int i = 0; i < 200; i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    /* 5 transmissions of the Register (62 s), then a retry 8 s later */
    assert_true(f->fp.n_sent >= 5);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERING);
}

static void test_update_not_found_reregisters(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    tern_update_registration(&f->client);
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_NOT_FOUND, NULL);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    assert_true(msg_has_query(&f->msg, "ep=dev1"));
}

static void test_deregister_on_shutdown(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    assert_false(tern_stopped(&f->client));
    tern_shutdown(&f->client);
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_DELETE);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd/abc"));
    assert_false(tern_stopped(&f->client));
    answer(f, TERN_COAP_DELETED, NULL);
    assert_true(tern_stopped(&f->client));
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_DEREGISTERED);
    /* the answer closed the connection: nothing more is read from it */
    assert_int_equal(f->fp.closed, 1);
    assert_int_equal(f->fp.recv_on_closed, 0);
}

static void test_shutdown_gives_up_without_answer(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    tern_shutdown(&f->client);
    for (int i = 0; i < 100 && !tern_stopped(&f->client); i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    assert_true(tern_stopped(&f->client));
}

static void test_disable(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    req_opts_t o = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"30", 2, false };
    request(f, TERN_COAP_PUT, "/1/0/5", &o);
    expect_code(f, TERN_COAP_CHANGED);
    request(f, TERN_COAP_POST, "/1/0/4", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_DELETE);
    answer(f, TERN_COAP_DELETED, NULL);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_DISABLED);
    f->fp.now += 29999;
    fixture_step(f);
    expect_nothing_sent(f);
    f->fp.now += 1;
    fixture_step(f);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
}

/* The Location-Path is kept segment by segment: an Update goes to the
 * same segments, up to TERN_MAX_LOCATION bytes (one per segment for its
 * separator or the NUL, as "rd/abc" takes 7). */
static void test_location_segments(void **state)
{
    fixture_t *f = *state;
    char longest[TERN_MAX_LOCATION];
    memset(longest, 'x', sizeof(longest) - 1);
    memcpy(longest, "rd/", 3);
    longest[sizeof(longest) - 1] = '\0';
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_CREATED, longest);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
    tern_update_registration(&f->client);
    fixture_step(f);
    expect_sent(f);
    char expected[TERN_MAX_LOCATION + 1] = "/";
    strcat(expected, longest);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, expected));
    answer(f, TERN_COAP_CHANGED, NULL);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
}

/* A 2.01 without a usable Location-Path is no registration: retry. */
static void test_location_missing_or_too_long(void **state)
{
    fixture_t *f = *state;
    char too_long[TERN_MAX_LOCATION + 1];
    memset(too_long, 'x', sizeof(too_long) - 1);
    memcpy(too_long, "rd/", 3);
    too_long[sizeof(too_long) - 1] = '\0';
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_CREATED, NULL);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERING);
    f->fp.now += TERN_REG_RETRY_MIN_S * 1000;
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
    answer(f, TERN_COAP_CREATED, too_long);
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERING);
    f->fp.now += 2 * TERN_REG_RETRY_MIN_S * 1000;
    fixture_step(f);
    expect_sent(f);
    answer(f, TERN_COAP_CREATED, "a/b/c");
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
    tern_update_registration(&f->client);
    fixture_step(f);
    expect_sent(f);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/a/b/c"));
}

/* A De-register for Disable that gets no answer still ends in the
 * disable timeout, and the client registers again after it. */
static void test_disable_without_answer(void **state)
{
    fixture_t *f = *state;
    fixture_register(f);
    req_opts_t o = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)"300", 3, false };
    request(f, TERN_COAP_PUT, "/1/0/5", &o);
    expect_code(f, TERN_COAP_CHANGED);
    request(f, TERN_COAP_POST, "/1/0/4", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_DELETE);
    for (int i = 0; i < 100 && tern_registration_state(&f->client, 0) != TERN_REG_DISABLED; i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_DISABLED);
    fake_port_clear_sent(&f->fp);
    f->fp.now += 300000;
    fixture_step(f);
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/rd"));
}

static void test_bad_configuration(void **state)
{
    fixture_t *f = *state;
    tern_server_config_t s = { .uri = "http://x", .ssid = 2 };
    assert_int_equal(tern_server_add(&f->client, &s), -TERN_COAP_BAD_REQUEST);
    s.uri = "coap://x";
    s.ssid = 0;
    assert_int_equal(tern_server_add(&f->client, &s), -TERN_COAP_BAD_REQUEST);
    s.ssid = 2;
    s.binding = "Z";
    assert_int_equal(tern_server_add(&f->client, &s), -TERN_COAP_BAD_REQUEST);
    tern_client_config_t cfg = { .endpoint = NULL, .port = &f->port };
    tern_client_t c2;
    assert_int_equal(tern_client_init(&c2, &cfg), TERN_ERR_ARG);
    /* a second object with the same id */
    assert_int_equal(tern_object_register(&f->client, &f->obj.base), TERN_ERR_ARG);
}

/* Raw public key mode (Security Mode 1): the account's keys reach the
 * port's net_open as they were given, with the mode the port knows. */
static void test_rpk_credentials_reach_the_port(void **state)
{
    static const uint8_t OWN_PUB[] = { 0x30, 0x59, 0x30, 0x13, 0x01 };
    static const uint8_t OWN_PRIV[] = { 0x30, 0x77, 0x02, 0x01, 0x01, 0x02 };
    static const uint8_t SERVER_PUB[] = { 0x30, 0x59, 0x30, 0x13, 0x03 };
    fixture_t *f = *state;
    tern_server_config_t s = { .uri = "coaps://10.0.0.2:5684",
                               .ssid = 2,
                               .mode = TERN_SEC_RPK,
                               .identity = OWN_PUB,
                               .identity_len = sizeof(OWN_PUB),
                               .secret = OWN_PRIV,
                               .secret_len = sizeof(OWN_PRIV),
                               .server_key = SERVER_PUB,
                               .server_key_len = sizeof(SERVER_PUB) };
    assert_int_equal(tern_server_add(&f->client, &s), 0);
    for (int i = 0; i < 4 && f->fp.secure_opens == 0; i++)
        fixture_step(f);
    assert_int_equal(f->fp.secure_opens, 1);
    const tern_net_security_t *sec = &f->fp.last_security;
    assert_int_equal(sec->mode, TERN_NET_RPK);
    assert_string_equal(f->fp.last_host, "10.0.0.2");
    assert_int_equal(f->fp.last_open.port, 5684);
    assert_int_equal(sec->identity_len, sizeof(OWN_PUB));
    assert_memory_equal(sec->identity, OWN_PUB, sizeof(OWN_PUB));
    assert_int_equal(sec->secret_len, sizeof(OWN_PRIV));
    assert_memory_equal(sec->secret, OWN_PRIV, sizeof(OWN_PRIV));
    assert_int_equal(sec->server_key_len, sizeof(SERVER_PUB));
    assert_memory_equal(sec->server_key, SERVER_PUB, sizeof(SERVER_PUB));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_register_message, setup),
        cmocka_unit_test_setup(test_periodic_update, setup),
        cmocka_unit_test_setup(test_update_carries_only_changes, setup),
        cmocka_unit_test_setup(test_update_trigger, setup),
        cmocka_unit_test_setup(test_refused_registration_stops, setup),
        cmocka_unit_test_setup(test_retry_with_backoff, setup),
        cmocka_unit_test_setup(test_update_not_found_reregisters, setup),
        cmocka_unit_test_setup(test_deregister_on_shutdown, setup),
        cmocka_unit_test_setup(test_shutdown_gives_up_without_answer, setup),
        cmocka_unit_test_setup(test_disable, setup),
        cmocka_unit_test_setup(test_location_segments, setup),
        cmocka_unit_test_setup(test_location_missing_or_too_long, setup),
        cmocka_unit_test_setup(test_disable_without_answer, setup),
        cmocka_unit_test_setup(test_bad_configuration, setup),
        cmocka_unit_test_setup(test_rpk_credentials_reach_the_port, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
