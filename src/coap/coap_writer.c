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

/* Appends the extended bytes of a delta or length (3.1) at *p and
 * returns the nibble that goes with them. */
static uint8_t put_extended(uint32_t value, uint8_t **p)
{
    if (value < 13)
        return (uint8_t)value;
    if (value < 269) {
        *(*p)++ = (uint8_t)(value - 13);
        return 13;
    }
    value -= 269;
    *(*p)++ = (uint8_t)(value >> 8);
    *(*p)++ = (uint8_t)value;
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
    uint8_t head[5]; /* the nibbles' byte and up to 2 + 2 extended bytes */
    uint8_t *end = head + 1;
    uint8_t delta = put_extended(number - w->last_option, &end);
    head[0] = (uint8_t)((delta << 4) | put_extended((uint32_t)total, &end));
    size_t head_len = (size_t)(end - head);
    if (!reserve(w, head_len + total))
        return;
    uint8_t *p = w->buf + w->len;
    memcpy(p, head, head_len);
    p += head_len;
    if (key_len > 0)
        memcpy(p, key, key_len);
    if (len > 0)
        memcpy(p + key_len, value, len);
    w->len += head_len + total;
    w->last_option = number;
}

void tern_coap_write_option(tern_coap_writer_t *w, uint16_t number, const void *value, size_t len)
{
    tern_coap_write_option_kv(w, number, NULL, value, len);
}

void tern_coap_write_option_uint(tern_coap_writer_t *w, uint16_t number, uint32_t value)
{
    uint8_t bytes[4] = { (uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8),
                         (uint8_t)value };
    size_t skip = 0;
    /* 3.2: the shortest form, with no leading zero bytes (0 is empty). */
    while (skip < 4 && bytes[skip] == 0)
        skip++;
    tern_coap_write_option(w, number, bytes + skip, 4 - skip);
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
