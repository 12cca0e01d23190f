/*
 * TI LM3S6965 registers used by the port (datasheet DS-LM3S6965; QEMU's
 * lm3s6965evb emulates them), and the Cortex-M3 core registers (ARMv7-M
 * architecture reference manual, B3).
 */
#ifndef TERN_LM3S6965_H
#define TERN_LM3S6965_H

#include <stdint.h>

#define TERN_REG(addr) (*(volatile uint32_t *)(addr))

/* ---- Core: SysTick, NVIC, System Control Block ------------------------ */
#define SYST_CSR TERN_REG(0xE000E010u)
#define SYST_RVR TERN_REG(0xE000E014u)
#define SYST_CVR TERN_REG(0xE000E018u)
#define SYST_CSR_ENABLE 0x1u
#define SYST_CSR_TICKINT 0x2u
#define SYST_CSR_CLKSOURCE 0x4u /* 1: the processor clock */

#define NVIC_ISER0 TERN_REG(0xE000E100u)

#define SCB_AIRCR TERN_REG(0xE000ED0Cu)
#define SCB_AIRCR_SYSRESETREQ 0x05FA0004u /* VECTKEY | SYSRESETREQ */

/* ---- System control ---------------------------------------------------- */
#define SYSCTL_RIS TERN_REG(0x400FE050u)
#define SYSCTL_MISC TERN_REG(0x400FE058u)
#define SYSCTL_RCC TERN_REG(0x400FE060u)
#define SYSCTL_RCGC1 TERN_REG(0x400FE104u)
#define SYSCTL_RCGC2 TERN_REG(0x400FE108u)
#define SYSCTL_USER0 TERN_REG(0x400FE1E0u)
#define SYSCTL_USER1 TERN_REG(0x400FE1E4u)

#define SYSCTL_RIS_PLLLRIS 0x40u
#define SYSCTL_RCC_MOSCDIS 0x00000001u
#define SYSCTL_RCC_OSCSRC_MASK 0x00000030u /* 0: main oscillator */
#define SYSCTL_RCC_XTAL_MASK 0x000003C0u
#define SYSCTL_RCC_XTAL_8MHZ 0x00000380u /* 0xE << 6: the EVB's 8 MHz crystal */
#define SYSCTL_RCC_BYPASS 0x00000800u
#define SYSCTL_RCC_PWRDN 0x00002000u
#define SYSCTL_RCC_USESYSDIV 0x00400000u
#define SYSCTL_RCC_SYSDIV_MASK 0x07800000u
#define SYSCTL_RCC_SYSDIV_SHIFT 23
#define SYSCTL_RCGC1_UART0 0x1u
#define SYSCTL_RCGC2_GPIOA 0x1u

/* ---- GPIO port A (UART0 on PA0/PA1) ------------------------------------ */
#define GPIOA_AFSEL TERN_REG(0x40004420u)
#define GPIOA_DEN TERN_REG(0x4000451Cu)

/* ---- UART0 (an ARM PL011) ---------------------------------------------- */
#define UART0_DR TERN_REG(0x4000C000u)
#define UART0_FR TERN_REG(0x4000C018u)
#define UART0_IBRD TERN_REG(0x4000C024u)
#define UART0_FBRD TERN_REG(0x4000C028u)
#define UART0_LCRH TERN_REG(0x4000C02Cu)
#define UART0_CTL TERN_REG(0x4000C030u)
#define UART0_IFLS TERN_REG(0x4000C034u)
#define UART0_IM TERN_REG(0x4000C038u)
#define UART0_MIS TERN_REG(0x4000C040u)
#define UART0_ICR TERN_REG(0x4000C044u)

#define UART_FR_BUSY 0x08u
#define UART_FR_RXFE 0x10u
#define UART_FR_TXFF 0x20u
#define UART_LCRH_FEN 0x10u
#define UART_LCRH_WLEN_8 0x60u
#define UART_CTL_UARTEN 0x001u
#define UART_CTL_TXE 0x100u
#define UART_CTL_RXE 0x200u
#define UART_INT_RX 0x10u /* receive FIFO at its trigger level */
#define UART_INT_TX 0x20u /* transmit FIFO at or below its trigger level */
#define UART_INT_RT 0x40u /* receive time-out: bytes waiting, line idle */
#define UART_INT_ALL 0x7F0u

/* External interrupt numbers (vector table index minus 16). */
#define IRQ_UART0 5

#endif
