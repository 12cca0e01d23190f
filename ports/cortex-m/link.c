/* Typed SLIP frames over UART0. */
#include "link.h"
#include "uart.h"

void tern_cm_link_init(tern_cm_link_t *link)
{
    tern_slip_decoder_init(&link->decoder, link->frame, sizeof(link->frame));
    link->frame_len = 0;
}

static void put_escaped(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t esc[2];
        size_t n = tern_slip_escape(data[i], esc);
        for (size_t k = 0; k < n; k++)
            tern_cm_uart_tx_put(esc[k]);
    }
}

int tern_cm_link_send(tern_cm_link_t *link, uint8_t type, const uint8_t *head, size_t head_len,
                      const uint8_t *body, size_t body_len)
{
    (void)link;
    size_t size = 2 + tern_slip_escaped_size(&type, 1) + tern_slip_escaped_size(head, head_len)
                  + tern_slip_escaped_size(body, body_len);
    if (size > TERN_CM_UART_TX_SIZE)
        return TERN_ERR_NO_SPACE;
    if (size > tern_cm_uart_tx_room())
        return TERN_ERR_WOULD_BLOCK;
    tern_cm_uart_tx_put(TERN_SLIP_END);
    put_escaped(&type, 1);
    put_escaped(head, head_len);
    put_escaped(body, body_len);
    tern_cm_uart_tx_put(TERN_SLIP_END);
    tern_cm_uart_tx_start();
    return 0;
}

const uint8_t *tern_cm_link_frame(tern_cm_link_t *link, size_t *len)
{
    while (link->frame_len == 0) {
        int c = tern_cm_uart_getc();
        if (c < 0)
            return NULL;
        link->frame_len = tern_slip_decode(&link->decoder, (uint8_t)c);
    }
    *len = link->frame_len;
    return link->frame;
}

void tern_cm_link_done(tern_cm_link_t *link)
{
    link->frame_len = 0;
}
