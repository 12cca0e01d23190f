/*
 * Base64 (RFC 4648 section 4) for Opaque values in plain text: OMA LwM2M
 * 1.0.2 and later, appendix C, "represented as a Base64 encoding of the
 * binary data", e.g. 01 02 03 04 05 -> "AQIDBAU=". Both directions run
 * a bit accumulator, 8 bits in and 6 out or the other way round.
 */
#include "format/format_impl.h"

/* The alphabet as runs of consecutive characters, first and count:
 * values 0-25 'A'-'Z', 26-51 'a'-'z', 52-61 '0'-'9', 62 '+', 63 '/'. */
static const uint8_t RUNS[10] = { 'A', 26, 'a', 26, '0', 10, '+', 1, '/', 1 };

static char sextet_char(unsigned v)
{
    const uint8_t *r = RUNS;
    while (v >= r[1]) {
        v -= r[1];
        r += 2;
    }
    return (char)(r[0] + v);
}

/* A character's value, 64 for one outside the alphabet ('=' included). */
static unsigned sextet_value(char c)
{
    unsigned base = 0;
    for (const uint8_t *r = RUNS; r < RUNS + sizeof(RUNS); r += 2) {
        unsigned off = (unsigned)(unsigned char)c - r[0];
        if (off < r[1])
            return base + off;
        base += r[1];
    }
    return 64;
}

void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len)
{
    /* 3 bytes (zeros past the end) -> 4 characters, '=' for those
     * made of zeros only */
    for (size_t i = 0; i < len; i += 3) {
        uint32_t acc = 0;
        for (size_t k = 0; k < 3; k++)
            acc = (acc << 8) | (i + k < len ? data[i + k] : 0u);
        for (size_t k = 0; k < 4; k++) {
            char c = i + k <= len ? sextet_char((acc >> (18 - 6 * k)) & 63) : '=';
            tern_sink_write(sink, &c, 1);
        }
    }
}

int tern_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (len % 4 != 0)
        return -TERN_COAP_BAD_REQUEST;
    size_t pad = len > 0 && text[len - 1] == '=' ? 1 + (text[len - 2] == '=') : 0;
    if (len / 4 * 3 - pad > cap)
        return -TERN_COAP_REQUEST_ENTITY_TOO_LARGE;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;
    for (const char *end = text + len - pad; text < end; text++) {
        /* '=' is not in the alphabet: padding only at the end */
        unsigned v = sextet_value(*text);
        if (v > 63)
            return -TERN_COAP_BAD_REQUEST;
        acc = (acc << 6) | v;
        bits += 6;
        /* a byte is written only after the character that completes it
         * was read, so out may be text itself */
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* canonical only: the bits the padding stands for are zero */
    if ((acc & ((1u << bits) - 1)) != 0)
        return -TERN_COAP_BAD_REQUEST;
    *out_len = n;
    return 0;
}
