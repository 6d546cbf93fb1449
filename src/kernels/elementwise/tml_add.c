/*
** ADD and SUB. Quantized: both inputs are moved to a shared fixed point
** (2^left_shift, then each input's rescale to twice the larger input scale),
** summed or subtracted, and rescaled to the output (TFLite's general
** quantized path; TFLM uses it for int16 too, never the power-of-two one).
*/
#include "tml_broadcast.h"
#include "tml_kernels.h"
#include "tml_qmath.h"
#include "tml_variants.h"

/* QuantizeMultiplierSmallerThanOneExp: TFLite aborts unless the real value
** is in (0, 1) and quantizes to a non-positive shift. */
static tml_status quantize_below_one(double real, int32_t *mult,
                                     int32_t *shift) {
  if (!(real > 0.0 && real < 1.0)) return TML_ERR_QUANT;
  tml_quantize_multiplier(real, mult, shift);
  return *shift <= 0 ? TML_OK : TML_ERR_QUANT;
}

static tml_status add_init(tml_add_params *p, int is_sub, int32_t left_shift,
                           int32_t qmin, int32_t qmax, float in1_scale,
                           int32_t in1_zp, float in2_scale, int32_t in2_zp,
                           float out_scale, int32_t out_zp,
                           tml_activation act) {
  double real1, real2, real_out;
  tml_status s;
  if (!(in1_scale > 0.0f && in2_scale > 0.0f && out_scale > 0.0f))
    return TML_ERR_QUANT;
  /* Zero points in the type's range keep (x - zp) << left_shift in int32. */
  if (in1_zp < qmin || in1_zp > qmax || in2_zp < qmin || in2_zp > qmax ||
      out_zp < qmin || out_zp > qmax)
    return TML_ERR_QUANT;
  if (is_sub) {
    /* TFLM's SUB prepare computes the ratios in float, then widens them. */
    const float twice_max = 2.0f * TML_MAX(in1_scale, in2_scale);
    const float r1 = in1_scale / twice_max;
    const float r2 = in2_scale / twice_max;
    const float ro = twice_max / ((float)(1L << left_shift) * out_scale);
    real1 = (double)r1;
    real2 = (double)r2;
    real_out = (double)ro;
  } else {
    /* ADD computes them in double. */
    const double twice_max = 2.0 * (double)TML_MAX(in1_scale, in2_scale);
    real1 = (double)in1_scale / twice_max;
    real2 = (double)in2_scale / twice_max;
    real_out = twice_max / ((double)(1L << left_shift) * (double)out_scale);
  }
  if ((s = quantize_below_one(real1, &p->in1_mult, &p->in1_shift)) != TML_OK ||
      (s = quantize_below_one(real2, &p->in2_mult, &p->in2_shift)) != TML_OK ||
      (s = quantize_below_one(real_out, &p->out_mult, &p->out_shift)) !=
          TML_OK)
    return s;
  p->left_shift = left_shift;
  p->in1_offset = -in1_zp;
  p->in2_offset = -in2_zp;
  p->out_offset = out_zp;
  return tml_activation_range_q(act, out_scale, out_zp, qmin, qmax,
                                &p->act_min, &p->act_max);
}

tml_status tml_add_s8_init(tml_add_params *p, int is_sub, float in1_scale,
                           int32_t in1_zp, float in2_scale, int32_t in2_zp,
                           float out_scale, int32_t out_zp, tml_activation act) {
  return add_init(p, is_sub, 20, INT8_MIN, INT8_MAX, in1_scale, in1_zp,
                  in2_scale, in2_zp, out_scale, out_zp, act);
}

tml_status tml_add_s16_init(tml_add_params *p, int is_sub, float in1_scale,
                            int32_t in1_zp, float in2_scale, int32_t in2_zp,
                            float out_scale, int32_t out_zp,
                            tml_activation act) {
  return add_init(p, is_sub, 15, INT16_MIN, INT16_MAX, in1_scale, in1_zp,
                  in2_scale, in2_zp, out_scale, out_zp, act);
}

/* Input k's value in the shared fixed point. */
static int32_t scaled_input(int32_t x, int32_t offset, int32_t left_shift,
                            int32_t mult, int32_t shift) {
  return tml_mul_by_qm_small(tml_shl(x + offset, left_shift), mult, shift);
}

/* raw is a sum or difference of two shared fixed-point values. The offset is
** added modulo 2^32 like TFLite's int32 addition, which only matters for
** output multipliers so close to 1 that no converter makes them. */
static int32_t add_output(const tml_add_params *p, int32_t raw) {
  const int32_t v = (int32_t)((uint32_t)tml_mul_by_qm_small(
                                  raw, p->out_mult, p->out_shift) +
                              (uint32_t)p->out_offset);
  return TML_CLAMP(v, p->act_min, p->act_max);
}

#define TML_ADD_SUB_INT(NAME, T, OP)                                          \
  void NAME(const tml_add_params *p, const T *in1, const T *in2, T *out) {    \
    TML_BROADCAST_LOOP(                                                       \
        &p->b,                                                                \
        out[o] = (T)add_output(                                               \
            p, scaled_input(in1[i1], p->in1_offset, p->left_shift,            \
                            p->in1_mult, p->in1_shift)                        \
                   OP scaled_input(in2[i2], p->in2_offset, p->left_shift,     \
                                   p->in2_mult, p->in2_shift)));              \
  }

TML_ADD_SUB_INT(tml_add_s8_portable, int8_t, +)
TML_ADD_SUB_INT(tml_add_s16, int16_t, +)
TML_ADD_SUB_INT(tml_sub_s8, int8_t, -)
TML_ADD_SUB_INT(tml_sub_s16, int16_t, -)

void tml_add_s8(const tml_add_params *p, const int8_t *in1, const int8_t *in2,
                int8_t *out) {
#if defined(TML_KERNELS_ARM_DSP)
  tml_add_s8_arm_dsp(p, in1, in2, out);
#else
  tml_add_s8_portable(p, in1, in2, out);
#endif
}

/* std::max then std::min comparisons, as TFLite's ActivationFunctionWithMinMax
** (a NaN passes through). */
static float clamp_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

void tml_add_f32(const tml_add_params *p, const float *in1, const float *in2,
                 float *out) {
  TML_BROADCAST_LOOP(&p->b, out[o] = clamp_f32(in1[i1] + in2[i2], p->fact_min,
                                               p->fact_max));
}

void tml_sub_f32(const tml_add_params *p, const float *in1, const float *in2,
                 float *out) {
  TML_BROADCAST_LOOP(&p->b, out[o] = clamp_f32(in1[i1] - in2[i2], p->fact_min,
                                               p->fact_max));
}
