/*
** tml_gather.h — the inner loop shared by TRANSPOSE and STRIDED_SLICE: copy n
** elements of es bytes, read `step` elements apart (step may be negative),
** written contiguously. The constant-size memcpy calls compile to one load
** and one store each and keep C's aliasing rules for any element type.
*/
#ifndef TML_GATHER_H
#define TML_GATHER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Reads are addressed from s for each i, so no pointer outside the input is
** formed after the last element. */
#define TML_GATHER_LOOP(size)                                             \
  do {                                                                    \
    for (i = 0; i < n; i++)                                               \
      memcpy(d + (ptrdiff_t)i * (size), s + (ptrdiff_t)i * step * (size), \
             (size));                                                     \
  } while (0)

static inline void tml_gather(uint8_t *d, const uint8_t *s, int32_t n,
                              ptrdiff_t step, size_t es) {
  int32_t i;
  if (step == 1) {
    memcpy(d, s, (size_t)n * es);
    return;
  }
  switch (es) {
    case 1:
      TML_GATHER_LOOP(1);
      break;
    case 2:
      TML_GATHER_LOOP(2);
      break;
    case 4:
      TML_GATHER_LOOP(4);
      break;
    default:
      TML_GATHER_LOOP(8);
      break;
  }
}

#undef TML_GATHER_LOOP

#endif
