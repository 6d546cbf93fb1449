/*
** CONV_2D: int8 per channel, 16x8 and float32, bit-exact with TFLite's
** reference ConvPerChannel / Conv.
**
** For each output position the range of filter taps that fall inside the
** image is worked out once, so the padded border costs nothing extra and the
** interior runs without bounds tests. Summation order stays TFLite's (filter
** y, filter x, input channel), which matters for float. Without groups and
** dilation along x, one filter row meets one contiguous run of input (the
** taps' pixels are adjacent and each holds exactly the filter's channels),
** so a row is a single dot product.
*/
#include <stddef.h>

#include "tml_conv_dsp.h"
#include "tml_conv_util.h"
#include "tml_variants.h"

/* Where a filter row's taps meet the input: `nrun` dot products of `run`
** elements, the r-th starting r * dilation_w * in.c input elements (and
** r * filter.c filter elements) after the first. */
typedef struct conv_rows {
  int32_t fy0, fy1; /* filter rows inside the image */
  int32_t fx0;      /* first filter column inside the image */
  int32_t run, nrun;
  ptrdiff_t in_first; /* input offset of tap (fy0, fx0), channel 0 */
} conv_rows;

static void conv_window(const tml_conv_params *p, int32_t oy, int32_t ox,
                        conv_rows *r) {
  const int32_t iy0 = oy * p->stride_h - p->pad_h;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  const int32_t fc = p->filter.c;
  int32_t fx1, nfx;
  tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &r->fy0, &r->fy1);
  tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &r->fx0, &fx1);
  nfx = fx1 - r->fx0;
  if (nfx == 0) r->fy1 = r->fy0;
  if (fc == p->in.c && p->dilation_w == 1) {
    r->run = nfx * fc;
    r->nrun = 1;
  } else {
    r->run = fc;
    r->nrun = nfx;
  }
  r->in_first = ((ptrdiff_t)(iy0 + r->fy0 * p->dilation_h) * p->in.w + ix0 +
                 (ptrdiff_t)r->fx0 * p->dilation_w) *
                p->in.c;
}

static uint32_t dot_s8(const int8_t *x, const int8_t *w, int32_t n,
                       int32_t x_offset) {
  uint32_t acc = 0;
  int32_t i;
  for (i = 0; i < n; i++)
    acc += (uint32_t)((int32_t)w[i] * ((int32_t)x[i] + x_offset));
  return acc;
}

static int64_t dot_s16(const int16_t *x, const int8_t *w, int32_t n) {
  int64_t acc = 0;
  int32_t i;
  for (i = 0; i < n; i++) acc += (int32_t)w[i] * (int32_t)x[i];
  return acc;
}

static float dot_f32(float total, const float *x, const float *w, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i++) total += x[i] * w[i];
  return total;
}

/* Strides of the walk over input and filter, fixed for a call. */
typedef struct conv_steps {
  int32_t groups, per_group; /* groups, output channels per group */
  ptrdiff_t image;           /* input elements per batch */
  ptrdiff_t tap;             /* input elements between taps along x */
  ptrdiff_t in_row;          /* input elements between filter rows */
  ptrdiff_t f_row, f_size;   /* filter elements per row, per channel */
} conv_steps;

static void conv_steps_init(const tml_conv_params *p, conv_steps *s) {
  s->groups = p->in.c / p->filter.c;
  s->per_group = p->out.c / s->groups;
  s->image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  s->tap = (ptrdiff_t)p->dilation_w * p->in.c;
  s->in_row = (ptrdiff_t)p->dilation_h * p->in.w * p->in.c;
  s->f_row = (ptrdiff_t)p->filter.w * p->filter.c;
  s->f_size = (ptrdiff_t)p->filter.h * s->f_row;
}

/* The three kernels share one walk: output position, group, output channel
** of the group, then the window's filter rows and runs. Input offsets stay
** integers until a tap is known to be inside the image, so no pointer is
** ever formed outside the buffer. */

void tml_conv2d_s8_portable(const tml_conv_params *p, const int8_t *in,
                   const int8_t *filter, const int32_t *bias, int8_t *out,
                   void *scratch) {
  const int32_t fc = p->filter.c;
  conv_steps s;
  int32_t b, oy, ox, g, k, fy, r;
  (void)scratch;
  conv_steps_init(p, &s);
  for (b = 0; b < p->out.n; b++, in += s.image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += p->out.c) {
        conv_rows w;
        conv_window(p, oy, ox, &w);
        for (g = 0; g < s.groups; g++) {
          for (k = 0; k < s.per_group; k++) {
            const int32_t oc = g * s.per_group + k;
            const int8_t *f = filter + oc * s.f_size + (ptrdiff_t)w.fx0 * fc;
            ptrdiff_t io = w.in_first + (ptrdiff_t)g * fc;
            uint32_t acc = 0;
            for (fy = w.fy0; fy < w.fy1; fy++, io += s.in_row)
              for (r = 0; r < w.nrun; r++)
                acc += dot_s8(in + io + r * s.tap,
                              f + fy * s.f_row + (ptrdiff_t)r * fc, w.run,
                              p->in_offset);
            if (bias) acc += (uint32_t)bias[oc];
            out[oc] = tml_conv_out_s8(acc, p->mult[oc], p->shift[oc],
                                      p->out_offset, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

/* 16x8 rescales like TFLite, by bias type: an int64 bias takes the int64
** accumulator and multiplier; an int32 bias or none takes TFLite's int32
** accumulator (which wraps: the exact sum is truncated) and the int32
** double-rounding multiplier. */
static void conv_s16(const tml_conv_params *p, const int16_t *in,
                     const int8_t *filter, const int64_t *bias64,
                     const int32_t *bias32, int16_t *out) {
  const int32_t fc = p->filter.c;
  conv_steps s;
  int32_t b, oy, ox, g, k, fy, r;
  conv_steps_init(p, &s);
  for (b = 0; b < p->out.n; b++, in += s.image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += p->out.c) {
        conv_rows w;
        conv_window(p, oy, ox, &w);
        for (g = 0; g < s.groups; g++) {
          for (k = 0; k < s.per_group; k++) {
            const int32_t oc = g * s.per_group + k;
            const int8_t *f = filter + oc * s.f_size + (ptrdiff_t)w.fx0 * fc;
            ptrdiff_t io = w.in_first + (ptrdiff_t)g * fc;
            int64_t acc = 0;
            for (fy = w.fy0; fy < w.fy1; fy++, io += s.in_row)
              for (r = 0; r < w.nrun; r++)
                acc += dot_s16(in + io + r * s.tap,
                               f + fy * s.f_row + (ptrdiff_t)r * fc, w.run);
            out[oc] = bias64 ? tml_conv_out_s16_64(acc, bias64[oc], p->mult[oc],
                                                   p->shift[oc], p->act_min,
                                                   p->act_max)
                             : tml_conv_out_s16_32(acc, bias32 ? bias32[oc] : 0,
                                                   p->mult[oc], p->shift[oc],
                                                   p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

void tml_conv2d_s16(const tml_conv_params *p, const int16_t *in,
                    const int8_t *filter, const int64_t *bias, int16_t *out,
                    void *scratch) {
  (void)scratch;
  conv_s16(p, in, filter, bias, NULL, out);
}

void tml_conv2d_s16_b32(const tml_conv_params *p, const int16_t *in,
                        const int8_t *filter, const int32_t *bias, int16_t *out,
                        void *scratch) {
  (void)scratch;
  conv_s16(p, in, filter, NULL, bias, out);
}

void tml_conv2d_f32_portable(const tml_conv_params *p, const float *in,
                             const float *filter, const float *bias, float *out,
                             void *scratch) {
  const int32_t fc = p->filter.c;
  conv_steps s;
  int32_t b, oy, ox, g, k, fy, r;
  (void)scratch;
  conv_steps_init(p, &s);
  for (b = 0; b < p->out.n; b++, in += s.image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += p->out.c) {
        conv_rows w;
        conv_window(p, oy, ox, &w);
        for (g = 0; g < s.groups; g++) {
          for (k = 0; k < s.per_group; k++) {
            const int32_t oc = g * s.per_group + k;
            const float *f = filter + oc * s.f_size + (ptrdiff_t)w.fx0 * fc;
            ptrdiff_t io = w.in_first + (ptrdiff_t)g * fc;
            float total = 0.0f;
            for (fy = w.fy0; fy < w.fy1; fy++, io += s.in_row)
              for (r = 0; r < w.nrun; r++)
                total = dot_f32(total, in + io + r * s.tap,
                                f + fy * s.f_row + (ptrdiff_t)r * fc, w.run);
            /* TFLite adds a 0.0f bias when there is none (-0 becomes +0). */
            out[oc] = tml_conv_out_f32(total + (bias ? bias[oc] : 0.0f),
                                       p->fact_min, p->fact_max);
          }
        }
      }
    }
  }
}

size_t tml_conv2d_s16_scratch_size(const tml_conv_params *p) {
  (void)p;
  return 0;
}

static tml_status check_conv(const tml_conv_params *p) {
  const tml_status st = tml_conv_check_geometry(p);
  if (st != TML_OK) return st;
  /* Every group needs whole input channels and the same number of
  ** filters. */
  if (p->filter.n != p->out.c || p->in.c % p->filter.c != 0 ||
      p->out.c % (p->in.c / p->filter.c) != 0)
    return TML_ERR_SHAPE;
  return TML_OK;
}

tml_status tml_conv2d_q_init(tml_conv_params *p, int32_t *mult, int8_t *shift,
                             float in_scale, int32_t in_zp,
                             const float *filter_scales,
                             int32_t n_filter_scales, float out_scale,
                             int32_t out_zp, int32_t qmin, int32_t qmax,
                             tml_activation act) {
  const tml_status st = check_conv(p);
  if (st != TML_OK) return st;
  return tml_conv_quant_init(p, mult, shift, in_scale, in_zp, filter_scales,
                             n_filter_scales, out_scale, out_zp, qmin, qmax,
                             act);
}

tml_status tml_conv2d_f32_init(tml_conv_params *p, tml_activation act) {
  const tml_status st = check_conv(p);
  if (st != TML_OK) return st;
  return tml_activation_range_f32(act, &p->fact_min, &p->fact_max);
}

/* The host variants keep their working memory on the stack (host stacks are
** megabytes), so the plan of a model, and the code `tml compile` writes, are
** the same on the host as on a device. Beyond this size they give way to the
** portable kernel. */
#define TML_X86_STACK_SCRATCH (256 * 1024)

/* The portable kernel needs none; the DSP one its GEMM rows (the most of
** any set). */
size_t tml_conv2d_s8_scratch_size_for(const tml_conv_params *p, int kset) {
  return kset == TML_KSET_PORTABLE ? 0 : tml_conv2d_s8_dsp_scratch(p);
}

size_t tml_conv2d_s8_scratch_size(const tml_conv_params *p) {
  return tml_conv2d_s8_scratch_size_for(p, TML_KSET);
}

void tml_conv2d_s8(const tml_conv_params *p, const int8_t *in,
                   const int8_t *filter, const int32_t *bias, int8_t *out,
                   void *scratch) {
#if defined(TML_KERNELS_ARM_MVE)
  tml_conv2d_s8_arm_mve(p, in, filter, bias, out, scratch);
#elif defined(TML_KERNELS_ARM_DSP)
  tml_conv2d_s8_arm_dsp(p, in, filter, bias, out, scratch);
#else
#if TML_KERNELS_X86
  if ((TML_CPU_AVX2() || TML_CPU_SSE41()) &&
      tml_conv2d_s8_avx2_scratch_size(p) <= TML_X86_STACK_SCRATCH) {
    uint64_t work[TML_X86_STACK_SCRATCH / 8];
    if (TML_CPU_AVX2())
      tml_conv2d_s8_avx2(p, in, filter, bias, out, work);
    else
      tml_conv2d_s8_sse41(p, in, filter, bias, out, work);
    return;
  }
#endif
  tml_conv2d_s8_portable(p, in, filter, bias, out, scratch);
#endif
}

size_t tml_conv2d_f32_scratch_size(const tml_conv_params *p) {
  (void)p;
  return 0;
}

void tml_conv2d_f32(const tml_conv_params *p, const float *in,
                    const float *filter, const float *bias, float *out,
                    void *scratch) {
#if TML_KERNELS_X86
  if (TML_CPU_AVX2() &&
      tml_conv2d_f32_avx2_scratch_size(p) <= TML_X86_STACK_SCRATCH) {
    uint64_t work[TML_X86_STACK_SCRATCH / 8];
    tml_conv2d_f32_avx2(p, in, filter, bias, out, work);
    return;
  }
#endif
  tml_conv2d_f32_portable(p, in, filter, bias, out, scratch);
}
