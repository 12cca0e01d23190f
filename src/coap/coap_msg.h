/*
 * CoAP message codec (RFC 7252 section 3): parse a datagram into a view
 * that points into it, and serialise a message into a caller's buffer.
 * No copies, no heap: a parsed message is valid while its datagram is.
 */
#ifndef TERN_COAP_MSG_H
#define TERN_COAP_MSG_H

#ifndef TERN_INTERNAL_ALLOWED
#define TERN_INTERNAL_ALLOWED
#endif
#include "tern/coap.h"
#include "tern/common.h"
#include "tern/internal/coap_state.h"

#define TERN_COAP_HEADER_SIZE 4
#define TERN_COAP_PAYLOAD_MARKER 0xff

/* 5.05 is only ever sent by the message layer, so it lives here. */
#define TERN_COAP_PROXYING_NOT_SUPPORTED TERN_COAP_CODE(5, 5)

typedef struct tern_coap_opt_iter {
    const uint8_t *pos;
    const uint8_t *end;
    uint16_t number;
} tern_coap_opt_iter_t;

/* A parsed message. Pointers refer to the datagram it was parsed from. */
typedef struct tern_coap_msg {
    uint8_t type;
    uint8_t code;
    uint16_t mid;
    uint8_t token_len;
    uint8_t proxy;                /* 1 when it has Proxy-Uri or Proxy-Scheme */
    uint16_t bad_option;          /* see tern_coap_bad_critical_option() */
    const uint8_t *token;         /* token_len bytes */
    tern_coap_opt_iter_t options; /* an iterator at the first option */
    const uint8_t *payload;       /* NULL when there is none */
    size_t payload_len;
} tern_coap_msg_t;

/* One option as found in a message. */
typedef struct tern_coap_option {
    uint16_t number;
    uint16_t len;
    const uint8_t *value;
} tern_coap_option_t;

/*
 * Parses data[0..len) into *msg.
 * Returns 0 when the message is well formed.
 * Returns -TERN_COAP_BAD_REQUEST on a message format error after a valid
 * header: msg->type and msg->mid are set so that a CON can be rejected
 * with RST (RFC 7252 4.2). Returns TERN_ERR_CORRUPT when there is no
 * usable header at all (too short, unknown version): drop it silently.
 */
int tern_coap_parse(tern_coap_msg_t *msg, const uint8_t *data, size_t len);

/*
 * Returns the number of the first option that must be treated as an
 * unrecognized critical option (RFC 7252 5.4.1, 5.4.3, 5.4.5): unknown
 * and odd, outside its length range, or a repeat of a non-repeatable
 * option; 0 when there is none. Elective options with those faults are
 * ignored, as the RFC says.
 */
static inline uint16_t tern_coap_bad_critical_option(const tern_coap_msg_t *msg)
{
    return msg->bad_option; /* found while parsing */
}

/* Walks the options of a parsed message in order. */
static inline void tern_coap_opt_iter_init(tern_coap_opt_iter_t *it, const tern_coap_msg_t *msg)
{
    *it = msg->options; /* a copy of the iterator that parsing left at the start */
}
/* Stores the next option in *opt; false at the end. */
bool tern_coap_opt_next(tern_coap_opt_iter_t *it, tern_coap_option_t *opt);

/* Finds the first option `number`; false when absent. */
bool tern_coap_find_option(const tern_coap_msg_t *msg, uint16_t number, tern_coap_option_t *opt);

/*
 * Reads the unsigned integer option `number` (at most 4 bytes, RFC 7252
 * 3.2). Returns false when absent or longer than 4 bytes.
 */
bool tern_coap_get_uint(const tern_coap_msg_t *msg, uint16_t number, uint32_t *value);

/* Reads an unsigned integer option value of up to 4 bytes. */
uint32_t tern_coap_decode_uint(const uint8_t *value, size_t len);

/*
 * Serialiser. Errors are sticky: once a write fails, later writes do
 * nothing and tern_coap_writer_finish() reports the first error, so a
 * message can be built without checking every call.
 */
typedef struct tern_coap_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    uint32_t last_option; /* 0x10000 once the payload has started */
    int error;            /* TERN_ERR_ARG until the header is written */
} tern_coap_writer_t;

/* Starts a message in buf[0..cap). buf is not copied. */
void tern_coap_writer_init(tern_coap_writer_t *w, uint8_t *buf, size_t cap);

/* Writes the fixed header and the token (token_len 0..8). First call.
 * type is one of TERN_COAP_CON..TERN_COAP_RST. */
void tern_coap_write_header(tern_coap_writer_t *w, uint8_t type, uint8_t code, uint16_t mid,
                            const uint8_t *token, size_t token_len);

/* writer_init() and write_header() in one call. */
void tern_coap_writer_start(tern_coap_writer_t *w, uint8_t *buf, size_t cap, uint8_t type,
                            uint8_t code, uint16_t mid, const uint8_t *token, size_t token_len);

/*
 * Appends an option. Options must come in non-decreasing number order
 * (TERN_ERR_ARG otherwise) and before the payload.
 */
void tern_coap_write_option(tern_coap_writer_t *w, uint16_t number, const void *value, size_t len);
/* Appends an option whose value is key (a NUL-terminated prefix such as
 * "ep=", not NULL) followed by len bytes of value: Uri-Query without a
 * copy. */
void tern_coap_write_option_kv(tern_coap_writer_t *w, uint16_t number, const char *key,
                               const void *value, size_t len);
/* Appends an unsigned integer option in its shortest form. */
void tern_coap_write_option_uint(tern_coap_writer_t *w, uint16_t number, uint32_t value);
/* Appends a NUL-terminated string option. */
void tern_coap_write_option_str(tern_coap_writer_t *w, uint16_t number, const char *value);

/*
 * Reserves room for the payload and returns where to write it, with the
 * room available in *room (NULL on a pending error). Commit what was
 * written with tern_coap_payload_commit(), once, after payload_begin();
 * the marker is written only for a non-empty payload, as RFC 7252 3
 * requires.
 */
uint8_t *tern_coap_payload_begin(tern_coap_writer_t *w, size_t *room);
void tern_coap_payload_commit(tern_coap_writer_t *w, size_t n);
/* Appends len bytes of payload in one go. */
void tern_coap_write_payload(tern_coap_writer_t *w, const void *data, size_t len);

/*
 * Returns the message length, or the first error: TERN_ERR_NO_SPACE when
 * it did not fit, TERN_ERR_ARG for options out of order or a bad token.
 */
static inline int tern_coap_writer_finish(const tern_coap_writer_t *w)
{
    return w->error != 0 ? w->error : (int)w->len;
}

#endif /* TERN_COAP_MSG_H */
