/*
** LEAKY_RELU (TFLM): non-negative offset inputs are rescaled by
** in_scale / out_scale, negative ones by in_scale * alpha / out_scale, then
** clamped to the output type.
*/
#include "tml_kernels.h"
#include "tml_qmath.h"

tml_status tml_leaky_relu_q_init(tml_leaky_relu_params *p, int32_t count,
                                 float alpha, float in_scale, int32_t in_zp,
                                 float out_scale, int32_t out_zp) {
  /* TFLM computes both ratios in float and only then widens to double. */
  const float alpha_ratio = in_scale * alpha / out_scale;
  const float identity_ratio = in_scale / out_scale;
  if (!(in_scale > 0.0f && out_scale > 0.0f)) return TML_ERR_QUANT;
  /* Zero points of an int8 or int16 tensor; keeps in - in_zp in int32. */
  if (in_zp < INT16_MIN || in_zp > INT16_MAX || out_zp < INT16_MIN ||
      out_zp > INT16_MAX)
    return TML_ERR_QUANT;
  /* A negative alpha gives a negative multiplier, which TFLite's rounding
  ** handles the same way. */
  tml_quantize_multiplier((double)alpha_ratio, &p->mult_alpha,
                          &p->shift_alpha);
  tml_quantize_multiplier((double)identity_ratio, &p->mult_identity,
                          &p->shift_identity);
  /* A left shift of 32 or more has no defined meaning. */
  if (p->shift_alpha > 31 || p->shift_identity > 31) return TML_ERR_QUANT;
  p->count = count;
  p->in_zp = in_zp;
  p->out_zp = out_zp;
  p->alpha = alpha;
  return TML_OK;
}

/* The offset is added modulo 2^32 like TFLite's int32 addition. */
#define TML_LEAKY_RELU_INT(NAME, T, QMIN, QMAX)                               \
  void NAME(const tml_leaky_relu_params *p, const T *in, T *out) {            \
    int32_t i;                                                                \
    for (i = 0; i < p->count; i++) {                                          \
      const int32_t x = in[i] - p->in_zp;                                     \
      const int32_t y =                                                       \
          x >= 0 ? tml_mul_by_qm(x, p->mult_identity, p->shift_identity)      \
                 : tml_mul_by_qm(x, p->mult_alpha, p->shift_alpha);           \
      const int32_t v = (int32_t)((uint32_t)y + (uint32_t)p->out_zp);         \
      out[i] = (T)TML_CLAMP(v, QMIN, QMAX);                                   \
    }                                                                         \
  }

TML_LEAKY_RELU_INT(tml_leaky_relu_s8, int8_t, INT8_MIN, INT8_MAX)
TML_LEAKY_RELU_INT(tml_leaky_relu_s16, int16_t, INT16_MIN, INT16_MAX)

void tml_leaky_relu_f32(const tml_leaky_relu_params *p, const float *in,
                        float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) {
    const float v = in[i];
    /* alpha may be above 1 or negative, so this is not a max(). */
    out[i] = v > 0.0f ? v : v * p->alpha;
  }
}
