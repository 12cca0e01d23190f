/* SLIP framing (RFC 1055). */
#include "slip.h"

void tern_slip_decoder_init(tern_slip_decoder_t *d, uint8_t *buf, size_t cap)
{
    d->buf = buf;
    d->cap = cap;
    d->len = 0;
    d->escaped = false;
    d->bad = false;
}

size_t tern_slip_decode(tern_slip_decoder_t *d, uint8_t byte)
{
    if (byte == TERN_SLIP_END) {
        size_t len = d->bad || d->escaped ? 0 : d->len;
        d->len = 0;
        d->escaped = false;
        d->bad = false;
        return len;
    }
    if (d->escaped) {
        d->escaped = false;
        if (byte == TERN_SLIP_ESC_END)
            byte = TERN_SLIP_END;
        else if (byte == TERN_SLIP_ESC_ESC)
            byte = TERN_SLIP_ESC;
        else
            d->bad = true;
    } else if (byte == TERN_SLIP_ESC) {
        d->escaped = true;
        return 0;
    }
    if (d->len < d->cap)
        d->buf[d->len] = byte;
    if (d->len < (size_t)-1)
        d->len++;
    return 0;
}

size_t tern_slip_escape(uint8_t byte, uint8_t out[2])
{
    if (byte == TERN_SLIP_END || byte == TERN_SLIP_ESC) {
        out[0] = TERN_SLIP_ESC;
        out[1] = byte == TERN_SLIP_END ? TERN_SLIP_ESC_END : TERN_SLIP_ESC_ESC;
        return 2;
    }
    out[0] = byte;
    return 1;
}

size_t tern_slip_escaped_size(const uint8_t *data, size_t len)
{
    size_t n = len;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == TERN_SLIP_END || data[i] == TERN_SLIP_ESC)
            n++;
    }
    return n;
}
