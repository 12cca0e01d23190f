/* Cortex-M port: what the start-up code and the applications share. */
#ifndef TERN_CORTEX_M_H
#define TERN_CORTEX_M_H

#include <stddef.h>
#include <stdint.h>

/* The value the unused stack is painted with. */
#define TERN_CM_STACK_PAINT 0xa5a5a5a5u

/* Fills the free RAM below the current stack pointer with the paint. */
void tern_cm_stack_paint(void);

/* Bytes of stack used so far: the deepest unpainted word. */
size_t tern_cm_stack_peak(void);

/* Bytes the stack may grow to: from the end of .bss to the top of RAM. */
size_t tern_cm_stack_size(void);

/*
 * Interrupts off, returning the previous mask for tern_cm_irq_restore():
 * the critical sections between the main loop and the interrupt handlers.
 */
static inline uint32_t tern_cm_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void tern_cm_irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" : : "r"(primask) : "memory");
}

/*
 * Sleeps until an interrupt is pending. Called with interrupts off, after
 * checking there is nothing to do, so that an interrupt arriving between
 * the check and the sleep still wakes it (WFI wakes on a pending
 * interrupt even when PRIMASK masks it).
 */
static inline void tern_cm_wait_for_interrupt(void)
{
    __asm volatile("dsb\n\twfi" : : : "memory");
}

/* Keeps the compiler from moving memory accesses across it. */
static inline void tern_cm_barrier(void)
{
    __asm volatile("" : : : "memory");
}

#endif
