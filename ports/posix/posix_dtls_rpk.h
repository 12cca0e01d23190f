/* POSIX port, DTLS with raw public keys (RFC 7250) through GnuTLS: the
 * state shared by posix_dtls_rpk.c (the connection), posix_dtls_rpk_setup.c
 * (keys, pinning, priorities) and posix_dtls_rpk_diag.c (reasons). */
#ifndef TERN_POSIX_DTLS_RPK_H
#define TERN_POSIX_DTLS_RPK_H

#include <gnutls/abstract.h>
#include <gnutls/dtls.h>
#include <gnutls/gnutls.h>

#include "posix_internal.h"

/* "SHA256:" and the first 8 bytes of the key's SHA-256 in hex, NUL */
#define RPK_FINGERPRINT_SIZE 24

/* What the pinning check found in the server's Certificate message. */
enum {
    RPK_PEER_UNCHECKED = 0, /* not seen yet */
    RPK_PEER_PINNED = 1,    /* exactly the configured key */
    RPK_PEER_MISMATCH = 2,  /* a raw public key, but another one */
    RPK_PEER_NOT_RAW = 3,   /* an X.509 certificate or nothing */
};

struct tern_posix_rpk {
    gnutls_session_t session;
    gnutls_certificate_credentials_t cred;
    gnutls_datum_t server_key; /* the pinned SubjectPublicKeyInfo, DER */
    tern_posix_t *px;
    int fd;                /* connected to peer */
    uint8_t state;         /* DTLS_* */
    uint8_t peer_check;    /* RPK_PEER_* */
    bool reported;         /* the failure or closure was returned by net_recv */
    bool refused;          /* the socket had an ICMP port unreachable */
    tern_time_t opened_at; /* net_open */
    tern_time_t timer_at;  /* when GnuTLS wants the handshake called again */
    tern_addr_t peer;
    char peer_text[64];
    char own_print[RPK_FINGERPRINT_SIZE];    /* our key, for logs */
    char server_print[RPK_FINGERPRINT_SIZE]; /* the configured server key */
    char seen_print[RPK_FINGERPRINT_SIZE];   /* the key the server presented */
    tern_posix_dtls_info_t info;
    size_t queued_len;
    uint8_t queued[DTLS_QUEUE_SIZE];
};

/* posix_dtls_rpk_setup.c */

/*
 * Creates r->session and r->cred from sec (own key pair, the server's key
 * to pin, the cipher suites) and checks that the keys are usable and
 * belong together. Returns 0, or TERN_ERR_ARG / TERN_ERR_NO_SPACE with
 * one log line saying what is wrong.
 */
int tern_posix_rpk_configure(struct tern_posix_rpk *r, const tern_net_security_t *sec);

/* Frees what tern_posix_rpk_configure made. */
void tern_posix_rpk_unconfigure(struct tern_posix_rpk *r);

/* posix_dtls_rpk_diag.c: one readable reason for a failed handshake or a
 * session that ended, from GnuTLS's error code, written to buf. */
void tern_posix_rpk_handshake_error(const struct tern_posix_rpk *r, int ret, char *buf, size_t cap);
void tern_posix_rpk_session_error(const struct tern_posix_rpk *r, int ret, char *buf, size_t cap);

#endif
