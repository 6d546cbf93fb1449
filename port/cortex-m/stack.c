/*
** Stack painting (stack.h).
*/
#include "stack.h"

extern uint32_t __StackLimit[], __StackTop[];

#define PAINT 0x5ca1ab1eu
/* Words just below this function's own sp are left alone (interrupt frames
** would land there; nothing else runs meanwhile). */
#define MARGIN_WORDS 8

__attribute__((noinline)) void stack_paint_below(void) {
  uintptr_t sp;
  volatile uint32_t *p = (volatile uint32_t *)(void *)__StackLimit;
  volatile uint32_t *end;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  end = (volatile uint32_t *)(sp & ~(uintptr_t)3) - MARGIN_WORDS;
  while (p < end) *p++ = PAINT;
}

size_t stack_used(uintptr_t top) {
  const volatile uint32_t *p = (const volatile uint32_t *)(void *)__StackLimit;
  while ((uintptr_t)p < top && *p == PAINT) p++;
  return (uintptr_t)p < top ? (size_t)(top - (uintptr_t)p) : 0;
}

size_t stack_size(void) {
  return (size_t)((uintptr_t)__StackTop - (uintptr_t)__StackLimit);
}
