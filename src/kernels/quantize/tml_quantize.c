/*
** QUANTIZE: float -> int8/int16 (TFLite's AffineQuantize) and integer ->
** integer requantization (TFLite's Requantize).
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

/* round(x / scale) + zp clamped to [qmin, qmax], as AffineQuantize: float
** division, rounding half away from zero (roundf, TFLite's TfLiteRound). The
** rounded value is bounded before the int conversion, which TFLite leaves
** undefined for huge values, Inf and NaN; a NaN lands on qmin, as on x86. */
static int32_t affine_quantize(const tml_quantize_params *p, float x) {
  const float bound = 16777216.0f; /* 2^24: far beyond any int16 value */
  float r = roundf(x / p->scale);
  int32_t v;
  if (!(r > -bound)) r = -bound;
  if (r > bound) r = bound;
  v = (int32_t)r + p->zp;
  return TML_CLAMP(v, p->qmin, p->qmax);
}

/* The output range is an int8 or int16 one and holds the zero point. */
static int range_ok(int32_t zp, int32_t qmin, int32_t qmax) {
  return qmin >= INT16_MIN && qmax <= INT16_MAX && zp >= qmin && zp <= qmax;
}

tml_status tml_quantize_f32_init(tml_quantize_params *p, int32_t count,
                                 float out_scale, int32_t out_zp,
                                 int32_t qmin, int32_t qmax) {
  if (!(out_scale > 0.0f) || !range_ok(out_zp, qmin, qmax))
    return TML_ERR_QUANT;
  p->count = count;
  p->scale = out_scale;
  p->zp = out_zp;
  p->qmin = qmin;
  p->qmax = qmax;
  return TML_OK;
}

void tml_quantize_f32_s8(const tml_quantize_params *p, const float *in,
                         int8_t *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) out[i] = (int8_t)affine_quantize(p, in[i]);
}

void tml_quantize_f32_s16(const tml_quantize_params *p, const float *in,
                          int16_t *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) out[i] = (int16_t)affine_quantize(p, in[i]);
}

tml_status tml_requantize_init(tml_quantize_params *p, int32_t count,
                               float in_scale, int32_t in_zp, float out_scale,
                               int32_t out_zp, int32_t qmin, int32_t qmax) {
  if (!(in_scale > 0.0f && out_scale > 0.0f)) return TML_ERR_QUANT;
  /* in_zp is an int8 or int16 zero point: in - in_zp stays small. */
  if (in_zp < INT16_MIN || in_zp > INT16_MAX || !range_ok(out_zp, qmin, qmax))
    return TML_ERR_QUANT;
  tml_quantize_multiplier((double)in_scale / (double)out_scale, &p->mult,
                          &p->shift);
  /* A left shift of 32 or more has no defined meaning. */
  if (p->shift > 31) return TML_ERR_QUANT;
  p->count = count;
  p->in_zp = in_zp;
  p->out_zp = out_zp;
  p->qmin = qmin;
  p->qmax = qmax;
  return TML_OK;
}

/* tml_mul_by_qm(x, 1 << 30, 1) == x exactly, so equal scales only move the
** zero point. The offset is added modulo 2^32 like TFLite's int32 addition. */
#define TML_REQUANTIZE(NAME, TI, TO)                                          \
  void NAME(const tml_quantize_params *p, const TI *in, TO *out) {            \
    int32_t i;                                                                \
    if (p->mult == (1 << 30) && p->shift == 1) {                              \
      const int32_t d = p->out_zp - p->in_zp;                                 \
      for (i = 0; i < p->count; i++)                                          \
        out[i] = (TO)TML_CLAMP(in[i] + d, p->qmin, p->qmax);                  \
      return;                                                                 \
    }                                                                         \
    for (i = 0; i < p->count; i++) {                                          \
      const int32_t v = (int32_t)(                                            \
          (uint32_t)tml_mul_by_qm(in[i] - p->in_zp, p->mult, p->shift) +      \
          (uint32_t)p->out_zp);                                               \
      out[i] = (TO)TML_CLAMP(v, p->qmin, p->qmax);                            \
    }                                                                         \
  }

TML_REQUANTIZE(tml_requantize_s8_s8, int8_t, int8_t)
TML_REQUANTIZE(tml_requantize_s8_s16, int8_t, int16_t)
TML_REQUANTIZE(tml_requantize_s16_s8, int16_t, int8_t)
TML_REQUANTIZE(tml_requantize_s16_s16, int16_t, int16_t)
