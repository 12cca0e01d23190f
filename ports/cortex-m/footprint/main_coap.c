/*
 * Footprint image of the CoAP layer alone (the paper's "CoAP alone"):
 * a bare-metal main that drives the message layer over a stub port, so
 * that the linker keeps exactly what a CoAP application would.
 */
#include <string.h>

#include "coap/coap_ep.h"
#include "stub_port.h"

static tern_time_t clock_ms;
static tern_coap_ep_t ep;

int main(void)
{
    tern_port_t port = { &TERN_STUB_PORT_OPS, &clock_ms };
    tern_addr_t peer;
    int conn = port.ops->net_open(port.ctx, &(tern_net_params_t){ 0 }, &peer);
    tern_coap_ep_init(&ep, &port, NULL);
    for (;;) {
        tern_coap_event_t ev;
        tern_coap_writer_t w;
        const uint8_t *data;
        size_t stored;
        int n = port.ops->net_recv_inplace(port.ctx, conn, &peer, &data, &stored);
        if (n >= 0) {
            tern_coap_ep_input(&ep, conn, &peer, data, stored, (size_t)n, clock_ms, &ev);
            if (ev.kind == TERN_COAP_EV_REQUEST) {
                tern_coap_respond_begin(&ep, &ev, TERN_COAP_CONTENT, &w);
                tern_coap_respond_send(&ep, &w);
            }
        }
        tern_coap_txn_t *t =
            tern_coap_request_new(&ep, conn, &peer, TERN_COAP_CON, TERN_COAP_POST, &w);
        if (t != NULL)
            tern_coap_txn_send(&ep, t, &w, clock_ms);
        tern_coap_ep_poll(&ep, clock_ms, &ev);
        clock_ms = tern_coap_ep_next_deadline(&ep);
    }
}
