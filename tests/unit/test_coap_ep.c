/*
 * CoAP message layer: retransmission timing on a fake clock, ACK/RST
 * handling, piggybacked and separate responses, deduplication, token
 * matching and the replies RFC 7252 prescribes for bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "coap/coap_ep.h"
#include "fake_port.h"

typedef struct fixture {
    fake_port_t fp;
    tern_port_t port;
    tern_coap_ep_t ep;
    tern_addr_t peer;
} fixture_t;

static int setup(void **state)
{
    static fixture_t f;
    memset(&f, 0, sizeof(f));
    fake_port_init(&f.fp, &f.port);
    f.fp.random_byte = 0; /* first timeout exactly ACK_TIMEOUT */
    tern_coap_ep_init(&f.ep, &f.port, NULL);
    f.peer = fake_addr(1);
    *state = &f;
    return 0;
}

/* Feeds a datagram to the layer as if it arrived on conn 0 from f->peer. */
static void input(fixture_t *f, const uint8_t *data, size_t len, tern_coap_event_t *ev)
{
    tern_coap_ep_input(&f->ep, 0, &f->peer, data, len, len, f->fp.now, ev);
}

static tern_coap_txn_t *send_get(fixture_t *f, uint8_t type)
{
    tern_coap_writer_t w;
    tern_coap_txn_t *t = tern_coap_request_new(&f->ep, 0, &f->peer, type, TERN_COAP_GET, &w);
    assert_non_null(t);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "temperature");
    assert_int_equal(tern_coap_txn_send(&f->ep, t, &w, f->fp.now), 0);
    return t;
}

static size_t build(uint8_t *buf, uint8_t type, uint8_t code, uint16_t mid, const uint8_t *token,
                    size_t token_len, const char *payload)
{
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, 256);
    tern_coap_write_header(&w, type, code, mid, token, token_len);
    if (payload != NULL)
        tern_coap_write_payload(&w, payload, strlen(payload));
    return (size_t)tern_coap_writer_finish(&w);
}

static void pop_parsed(fixture_t *f, tern_coap_msg_t *m, fake_dgram_t *d)
{
    assert_true(fake_port_pop_sent(&f->fp, d));
    assert_int_equal(tern_coap_parse(m, d->data, d->len), 0);
}

static void poll_none(fixture_t *f)
{
    tern_coap_event_t ev;
    tern_coap_ep_poll(&f->ep, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
}

static void test_defaults(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(f->ep.params.ack_timeout_ms, 2000);
    assert_int_equal(f->ep.params.ack_random_factor_permille, 1500);
    assert_int_equal(f->ep.params.max_retransmit, 4);
    /* 4.8.2: EXCHANGE_LIFETIME is 247 s with the default parameters */
    assert_int_equal(tern_coap_exchange_lifetime_ms(&f->ep), 247000);
}

/* 4.2: retransmit at T, 2T, 4T, 8T after the previous send; give up after the 4th. */
static void test_retransmission_backoff(void **state)
{
    fixture_t *f = *state;
    tern_time_t start = f->fp.now;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    fake_dgram_t first;
    assert_true(fake_port_pop_sent(&f->fp, &first));

    const tern_time_t expected[] = { 2000, 6000, 14000, 30000 };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tern_coap_ep_next_deadline(&f->ep), start + expected[i]);
        f->fp.now = start + expected[i] - 1;
        poll_none(f);
        assert_int_equal(f->fp.n_sent, 0);
        f->fp.now = start + expected[i];
        poll_none(f);
        fake_dgram_t again;
        assert_true(fake_port_pop_sent(&f->fp, &again));
        assert_int_equal(again.len, first.len); /* the very same message */
        assert_memory_equal(again.data, first.data, first.len);
    }
    /* after the last retransmission wait 16T, then time out */
    assert_int_equal(tern_coap_ep_next_deadline(&f->ep), start + 62000);
    f->fp.now = start + 61999;
    poll_none(f);
    f->fp.now = start + 62000;
    tern_coap_event_t ev;
    tern_coap_ep_poll(&f->ep, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_TIMEOUT);
    assert_ptr_equal(ev.txn, t);
    assert_int_equal(f->fp.n_sent, 0);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
    assert_int_equal(tern_coap_ep_next_deadline(&f->ep), INT64_MAX);
}

/* The first timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR]. */
static void test_random_factor(void **state)
{
    fixture_t *f = *state;
    f->fp.random_byte = 0xff;
    tern_time_t start = f->fp.now;
    send_get(f, TERN_COAP_CON);
    assert_int_equal(tern_coap_ep_next_deadline(&f->ep), start + 3000);
    f->fp.random_byte = 0x80;
    tern_coap_txn_cancel(&f->ep, &f->ep.txns[0]);
    send_get(f, TERN_COAP_CON);
    tern_time_t first = tern_coap_ep_next_deadline(&f->ep) - start;
    assert_true(first > 2000 && first < 3000);
}

static void test_configurable_parameters(void **state)
{
    fixture_t *f = *state;
    tern_coap_params_t p = { .ack_timeout_ms = 1000,
                             .ack_random_factor_permille = 1000,
                             .max_retransmit = 1 };
    tern_coap_ep_init(&f->ep, &f->port, &p);
    tern_time_t start = f->fp.now;
    send_get(f, TERN_COAP_CON);
    f->fp.now = start + 1000;
    poll_none(f);
    assert_int_equal(f->fp.n_sent, 2);
    f->fp.now = start + 3000;
    tern_coap_event_t ev;
    tern_coap_ep_poll(&f->ep, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_TIMEOUT);
    assert_int_equal(f->fp.n_sent, 2);
}

static void test_tokens_and_mids_from_random_source(void **state)
{
    fixture_t *f = *state;
    f->fp.random_byte = 0xa5;
    tern_coap_ep_init(&f->ep, &f->port, NULL);
    assert_int_equal(f->ep.next_mid, 0xa5a5);
    tern_coap_txn_t *t = send_get(f, TERN_COAP_NON);
    assert_int_equal(t->mid, 0xa5a5);
    assert_int_equal(tern_coap_txn_token_len(t), TERN_COAP_TOKEN_SIZE);
    for (int i = 0; i < TERN_COAP_TOKEN_SIZE; i++)
        assert_int_equal(tern_coap_txn_token(t)[i], 0xa5);
    tern_coap_txn_cancel(&f->ep, t);
    t = send_get(f, TERN_COAP_NON);
    assert_int_equal(t->mid, 0xa5a6);

    f->fp.random_fails = true;
    tern_coap_txn_cancel(&f->ep, t);
    tern_coap_writer_t w;
    assert_null(tern_coap_request_new(&f->ep, 0, &f->peer, TERN_COAP_CON, TERN_COAP_GET, &w));
}

static void test_piggybacked_response(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    t->tag = 42;
    uint8_t buf[256];
    size_t n = build(buf, TERN_COAP_ACK, TERN_COAP_CONTENT, t->mid, tern_coap_txn_token(t),
                     tern_coap_txn_token_len(t), "22.3 C");
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_RESPONSE);
    assert_ptr_equal(ev.txn, t);
    assert_int_equal(ev.txn->tag, 42);
    assert_int_equal(ev.msg.code, TERN_COAP_CONTENT);
    assert_memory_equal(ev.msg.payload, "22.3 C", 6);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
    /* no retransmission afterwards */
    fake_port_clear_sent(&f->fp);
    f->fp.now += 100000;
    poll_none(f);
    assert_int_equal(f->fp.n_sent, 0);
    /* a duplicate ACK is ignored */
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
}

static void test_ack_from_other_peer_or_token_ignored(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    uint8_t buf[256];
    uint8_t wrong_token[TERN_COAP_TOKEN_SIZE];
    memset(wrong_token, 0x77, sizeof(wrong_token));
    size_t n =
        build(buf, TERN_COAP_ACK, TERN_COAP_CONTENT, t->mid, wrong_token, sizeof(wrong_token), "x");
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    n = build(buf, TERN_COAP_ACK, TERN_COAP_CONTENT, t->mid, tern_coap_txn_token(t),
              tern_coap_txn_token_len(t), "x");
    tern_addr_t other = fake_addr(9);
    tern_coap_ep_input(&f->ep, 0, &other, buf, n, n, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING - 1);
}

/* RFC 7252 figure 20 style: empty ACK first, the response later as a CON. */
static void test_separate_response(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    fake_port_clear_sent(&f->fp);
    uint8_t buf[256];
    size_t n = build(buf, TERN_COAP_ACK, TERN_COAP_EMPTY, t->mid, NULL, 0, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    /* acknowledged: no more retransmissions */
    f->fp.now += 10000;
    poll_none(f);
    assert_int_equal(f->fp.n_sent, 0);

    n = build(buf, TERN_COAP_CON, TERN_COAP_CONTENT, 0xad7b, tern_coap_txn_token(t),
              tern_coap_txn_token_len(t), "22.3 C");
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_RESPONSE);
    assert_ptr_equal(ev.txn, t);
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d); /* our empty ACK for the separate response */
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.code, TERN_COAP_EMPTY);
    assert_int_equal(m.mid, 0xad7b);

    /* its retransmission (our ACK was lost) is acknowledged again, not delivered */
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.mid, 0xad7b);
}

static void test_separate_response_times_out(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    uint8_t buf[16];
    size_t n = build(buf, TERN_COAP_ACK, TERN_COAP_EMPTY, t->mid, NULL, 0, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    f->fp.now += tern_coap_exchange_lifetime_ms(&f->ep) - 1;
    poll_none(f);
    f->fp.now += 1;
    tern_coap_ep_poll(&f->ep, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_TIMEOUT);
}

static void test_non_request_non_response(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_NON);
    /* NON: never retransmitted */
    fake_port_clear_sent(&f->fp);
    f->fp.now += 10000;
    poll_none(f);
    assert_int_equal(f->fp.n_sent, 0);
    uint8_t buf[256];
    size_t n = build(buf, TERN_COAP_NON, TERN_COAP_CONTENT, 0x1111, tern_coap_txn_token(t),
                     tern_coap_txn_token_len(t), "v");
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_RESPONSE);
    assert_int_equal(f->fp.n_sent, 0); /* NON is not acknowledged */
}

static void test_reset_cancels(void **state)
{
    fixture_t *f = *state;
    tern_coap_txn_t *t = send_get(f, TERN_COAP_CON);
    uint8_t buf[16];
    size_t n = build(buf, TERN_COAP_RST, TERN_COAP_EMPTY, t->mid, NULL, 0, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_RESET);
    assert_ptr_equal(ev.txn, t);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
    /* an RST for an unknown MID is reported with no transaction */
    n = build(buf, TERN_COAP_RST, TERN_COAP_EMPTY, 0x4242, NULL, 0, NULL);
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_RESET);
    assert_null(ev.txn);
    assert_int_equal(ev.msg.mid, 0x4242);
}

static void test_unmatched_con_response_rejected(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[256];
    const uint8_t token[2] = { 1, 2 };
    size_t n = build(buf, TERN_COAP_CON, TERN_COAP_CONTENT, 0x5555, token, 2, "late");
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_RST);
    assert_int_equal(m.mid, 0x5555);
    /* an unmatched NON response is silently ignored */
    n = build(buf, TERN_COAP_NON, TERN_COAP_CONTENT, 0x5556, token, 2, "late");
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_int_equal(f->fp.n_sent, 0);
}

static void test_notification_acked(void **state)
{
    fixture_t *f = *state;
    const uint8_t token[3] = { 9, 8, 7 };
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_message_new(&f->ep, 0, &f->peer, TERN_COAP_CON, TERN_COAP_CONTENT, token, 3, &w);
    assert_non_null(t);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, 5);
    assert_int_equal(tern_coap_txn_send(&f->ep, t, &w, f->fp.now), 0);
    uint8_t buf[16];
    size_t n = build(buf, TERN_COAP_ACK, TERN_COAP_EMPTY, t->mid, NULL, 0, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_ACKED);
    assert_ptr_equal(ev.txn, t);

    /* a NON message frees its slot at once */
    t = tern_coap_message_new(&f->ep, 0, &f->peer, TERN_COAP_NON, TERN_COAP_CONTENT, token, 3, &w);
    assert_non_null(t);
    assert_int_equal(tern_coap_txn_send(&f->ep, t, &w, f->fp.now), 0);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
}

static void test_slots_exhausted(void **state)
{
    fixture_t *f = *state;
    for (int i = 0; i < TERN_COAP_MAX_PENDING; i++)
        send_get(f, TERN_COAP_CON);
    tern_coap_writer_t w;
    assert_null(tern_coap_request_new(&f->ep, 0, &f->peer, TERN_COAP_CON, TERN_COAP_GET, &w));
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), 0);
}

static void test_send_overflow_frees_slot(void **state)
{
    fixture_t *f = *state;
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_request_new(&f->ep, 0, &f->peer, TERN_COAP_CON, TERN_COAP_POST, &w);
    uint8_t big[TERN_COAP_BUFFER_SIZE];
    memset(big, 'x', sizeof(big));
    tern_coap_write_payload(&w, big, sizeof(big));
    assert_int_equal(tern_coap_txn_send(&f->ep, t, &w, f->fp.now), TERN_ERR_NO_SPACE);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
    assert_int_equal(f->fp.n_sent, 0);
}

/* A token longer than 8 bytes (5.3.1) is the writer's error: nothing is
 * sent and the slot is freed. */
static void test_long_token_refused(void **state)
{
    fixture_t *f = *state;
    const uint8_t token[TERN_COAP_MAX_TOKEN + 1] = { 0 };
    tern_coap_writer_t w;
    tern_coap_txn_t *t = tern_coap_message_new(&f->ep, 0, &f->peer, TERN_COAP_CON,
                                               TERN_COAP_CONTENT, token, sizeof(token), &w);
    assert_non_null(t);
    assert_int_equal(tern_coap_txn_send(&f->ep, t, &w, f->fp.now), TERN_ERR_ARG);
    assert_int_equal(tern_coap_ep_free_slots(&f->ep), TERN_COAP_MAX_PENDING);
    assert_int_equal(f->fp.n_sent, 0);
}

/* Incoming request, piggybacked response, then its duplicate. */
static void test_request_and_duplicate(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[256];
    const uint8_t token = 0x20;
    size_t n = build(buf, TERN_COAP_CON, TERN_COAP_GET, 0x7d34, &token, 1, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_REQUEST);
    tern_coap_writer_t w;
    tern_coap_respond_begin(&f->ep, &ev, TERN_COAP_CONTENT, &w);
    tern_coap_write_payload(&w, "22.3 C", 6);
    assert_int_equal(tern_coap_respond_send(&f->ep, &w), 0);
    fake_dgram_t first;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &first);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.mid, 0x7d34);
    assert_int_equal(m.token_len, 1);
    assert_int_equal(m.token[0], 0x20);

    /* the duplicate gets the same bytes and is not delivered again */
    f->fp.now += 5000;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    fake_dgram_t again;
    assert_true(fake_port_pop_sent(&f->fp, &again));
    assert_int_equal(again.len, first.len);
    assert_memory_equal(again.data, first.data, first.len);

    /* the same MID from another peer is a different message */
    tern_addr_t other = fake_addr(2);
    tern_coap_ep_input(&f->ep, 0, &other, buf, n, n, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_REQUEST);
}

static void test_duplicate_without_cached_response_dropped(void **state)
{
    fixture_t *f = *state;
    uint8_t a[64];
    uint8_t b[64];
    size_t na = build(a, TERN_COAP_CON, TERN_COAP_GET, 100, NULL, 0, NULL);
    size_t nb = build(b, TERN_COAP_CON, TERN_COAP_GET, 101, NULL, 0, NULL);
    tern_coap_event_t ev;
    tern_coap_writer_t w;
    input(f, a, na, &ev);
    tern_coap_respond_begin(&f->ep, &ev, TERN_COAP_CONTENT, &w);
    tern_coap_respond_send(&f->ep, &w);
    input(f, b, nb, &ev);
    tern_coap_respond_begin(&f->ep, &ev, TERN_COAP_CONTENT, &w);
    tern_coap_respond_send(&f->ep, &w);
    fake_port_clear_sent(&f->fp);
    /* MID 100's response has been replaced in the cache: drop, don't reprocess */
    input(f, a, na, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_int_equal(f->fp.n_sent, 0);
}

static void test_dedup_expires(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[64];
    size_t n = build(buf, TERN_COAP_CON, TERN_COAP_PUT, 7, NULL, 0, "1");
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_REQUEST);
    f->fp.now += tern_coap_exchange_lifetime_ms(&f->ep) - 1;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    f->fp.now += 1;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_REQUEST);
}

static void test_non_request_gets_non_response(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[64];
    const uint8_t token[2] = { 0xaa, 0xbb };
    size_t n = build(buf, TERN_COAP_NON, TERN_COAP_GET, 0x0101, token, 2, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_REQUEST);
    tern_coap_writer_t w;
    uint16_t next_mid = f->ep.next_mid;
    tern_coap_respond_begin(&f->ep, &ev, TERN_COAP_CONTENT, &w);
    tern_coap_respond_send(&f->ep, &w);
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_NON);
    assert_int_equal(m.mid, next_mid);
    assert_memory_equal(m.token, token, 2);
}

static void test_empty_ack_for_separate_response(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[64];
    const uint8_t token[2] = { 1, 2 };
    size_t n = build(buf, TERN_COAP_CON, TERN_COAP_GET, 0x7d38, token, 2, NULL);
    tern_coap_event_t ev;
    input(f, buf, n, &ev);
    assert_int_equal(tern_coap_respond_empty_ack(&f->ep, &ev), 0);
    fake_dgram_t d;
    assert_true(fake_port_pop_sent(&f->fp, &d));
    const uint8_t expected[] = { 0x60, 0x00, 0x7d, 0x38 };
    assert_int_equal(d.len, 4);
    assert_memory_equal(d.data, expected, 4);
    /* a retransmitted request gets the empty ACK again */
    input(f, buf, n, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_true(fake_port_pop_sent(&f->fp, &d));
    assert_memory_equal(d.data, expected, 4);
}

static void expect_rst(fixture_t *f, uint16_t mid)
{
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_RST);
    assert_int_equal(m.code, TERN_COAP_EMPTY);
    assert_int_equal(m.mid, mid);
    assert_int_equal(d.len, 4);
}

static void test_malformed_input(void **state)
{
    fixture_t *f = *state;
    tern_coap_event_t ev;
    /* malformed CON: RST */
    const uint8_t bad_con[] = { 0x40, 0x01, 0x12, 0x34, 0xf1, 'a' };
    input(f, bad_con, sizeof(bad_con), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    expect_rst(f, 0x1234);
    /* malformed NON, ACK: silence */
    const uint8_t bad_non[] = { 0x50, 0x01, 0x12, 0x35, 0xf1, 'a' };
    input(f, bad_non, sizeof(bad_non), &ev);
    const uint8_t bad_ack[] = { 0x60, 0x45, 0x12, 0x36, 0xff };
    input(f, bad_ack, sizeof(bad_ack), &ev);
    /* not CoAP at all: silence */
    const uint8_t junk[] = { 0x01, 0x02 };
    input(f, junk, sizeof(junk), &ev);
    const uint8_t v2[] = { 0x80, 0x01, 0x00, 0x01 };
    input(f, v2, sizeof(v2), &ev);
    assert_int_equal(f->fp.n_sent, 0);
    /* CON ping: RST; CON with a reserved class: RST; NON ping: silence */
    const uint8_t ping[] = { 0x40, 0x00, 0x22, 0x22 };
    input(f, ping, sizeof(ping), &ev);
    expect_rst(f, 0x2222);
    const uint8_t reserved[] = { 0x40, 0xe1, 0x22, 0x23 };
    input(f, reserved, sizeof(reserved), &ev);
    expect_rst(f, 0x2223);
    const uint8_t non_ping[] = { 0x50, 0x00, 0x22, 0x24 };
    input(f, non_ping, sizeof(non_ping), &ev);
    assert_int_equal(f->fp.n_sent, 0);
    /* a non-empty RST is malformed: ignored */
    const uint8_t rst_with_code[] = { 0x70, 0x45, 0x22, 0x25 };
    input(f, rst_with_code, sizeof(rst_with_code), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_int_equal(f->fp.n_sent, 0);
    assert_true(f->fp.n_logs > 0); /* every drop leaves a log line */
}

static void test_bad_option_responses(void **state)
{
    fixture_t *f = *state;
    tern_coap_event_t ev;
    /* unrecognized critical option 9 in a CON request: 4.02 piggybacked */
    const uint8_t con[] = { 0x41, 0x01, 0x30, 0x01, 0x77, 0x91, 'x' };
    input(f, con, sizeof(con), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.code, TERN_COAP_BAD_OPTION);
    assert_int_equal(m.mid, 0x3001);
    assert_int_equal(m.token[0], 0x77);
    /* ...in a NON request: silence */
    const uint8_t non[] = { 0x51, 0x01, 0x30, 0x02, 0x77, 0x91, 'x' };
    input(f, non, sizeof(non), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    assert_int_equal(f->fp.n_sent, 0);
    /* Proxy-Uri: 5.05 */
    uint8_t buf[64];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 0x3003, NULL, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_PROXY_URI, "coap://elsewhere/");
    input(f, buf, (size_t)tern_coap_writer_finish(&w), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    pop_parsed(f, &m, &d);
    assert_int_equal(m.code, TERN_COAP_PROXYING_NOT_SUPPORTED);
    /* Proxy-Scheme after other options: 5.05 too */
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, 0x3004, NULL, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "x");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_PROXY_SCHEME, "coap");
    input(f, buf, (size_t)tern_coap_writer_finish(&w), &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    pop_parsed(f, &m, &d);
    assert_int_equal(m.code, TERN_COAP_PROXYING_NOT_SUPPORTED);
    assert_int_equal(m.mid, 0x3004);
    /* an empty Proxy-Uri is a bad critical option first: 4.02 */
    const uint8_t empty_proxy[] = { 0x40, 0x01, 0x30, 0x05, 0xd0, 35 - 13 };
    input(f, empty_proxy, sizeof(empty_proxy), &ev);
    pop_parsed(f, &m, &d);
    assert_int_equal(m.code, TERN_COAP_BAD_OPTION);
}

static void test_truncated_request(void **state)
{
    fixture_t *f = *state;
    uint8_t buf[TERN_COAP_BUFFER_SIZE];
    const uint8_t token[2] = { 5, 6 };
    size_t n = build(buf, TERN_COAP_CON, TERN_COAP_PUT, 0x4444, token, 2, "x");
    tern_coap_event_t ev;
    tern_coap_ep_input(&f->ep, 0, &f->peer, buf, n, TERN_COAP_BUFFER_SIZE + 100, f->fp.now, &ev);
    assert_int_equal(ev.kind, TERN_COAP_EV_NONE);
    fake_dgram_t d;
    tern_coap_msg_t m;
    pop_parsed(f, &m, &d);
    assert_int_equal(m.type, TERN_COAP_ACK);
    assert_int_equal(m.code, TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    assert_int_equal(m.mid, 0x4444);
    assert_memory_equal(m.token, token, 2);
    uint32_t size1;
    assert_true(tern_coap_get_uint(&m, TERN_COAP_OPT_SIZE1, &size1));
    assert_int_equal(size1, TERN_COAP_BUFFER_SIZE);
    /* a truncated NON or response is dropped */
    n = build(buf, TERN_COAP_NON, TERN_COAP_PUT, 0x4445, token, 2, "x");
    tern_coap_ep_input(&f->ep, 0, &f->peer, buf, n, TERN_COAP_BUFFER_SIZE + 100, f->fp.now, &ev);
    assert_int_equal(f->fp.n_sent, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, setup),
        cmocka_unit_test_setup(test_retransmission_backoff, setup),
        cmocka_unit_test_setup(test_random_factor, setup),
        cmocka_unit_test_setup(test_configurable_parameters, setup),
        cmocka_unit_test_setup(test_tokens_and_mids_from_random_source, setup),
        cmocka_unit_test_setup(test_piggybacked_response, setup),
        cmocka_unit_test_setup(test_ack_from_other_peer_or_token_ignored, setup),
        cmocka_unit_test_setup(test_separate_response, setup),
        cmocka_unit_test_setup(test_separate_response_times_out, setup),
        cmocka_unit_test_setup(test_non_request_non_response, setup),
        cmocka_unit_test_setup(test_reset_cancels, setup),
        cmocka_unit_test_setup(test_unmatched_con_response_rejected, setup),
        cmocka_unit_test_setup(test_notification_acked, setup),
        cmocka_unit_test_setup(test_slots_exhausted, setup),
        cmocka_unit_test_setup(test_send_overflow_frees_slot, setup),
        cmocka_unit_test_setup(test_long_token_refused, setup),
        cmocka_unit_test_setup(test_request_and_duplicate, setup),
        cmocka_unit_test_setup(test_duplicate_without_cached_response_dropped, setup),
        cmocka_unit_test_setup(test_dedup_expires, setup),
        cmocka_unit_test_setup(test_non_request_gets_non_response, setup),
        cmocka_unit_test_setup(test_empty_ack_for_separate_response, setup),
        cmocka_unit_test_setup(test_malformed_input, setup),
        cmocka_unit_test_setup(test_bad_option_responses, setup),
        cmocka_unit_test_setup(test_truncated_request, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
