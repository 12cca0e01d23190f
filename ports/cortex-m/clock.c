/* PLL set-up and the SysTick millisecond counter. */
#include "clock.h"
#include "cortex_m.h"
#include "lm3s6965.h"

/* Bounded wait for the PLL lock; QEMU reports it at once. */
#define PLL_LOCK_SPINS 100000u

static volatile uint64_t ticks_ms;

void tern_cm_clock_init(void)
{
    /* DS-LM3S6965 6.1.5: run from the crystal while the PLL starts, then
     * switch to the PLL divided by SYSDIV + 1 = 4. */
    uint32_t rcc = SYSCTL_RCC;
    rcc = (rcc | SYSCTL_RCC_BYPASS) & ~SYSCTL_RCC_USESYSDIV;
    SYSCTL_RCC = rcc;
    rcc &= ~(SYSCTL_RCC_MOSCDIS | SYSCTL_RCC_OSCSRC_MASK | SYSCTL_RCC_XTAL_MASK | SYSCTL_RCC_PWRDN
             | SYSCTL_RCC_SYSDIV_MASK);
    rcc |= SYSCTL_RCC_XTAL_8MHZ | (3u << SYSCTL_RCC_SYSDIV_SHIFT) | SYSCTL_RCC_USESYSDIV;
    SYSCTL_MISC = SYSCTL_RIS_PLLLRIS; /* forget an old lock */
    SYSCTL_RCC = rcc;
    for (uint32_t i = 0; i < PLL_LOCK_SPINS && (SYSCTL_RIS & SYSCTL_RIS_PLLLRIS) == 0; i++)
        ;
    SYSCTL_RCC = rcc & ~SYSCTL_RCC_BYPASS;

    /* the processor clock first: QEMU connects no reference clock */
    SYST_CSR = SYST_CSR_CLKSOURCE;
    SYST_RVR = TERN_CM_CPU_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

void tern_cm_systick_handler(void)
{
    ticks_ms = ticks_ms + 1u;
}

tern_time_t tern_cm_now_ms(void)
{
    /* 64 bits take two loads: keep the tick from landing in between */
    uint32_t primask = tern_cm_irq_save();
    uint64_t t = ticks_ms;
    tern_cm_irq_restore(primask);
    return (tern_time_t)t;
}

uint32_t tern_cm_clock_cycles(void)
{
    return SYST_CVR;
}
