/* UART0: interrupt-driven receive and transmit rings. */
#include "uart.h"
#include "clock.h"
#include "cortex_m.h"
#include "lm3s6965.h"

#if (TERN_CM_UART_RX_SIZE & (TERN_CM_UART_RX_SIZE - 1)) != 0                                       \
    || (TERN_CM_UART_TX_SIZE & (TERN_CM_UART_TX_SIZE - 1)) != 0
#error "the UART ring sizes must be powers of two"
#endif

/* Free-running indices: the producer advances head, the consumer tail. */
static uint8_t rx_ring[TERN_CM_UART_RX_SIZE];
static volatile uint32_t rx_head, rx_tail;
static volatile bool rx_stalled; /* ring full, receive interrupt masked */
static uint8_t tx_ring[TERN_CM_UART_TX_SIZE];
static volatile uint32_t tx_head, tx_tail;

void tern_cm_uart_init(void)
{
    SYSCTL_RCGC1 |= SYSCTL_RCGC1_UART0;
    SYSCTL_RCGC2 |= SYSCTL_RCGC2_GPIOA;
    GPIOA_AFSEL |= 0x3u; /* PA0 = U0Rx, PA1 = U0Tx */
    GPIOA_DEN |= 0x3u;

    UART0_CTL = 0;
    /* divisor = clock / (16 * baud) = 27.127: integer 27, fraction 8/64 */
    uint32_t div64 = (TERN_CM_CPU_HZ * 4u + TERN_CM_UART_BAUD / 2u) / TERN_CM_UART_BAUD;
    UART0_IBRD = div64 >> 6;
    UART0_FBRD = div64 & 63u;
    UART0_LCRH = UART_LCRH_WLEN_8 | UART_LCRH_FEN;
    UART0_IFLS = 0; /* interrupts: receive FIFO 1/8 full, transmit down to 1/8 full */
    UART0_ICR = UART_INT_ALL;
    UART0_IM = UART_INT_RX | UART_INT_RT;
    UART0_CTL = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
    NVIC_ISER0 = 1u << IRQ_UART0;
}

/* Moves queued bytes into the transmit FIFO; with interrupts off or
 * from the handler. The interrupt stays on while bytes remain. */
static void tx_fill(void)
{
    while (tx_tail != tx_head && (UART0_FR & UART_FR_TXFF) == 0) {
        UART0_DR = tx_ring[tx_tail % TERN_CM_UART_TX_SIZE];
        tx_tail = tx_tail + 1u;
    }
    if (tx_tail != tx_head)
        UART0_IM |= UART_INT_TX;
    else
        UART0_IM &= ~UART_INT_TX;
}

void tern_cm_uart0_handler(void)
{
    UART0_ICR = UART0_MIS & (UART_INT_RX | UART_INT_RT | UART_INT_TX);
    while ((UART0_FR & UART_FR_RXFE) == 0) {
        if (rx_head - rx_tail == TERN_CM_UART_RX_SIZE) {
            UART0_IM &= ~(UART_INT_RX | UART_INT_RT);
            rx_stalled = true;
            break;
        }
        rx_ring[rx_head % TERN_CM_UART_RX_SIZE] = (uint8_t)UART0_DR;
        tern_cm_barrier();
        rx_head = rx_head + 1u;
    }
    tx_fill();
}

int tern_cm_uart_getc(void)
{
    if (rx_tail == rx_head)
        return -1;
    uint8_t byte = rx_ring[rx_tail % TERN_CM_UART_RX_SIZE];
    tern_cm_barrier();
    rx_tail = rx_tail + 1u;
    if (rx_stalled) {
        uint32_t primask = tern_cm_irq_save();
        rx_stalled = false;
        UART0_IM |= UART_INT_RX | UART_INT_RT;
        tern_cm_irq_restore(primask);
    }
    return byte;
}

bool tern_cm_uart_rx_ready(void)
{
    return rx_tail != rx_head;
}

size_t tern_cm_uart_tx_room(void)
{
    return TERN_CM_UART_TX_SIZE - (size_t)(tx_head - tx_tail);
}

void tern_cm_uart_tx_put(uint8_t byte)
{
    tx_ring[tx_head % TERN_CM_UART_TX_SIZE] = byte;
    tern_cm_barrier();
    tx_head = tx_head + 1u;
}

void tern_cm_uart_tx_start(void)
{
    uint32_t primask = tern_cm_irq_save();
    tx_fill();
    tern_cm_irq_restore(primask);
}

bool tern_cm_uart_tx_done(void)
{
    return tx_tail == tx_head && (UART0_FR & UART_FR_BUSY) == 0;
}

void tern_cm_uart_write_polled(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (UART0_FR & UART_FR_TXFF)
            ;
        UART0_DR = data[i];
    }
}
