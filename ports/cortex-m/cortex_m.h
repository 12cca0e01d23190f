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

#endif
