/*
** Stack depth by painting: fill the unused stack below the caller with a
** pattern, run the code, then find the lowest word that changed.
**
**   uintptr_t top = stack_paint();
**   work();
**   size_t used = stack_used(top);   // bytes below the caller's sp touched
**
** The stack is the region the linker script reserves (__StackLimit ..
** __StackTop, -Wl,--defsym=__stack_size=N). If the whole region was touched,
** the stack (nearly) overflowed: compare stack_used() with stack_size().
*/
#ifndef STACK_H
#define STACK_H

#include <stddef.h>
#include <stdint.h>

/* Paint the free stack below the current frame of the caller of
** stack_paint_below(): from __StackLimit up to a little below its own sp. */
void stack_paint_below(void);

/* Bytes of stack below `top` written since the paint. */
size_t stack_used(uintptr_t top);

/* Bytes reserved for the stack by the linker script. */
size_t stack_size(void);

/* Paint and return the caller's stack pointer. */
static inline uintptr_t stack_paint(void) {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  stack_paint_below();
  return sp;
}

#endif
