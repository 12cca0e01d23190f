/* tern-coap client: one request, retransmitted as needed, one response. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "core/uri.h"
#include "tern_coap_tool.h"

static int method_code(const char *m)
{
    static const char *const NAMES[] = { "get", "post", "put", "delete" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(m, NAMES[i]) == 0)
            return i + 1;
    }
    return -1;
}

/* Writes each '/' segment of span as option `number`. */
static void write_segments(tern_coap_writer_t *w, uint16_t number, tern_span_t span, char sep)
{
    const char *p = span.ptr;
    const char *end = span.ptr + span.len;
    if (sep == '/' && p < end && *p == '/')
        p++;
    while (p < end) {
        const char *q = memchr(p, sep, (size_t)(end - p));
        if (q == NULL)
            q = end;
        tern_coap_write_option(w, number, p, (size_t)(q - p));
        p = q + 1;
    }
}

static void print_response(const tern_coap_msg_t *m)
{
    char code[6];
    printf("%s\n", tool_code_str(m->code, code));
    if (m->payload_len > 0) {
        fwrite(m->payload, 1, m->payload_len, stdout);
        printf("\n");
    }
    fflush(stdout);
}

int tool_client(const tool_options_t *opt)
{
    int code = method_code(opt->method);
    tern_uri_t uri;
    if (code < 0 || tern_uri_parse(opt->uri, strlen(opt->uri), &uri) != 0 || uri.secure) {
        fprintf(stderr, "tern-coap: bad method or URI (only coap:// is supported)\n");
        return 2;
    }
    char host[256];
    snprintf(host, sizeof(host), "%.*s", (int)uri.host.len, uri.host.ptr);

    tern_posix_t px;
    tern_port_t port;
    tern_posix_init(&px, &port, "tern-coap");
    tern_net_params_t params = { .host = host, .port = uri.port };
    tern_addr_t peer;
    int conn = port.ops->net_open(port.ctx, &params, &peer);
    if (conn < 0) {
        fprintf(stderr, "tern-coap: cannot reach %s:%u\n", host, uri.port);
        return 2;
    }
    static tern_coap_ep_t ep; /* large; one per process */
    tern_coap_ep_init(&ep, &port, NULL);

    tern_coap_writer_t w;
    tern_coap_txn_t *txn = tern_coap_request_new(
        &ep, conn, &peer, opt->non ? TERN_COAP_NON : TERN_COAP_CON, (uint8_t)code, &w);
    if (txn == NULL)
        return 2;
    write_segments(&w, TERN_COAP_OPT_URI_PATH, uri.path, '/');
    if (opt->content_format >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT,
                                    (uint32_t)opt->content_format);
    write_segments(&w, TERN_COAP_OPT_URI_QUERY, uri.query, '&');
    if (opt->accept >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_ACCEPT, (uint32_t)opt->accept);
    if (opt->payload != NULL)
        tern_coap_write_payload(&w, opt->payload, strlen(opt->payload));
    if (tern_coap_txn_send(&ep, txn, &w, tern_posix_now()) != 0) {
        fprintf(stderr, "tern-coap: request does not fit in %u bytes\n", TERN_COAP_BUFFER_SIZE);
        return 2;
    }

    tern_time_t give_up = tern_posix_now() + (tern_time_t)opt->timeout_s * 1000;
    for (;;) {
        tern_coap_event_t ev;
        tern_addr_t from;
        int n;
        while ((n = port.ops->net_recv(port.ctx, conn, &from, ep.rx_buf, sizeof(ep.rx_buf))) >= 0) {
            size_t stored = (size_t)n < sizeof(ep.rx_buf) ? (size_t)n : sizeof(ep.rx_buf);
            tern_coap_ep_input(&ep, conn, &from, ep.rx_buf, stored, (size_t)n, tern_posix_now(),
                               &ev);
            if (ev.kind == TERN_COAP_EV_RESPONSE) {
                print_response(&ev.msg);
                tern_posix_deinit(&px);
                return TERN_COAP_CODE_CLASS(ev.msg.code) == 2 ? 0 : 1;
            }
            if (ev.kind == TERN_COAP_EV_RESET) {
                fprintf(stderr, "tern-coap: the server answered with RST\n");
                return 2;
            }
        }
        tern_coap_ep_poll(&ep, tern_posix_now(), &ev);
        if (ev.kind == TERN_COAP_EV_TIMEOUT || tern_posix_now() >= give_up) {
            fprintf(stderr, "tern-coap: no response\n");
            return 2;
        }
        tern_time_t next = tern_coap_ep_next_deadline(&ep);
        tern_posix_wait(&px, next < give_up ? next : give_up, NULL, NULL, 0);
    }
}
