/*
 * Footprint image: a bare-metal main that drives every public entry
 * point of the profile being measured, over a stub port, so that the
 * linker keeps exactly the code a real application would.
 */
#include <string.h>

#include "coap/coap_ep.h"

static tern_time_t stub_now(void *ctx)
{
    return *(volatile tern_time_t *)ctx;
}

static int stub_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x5a, len);
    return 0;
}

static int stub_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    (void)ctx;
    (void)params;
    peer->len = 6;
    return 0;
}

static int stub_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)conn;
    (void)to;
    (void)data;
    (void)len;
    return 0;
}

static int stub_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    (void)ctx;
    (void)conn;
    (void)from;
    (void)buf;
    (void)cap;
    return TERN_ERR_WOULD_BLOCK;
}

static void stub_close(void *ctx, int conn)
{
    (void)ctx;
    (void)conn;
}

static const tern_port_ops_t STUB_OPS = {
    .now_ms = stub_now,
    .random = stub_random,
    .log = NULL,
    .net_open = stub_open,
    .net_send = stub_send,
    .net_recv = stub_recv,
    .net_close = stub_close,
};

static tern_time_t clock_ms;
static tern_coap_ep_t ep;

int main(void)
{
    tern_port_t port = { &STUB_OPS, &clock_ms };
    tern_addr_t peer;
    int conn = port.ops->net_open(port.ctx, &(tern_net_params_t){ 0 }, &peer);
    tern_coap_ep_init(&ep, &port, NULL);
    for (;;) {
        tern_coap_event_t ev;
        tern_coap_writer_t w;
        int n = port.ops->net_recv(port.ctx, conn, &peer, ep.rx_buf, sizeof(ep.rx_buf));
        if (n >= 0) {
            tern_coap_ep_input(&ep, conn, &peer, ep.rx_buf, (size_t)n, (size_t)n, clock_ms, &ev);
            if (ev.kind == TERN_COAP_EV_REQUEST) {
                tern_coap_respond_begin(&ep, &ev, TERN_COAP_CONTENT, &w);
                tern_coap_respond_send(&ep, &w);
            }
        }
        tern_coap_txn_t *t = tern_coap_request_new(&ep, conn, &peer, TERN_COAP_CON,
                                                   TERN_COAP_POST, &w);
        if (t != NULL)
            tern_coap_txn_send(&ep, t, &w, clock_ms);
        tern_coap_ep_poll(&ep, clock_ms, &ev);
        clock_ms = tern_coap_ep_next_deadline(&ep);
    }
}
