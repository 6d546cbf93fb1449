/*
** Parameters and table shared by LOGISTIC and TANH (TFLite Micro's
** logistic_common.cc and tanh.cc compute them the same way).
*/
#include <float.h>
#include <math.h>

#include "tml_sigmoid_common.h"

static int valid_scale(float s) { return s > 0.0f && s <= FLT_MAX; }

tml_status tml_sigmoid_s8_prepare(tml_sigmoid_params *p, int32_t count,
                                  float in_scale, int32_t in_zp) {
  int shift = 0;
  double q;
  if (p == NULL) return TML_ERR_ARG;
  if (count < 0) return TML_ERR_SHAPE;
  if (!valid_scale(in_scale)) return TML_ERR_QUANT;
  /* TFLite takes frexp of scale * 2^27 directly (not QuantizeMultiplier): a
  ** float scale has 24 significant bits, so q * 2^31 is an exact integer
  ** below 2^31 and needs no rounding fix-up. */
  q = frexp((double)in_scale * (double)(1 << 27), &shift);
  /* A negative shift would give a radius beyond int32 (TFLite's cast of it is
  ** undefined); it needs an input scale below 2^-28. */
  if (shift < 0) return TML_ERR_QUANT;
  p->in_mult = (int32_t)round(q * 2147483648.0);
  p->in_left_shift = shift;
  /* TFLite's CalculateInputRadius(4, shift, 31): inputs at or beyond this
  ** distance from the zero point would overflow Q4.27 and saturate. ldexp
  ** keeps shifts of 32 and more (radius 0) defined. */
  p->in_range_radius = (int32_t)floor(ldexp(15.0 * 134217728.0, -shift));
  p->in_zp = in_zp;
  p->count = count;
  return TML_OK;
}

/* TFLite's CheckedLog2: log2(x) rounded, and whether x is a power of two to
** within float precision. Float throughout, as TFLite computes it. */
static int checked_log2(float x, int32_t *log2_rounded) {
  const float l = logf(x) * (1.0f / logf(2.0f));
  const float r = roundf(l);
  *log2_rounded = (int32_t)r;
  return fabsf(l - r) < 1e-3f;
}

tml_status tml_sigmoid_s16_prepare(tml_sigmoid_params *p, int32_t count,
                                   float in_scale, int32_t in_zp,
                                   float out_scale, int32_t out_zp,
                                   int32_t max_pot_shift) {
  int32_t in_log2, out_log2, shift;
  int pot;
  if (p == NULL) return TML_ERR_ARG;
  if (count < 0) return TML_ERR_SHAPE;
  if (!valid_scale(in_scale) || !valid_scale(out_scale)) return TML_ERR_QUANT;
  if (in_zp != 0 || out_zp != 0) return TML_ERR_QUANT;
  if (!checked_log2(out_scale, &out_log2) || out_log2 != -15)
    return TML_ERR_QUANT;
  pot = checked_log2(in_scale, &in_log2);
  shift = 12 + in_log2;
  if (pot && shift >= 0 && shift <= max_pot_shift) {
    /* TFLite stores multiplier 0 here and its kernel substitutes 3 << shift
    ** with no shift; doing the substitution now is the same arithmetic. */
    p->in_mult = 3 << shift;
    p->in_left_shift = 0;
  } else {
    double m = (double)in_scale * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      shift++;
      m *= 2.0;
    }
    /* TFLite only debug-checks this; a larger multiplier overflows its
    ** int32 product. A zero one would be mistaken for the power-of-two
    ** case. */
    if (!(m <= 32767.0) || m < 1.0) return TML_ERR_QUANT;
    p->in_mult = (int32_t)m;
    p->in_left_shift = shift;
  }
  p->in_zp = 0;
  p->in_range_radius = 0;
  p->count = count;
  return TML_OK;
}
