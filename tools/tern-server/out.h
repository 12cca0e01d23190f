/* Everything tern-server prints: one event per call, either as readable
 * lines or (--json) as exactly one JSON object per line on stdout.
 * Asynchronous events (registrations, notifications, ...) are left out by
 * --quiet; command results, errors and the "listening" line never are.
 * Human-readable errors go to stderr. */
#ifndef SRV_OUT_H
#define SRV_OUT_H

#include "ops.h"
#include "registry.h"
#include "server.h"
#include "values.h"

void out_listening(srv_t *srv);
/* event: registered, updated, deregistered, expired; replaces: the
 * location of an earlier registration of the same endpoint, or NULL. */
void out_client_event(srv_t *srv, const char *event, const srv_client_t *c, const char *replaces);
/* A registration-interface request we refused (4.00, 4.04). */
void out_rejected(srv_t *srv, const char *what, int code, const char *why, const char *peer);
void out_list(srv_t *srv);
/* The result of a DM request; values were decoded from its payload. */
void out_response(srv_t *srv, const srv_request_t *req, const srv_values_t *values);
void out_notification(srv_t *srv, const srv_observation_t *o, const srv_notification_t *n,
                      const uint8_t *payload, size_t len);
void out_observation_ended(srv_t *srv, const srv_observation_t *o, const char *why);
/* A failed command: line 0 when it did not come from a numbered line. */
void out_error(srv_t *srv, int line, const char *command, const char *message);
void out_echo(srv_t *srv, const char *text);
/* DTLS (coaps://): event "dtls-connected" or "dtls-closed" from peer, who
 * is the client's PSK identity or certificate (may be NULL or empty). */
void out_dtls_event(srv_t *srv, const char *event, const char *peer, const char *who);
/* A handshake that failed, in one line (event "dtls-failed"); printed
 * even with --quiet. */
void out_dtls_failed(srv_t *srv, const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A message from libcoap's log (always stderr). */
void out_libcoap_log(const char *message);

#endif
