/*
 * Information Reporting (TS 5.5, RFC 7641): Observe, notifications under
 * pmin / pmax / gt / lt / st on the fake clock, cancellation by GET with
 * Observe=1, by RST and by an unacknowledged confirmable notification.
 */
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
    fixture_register(&f);
    *state = &f;
    return 0;
}

static uint32_t observe_value(const tern_coap_msg_t *m)
{
    uint32_t v;
    assert_true(tern_coap_get_uint(m, TERN_COAP_OPT_OBSERVE, &v));
    return v;
}

static void observe(fixture_t *f, const char *path, int32_t accept)
{
    req_opts_t o = { 1, -1, accept, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, path, &o);
    expect_code(f, TERN_COAP_CONTENT);
}

static void attrs(fixture_t *f, const char *path, const char *q1, const char *q2)
{
    req_opts_t o = { 0, -1, -1, { q1, q2, NULL }, NULL, 0, false };
    request(f, TERN_COAP_PUT, path, &o);
    expect_code(f, TERN_COAP_CHANGED);
}

static void set_int(fixture_t *f, int64_t v)
{
    f->obj.inst[0].integer = v;
    tern_changed_resource(&f->client, TEST_OID, 0, TR_INT);
}

/* Steps once; true if a notification went out (it is then in f->msg). */
static bool notified(fixture_t *f)
{
    fixture_step(f);
    if (f->fp.n_sent == 0)
        return false;
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_CONTENT);
    return true;
}

static void test_observe_and_notify(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    uint32_t first = observe_value(&f->msg);
    expect_payload(f, "-5");
    uint8_t token[2];
    memcpy(token, f->last_token, 2);
    assert_false(notified(f)); /* nothing changed */
    set_int(f, 6);
    assert_true(notified(f));
    assert_int_equal(f->msg.type, TERN_COAP_NON);
    assert_memory_equal(f->msg.token, token, 2);
    assert_true(observe_value(&f->msg) > first);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_TEXT);
    expect_payload(f, "6");
    /* a change to another resource of the instance does not concern it */
    tern_changed_resource(&f->client, TEST_OID, 0, TR_STRING);
    assert_false(notified(f));
}

static void test_observe_instance_tlv(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0", TERN_FORMAT_LWM2M_TLV);
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LWM2M_TLV);
    set_int(f, 100);
    assert_true(notified(f));
    assert_int_equal(msg_format(&f->msg), TERN_FORMAT_LWM2M_TLV);
    assert_true(f->msg.payload_len > 10);
}

static void test_pmin_delays(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0/1", "pmin=10", NULL);
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    tern_time_t t0 = f->fp.now;
    f->fp.now = t0 + 1000;
    set_int(f, 1);
    assert_false(notified(f));
    f->fp.now = t0 + 9999;
    assert_false(notified(f));
    f->fp.now = t0 + 10000;
    assert_true(notified(f));
    expect_payload(f, "1");
}

static void test_pmax_forces(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0/1", "pmax=20", NULL);
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    tern_time_t t0 = f->fp.now;
    assert_int_equal(fixture_step(f), 20000);
    f->fp.now = t0 + 19999;
    assert_false(notified(f));
    f->fp.now = t0 + 20000;
    assert_true(notified(f));
    expect_payload(f, "-5");
    f->fp.now = t0 + 40000;
    assert_true(notified(f));
}

/* Attributes on the instance are inherited by the resource. */
static void test_inherited_pmax_and_server_default(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0", "pmax=30", NULL);
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    tern_time_t t0 = f->fp.now;
    f->fp.now = t0 + 30000;
    assert_true(notified(f));
}

static void test_gt_lt_st(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0/1", "gt=50", "lt=10");
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT); /* value -5: below lt */
    set_int(f, 5);                             /* still below lt, below gt */
    assert_false(notified(f));
    set_int(f, 20); /* crosses lt upwards */
    assert_true(notified(f));
    set_int(f, 40); /* between: nothing crossed */
    assert_false(notified(f));
    set_int(f, 60); /* crosses gt */
    assert_true(notified(f));
    expect_payload(f, "60");
    attrs(f, "/9000/0/1", "gt", "lt");
    attrs(f, "/9000/0/1", "st=5", NULL);
    set_int(f, 63); /* moved 3 < st */
    assert_false(notified(f));
    set_int(f, 66); /* moved 6 since 60 */
    assert_true(notified(f));
    set_int(f, 61); /* moved 5 down: enough */
    assert_true(notified(f));
}

/* At the thresholds themselves: "above gt" and "below lt" are strict. */
static void test_threshold_edges(void **state)
{
    fixture_t *f = *state;
    attrs(f, "/9000/0/1", "gt=50", "lt=10");
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT); /* -5 */
    set_int(f, 9);                             /* still below lt */
    assert_false(notified(f));
    set_int(f, 10); /* no longer below lt */
    assert_true(notified(f));
    set_int(f, 50); /* not above gt */
    assert_false(notified(f));
    set_int(f, 51);
    assert_true(notified(f));
    set_int(f, 50); /* back down: crosses gt */
    assert_true(notified(f));
    set_int(f, 10); /* nor below lt yet */
    assert_false(notified(f));
    set_int(f, 9);
    assert_true(notified(f));
    /* st: a move of exactly st is enough, one less is not */
    attrs(f, "/9000/0/1", "gt", "lt");
    attrs(f, "/9000/0/1", "st=2.5", NULL);
    set_int(f, 11); /* 2 from 9 */
    assert_false(notified(f));
    set_int(f, 12); /* 3 */
    assert_true(notified(f));
    set_int(f, 9); /* 3 down */
    assert_true(notified(f));
}

static void test_cancel_with_observe_1(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    /* the same token, Observe=1: a plain answer, and no more notifications */
    req_opts_t o = { 2, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, true };
    request(f, TERN_COAP_GET, "/9000/0/1", &o);
    expect_code(f, TERN_COAP_CONTENT);
    expect_payload(f, "-5");
    set_int(f, 9);
    assert_false(notified(f));
}

static void test_cancel_with_rst(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    set_int(f, 1);
    assert_true(notified(f));
    uint8_t rst[4] = { 0x70, 0x00, (uint8_t)(f->msg.mid >> 8), (uint8_t)f->msg.mid };
    fake_port_push(&f->fp, 0, &f->server, rst, sizeof(rst));
    fixture_step(f);
    set_int(f, 2);
    assert_false(notified(f));
}

/* RFC 7641 4.5: a confirmable notification at least every 24 h; no ACK ends it. */
static void test_con_notification_unacked_cancels(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    f->fp.now += (tern_time_t)TERN_NOTIFY_CON_INTERVAL_S * 1000;
    /* keep the registration alive meanwhile */
    fixture_step(f);
    while (f->fp.n_sent > 0) {
        expect_sent(f);
        if (f->msg.code == TERN_COAP_POST)
            answer(f, TERN_COAP_CHANGED, NULL);
    }
    set_int(f, 3);
    assert_true(notified(f));
    assert_int_equal(f->msg.type, TERN_COAP_CON);
    /* never acknowledged: retransmitted, then the observation ends */
    for (int i = 0; i < 120; i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    fake_port_clear_sent(&f->fp);
    set_int(f, 4);
    assert_false(notified(f));
}

static void test_con_notification_acked(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    f->fp.now += (tern_time_t)TERN_NOTIFY_CON_INTERVAL_S * 1000;
    fixture_step(f);
    while (f->fp.n_sent > 0) {
        expect_sent(f);
        if (f->msg.code == TERN_COAP_POST)
            answer(f, TERN_COAP_CHANGED, NULL);
    }
    set_int(f, 3);
    assert_true(notified(f));
    assert_int_equal(f->msg.type, TERN_COAP_CON);
    answer(f, TERN_COAP_EMPTY, NULL);
    set_int(f, 4);
    assert_true(notified(f));
    assert_int_equal(f->msg.type, TERN_COAP_NON); /* the next 24 h are NON again */
}

static void test_slots_exhausted_plain_read(void **state)
{
    fixture_t *f = *state;
    for (int i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
        assert_true(observe_value(&f->msg) > 0);
    }
    req_opts_t o = { 1, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/9000/0/1", &o);
    expect_code(f, TERN_COAP_CONTENT);
    uint32_t v;
    assert_false(tern_coap_get_uint(&f->msg, TERN_COAP_OPT_OBSERVE, &v));
    expect_payload(f, "-5");
}

static void test_observe_errors(void **state)
{
    fixture_t *f = *state;
    req_opts_t o = { 1, -1, -1, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, "/9000/0/99", &o);
    expect_code(f, TERN_COAP_NOT_FOUND);
    request(f, TERN_COAP_GET, "/9000/0/8", &o);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    o.accept = 9999;
    request(f, TERN_COAP_GET, "/9000/0/1", &o);
    expect_code(f, TERN_COAP_NOT_ACCEPTABLE);
}

static void test_deleted_instance_ends_observation(void **state)
{
    fixture_t *f = *state;
    observe(f, "/9000/0/1", TERN_FORMAT_TEXT);
    request(f, TERN_COAP_DELETE, "/9000/0", NULL);
    expect_code(f, TERN_COAP_DELETED);
    fixture_step(f);
    fake_port_clear_sent(&f->fp);
    tern_changed_resource(&f->client, TEST_OID, 0, TR_INT);
    assert_false(notified(f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_observe_and_notify, setup),
        cmocka_unit_test_setup(test_observe_instance_tlv, setup),
        cmocka_unit_test_setup(test_pmin_delays, setup),
        cmocka_unit_test_setup(test_pmax_forces, setup),
        cmocka_unit_test_setup(test_inherited_pmax_and_server_default, setup),
        cmocka_unit_test_setup(test_gt_lt_st, setup),
        cmocka_unit_test_setup(test_threshold_edges, setup),
        cmocka_unit_test_setup(test_cancel_with_observe_1, setup),
        cmocka_unit_test_setup(test_cancel_with_rst, setup),
        cmocka_unit_test_setup(test_con_notification_unacked_cancels, setup),
        cmocka_unit_test_setup(test_con_notification_acked, setup),
        cmocka_unit_test_setup(test_slots_exhausted_plain_read, setup),
        cmocka_unit_test_setup(test_observe_errors, setup),
        cmocka_unit_test_setup(test_deleted_instance_ends_observation, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
