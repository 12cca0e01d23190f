/* tern-coap server: a few resources served by Tern's CoAP layer. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tern_coap_tool.h"

#define SLOW_DELAY_MS 1000

typedef struct server {
    tern_coap_ep_t ep;
    tern_port_t port;
    tern_posix_t px;
    int conn;
    char store[64];
    size_t store_len;
    /* a request to /slow, answered separately after SLOW_DELAY_MS */
    bool slow_pending;
    tern_time_t slow_due;
    tern_addr_t slow_peer;
    uint8_t slow_token[TERN_COAP_MAX_TOKEN];
    uint8_t slow_token_len;
} server_t;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static bool path_is(const tern_coap_msg_t *m, const char *name)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    int segments = 0;
    bool match = false;
    tern_coap_opt_iter_init(&it, m);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number != TERN_COAP_OPT_URI_PATH)
            continue;
        segments++;
        match = opt.len == strlen(name) && memcmp(opt.value, name, opt.len) == 0;
    }
    return segments == 1 && match;
}

static void respond(server_t *s, const tern_coap_event_t *ev, uint8_t code, const void *payload,
                    size_t len)
{
    tern_coap_writer_t w;
    tern_coap_respond_begin(&s->ep, ev, code, &w);
    if (len > 0) {
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_TEXT);
        tern_coap_write_payload(&w, payload, len);
    }
    if (tern_coap_respond_send(&s->ep, &w) != 0) {
        tern_coap_respond_begin(&s->ep, ev, TERN_COAP_INTERNAL_SERVER_ERROR, &w);
        (void)tern_coap_respond_send(&s->ep, &w);
    }
}

static void handle_request(server_t *s, const tern_coap_event_t *ev)
{
    const tern_coap_msg_t *m = &ev->msg;
    char from[64];
    char code[6];
    printf("request %s from %s\n", tool_code_str(m->code, code),
           tern_posix_addr_str(&ev->peer, from, sizeof(from)));
    fflush(stdout);
    if (path_is(m, "hello")) {
        if (m->code != TERN_COAP_GET)
            respond(s, ev, TERN_COAP_METHOD_NOT_ALLOWED, NULL, 0);
        else
            respond(s, ev, TERN_COAP_CONTENT, "Hello from Tern", 15);
    } else if (path_is(m, "echo")) {
        if (m->code != TERN_COAP_POST)
            respond(s, ev, TERN_COAP_METHOD_NOT_ALLOWED, NULL, 0);
        else
            respond(s, ev, TERN_COAP_CHANGED, m->payload, m->payload_len);
    } else if (path_is(m, "store")) {
        if (m->code == TERN_COAP_GET) {
            respond(s, ev, TERN_COAP_CONTENT, s->store, s->store_len);
        } else if (m->code == TERN_COAP_PUT && m->payload_len <= sizeof(s->store)) {
            memcpy(s->store, m->payload, m->payload_len);
            s->store_len = m->payload_len;
            respond(s, ev, TERN_COAP_CHANGED, NULL, 0);
        } else {
            respond(s, ev,
                    m->code == TERN_COAP_PUT ? TERN_COAP_REQUEST_ENTITY_TOO_LARGE
                                             : TERN_COAP_METHOD_NOT_ALLOWED,
                    NULL, 0);
        }
    } else if (path_is(m, "slow") && m->code == TERN_COAP_GET && m->type == TERN_COAP_CON
               && !s->slow_pending) {
        (void)tern_coap_respond_empty_ack(&s->ep, ev);
        s->slow_pending = true;
        s->slow_due = tern_posix_now() + SLOW_DELAY_MS;
        s->slow_peer = ev->peer;
        s->slow_token_len = m->token_len;
        memcpy(s->slow_token, m->token, m->token_len);
    } else {
        respond(s, ev, TERN_COAP_NOT_FOUND, NULL, 0);
    }
}

static void send_slow_response(server_t *s, tern_time_t now)
{
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_message_new(&s->ep, s->conn, &s->slow_peer, TERN_COAP_CON, TERN_COAP_CONTENT,
                              s->slow_token, s->slow_token_len, &w);
    if (t == NULL)
        return; /* a slot frees up on a later turn */
    s->slow_pending = false;
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_TEXT);
    tern_coap_write_payload(&w, "Sorry for the wait", 18);
    (void)tern_coap_txn_send(&s->ep, t, &w, now);
}

int tool_server(const tool_options_t *opt)
{
    static server_t s; /* large; one per process */
    tern_posix_init(&s.px, &s.port, "tern-coap");
    tern_coap_ep_init(&s.ep, &s.port, NULL);
    tern_net_params_t params = { .host = NULL, .local_port = opt->port };
    tern_addr_t none;
    s.conn = s.port.ops->net_open(s.port.ctx, &params, &none);
    if (s.conn < 0) {
        fprintf(stderr, "tern-coap: cannot bind UDP port %u\n", opt->port);
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    printf("serving on UDP port %u\n", tern_posix_local_port(&s.px, s.conn));
    fflush(stdout);
    while (!stop_requested) {
        tern_time_t now = tern_posix_now();
        tern_coap_event_t ev;
        tern_addr_t from;
        int n;
        while (
            (n = s.port.ops->net_recv(s.port.ctx, s.conn, &from, s.ep.rx_buf, sizeof(s.ep.rx_buf)))
            >= 0) {
            size_t stored = (size_t)n < sizeof(s.ep.rx_buf) ? (size_t)n : sizeof(s.ep.rx_buf);
            tern_coap_ep_input(&s.ep, s.conn, &from, s.ep.rx_buf, stored, (size_t)n, now, &ev);
            if (ev.kind == TERN_COAP_EV_REQUEST)
                handle_request(&s, &ev);
        }
        if (s.slow_pending && now >= s.slow_due)
            send_slow_response(&s, now);
        do
            tern_coap_ep_poll(&s.ep, now, &ev);
        while (ev.kind != TERN_COAP_EV_NONE);
        tern_time_t next = tern_coap_ep_next_deadline(&s.ep);
        if (s.slow_pending && s.slow_due < next)
            next = s.slow_due;
        tern_posix_wait(&s.px, next, NULL, NULL, 0);
    }
    tern_posix_deinit(&s.px);
    return 0;
}
