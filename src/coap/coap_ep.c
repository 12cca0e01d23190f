/* CoAP message layer (RFC 7252 section 4). */
#include "coap/coap_ep.h"

#include <string.h>

#include "coap/coap_block.h"
#include "core/compiler.h"
#include "core/log.h"

#define NO_DEADLINE INT64_MAX

void tern_coap_params_default(tern_coap_params_t *params)
{
    params->ack_timeout_ms = TERN_COAP_ACK_TIMEOUT_MS;
    params->ack_random_factor_permille = TERN_COAP_ACK_RANDOM_FACTOR_PERMILLE;
    params->max_retransmit = TERN_COAP_MAX_RETRANSMIT;
}

static int get_random(tern_coap_ep_t *ep, uint8_t *buf, size_t len)
{
    return ep->port->ops->random(ep->port->ctx, buf, len);
}

void tern_coap_ep_init(tern_coap_ep_t *ep, const tern_port_t *port,
                       const tern_coap_params_t *params)
{
    memset(ep, 0, sizeof(*ep));
    ep->port = port;
    if (params != NULL)
        ep->params = *params;
    else
        tern_coap_params_default(&ep->params);
    /* In 32-bit arithmetic (no 64-bit division on small cores), once:
     * the spread of the first timeout, ACK_TIMEOUT * (ACK_RANDOM_FACTOR -
     * 1) (4.2), and EXCHANGE_LIFETIME, MAX_TRANSMIT_SPAN + 2 * MAX_LATENCY
     * + PROCESSING_DELAY (4.8.2). */
    uint32_t tenth = ep->params.ack_timeout_ms / 10u;
    ep->spread_ms = tenth * (ep->params.ack_random_factor_permille - 1000u) / 100u;
    uint32_t span = tenth * ep->params.ack_random_factor_permille / 100u
                    * ((1u << ep->params.max_retransmit) - 1u);
    ep->lifetime_ms = span + 2u * TERN_COAP_MAX_LATENCY_MS + ep->params.ack_timeout_ms;
    /* 4.4: start MIDs at a random value; a failing source leaves 0. */
    (void)get_random(ep, (uint8_t *)&ep->next_mid, sizeof(ep->next_mid));
}

static bool same_peer(int conn_a, const tern_addr_t *a, int conn_b, const tern_addr_t *b)
{
    /* len comes first: one comparison covers it and the bytes */
    return conn_a == conn_b && memcmp(a, b, 1u + a->len) == 0;
}

/* Sends a datagram; returns 0, or the port's error other than WOULD_BLOCK
 * (which the retransmissions cover). */
static int send_datagram(tern_coap_ep_t *ep, int conn, const tern_addr_t *to, const uint8_t *data,
                         size_t len)
{
    int rc = ep->port->ops->net_send(ep->port->ctx, conn, to, data, len);
    if (rc >= 0 || rc == TERN_ERR_WOULD_BLOCK)
        return 0;
    TERN_LOG_W(ep->port, "coap: send of %u bytes failed (%d)", (unsigned)len, rc);
    return rc;
}

/* Answers the message in *ev with an Empty message (ACK or RST). */
static void send_empty(tern_coap_ep_t *ep, const tern_coap_event_t *ev, uint8_t type)
{
    uint16_t mid = ev->msg.mid;
    uint8_t msg[TERN_COAP_HEADER_SIZE] = { (uint8_t)(0x40 | (type << 4)), TERN_COAP_EMPTY,
                                           (uint8_t)(mid >> 8), (uint8_t)mid };
    (void)send_datagram(ep, ev->conn, &ev->peer, msg, sizeof(msg));
}

/* ---- outgoing transactions ------------------------------------------ */

tern_coap_txn_t *tern_coap_message_new(tern_coap_ep_t *ep, int conn, const tern_addr_t *peer,
                                       uint8_t type, uint8_t code, const uint8_t *token,
                                       size_t token_len, tern_coap_writer_t *w)
{
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        tern_coap_txn_t *t = &ep->txns[i];
        if (t->state != TERN_COAP_TXN_FREE)
            continue;
        memset(t, 0, offsetof(tern_coap_txn_t, buf));
        uint8_t *t_token = t->buf + TERN_COAP_HEADER_SIZE; /* where the header leaves it */
        if (token == NULL) {
            token_len = TERN_COAP_TOKEN_SIZE; /* 1..8, checked by config_check.h */
            if (get_random(ep, t_token, TERN_COAP_TOKEN_SIZE) != 0) {
                TERN_LOG_E(ep->port, "coap: random source failed, no token");
                return NULL; /* the slot stays free */
            }
            token = t_token;
            t->expects_response = 1;
        }
        t->state = TERN_COAP_TXN_BUILDING;
        t->conn = (int16_t)conn;
        t->peer = *peer;
        t->mid = ep->next_mid++;
        tern_coap_writer_start(w, t->buf, sizeof(t->buf), type, code, t->mid, token, token_len);
        return t;
    }
    TERN_LOG_W(ep->port, "coap: all %u transaction slots busy", (unsigned)TERN_COAP_MAX_PENDING);
    return NULL;
}

/* First timeout: ACK_TIMEOUT scaled by a random factor in [1, ACK_RANDOM_FACTOR]
 * (4.2), in 256 steps; 32 bits hold spreads up to 4.6 hours. */
static uint32_t initial_timeout_ms(tern_coap_ep_t *ep)
{
    uint8_t r = 0;
    (void)get_random(ep, &r, 1);
    return ep->params.ack_timeout_ms + ep->spread_ms * r / 255u;
}

/* Sends txn (again) and arms its timer for timeout_ms from now. */
static TERN_NOINLINE int transmit(tern_coap_ep_t *ep, tern_coap_txn_t *t, tern_time_t now)
{
    t->transmissions++;
    t->deadline = now + t->timeout_ms;
    return send_datagram(ep, t->conn, &t->peer, t->buf, t->len);
}

int tern_coap_txn_send(tern_coap_ep_t *ep, tern_coap_txn_t *txn, tern_coap_writer_t *w,
                       tern_time_t now)
{
    int len = tern_coap_writer_finish(w);
    txn->state = TERN_COAP_TXN_FREE;
    if (len < 0) {
        TERN_LOG_E(ep->port, "coap: message does not fit (%d)", len);
        return len;
    }
    txn->len = (uint16_t)len;
    bool confirmable = (txn->buf[0] & 0x30) == (TERN_COAP_CON << 4);
    /* a NON awaits its response for EXCHANGE_LIFETIME */
    txn->timeout_ms = tern_coap_exchange_lifetime_ms(ep);
    if (confirmable) {
        txn->state = TERN_COAP_TXN_WAIT_ACK;
        txn->timeout_ms = initial_timeout_ms(ep);
    } else if (txn->expects_response) {
        txn->state = TERN_COAP_TXN_WAIT_RESPONSE;
    }
    int rc = transmit(ep, txn, now);
    if (rc != 0 && !confirmable) {
        txn->state = TERN_COAP_TXN_FREE;
        return rc;
    }
    return 0;
}

void tern_coap_cancel_conn(tern_coap_ep_t *ep, int conn)
{
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        if (ep->txns[i].conn == conn)
            ep->txns[i].state = TERN_COAP_TXN_FREE; /* a free one stays free */
    }
}

size_t tern_coap_ep_free_slots(const tern_coap_ep_t *ep)
{
    size_t n = 0;
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++)
        n += ep->txns[i].state == TERN_COAP_TXN_FREE;
    return n;
}

static void finish_event(tern_coap_event_t *ev, tern_coap_event_kind_t kind, tern_coap_txn_t *t)
{
    ev->kind = kind;
    ev->txn = t;
    if (t != NULL)
        t->state = TERN_COAP_TXN_FREE;
}

void tern_coap_ep_poll(tern_coap_ep_t *ep, tern_time_t now, tern_coap_event_t *ev)
{
    memset(ev, 0, sizeof(*ev));
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        tern_coap_txn_t *t = &ep->txns[i];
        if (t->state < TERN_COAP_TXN_WAIT_ACK || t->deadline > now)
            continue;
        if (t->state == TERN_COAP_TXN_WAIT_ACK && t->transmissions <= ep->params.max_retransmit) {
            /* 4.2: double the timeout and send again. */
            TERN_LOG_D(ep->port, "coap: retransmission %u of MID %u", t->transmissions, t->mid);
            t->timeout_ms *= 2;
            (void)transmit(ep, t, now);
            continue;
        }
        TERN_LOG_W(ep->port, "coap: MID %u timed out after %u transmissions", t->mid,
                   t->transmissions);
        ev->conn = t->conn;
        ev->peer = t->peer;
        finish_event(ev, TERN_COAP_EV_TIMEOUT, t);
        return;
    }
}

tern_time_t tern_coap_ep_next_deadline(const tern_coap_ep_t *ep)
{
    tern_time_t next = NO_DEADLINE;
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        const tern_coap_txn_t *t = &ep->txns[i];
        if (t->state >= TERN_COAP_TXN_WAIT_ACK && t->deadline < next)
            next = t->deadline;
    }
    return next;
}

/* ---- incoming messages ---------------------------------------------- */

/*
 * The transaction the ACK, RST or response in *ev answers: an ACK or RST
 * matches an unacknowledged message by MID (4.4), anything with a code
 * matches a request by token (5.3.2); both for an ACK with a response.
 */
static tern_coap_txn_t *find_txn(tern_coap_ep_t *ep, const tern_coap_event_t *ev)
{
    const tern_coap_msg_t *m = &ev->msg;
    for (size_t i = 0; i < TERN_COAP_MAX_PENDING; i++) {
        tern_coap_txn_t *t = &ep->txns[i];
        if (t->state < TERN_COAP_TXN_WAIT_ACK || !same_peer(t->conn, &t->peer, ev->conn, &ev->peer))
            continue;
        if (m->type >= TERN_COAP_ACK && (t->state != TERN_COAP_TXN_WAIT_ACK || t->mid != m->mid))
            continue;
        if (m->code != TERN_COAP_EMPTY
            && (!t->expects_response || tern_coap_txn_token_len(t) != m->token_len
                || memcmp(tern_coap_txn_token(t), m->token, m->token_len) != 0))
            continue;
        return t;
    }
    return NULL;
}

/*
 * Remembers a CON's MID for EXCHANGE_LIFETIME (4.5), in place of the
 * oldest entry. Returns true when it was already there, i.e. the message
 * is a duplicate.
 */
static bool seen_before(tern_coap_ep_t *ep, const tern_coap_event_t *ev, tern_time_t now)
{
    tern_coap_seen_t *oldest = ep->seen;
    for (size_t i = 0; i < TERN_COAP_DEDUP_SLOTS; i++) {
        tern_coap_seen_t *s = &ep->seen[i];
        if (s->expires > now && s->mid == ev->msg.mid
            && same_peer(s->conn, &s->peer, ev->conn, &ev->peer))
            return true;
        if (s->expires < oldest->expires)
            oldest = s;
    }
    oldest->expires = now + tern_coap_exchange_lifetime_ms(ep);
    oldest->peer = ev->peer;
    oldest->conn = ev->conn;
    oldest->mid = ev->msg.mid;
    return false;
}

/*
 * Answers a request at the message layer with an error: 4.02, 5.05, or
 * 4.13 with Size1 (4.6) for one too large for our buffer. parsed tells
 * whether the (truncated) request parsed, so that its options are usable.
 */
static void respond_error(tern_coap_ep_t *ep, const tern_coap_event_t *ev, uint8_t code,
                          bool parsed)
{
    tern_coap_writer_t w;
    tern_coap_respond_begin(ep, ev, code, &w);
    if (code == TERN_COAP_REQUEST_ENTITY_TOO_LARGE) {
#if TERN_WITH_BLOCK
        /* RFC 7959 2.9.3: a block-wise upload learns the block size we take */
        tern_coap_block_t block;
        if (parsed && tern_coap_get_block(&ev->msg, TERN_COAP_OPT_BLOCK1, &block) == 1) {
            block.more = 0;
            block.szx = tern_coap_block_szx(TERN_COAP_BLOCK_SIZE);
            tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK1, &block);
        }
#else
        (void)parsed;
#endif
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_SIZE1, TERN_COAP_BUFFER_SIZE);
    }
    (void)tern_coap_respond_send(ep, &w);
}

/* A new request: rejected here, or delivered as a REQUEST event. */
static void input_request(tern_coap_ep_t *ep, tern_coap_event_t *ev)
{
    const tern_coap_msg_t *m = &ev->msg;
    uint8_t error = 0;
    uint16_t bad = tern_coap_bad_critical_option(m);
    if (bad != 0) {
        /* 5.4.1: 4.02 for a CON request, silence for a NON. */
        TERN_LOG_W(ep->port, "coap: unrecognized critical option %u in request", bad);
        if (m->type != TERN_COAP_CON)
            return;
        error = TERN_COAP_BAD_OPTION;
    } else if (m->proxy) {
        error = TERN_COAP_PROXYING_NOT_SUPPORTED; /* 5.7.2 */
    }
    if (error != 0)
        respond_error(ep, ev, error, true);
    else
        ev->kind = TERN_COAP_EV_REQUEST;
}

/*
 * Handles a well-formed message; returns the Empty message a CON gets in
 * reply (TERN_COAP_ACK or TERN_COAP_RST), or 0 for none.
 */
static TERN_NOINLINE uint8_t input_message(tern_coap_ep_t *ep, tern_coap_event_t *ev,
                                           tern_time_t now)
{
    const tern_coap_msg_t *m = &ev->msg;
    uint8_t cls = TERN_COAP_CODE_CLASS(m->code);
    bool empty = m->code == TERN_COAP_EMPTY;
    bool response = cls >= 2 && cls <= 5; /* 12.1: 2.00-5.31; 1, 6, 7 reserved */
    bool request = cls == 0 && !empty;
    if (m->type == TERN_COAP_RST) {
        /* 4.2: an RST must be Empty; anything else is malformed */
        if (empty) {
            TERN_LOG_D(ep->port, "coap: RST for MID %u", m->mid);
            finish_event(ev, TERN_COAP_EV_RESET, find_txn(ep, ev));
        }
        return 0;
    }
    if (m->type == TERN_COAP_CON && (request || response) && seen_before(ep, ev, now)) {
        if (response)
            return TERN_COAP_ACK; /* our ACK was lost: ACK it again */
        if (ep->resp_len != 0 && ep->resp_mid == m->mid
            && same_peer(ep->resp_conn, &ep->resp_peer, ev->conn, &ev->peer)) {
            TERN_LOG_D(ep->port, "coap: duplicate MID %u, resending response", m->mid);
            (void)send_datagram(ep, ev->conn, &ev->peer, ep->resp_buf, ep->resp_len);
        } else {
            TERN_LOG_D(ep->port, "coap: duplicate MID %u dropped", m->mid);
        }
        return 0;
    }
    if (request) {
        input_request(ep, ev);
        return 0;
    }
    if (!response && !(empty && m->type == TERN_COAP_ACK)) {
        /* 4.2: a CON ping or a reserved class gets RST; anything else
         * (a NON, an ACK with a request code) is ignored. */
        TERN_LOG_D(ep->port, "coap: MID %u with code %u not processed", m->mid, m->code);
        return TERN_COAP_RST;
    }
    /* a response (piggybacked, separate or NON) or an Empty ACK */
    tern_coap_txn_t *t = find_txn(ep, ev);
    if (t != NULL && empty) {
        if (!t->expects_response) {
            finish_event(ev, TERN_COAP_EV_ACKED, t);
            return 0;
        }
        /* 5.2.2: the response will come separately. */
        t->state = TERN_COAP_TXN_WAIT_RESPONSE;
        t->deadline = now + tern_coap_exchange_lifetime_ms(ep);
        return 0;
    }
    if (t == NULL || tern_coap_bad_critical_option(m) != 0) {
        /* 4.2, 5.4.1: reject what we cannot match or understand */
        TERN_LOG_D(ep->port, "coap: %s response MID %u rejected",
                   t == NULL ? "unmatched" : "unprocessable", m->mid);
        return TERN_COAP_RST;
    }
    finish_event(ev, TERN_COAP_EV_RESPONSE, t);
    return TERN_COAP_ACK;
}

void tern_coap_ep_input(tern_coap_ep_t *ep, int conn, const tern_addr_t *from, const uint8_t *data,
                        size_t len, size_t full_len, tern_time_t now, tern_coap_event_t *ev)
{
    ev->kind = TERN_COAP_EV_NONE; /* ev->msg is cleared by the parser */
    ev->txn = NULL;
    ev->conn = (int16_t)conn;
    ev->peer = *from;
    tern_coap_msg_t *m = &ev->msg;
    int rc = tern_coap_parse(m, data, len);
    if (rc == TERN_ERR_CORRUPT) {
        TERN_LOG_W(ep->port, "coap: %u-byte datagram is not CoAP, dropped", (unsigned)len);
        return;
    }
    if (full_len > len) {
        /* 4.6: a CON request too large for our buffer gets 4.13, when its
         * token is complete; anything else is dropped. */
        TERN_LOG_W(ep->port, "coap: %u-byte datagram exceeds the %u-byte buffer",
                   (unsigned)full_len, (unsigned)TERN_COAP_BUFFER_SIZE);
        if (m->type == TERN_COAP_CON && TERN_COAP_CODE_CLASS(m->code) == 0
            && m->code != TERN_COAP_EMPTY && m->token_len == (data[0] & 0x0f))
            respond_error(ep, ev, TERN_COAP_REQUEST_ENTITY_TOO_LARGE, rc == 0);
        return;
    }
    /* 4.2, 4.3: a malformed CON is rejected with RST, anything else
     * malformed ignored. */
    uint8_t reply = TERN_COAP_RST;
    if (rc == 0)
        reply = input_message(ep, ev, now);
    else
        TERN_LOG_W(ep->port, "coap: malformed message MID %u dropped", m->mid);
    if (reply != 0 && m->type == TERN_COAP_CON)
        send_empty(ep, ev, reply);
}

/* ---- answering requests --------------------------------------------- */

void tern_coap_respond_begin(tern_coap_ep_t *ep, const tern_coap_event_t *req, uint8_t code,
                             tern_coap_writer_t *w)
{
    const tern_coap_msg_t *m = &req->msg;
    bool con = m->type == TERN_COAP_CON;
    ep->resp_len = 0; /* nothing to resend while this one is written */
    ep->resp_type = m->type;
    ep->resp_mid = m->mid;
    ep->resp_conn = req->conn;
    ep->resp_peer = req->peer;
    /* an Empty ACK carries no token (4.1) */
    tern_coap_writer_start(w, ep->resp_buf, sizeof(ep->resp_buf),
                           con ? TERN_COAP_ACK : TERN_COAP_NON, code, con ? m->mid : ep->next_mid++,
                           m->token, code != TERN_COAP_EMPTY ? m->token_len : 0);
}

int tern_coap_respond_send(tern_coap_ep_t *ep, tern_coap_writer_t *w)
{
    int len = tern_coap_writer_finish(w);
    if (len < 0) {
        TERN_LOG_E(ep->port, "coap: response does not fit (%d)", len);
        return len;
    }
    (void)send_datagram(ep, ep->resp_conn, &ep->resp_peer, ep->resp_buf, (size_t)len);
    if (ep->resp_type == TERN_COAP_CON)
        ep->resp_len = (uint16_t)len; /* kept for duplicates of the request */
    return 0;
}

int tern_coap_respond_empty_ack(tern_coap_ep_t *ep, const tern_coap_event_t *req)
{
    if (req->msg.type != TERN_COAP_CON)
        return TERN_ERR_STATE;
    tern_coap_writer_t w;
    tern_coap_respond_begin(ep, req, TERN_COAP_EMPTY, &w);
    return tern_coap_respond_send(ep, &w);
}
