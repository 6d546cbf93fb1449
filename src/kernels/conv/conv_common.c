/*
** Prepare-time checks and quantized parameters shared by CONV_2D and
** DEPTHWISE_CONV_2D (TFLite's PopulateConvolutionQuantizationParams).
*/
#include <float.h>

#include "tml_conv_util.h"

/* Bound on every index sum the kernels form along an axis, so their int32
** arithmetic on positions cannot overflow. */
#define TML_CONV_SPAN_MAX ((int64_t)1 << 30)

static int shape_ok(const tml_shape4 *s) {
  return s->n > 0 && s->h > 0 && s->w > 0 && s->c > 0;
}

static int span_ok(int32_t in, int32_t out, int32_t taps, int32_t stride,
                   int32_t dil, int32_t pad) {
  const int64_t span =
      (int64_t)(out - 1) * stride + (int64_t)(taps - 1) * dil + pad + in;
  return span < TML_CONV_SPAN_MAX;
}

tml_status tml_conv_check_geometry(const tml_conv_params *p) {
  if (!shape_ok(&p->in) || !shape_ok(&p->filter) || !shape_ok(&p->out) ||
      p->in.n != p->out.n)
    return TML_ERR_SHAPE;
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 ||
      p->dilation_w < 1 || p->pad_h < 0 || p->pad_w < 0)
    return TML_ERR_OPTIONS;
  if (!span_ok(p->in.h, p->out.h, p->filter.h, p->stride_h, p->dilation_h,
               p->pad_h) ||
      !span_ok(p->in.w, p->out.w, p->filter.w, p->stride_w, p->dilation_w,
               p->pad_w))
    return TML_ERR_OPTIONS;
  return TML_OK;
}

static int scale_ok(float s) { return s > 0.0f && s <= FLT_MAX; }

tml_status tml_conv_quant_init(tml_conv_params *p, int32_t *mult,
                               int8_t *shift, float in_scale, int32_t in_zp,
                               const float *filter_scales,
                               int32_t n_filter_scales, float out_scale,
                               int32_t out_zp, int32_t qmin, int32_t qmax,
                               tml_activation act) {
  const int32_t channels = p->out.c;
  /* TFLite's int64 MultiplyByQuantizedMultiplier (16x8) assumes a shift
  ** below 8; the int32 one needs one below 31 to keep the left shift
  ** defined. */
  const int32_t max_shift = qmax > 127 ? 7 : 30;
  int32_t c, m, s;
  tml_status st;
  if (filter_scales == NULL ||
      (n_filter_scales != 1 && n_filter_scales != channels))
    return TML_ERR_QUANT;
  if (!scale_ok(in_scale) || !scale_ok(out_scale) || in_zp < qmin ||
      in_zp > qmax || out_zp < qmin || out_zp > qmax)
    return TML_ERR_QUANT;
  for (c = 0; c < channels; c++) {
    const float fs = filter_scales[n_filter_scales == 1 ? 0 : c];
    double real;
    /* A zero filter scale (an all-zero channel) gives multiplier 0. */
    if (!(fs >= 0.0f && fs <= FLT_MAX)) return TML_ERR_QUANT;
    real = (double)in_scale * (double)fs / (double)out_scale;
    tml_quantize_multiplier(real, &m, &s);
    if (s > max_shift) return TML_ERR_QUANT;
    if (mult) {
      mult[c] = m;
      shift[c] = (int8_t)s;
    }
  }
  st = tml_activation_range_q(act, out_scale, out_zp, qmin, qmax, &p->act_min,
                              &p->act_max);
  if (st != TML_OK) return st;
  p->in_offset = -in_zp;
  p->out_offset = out_zp;
  p->mult = mult;
  p->shift = shift;
  return TML_OK;
}
