/* CoAP message parsing and option access (RFC 7252 section 3). */
#include "coap/coap_msg.h"

#include <string.h>

/*
 * The critical (odd) options Tern understands, indexed by number / 2, with
 * their length ranges (5.10 and RFC 7959): the largest length plus one in
 * the low bits, 0 for an unknown option. Elective options need no entry:
 * whatever is wrong with them is ignored (5.4.1).
 */
#define REPEATABLE 0x2000u /* may occur more than once */
#define NON_EMPTY 0x4000u  /* the shortest value has one byte, not none */
#define PROXY 0x8000u      /* asks for a proxy (5.7.2); the top bit */
#define MAX_LEN(n) ((n) + 1u)

static const uint16_t CRITICAL_RULES[20] = {
    [TERN_COAP_OPT_IF_MATCH / 2] = MAX_LEN(8) | REPEATABLE,
    [TERN_COAP_OPT_URI_HOST / 2] = MAX_LEN(255) | NON_EMPTY,
    [TERN_COAP_OPT_IF_NONE_MATCH / 2] = MAX_LEN(0),
    [TERN_COAP_OPT_URI_PORT / 2] = MAX_LEN(2),
    [TERN_COAP_OPT_URI_PATH / 2] = MAX_LEN(255) | REPEATABLE,
    [TERN_COAP_OPT_URI_QUERY / 2] = MAX_LEN(255) | REPEATABLE,
    [TERN_COAP_OPT_ACCEPT / 2] = MAX_LEN(2),
    [TERN_COAP_OPT_BLOCK2 / 2] = MAX_LEN(3),
    [TERN_COAP_OPT_BLOCK1 / 2] = MAX_LEN(3),
    [TERN_COAP_OPT_PROXY_URI / 2] = MAX_LEN(1034) | NON_EMPTY | PROXY,
    [TERN_COAP_OPT_PROXY_SCHEME / 2] = MAX_LEN(255) | NON_EMPTY | PROXY,
};

int tern_coap_parse(tern_coap_msg_t *msg, const uint8_t *data, size_t len)
{
    memset(msg, 0, sizeof(*msg));
    if (len < TERN_COAP_HEADER_SIZE || (data[0] >> 6) != 1)
        return TERN_ERR_CORRUPT;
    size_t token_len = data[0] & 0x0fu;
    msg->type = (uint8_t)((data[0] >> 4) & 0x03);
    msg->code = data[1];
    msg->mid = (uint16_t)((data[2] << 8) | data[3]);
    msg->token = data + TERN_COAP_HEADER_SIZE;
    len -= TERN_COAP_HEADER_SIZE;
    if (msg->code == TERN_COAP_EMPTY) {
        /* 4.1: an Empty message is the 4-byte header and nothing else. */
        return (token_len | len) != 0 ? -TERN_COAP_BAD_REQUEST : 0;
    }
    if (token_len > TERN_COAP_MAX_TOKEN || len < token_len)
        return -TERN_COAP_BAD_REQUEST;
    msg->token_len = (uint8_t)token_len;

    /* The walker stops at the payload marker, at the end, or at the first
     * malformed option: only the first two mean a well-formed message. */
    const uint8_t *end = msg->token + len;
    const uint8_t *options = msg->token + token_len;
    tern_coap_opt_iter_t it = { options, end, 0 };
    tern_coap_option_t opt;
    uint32_t previous = 0; /* option 0 is reserved: never a repeat */
    while (tern_coap_opt_next(&it, &opt)) {
        uint32_t n = opt.number;
        if ((n & 1) == 0 || msg->bad_option != 0)
            continue; /* elective; skipping it cannot hide a repeat, options are sorted */
        uint32_t rule = n < 2 * 20 ? CRITICAL_RULES[n / 2] : 0;
        msg->proxy |= (uint8_t)(rule / PROXY);
        if (opt.len >= (rule & 0x1fffu) || (opt.len == 0 && (rule & NON_EMPTY))
            || (n == previous && !(rule & REPEATABLE)))
            msg->bad_option = (uint16_t)n;
        previous = n;
    }
    const uint8_t *p = it.pos;
    msg->options.pos = options; /* its number is 0 */
    msg->options.end = p;
    if (p < end) {
        /* a malformed option, or a marker with no payload (3) */
        if (*p++ != TERN_COAP_PAYLOAD_MARKER || p == end)
            return -TERN_COAP_BAD_REQUEST;
        msg->payload = p;
        msg->payload_len = (size_t)(end - p);
    }
    return 0;
}

bool tern_coap_opt_next(tern_coap_opt_iter_t *it, tern_coap_option_t *opt)
{
    const uint8_t *p = it->pos;
    const uint8_t *end = it->end;
    if (p >= end || *p == TERN_COAP_PAYLOAD_MARKER)
        return false;
    /* 3.1: the delta and length nibbles, each extended by one byte (13)
     * or two (14); 15 is reserved. */
    uint32_t field[2] = { (uint32_t)(*p >> 4), (uint32_t)(*p & 0x0f) };
    p++;
    for (int i = 0; i < 2; i++) {
        uint32_t nibble = field[i];
        if (nibble < 13)
            continue;
        size_t extra = nibble - 12;
        if (nibble == 15 || (size_t)(end - p) < extra)
            return false;
        field[i] = extra == 1 ? 13u + p[0] : 269u + (((uint32_t)p[0] << 8) | p[1]);
        p += extra;
    }
    uint32_t number = it->number + field[0];
    if ((number >> 16) != 0 || field[1] > (size_t)(end - p))
        return false;
    it->number = (uint16_t)number;
    opt->number = (uint16_t)number;
    opt->len = (uint16_t)field[1];
    opt->value = p;
    it->pos = p + field[1];
    return true;
}

bool tern_coap_find_option(const tern_coap_msg_t *msg, uint16_t number, tern_coap_option_t *opt)
{
    tern_coap_opt_iter_t it;
    tern_coap_opt_iter_init(&it, msg);
    while (tern_coap_opt_next(&it, opt)) {
        if (opt->number == number)
            return true;
    }
    return false;
}

uint32_t tern_coap_decode_uint(const uint8_t *value, size_t len)
{
    uint32_t v = 0;
    while (len-- > 0)
        v = (v << 8) | *value++;
    return v;
}

bool tern_coap_get_uint(const tern_coap_msg_t *msg, uint16_t number, uint32_t *value)
{
    tern_coap_option_t opt;
    if (!tern_coap_find_option(msg, number, &opt) || opt.len > 4)
        return false;
    *value = tern_coap_decode_uint(opt.value, opt.len);
    return true;
}
