/* Requests that must reach the client exactly as built, past libcoap's
 * block-wise bookkeeping: libcoap 4.3.1 (COAP_BLOCK_USE_LIBCOAP) swaps the
 * token of a GET with Observe=1 for its own internal one when it still
 * tracks the observation, so a Cancel-Observation would not carry the
 * observation's token and the client would not recognise it. Such a
 * request is encoded here and sent on the endpoint's own UDP socket (the
 * client sees the server's address and port as always); retransmissions
 * follow RFC 7252 4.2 until ops.c has the response (matched by token, as
 * libcoap passes the piggybacked answer on to the response handler) or
 * gives up. Plain coap:// only: over DTLS the request goes to libcoap. */
#ifndef SRV_RAWSEND_H
#define SRV_RAWSEND_H

#include "server.h"

/* True when requests can bypass libcoap (a plain UDP endpoint). */
bool rawsend_possible(const srv_t *srv);

/* Encodes pdu (a CON request; the caller still owns it) and sends it to
 * session's peer from the endpoint socket. Returns false with a message
 * in err when it could not. */
bool rawsend_request(srv_t *srv, coap_session_t *session, const coap_pdu_t *pdu, char *err,
                     size_t errlen);

/* Retransmits what is due; drops the requests ops.c no longer waits for. */
void rawsend_tick(srv_t *srv, int64_t now);
int64_t rawsend_next_deadline(const srv_t *srv);
void rawsend_free(srv_t *srv);

#endif
