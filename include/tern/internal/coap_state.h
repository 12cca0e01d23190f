/*
 * State of Tern's CoAP message layer, laid out here only so that the
 * application can allocate a client statically. Nothing outside the
 * library may touch these fields; the functions live in src/coap/.
 */
#ifndef TERN_INTERNAL_COAP_STATE_H
#define TERN_INTERNAL_COAP_STATE_H

#ifndef TERN_INTERNAL_ALLOWED
#error "tern/internal/ headers are private: include tern/tern.h"
#endif

#include "tern/port.h"

#define TERN_COAP_MAX_TOKEN 8

/* Transmission parameters (RFC 7252 4.8). */
typedef struct tern_coap_params {
    uint32_t ack_timeout_ms;
    uint16_t ack_random_factor_permille;
    uint8_t max_retransmit;
} tern_coap_params_t;

enum tern_coap_txn_state {
    TERN_COAP_TXN_FREE = 0,
    TERN_COAP_TXN_BUILDING,     /* allocated, message being written */
    TERN_COAP_TXN_WAIT_ACK,     /* confirmable, not yet acknowledged */
    TERN_COAP_TXN_WAIT_RESPONSE /* acknowledged or NON, awaiting the response */
};

/* An outgoing message the layer keeps until it is answered. */
typedef struct tern_coap_txn {
    uint8_t state;
    uint8_t transmissions; /* how often it has been sent */
    uint8_t expects_response;
    uint16_t mid;
    uint16_t len;
    int16_t conn;
    uint16_t tag;         /* the owner's; the CoAP layer never touches it */
    uint32_t timeout_ms;  /* current back-off interval */
    tern_time_t deadline; /* next retransmission, or when to give up */
    tern_addr_t peer;
    uint8_t buf[TERN_COAP_BUFFER_SIZE]; /* the message: its header holds the token */
} tern_coap_txn_t;

/* A recently seen confirmable message, for duplicate detection. */
typedef struct tern_coap_seen {
    tern_time_t expires;
    tern_addr_t peer;
    int16_t conn;
    uint16_t mid;
} tern_coap_seen_t;

typedef struct tern_coap_ep {
    const tern_port_t *port;
    tern_coap_params_t params;
    uint32_t lifetime_ms; /* EXCHANGE_LIFETIME for params */
    uint32_t spread_ms;   /* the first timeout's random part at most */
    uint16_t next_mid;
    /* The request being answered; the response to a CON stays in
     * resp_buf and is resent for duplicates while resp_len is not 0. */
    uint8_t resp_type;
    uint16_t resp_mid;
    uint16_t resp_len;
    int16_t resp_conn;
    tern_addr_t resp_peer;
    tern_coap_seen_t seen[TERN_COAP_DEDUP_SLOTS];
    tern_coap_txn_t txns[TERN_COAP_MAX_PENDING];
#if TERN_COAP_RX_BUFFER
    uint8_t rx_buf[TERN_COAP_BUFFER_SIZE];
#endif
    uint8_t resp_buf[TERN_COAP_BUFFER_SIZE];
} tern_coap_ep_t;

#endif /* TERN_INTERNAL_COAP_STATE_H */
