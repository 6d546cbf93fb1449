/*
** tml_qmath.h — integer arithmetic shared by the quantized kernels. These are
** TFLite's (gemmlowp's) rounding rules, which the reference kernels use; any
** change here changes output bytes.
*/
#ifndef TML_QMATH_H
#define TML_QMATH_H

#include <stdint.h>

#define TML_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TML_MAX(a, b) ((a) > (b) ? (a) : (b))
#define TML_CLAMP(x, lo, hi) TML_MIN(TML_MAX((x), (lo)), (hi))

/* (a * b * 2) >> 32, rounded to nearest, saturating the one overflow case. */
static inline int32_t tml_srdhm(int32_t a, int32_t b) {
  int64_t ab;
  int32_t nudge;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  /* C division truncates toward zero, as gemmlowp's does. */
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero. */
static inline int32_t tml_rdbpot(int32_t x, int32_t exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x << s without signed-overflow UB (wraps like TFLite's compiled code). */
static inline int32_t tml_shl(int32_t x, int32_t s) {
  return (int32_t)((uint32_t)x << s);
}

/* TFLite's MultiplyByQuantizedMultiplier (double rounding). */
static inline int32_t tml_mul_by_qm(int32_t x, int32_t mult, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  return tml_rdbpot(tml_srdhm(tml_shl(x, left), mult), right);
}

/* TFLite's MultiplyByQuantizedMultiplier for int64 accumulators (16x8). */
static inline int32_t tml_mul_by_qm64(int64_t x, int32_t mult, int32_t shift) {
  const int32_t reduced =
      mult < 0x7FFF0000 ? ((mult + (1 << 15)) >> 16) : 0x7FFF;
  const int32_t total_shift = 15 - shift;
  x = x * (int64_t)reduced + ((int64_t)1 << (total_shift - 1));
  return (int32_t)(x >> total_shift);
}

/* TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
static inline int32_t tml_mul_by_qm_small(int32_t x, int32_t mult,
                                          int32_t shift) {
  return tml_rdbpot(tml_srdhm(x, mult), -shift);
}

/* TFLite's MultiplyByQuantizedMultiplierGreaterThanOne (shift >= 0). */
static inline int32_t tml_mul_by_qm_big(int32_t x, int32_t mult,
                                        int32_t shift) {
  return tml_srdhm(tml_shl(x, shift), mult);
}

#endif
