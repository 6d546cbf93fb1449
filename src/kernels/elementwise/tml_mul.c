/*
** MUL (TFLite's reference integer mul): the product of the offset inputs is
** rescaled by in1_scale * in2_scale / out_scale.
*/
#include "tml_broadcast.h"
#include "tml_kernels.h"
#include "tml_qmath.h"

static int zp_ok(int32_t zp, int32_t qmin, int32_t qmax) {
  return zp >= qmin && zp <= qmax;
}

tml_status tml_mul_q_init(tml_mul_params *p, float in1_scale, int32_t in1_zp,
                          float in2_scale, int32_t in2_zp, float out_scale,
                          int32_t out_zp, int32_t qmin, int32_t qmax,
                          tml_activation act) {
  const double real =
      (double)in1_scale * (double)in2_scale / (double)out_scale;
  if (!(in1_scale > 0.0f && in2_scale > 0.0f && out_scale > 0.0f))
    return TML_ERR_QUANT;
  if (qmin < INT8_MIN) {
    /* TFLM runs int16 MUL only with zero points 0. */
    if (in1_zp != 0 || in2_zp != 0 || out_zp != 0) return TML_ERR_QUANT;
  } else if (!zp_ok(in1_zp, qmin, qmax) || !zp_ok(in2_zp, qmin, qmax) ||
             !zp_ok(out_zp, qmin, qmax)) {
    /* In range, the product of two offset int8 inputs stays below 2^16. */
    return TML_ERR_QUANT;
  }
  tml_quantize_multiplier(real, &p->out_mult, &p->out_shift);
  /* A left shift of 32 or more has no defined meaning. */
  if (p->out_shift > 31) return TML_ERR_QUANT;
  p->in1_offset = -in1_zp;
  p->in2_offset = -in2_zp;
  p->out_offset = out_zp;
  return tml_activation_range_q(act, out_scale, out_zp, qmin, qmax,
                                &p->act_min, &p->act_max);
}

/* The offset is added modulo 2^32 like TFLite's int32 addition; only absurd
** multipliers can reach the wrap. */
static int32_t mul_output(const tml_mul_params *p, int32_t prod) {
  const int32_t v =
      (int32_t)((uint32_t)tml_mul_by_qm(prod, p->out_mult, p->out_shift) +
                (uint32_t)p->out_offset);
  return TML_CLAMP(v, p->act_min, p->act_max);
}

void tml_mul_s8(const tml_mul_params *p, const int8_t *in1, const int8_t *in2,
                int8_t *out) {
  TML_BROADCAST_LOOP(&p->b, out[o] = (int8_t)mul_output(
                                p, (in1[i1] + p->in1_offset) *
                                       (in2[i2] + p->in2_offset)));
}

/* Zero points are 0 here, so the product is at most 2^30. */
void tml_mul_s16(const tml_mul_params *p, const int16_t *in1,
                 const int16_t *in2, int16_t *out) {
  TML_BROADCAST_LOOP(&p->b, out[o] = (int16_t)mul_output(
                                p, (int32_t)in1[i1] * (int32_t)in2[i2]));
}

/* std::max then std::min comparisons, as TFLite's ActivationFunctionWithMinMax
** (a NaN passes through). */
static float clamp_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

void tml_mul_f32(const tml_mul_params *p, const float *in1, const float *in2,
                 float *out) {
  TML_BROADCAST_LOOP(&p->b, out[o] = clamp_f32(in1[i1] * in2[i2], p->fact_min,
                                               p->fact_max));
}
