/*
** tml_conv_dsp.h — how the Cortex-M DSP convolution kernels (conv_arm_dsp.c)
** lay out their scratch. Plain arithmetic, compiled on every target: `tml
** compile` on a host plans the scratch of a device's kernels with it
** (tml_*_scratch_size_for).
*/
#ifndef TML_CONV_DSP_H
#define TML_CONV_DSP_H

#include <stddef.h>

#include "tml_kernels.h"

/* Taps per output within which the sums stay below 2^30 (16384 * 255 *
** 128 < 2^29, plus a bias below 2^29): the fast requantization's bound. */
#define TML_DSP_MAX_TAPS 16384

static inline int32_t tml_conv_dsp_taps(const tml_conv_params *p) {
  return p->filter.h * p->filter.w * p->filter.c;
}

/* Taps rounded up to whole blocks of 4. */
static inline size_t tml_conv_dsp_kp(const tml_conv_params *p) {
  return ((size_t)tml_conv_dsp_taps(p) + 3) & ~(size_t)3;
}

/* CONV_2D as a GEMM of six output positions by one channel. Filter rows
** of whole 4-tap groups (no groups, no x dilation) expand straight from the
** input when the window is inside the image. Scratch: the six positions'
** taps as int16, an int8 im2col row, and a copy of the last filter row
** padded to kp when the taps are not whole blocks. In place (1x1, stride
** 1): the six pixels' taps, and when the channels are not whole blocks a
** padded pixel and the padded last filter row; it covers the portable
** in-place kernel's one pixel. */
static inline int tml_conv_dsp_aligned(const tml_conv_params *p) {
  return p->dilation_w == 1 && p->filter.c == p->in.c &&
         p->filter.w * p->in.c % 4 == 0;
}

static inline size_t tml_conv2d_s8_dsp_scratch(const tml_conv_params *p) {
  const size_t kp = tml_conv_dsp_kp(p);
  return 6 * kp * 2 + kp + (tml_conv_dsp_taps(p) % 4 ? kp : 0);
}

static inline size_t tml_conv2d_s8_inplace_dsp_scratch(
    const tml_conv_params *p) {
  const size_t kp = tml_conv_dsp_kp(p);
  return 6 * kp * 2 + (tml_conv_dsp_taps(p) % 4 ? 2 * kp : 0);
}

/* DEPTHWISE_CONV_2D one input channel at a time: the output channel's
** weights as int16 pairs, the input channel (a band of it) as an int8 plane
** with the padding (zero point) around, wide enough for 4-byte loads past
** the last tap and one output past the row, and a row of sums. The plane's
** rows run along the longer side of the output (x, or y when the output is
** taller than wide; of a square one, along the filter's longer side), so
** per-row costs are shared by more outputs or taps. In place the whole
** channel is in the plane before its outputs land. */
static inline int tml_dw_dsp_transposed(const tml_conv_params *p) {
  return p->out.w < p->out.h ||
         (p->out.w == p->out.h && p->filter.w < p->filter.h);
}

/* Taps along a plane row, and groups of 4 of them. */
static inline int32_t tml_dw_dsp_fw(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->filter.h : p->filter.w;
}

static inline int32_t tml_dw_dsp_groups(const tml_conv_params *p) {
  return (tml_dw_dsp_fw(p) + 3) / 4;
}

static inline size_t tml_dw_dsp_weights(const tml_conv_params *p) {
  const int32_t fh = tml_dw_dsp_transposed(p) ? p->filter.w : p->filter.h;
  return (size_t)fh * (size_t)tml_dw_dsp_groups(p) * 8;
}

/* Outputs per plane row, bytes per plane row, plane rows. */
static inline int32_t tml_dw_dsp_ow(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->out.h : p->out.w;
}

static inline size_t tml_dw_dsp_row(const tml_conv_params *p) {
  const int t = tml_dw_dsp_transposed(p);
  const size_t sw = (size_t)(t ? p->stride_h : p->stride_w);
  const size_t dw = (size_t)(t ? p->dilation_h : p->dilation_w);
  return ((size_t)(tml_dw_dsp_ow(p) + 1) * sw +
          (size_t)(tml_dw_dsp_fw(p) - 1) * dw +
          4 * (size_t)tml_dw_dsp_groups(p) + 3) &
         ~(size_t)3;
}

/* Out of place the plane holds a band of output rows at a time: as many as
** fit TML_DW_DSP_PLANE bytes or an eighth of the layer's input and output,
** whichever is more, at least one (the rows two bands share are gathered
** twice). In place, all of them: a band's outputs would land on the next
** band's inputs. */
#define TML_DW_DSP_PLANE 1024

static inline int32_t tml_dw_dsp_oh(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->out.w : p->out.h;
}

static inline int32_t tml_dw_dsp_band(const tml_conv_params *p,
                                      int in_place) {
  const int t = tml_dw_dsp_transposed(p);
  const size_t sh = (size_t)(t ? p->stride_w : p->stride_h);
  const size_t span = (size_t)((t ? p->filter.w : p->filter.h) - 1) *
                          (size_t)(t ? p->dilation_w : p->dilation_h) +
                      1;
  const size_t io = ((size_t)p->in.h * (size_t)p->in.w * (size_t)p->in.c +
                     (size_t)p->out.h * (size_t)p->out.w * (size_t)p->out.c) /
                    8;
  const size_t fit = (io > TML_DW_DSP_PLANE ? io : TML_DW_DSP_PLANE) /
                     tml_dw_dsp_row(p);
  const size_t band = fit > span ? (fit - span) / sh + 1 : 1;
  const int32_t oh = tml_dw_dsp_oh(p);
  return in_place || band >= (size_t)oh ? oh : (int32_t)band;
}

/* Plane rows of a band of n output rows. */
static inline size_t tml_dw_dsp_rows(const tml_conv_params *p, int32_t n) {
  const int t = tml_dw_dsp_transposed(p);
  return (size_t)(n - 1) * (size_t)(t ? p->stride_w : p->stride_h) +
         (size_t)((t ? p->filter.w : p->filter.h) - 1) *
             (size_t)(t ? p->dilation_w : p->dilation_h) +
         1;
}

/* Depth multiplier 1, at least 4 channels, at most TML_DW_DSP_NHWC_TAPS
** taps and at most TML_DW_DSP_NHWC_PLANE outputs per channel: the kernel
** of depthwise_arm_dsp.c works on the NHWC input directly, four channels
** per word, with no per-channel setup, which on small planes costs more
** than the plane kernel's faster taps save (measured: vww's 6x6-output
** layers -23% and -43%, its 3x3 ones -45% and -60%, str_ww's -56 to -60%;
** kws's 25x5 layers would be 35% slower, vww's 12x12 ones 5%). Its lines
** of outputs run along x, or along y when the output is one column wide.
** In place (whole groups of 4 channels) an output waits in a ring until no
** later output reads the input under it (tml_dw_dsp_nhwc_lag); the ring
** must fit the scratch planned for the plane kernel. */
#define TML_DW_DSP_NHWC_PLANE 64
#define TML_DW_DSP_NHWC_TAPS 16

static inline int tml_dw_dsp_nhwc_transposed(const tml_conv_params *p) {
  return p->out.w == 1 && p->out.h > 1;
}

/* In place output q lands on input pixel q, and outputs are computed in
** the order they are stored (lines run along y only when they are whole
** columns). Output (oy, ox) reads input from row oy * stride_h - pad_h and
** column ox * stride_w - pad_w on, so input pixel (y, x) is last read by
** output (min(out.h - 1, (y + pad_h) / stride_h), min(out.w - 1, (x +
** pad_w) / stride_w)) at the latest: output q may be stored once the
** output lag places on is done. */
static inline int32_t tml_dw_dsp_nhwc_lag(const tml_conv_params *p) {
  const int32_t n = p->out.h * p->out.w;
  int32_t q, lag = 0;
  for (q = 0; q < n; q++) {
    const int32_t y = q / p->in.w, x = q % p->in.w;
    const int32_t oy = (y + p->pad_h) / p->stride_h;
    const int32_t ox = (x + p->pad_w) / p->stride_w;
    const int32_t last = (oy < p->out.h ? oy : p->out.h - 1) * p->out.w +
                         (ox < p->out.w ? ox : p->out.w - 1);
    if (last - q > lag) lag = last - q;
  }
  return lag;
}

static inline size_t tml_dw_dsp_nhwc_ring(const tml_conv_params *p) {
  return 4 * ((size_t)tml_dw_dsp_nhwc_lag(p) + 1);
}

/* A depthwise layer of one input channel is a convolution of out.c filters
** of one channel: out of place it runs as CONV_2D's GEMM, on a copy of the
** filter in CONV_2D's layout after the GEMM's scratch. */
static inline int tml_dw_dsp_gemm(const tml_conv_params *p, int in_place) {
  return !in_place && p->in.c == 1;
}

static inline tml_conv_params tml_dw_dsp_conv(const tml_conv_params *p) {
  tml_conv_params c = *p;
  c.filter.n = p->out.c;
  c.filter.c = 1;
  c.depth_multiplier = 1;
  return c;
}

/* The filter in CONV_2D's layout after the GEMM's scratch (tap t of output
** channel m moves from t * out.c + m to m * taps + t); returns it. */
static inline const int8_t *tml_dw_dsp_conv_filter(const tml_conv_params *c,
                                                   const int8_t *filter,
                                                   void *scratch) {
  const int32_t taps = c->filter.h * c->filter.w, oc = c->out.c;
  int8_t *f = (int8_t *)scratch + tml_conv2d_s8_dsp_scratch(c);
  int32_t m, t;
  for (m = 0; m < oc; m++)
    for (t = 0; t < taps; t++) f[m * taps + t] = filter[t * oc + m];
  return f;
}

static inline size_t tml_depthwise_conv2d_s8_dsp_scratch(
    const tml_conv_params *p, int in_place) {
  if (tml_dw_dsp_gemm(p, in_place)) {
    const tml_conv_params c = tml_dw_dsp_conv(p);
    return tml_conv2d_s8_dsp_scratch(&c) +
           (size_t)p->filter.h * (size_t)p->filter.w * (size_t)p->out.c;
  }
  return tml_dw_dsp_weights(p) +
         tml_dw_dsp_rows(p, tml_dw_dsp_band(p, in_place)) *
             tml_dw_dsp_row(p) +
         ((size_t)tml_dw_dsp_ow(p) + 1) * 4;
}

static inline int tml_dw_dsp_nhwc(const tml_conv_params *p, int in_place) {
  if (p->depth_multiplier != 1 || p->in.c < 4 ||
      p->filter.h * p->filter.w > TML_DW_DSP_NHWC_TAPS ||
      (int64_t)p->out.h * p->out.w > TML_DW_DSP_NHWC_PLANE)
    return 0;
  return !in_place ||
         (p->in.c % 4 == 0 &&
          tml_dw_dsp_nhwc_ring(p) <= tml_depthwise_conv2d_s8_dsp_scratch(p, 1));
}

#endif
