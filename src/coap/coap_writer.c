/* CoAP message serialisation (RFC 7252 section 3). */
#include "coap/coap_msg.h"

#include <string.h>

static void fail(tern_coap_writer_t *w, int error)
{
    if (w->error == 0)
        w->error = error;
}

static bool reserve(tern_coap_writer_t *w, size_t n)
{
    if (w->error != 0)
        return false;
    if (w->cap - w->len < n) {
        fail(w, TERN_ERR_NO_SPACE);
        return false;
    }
    return true;
}

void tern_coap_writer_init(tern_coap_writer_t *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
}

void tern_coap_write_header(tern_coap_writer_t *w, uint8_t type, uint8_t code, uint16_t mid,
                            const uint8_t *token, size_t token_len)
{
    if (token_len > TERN_COAP_MAX_TOKEN || w->len != 0) {
        fail(w, TERN_ERR_ARG);
        return;
    }
    if (!reserve(w, TERN_COAP_HEADER_SIZE + token_len))
        return;
    uint8_t *p = w->buf;
    p[0] = (uint8_t)(0x40 | ((type & 0x03) << 4) | token_len);
    p[1] = code;
    p[2] = (uint8_t)(mid >> 8);
    p[3] = (uint8_t)mid;
    if (token_len > 0)
        memcpy(p + TERN_COAP_HEADER_SIZE, token, token_len);
    w->len = TERN_COAP_HEADER_SIZE + token_len;
}

/* Encodes a delta or length as its nibble and extended bytes (3.1). */
static uint8_t encode_nibble(uint32_t value, uint8_t *ext, size_t *ext_len)
{
    if (value < 13) {
        *ext_len = 0;
        return (uint8_t)value;
    }
    if (value < 269) {
        ext[0] = (uint8_t)(value - 13);
        *ext_len = 1;
        return 13;
    }
    value -= 269;
    ext[0] = (uint8_t)(value >> 8);
    ext[1] = (uint8_t)value;
    *ext_len = 2;
    return 14;
}

void tern_coap_write_option_kv(tern_coap_writer_t *w, uint16_t number, const char *key,
                               const void *value, size_t len)
{
    size_t key_len = key != NULL ? strlen(key) : 0;
    size_t total = key_len + len;
    if (w->error != 0)
        return;
    if (number < w->last_option || w->payload_started || w->len == 0 || total > 0xffff) {
        fail(w, TERN_ERR_ARG);
        return;
    }
    uint8_t delta_ext[2];
    uint8_t len_ext[2];
    size_t delta_ext_len;
    size_t len_ext_len;
    uint8_t head =
        (uint8_t)(encode_nibble(number - w->last_option, delta_ext, &delta_ext_len) << 4);
    head |= encode_nibble((uint32_t)total, len_ext, &len_ext_len);
    if (!reserve(w, 1 + delta_ext_len + len_ext_len + total))
        return;
    uint8_t *p = w->buf + w->len;
    *p++ = head;
    memcpy(p, delta_ext, delta_ext_len);
    p += delta_ext_len;
    memcpy(p, len_ext, len_ext_len);
    p += len_ext_len;
    if (key_len > 0)
        memcpy(p, key, key_len);
    if (len > 0)
        memcpy(p + key_len, value, len);
    w->len += 1 + delta_ext_len + len_ext_len + total;
    w->last_option = number;
}

void tern_coap_write_option(tern_coap_writer_t *w, uint16_t number, const void *value, size_t len)
{
    tern_coap_write_option_kv(w, number, NULL, value, len);
}

void tern_coap_write_option_uint(tern_coap_writer_t *w, uint16_t number, uint32_t value)
{
    uint8_t bytes[4];
    size_t len = 0;
    /* 3.2: the shortest form, with no leading zero bytes (0 is empty). */
    for (int shift = 24; shift >= 0; shift -= 8) {
        uint8_t b = (uint8_t)(value >> shift);
        if (len > 0 || b != 0)
            bytes[len++] = b;
    }
    tern_coap_write_option(w, number, bytes, len);
}

void tern_coap_write_option_str(tern_coap_writer_t *w, uint16_t number, const char *value)
{
    tern_coap_write_option(w, number, value, strlen(value));
}

uint8_t *tern_coap_payload_begin(tern_coap_writer_t *w, size_t *room)
{
    *room = 0;
    if (w->len == 0 || w->payload_started)
        fail(w, TERN_ERR_ARG);
    if (!reserve(w, 2))
        return NULL; /* room for the marker and at least one byte */
    *room = w->cap - w->len - 1;
    return w->buf + w->len + 1;
}

void tern_coap_payload_commit(tern_coap_writer_t *w, size_t n)
{
    if (n == 0 || w->error != 0)
        return;
    if (w->payload_started || n > w->cap - w->len - 1) {
        fail(w, w->payload_started ? TERN_ERR_ARG : TERN_ERR_NO_SPACE);
        return;
    }
    w->buf[w->len] = TERN_COAP_PAYLOAD_MARKER;
    w->len += 1 + n;
    w->payload_started = 1;
}

void tern_coap_write_payload(tern_coap_writer_t *w, const void *data, size_t len)
{
    size_t room;
    if (len == 0)
        return;
    uint8_t *p = tern_coap_payload_begin(w, &room);
    if (p == NULL)
        return;
    if (len > room) {
        fail(w, TERN_ERR_NO_SPACE);
        return;
    }
    memcpy(p, data, len);
    tern_coap_payload_commit(w, len);
}

int tern_coap_writer_finish(const tern_coap_writer_t *w)
{
    if (w->error != 0)
        return w->error;
    if (w->len == 0)
        return TERN_ERR_ARG;
    return (int)w->len;
}
