/*
** DEPTHWISE_CONV_2D: int8 per channel and float32, bit-exact with TFLite's
** reference DepthwiseConvPerChannel / DepthwiseConv, any depth multiplier.
**
** Output channel oc = ic * depth_multiplier + m reads input channel ic and
** filter column oc of the 1HW(C*M) filter. The kernels walk one output
** position at a time over a tile of output channels kept in local
** accumulators: each in-image tap then adds a contiguous filter row slice to
** them, which vectorises, instead of striding through the filter once per
** channel. Every accumulator still sums its taps in TFLite's order (filter y,
** then x), so float results match.
*/
#include <stddef.h>

#include "tml_conv_dsp.h"
#include "tml_conv_util.h"
#include "tml_variants.h"

/* Output channels per tile: 256 bytes of stack for the accumulators. */
#define TML_DW_TILE 64

typedef struct dw_window {
  int32_t fy0, fy1, fx0, fx1; /* taps inside the image */
  ptrdiff_t in_first;         /* input offset of tap (fy0, fx0), channel 0 */
} dw_window;

static void dw_window_init(const tml_conv_params *p, int32_t oy, int32_t ox,
                           dw_window *w) {
  const int32_t iy0 = oy * p->stride_h - p->pad_h;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &w->fy0, &w->fy1);
  tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &w->fx0, &w->fx1);
  w->in_first = ((ptrdiff_t)(iy0 + w->fy0 * p->dilation_h) * p->in.w + ix0 +
                 (ptrdiff_t)w->fx0 * p->dilation_w) *
                p->in.c;
}

/* acc[j] += f[j] * (x[ic(j)] + x_offset) for the n output channels of a
** tile; f is the tap's filter slice for the tile, x the tap's input at the
** tile's first input channel. Each input channel feeds `mult` consecutive
** outputs; the tile may begin inside such a run, so the first run has
** `first` outputs. */
static void dw_tap_s8(uint32_t *acc, const int8_t *x, const int8_t *f,
                      int32_t n, int32_t mult, int32_t first,
                      int32_t x_offset) {
  int32_t j = 0, end = first;
  if (mult == 1) {
    for (; j < n; j++)
      acc[j] += (uint32_t)((int32_t)f[j] * ((int32_t)x[j] + x_offset));
    return;
  }
  while (j < n) {
    const int32_t v = (int32_t)*x++ + x_offset;
    if (end > n) end = n;
    for (; j < end; j++) acc[j] += (uint32_t)((int32_t)f[j] * v);
    end = j + mult;
  }
}

static void dw_tap_f32(float *acc, const float *x, const float *f, int32_t n,
                       int32_t mult, int32_t first) {
  int32_t j = 0, end = first;
  if (mult == 1) {
    for (; j < n; j++) acc[j] += x[j] * f[j];
    return;
  }
  while (j < n) {
    const float v = *x++;
    if (end > n) end = n;
    for (; j < end; j++) acc[j] += v * f[j];
    end = j + mult;
  }
}

void tml_depthwise_conv2d_s8_portable(const tml_conv_params *p,
                                      const int8_t *in, const int8_t *filter,
                                      const int32_t *bias, int8_t *out,
                                      void *scratch) {
  const int32_t oc_n = p->out.c, mult = p->depth_multiplier;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * p->in.c;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * p->in.c;
  const ptrdiff_t f_row = (ptrdiff_t)p->filter.w * oc_n;
  int32_t b, oy, ox, c0, fy, fx, j;
  (void)scratch;
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += oc_n) {
        dw_window w;
        dw_window_init(p, oy, ox, &w);
        for (c0 = 0; c0 < oc_n; c0 += TML_DW_TILE) {
          const int32_t n = TML_MIN(TML_DW_TILE, oc_n - c0);
          const int32_t ic0 = c0 / mult, first = mult - c0 % mult;
          uint32_t acc[TML_DW_TILE];
          ptrdiff_t io = w.in_first + ic0;
          for (j = 0; j < n; j++) acc[j] = 0;
          for (fy = w.fy0; fy < w.fy1; fy++, io += in_row)
            for (fx = w.fx0; fx < w.fx1; fx++)
              dw_tap_s8(acc, in + io + (fx - w.fx0) * tap,
                        filter + fy * f_row + (ptrdiff_t)fx * oc_n + c0, n,
                        mult, first, p->in_offset);
          for (j = 0; j < n; j++) {
            const int32_t oc = c0 + j;
            const uint32_t a = bias ? acc[j] + (uint32_t)bias[oc] : acc[j];
            out[oc] = tml_conv_out_s8(a, p->mult[oc], p->shift[oc],
                                      p->out_offset, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

void tml_depthwise_conv2d_f32_portable(const tml_conv_params *p,
                                       const float *in, const float *filter,
                                       const float *bias, float *out,
                                       void *scratch) {
  const int32_t oc_n = p->out.c, mult = p->depth_multiplier;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * p->in.c;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * p->in.c;
  const ptrdiff_t f_row = (ptrdiff_t)p->filter.w * oc_n;
  int32_t b, oy, ox, c0, fy, fx, j;
  (void)scratch;
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += oc_n) {
        dw_window w;
        dw_window_init(p, oy, ox, &w);
        for (c0 = 0; c0 < oc_n; c0 += TML_DW_TILE) {
          const int32_t n = TML_MIN(TML_DW_TILE, oc_n - c0);
          const int32_t ic0 = c0 / mult, first = mult - c0 % mult;
          float acc[TML_DW_TILE];
          ptrdiff_t io = w.in_first + ic0;
          for (j = 0; j < n; j++) acc[j] = 0.0f;
          for (fy = w.fy0; fy < w.fy1; fy++, io += in_row)
            for (fx = w.fx0; fx < w.fx1; fx++)
              dw_tap_f32(acc, in + io + (fx - w.fx0) * tap,
                         filter + fy * f_row + (ptrdiff_t)fx * oc_n + c0, n,
                         mult, first);
          /* TFLite adds a 0.0f bias when there is none (-0 becomes +0). */
          for (j = 0; j < n; j++)
            out[c0 + j] =
                tml_conv_out_f32(acc[j] + (bias ? bias[c0 + j] : 0.0f),
                                 p->fact_min, p->fact_max);
        }
      }
    }
  }
}

/* The portable kernel needs none; the DSP one a channel's rows. */
size_t tml_depthwise_conv2d_s8_scratch_size_for(const tml_conv_params *p,
                                                int kset) {
  return kset == TML_KSET_PORTABLE ? 0
                                   : tml_depthwise_conv2d_s8_dsp_scratch(p, 0);
}

size_t tml_depthwise_conv2d_s8_scratch_size(const tml_conv_params *p) {
  return tml_depthwise_conv2d_s8_scratch_size_for(p, TML_KSET);
}

size_t tml_depthwise_conv2d_f32_scratch_size(const tml_conv_params *p) {
  (void)p;
  return 0;
}

static tml_status check_depthwise(const tml_conv_params *p) {
  const tml_status st = tml_conv_check_geometry(p);
  if (st != TML_OK) return st;
  if (p->depth_multiplier < 1) return TML_ERR_OPTIONS;
  if (p->filter.n != 1 || p->filter.c != p->out.c ||
      (int64_t)p->in.c * p->depth_multiplier != p->out.c)
    return TML_ERR_SHAPE;
  return TML_OK;
}

tml_status tml_depthwise_conv2d_q_init(tml_conv_params *p, int32_t *mult,
                                       int8_t *shift, float in_scale,
                                       int32_t in_zp,
                                       const float *filter_scales,
                                       int32_t n_filter_scales, float out_scale,
                                       int32_t out_zp, int32_t qmin,
                                       int32_t qmax, tml_activation act) {
  const tml_status st = check_depthwise(p);
  if (st != TML_OK) return st;
  return tml_conv_quant_init(p, mult, shift, in_scale, in_zp, filter_scales,
                             n_filter_scales, out_scale, out_zp, qmin, qmax,
                             act);
}

tml_status tml_depthwise_conv2d_f32_init(tml_conv_params *p,
                                         tml_activation act) {
  const tml_status st = check_depthwise(p);
  if (st != TML_OK) return st;
  return tml_activation_range_f32(act, &p->fact_min, &p->fact_max);
}

void tml_depthwise_conv2d_s8(const tml_conv_params *p, const int8_t *in,
                             const int8_t *filter, const int32_t *bias,
                             int8_t *out, void *scratch) {
#if defined(TML_KERNELS_ARM_MVE)
  tml_depthwise_conv2d_s8_arm_mve(p, in, filter, bias, out, scratch);
#elif defined(TML_KERNELS_ARM_DSP)
  tml_depthwise_conv2d_s8_arm_dsp(p, in, filter, bias, out, scratch);
#else
#if TML_KERNELS_X86
  if (TML_CPU_AVX2()) {
    tml_depthwise_conv2d_s8_avx2(p, in, filter, bias, out, scratch);
    return;
  }
  if (TML_CPU_SSE41()) {
    tml_depthwise_conv2d_s8_sse41(p, in, filter, bias, out, scratch);
    return;
  }
#endif
  tml_depthwise_conv2d_s8_portable(p, in, filter, bias, out, scratch);
#endif
}

void tml_depthwise_conv2d_f32(const tml_conv_params *p, const float *in,
                              const float *filter, const float *bias,
                              float *out, void *scratch) {
#if TML_KERNELS_X86
  if (TML_CPU_AVX2()) {
    tml_depthwise_conv2d_f32_avx2(p, in, filter, bias, out, scratch);
    return;
  }
#endif
  tml_depthwise_conv2d_f32_portable(p, in, filter, bias, out, scratch);
}
