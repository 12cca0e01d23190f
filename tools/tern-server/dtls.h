/* coaps://: DTLS through libcoap's OpenSSL backend (tern-server) or its
 * GnuTLS backend (tern-server-gnutls). PSK identities and keys (from the
 * command line or a credentials file), the server's certificate and the
 * CA client certificates must chain to, or raw public keys (dtls_rpk.h,
 * GnuTLS only), and one readable line for each handshake that fails. */
#ifndef SRV_DTLS_H
#define SRV_DTLS_H

#include "server.h"

/* True when an option asks for DTLS (the endpoint is then coaps://). */
bool dtls_wanted(const srv_options_t *opt);

/* Loads the credentials and gives them to libcoap; prints what is wrong
 * on stderr and returns false when they are unusable. */
bool dtls_setup(srv_t *srv);

/* Reports handshakes that stalled (a wrong PSK shows only that way). */
void dtls_tick(srv_t *srv, int64_t now);
int64_t dtls_next_deadline(const srv_t *srv);

/* Turns libcoap's log lines about a failed handshake into one dtls-failed
 * line; true when message was one of them (and is not to be printed). */
bool dtls_log_filter(const char *message);

/*
 * A request came in on session s: reports dtls-connected for it if that
 * has not been done. libcoap 4.3.1's GnuTLS backend completes a server
 * handshake without raising COAP_EVENT_DTLS_CONNECTED (its OpenSSL
 * backend raises it), so the first request (registry.c) stands in for it.
 */
void dtls_session_active(srv_t *srv, coap_session_t *s);

void dtls_free(srv_t *srv);

#endif
