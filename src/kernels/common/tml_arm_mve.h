/*
** tml_arm_mve.h — pieces shared by the Cortex-M Helium (MVE) kernels
** (<family>_arm_mve.c): TFLite's requantization on four int32 lanes.
** Include only where TML_KERNELS_ARM_MVE is defined.
**
** Exactness of the sums. VMLADAVA.S8 adds int8 x int8 products into a
** 32-bit register modulo 2^32, as the portable kernels' uint32 sums do, and
** Sum w * (x + off) = Sum w * x + off * Sum w modulo 2^32: the raw int8
** dot product plus in_offset times the filter row's sum (VADDVA.S8) is the
** portable accumulator, bit for bit.
*/
#ifndef TML_ARM_MVE_H
#define TML_ARM_MVE_H

#include <arm_mve.h>
#include <stdint.h>

#include "tml_qmath.h"

/* Sum of n int8, 16 per VADDVA (the last ones a predicated load). */
static inline int32_t tml_mve_sum_s8(const int8_t *x, int32_t n) {
  int32_t s = 0;
  for (; n >= 16; n -= 16, x += 16) s = vaddvaq_s8(s, vldrbq_s8(x));
  if (n) s = vaddvaq_s8(s, vldrbq_z_s8(x, vctp8q((uint32_t)n)));
  return s;
}

/* One channel's rescaling as lanes: the multiplier, the left shift
** max(shift, 0) and minus the right shift min(shift, 0). */
typedef struct tml_mve_rq {
  int32x4_t mult, left, right;
} tml_mve_rq;

/* Channels c .. c + 3 (per-tensor: step 0, every lane channel 0); lanes
** past n read nothing. */
static inline tml_mve_rq tml_mve_rq_load(const int32_t *mult,
                                         const int8_t *shift, int32_t c,
                                         int32_t n, int per_channel) {
  tml_mve_rq q;
  int32x4_t s;
  if (per_channel) {
    const mve_pred16_t pr = vctp32q((uint32_t)n);
    q.mult = vldrwq_z_s32(mult + c, pr);
    s = vldrbq_z_s32(shift + c, pr);
  } else {
    q.mult = vdupq_n_s32(mult[0]);
    s = vdupq_n_s32(shift[0]);
  }
  q.left = vmaxq_s32(s, vdupq_n_s32(0));
  q.right = vminq_s32(s, vdupq_n_s32(0));
  return q;
}

/* tml_mul_by_qm on each lane, then + out_offset and the clamp.
** tml_shl is VSHL (wrapping). tml_srdhm rounds half up for both signs
** (floor((a * b + 2^30) / 2^31), saturating only INT32_MIN^2), which is
** VQRDMULH. tml_rdbpot(x, e) = floor((x + 2^(e-1) - [x < 0]) / 2^e) for
** e >= 1 (tml_arm_dsp.h): VRSHL by -e rounds floor((y + 2^(e-1)) / 2^e),
** so y = x - [x < 0]; the sign mask comes from x AND -e (whose sign bit is
** set exactly when e >= 1), and the saturating add keeps x = INT32_MIN at
** INT32_MIN, which the floor maps where INT32_MIN - 1 would go (2^e divides
** 2^31). For e = 0 both steps do nothing. */
static inline int32x4_t tml_mve_requant(int32x4_t acc, const tml_mve_rq *q,
                                        int32_t out_offset, int32_t lo,
                                        int32_t hi) {
  int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, q->left), q->mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, q->right), 31));
  x = vaddq_n_s32(vrshlq_s32(x, q->right), out_offset);
  return vminq_s32(vmaxq_s32(x, vdupq_n_s32(lo)), vdupq_n_s32(hi));
}

#endif
