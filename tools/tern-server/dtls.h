/* coaps://: DTLS through libcoap's OpenSSL backend. PSK identities and
 * keys (from the command line or a credentials file), the server's
 * certificate and the CA client certificates must chain to, and one
 * readable line for each handshake that fails. */
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

void dtls_free(srv_t *srv);

#endif
