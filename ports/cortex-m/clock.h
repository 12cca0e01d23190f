/*
 * System clock and millisecond time base of the LM3S6965.
 *
 * The PLL runs the core at 50 MHz (200 MHz / 4, the chip's maximum).
 * QEMU's lm3s6965evb derives the same frequency from the same register
 * (RCC.SYSDIV), and wires no SysTick reference clock, so SysTick counts
 * processor clocks: one interrupt per millisecond.
 */
#ifndef TERN_CM_CLOCK_H
#define TERN_CM_CLOCK_H

#include "tern/common.h"

#define TERN_CM_CPU_HZ 50000000u

/* Starts the PLL and SysTick. Call first, with interrupts enabled. */
void tern_cm_clock_init(void);

/* Milliseconds since tern_cm_clock_init(): monotonic, never wraps. */
tern_time_t tern_cm_now_ms(void);

/* The SysTick counter (counts down from TERN_CM_CPU_HZ / 1000 - 1):
 * sub-millisecond timing, used as an entropy source. */
uint32_t tern_cm_clock_cycles(void);

/* The SysTick exception handler (vector table). */
void tern_cm_systick_handler(void);

#endif
