/* Stack painting: how deep the stack has ever gone. */
#include "cortex_m.h"

extern uint32_t _bss_end, _stack_top;

void tern_cm_stack_paint(void)
{
    uintptr_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    /* leave a margin below the current frame */
    uint32_t *limit = (uint32_t *)(sp - 64);
    for (uint32_t *p = &_bss_end; p < limit; p++)
        *p = TERN_CM_STACK_PAINT;
}

size_t tern_cm_stack_peak(void)
{
    const uint32_t *p = &_bss_end;
    while (p < &_stack_top && *p == TERN_CM_STACK_PAINT)
        p++;
    return (size_t)((const uint8_t *)&_stack_top - (const uint8_t *)p);
}

size_t tern_cm_stack_size(void)
{
    return (size_t)((const uint8_t *)&_stack_top - (const uint8_t *)&_bss_end);
}
