/*
 * SLIP (RFC 1055) framing, without any I/O: the device's UART link and
 * tools/slip-bridge both use it. A frame is its bytes with END and ESC
 * escaped, followed by END; senders also put an END before each frame,
 * which flushes any line noise into an empty frame that receivers ignore.
 */
#ifndef TERN_SLIP_H
#define TERN_SLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERN_SLIP_END 0xC0u
#define TERN_SLIP_ESC 0xDBu
#define TERN_SLIP_ESC_END 0xDCu
#define TERN_SLIP_ESC_ESC 0xDDu

/* Receive state; the application owns the frame buffer. */
typedef struct tern_slip_decoder {
    uint8_t *buf;
    size_t cap;
    size_t len;   /* bytes of the current frame so far, stored or not */
    bool escaped; /* the previous byte was ESC */
    bool bad;     /* the current frame broke the escaping rules */
} tern_slip_decoder_t;

void tern_slip_decoder_init(tern_slip_decoder_t *d, uint8_t *buf, size_t cap);

/*
 * Feeds one received byte. When it ends a frame, returns the frame's
 * length: the first min(length, cap) bytes are in buf until the next
 * call. Otherwise returns 0: the frame goes on, or it was empty, or it
 * was dropped for an ESC followed by something other than ESC_END or
 * ESC_ESC (RFC 1055 leaves that case open; a corrupt frame is useless).
 */
size_t tern_slip_decode(tern_slip_decoder_t *d, uint8_t byte);

/* Writes the escaped form of byte to out; returns 1 or 2. */
size_t tern_slip_escape(uint8_t byte, uint8_t out[2]);

/* The size of data once escaped (without the END bytes). */
size_t tern_slip_escaped_size(const uint8_t *data, size_t len);

#endif
