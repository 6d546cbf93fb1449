/*
** tml_conv_dsp.h — when the Cortex-M DSP convolution kernels
** (conv_arm_dsp.c) apply and how they lay out their scratch. Plain
** arithmetic, compiled on every target: `tml compile` on a host plans the
** scratch of a device's kernels with it (tml_*_scratch_size_for).
*/
#ifndef TML_CONV_DSP_H
#define TML_CONV_DSP_H

#include <stddef.h>

#include "tml_kernels.h"

/* Taps per output the DSP GEMM takes: 16384 * 255 * 128 < 2^29 keeps the
** accumulator within what the fast requantization needs. */
#define TML_DSP_MAX_TAPS 16384

static inline int32_t tml_conv_dsp_taps(const tml_conv_params *p) {
  return p->filter.h * p->filter.w * p->filter.c;
}

/* Taps rounded up to whole blocks of 4. */
static inline size_t tml_conv_dsp_kp(const tml_conv_params *p) {
  return ((size_t)tml_conv_dsp_taps(p) + 3) & ~(size_t)3;
}

/* CONV_2D as a GEMM of six output positions by one channel: no groups.
** Scratch: the six positions' taps as int16; an int8 im2col row unless
** input channels come in whole groups of 4 taps (tml_conv_dsp_whole), and
** a copy of the last filter row padded to kp when the taps are not (in
** place too, with six pixels; the portable in-place kernel's one pixel is
** covered). Filter rows of whole groups (tml_conv_dsp_aligned) expand
** straight from the input when the window is inside the image. */
static inline int tml_conv_dsp_gemm_ok(const tml_conv_params *p) {
  return p->filter.c == p->in.c &&
         (int64_t)p->filter.h * p->filter.w * p->filter.c <= TML_DSP_MAX_TAPS;
}

static inline int tml_conv_dsp_aligned(const tml_conv_params *p) {
  return p->dilation_w == 1 && p->filter.w * p->in.c % 4 == 0;
}

static inline int tml_conv_dsp_whole(const tml_conv_params *p) {
  return p->dilation_w == 1 && p->in.c % 4 == 0;
}

static inline size_t tml_conv_dsp_gemm_scratch(const tml_conv_params *p,
                                               int row) {
  const size_t kp = tml_conv_dsp_kp(p);
  return 6 * kp * 2 + (row ? kp : 0) +
         (tml_conv_dsp_taps(p) % 4 ? kp : 0);
}

static inline size_t tml_conv2d_s8_dsp_scratch(const tml_conv_params *p) {
  return tml_conv_dsp_gemm_ok(p)
             ? tml_conv_dsp_gemm_scratch(p, !tml_conv_dsp_whole(p))
             : 0;
}

static inline size_t tml_conv2d_s8_inplace_dsp_scratch(
    const tml_conv_params *p) {
  return tml_conv_dsp_gemm_ok(p) ? tml_conv_dsp_gemm_scratch(p, 0)
                                 : (size_t)p->in.c;
}

/* DEPTHWISE_CONV_2D one channel at a time: the channel's weights as int16
** pairs, its input as an int8 plane with the padding (zero point) around,
** wide enough for 4-byte loads past the last tap, and a row of sums. The
** plane's rows run along the longer side of the output (x, or y when the
** output is taller than wide), so per-row costs are shared by more
** outputs. */
static inline int tml_dw_dsp_ok(const tml_conv_params *p) {
  return p->depth_multiplier == 1 && p->dilation_h == 1 &&
         p->dilation_w == 1 &&
         (int64_t)p->filter.h * p->filter.w <= TML_DSP_MAX_TAPS;
}

/* Rows along y: the plane is the input transposed. */
static inline int tml_dw_dsp_transposed(const tml_conv_params *p) {
  return p->out.w < p->out.h;
}

/* Taps along a plane row, and groups of 4 of them. */
static inline int32_t tml_dw_dsp_fw(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->filter.h : p->filter.w;
}

static inline int32_t tml_dw_dsp_groups(const tml_conv_params *p) {
  return (tml_dw_dsp_fw(p) + 3) / 4;
}

/* Filter rows across plane rows; their weights as pairs. */
static inline int32_t tml_dw_dsp_fh(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->filter.w : p->filter.h;
}

static inline size_t tml_dw_dsp_weights(const tml_conv_params *p) {
  return (size_t)tml_dw_dsp_fh(p) * (size_t)tml_dw_dsp_groups(p) * 8;
}

/* Outputs per plane row, bytes per plane row, plane rows. */
static inline int32_t tml_dw_dsp_ow(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p) ? p->out.h : p->out.w;
}

/* The 3x3 stride-1 kernel computes up to 3 outputs past the row's end. */
static inline size_t tml_dw_dsp_row(const tml_conv_params *p) {
  const int32_t sw = tml_dw_dsp_transposed(p) ? p->stride_h : p->stride_w;
  return ((size_t)(tml_dw_dsp_ow(p) + 2) * (size_t)sw +
          4 * (size_t)tml_dw_dsp_groups(p) + 3) &
         ~(size_t)3;
}

static inline size_t tml_dw_dsp_rows(const tml_conv_params *p) {
  return tml_dw_dsp_transposed(p)
             ? (size_t)(p->out.w - 1) * (size_t)p->stride_w +
                   (size_t)p->filter.w
             : (size_t)(p->out.h - 1) * (size_t)p->stride_h +
                   (size_t)p->filter.h;
}

static inline size_t tml_depthwise_conv2d_s8_dsp_scratch(
    const tml_conv_params *p) {
  if (!tml_dw_dsp_ok(p)) return 0;
  return tml_dw_dsp_weights(p) + tml_dw_dsp_rows(p) * tml_dw_dsp_row(p) +
         ((size_t)tml_dw_dsp_ow(p) + 3) * 4;
}

/* In place the DSP kernel needs no more: a channel's input is all in the
** plane before its outputs overwrite it. The portable in-place kernel's
** output plane when the DSP kernel does not apply. */
static inline size_t tml_depthwise_conv2d_s8_inplace_dsp_scratch(
    const tml_conv_params *p) {
  return tml_dw_dsp_ok(p) ? tml_depthwise_conv2d_s8_dsp_scratch(p)
                          : (size_t)p->out.h * (size_t)p->out.w;
}

#endif
