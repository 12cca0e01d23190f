/*
 * Cortex-M3 start-up: vector table and reset handler. Copies .data from
 * flash, clears .bss, paints the stack (for measuring its peak use) and
 * calls main(). No C library initialisation: Tern needs none.
 */
#include <stdint.h>

#include "cortex_m.h"

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_top;
int main(void);

void tern_cm_reset(void);
void tern_cm_default_handler(void);
/* Faults (NMI, HardFault, MemManage, BusFault, UsageFault): an application
 * may define tern_cm_fault_handler to report them. */
void tern_cm_fault_handler(void) __attribute__((weak, alias("tern_cm_default_handler")));
void tern_cm_systick_handler(void) __attribute__((weak, alias("tern_cm_default_handler")));
void tern_cm_uart0_handler(void) __attribute__((weak, alias("tern_cm_default_handler")));

__attribute__((section(".vectors"), used)) static void (*const vectors[])(void) = {
    (void (*)(void))(&_stack_top),
    tern_cm_reset,
    tern_cm_fault_handler, /* NMI */
    tern_cm_fault_handler, /* HardFault */
    tern_cm_fault_handler, /* MemManage */
    tern_cm_fault_handler, /* BusFault */
    tern_cm_fault_handler, /* UsageFault */
    0,
    0,
    0,
    0,
    tern_cm_default_handler, /* SVCall */
    tern_cm_default_handler, /* DebugMonitor */
    0,
    tern_cm_default_handler, /* PendSV */
    tern_cm_systick_handler, /* SysTick */
    /* external interrupts: UART0 is IRQ 5 on the LM3S6965 */
    tern_cm_default_handler,
    tern_cm_default_handler,
    tern_cm_default_handler,
    tern_cm_default_handler,
    tern_cm_default_handler,
    tern_cm_uart0_handler,
};

void tern_cm_reset(void)
{
    uint32_t *src = &_data_load;
    for (uint32_t *dst = &_data_start; dst < &_data_end;)
        *dst++ = *src++;
    for (uint32_t *dst = &_bss_start; dst < &_bss_end;)
        *dst++ = 0;
    tern_cm_stack_paint();
    (void)main();
    for (;;)
        ;
}

void tern_cm_default_handler(void)
{
    for (;;)
        ;
}
