/*
 * Parser for the coap:// and coaps:// URIs that name LwM2M servers and
 * firmware packages (RFC 7252 6.1): scheme, host, port, path and query,
 * as spans of the input string. Nothing is copied or decoded.
 */
#ifndef TERN_CORE_URI_H
#define TERN_CORE_URI_H

#include "tern/common.h"

#define TERN_COAP_DEFAULT_PORT 5683
#define TERN_COAPS_DEFAULT_PORT 5684

typedef struct tern_span {
    const char *ptr;
    size_t len;
} tern_span_t;

typedef struct tern_uri {
    bool secure;       /* coaps */
    tern_span_t host;  /* without the brackets of an IPv6 literal */
    uint16_t port;     /* the scheme's default when absent */
    tern_span_t path;  /* after the authority, starting with '/', may be empty */
    tern_span_t query; /* after '?', may be empty */
} tern_uri_t;

/*
 * Parses the len bytes at uri. Returns 0, or -TERN_COAP_BAD_REQUEST for
 * an unknown scheme, an empty host, a bad port, a fragment ('#', which
 * RFC 7252 6.1 forbids) or a control character (*out is then undefined).
 */
int tern_uri_parse(const char *uri, size_t len, tern_uri_t *out);

/*
 * Takes the next '/'-separated segment of *path (a leading '/' is
 * skipped) into *segment and advances *path. Returns false when no
 * segment is left. Percent-decoding is left to the caller.
 */
bool tern_uri_next_segment(tern_span_t *path, tern_span_t *segment);

#endif /* TERN_CORE_URI_H */
