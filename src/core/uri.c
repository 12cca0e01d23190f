#include "core/uri.h"

#if TERN_COAPS_DEFAULT_PORT != TERN_COAP_DEFAULT_PORT + 1
#error "the default ports are told apart by adding one"
#endif

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
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)uri[i];
        if (c <= 0x20 || c == 0x7f || c == '#')
            return -TERN_COAP_BAD_REQUEST;
    }
    /* "coap://" or "coaps://": the scheme's letters in turn, the 's' optional */
    const char *p = uri;
    for (const char *s = "coaps://"; *s != '\0'; s++) {
        if (p < end && *p == *s)
            p++;
        else if (*s != 's')
            return -TERN_COAP_BAD_REQUEST;
    }
    out->secure = p - uri == 8;
    out->port = (uint16_t)(TERN_COAP_DEFAULT_PORT + out->secure);
    const char *authority_end = find_char(p, end, "/?");
    /* the host, up to the port's ':' or in the brackets of an IPv6
     * literal; none of the others is allowed in it */
    bool literal = p < authority_end && *p == '[';
    const char *host = p + literal;
    p = find_char(host, authority_end, &":[]@"[literal]); /* a literal has colons */
    out->host.ptr = host;
    out->host.len = (size_t)(p - host);
    if (p == host || (literal && (p == authority_end || *p++ != ']')))
        return -TERN_COAP_BAD_REQUEST;
    if (p < authority_end) {
        /* ":port", 1..65535 */
        uint32_t port = 0;
        if (*p != ':')
            return -TERN_COAP_BAD_REQUEST;
        while (++p < authority_end) {
            if (*p < '0' || *p > '9' || (port = port * 10 + (uint32_t)(*p - '0')) > 65535)
                return -TERN_COAP_BAD_REQUEST;
        }
        if (port == 0)
            return -TERN_COAP_BAD_REQUEST;
        out->port = (uint16_t)port;
    }
    const char *query = find_char(authority_end, end, "?");
    out->path.ptr = authority_end;
    out->path.len = (size_t)(query - authority_end);
    query += query < end; /* after the '?' */
    out->query.ptr = query;
    out->query.len = (size_t)(end - query);
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
