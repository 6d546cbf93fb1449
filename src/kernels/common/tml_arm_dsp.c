/*
** Out-of-line pieces shared by the Cortex-M DSP kernels (tml_arm_dsp.h).
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include "tml_arm_dsp.h"
#include "tml_qmath.h"

/* Rare outputs (multipliers or sums the fast paths do not take) share one
** copy of the portable requantization. */
__attribute__((cold, noinline)) int8_t tml_dsp_out(int32_t acc, int32_t mult,
                                                   int32_t shift,
                                                   int32_t out_offset,
                                                   int32_t lo, int32_t hi) {
  int32_t v = tml_mul_by_qm(acc, mult, shift);
  v = (int32_t)((uint32_t)v + (uint32_t)out_offset);
  return (int8_t)TML_CLAMP(v, lo, hi);
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_arm_dsp_unused;
#endif
