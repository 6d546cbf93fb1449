/*
** RELU, RELU6 and RELU_N1_TO_1.
** RELU (TFLM) and RELU_N1_TO_1 (TFLM has none; TFLite's kernel) rescale each
** value to the output scale, then clamp to the bounds quantized with the
** output scale. TFLM's RELU6 does not rescale: it clamps the raw input to
** [input zero point, 6 quantized with the input scale] and stores that, so
** init expresses it as an identity rescale with the input's zero point.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

/* tml_mul_by_qm(x, 1 << 30, 1) == x for every int32 x. */
#define IDENTITY_MULT (1 << 30)
#define IDENTITY_SHIFT 1

tml_status tml_relu_q_init(tml_relu_params *p, int32_t count,
                           tml_activation act, float in_scale, int32_t in_zp,
                           float out_scale, int32_t out_zp, int32_t qmin,
                           int32_t qmax) {
  if (!(in_scale > 0.0f) || in_zp < qmin || in_zp > qmax) return TML_ERR_QUANT;
  p->count = count;
  p->in_zp = in_zp;
  if (act == TML_ACT_RELU6) {
    /* TFLM never looks at the output's quantization here. */
    p->out_zp = in_zp;
    p->mult = IDENTITY_MULT;
    p->shift = IDENTITY_SHIFT;
    return tml_activation_range_q(act, in_scale, in_zp, qmin, qmax,
                                  &p->act_min, &p->act_max);
  }
  if (act != TML_ACT_RELU && act != TML_ACT_RELU_N1_TO_1)
    return TML_ERR_OPTIONS;
  if (!(out_scale > 0.0f) || out_zp < qmin || out_zp > qmax)
    return TML_ERR_QUANT;
  /* TFLM's RELU prepare rejects int16 with non-zero zero points. */
  if (qmin < INT8_MIN && (in_zp != 0 || out_zp != 0)) return TML_ERR_QUANT;
  tml_quantize_multiplier((double)in_scale / (double)out_scale, &p->mult,
                          &p->shift);
  /* A left shift of 32 or more has no defined meaning. */
  if (p->shift > 31) return TML_ERR_QUANT;
  p->out_zp = out_zp;
  return tml_activation_range_q(act, out_scale, out_zp, qmin, qmax,
                                &p->act_min, &p->act_max);
}

tml_status tml_relu_f32_init(tml_relu_params *p, int32_t count,
                             tml_activation act) {
  p->count = count;
  switch (act) {
    case TML_ACT_RELU:
      p->fmin = 0.0f;
      p->fmax = HUGE_VALF;
      return TML_OK;
    case TML_ACT_RELU6:
      p->fmin = 0.0f;
      p->fmax = 6.0f;
      return TML_OK;
    case TML_ACT_RELU_N1_TO_1:
      p->fmin = -1.0f;
      p->fmax = 1.0f;
      return TML_OK;
    default:
      return TML_ERR_OPTIONS;
  }
}

/* Equal scales and zero points leave only the clamp (always so for RELU6). */
static int is_identity(const tml_relu_params *p) {
  return p->mult == IDENTITY_MULT && p->shift == IDENTITY_SHIFT &&
         p->in_zp == p->out_zp;
}

/* The offset is added modulo 2^32 like TFLite's int32 addition. */
#define TML_RELU_INT(NAME, T)                                                 \
  void NAME(const tml_relu_params *p, const T *in, T *out) {                  \
    int32_t i;                                                                \
    if (is_identity(p)) {                                                     \
      for (i = 0; i < p->count; i++)                                          \
        out[i] = (T)TML_CLAMP((int32_t)in[i], p->act_min, p->act_max);        \
      return;                                                                 \
    }                                                                         \
    for (i = 0; i < p->count; i++) {                                          \
      const int32_t v = (int32_t)(                                            \
          (uint32_t)tml_mul_by_qm(in[i] - p->in_zp, p->mult, p->shift) +      \
          (uint32_t)p->out_zp);                                               \
      out[i] = (T)TML_CLAMP(v, p->act_min, p->act_max);                       \
    }                                                                         \
  }

TML_RELU_INT(tml_relu_s8, int8_t)
TML_RELU_INT(tml_relu_s16, int16_t)

/* TFLite's float RELUs: val > hi ? hi : val < lo ? lo : val (RELU has no
** upper bound; a NaN passes through). */
void tml_relu_f32(const tml_relu_params *p, const float *in, float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) {
    const float v = in[i];
    out[i] = v > p->fmax ? p->fmax : v < p->fmin ? p->fmin : v;
  }
}
