/* Small helpers shared by tern-server's modules. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *duration_unit(const char *s, double *value)
{
    char *end;
    errno = 0;
    *value = strtod(s, &end);
    if (end == s || errno != 0)
        return NULL;
    return end;
}

bool parse_duration(const char *s, int64_t *out_ms)
{
    double v;
    const char *unit = duration_unit(s, &v);
    if (unit == NULL || !(v >= 0) || v > 1e9)
        return false;
    double scale;
    if (*unit == '\0' || strcmp(unit, "s") == 0)
        scale = 1000;
    else if (strcmp(unit, "ms") == 0)
        scale = 1;
    else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0)
        scale = 60000;
    else
        return false;
    *out_ms = (int64_t)(v * scale + 0.5);
    return true;
}

bool has_duration_unit(const char *s)
{
    double v;
    const char *unit = duration_unit(s, &v);
    if (unit == NULL || *unit == '\0')
        return false;
    int64_t ms;
    return parse_duration(s, &ms);
}

bool path_parse(const char *s, bool allow_root, srv_path_t *out)
{
    memset(out, 0, sizeof(*out));
    if (s == NULL || s[0] != '/')
        return false;
    if (strcmp(s, "/") == 0)
        return allow_root;
    const char *p = s + 1;
    while (*p != '\0') {
        if (out->depth == SRV_PATH_MAX_DEPTH)
            return false;
        unsigned long v = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (unsigned long)(*p - '0');
            if (v > SRV_MAX_ID)
                return false;
            p++;
            digits++;
        }
        if (digits == 0 || (*p != '/' && *p != '\0'))
            return false;
        out->id[out->depth++] = (uint16_t)v;
        if (*p == '/') {
            p++;
            if (*p == '\0')
                return false; /* trailing slash */
        }
    }
    return true;
}

char *path_format(const srv_path_t *p, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    if (p->depth == 0) {
        snprintf(buf, size, "/");
        return buf;
    }
    for (int i = 0; i < p->depth && used < size; i++) {
        int n = snprintf(buf + used, size - used, "/%u", (unsigned)p->id[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

srv_path_t path_child(const srv_path_t *p, uint16_t id)
{
    srv_path_t c = *p;
    if (c.depth < SRV_PATH_MAX_DEPTH)
        c.id[c.depth++] = id;
    return c;
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "tern-server: out of memory\n");
        abort();
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "tern-server: out of memory\n");
        abort();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "tern-server: out of memory\n");
        abort();
    }
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void sb_init(strbuf_t *b)
{
    b->s = NULL;
    b->len = 0;
    b->cap = 0;
}

void sb_free(strbuf_t *b)
{
    free(b->s);
    sb_init(b);
}

void sb_reset(strbuf_t *b)
{
    b->len = 0;
    if (b->s != NULL)
        b->s[0] = '\0';
}

static void sb_reserve(strbuf_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void sb_append(strbuf_t *b, const void *data, size_t len)
{
    sb_reserve(b, len);
    if (len > 0)
        memcpy(b->s + b->len, data, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void sb_putc(strbuf_t *b, char c)
{
    sb_append(b, &c, 1);
}

void sb_puts(strbuf_t *b, const char *s)
{
    sb_append(b, s, strlen(s));
}

void sb_vprintf(strbuf_t *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    sb_reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sb_printf(strbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

char *sb_take(strbuf_t *b)
{
    char *s = b->s ? b->s : xstrdup("");
    sb_init(b);
    return s;
}

void sb_hex(strbuf_t *b, const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    sb_reserve(b, len * 2);
    for (size_t i = 0; i < len; i++) {
        b->s[b->len++] = digits[data[i] >> 4];
        b->s[b->len++] = digits[data[i] & 15];
    }
    b->s[b->len] = '\0';
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long hex_decode(const char *s, uint8_t **out)
{
    size_t n = strlen(s);
    *out = NULL;
    if (n % 2 != 0)
        return -1;
    uint8_t *buf = xmalloc(n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(buf);
            return -1;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    *out = buf;
    return (long)(n / 2);
}

bool is_text(const uint8_t *d, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = d[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return false;
            if (c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t follow;
        if ((c & 0xe0) == 0xc0 && c >= 0xc2)
            follow = 1;
        else if ((c & 0xf0) == 0xe0)
            follow = 2;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
            follow = 3;
        else
            return false;
        if (i + follow >= len)
            return false;
        for (size_t k = 1; k <= follow; k++)
            if ((d[i + k] & 0xc0) != 0x80)
                return false;
        i += follow + 1;
    }
    return true;
}

char *code_format(int code, char *buf)
{
    snprintf(buf, 8, "%d.%02d", (code >> 5) & 7, code & 31);
    return buf;
}

const char *code_phrase(int code)
{
    static const struct {
        int code;
        const char *phrase;
    } phrases[] = {
        { 65, "Created" },
        { 66, "Deleted" },
        { 67, "Valid" },
        { 68, "Changed" },
        { 69, "Content" },
        { 95, "Continue" },
        { 128, "Bad Request" },
        { 129, "Unauthorized" },
        { 130, "Bad Option" },
        { 131, "Forbidden" },
        { 132, "Not Found" },
        { 133, "Method Not Allowed" },
        { 134, "Not Acceptable" },
        { 136, "Request Entity Incomplete" },
        { 137, "Conflict" },
        { 140, "Precondition Failed" },
        { 141, "Request Entity Too Large" },
        { 143, "Unsupported Content-Format" },
        { 160, "Internal Server Error" },
        { 161, "Not Implemented" },
        { 162, "Bad Gateway" },
        { 163, "Service Unavailable" },
        { 164, "Gateway Timeout" },
        { 165, "Proxying Not Supported" },
    };
    for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
        if (phrases[i].code == code)
            return phrases[i].phrase;
    return "";
}
