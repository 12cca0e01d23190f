/*
 * Fault reports: NMI, HardFault and the configurable faults print one
 * PRINT frame with the exception number and the faulting PC, written by
 * polling (the interrupt-driven ring may be what broke), then stop.
 */
#include "cm_port.h"
#include "uart.h"

static size_t put_hex(uint8_t *out, uint32_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t) "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xFu];
    return 8;
}

/* Called by the handler below with the exception's stacked registers. */
void tern_cm_fault_report(const uint32_t *frame, uint32_t exception)
    __attribute__((used, noreturn));

void tern_cm_fault_report(const uint32_t *frame, uint32_t exception)
{
    /* no byte here needs escaping: the text is plain ASCII */
    static const char TEXT[] = "fault: exception 0x";
    uint8_t msg[64];
    size_t n = 0;
    msg[n++] = TERN_SLIP_END;
    msg[n++] = TERN_LINK_PRINT;
    for (size_t i = 0; i < sizeof(TEXT) - 1; i++)
        msg[n++] = (uint8_t)TEXT[i];
    n += put_hex(msg + n, exception);
    static const char PC[] = " at pc 0x";
    for (size_t i = 0; i < sizeof(PC) - 1; i++)
        msg[n++] = (uint8_t)PC[i];
    n += put_hex(msg + n, frame[6]); /* stacked r0 r1 r2 r3 r12 lr pc xpsr */
    msg[n++] = TERN_SLIP_END;
    tern_cm_uart_write_polled(msg, n);
    for (;;)
        ;
}

/* Naked, so that MSP still points at the exception's stacked registers
 * (the port runs everything on MSP). */
__attribute__((naked)) void tern_cm_fault_handler(void)
{
    __asm volatile("mrs r0, msp\n\t"
                   "mrs r1, ipsr\n\t"
                   "ubfx r1, r1, #0, #9\n\t"
                   "b tern_cm_fault_report");
}
