/*
 * UART0 of the LM3S6965 (a PL011): 115200 bit/s 8N1, both directions
 * buffered in rings and driven by its interrupt, so that nothing here
 * waits for the line.
 *
 * Receive: the interrupt moves bytes from the hardware FIFO into a ring.
 * When the ring is full it masks the receive interrupt and leaves the
 * bytes in the FIFO; reading unmasks it. Under QEMU the emulated FIFO
 * then stops taking bytes from the host, so nothing is lost; on real
 * hardware the FIFO would overrun after 16 more bytes.
 *
 * Transmit: bytes are queued in a ring that the interrupt drains.
 */
#ifndef TERN_CM_UART_H
#define TERN_CM_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ring sizes, powers of two. The transmit ring must hold a whole SLIP
 * frame: a CoAP message of TERN_COAP_BUFFER_SIZE plus its escapes. */
#ifndef TERN_CM_UART_RX_SIZE
#define TERN_CM_UART_RX_SIZE 256u
#endif
#ifndef TERN_CM_UART_TX_SIZE
#define TERN_CM_UART_TX_SIZE 1024u
#endif

#define TERN_CM_UART_BAUD 115200u

/* Powers the UART and its pins, programs the line and enables its
 * interrupt. Needs tern_cm_clock_init() first (the baud divisor). */
void tern_cm_uart_init(void);

/* The next received byte, or -1 when none is waiting. */
int tern_cm_uart_getc(void);

/* True when a received byte is waiting. */
bool tern_cm_uart_rx_ready(void);

/* Free room in the transmit ring, in bytes. */
size_t tern_cm_uart_tx_room(void);

/*
 * Queues one byte; the caller checked tern_cm_uart_tx_room(). Bytes
 * start moving at tern_cm_uart_tx_start().
 */
void tern_cm_uart_tx_put(uint8_t byte);
void tern_cm_uart_tx_start(void);

/* True when every queued byte has left the UART. */
bool tern_cm_uart_tx_done(void);

/* Writes bytes by polling, bypassing the ring: for fault handlers. */
void tern_cm_uart_write_polled(const uint8_t *data, size_t len);

/* The UART0 interrupt handler (vector table). */
void tern_cm_uart0_handler(void);

#endif
