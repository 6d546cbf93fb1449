/*
** FULLY_CONNECTED: int8 (per tensor or per channel), 16x8 and float32,
** bit-exact with TFLite's reference FullyConnected / FullyConnectedPerChannel.
** Weights are [out_depth][in_depth]; each output is one dot product.
*/
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "tml_kernels.h"
#include "tml_variants.h"
#include "tml_qmath.h"

void tml_fully_connected_s8_portable(const tml_fc_params *p, const int8_t *in,
                            const int8_t *w, const int32_t *bias, int8_t *out) {
  const int32_t depth = p->in_depth;
  const int32_t in_offset = p->in_offset, w_offset = p->w_offset;
  /* Per-tensor rescaling reads entry 0 for every channel. */
  const int32_t m_step = p->n_mult == 1 ? 0 : 1;
  int32_t b, o, i;
  for (b = 0; b < p->batches; b++, in += depth, out += p->out_depth) {
    const int8_t *row = w;
    for (o = 0; o < p->out_depth; o++, row += depth) {
      /* Summed as uint32: TFLite's wrapping int32 adds, without UB. */
      uint32_t acc = 0;
      int32_t v;
      for (i = 0; i < depth; i++)
        acc += (uint32_t)(((int32_t)row[i] + w_offset) *
                          ((int32_t)in[i] + in_offset));
      if (bias) acc += (uint32_t)bias[o];
      v = tml_mul_by_qm((int32_t)acc, p->mult[o * m_step],
                        p->shift[o * m_step]);
      v = (int32_t)((uint32_t)v + (uint32_t)p->out_offset);
      out[o] = (int8_t)TML_CLAMP(v, p->act_min, p->act_max);
    }
  }
}

/* 16x8 rescales like TFLite, by bias type: an int64 bias takes the int64
** accumulator and multiplier; an int32 bias or none takes TFLite's int32
** accumulator (which wraps: the exact sum is truncated) and the int32
** double-rounding multiplier. */
static void fc_s16(const tml_fc_params *p, const int16_t *in, const int8_t *w,
                   const int64_t *bias64, const int32_t *bias32, int16_t *out) {
  const int32_t depth = p->in_depth;
  const int32_t w_offset = p->w_offset;
  const int32_t m_step = p->n_mult == 1 ? 0 : 1;
  int32_t b, o, i;
  for (b = 0; b < p->batches; b++, in += depth, out += p->out_depth) {
    const int8_t *row = w;
    for (o = 0; o < p->out_depth; o++, row += depth) {
      const int32_t mult = p->mult[o * m_step], shift = p->shift[o * m_step];
      int64_t acc = 0;
      int32_t v;
      for (i = 0; i < depth; i++)
        acc += ((int32_t)row[i] + w_offset) * (int32_t)in[i];
      if (bias64) {
        /* Wrapping add: an extreme int64 bias is not signed-overflow UB. */
        acc = (int64_t)((uint64_t)acc + (uint64_t)bias64[o]);
        v = tml_mul_by_qm64(acc, mult, shift);
      } else {
        uint32_t sum = (uint32_t)(uint64_t)acc;
        if (bias32) sum += (uint32_t)bias32[o];
        v = tml_mul_by_qm((int32_t)sum, mult, shift);
      }
      out[o] = (int16_t)TML_CLAMP(v, p->act_min, p->act_max);
    }
  }
}

void tml_fully_connected_s16(const tml_fc_params *p, const int16_t *in,
                             const int8_t *w, const int64_t *bias,
                             int16_t *out) {
  fc_s16(p, in, w, bias, NULL, out);
}

void tml_fully_connected_s16_b32(const tml_fc_params *p, const int16_t *in,
                                 const int8_t *w, const int32_t *bias,
                                 int16_t *out) {
  fc_s16(p, in, w, NULL, bias, out);
}

void tml_fully_connected_f32_portable(const tml_fc_params *p, const float *in,
                                      const float *w, const float *bias,
                                      float *out) {
  const int32_t depth = p->in_depth;
  const float lo = p->fact_min, hi = p->fact_max;
  int32_t b, o, i;
  for (b = 0; b < p->batches; b++, in += depth, out += p->out_depth) {
    const float *row = w;
    for (o = 0; o < p->out_depth; o++, row += depth) {
      float total = 0.0f;
      for (i = 0; i < depth; i++) total += in[i] * row[i];
      /* TFLite adds a 0.0f bias when there is none (-0 becomes +0), then
      ** takes max before min (a NaN stays NaN). */
      total += bias ? bias[o] : 0.0f;
      total = total < lo ? lo : total;
      out[o] = hi < total ? hi : total;
    }
  }
}

static int scale_ok(float s) { return s > 0.0f && s <= FLT_MAX; }

static tml_status check_shape(const tml_fc_params *p) {
  return p->batches > 0 && p->in_depth > 0 && p->out_depth > 0 ? TML_OK
                                                               : TML_ERR_SHAPE;
}

tml_status tml_fully_connected_q_init(tml_fc_params *p, int32_t *mult,
                                      int8_t *shift, float in_scale,
                                      int32_t in_zp, const float *w_scales,
                                      int32_t n_w_scales, int32_t w_zp,
                                      const float *bias_scale, float out_scale,
                                      int32_t out_zp, int32_t qmin,
                                      int32_t qmax, tml_activation act) {
  /* Shift limits of TFLite's int64 (16x8) and int32 multiplier helpers. */
  const int32_t max_shift = qmax > 127 ? 7 : 30;
  int32_t c, m, s;
  tml_status st = check_shape(p);
  if (st != TML_OK) return st;
  if (w_scales == NULL || (n_w_scales != 1 && n_w_scales != p->out_depth))
    return TML_ERR_QUANT;
  if (!scale_ok(in_scale) || !scale_ok(out_scale) || in_zp < qmin ||
      in_zp > qmax || out_zp < qmin || out_zp > qmax || w_zp < -128 ||
      w_zp > 127)
    return TML_ERR_QUANT;
  for (c = 0; c < n_w_scales; c++)
    if (!(w_scales[c] >= 0.0f && w_scales[c] <= FLT_MAX)) return TML_ERR_QUANT;
  if (n_w_scales > 1) {
    /* TFLite ignores the weight zero point when rescaling per channel. */
    for (c = 0; c < n_w_scales; c++) {
      const double real =
          (double)in_scale * (double)w_scales[c] / (double)out_scale;
      tml_quantize_multiplier(real, &m, &s);
      if (s > max_shift) return TML_ERR_QUANT;
      if (mult) {
        mult[c] = m;
        shift[c] = (int8_t)s;
      }
    }
    p->w_offset = 0;
  } else {
    /* GetQuantizedConvolutionMultipler: the scale product is rounded to
    ** float before the division in double (the assignment forces that even
    ** where float expressions are evaluated wider). */
    const float product = in_scale * w_scales[0];
    if (bias_scale) {
      const double exact = (double)in_scale * (double)w_scales[0];
      if (!(fabs(exact - (double)*bias_scale) / (double)out_scale <= 0.02))
        return TML_ERR_QUANT;
    }
    tml_quantize_multiplier((double)product / (double)out_scale, &m, &s);
    if (s > max_shift) return TML_ERR_QUANT;
    if (mult) {
      mult[0] = m;
      shift[0] = (int8_t)s;
    }
    p->w_offset = -w_zp;
  }
  st = tml_activation_range_q(act, out_scale, out_zp, qmin, qmax, &p->act_min,
                              &p->act_max);
  if (st != TML_OK) return st;
  p->in_offset = -in_zp;
  p->out_offset = out_zp;
  p->n_mult = n_w_scales;
  p->mult = mult;
  p->shift = shift;
  return TML_OK;
}

tml_status tml_fully_connected_f32_init(tml_fc_params *p, tml_activation act) {
  const tml_status st = check_shape(p);
  if (st != TML_OK) return st;
  return tml_activation_range_f32(act, &p->fact_min, &p->fact_max);
}

void tml_fully_connected_s8(const tml_fc_params *p, const int8_t *in,
                            const int8_t *w, const int32_t *bias, int8_t *out) {
#if defined(TML_KERNELS_ARM_MVE)
  tml_fully_connected_s8_arm_mve(p, in, w, bias, out);
#elif defined(TML_KERNELS_ARM_DSP)
  tml_fully_connected_s8_arm_dsp(p, in, w, bias, out);
#else
#if TML_KERNELS_X86
  if (TML_CPU_AVX2()) {
    tml_fully_connected_s8_avx2(p, in, w, bias, out);
    return;
  }
  if (TML_CPU_SSE41()) {
    tml_fully_connected_s8_sse41(p, in, w, bias, out);
    return;
  }
#endif
  tml_fully_connected_s8_portable(p, in, w, bias, out);
#endif
}

void tml_fully_connected_f32(const tml_fc_params *p, const float *in,
                             const float *w, const float *bias, float *out) {
#if TML_KERNELS_X86
  if (TML_CPU_AVX2()) {
    tml_fully_connected_f32_avx2(p, in, w, bias, out);
    return;
  }
#endif
  tml_fully_connected_f32_portable(p, in, w, bias, out);
}
