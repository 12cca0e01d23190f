/*
 * Typed SLIP frames over UART0 (the protocol is in slip_link.h): sending
 * one frame without waiting, and decoding received bytes into one frame
 * at a time. A received frame stays until its reader is done with it;
 * meanwhile the bytes behind it wait in the UART ring and, when that
 * fills, in the UART itself (see uart.h).
 */
#ifndef TERN_CM_LINK_H
#define TERN_CM_LINK_H

#include "slip.h"
#include "slip_link.h"
#include "tern/common.h"

/* The largest frame kept whole: a DATA frame with a CoAP message of
 * TERN_COAP_BUFFER_SIZE, or a text frame. Longer ones are truncated. */
#define TERN_CM_LINK_FRAME_SIZE                                                                    \
    (TERN_LINK_DATA_HEADER + TERN_COAP_BUFFER_SIZE > 1 + TERN_LINK_TEXT_MAX                        \
         ? TERN_LINK_DATA_HEADER + TERN_COAP_BUFFER_SIZE                                           \
         : 1 + TERN_LINK_TEXT_MAX)

typedef struct tern_cm_link {
    tern_slip_decoder_t decoder;
    uint8_t frame[TERN_CM_LINK_FRAME_SIZE];
    size_t frame_len; /* full length of the frame waiting in frame[], 0: none */
} tern_cm_link_t;

void tern_cm_link_init(tern_cm_link_t *link);

/*
 * Queues the frame TYPE, head, body for the UART. Returns 0,
 * TERN_ERR_WOULD_BLOCK when the transmit ring has no room for it now,
 * or TERN_ERR_NO_SPACE when it is larger than the whole ring.
 */
int tern_cm_link_send(tern_cm_link_t *link, uint8_t type, const uint8_t *head, size_t head_len,
                      const uint8_t *body, size_t body_len);

/*
 * The received frame waiting to be read, decoding more bytes when there
 * is none: returns its bytes and stores its full length in *len (only
 * the first TERN_CM_LINK_FRAME_SIZE bytes are kept), or returns NULL.
 * The same frame comes back until tern_cm_link_done().
 */
const uint8_t *tern_cm_link_frame(tern_cm_link_t *link, size_t *len);
void tern_cm_link_done(tern_cm_link_t *link);

#endif
