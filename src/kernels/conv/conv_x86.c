/*
** CONV_2D and DEPTHWISE_CONV_2D for x86-64 hosts with AVX2 (int8 and
** float) or SSE4.1 (int8), byte-identical to the portable kernels
** (conv2d.c, depthwise_conv2d.c).
**
** int8 CONV_2D is a GEMM: out[m][n] = sum_k A[m][k] * B[n][k], m an output
** position, n an output channel, k a filter tap (OHWI order). A is built
** MR rows at a time (im2col) as int16 holding input + in_offset, with 0 for
** the padding taps, which is exactly what TFLite's skipped taps add. B is
** the filter, repacked per call into panels of NR channels with pairs of
** taps side by side, so one vpmaddwd multiplies an A pair broadcast to all
** lanes by the pair of every channel of the panel. All products fit int16 x
** int16 -> int32 without saturation and int32 adds wrap modulo 2^32, as the
** portable uint32 sums do, so the sums are the portable ones whatever the
** order; requantization then follows tml_mul_by_qm lane by lane.
**
** Float kernels keep each output's summation order (TFLite's: filter y, x,
** channel) and never fuse multiply and add: lanes are output channels, so
** every lane repeats the portable scalar arithmetic and the bits match.
*/
#include "tml_variants.h"

#if TML_KERNELS_X86

#include <stddef.h>
#include <string.h>

#include "tml_conv_util.h"
#include "tml_x86.h"

#define MR 4   /* output positions per int8 tile */
#define NR 16  /* output channels per int8 panel (two vectors) */
#define NRF 32 /* output channels per float panel (four vectors) */

/* ------------------------------------------------------------ int8 GEMM */

typedef struct gemm_dims {
  int32_t k, k2;  /* taps per output, tap pairs (k rounded up to even) */
  int32_t panels; /* NR-channel panels */
} gemm_dims;

static void gemm_dims_init(const tml_conv_params *p, gemm_dims *d) {
  d->k = p->filter.h * p->filter.w * p->filter.c;
  d->k2 = (d->k + 1) / 2;
  d->panels = (p->out.c + NR - 1) / NR;
}

/* Groups are rare; they keep the portable kernel, which needs no scratch. */
size_t tml_conv2d_s8_avx2_scratch_size(const tml_conv_params *p) {
  gemm_dims d;
  if (p->filter.c != p->in.c) return 0;
  gemm_dims_init(p, &d);
  return ((size_t)d.panels * NR + MR) * (size_t)d.k2 * 4;
}

/* Panel q of B: for each tap pair, NR channels x 2 int16; channels and taps
** beyond the filter are 0. */
static void pack_b(const tml_conv_params *p, const gemm_dims *d,
                   const int8_t *filter, int16_t *bp) {
  int32_t n, k;
  memset(bp, 0, (size_t)d->panels * NR * (size_t)d->k2 * 4);
  for (n = 0; n < p->out.c; n++) {
    int16_t *dst = bp + ((ptrdiff_t)(n / NR) * d->k2 * NR + n % NR) * 2;
    const int8_t *src = filter + (ptrdiff_t)n * d->k;
    for (k = 0; k + 1 < d->k; k += 2, dst += 2 * NR) {
      dst[0] = src[k];
      dst[1] = src[k + 1];
    }
    if (k < d->k) dst[0] = src[k];
  }
}

/* dst[i] = src[i] + off for a run of n int8 (|result| <= 255). */
typedef void (*widen_fn)(int16_t *dst, const int8_t *src, int32_t n,
                         int32_t off);

static TML_AVX2 void widen_avx2(int16_t *dst, const int8_t *src, int32_t n,
                                int32_t off) {
  const __m256i o = _mm256_set1_epi16((int16_t)off);
  int32_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm256_storeu_si256(
        (__m256i *)(void *)(dst + i),
        _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(
                             (const __m128i *)(const void *)(src + i))),
                         o));
  for (; i < n; i++) dst[i] = (int16_t)(src[i] + off);
}

static TML_SSE41 void widen_sse41(int16_t *dst, const int8_t *src, int32_t n,
                                  int32_t off) {
  const __m128i o = _mm_set1_epi16((int16_t)off);
  int32_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(
        (__m128i *)(void *)(dst + i),
        _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64(
                          (const __m128i *)(const void *)(src + i))),
                      o));
  for (; i < n; i++) dst[i] = (int16_t)(src[i] + off);
}

/* im2col of positions m0 .. m0 + rows - 1 of one image into MR rows of
** 2 * k2 int16; rows beyond `rows` are zero. Each variant passes its own
** widening loop. */
static void im2col_s8(const tml_conv_params *p, const gemm_dims *d,
                      const int8_t *in, int16_t *a, int32_t m0, int32_t rows,
                      widen_fn widen_s8) {
  const int32_t c = p->in.c, fw = p->filter.w, row_len = 2 * d->k2;
  int32_t r;
  if (p->filter.h == 1 && fw == 1 && p->stride_h == 1 && p->stride_w == 1 &&
      p->pad_h == 0 && p->pad_w == 0 && p->out.h == p->in.h &&
      p->out.w == p->in.w && c % 2 == 0) {
    /* 1x1 over the image itself: the rows are one run of input. */
    widen_s8(a, in + (ptrdiff_t)m0 * c, rows * c, p->in_offset);
    memset(a + (ptrdiff_t)rows * c, 0, (size_t)(MR - rows) * row_len * 2);
    return;
  }
  for (r = 0; r < MR; r++) {
    int16_t *row = a + (ptrdiff_t)r * row_len;
    const int32_t m = m0 + r;
    int32_t oy, ox, iy0, ix0, fy0, fy1, fx0, fx1, fy, fx;
    if (r >= rows) {
      memset(row, 0, (size_t)row_len * 2);
      continue;
    }
    oy = m / p->out.w;
    ox = m % p->out.w;
    iy0 = oy * p->stride_h - p->pad_h;
    ix0 = ox * p->stride_w - p->pad_w;
    tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
    tml_conv_taps(ix0, p->dilation_w, p->in.w, fw, &fx0, &fx1);
    if (fy0 != 0 || fy1 != p->filter.h || fx0 != 0 || fx1 != fw)
      memset(row, 0, (size_t)row_len * 2);
    else if (d->k % 2)
      row[d->k] = 0;
    /* No column inside the image: no run either (and no pointer to one). */
    if (fx0 == fx1) fy1 = fy0;
    for (fy = fy0; fy < fy1; fy++) {
      const ptrdiff_t iy = iy0 + fy * p->dilation_h;
      int16_t *dst = row + (ptrdiff_t)(fy * fw) * c;
      if (p->dilation_w == 1) {
        widen_s8(dst + (ptrdiff_t)fx0 * c, in + (iy * p->in.w + ix0 + fx0) * c,
                 (fx1 - fx0) * c, p->in_offset);
      } else {
        for (fx = fx0; fx < fx1; fx++)
          widen_s8(
              dst + (ptrdiff_t)fx * c,
              in + (iy * p->in.w + ix0 + (ptrdiff_t)fx * p->dilation_w) * c, c,
              p->in_offset);
      }
    }
  }
}

static inline TML_AVX2 __m256i bcast_pair(const int16_t *a) {
  int32_t v;
  memcpy(&v, a, 4);
  return _mm256_set1_epi32(v);
}

/* The MR x NR tile (or MR x NR/2 when !wide) over all tap pairs. */
static inline __attribute__((always_inline)) TML_AVX2 void tile_s8(
    const int16_t *a, int32_t k2, const int16_t *b, int wide,
    __m256i acc[2 * MR]) {
  const int16_t *a0 = a, *a1 = a + 2 * k2, *a2 = a1 + 2 * k2, *a3 = a2 + 2 * k2;
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0,
          c5 = c0, c6 = c0, c7 = c0;
  int32_t k;
  for (k = 0; k < k2; k++, b += 2 * NR) {
    const __m256i b0 = _mm256_loadu_si256((const __m256i *)(const void *)b);
    __m256i x;
    if (wide) {
      const __m256i b1 =
          _mm256_loadu_si256((const __m256i *)(const void *)(b + NR));
      x = bcast_pair(a0 + 2 * k);
      c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(x, b0));
      c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(x, b1));
      x = bcast_pair(a1 + 2 * k);
      c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(x, b0));
      c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(x, b1));
      x = bcast_pair(a2 + 2 * k);
      c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(x, b0));
      c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(x, b1));
      x = bcast_pair(a3 + 2 * k);
      c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(x, b0));
      c7 = _mm256_add_epi32(c7, _mm256_madd_epi16(x, b1));
    } else {
      c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(bcast_pair(a0 + 2 * k), b0));
      c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(bcast_pair(a1 + 2 * k), b0));
      c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(bcast_pair(a2 + 2 * k), b0));
      c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(bcast_pair(a3 + 2 * k), b0));
    }
  }
  acc[0] = c0;
  acc[1] = c1;
  acc[2] = c2;
  acc[3] = c3;
  acc[4] = c4;
  acc[5] = c5;
  acc[6] = c6;
  acc[7] = c7;
}

/* Bias, requantization and clamp of one channel group, built once per
** panel and applied to every row of the tile. */
typedef struct out8 {
  tml_rq8 rq;
  __m256i bias;
} out8;

static inline TML_AVX2 void out8_init(out8 *o, const tml_conv_params *p,
                                      const int32_t *bias, int32_t c0,
                                      int32_t n) {
  o->rq = tml_rq8_make(tml_load8_i32(p->mult + c0, n),
                       tml_load8_i8(p->shift + c0, n));
  o->bias = bias ? tml_load8_i32(bias + c0, n) : _mm256_setzero_si256();
}

TML_AVX2 void tml_conv2d_s8_avx2(const tml_conv_params *p, const int8_t *in,
                                 const int8_t *filter, const int32_t *bias,
                                 int8_t *out, void *scratch) {
  const int32_t n_out = p->out.c, m_n = p->out.h * p->out.w;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const __m256i offset = _mm256_set1_epi32(p->out_offset);
  const __m256i lo = _mm256_set1_epi32(p->act_min);
  const __m256i hi = _mm256_set1_epi32(p->act_max);
  gemm_dims d;
  int16_t *bp = (int16_t *)scratch, *a;
  int32_t b, m0, q, r;
  if (p->filter.c != p->in.c) {
    tml_conv2d_s8_portable(p, in, filter, bias, out, scratch);
    return;
  }
  gemm_dims_init(p, &d);
  a = bp + (ptrdiff_t)d.panels * NR * d.k2 * 2;
  pack_b(p, &d, filter, bp);
  for (b = 0; b < p->out.n; b++, in += image, out += (ptrdiff_t)m_n * n_out) {
    for (m0 = 0; m0 < m_n; m0 += MR) {
      const int32_t rows = TML_MIN(MR, m_n - m0);
      im2col_s8(p, &d, in, a, m0, rows, widen_avx2);
      for (q = 0; q < d.panels; q++) {
        const int32_t c0 = q * NR, nv = TML_MIN(NR, n_out - c0);
        const int16_t *panel = bp + (ptrdiff_t)q * d.k2 * NR * 2;
        __m256i acc[2 * MR];
        out8 o0, o1;
        out8_init(&o0, p, bias, c0, nv);
        if (nv > NR / 2) {
          out8_init(&o1, p, bias, c0 + NR / 2, nv - NR / 2);
          tile_s8(a, d.k2, panel, 1, acc);
        } else {
          o1 = o0;
          tile_s8(a, d.k2, panel, 0, acc);
        }
        for (r = 0; r < rows; r++) {
          const __m256i v0 = tml_rq8_out(
              &o0.rq, _mm256_add_epi32(acc[2 * r], o0.bias), offset, lo, hi);
          const __m256i v1 =
              nv > NR / 2
                  ? tml_rq8_out(&o1.rq,
                                _mm256_add_epi32(acc[2 * r + 1], o1.bias),
                                offset, lo, hi)
                  : v0;
          tml_store16_s8(out + (ptrdiff_t)(m0 + r) * n_out + c0, v0, v1, nv);
        }
      }
    }
  }
}

/* ------------------------------------------------------ int8 depthwise */

/* 8 output channels: acc += (x + in_offset) * f, the product exact in int16
** (|x + in_offset| <= 255, |f| <= 128). */
static inline TML_AVX2 __m256i dw_tap8(__m256i acc, const int8_t *x,
                                       const int8_t *f, __m128i off) {
  const __m128i xv = _mm_add_epi16(
      _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)x)),
      off);
  const __m128i fv =
      _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)f));
  return _mm256_add_epi32(acc, _mm256_cvtepi16_epi32(_mm_mullo_epi16(xv, fv)));
}

TML_AVX2 void tml_depthwise_conv2d_s8_avx2(const tml_conv_params *p,
                                           const int8_t *in,
                                           const int8_t *filter,
                                           const int32_t *bias, int8_t *out,
                                           void *scratch) {
  const int32_t ch = p->out.c;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * ch;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * ch;
  const ptrdiff_t f_row = (ptrdiff_t)p->filter.w * ch;
  const __m128i off = _mm_set1_epi16((int16_t)p->in_offset);
  const __m256i offset = _mm256_set1_epi32(p->out_offset);
  const __m256i lo = _mm256_set1_epi32(p->act_min);
  const __m256i hi = _mm256_set1_epi32(p->act_max);
  int32_t b, oy, ox, c0, fy, fx, nv;
  /* A depth multiplier above 1 is rare; the portable kernel covers it. */
  if (p->depth_multiplier != 1) {
    tml_depthwise_conv2d_s8_portable(p, in, filter, bias, out, scratch);
    return;
  }
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += ch) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fy0, fy1, fx0, fx1;
        ptrdiff_t first;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
        tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &fx0, &fx1);
        first = ((ptrdiff_t)(iy0 + fy0 * p->dilation_h) * p->in.w + ix0 +
                 (ptrdiff_t)fx0 * p->dilation_w) *
                ch;
        for (c0 = 0; c0 + 8 <= ch; c0 += nv) {
          nv = ch - c0 >= 16 ? 16 : 8;
          __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;
          ptrdiff_t io = first + c0;
          out8 o0, o1;
          for (fy = fy0; fy < fy1; fy++, io += in_row) {
            const int8_t *x = in + io, *f = filter + fy * f_row + c0;
            for (fx = fx0; fx < fx1; fx++) {
              acc0 = dw_tap8(acc0, x + (fx - fx0) * tap, f + fx * ch, off);
              if (nv == 16)
                acc1 = dw_tap8(acc1, x + (fx - fx0) * tap + 8, f + fx * ch + 8,
                               off);
            }
          }
          out8_init(&o0, p, bias, c0, 8);
          acc0 = tml_rq8_out(&o0.rq, _mm256_add_epi32(acc0, o0.bias), offset,
                             lo, hi);
          if (nv == 16) {
            out8_init(&o1, p, bias, c0 + 8, 8);
            acc1 = tml_rq8_out(&o1.rq, _mm256_add_epi32(acc1, o1.bias), offset,
                               lo, hi);
          }
          tml_store16_s8(out + c0, acc0, acc1, nv);
        }
        /* Fewer than 8 channels left: one at a time. */
        for (; c0 < ch; c0++) {
          uint32_t acc = 0;
          ptrdiff_t io = first + c0;
          for (fy = fy0; fy < fy1; fy++, io += in_row)
            for (fx = fx0; fx < fx1; fx++)
              acc += (uint32_t)((int32_t)filter[fy * f_row + fx * ch + c0] *
                                ((int32_t)in[io + (fx - fx0) * tap] +
                                 p->in_offset));
          if (bias) acc += (uint32_t)bias[c0];
          out[c0] = tml_conv_out_s8(acc, p->mult[c0], p->shift[c0],
                                    p->out_offset, p->act_min, p->act_max);
        }
      }
    }
  }
}

/* ----------------------------------------------------------- SSE4.1 */

/* The same GEMM and packing on 128-bit vectors: a panel is done in two
** halves of 8 channels (4 x 8 tiles keep the accumulators in registers).
** SSE4.1 has no per-lane shifts, so requantization is tml_conv_out_s8 per
** output. */

size_t tml_conv2d_s8_sse41_scratch_size(const tml_conv_params *p) {
  return tml_conv2d_s8_avx2_scratch_size(p);
}

static inline TML_SSE41 __m128i bcast_pair_sse(const int16_t *a) {
  int32_t v;
  memcpy(&v, a, 4);
  return _mm_set1_epi32(v);
}

/* acc[r][j] for MR rows and the 8 channels of half `h` of a panel. */
static TML_SSE41 void tile_s8_sse41(const int16_t *a, int32_t k2,
                                    const int16_t *b, int32_t acc[MR][8]) {
  const int16_t *a0 = a, *a1 = a + 2 * k2, *a2 = a1 + 2 * k2, *a3 = a2 + 2 * k2;
  __m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
          c6 = c0, c7 = c0;
  int32_t k;
  for (k = 0; k < k2; k++, b += 2 * NR) {
    const __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)b);
    const __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(b + 8));
    __m128i x = bcast_pair_sse(a0 + 2 * k);
    c0 = _mm_add_epi32(c0, _mm_madd_epi16(x, b0));
    c1 = _mm_add_epi32(c1, _mm_madd_epi16(x, b1));
    x = bcast_pair_sse(a1 + 2 * k);
    c2 = _mm_add_epi32(c2, _mm_madd_epi16(x, b0));
    c3 = _mm_add_epi32(c3, _mm_madd_epi16(x, b1));
    x = bcast_pair_sse(a2 + 2 * k);
    c4 = _mm_add_epi32(c4, _mm_madd_epi16(x, b0));
    c5 = _mm_add_epi32(c5, _mm_madd_epi16(x, b1));
    x = bcast_pair_sse(a3 + 2 * k);
    c6 = _mm_add_epi32(c6, _mm_madd_epi16(x, b0));
    c7 = _mm_add_epi32(c7, _mm_madd_epi16(x, b1));
  }
  _mm_storeu_si128((__m128i *)(void *)acc[0], c0);
  _mm_storeu_si128((__m128i *)(void *)(acc[0] + 4), c1);
  _mm_storeu_si128((__m128i *)(void *)acc[1], c2);
  _mm_storeu_si128((__m128i *)(void *)(acc[1] + 4), c3);
  _mm_storeu_si128((__m128i *)(void *)acc[2], c4);
  _mm_storeu_si128((__m128i *)(void *)(acc[2] + 4), c5);
  _mm_storeu_si128((__m128i *)(void *)acc[3], c6);
  _mm_storeu_si128((__m128i *)(void *)(acc[3] + 4), c7);
}

TML_SSE41 void tml_conv2d_s8_sse41(const tml_conv_params *p, const int8_t *in,
                                   const int8_t *filter, const int32_t *bias,
                                   int8_t *out, void *scratch) {
  const int32_t n_out = p->out.c, m_n = p->out.h * p->out.w;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  gemm_dims d;
  int16_t *bp = (int16_t *)scratch, *a;
  int32_t b, m0, c0, r, j;
  if (p->filter.c != p->in.c) {
    tml_conv2d_s8_portable(p, in, filter, bias, out, scratch);
    return;
  }
  gemm_dims_init(p, &d);
  a = bp + (ptrdiff_t)d.panels * NR * d.k2 * 2;
  pack_b(p, &d, filter, bp);
  for (b = 0; b < p->out.n; b++, in += image, out += (ptrdiff_t)m_n * n_out) {
    for (m0 = 0; m0 < m_n; m0 += MR) {
      const int32_t rows = TML_MIN(MR, m_n - m0);
      im2col_s8(p, &d, in, a, m0, rows, widen_sse41);
      for (c0 = 0; c0 < n_out; c0 += 8) {
        const int32_t nv = TML_MIN(8, n_out - c0);
        int32_t acc[MR][8];
        /* Channel c0 is in panel c0 / NR, half (c0 % NR) / 8 of it. */
        tile_s8_sse41(a, d.k2,
                      bp + ((ptrdiff_t)(c0 / NR) * d.k2 * NR + c0 % NR) * 2,
                      acc);
        for (r = 0; r < rows; r++) {
          int8_t *o = out + (ptrdiff_t)(m0 + r) * n_out + c0;
          for (j = 0; j < nv; j++) {
            const int32_t oc = c0 + j;
            const uint32_t v =
                (uint32_t)acc[r][j] + (bias ? (uint32_t)bias[oc] : 0u);
            o[j] = tml_conv_out_s8(v, p->mult[oc], p->shift[oc], p->out_offset,
                                   p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

/* 8 channels: acc[0..3], acc[4..7] += (x + in_offset) * f. */
static inline TML_SSE41 void dw_tap8_sse41(__m128i *lo, __m128i *hi,
                                           const int8_t *x, const int8_t *f,
                                           __m128i off) {
  const __m128i xv = _mm_add_epi16(
      _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)x)),
      off);
  const __m128i fv =
      _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)f));
  const __m128i prod = _mm_mullo_epi16(xv, fv);
  *lo = _mm_add_epi32(*lo, _mm_cvtepi16_epi32(prod));
  *hi = _mm_add_epi32(*hi, _mm_cvtepi16_epi32(_mm_srli_si128(prod, 8)));
}

TML_SSE41 void tml_depthwise_conv2d_s8_sse41(const tml_conv_params *p,
                                             const int8_t *in,
                                             const int8_t *filter,
                                             const int32_t *bias, int8_t *out,
                                             void *scratch) {
  const int32_t ch = p->out.c;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * ch;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * ch;
  const ptrdiff_t f_row = (ptrdiff_t)p->filter.w * ch;
  const __m128i off = _mm_set1_epi16((int16_t)p->in_offset);
  int32_t b, oy, ox, c0, fy, fx, j;
  if (p->depth_multiplier != 1) {
    tml_depthwise_conv2d_s8_portable(p, in, filter, bias, out, scratch);
    return;
  }
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += ch) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fy0, fy1, fx0, fx1;
        ptrdiff_t first;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
        tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &fx0, &fx1);
        first = ((ptrdiff_t)(iy0 + fy0 * p->dilation_h) * p->in.w + ix0 +
                 (ptrdiff_t)fx0 * p->dilation_w) *
                ch;
        for (c0 = 0; c0 < ch; c0 += 8) {
          const int32_t nv = TML_MIN(8, ch - c0);
          uint32_t acc[8];
          ptrdiff_t io = first + c0;
          if (nv == 8) {
            __m128i lo = _mm_setzero_si128(), hi = lo;
            for (fy = fy0; fy < fy1; fy++, io += in_row)
              for (fx = fx0; fx < fx1; fx++)
                dw_tap8_sse41(&lo, &hi, in + io + (fx - fx0) * tap,
                              filter + fy * f_row + fx * ch + c0, off);
            _mm_storeu_si128((__m128i *)(void *)acc, lo);
            _mm_storeu_si128((__m128i *)(void *)(acc + 4), hi);
          } else {
            for (j = 0; j < nv; j++) acc[j] = 0;
            for (fy = fy0; fy < fy1; fy++, io += in_row)
              for (fx = fx0; fx < fx1; fx++)
                for (j = 0; j < nv; j++)
                  acc[j] +=
                      (uint32_t)((int32_t)
                                     filter[fy * f_row + fx * ch + c0 + j] *
                                 ((int32_t)in[io + (fx - fx0) * tap + j] +
                                  p->in_offset));
          }
          for (j = 0; j < nv; j++) {
            const int32_t oc = c0 + j;
            out[oc] = tml_conv_out_s8(acc[j] + (bias ? (uint32_t)bias[oc] : 0u),
                                      p->mult[oc], p->shift[oc], p->out_offset,
                                      p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

/* ---------------------------------------------------------------- float */

/* TFLite's clamp: max first (a NaN stays NaN: the vector max returns its
** second operand when one is NaN), then min. */
static inline TML_AVX2 __m256 clamp_f32(__m256 v, __m256 lo, __m256 hi) {
  return _mm256_min_ps(hi, _mm256_max_ps(lo, v));
}

static inline TML_AVX2 void store8_f32(float *dst, __m256 v, int32_t n) {
  if (n >= 8) {
    _mm256_storeu_ps(dst, v);
  } else {
    float tmp[8];
    _mm256_storeu_ps(tmp, v);
    memcpy(dst, tmp, (size_t)n * sizeof *dst);
  }
}

static inline TML_AVX2 __m256 load8_f32(const float *a, int32_t n) {
  if (n >= 8) return _mm256_loadu_ps(a);
  return _mm256_maskload_ps(
      a, _mm256_cmpgt_epi32(_mm256_set1_epi32(n),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}

size_t tml_conv2d_f32_avx2_scratch_size(const tml_conv_params *p) {
  const int32_t k = p->filter.h * p->filter.w * p->filter.c;
  const int32_t panels = (p->out.c + NRF - 1) / NRF;
  if (p->filter.c != p->in.c) return 0;
  return (size_t)panels * NRF * (size_t)k * sizeof(float);
}

/* Per output position, each in-image tap k adds in[tap] times the NRF
** weights of the panel (transposed into scratch), in the portable order. */
TML_AVX2 void tml_conv2d_f32_avx2(const tml_conv_params *p, const float *in,
                                  const float *filter, const float *bias,
                                  float *out, void *scratch) {
  const int32_t n_out = p->out.c, c = p->in.c, fw = p->filter.w;
  const int32_t k_n = p->filter.h * fw * c;
  const int32_t panels = (n_out + NRF - 1) / NRF;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * c;
  const __m256 lo = _mm256_set1_ps(p->fact_min),
               hi = _mm256_set1_ps(p->fact_max);
  float *wt = (float *)scratch;
  int32_t b, oy, ox, q, n, k, fy, fx, i, v;
  if (p->filter.c != p->in.c) {
    tml_conv2d_f32_portable(p, in, filter, bias, out, scratch);
    return;
  }
  memset(wt, 0, tml_conv2d_f32_avx2_scratch_size(p));
  for (n = 0; n < n_out; n++)
    for (k = 0; k < k_n; k++)
      wt[((ptrdiff_t)(n / NRF) * k_n + k) * NRF + n % NRF] =
          filter[(ptrdiff_t)n * k_n + k];
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += n_out) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fy0, fy1, fx0, fx1;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
        tml_conv_taps(ix0, p->dilation_w, p->in.w, fw, &fx0, &fx1);
        for (q = 0; q < panels; q++) {
          const float *wq = wt + (ptrdiff_t)q * k_n * NRF;
          __m256 acc[4];
          for (v = 0; v < 4; v++) acc[v] = _mm256_setzero_ps();
          for (fy = fy0; fy < fy1; fy++) {
            const ptrdiff_t iy = iy0 + fy * p->dilation_h;
            for (fx = fx0; fx < fx1; fx++) {
              const float *x =
                  in + (iy * p->in.w + ix0 + (ptrdiff_t)fx * p->dilation_w) * c;
              const float *w = wq + (ptrdiff_t)((fy * fw + fx) * c) * NRF;
              for (i = 0; i < c; i++, w += NRF) {
                const __m256 xv = _mm256_broadcast_ss(x + i);
                acc[0] = _mm256_add_ps(acc[0],
                                       _mm256_mul_ps(xv, _mm256_loadu_ps(w)));
                acc[1] = _mm256_add_ps(
                    acc[1], _mm256_mul_ps(xv, _mm256_loadu_ps(w + 8)));
                acc[2] = _mm256_add_ps(
                    acc[2], _mm256_mul_ps(xv, _mm256_loadu_ps(w + 16)));
                acc[3] = _mm256_add_ps(
                    acc[3], _mm256_mul_ps(xv, _mm256_loadu_ps(w + 24)));
              }
            }
          }
          /* TFLite adds a 0.0f bias when there is none (-0 becomes +0). */
          for (v = 0; v < 4 && q * NRF + v * 8 < n_out; v++) {
            const int32_t c0 = q * NRF + v * 8, nv = n_out - c0;
            const __m256 bv =
                bias ? load8_f32(bias + c0, nv) : _mm256_setzero_ps();
            store8_f32(out + c0, clamp_f32(_mm256_add_ps(acc[v], bv), lo, hi),
                       nv);
          }
        }
      }
    }
  }
}

TML_AVX2 void tml_depthwise_conv2d_f32_avx2(const tml_conv_params *p,
                                            const float *in,
                                            const float *filter,
                                            const float *bias, float *out,
                                            void *scratch) {
  const int32_t ch = p->out.c;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t tap = (ptrdiff_t)p->dilation_w * ch;
  const ptrdiff_t in_row = (ptrdiff_t)p->dilation_h * p->in.w * ch;
  const ptrdiff_t f_row = (ptrdiff_t)p->filter.w * ch;
  const __m256 lo = _mm256_set1_ps(p->fact_min),
               hi = _mm256_set1_ps(p->fact_max);
  int32_t b, oy, ox, c0, fy, fx;
  if (p->depth_multiplier != 1) {
    tml_depthwise_conv2d_f32_portable(p, in, filter, bias, out, scratch);
    return;
  }
  for (b = 0; b < p->out.n; b++, in += image) {
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += ch) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int32_t fy0, fy1, fx0, fx1;
        ptrdiff_t first;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
        tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &fx0, &fx1);
        first = ((ptrdiff_t)(iy0 + fy0 * p->dilation_h) * p->in.w + ix0 +
                 (ptrdiff_t)fx0 * p->dilation_w) *
                ch;
        for (c0 = 0; c0 + 8 <= ch; c0 += 8) {
          __m256 acc = _mm256_setzero_ps();
          ptrdiff_t io = first + c0;
          for (fy = fy0; fy < fy1; fy++, io += in_row)
            for (fx = fx0; fx < fx1; fx++)
              acc = _mm256_add_ps(
                  acc,
                  _mm256_mul_ps(
                      _mm256_loadu_ps(in + io + (fx - fx0) * tap),
                      _mm256_loadu_ps(filter + fy * f_row + fx * ch + c0)));
          acc = _mm256_add_ps(
              acc, bias ? _mm256_loadu_ps(bias + c0) : _mm256_setzero_ps());
          _mm256_storeu_ps(out + c0, clamp_f32(acc, lo, hi));
        }
        for (; c0 < ch; c0++) {
          float acc = 0.0f;
          ptrdiff_t io = first + c0;
          for (fy = fy0; fy < fy1; fy++, io += in_row)
            for (fx = fx0; fx < fx1; fx++)
              acc +=
                  in[io + (fx - fx0) * tap] * filter[fy * f_row + fx * ch + c0];
          out[c0] = tml_conv_out_f32(acc + (bias ? bias[c0] : 0.0f),
                                     p->fact_min, p->fact_max);
        }
      }
    }
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_conv_x86_unused;
#endif
