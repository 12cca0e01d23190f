/*
 * Fuzz target: the CoAP message layer's packet input. The input is split
 * into datagrams (a length byte, then the bytes), fed to one endpoint
 * with a pending request, a cached response and a fake clock that moves
 * between datagrams, so matching, deduplication and the replies for bad
 * input all run on hostile data.
 */
#include <string.h>

#include "coap/coap_ep.h"
#include "fake_port.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_port_t fp;
    static tern_coap_ep_t ep;
    tern_port_t port;
    fake_port_init(&fp, &port);
    fp.random_byte = 0x11;
    tern_coap_ep_init(&ep, &port, NULL);
    tern_addr_t peer = fake_addr(1);

    /* a pending CON request, so ACKs, RSTs and responses can match */
    tern_coap_writer_t w;
    tern_coap_txn_t *t = tern_coap_request_new(&ep, 0, &peer, TERN_COAP_CON, TERN_COAP_GET, &w);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "x");
    tern_coap_txn_send(&ep, t, &w, fp.now);

    while (size > 0) {
        size_t len = data[0];
        data++;
        size--;
        if (len > size)
            len = size;
        memcpy(ep.rx_buf, data, len);
        tern_coap_event_t ev;
        /* the top bit of the length byte claims truncation */
        size_t full = (len & 0x80) ? len + 1000 : len;
        tern_coap_ep_input(&ep, 0, &peer, ep.rx_buf, len, full, fp.now, &ev);
        if (ev.kind == TERN_COAP_EV_REQUEST) {
            tern_coap_respond_begin(&ep, &ev, TERN_COAP_CONTENT, &w);
            tern_coap_write_payload(&w, "ok", 2);
            tern_coap_respond_send(&ep, &w);
        }
        fp.now += 1500;
        do
            tern_coap_ep_poll(&ep, fp.now, &ev);
        while (ev.kind != TERN_COAP_EV_NONE);
        fake_port_clear_sent(&fp);
        data += len;
        size -= len;
    }
    return 0;
}
