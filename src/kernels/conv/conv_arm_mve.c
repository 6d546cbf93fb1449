/*
** CONV_2D and DEPTHWISE_CONV_2D (int8) for Cortex-M cores with Helium (MVE,
** Cortex-M55), byte-identical to the portable kernels (conv2d.c,
** depthwise_conv2d.c, conv_inplace.c). Exactness: tml_arm_mve.h.
**
** A GEMM over int8 im2col rows: three output positions at a time, each a
** row of the window's taps as they are in the input, the input zero point
** in the padding (so a padding tap's input + in_offset is 0, as in the
** portable kernel, and in_offset * Sum(filter row) folds into the bias).
** A window that is one run of the input (a filter of one row inside the
** image: 1x1 layers) is its own row, nothing copied. An assembly loop runs
** two output channels over the three rows: 16 taps of each of the five
** vectors are one load, each pair one VMLADAVA.S8: 96 MACs in 12
** instructions; the last taps % 16 a predicated load. Four channels of a
** position are requantized together on vector lanes.
**
** In place (1x1, stride 1) three pixels are copied to the scratch first.
**
** Scratch: three rows of taps bytes, within the DSP kernel's 6 * kp * 2 +
** kp (tml_conv2d_s8_dsp_scratch), which the planner reserves (the kernel
** set stays TML_KSET_ARM_DSP); tests/target/tt_kernels.c checks it.
**
** DEPTHWISE_CONV_2D (depth multiplier 1): from a padded plane per channel
** in the DSP kernel's scratch (dw_plane), or four channels per position
** straight from NHWC with no scratch; one input channel as CONV_2D; the
** rest stays with the DSP kernel.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_MVE)

#include <stddef.h>

#include "tml_arm_mve.h"
#include "tml_conv_dsp.h"
#include "tml_conv_util.h"

#define ROWS 3

/* Channels whose bias and in_offset * Sum(filter row) sit on the stack at
** a time (256 bytes); a wider layer builds its rows once per such group. */
#define CHANNELS 64

/* The most depthwise taps whose weights go on the stack (400 bytes). */
#define DW_TAPS 25

/* Three rows by two filter rows (the second k2 bytes after the first; 0
** repeats it): t[4 * j + i] = Sum of row j times filter row i. */
typedef struct gemm32_args {
  const int8_t *x0, *x1, *x2;
  const int8_t *f;
  int32_t k2;
  int32_t blocks, tail; /* taps / 16, taps % 16 */
  int32_t *t;
} gemm32_args;

__attribute__((naked, noinline)) static void gemm32(
    const gemm32_args *a __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "ldr r12, [r0, #28]\n\t"
      "ldrd lr, r11, [r0, #20]\n\t"
      "ldrd r1, r3, [r0]\n\t"
      "ldr r5, [r0, #8]\n\t"
      "ldrd r7, r9, [r0, #12]\n\t"
      "add r9, r9, r7\n\t"
      "movs r0, #0\n\t"
      "movs r2, #0\n\t"
      "movs r4, #0\n\t"
      "movs r6, #0\n\t"
      "mov r8, #0\n\t"
      "mov r10, #0\n\t"
      "wls lr, lr, 2f\n"
      "1:\n\t"
      "vldrb.u8 q0, [r7], #16\n\t"
      "vldrb.u8 q1, [r9], #16\n\t"
      "vldrb.u8 q2, [r1], #16\n\t"
      "vmlava.s8 r0, q2, q0\n\t"
      "vmlava.s8 r2, q2, q1\n\t"
      "vldrb.u8 q3, [r3], #16\n\t"
      "vmlava.s8 r4, q3, q0\n\t"
      "vmlava.s8 r6, q3, q1\n\t"
      "vldrb.u8 q2, [r5], #16\n\t"
      "vmlava.s8 r8, q2, q0\n\t"
      "vmlava.s8 r10, q2, q1\n\t"
      "le lr, 1b\n"
      "2:\n\t"
      "cmp r11, #0\n\t"
      "beq 3f\n\t"
      "vctp.8 r11\n\t"
      "vpstttt\n\t"
      "vldrbt.u8 q0, [r7]\n\t"
      "vldrbt.u8 q1, [r9]\n\t"
      "vldrbt.u8 q2, [r1]\n\t"
      "vldrbt.u8 q3, [r3]\n\t"
      "vmlava.s8 r0, q2, q0\n\t"
      "vmlava.s8 r2, q2, q1\n\t"
      "vmlava.s8 r4, q3, q0\n\t"
      "vmlava.s8 r6, q3, q1\n\t"
      "vpst\n\t"
      "vldrbt.u8 q2, [r5]\n\t"
      "vmlava.s8 r8, q2, q0\n\t"
      "vmlava.s8 r10, q2, q1\n"
      "3:\n\t"
      "strd r0, r2, [r12]\n\t"
      "strd r4, r6, [r12, #16]\n\t"
      "strd r8, r10, [r12, #32]\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t");
}

/* n bytes from s to d (n >= 1), 16 a time, the last ones predicated. */
static void copy_s8(int8_t *d, const int8_t *s, int32_t n) {
  for (; n > 0; n -= 16, d += 16, s += 16) {
    const mve_pred16_t pr = vctp8q((uint32_t)n);
    vstrbq_p_s8(d, vldrbq_z_s8(s, pr), pr);
  }
}

static void fill_s8(int8_t *d, int8_t v, int32_t n) {
  const int8x16_t vv = vdupq_n_s8(v);
  for (; n > 0; n -= 16, d += 16) vstrbq_p_s8(d, vv, vctp8q((uint32_t)n));
}

/* The taps of output position (oy, ox) of image `img`, input channels
** cin0 .. cin0 + filter.c: a pointer into the input when the window is one
** run of it inside the image, else gathered at `buf`, the zero point zp
** for padding. */
static const int8_t *conv_row(const tml_conv_params *p, const int8_t *img,
                              int32_t cin0, int32_t oy, int32_t ox,
                              int8_t *buf, int8_t zp) {
  const int32_t ic = p->in.c, fc = p->filter.c, fw = p->filter.w;
  const int32_t iy0 = oy * p->stride_h - p->pad_h;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  const int one = fc == ic && p->dilation_w == 1;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * ic;
  int32_t fy0, fy1, fx0, fx1, fy, fx;
  tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
  tml_conv_taps(ix0, p->dilation_w, p->in.w, fw, &fx0, &fx1);
  if (one && fy0 == 0 && fy1 == p->filter.h && fx0 == 0 && fx1 == fw) {
    const int8_t *src = img + ((ptrdiff_t)iy0 * p->in.w + ix0) * ic;
    int8_t *d = buf;
    if (p->filter.h == 1) return src;
    for (fy = 0; fy < p->filter.h; fy++, src += in_row, d += fw * fc)
      copy_s8(d, src, fw * fc);
    return buf;
  }
  fill_s8(buf, zp, p->filter.h * fw * fc);
  if (fx0 >= fx1) return buf;
  for (fy = fy0; fy < fy1; fy++) {
    const int8_t *src = img + ((ptrdiff_t)(iy0 + fy * p->dilation_h) *
                                   p->in.w + ix0 + fx0 * p->dilation_w) *
                                  ic + cin0;
    int8_t *d = buf + ((ptrdiff_t)fy * fw + fx0) * fc;
    if (one) {
      copy_s8(d, src, (fx1 - fx0) * fc);
    } else {
      for (fx = fx0; fx < fx1; fx++, d += fc, src += p->dilation_w * ic)
        copy_s8(d, src, fc);
    }
  }
  return buf;
}

/* bsum[c - c0] = bias[c] + in_offset * Sum(filter row c), c0 <= c < c1. */
static void bias_sums(const tml_conv_params *p, const int8_t *filter,
                      const int32_t *bias, int32_t k, int32_t c0, int32_t c1,
                      int32_t *bsum) {
  int32_t c;
  for (c = c0; c < c1; c++) {
    const uint32_t s = (uint32_t)tml_mve_sum_s8(filter + (size_t)c * k, k);
    bsum[c - c0] = (int32_t)((bias ? (uint32_t)bias[c] : 0u) +
                             (uint32_t)p->in_offset * s);
  }
}

/* Channels ca .. cb - 1 of the n (<= ROWS) positions whose rows of k taps
** are x[0 .. n - 1]: position j's outputs start at out + j * out.c, and
** bsum holds channels from c0 on (bias_sums). Rows past n repeat the last,
** their outputs not stored. */
static void gemm(const tml_conv_params *p, const int8_t *const *x, int32_t n,
                 const int8_t *filter, int32_t k, const int32_t *bsum,
                 int32_t c0, int32_t ca, int32_t cb, int8_t *out) {
  const int32_t oc = p->out.c;
  int32_t c, j;
  gemm32_args a;
  a.x0 = x[0];
  a.x1 = x[n > 1 ? 1 : 0];
  a.x2 = x[n - 1];
  a.blocks = k >> 4;
  a.tail = k & 15;
  for (c = ca; c < cb; c += 4) {
    const int32_t m = TML_MIN(4, cb - c);
    const mve_pred16_t pr = vctp32q((uint32_t)m);
    const tml_mve_rq rq = tml_mve_rq_load(p->mult, p->shift, c, m, 1);
    const int32x4_t bv = vldrwq_z_s32(bsum + (c - c0), pr);
    int32_t t[4 * ROWS];
    a.f = filter + (size_t)c * k;
    a.k2 = m > 1 ? k : 0;
    a.t = t;
    gemm32(&a);
    if (m > 2) {
      a.f += 2 * k;
      a.k2 = m > 3 ? k : 0;
      a.t = t + 2;
      gemm32(&a);
    }
    for (j = 0; j < n; j++)
      vstrbq_p_s32(out + (ptrdiff_t)j * oc + c,
                   tml_mve_requant(vaddq_s32(vldrwq_z_s32(t + 4 * j, pr), bv),
                                   &rq, p->out_offset, p->act_min,
                                   p->act_max),
                   pr);
  }
}

/* Channels c0 .. c1 - 1 (c1 - c0 <= CHANNELS) of every output position. */
static void conv_channels(const tml_conv_params *p, const int8_t *in,
                          const int8_t *filter, const int32_t *bias,
                          int8_t *out, int8_t *rows, int32_t c0,
                          int32_t c1) {
  const int32_t k = p->filter.h * p->filter.w * p->filter.c;
  const int32_t oc = p->out.c, npix = p->out.h * p->out.w;
  const int32_t per = oc / (p->in.c / p->filter.c);
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const int8_t zp = (int8_t)-p->in_offset;
  /* A 1x1 stride-1 layer's positions are its pixels. */
  const int pointwise = tml_conv2d_s8_inplace_ok(p);
  int32_t bsum[CHANNELS];
  int32_t b, q, j, g;
  bias_sums(p, filter, bias, k, c0, c1, bsum);
  for (b = 0; b < p->out.n; b++, in += image, out += (ptrdiff_t)npix * oc) {
    for (q = 0; q < npix; q += ROWS) {
      /* The last three positions overlap the ones before (their outputs
      ** computed again); fewer than three in a layer repeat the last. */
      const int32_t q0 = npix >= ROWS ? TML_MIN(q, npix - ROWS) : 0;
      const int32_t n = TML_MIN(ROWS, npix);
      for (g = c0 / per; g * per < c1; g++) {
        const int8_t *x[ROWS];
        if (pointwise)
          for (j = 0; j < n; j++) x[j] = in + (ptrdiff_t)(q0 + j) * k;
        else
          for (j = 0; j < n; j++)
            x[j] = conv_row(p, in, g * p->filter.c, (q0 + j) / p->out.w,
                            (q0 + j) % p->out.w, rows + (size_t)j * k, zp);
        gemm(p, x, n, filter, k, bsum, c0, TML_MAX(c0, g * per),
             TML_MIN(c1, g * per + per), out + (ptrdiff_t)q0 * oc);
      }
    }
  }
}

void tml_conv2d_s8_arm_mve(const tml_conv_params *p, const int8_t *in,
                           const int8_t *filter, const int32_t *bias,
                           int8_t *out, void *scratch) {
  int32_t c;
  for (c = 0; c < p->out.c; c += CHANNELS)
    conv_channels(p, in, filter, bias, out, (int8_t *)scratch, c,
                  TML_MIN(c + CHANNELS, p->out.c));
}

/* 1x1 stride 1 in place: three pixels are copied to the scratch (3 * in.c
** bytes, within the DSP kernel's 6 * kp * 2), then their outputs written
** over them. Forward when an output pixel is not wider than an input pixel
** (outputs q..q+2 end before input q+3 starts), backward otherwise (they
** start at or after input q, and inputs below q are untouched). */
void tml_conv2d_s8_inplace_arm_mve(const tml_conv_params *p, int8_t *data,
                                   const int8_t *filter, const int32_t *bias,
                                   void *scratch) {
  const int32_t npix = p->in.n * p->in.h * p->in.w;
  const int32_t ic = p->in.c, oc = p->out.c;
  const int forward = oc <= ic;
  const size_t rows_size = ((size_t)ROWS * ic + 3) & ~(size_t)3;
  /* Every channel's bias sums after the rows, once, when the DSP kernel's
  ** scratch has room for them (it holds 6 * kp int16 taps: room for about
  ** 2 * in.c channels); otherwise CHANNELS of them at a time on the stack,
  ** again for every block of pixels. */
  const int all = rows_size + 4 * (size_t)oc <=
                  tml_conv2d_s8_inplace_dsp_scratch(p);
  int8_t *rows = (int8_t *)scratch;
  int32_t *bs_all = (int32_t *)(void *)(rows + rows_size);
  int32_t bsum[CHANNELS];
  int32_t done, j, c;
  if (all) bias_sums(p, filter, bias, ic, 0, oc, bs_all);
  for (done = 0; done < npix; done += ROWS) {
    const int32_t n = TML_MIN(ROWS, npix - done);
    const int32_t q = forward ? done : npix - done - n;
    const int8_t *x[ROWS];
    for (j = 0; j < n; j++) {
      copy_s8(rows + (size_t)j * ic, data + (ptrdiff_t)(q + j) * ic, ic);
      x[j] = rows + (size_t)j * ic;
    }
    if (all) {
      gemm(p, x, n, filter, ic, bs_all, 0, 0, oc, data + (ptrdiff_t)q * oc);
      continue;
    }
    for (c = 0; c < oc; c += CHANNELS) {
      const int32_t c1 = TML_MIN(c + CHANNELS, oc);
      if (done == 0 || oc > CHANNELS)
        bias_sums(p, filter, bias, ic, c, c1, bsum);
      gemm(p, x, n, filter, ic, bsum, c, c, c1, data + (ptrdiff_t)q * oc);
    }
  }
}

/* ------------------------------------------------------------ depthwise */

/* Four channels' taps of one output position on int32 lanes (MVE has no
** lane-wise multiply-accumulate of two vectors: VMUL, then VADD): x and w
** at tap (fy0, fx0) of rows fy0 .. fy1 - 1 and columns fx0 .. fx1 - 1; w
** steps fw * C per row, x `row` per row, `tap` per column. With `off`, the
** input offset is added to each tap (a window at the border, whose
** padding taps are left out); otherwise it is in acc already. */
static inline __attribute__((always_inline)) int32x4_t dw_taps(
    int32x4_t acc, const int8_t *x, const int8_t *w, int32_t nfy,
    int32_t nfx, ptrdiff_t row, ptrdiff_t tap, ptrdiff_t wrow,
    ptrdiff_t wtap, int border, int32_t off, mve_pred16_t pr, int pred) {
  int32_t fy, fx;
  for (fy = 0; fy < nfy; fy++, x += row, w += wrow) {
    const int8_t *xt = x, *wt = w;
    for (fx = 0; fx < nfx; fx++, xt += tap, wt += wtap) {
      int32x4_t xv = pred ? vldrbq_z_s32(xt, pr) : vldrbq_s32(xt);
      const int32x4_t wv = pred ? vldrbq_z_s32(wt, pr) : vldrbq_s32(wt);
      if (border) xv = vaddq_n_s32(xv, off);
      acc = vaddq_s32(acc, vmulq_s32(xv, wv));
    }
  }
  return acc;
}

/* Taps of a window inside the image whose four channels' weights, widened,
** sit at wq (four int32 per tap: immediate offsets, no address
** arithmetic). 3x3 unrolled. */
static inline __attribute__((always_inline)) int32x4_t dw_inside(
    int32x4_t acc, const int8_t *x, const int32_t *wq, int32_t fh,
    int32_t fw, ptrdiff_t row, ptrdiff_t tap) {
  int32_t fy, fx;
  if (fh == 3 && fw == 3) {
    for (fy = 0; fy < 3; fy++, x += row, wq += 12) {
      const int8_t *x1 = x + tap, *x2 = x1 + tap;
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(x), vldrwq_s32(wq)));
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(x1), vldrwq_s32(wq + 4)));
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(x2), vldrwq_s32(wq + 8)));
    }
    return acc;
  }
  for (fy = 0; fy < fh; fy++, x += row) {
    const int8_t *xt = x;
    for (fx = 0; fx < fw; fx++, xt += tap, wq += 4)
      acc = vaddq_s32(acc, vmulq_s32(vldrbq_s32(xt), vldrwq_s32(wq)));
  }
  return acc;
}

/* The padded plane of one input channel: every tap any output reads, the
** zero point around the image. */
static size_t dw_plane_size(const tml_conv_params *p) {
  return (size_t)((p->out.w - 1) * p->stride_w +
                  (p->filter.w - 1) * p->dilation_w + 1) *
         (size_t)((p->out.h - 1) * p->stride_h +
                  (p->filter.h - 1) * p->dilation_h + 1);
}

/* Whether the plane path runs: stride 1 along rows of at least 8 outputs
** (shorter rows and strides do better, in the measurements, four channels
** per position or with the DSP kernel), at most DW_TAPS taps, and
** the plane fits the DSP kernel's scratch (out of place or in place),
** which the planner reserves. */
static int dw_plane_ok(const tml_conv_params *p, int in_place) {
  const int t = tml_dw_dsp_transposed(p);
  return p->depth_multiplier == 1 && p->filter.h * p->filter.w <= DW_TAPS &&
         (t ? p->stride_h : p->stride_w) == 1 &&
         (t ? p->dilation_h : p->dilation_w) == 1 &&
         (t ? p->out.h : p->out.w) >= 8 &&
         dw_plane_size(p) <= tml_depthwise_conv2d_s8_dsp_scratch(p, in_place);
}

/* The layer seen along the vector lanes' axis (x, or y when the output is
** taller than wide, as the DSP kernel's tml_dw_dsp_transposed): outputs
** along and across, strides, dilations, padding, filter taps along and
** across; the filter's steps per tap along and across; the input's and
** the output's steps (bytes) per pixel along and across. */
typedef struct dw_geom {
  int32_t na, nb, sa, sb, da, db, pa, pb, fa, fb, ia, ib;
  int32_t wfa, wfb;
  ptrdiff_t in_a, in_b, out_a, out_b;
} dw_geom;

static void dw_geom_init(const tml_conv_params *p, dw_geom *g) {
  const int t = tml_dw_dsp_transposed(p);
  const int32_t C = p->in.c;
  g->na = t ? p->out.h : p->out.w;
  g->nb = t ? p->out.w : p->out.h;
  g->sa = t ? p->stride_h : p->stride_w;
  g->sb = t ? p->stride_w : p->stride_h;
  g->da = t ? p->dilation_h : p->dilation_w;
  g->db = t ? p->dilation_w : p->dilation_h;
  g->pa = t ? p->pad_h : p->pad_w;
  g->pb = t ? p->pad_w : p->pad_h;
  g->fa = t ? p->filter.h : p->filter.w;
  g->fb = t ? p->filter.w : p->filter.h;
  g->ia = t ? p->in.h : p->in.w;
  g->ib = t ? p->in.w : p->in.h;
  g->wfa = t ? p->filter.w : 1;
  g->wfb = t ? 1 : p->filter.w;
  g->in_a = (ptrdiff_t)(t ? p->in.w : 1) * C;
  g->in_b = (ptrdiff_t)(t ? 1 : p->in.w) * C;
  g->out_a = (ptrdiff_t)(t ? p->out.w : 1) * C;
  g->out_b = (ptrdiff_t)(t ? 1 : p->out.w) * C;
}

/* The last (fewer than four) outputs' sums of a plane row, 3x3: each tap
** one predicated load of the adjacent bytes and one VMLA by its weight. */
static inline __attribute__((always_inline)) int32x4_t dw_3x3(
    int32x4_t acc, const int8_t *x, ptrdiff_t row, const int32_t *w,
    mve_pred16_t pr) {
  int32_t fb;
  for (fb = 0; fb < 3; fb++, x += row, w += 3) {
    acc = vmlaq_n_s32(acc, vldrbq_z_s32(x, pr), w[0]);
    acc = vmlaq_n_s32(acc, vldrbq_z_s32(x + 1, pr), w[1]);
    acc = vmlaq_n_s32(acc, vldrbq_z_s32(x + 2, pr), w[2]);
  }
  return acc;
}

/* Groups of four adjacent outputs along a plane row, 3x3: sums[4 g + i]
** = bias + Sum of the taps of output 4 g + i. Each tap is one load of
** four bytes (immediate offsets, the three rows' pointers moving on by 4)
** and one VMLA by its weight, which all stay in registers: 21
** instructions per 36 MACs. */
typedef struct dw3_args {
  const int8_t *x;
  int32_t row; /* bytes between plane rows */
  int32_t groups; /* >= 1 */
  int32_t bias;
  const int32_t *w; /* the 9 weights, plane order */
  int32_t *sums;
} dw3_args;

#define DW3_ROW(ptr, w0, w1, w2)              \
  "vldrb.s32 q2, [" ptr ", #1]\n\t"          \
  "vmla.s32 q0, q2, " w1 "\n\t"              \
  "vldrb.s32 q2, [" ptr ", #2]\n\t"          \
  "vmla.s32 q0, q2, " w2 "\n\t"              \
  "vldrb.s32 q2, [" ptr "], #4\n\t"          \
  "vmla.s32 q0, q2, " w0 "\n\t"

__attribute__((naked, noinline)) static void dw3(
    const dw3_args *a __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "ldr r12, [r0, #12]\n\t"
      "vdup.32 q1, r12\n\t"
      "ldr r12, [r0, #16]\n\t"
      "ldmia r12, {r3, r4, r5, r6, r7, r8, r9, r10, r11}\n\t"
      "ldr r12, [r0, #20]\n\t"
      "ldr lr, [r0, #8]\n\t"
      "ldr r1, [r0, #4]\n\t"
      "ldr r0, [r0]\n\t"
      "add r1, r1, r0\n\t"
      "add r2, r1, r1\n\t"
      "sub r2, r2, r0\n\t"
      "dls lr, lr\n"
      "1:\n\t"
      "vmov q0, q1\n\t"
      DW3_ROW("r0", "r3", "r4", "r5")
      DW3_ROW("r1", "r6", "r7", "r8")
      DW3_ROW("r2", "r9", "r10", "r11")
      "vstrw.32 q0, [r12], #16\n\t"
      "le lr, 1b\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t");
}

/* Groups whose sums dw_outputs holds on the stack at a time (256 bytes). */
#define DW3_GROUPS 16

/* One channel's outputs from its plane (dw_plane), four along a row at a
** time; `three`: a 3x3 filter, unrolled (a constant, so each instance
** keeps its registers to itself). */
static inline __attribute__((always_inline)) void dw_outputs(
    const tml_conv_params *p, const dw_geom *g, const int8_t *plane,
    int32_t Wa, const int32_t *wt, uint32_t bs, const tml_mve_rq *rq,
    uint32x4_t soff, int8_t *out, int three) {
  const ptrdiff_t row = (ptrdiff_t)g->db * Wa;
  int32_t ob, oa, fb, fa, t;
  for (ob = 0; ob < g->nb; ob++) {
    const int8_t *r = plane + (ptrdiff_t)ob * g->sb * Wa;
    int8_t *o = out + ob * g->out_b;
    oa = 0;
    if (three) {
      /* Whole groups from the routine, a chunk at a time. */
      int32_t sums[4 * DW3_GROUPS];
      dw3_args a;
      a.row = (int32_t)row;
      a.bias = (int32_t)bs;
      a.w = wt;
      a.sums = sums;
      while (g->na - oa >= 4) {
        const int32_t n = TML_MIN(DW3_GROUPS, (g->na - oa) / 4);
        int32_t j;
        a.x = r + oa;
        a.groups = n;
        dw3(&a);
        for (j = 0; j < n; j++, oa += 4)
          vstrbq_scatter_offset_s32(
              o + oa * g->out_a, soff,
              tml_mve_requant(vldrwq_s32(sums + 4 * j), rq, p->out_offset,
                              p->act_min, p->act_max));
      }
    }
    for (; oa < g->na; oa += 4) {
      const int32_t left = g->na - oa;
      const mve_pred16_t pr = vctp32q((uint32_t)left);
      const int8_t *x = r + oa;
      int32x4_t acc = vdupq_n_s32((int32_t)bs);
      if (three) {
        acc = dw_3x3(acc, x, row, wt, pr);
      } else {
        for (fb = 0, t = 0; fb < g->fb; fb++, x += row)
          for (fa = 0; fa < g->fa; fa++, t++)
            acc = vmlaq_n_s32(acc, vldrbq_z_s32(x + fa, pr), wt[t]);
      }
      vstrbq_scatter_offset_p_s32(
          o + oa * g->out_a, soff,
          tml_mve_requant(acc, rq, p->out_offset, p->act_min, p->act_max),
          pr);
    }
  }
}

/* One channel at a time: its input gathered into the plane (VLDRB gather,
** four pixels apart per instruction; rows along the output's longer side),
** then four outputs along a plane row per step (stride 1 along the rows),
** each tap four adjacent inputs (one load) times its weight as a scalar
** (VMLA): 4 MACs in 2 instructions (3x3: dw3), the offset folded into the
** bias (padding taps read the zero point). The outputs are scattered. In
** place the whole channel is in the plane before its outputs overwrite it
** (an output lands only on its own channel's inputs). */
__attribute__((noinline)) static void dw_plane(const tml_conv_params *p,
                                               const int8_t *in,
                                               const int8_t *filter,
                                               const int32_t *bias,
                                               int8_t *out, int8_t *plane) {
  const int32_t C = p->in.c;
  dw_geom g;
  int32_t Wa, Hb, na_in, nb_in;
  ptrdiff_t in_img, out_img;
  uint32x4_t lane, ioff, soff;
  int32_t wt[DW_TAPS];
  int32_t b, c, t, ib, ia, fb, fa;
  dw_geom_init(p, &g);
  Wa = (g.na - 1) * g.sa + (g.fa - 1) * g.da + 1;
  Hb = (g.nb - 1) * g.sb + (g.fb - 1) * g.db + 1;
  na_in = TML_MIN(g.ia, Wa - g.pa);
  nb_in = TML_MIN(g.ib, Hb - g.pb);
  in_img = (ptrdiff_t)p->in.h * p->in.w * C;
  out_img = (ptrdiff_t)p->out.h * p->out.w * C;
  lane = vidupq_n_u32(0, 1);
  ioff = vmulq_n_u32(lane, (uint32_t)g.in_a);
  soff = vmulq_n_u32(lane, (uint32_t)g.out_a);
  fill_s8(plane, (int8_t)-p->in_offset, Wa * Hb);
  for (b = 0; b < p->in.n; b++, in += in_img, out += out_img) {
    for (c = 0; c < C; c++) {
      const int32_t shift = p->shift[c];
      uint32_t bs = bias ? (uint32_t)bias[c] : 0u;
      tml_mve_rq rq;
      for (ib = 0; ib < nb_in; ib++) {
        const int8_t *src = in + ib * g.in_b + c;
        int8_t *dst = plane + (ptrdiff_t)(ib + g.pb) * Wa + g.pa;
        for (ia = 0; ia < na_in; ia += 4) {
          const mve_pred16_t pr = vctp32q((uint32_t)(na_in - ia));
          vstrbq_p_s32(dst + ia,
                       vldrbq_gather_offset_z_s32(src + ia * g.in_a, ioff, pr),
                       pr);
        }
      }
      /* The weights in plane order: along, then across. */
      for (fb = 0, t = 0; fb < g.fb; fb++)
        for (fa = 0; fa < g.fa; fa++, t++) {
          wt[t] = filter[(ptrdiff_t)(fb * g.wfb + fa * g.wfa) * C + c];
          bs += (uint32_t)p->in_offset * (uint32_t)wt[t];
        }
      rq.mult = vdupq_n_s32(p->mult[c]);
      rq.left = vdupq_n_s32(shift > 0 ? shift : 0);
      rq.right = vdupq_n_s32(shift > 0 ? 0 : shift);
      if (g.fa == 3 && g.fb == 3)
        dw_outputs(p, &g, plane, Wa, wt, bs, &rq, soff, out + c, 1);
      else
        dw_outputs(p, &g, plane, Wa, wt, bs, &rq, soff, out + c, 0);
    }
  }
}

/* In place: the plane (the whole channel) fits the DSP kernel's in-place
** scratch, which holds the channel's padded plane too; the layers the
** plane path does not take stay with the DSP kernel. */
void tml_depthwise_conv2d_s8_inplace_arm_mve(const tml_conv_params *p,
                                             int8_t *data,
                                             const int8_t *filter,
                                             const int32_t *bias,
                                             void *scratch) {
  if (dw_plane_ok(p, 1))
    dw_plane(p, data, filter, bias, data, (int8_t *)scratch);
  else
    tml_depthwise_conv2d_s8_inplace_arm_dsp(p, data, filter, bias, scratch);
}

/* Depth multiplier 1, at most DW_TAPS taps: four channels at a time (the
** outer loop, so their rescaling and weights stay put), every output
** position straight from the NHWC input. Windows inside the image take the
** four channels' weights widened to int32 on the stack and a bias holding
** in_offset * Sum(w); at the border only the taps inside the image are
** summed, each with the offset. No scratch. */
__attribute__((noinline)) static void dw_quads(const tml_conv_params *p,
                                               const int8_t *in,
                                               const int8_t *filter,
                                               const int32_t *bias,
                                               int8_t *out) {
  const int32_t C = p->in.c, fh = p->filter.h, fw = p->filter.w;
  const int32_t taps = fh * fw;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * C;
  const ptrdiff_t row = (ptrdiff_t)p->dilation_h * p->in.w * C;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * C;
  const int32_t off = p->in_offset;
  /* Output columns whose windows are inside the image along x. */
  const int32_t span_w = (fw - 1) * p->dilation_w;
  int32_t ox_lo = (p->pad_w + p->stride_w - 1) / p->stride_w;
  int32_t ox_hi = p->in.w - 1 - span_w + p->pad_w >= 0
                      ? (p->in.w - 1 - span_w + p->pad_w) / p->stride_w + 1
                      : 0;
  int32_t wq[DW_TAPS * 4];
  int32_t c, b, oy, ox, t;
  ox_hi = TML_MIN(ox_hi, p->out.w);
  if (ox_lo > ox_hi) ox_lo = ox_hi;
  for (c = 0; c < C; c += 4) {
    const int32_t n = TML_MIN(4, C - c);
    const mve_pred16_t pr = vctp32q((uint32_t)n);
    /* The quad's rescaling, bias, and bias + in_offset * Sum(w), read
    ** from memory at each output: held in registers they would leave the
    ** taps too few. */
    int32_t qv[5][4];
    int32x4_t wsum = vdupq_n_s32(0);
    const int8_t *img = in + c;
    int8_t *o = out + c;
    {
      const tml_mve_rq rq = tml_mve_rq_load(p->mult, p->shift, c, n, 1);
      const int32x4_t bv = bias ? vldrwq_z_s32(bias + c, pr) : vdupq_n_s32(0);
      for (t = 0; t < taps; t++) {
        const int32x4_t wv = vldrbq_z_s32(filter + (ptrdiff_t)t * C + c, pr);
        vstrwq_s32(wq + 4 * t, wv);
        wsum = vaddq_s32(wsum, wv);
      }
      vstrwq_s32(qv[0], rq.mult);
      vstrwq_s32(qv[1], rq.left);
      vstrwq_s32(qv[2], rq.right);
      vstrwq_s32(qv[3], bv);
      vstrwq_s32(qv[4], vmlaq_n_s32(bv, wsum, off));
    }
    for (b = 0; b < p->out.n; b++, img += image) {
      for (oy = 0; oy < p->out.h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        int32_t fy0, fy1;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, fh, &fy0, &fy1);
        for (ox = 0; ox < p->out.w; ox++, o += C) {
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          tml_mve_rq rq;
          int32x4_t acc;
          if (fy0 == 0 && fy1 == fh && ox >= ox_lo && ox < ox_hi) {
            const int8_t *x = img + ((ptrdiff_t)iy0 * p->in.w + ix0) * C;
            acc = n == 4 ? dw_inside(vldrwq_s32(qv[4]), x, wq, fh, fw, row,
                                     tap)
                         : dw_taps(vldrwq_s32(qv[4]), x, filter + c, fh, fw,
                                   row, tap, (ptrdiff_t)fw * C, C, 0, off, pr,
                                   1);
          } else {
            int32_t fx0, fx1;
            tml_conv_taps(ix0, p->dilation_w, p->in.w, fw, &fx0, &fx1);
            acc = vldrwq_s32(qv[3]);
            if (fy1 > fy0 && fx1 > fx0) {
              const int8_t *x =
                  img + ((ptrdiff_t)(iy0 + fy0 * p->dilation_h) * p->in.w +
                         ix0 + (ptrdiff_t)fx0 * p->dilation_w) * C;
              acc = dw_taps(acc, x,
                            filter + ((ptrdiff_t)fy0 * fw + fx0) * C + c,
                            fy1 - fy0, fx1 - fx0, row, tap, (ptrdiff_t)fw * C,
                            C, 1, off, pr, 1);
            }
          }
          rq.mult = vldrwq_s32(qv[0]);
          rq.left = vldrwq_s32(qv[1]);
          rq.right = vldrwq_s32(qv[2]);
          vstrbq_p_s32(o, tml_mve_requant(acc, &rq, p->out_offset,
                                          p->act_min, p->act_max),
                       pr);
        }
      }
    }
  }
}

/* One input channel: CONV_2D's GEMM, on the filter in CONV_2D's layout
** after the GEMM's scratch, where the DSP kernel puts it. */
__attribute__((noinline)) static void dw_conv(const tml_conv_params *p,
                                              const int8_t *in,
                                              const int8_t *filter,
                                              const int32_t *bias,
                                              int8_t *out, void *scratch) {
  const tml_conv_params cp = tml_dw_dsp_conv(p);
  tml_conv2d_s8_arm_mve(&cp, in, tml_dw_dsp_conv_filter(&cp, filter, scratch),
                        bias, out, scratch);
}

/* Out of place: one input channel as CONV_2D, the plane where dw_plane_ok
** says so, four channels per position otherwise (depth multiplier 1, up to
** DW_TAPS taps), else the DSP kernel. Each path in its own function, so
** that the invoke's stack holds one path's frame. */
void tml_depthwise_conv2d_s8_arm_mve(const tml_conv_params *p,
                                     const int8_t *in, const int8_t *filter,
                                     const int32_t *bias, int8_t *out,
                                     void *scratch) {
  const int32_t taps = p->filter.h * p->filter.w;
  if (tml_dw_dsp_gemm(p, 0)) {
    dw_conv(p, in, filter, bias, out, scratch);
    return;
  }
  if (dw_plane_ok(p, 0)) {
    dw_plane(p, in, filter, bias, out, (int8_t *)scratch);
    return;
  }
  if (p->depth_multiplier != 1 || taps > DW_TAPS) {
    tml_depthwise_conv2d_s8_arm_dsp(p, in, filter, bias, out, scratch);
    return;
  }
  dw_quads(p, in, filter, bias, out);
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_conv_arm_mve_unused;
#endif
