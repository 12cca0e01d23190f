/*
 * Base64 (RFC 4648 section 4) for Opaque values in plain text: OMA LwM2M
 * 1.0.2 and later, appendix C, "represented as a Base64 encoding of the
 * binary data", e.g. 01 02 03 04 05 -> "AQIDBAU=". Both directions run
 * a bit accumulator, 8 bits in and 6 out or the other way round.
 */
#include "format/format_impl.h"

#include <string.h>

static const char ALPHABET[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0, chars = 0; i < len || bits > 0 || chars % 4 != 0; chars++) {
        char c = '=';
        while (bits < 6 && i < len) {
            acc = (acc << 8) | data[i++];
            bits += 8;
        }
        if (bits > 0) {
            if (bits < 6) { /* the last sextet: zero bits fill it */
                acc <<= 6 - bits;
                bits = 6;
            }
            bits -= 6;
            c = ALPHABET[(acc >> bits) & 63];
        }
        tern_sink_write(sink, &c, 1);
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
    for (size_t i = 0; i < len - pad; i++) {
        /* '=' is not in the alphabet: padding only at the end */
        const char *c = memchr(ALPHABET, text[i], sizeof(ALPHABET));
        if (c == NULL)
            return -TERN_COAP_BAD_REQUEST;
        acc = (acc << 6) | (uint32_t)(c - ALPHABET);
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
