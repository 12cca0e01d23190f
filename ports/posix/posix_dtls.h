/* POSIX port, DTLS with mbed TLS (PSK and certificates): the state shared
 * by posix_dtls.c (the connection) and posix_dtls_setup.c (credentials,
 * random generator, resumption). Raw public keys: posix_dtls_rpk.h. */
#ifndef TERN_POSIX_DTLS_H
#define TERN_POSIX_DTLS_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "posix_internal.h"

/*
 * In PSK mode, how many times the server may repeat its flight after our
 * Finished before the handshake is given up as "wrong key" (about 7 s
 * with the usual 1, 2, 4 s server timer) instead of waiting for the time-out.
 */
#define DTLS_MAX_PEER_REPEATS 3

/* Our own reason for a failed handshake, next to mbed TLS's error codes. */
#define DTLS_ERR_FINISHED_REFUSED 1

struct tern_posix_dtls {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt own_cert; /* certificate mode */
    mbedtls_pk_context own_key;
    mbedtls_x509_crt trust; /* the server's certificate or its CA */
    tern_posix_t *px;
    int fd;                /* connected to peer */
    uint8_t state;         /* DTLS_* */
    uint8_t mode;          /* TERN_NET_PSK, _CERT */
    bool pinned;           /* trust is the server's own (not a CA) certificate */
    bool reported;         /* the failure or closure was returned by net_recv */
    bool offered;          /* a session was offered for resumption */
    bool final_sent;       /* our last handshake flight went out */
    bool rx_since_send;    /* a datagram came in since the last one went out */
    uint8_t peer_repeats;  /* times the server repeated its flight after it */
    tern_time_t repeat_at; /* when the last repeat was counted */
    uint8_t offered_master[48];
    uint8_t cache_key[32]; /* digest of the peer and the credentials */
    tern_addr_t peer;
    char peer_text[64];
    char who[48]; /* PSK identity or certificate subject, for logs */
    tern_time_t timer_start;
    uint32_t timer_int_ms, timer_fin_ms; /* fin 0: stopped */
    tern_time_t opened_at;
    tern_posix_dtls_info_t info;
    size_t queued_len;
    uint8_t queued[DTLS_QUEUE_SIZE];
};

typedef struct dtls_cached_session {
    bool used;
    uint8_t key[32];
    tern_time_t stored_at;
    mbedtls_ssl_session session;
} dtls_cached_session_t;

struct tern_posix_dtls_shared {
    mbedtls_ctr_drbg_context drbg;
    dtls_cached_session_t sessions[TERN_POSIX_DTLS_SESSIONS];
};

/* posix_dtls_setup.c */

/* px's DRBG and session store, created (and seeded) at the first call;
 * NULL when that fails. */
struct tern_posix_dtls_shared *tern_posix_dtls_shared_get(tern_posix_t *px);

/* Fills d->conf (and the credential fields) from sec. Returns 0, or
 * TERN_ERR_ARG with one log line saying what is wrong with sec. */
int tern_posix_dtls_configure(struct tern_posix_dtls *d, const tern_net_security_t *sec);

/* The session stored for d's peer and credentials, if any, is offered. */
void tern_posix_dtls_offer_session(struct tern_posix_dtls *d);
/* Stores d's just-established session for the next connection. */
void tern_posix_dtls_save_session(struct tern_posix_dtls *d);
/* Forgets the session of d's peer and credentials. */
void tern_posix_dtls_forget_session(struct tern_posix_dtls *d);

/* posix_dtls_diag.c: one readable reason for a failed handshake or a
 * session that ended, written to buf. */
void tern_posix_dtls_handshake_error(const struct tern_posix_dtls *d, int ret, char *buf,
                                     size_t cap);
void tern_posix_dtls_session_error(const struct tern_posix_dtls *d, int ret, char *buf, size_t cap);

#endif
