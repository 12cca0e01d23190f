/* CoAP message parsing and option access (RFC 7252 section 3). */
#include "coap/coap_msg.h"

#include <string.h>

/*
 * Reads one option header at *pos: the delta and length nibbles and their
 * extended forms (3.1). Returns false on a format error, including the
 * reserved nibble 15 and a header that runs past end.
 */
static bool read_option_header(const uint8_t **pos, const uint8_t *end, uint32_t *delta,
                               uint32_t *len)
{
    const uint8_t *p = *pos;
    uint32_t nibbles[2] = { (uint32_t)(*p >> 4), (uint32_t)(*p & 0x0f) };
    p++;
    for (int i = 0; i < 2; i++) {
        if (nibbles[i] == 13) {
            if (end - p < 1)
                return false;
            nibbles[i] = 13u + p[0];
            p += 1;
        } else if (nibbles[i] == 14) {
            if (end - p < 2)
                return false;
            nibbles[i] = 269u + (((uint32_t)p[0] << 8) | p[1]);
            p += 2;
        } else if (nibbles[i] == 15) {
            return false;
        }
    }
    *delta = nibbles[0];
    *len = nibbles[1];
    *pos = p;
    return true;
}

int tern_coap_parse(tern_coap_msg_t *msg, const uint8_t *data, size_t len)
{
    memset(msg, 0, sizeof(*msg));
    if (len < TERN_COAP_HEADER_SIZE || (data[0] >> 6) != 1)
        return TERN_ERR_CORRUPT;
    msg->type = (uint8_t)((data[0] >> 4) & 0x03);
    msg->token_len = (uint8_t)(data[0] & 0x0f);
    msg->code = data[1];
    msg->mid = (uint16_t)((data[2] << 8) | data[3]);

    const uint8_t *p = data + TERN_COAP_HEADER_SIZE;
    const uint8_t *end = data + len;
    if (msg->code == TERN_COAP_EMPTY) {
        /* 4.1: an Empty message is the 4-byte header and nothing else. */
        if (msg->token_len != 0 || p != end)
            return -TERN_COAP_BAD_REQUEST;
        return 0;
    }
    if (msg->token_len > TERN_COAP_MAX_TOKEN || (size_t)(end - p) < msg->token_len) {
        msg->token_len = 0;
        return -TERN_COAP_BAD_REQUEST;
    }
    memcpy(msg->token, p, msg->token_len);
    p += msg->token_len;

    msg->options = p;
    uint32_t number = 0;
    while (p < end && *p != TERN_COAP_PAYLOAD_MARKER) {
        uint32_t delta;
        uint32_t opt_len;
        if (!read_option_header(&p, end, &delta, &opt_len))
            return -TERN_COAP_BAD_REQUEST;
        number += delta;
        if (number > 0xffff || opt_len > (size_t)(end - p))
            return -TERN_COAP_BAD_REQUEST;
        p += opt_len;
    }
    msg->options_len = (size_t)(p - msg->options);
    if (p < end) {
        p++; /* the marker */
        if (p == end)
            return -TERN_COAP_BAD_REQUEST; /* 3: marker with no payload */
        msg->payload = p;
        msg->payload_len = (size_t)(end - p);
    }
    return 0;
}

void tern_coap_opt_iter_init(tern_coap_opt_iter_t *it, const tern_coap_msg_t *msg)
{
    it->pos = msg->options;
    it->end = msg->options + msg->options_len;
    it->number = 0;
}

bool tern_coap_opt_next(tern_coap_opt_iter_t *it, tern_coap_option_t *opt)
{
    uint32_t delta;
    uint32_t len;
    /* The message was validated by tern_coap_parse(), so this cannot fail
     * on a parsed message; the check keeps a misuse from reading past. */
    if (it->pos >= it->end || !read_option_header(&it->pos, it->end, &delta, &len))
        return false;
    it->number = (uint16_t)(it->number + delta);
    opt->number = it->number;
    opt->len = (uint16_t)len;
    opt->value = it->pos;
    it->pos += len;
    return true;
}

bool tern_coap_find_option(const tern_coap_msg_t *msg, uint16_t number, tern_coap_option_t *opt)
{
    tern_coap_opt_iter_t it;
    tern_coap_opt_iter_init(&it, msg);
    while (tern_coap_opt_next(&it, opt)) {
        if (opt->number == number)
            return true;
        if (opt->number > number)
            break;
    }
    return false;
}

uint32_t tern_coap_decode_uint(const uint8_t *value, size_t len)
{
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++)
        v = (v << 8) | value[i];
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

/* The options Tern understands, with their length ranges (5.10, and the
 * registries of RFC 7641 and 7959), in four bytes each. */
#define NON_EMPTY 0x01u  /* the shortest value has one byte, not none */
#define REPEATABLE 0x02u /* may occur more than once */

typedef struct option_rule {
    uint16_t max_len;
    uint8_t number;
    uint8_t flags; /* NON_EMPTY, REPEATABLE */
} option_rule_t;

static const option_rule_t OPTION_RULES[] = {
    { 8, TERN_COAP_OPT_IF_MATCH, REPEATABLE },
    { 255, TERN_COAP_OPT_URI_HOST, NON_EMPTY },
    { 8, TERN_COAP_OPT_ETAG, NON_EMPTY | REPEATABLE },
    { 0, TERN_COAP_OPT_IF_NONE_MATCH, 0 },
    { 3, TERN_COAP_OPT_OBSERVE, 0 },
    { 2, TERN_COAP_OPT_URI_PORT, 0 },
    { 255, TERN_COAP_OPT_LOCATION_PATH, REPEATABLE },
    { 255, TERN_COAP_OPT_URI_PATH, REPEATABLE },
    { 2, TERN_COAP_OPT_CONTENT_FORMAT, 0 },
    { 4, TERN_COAP_OPT_MAX_AGE, 0 },
    { 255, TERN_COAP_OPT_URI_QUERY, REPEATABLE },
    { 2, TERN_COAP_OPT_ACCEPT, 0 },
    { 255, TERN_COAP_OPT_LOCATION_QUERY, REPEATABLE },
    { 3, TERN_COAP_OPT_BLOCK2, 0 },
    { 3, TERN_COAP_OPT_BLOCK1, 0 },
    { 4, TERN_COAP_OPT_SIZE2, 0 },
    { 1034, TERN_COAP_OPT_PROXY_URI, NON_EMPTY },
    { 255, TERN_COAP_OPT_PROXY_SCHEME, NON_EMPTY },
    { 4, TERN_COAP_OPT_SIZE1, 0 },
};

static const option_rule_t *find_rule(uint16_t number)
{
    for (size_t i = 0; i < sizeof(OPTION_RULES) / sizeof(OPTION_RULES[0]); i++) {
        if (OPTION_RULES[i].number == number)
            return &OPTION_RULES[i];
    }
    return NULL;
}

uint16_t tern_coap_bad_critical_option(const tern_coap_msg_t *msg)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    uint32_t previous = 0x10000; /* no option has this number */
    tern_coap_opt_iter_init(&it, msg);
    while (tern_coap_opt_next(&it, &opt)) {
        const option_rule_t *rule = find_rule(opt.number);
        bool repeated = opt.number == previous;
        bool recognized = rule != NULL && opt.len >= (rule->flags & NON_EMPTY)
                          && opt.len <= rule->max_len && ((rule->flags & REPEATABLE) || !repeated);
        previous = opt.number;
        if (!recognized && (opt.number & 1))
            return opt.number;
    }
    return 0;
}
