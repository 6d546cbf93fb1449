/*
** Prepare-time quantization helpers: float scales -> integer parameters.
** They run once per model (never inside a kernel), so double is fine here.
*/
#include <float.h>
#include <math.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

void tml_quantize_multiplier(double real, int32_t *mult, int32_t *shift) {
  int e = 0;
  double q;
  int64_t fixed;
  if (real == 0.0 || !(real > -1e300 && real < 1e300)) { /* 0, NaN, Inf */
    *mult = 0;
    *shift = 0;
    return;
  }
  q = frexp(real, &e);
  fixed = (int64_t)round(q * (double)(1LL << 31));
  if (fixed == (1LL << 31)) {
    fixed /= 2;
    ++e;
  }
  if (e < -31) {
    e = 0;
    fixed = 0;
  }
  *mult = (int32_t)fixed;
  *shift = e;
}

static int32_t quantize_bound(float f, float scale, int32_t zp) {
  float q = f / scale;
  /* Out-of-range bounds only ever clamp to qmin/qmax; keep the cast defined. */
  if (!(q > -1e9f)) return INT32_MIN / 2;
  if (!(q < 1e9f)) return INT32_MAX / 2;
  return zp + (int32_t)roundf(q);
}

tml_status tml_activation_range_q(tml_activation act, float out_scale,
                                  int32_t out_zp, int32_t qmin, int32_t qmax,
                                  int32_t *act_min, int32_t *act_max) {
  int32_t lo = qmin, hi = qmax;
  switch (act) {
    case TML_ACT_NONE:
      break;
    case TML_ACT_RELU:
      lo = TML_MAX(qmin, quantize_bound(0.0f, out_scale, out_zp));
      break;
    case TML_ACT_RELU6:
      lo = TML_MAX(qmin, quantize_bound(0.0f, out_scale, out_zp));
      hi = TML_MIN(qmax, quantize_bound(6.0f, out_scale, out_zp));
      break;
    case TML_ACT_RELU_N1_TO_1:
      lo = TML_MAX(qmin, quantize_bound(-1.0f, out_scale, out_zp));
      hi = TML_MIN(qmax, quantize_bound(1.0f, out_scale, out_zp));
      break;
    default:
      return TML_ERR_OPTIONS;
  }
  *act_min = lo;
  *act_max = hi;
  return TML_OK;
}

tml_status tml_activation_range_f32(tml_activation act, float *act_min,
                                    float *act_max) {
  switch (act) {
    case TML_ACT_NONE:
      *act_min = -FLT_MAX;
      *act_max = FLT_MAX;
      return TML_OK;
    case TML_ACT_RELU:
      *act_min = 0.0f;
      *act_max = FLT_MAX;
      return TML_OK;
    case TML_ACT_RELU6:
      *act_min = 0.0f;
      *act_max = 6.0f;
      return TML_OK;
    case TML_ACT_RELU_N1_TO_1:
      *act_min = -1.0f;
      *act_max = 1.0f;
      return TML_OK;
    default:
      return TML_ERR_OPTIONS;
  }
}
