/*
 * CoAP message layer (RFC 7252 section 4): confirmable transmission with
 * exponential back-off, ACK/RST handling, matching of piggybacked and
 * separate responses, duplicate detection with a cached response.
 *
 * A tern_coap_ep_t serves every connection of one client: each
 * transaction and each remembered message ID records its connection and
 * peer. It sends through the port itself (ACKs, RSTs, retransmissions,
 * cached responses) but owns no clock: every call that needs time takes
 * "now", so tests drive it with a fake clock.
 *
 *   caller                         tern_coap_ep
 *   ------                         ------------
 *   request_new(), write options -> slot + MID + token
 *   txn_send(now)                 -> sent, timer armed
 *   ep_poll(now) ...              -> retransmits; TIMEOUT after the last
 *   ep_input(datagram)            -> ACK/RST/response matched: RESPONSE,
 *                                    ACKED or RESET event, slot freed
 *   ep_input(request)             -> REQUEST event (duplicates answered
 *                                    from the cache, never delivered)
 *   respond_begin(), respond_send -> piggybacked or NON response
 */
#ifndef TERN_COAP_EP_H
#define TERN_COAP_EP_H

#include "coap/coap_msg.h"
#include "tern/internal/coap_state.h"
#include "tern/port.h"

typedef enum tern_coap_event_kind {
    TERN_COAP_EV_NONE = 0, /* handled inside the message layer */
    TERN_COAP_EV_REQUEST,  /* msg is a new request: answer it with respond_*() */
    TERN_COAP_EV_RESPONSE, /* msg is the response to txn */
    TERN_COAP_EV_ACKED,    /* txn, which expected no response, was acknowledged */
    TERN_COAP_EV_RESET,    /* the peer sent RST for txn, or for msg.mid when txn is NULL */
    TERN_COAP_EV_TIMEOUT   /* txn got no answer in time */
} tern_coap_event_kind_t;

/*
 * What ep_input() or ep_poll() reports. A txn named here has already been
 * freed; its fields (tag, token, mid) stay readable until the next call
 * that allocates one. msg points into the datagram passed to ep_input().
 */
typedef struct tern_coap_event {
    tern_coap_event_kind_t kind;
    int16_t conn;
    tern_addr_t peer;
    tern_coap_msg_t msg;
    tern_coap_txn_t *txn;
} tern_coap_event_t;

/* Fills *params with the configured defaults (TERN_COAP_* in config.h). */
void tern_coap_params_default(tern_coap_params_t *params);

/*
 * Initialises ep. port is not copied and must outlive ep; its random
 * source seeds the message IDs. params may be NULL for the defaults.
 */
void tern_coap_ep_init(tern_coap_ep_t *ep, const tern_port_t *port,
                       const tern_coap_params_t *params);

/* EXCHANGE_LIFETIME (RFC 7252 4.8.2) for ep's parameters, in ms. */
static inline uint32_t tern_coap_exchange_lifetime_ms(const tern_coap_ep_t *ep)
{
    return ep->lifetime_ms; /* computed by ep_init() */
}

/*
 * Allocates a transaction for a message to peer on conn, with a fresh
 * MID, and starts *w on its buffer with the header written. With a NULL
 * token, a request (code 0.01..0.31): a random token of
 * TERN_COAP_TOKEN_SIZE bytes (token_len is ignored) and a response
 * expected; see request_new(). Otherwise a message that expects no
 * response, with the given token: a notification or a separate response;
 * a CON one ends in ACKED, RESET or TIMEOUT, a NON one is freed once
 * sent. A token longer than 8 bytes is the writer's TERN_ERR_ARG. Returns
 * NULL when every slot is busy (or the random source fails).
 */
tern_coap_txn_t *tern_coap_message_new(tern_coap_ep_t *ep, int conn, const tern_addr_t *peer,
                                       uint8_t type, uint8_t code, const uint8_t *token,
                                       size_t token_len, tern_coap_writer_t *w);

/* A request of type CON or NON with a random token of TERN_COAP_TOKEN_SIZE bytes. */
static inline tern_coap_txn_t *tern_coap_request_new(tern_coap_ep_t *ep, int conn,
                                                     const tern_addr_t *peer, uint8_t type,
                                                     uint8_t code, tern_coap_writer_t *w)
{
    return tern_coap_message_new(ep, conn, peer, type, code, NULL, 0, w);
}

/* The token of a transaction's message, kept in its header. */
static inline const uint8_t *tern_coap_txn_token(const tern_coap_txn_t *txn)
{
    return txn->buf + TERN_COAP_HEADER_SIZE;
}

static inline size_t tern_coap_txn_token_len(const tern_coap_txn_t *txn)
{
    return txn->buf[0] & 0x0fu;
}

/*
 * Finishes the message in *w and sends it, arming the retransmission
 * timer of a CON. Returns 0, or the writer's error (the transaction is
 * freed then). A send error of the port is not returned for CON: the
 * retransmissions will try again.
 */
int tern_coap_txn_send(tern_coap_ep_t *ep, tern_coap_txn_t *txn, tern_coap_writer_t *w,
                       tern_time_t now);

/* Frees a transaction the owner no longer wants answered. */
static inline void tern_coap_txn_cancel(tern_coap_ep_t *ep, tern_coap_txn_t *txn)
{
    (void)ep;
    txn->state = TERN_COAP_TXN_FREE;
}

/* Frees every transaction on connection conn (which is closing). */
void tern_coap_cancel_conn(tern_coap_ep_t *ep, int conn);

/*
 * Processes one received datagram: data holds the first `len` bytes of a
 * datagram of `full_len` bytes (larger when the port truncated it).
 * Replies at the message layer itself (ACK, RST, 4.02, 4.13, 5.05,
 * cached responses) and stores in *ev what the caller must handle.
 */
void tern_coap_ep_input(tern_coap_ep_t *ep, int conn, const tern_addr_t *from, const uint8_t *data,
                        size_t len, size_t full_len, tern_time_t now, tern_coap_event_t *ev);

/*
 * Retransmits what is due and reports one expired transaction at a time
 * as TIMEOUT. Call until it reports TERN_COAP_EV_NONE.
 */
void tern_coap_ep_poll(tern_coap_ep_t *ep, tern_time_t now, tern_coap_event_t *ev);

/* The earliest time ep_poll() has work, or INT64_MAX when idle. */
tern_time_t tern_coap_ep_next_deadline(const tern_coap_ep_t *ep);

/* Number of free transaction slots. */
size_t tern_coap_ep_free_slots(const tern_coap_ep_t *ep);

/*
 * Starts the response to the REQUEST in *req in the response buffer:
 * piggybacked on the ACK for a CON, a NON with a new MID for a NON.
 */
void tern_coap_respond_begin(tern_coap_ep_t *ep, const tern_coap_event_t *req, uint8_t code,
                             tern_coap_writer_t *w);

/*
 * Sends the response started by respond_begin() and keeps it for
 * duplicates of a CON request. Returns 0 or the writer's error, in which
 * case nothing was sent and the caller should answer 5.00 instead.
 */
int tern_coap_respond_send(tern_coap_ep_t *ep, tern_coap_writer_t *w);

/*
 * Acknowledges a CON request with an empty ACK; the response will follow
 * separately (message_new() with the request's token). Returns 0 or a
 * port error.
 */
int tern_coap_respond_empty_ack(tern_coap_ep_t *ep, const tern_coap_event_t *req);

#endif /* TERN_COAP_EP_H */
