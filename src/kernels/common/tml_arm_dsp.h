/*
** tml_arm_dsp.h — pieces shared by the Cortex-M DSP-extension kernels
** (<family>_arm_dsp.c): packed 16-bit arithmetic, a fast exact
** requantization. Include only where TML_KERNELS_ARM_DSP is defined.
**
** Exactness. Every product of an int8 weight and an int8 input plus offset
** (|x + offset| <= 255) fits int16 x int16 -> int32, SMLAD adds modulo 2^32
** as the portable uint32 sums do, and Sum w * (x + off) equals
** Sum w * x + off * Sum w modulo 2^32: any grouping or folding of the sums
** gives the portable accumulator bits.
*/
#ifndef TML_ARM_DSP_H
#define TML_ARM_DSP_H

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

#include "tml_qmath.h"

/* Bytes 1 and 3 sign-extended to two int16 (arm_acle.h has no rotation). */
static inline uint32_t tml_dsp_sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

/* Bytes 1 and 3 sign-extended and added to the two int16 of `acc`. */
static inline uint32_t tml_dsp_sxtab16_ror8(uint32_t acc, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(acc), "r"(x));
  return r;
}

/* Unaligned loads and stores: single LDR/STR on the M4 and M55. */
static inline uint32_t tml_dsp_load32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline void tml_dsp_store32(void *p, uint32_t v) { memcpy(p, &v, 4); }

/* An int16 pair (offset, offset) for SXTAB16. */
static inline uint32_t tml_dsp_pair(int32_t v) {
  return ((uint32_t)v & 0xffffu) | ((uint32_t)v << 16);
}

/* 4 int8 at `src` plus `offp` (tml_dsp_pair) as the two int16 pairs the
** kernels multiply: (x0, x2) then (x1, x3), which is what SXTB16 makes of
** the weights' bytes, so both sides pair up the same taps. */
static inline void tml_dsp_expand4(uint32_t *dst, const int8_t *src,
                                   uint32_t offp) {
  const uint32_t v = tml_dsp_load32(src);
  dst[0] = __sxtab16(offp, v);
  dst[1] = tml_dsp_sxtab16_ror8(offp, v);
}

/* ------------------------------------------------------ requantization */

/* tml_mul_by_qm(acc, mult, shift) + out_offset in five instructions, exact
** when 1 <= -shift <= TML_DSP_MAX_RSHIFT and |acc| < 2^30 (callers make
** sure: bias below 2^29, at most TML_DSP_MAX_TAPS products of 255 * 128).
**
** tml_srdhm(acc, m) is floor((acc * m + 2^30) / 2^31) (its nudge and
** truncating division round half up for both signs) = the SMMLAR
** (rounding high multiply) of 2 * acc and m. tml_rdbpot(r, e) is
** floor((r + 2^(e-1) - [r < 0]) / 2^e); adding out_offset * 2^e inside
** the floor adds out_offset after it. So with
**   k = 2^(e-1) + out_offset * 2^e,
**   result = (k - [acc < 0] + srdhm(acc, m)) >> e,
** where SMMLAR adds k - [acc < 0] for free. [acc < 0] stands for [r < 0]:
** they differ only when r = 0, where both give 0 after the shift. (Why k
** must stay small: k + srdhm must fit int32, so e <= 22.)
**
** The same holds for any acc in 64 bits: with A = acc * m + 2^30 and
** c = 2^(e-1) - [A < 0], floor((floor(A / 2^31) + c) / 2^e) =
** floor((A + c * 2^31) / 2^(31 + e)), the high word of A + c * 2^31 shifted
** right by e - 1 (conv_arm_dsp.c's routine takes that path for large
** biases and e > 22). */
typedef struct tml_dsp_rq {
  int32_t mult, k, e;
} tml_dsp_rq;

#define TML_DSP_MAX_RSHIFT 22

static inline int tml_dsp_rq_ok(int32_t shift, const int32_t *bias) {
  return shift <= -1 && shift >= -TML_DSP_MAX_RSHIFT &&
         (!bias || (uint32_t)*bias + (1u << 29) < (1u << 30));
}

static inline tml_dsp_rq tml_dsp_rq_make(int32_t mult, int32_t shift,
                                         int32_t out_offset) {
  tml_dsp_rq q;
  q.mult = mult;
  q.e = -shift;
  q.k = (int32_t)((1u << (q.e - 1)) + ((uint32_t)out_offset << q.e));
  return q;
}

static inline int32_t tml_dsp_requant(const tml_dsp_rq *q, int32_t acc) {
  int32_t t;
  __asm__("smmlar %0, %1, %2, %3"
          : "=r"(t)
          : "r"((int32_t)((uint32_t)acc << 1)), "r"(q->mult),
            "r"(q->k + (acc >> 31)));
  return t >> q->e;
}

/* tml_conv_out_s8 (TFLite's requantization, offset and clamp), out of line
** for the outputs the fast paths do not take. */
int8_t tml_dsp_out(int32_t acc, int32_t mult, int32_t shift,
                   int32_t out_offset, int32_t lo, int32_t hi);

/* Clamp to [lo, hi], a range within int8. */
static inline int8_t tml_dsp_clamp(int32_t v, int32_t lo, int32_t hi) {
  v = __ssat(v, 8);
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return (int8_t)v;
}

#endif
