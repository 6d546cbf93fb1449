/*
** Minimal Cortex-M startup for QEMU's mps2-an386 (Cortex-M4F) and mps3-an547
** (Cortex-M55): vector table, reset handler, fault handler, perf markers.
** Output and exit go through Arm semihosting (newlib-nano + librdimon).
**
** Adapted from ../shared/tools/emu/cortex-m/startup.c (use, copy or adapt
** freely): written to build with the project's -std=c99 -pedantic -Werror.
*/
#include <stdint.h>
#include <stdlib.h>

#include "perf.h"

extern uint32_t __StackTop[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

extern int main(void);
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);

void Reset_Handler(void);
void Fault_Handler(void);
void _init(void);
void _fini(void);
void startup_fault_report(const uint32_t *frame);

/* Define any of these in the program to handle that exception; otherwise it
** ends in Fault_Handler, which reports it and exits with 128 + the exception
** number. All external interrupts share IRQ_Handler (IRQ = IPSR - 16). */
#define WEAK_FAULT __attribute__((weak, alias("Fault_Handler")))
void NMI_Handler(void) WEAK_FAULT;
void HardFault_Handler(void) WEAK_FAULT;
void MemManage_Handler(void) WEAK_FAULT;
void BusFault_Handler(void) WEAK_FAULT;
void UsageFault_Handler(void) WEAK_FAULT;
void SecureFault_Handler(void) WEAK_FAULT; /* Armv8-M only */
void SVC_Handler(void) WEAK_FAULT;
void DebugMon_Handler(void) WEAK_FAULT;
void PendSV_Handler(void) WEAK_FAULT;
void SysTick_Handler(void) WEAK_FAULT;
void IRQ_Handler(void) WEAK_FAULT;

typedef void (*handler_fn)(void);

/* Initial stack pointer, then 15 system exceptions and 32 external
** interrupts (enough for these boards' UARTs and timers). */
struct vector_table {
  void *stack_top;
  handler_fn system[15];
  handler_fn irq[32];
};

#define IRQ4 IRQ_Handler, IRQ_Handler, IRQ_Handler, IRQ_Handler
__attribute__((used, section(".vectors")))
const struct vector_table vector_table = {
    __StackTop,
    {Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler,
     BusFault_Handler, UsageFault_Handler, SecureFault_Handler,
     Fault_Handler, Fault_Handler, Fault_Handler, /* reserved */
     SVC_Handler, DebugMon_Handler, Fault_Handler /* reserved */,
     PendSV_Handler, SysTick_Handler},
    {IRQ4, IRQ4, IRQ4, IRQ4, IRQ4, IRQ4, IRQ4, IRQ4}};

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void) {
  uint32_t *s, *d;
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  SCB_CPACR |= 0xFu << 20; /* CP10/CP11 full access: FPU, MVE */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  for (s = __data_load, d = __data_start; d < __data_end;) *d++ = *s++;
  for (d = __bss_start; d < __bss_end;) *d++ = 0;
  initialise_monitor_handles(); /* semihosting stdin/stdout/stderr */
  __libc_init_array();
  exit(main()); /* -> SYS_EXIT_EXTENDED: QEMU exits with main's status */
}

/* -nostartfiles drops crti.o; __libc_init_array still calls these. */
void _init(void) {}
void _fini(void) {}

/* Raw semihosting call (works without the C library). */
static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static void put_hex(char *p, uint32_t v) {
  int i;
  for (i = 7; i >= 0; i--, v >>= 4) p[i] = "0123456789abcdef"[v & 15];
}

/* Print the exception number and stacked PC, exit with status 128+n. */
__attribute__((used, noreturn)) void startup_fault_report(
    const uint32_t *frame) {
  uint32_t ipsr, block[2];
  char msg[] = "\n*** exception xxxxxxxx at pc xxxxxxxx\n";
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  put_hex(msg + 15, ipsr & 0x1ff);
  put_hex(msg + 30, frame[6]);
  semihost(0x04 /* SYS_WRITE0 */, msg);
  block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
  block[1] = 128 + (ipsr & 0x7f);
  semihost(0x20 /* SYS_EXIT_EXTENDED */, block);
  for (;;) {
  }
}

/* Any unexpected exception: r0 = the exception stack frame (MSP or PSP,
** selected by EXC_RETURN bit 2), then startup_fault_report(). */
__attribute__((naked)) void Fault_Handler(void) {
  __asm__ volatile(
      "    mov r0, lr\n"
      "    movs r1, #4\n"
      "    tst r0, r1\n"
      "    bne 1f\n"
      "    mrs r0, msp\n"
      "    b startup_fault_report\n"
      "1:  mrs r0, psp\n"
      "    b startup_fault_report\n");
}

/* Performance-region markers (perf.h), in assembly so that they can never be
** inlined or merged: the QEMU plugin triggers on their addresses. */
__asm__(
    "    .text\n"
    "    .balign 2\n"
    "    .global perf_begin\n"
    "    .thumb_func\n"
    "    .type perf_begin, %function\n"
    "perf_begin:\n"
    "    bx lr\n"
    "    .size perf_begin, . - perf_begin\n"
    "    .global perf_end\n"
    "    .thumb_func\n"
    "    .type perf_end, %function\n"
    "perf_end:\n"
    "    bx lr\n"
    "    .size perf_end, . - perf_end\n");
