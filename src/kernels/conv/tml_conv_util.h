/*
** tml_conv_util.h — helpers shared by the CONV_2D and DEPTHWISE_CONV_2D
** kernels of this folder (not part of the public contract).
*/
#ifndef TML_CONV_UTIL_H
#define TML_CONV_UTIL_H

#include <stdint.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

/* Taps k in [*lo, *hi) of one filter axis land inside the image
** (0 <= origin + k * dil < size). Working out the range once per output
** position replaces TFLite's per-tap bounds test; the taps left out are the
** padding, which contributes nothing. Init keeps every term far from
** INT32_MAX. */
static inline void tml_conv_taps(int32_t origin, int32_t dil, int32_t size,
                                 int32_t taps, int32_t *lo, int32_t *hi) {
  int32_t a = origin < 0 ? (dil - 1 - origin) / dil : 0;
  int32_t b = size > origin ? (size - origin + dil - 1) / dil : 0;
  if (b > taps) b = taps;
  if (a > b) a = b;
  *lo = a;
  *hi = b;
}

/* int32 accumulators are summed as uint32: the same bits TFLite's wrapping
** int32 adds give, without signed-overflow UB for extreme biases. */
static inline int8_t tml_conv_out_s8(uint32_t acc, int32_t mult, int32_t shift,
                                     int32_t out_offset, int32_t act_min,
                                     int32_t act_max) {
  const int32_t scaled = tml_mul_by_qm((int32_t)acc, mult, shift);
  const int32_t v = (int32_t)((uint32_t)scaled + (uint32_t)out_offset);
  return (int8_t)TML_CLAMP(v, act_min, act_max);
}

/* 16x8 with an int64 bias: TFLite's int64 accumulator and multiplier. The
** bias add wraps so an extreme bias is not signed-overflow UB. */
static inline int16_t tml_conv_out_s16_64(int64_t acc, int64_t bias,
                                          int32_t mult, int32_t shift,
                                          int32_t act_min, int32_t act_max) {
  const int64_t sum = (int64_t)((uint64_t)acc + (uint64_t)bias);
  const int32_t v = tml_mul_by_qm64(sum, mult, shift);
  return (int16_t)TML_CLAMP(v, act_min, act_max);
}

/* 16x8 with an int32 bias or none: TFLite accumulates in int32, so the
** exact sum is truncated to 32 bits (what its wrapping adds leave) and
** rescaled with the int32 double-rounding multiplier. */
static inline int16_t tml_conv_out_s16_32(int64_t acc, int32_t bias,
                                          int32_t mult, int32_t shift,
                                          int32_t act_min, int32_t act_max) {
  const uint32_t sum = (uint32_t)(uint64_t)acc + (uint32_t)bias;
  const int32_t v = tml_mul_by_qm((int32_t)sum, mult, shift);
  return (int16_t)TML_CLAMP(v, act_min, act_max);
}

/* TFLite's ActivationFunctionWithMinMax: max first, then min (a NaN sum
** stays NaN). */
static inline float tml_conv_out_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

/* Geometry checks and quantized parameters shared by both inits. */
tml_status tml_conv_check_geometry(const tml_conv_params *p);
tml_status tml_conv_quant_init(tml_conv_params *p, int32_t *mult,
                               int8_t *shift, float in_scale, int32_t in_zp,
                               const float *filter_scales,
                               int32_t n_filter_scales, float out_scale,
                               int32_t out_zp, int32_t qmin, int32_t qmax,
                               tml_activation act);

#endif
