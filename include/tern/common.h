/*
 * Tern: types and conventions shared by every public header.
 *
 * Error convention, the same across the whole library: functions return
 * an int that is 0 (or a non-negative count) on success and negative on
 * failure. A value in -1..-255 is a negated CoAP response code
 * (-TERN_COAP_NOT_FOUND means 4.04) so that an error maps straight onto a
 * response; values at or below -256 are transport or system errors that
 * have no CoAP meaning (TERN_ERR_*).
 */
#ifndef TERN_COMMON_H
#define TERN_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tern/coap.h"
#include "tern/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Errors that are not CoAP response codes. */
enum {
    TERN_ERR_WOULD_BLOCK = -256, /* nothing to do now; try again later */
    TERN_ERR_IO = -257,          /* the transport failed */
    TERN_ERR_TIMEOUT = -258,     /* no answer within the protocol's limits */
    TERN_ERR_RESET = -259,       /* the peer rejected a message with RST */
    TERN_ERR_NO_SPACE = -260,    /* a fixed pool or buffer is exhausted */
    TERN_ERR_ARG = -261,         /* an argument breaks the function's contract */
    TERN_ERR_STATE = -262,       /* not allowed in the current state */
    TERN_ERR_HANDSHAKE = -263,   /* the secure session could not be set up */
    TERN_ERR_CLOSED = -264,      /* the connection was closed by the peer */
    TERN_ERR_CORRUPT = -265      /* stored data failed its integrity check */
};

/*
 * A point on the monotonic clock, in milliseconds from an arbitrary
 * origin. Durations are plain integers whose names end in _ms or _s.
 */
typedef int64_t tern_time_t;

/*
 * A transport address as the port sees it (IP, port, family...). The
 * engine treats it as opaque bytes: it copies and compares it, nothing
 * more. len == 0 means "no address".
 */
typedef struct tern_addr {
    uint8_t len;
    uint8_t bytes[TERN_ADDR_SIZE];
} tern_addr_t;

/* Severity of a log line, most severe first. */
typedef enum tern_log_level {
    TERN_LOG_ERROR = 0,
    TERN_LOG_WARN = 1,
    TERN_LOG_INFO = 2,
    TERN_LOG_DEBUG = 3
} tern_log_level_t;

#ifdef __cplusplus
}
#endif

#endif /* TERN_COMMON_H */
