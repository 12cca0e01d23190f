/* CoAP message serialisation (RFC 7252 section 3). */
#include "coap/coap_msg.h"

#include <string.h>

/* Payload started: no option may follow (every option number is lower). */
#define AFTER_PAYLOAD 0x10000u

static void fail(tern_coap_writer_t *w, int error)
{
    if (w->error == 0)
        w->error = error;
}

/* Returns where the next n bytes go, or NULL on a pending or new error. */
static uint8_t *reserve(tern_coap_writer_t *w, size_t n)
{
    if (w->error == 0 && w->cap - w->len < n)
        w->error = TERN_ERR_NO_SPACE;
    return w->error == 0 ? w->buf + w->len : NULL;
}

void tern_coap_writer_start(tern_coap_writer_t *w, uint8_t *buf, size_t cap, uint8_t type,
                            uint8_t code, uint16_t mid, const uint8_t *token, size_t token_len)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->last_option = 0;
    w->error = token_len > TERN_COAP_MAX_TOKEN ? TERN_ERR_ARG : 0;
    uint8_t *p = reserve(w, TERN_COAP_HEADER_SIZE + token_len);
    if (p == NULL)
        return;
    p[0] = (uint8_t)(0x40 | (type << 4) | token_len); /* type is 0..3 */
    p[1] = code;
    p[2] = (uint8_t)(mid >> 8);
    p[3] = (uint8_t)mid;
    if (token_len > 0) /* the token may already be in place */
        memmove(p + TERN_COAP_HEADER_SIZE, token, token_len);
    w->len = TERN_COAP_HEADER_SIZE + token_len;
}

void tern_coap_writer_init(tern_coap_writer_t *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
    w->error = TERN_ERR_ARG; /* until the header is written */
}

void tern_coap_write_header(tern_coap_writer_t *w, uint8_t type, uint8_t code, uint16_t mid,
                            const uint8_t *token, size_t token_len)
{
    if (w->len != 0)
        fail(w, TERN_ERR_ARG);
    else
        tern_coap_writer_start(w, w->buf, w->cap, type, code, mid, token, token_len);
}

/*
 * 3.1: appends the extended bytes of a delta or length at *p (one for
 * 13..268, two from 269) and returns the nibble that stands for them.
 */
static uint32_t put_extended(uint8_t **p, uint32_t value)
{
    if (value < 13)
        return value;
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
    size_t key_len = strlen(key);
    size_t total = key_len + len;
    if (number < w->last_option || (total >> 16) != 0)
        fail(w, TERN_ERR_ARG);
    uint8_t head[5]; /* the nibbles' byte and up to 2 + 2 extended bytes */
    uint8_t *end = head + 1;
    uint32_t delta = put_extended(&end, number - w->last_option);
    head[0] = (uint8_t)((delta << 4) | put_extended(&end, (uint32_t)total));
    size_t head_len = (size_t)(end - head);
    uint8_t *p = reserve(w, head_len + total);
    if (p == NULL)
        return;
    memcpy(p, head, head_len);
    memcpy(p + head_len, key, key_len);
    if (len > 0)
        memcpy(p + head_len + key_len, value, len);
    w->len += head_len + total;
    w->last_option = number;
}

void tern_coap_write_option(tern_coap_writer_t *w, uint16_t number, const void *value, size_t len)
{
    tern_coap_write_option_kv(w, number, "", value, len);
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
    tern_coap_write_option_kv(w, number, value, NULL, 0); /* the string as the key */
}

uint8_t *tern_coap_payload_begin(tern_coap_writer_t *w, size_t *room)
{
    if (w->last_option == AFTER_PAYLOAD)
        fail(w, TERN_ERR_ARG);
    uint8_t *p = reserve(w, 2); /* room for the marker and at least one byte */
    *room = p != NULL ? w->cap - w->len - 1 : 0;
    return p != NULL ? p + 1 : NULL;
}

void tern_coap_payload_commit(tern_coap_writer_t *w, size_t n)
{
    if (n == 0)
        return;
    /* payload_begin() refused a second payload; this checks the room */
    uint8_t *p = reserve(w, n + 1);
    if (p != NULL) {
        *p = TERN_COAP_PAYLOAD_MARKER;
        w->len += 1 + n;
        w->last_option = AFTER_PAYLOAD;
    }
}

void tern_coap_write_payload(tern_coap_writer_t *w, const void *data, size_t len)
{
    if (len == 0)
        return;
    size_t room;
    uint8_t *p = tern_coap_payload_begin(w, &room);
    if (p != NULL && len <= room)
        memcpy(p, data, len);
    tern_coap_payload_commit(w, len); /* NO_SPACE when it did not fit */
}
