#include "core/uri.h"

#include <string.h>

static bool span_starts(const char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

/* First character of [p, end) that is in the NUL-terminated set. */
static const char *find_char(const char *p, const char *end, const char *set)
{
    for (; p < end; p++) {
        for (const char *s = set; *s != '\0'; s++) {
            if (*p == *s)
                return p;
        }
    }
    return end;
}

int tern_uri_parse(const char *uri, size_t len, tern_uri_t *out)
{
    const char *end = uri + len;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)uri[i];
        if (c <= 0x20 || c == 0x7f || c == '#')
            return -TERN_COAP_BAD_REQUEST;
    }
    const char *p;
    if (span_starts(uri, len, "coap://")) {
        p = uri + 7;
        out->port = TERN_COAP_DEFAULT_PORT;
    } else if (span_starts(uri, len, "coaps://")) {
        p = uri + 8;
        out->secure = true;
        out->port = TERN_COAPS_DEFAULT_PORT;
    } else {
        return -TERN_COAP_BAD_REQUEST;
    }
    const char *authority_end = find_char(p, end, "/?");
    const char *host_end;
    if (p < authority_end && *p == '[') {
        const char *close = find_char(p, authority_end, "]");
        if (close == authority_end)
            return -TERN_COAP_BAD_REQUEST;
        out->host.ptr = p + 1;
        out->host.len = (size_t)(close - p - 1);
        host_end = close + 1;
    } else {
        host_end = find_char(p, authority_end, ":");
        out->host.ptr = p;
        out->host.len = (size_t)(host_end - p);
    }
    if (out->host.len == 0
        || find_char(out->host.ptr, out->host.ptr + out->host.len, "[]@")
               != out->host.ptr + out->host.len)
        return -TERN_COAP_BAD_REQUEST;
    if (host_end < authority_end) {
        if (*host_end != ':' || host_end + 1 == authority_end)
            return -TERN_COAP_BAD_REQUEST;
        uint32_t port = 0;
        for (const char *d = host_end + 1; d < authority_end; d++) {
            if (*d < '0' || *d > '9' || (port = port * 10 + (uint32_t)(*d - '0')) > 65535)
                return -TERN_COAP_BAD_REQUEST;
        }
        if (port == 0)
            return -TERN_COAP_BAD_REQUEST;
        out->port = (uint16_t)port;
    }
    const char *query = find_char(authority_end, end, "?");
    out->path.ptr = authority_end;
    out->path.len = (size_t)(query - authority_end);
    if (query < end) {
        out->query.ptr = query + 1;
        out->query.len = (size_t)(end - query - 1);
    }
    return 0;
}

bool tern_uri_next_segment(tern_span_t *path, tern_span_t *segment)
{
    const char *p = path->ptr;
    const char *end = p + path->len;
    if (p < end && *p == '/')
        p++;
    if (p >= end)
        return false;
    const char *slash = find_char(p, end, "/");
    segment->ptr = p;
    segment->len = (size_t)(slash - p);
    path->ptr = slash;
    path->len = (size_t)(end - slash);
    return true;
}
