/* The CONFIG frame: "key=value ..." from the bridge (slip_link.h). */
#include <string.h>

#include "cm_internal.h"

typedef struct token {
    const uint8_t *p;
    size_t len;
} token_t;

static bool key_is(token_t key, const char *name)
{
    return key.len == strlen(name) && memcmp(key.p, name, key.len) == 0;
}

/* Copies a string value when it fits (with its NUL); ignores it if not. */
static void set_string(char *dst, size_t cap, token_t v)
{
    if (v.len > 0 && v.len < cap) {
        memcpy(dst, v.p, v.len);
        dst[v.len] = '\0';
    }
}

/* A decimal number, optionally negative; false if v is not one. */
static bool parse_int(token_t v, int64_t max, int64_t *out)
{
    size_t i = v.len > 0 && v.p[0] == '-' ? 1 : 0;
    int64_t n = 0;
    if (i == v.len)
        return false;
    for (; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return false;
        int d = v.p[i] - '0';
        if (d > max || n > (max - d) / 10) /* n * 10 + d > max */
            return false;
        n = n * 10 + d;
    }
    *out = v.p[0] == '-' ? -n : n;
    return true;
}

static int hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void mix_seed(tern_cm_random_t *rng, token_t v)
{
    for (size_t i = 0; i + 1 < v.len; i += 2) {
        int hi = hex_digit(v.p[i]);
        int lo = hex_digit(v.p[i + 1]);
        if (hi < 0 || lo < 0)
            return;
        uint8_t byte = (uint8_t)(hi << 4 | lo);
        tern_cm_random_mix(rng, &byte, 1);
    }
}

static void apply(tern_cm_config_t *c, tern_cm_random_t *rng, token_t key, token_t v)
{
    int64_t n;
    if (key_is(key, "ep"))
        set_string(c->endpoint, sizeof(c->endpoint), v);
    else if (key_is(key, "uri"))
        set_string(c->uri, sizeof(c->uri), v);
    else if (key_is(key, "lt") && parse_int(v, UINT32_MAX, &n) && n > 0)
        c->lifetime_s = (uint32_t)n;
    else if (key_is(key, "log") && parse_int(v, TERN_LOG_DEBUG, &n) && n >= 0)
        c->log_level = (uint8_t)n;
    else if (key_is(key, "time") && parse_int(v, INT64_MAX, &n))
        c->unix_time_s = n;
    else if (key_is(key, "seed"))
        mix_seed(rng, v);
}

void tern_cm_config_parse(tern_cm_config_t *config, tern_cm_random_t *rng, const uint8_t *text,
                          size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ')
            i++;
        size_t start = i;
        while (i < len && text[i] != ' ')
            i++;
        const uint8_t *eq = memchr(text + start, '=', i - start);
        if (eq == NULL)
            continue;
        token_t key = { text + start, (size_t)(eq - (text + start)) };
        token_t value = { eq + 1, (size_t)(text + i - (eq + 1)) };
        apply(config, rng, key, value);
    }
}
