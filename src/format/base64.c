/*
 * Base64 (RFC 4648 section 4) for Opaque values in plain text: OMA LwM2M
 * 1.0.2 and later, appendix C, "represented as a Base64 encoding of the
 * binary data", e.g. 01 02 03 04 05 -> "AQIDBAU=".
 */
#include "format/format_impl.h"

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i += 3) {
        size_t left = len - i;
        uint32_t v = (uint32_t)data[i] << 16;
        if (left > 1)
            v |= (uint32_t)data[i + 1] << 8;
        if (left > 2)
            v |= data[i + 2];
        char quad[4] = { ALPHABET[v >> 18], ALPHABET[(v >> 12) & 63],
                         left > 1 ? ALPHABET[(v >> 6) & 63] : '=',
                         left > 2 ? ALPHABET[v & 63] : '=' };
        tern_sink_write(sink, quad, sizeof(quad));
    }
}

static int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int tern_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (len % 4 != 0)
        return -TERN_COAP_BAD_REQUEST;
    size_t pad = len > 0 && text[len - 1] == '=' ? 1 + (text[len - 2] == '=') : 0;
    size_t size = len / 4 * 3 - pad;
    if (size > cap)
        return -TERN_COAP_REQUEST_ENTITY_TOO_LARGE;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        size_t chars = i + 4 == len ? 4 - pad : 4;
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int x = j < chars ? sextet(text[i + j]) : 0;
            if (x < 0)
                return -TERN_COAP_BAD_REQUEST;
            v = (v << 6) | (uint32_t)x;
        }
        /* canonical only: the bits the padding stands for are zero */
        if ((chars == 3 && (v & 0xff) != 0) || (chars == 2 && (v & 0xffff) != 0))
            return -TERN_COAP_BAD_REQUEST;
        /* all four characters are read before the bytes are written, so
         * out may be text itself */
        out[n++] = (uint8_t)(v >> 16);
        if (chars > 2)
            out[n++] = (uint8_t)(v >> 8);
        if (chars > 3)
            out[n++] = (uint8_t)v;
    }
    *out_len = n;
    return 0;
}
