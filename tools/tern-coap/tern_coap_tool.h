/* tern-coap: a small CoAP client and server on Tern's own CoAP layer. */
#ifndef TERN_COAP_TOOL_H
#define TERN_COAP_TOOL_H

#include "coap/coap_ep.h"
#include "tern/posix.h"

typedef struct tool_options {
    const char *method; /* get, put, post, delete */
    const char *uri;
    const char *payload; /* -e */
    int content_format;  /* -t, -1 when absent */
    int accept;          /* -A, -1 when absent */
    bool non;            /* -N: non-confirmable request */
    int timeout_s;       /* -T */
    uint16_t port;       /* serve: local port */
} tool_options_t;

/* Runs one request and prints the response. Returns the exit status. */
int tool_client(const tool_options_t *opt);

/* Serves /hello, /echo, /store and /slow until SIGINT/SIGTERM. */
int tool_server(const tool_options_t *opt);

/* Prints "C.DD" for a CoAP code into buf (6 bytes). */
const char *tool_code_str(uint8_t code, char *buf);

#endif
