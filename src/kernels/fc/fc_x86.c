/*
** FULLY_CONNECTED for x86-64 hosts with AVX2 (int8 and float) or SSE4.1
** (int8), byte-identical to the portable kernels (fully_connected.c).
**
** int8: eight weight rows at a time, 16 inputs per step: the input plus
** in_offset and the weights widen to int16 and vpmaddwd sums products
** pairwise into int32 (no saturation: |w| <= 128, |x + in_offset| <= 255).
** The weight offset comes out of the sum as w_offset * sum(x + in_offset).
** Everything is int32 arithmetic modulo 2^32, as the portable uint32 sums
** are, so any grouping gives the same bits.
**
** float: lanes are eight output rows; 8 x 8 blocks of weights are
** transposed in registers so each lane adds its products in the portable
** order, with separate multiply and add.
*/
#include "tml_variants.h"

#if TML_KERNELS_X86

#include <stddef.h>

#include "tml_qmath.h"
#include "tml_x86.h"

/* One output from its sum (the weight offset's share included): bias,
** requantization and clamp as in the portable kernel. */
static int8_t fc_out_s8(const tml_fc_params *p, uint32_t acc,
                        const int32_t *bias, int32_t o) {
  const int32_t k = p->n_mult != 1 ? o : 0;
  int32_t v;
  if (bias) acc += (uint32_t)bias[o];
  v = (int32_t)((uint32_t)tml_mul_by_qm((int32_t)acc, p->mult[k], p->shift[k]) +
                (uint32_t)p->out_offset);
  return (int8_t)TML_CLAMP(v, p->act_min, p->act_max);
}

/* Sum of the int32 lanes of a[0..7] into one vector: lane j = row j. */
static inline TML_AVX2 __m256i hsum8(const __m256i a[8]) {
  const __m256i s01 = _mm256_hadd_epi32(a[0], a[1]);
  const __m256i s23 = _mm256_hadd_epi32(a[2], a[3]);
  const __m256i s45 = _mm256_hadd_epi32(a[4], a[5]);
  const __m256i s67 = _mm256_hadd_epi32(a[6], a[7]);
  const __m256i s0123 = _mm256_hadd_epi32(s01, s23);
  const __m256i s4567 = _mm256_hadd_epi32(s45, s67);
  return _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                          _mm256_permute2x128_si256(s0123, s4567, 0x31));
}

static inline TML_AVX2 __m256i widen16(const int8_t *src) {
  return _mm256_cvtepi8_epi16(
      _mm_loadu_si128((const __m128i *)(const void *)src));
}

TML_AVX2 void tml_fully_connected_s8_avx2(const tml_fc_params *p,
                                          const int8_t *in, const int8_t *w,
                                          const int32_t *bias, int8_t *out) {
  const int32_t depth = p->in_depth, n_out = p->out_depth;
  const int32_t in_offset = p->in_offset, vec_end = depth / 16 * 16;
  const __m256i off = _mm256_set1_epi16((int16_t)in_offset);
  const __m256i offset = _mm256_set1_epi32(p->out_offset);
  const __m256i lo = _mm256_set1_epi32(p->act_min);
  const __m256i hi = _mm256_set1_epi32(p->act_max);
  const int per_channel = p->n_mult != 1;
  tml_rq8 rq;
  int32_t b, o, i, r;
  if (!per_channel)
    rq = tml_rq8_make(_mm256_set1_epi32(p->mult[0]),
                      _mm256_set1_epi32(p->shift[0]));
  for (b = 0; b < p->batches; b++, in += depth, out += n_out) {
    /* The weight offset's share of every row's sum. */
    uint32_t x_sum = 0, w_term;
    for (i = 0; i < depth; i++) x_sum += (uint32_t)((int32_t)in[i] + in_offset);
    w_term = x_sum * (uint32_t)p->w_offset;
    for (o = 0; o + 8 <= n_out; o += 8) {
      const int8_t *row = w + (ptrdiff_t)o * depth;
      __m256i acc[8], v;
      int32_t tail[8];
      for (r = 0; r < 8; r++) acc[r] = _mm256_setzero_si256();
      for (i = 0; i < vec_end; i += 16) {
        const __m256i x = _mm256_add_epi16(widen16(in + i), off);
        for (r = 0; r < 8; r++)
          acc[r] = _mm256_add_epi32(
              acc[r], _mm256_madd_epi16(x, widen16(row + r * depth + i)));
      }
      for (r = 0; r < 8; r++) {
        uint32_t t = w_term;
        for (i = vec_end; i < depth; i++)
          t += (uint32_t)((int32_t)row[r * depth + i] *
                          ((int32_t)in[i] + in_offset));
        if (bias) t += (uint32_t)bias[o + r];
        tail[r] = (int32_t)t;
      }
      v = _mm256_add_epi32(hsum8(acc),
                           _mm256_loadu_si256((const __m256i *)(void *)tail));
      if (per_channel)
        rq = tml_rq8_make(tml_load8_i32(p->mult + o, 8),
                          tml_load8_i8(p->shift + o, 8));
      v = tml_rq8_out(&rq, v, offset, lo, hi);
      tml_store16_s8(out + o, v, v, 8);
    }
    /* The last rows (fewer than 8), one at a time. */
    for (; o < n_out; o++) {
      const int8_t *row = w + (ptrdiff_t)o * depth;
      uint32_t acc = w_term;
      for (i = 0; i < depth; i++)
        acc += (uint32_t)((int32_t)row[i] * ((int32_t)in[i] + in_offset));
      out[o] = fc_out_s8(p, acc, bias, o);
    }
  }
}

static inline TML_SSE41 __m128i widen8(const int8_t *src) {
  return _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(const void *)src));
}

/* Four rows at a time, 8 inputs per step; requantization per output. */
TML_SSE41 void tml_fully_connected_s8_sse41(const tml_fc_params *p,
                                            const int8_t *in, const int8_t *w,
                                            const int32_t *bias, int8_t *out) {
  const int32_t depth = p->in_depth, n_out = p->out_depth;
  const int32_t in_offset = p->in_offset, vec_end = depth / 8 * 8;
  const __m128i off = _mm_set1_epi16((int16_t)in_offset);
  int32_t b, o, i, r;
  for (b = 0; b < p->batches; b++, in += depth, out += n_out) {
    uint32_t x_sum = 0, w_term;
    for (i = 0; i < depth; i++) x_sum += (uint32_t)((int32_t)in[i] + in_offset);
    w_term = x_sum * (uint32_t)p->w_offset;
    for (o = 0; o + 4 <= n_out; o += 4) {
      const int8_t *row = w + (ptrdiff_t)o * depth;
      __m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, c3 = c0;
      uint32_t acc[4];
      for (i = 0; i < vec_end; i += 8) {
        const __m128i x = _mm_add_epi16(widen8(in + i), off);
        c0 = _mm_add_epi32(c0, _mm_madd_epi16(x, widen8(row + i)));
        c1 = _mm_add_epi32(c1, _mm_madd_epi16(x, widen8(row + depth + i)));
        c2 = _mm_add_epi32(c2, _mm_madd_epi16(x, widen8(row + 2 * depth + i)));
        c3 = _mm_add_epi32(c3, _mm_madd_epi16(x, widen8(row + 3 * depth + i)));
      }
      _mm_storeu_si128(
          (__m128i *)(void *)acc,
          _mm_hadd_epi32(_mm_hadd_epi32(c0, c1), _mm_hadd_epi32(c2, c3)));
      for (r = 0; r < 4; r++) {
        uint32_t t = acc[r] + w_term;
        for (i = vec_end; i < depth; i++)
          t += (uint32_t)((int32_t)row[r * depth + i] *
                          ((int32_t)in[i] + in_offset));
        out[o + r] = fc_out_s8(p, t, bias, o + r);
      }
    }
    for (; o < n_out; o++) {
      const int8_t *row = w + (ptrdiff_t)o * depth;
      uint32_t t = w_term;
      for (i = 0; i < depth; i++)
        t += (uint32_t)((int32_t)row[i] * ((int32_t)in[i] + in_offset));
      out[o] = fc_out_s8(p, t, bias, o);
    }
  }
}

/* Rows r[0..7] (8 floats each) -> t[k] = column k (lane j from row j). */
static inline TML_AVX2 void transpose8(const __m256 r[8], __m256 t[8]) {
  const __m256 a0 = _mm256_unpacklo_ps(r[0], r[1]);
  const __m256 a1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 a2 = _mm256_unpacklo_ps(r[2], r[3]);
  const __m256 a3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 a4 = _mm256_unpacklo_ps(r[4], r[5]);
  const __m256 a5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 a6 = _mm256_unpacklo_ps(r[6], r[7]);
  const __m256 a7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 b0 = _mm256_shuffle_ps(a0, a2, 0x44);
  const __m256 b1 = _mm256_shuffle_ps(a0, a2, 0xEE);
  const __m256 b2 = _mm256_shuffle_ps(a1, a3, 0x44);
  const __m256 b3 = _mm256_shuffle_ps(a1, a3, 0xEE);
  const __m256 b4 = _mm256_shuffle_ps(a4, a6, 0x44);
  const __m256 b5 = _mm256_shuffle_ps(a4, a6, 0xEE);
  const __m256 b6 = _mm256_shuffle_ps(a5, a7, 0x44);
  const __m256 b7 = _mm256_shuffle_ps(a5, a7, 0xEE);
  t[0] = _mm256_permute2f128_ps(b0, b4, 0x20);
  t[1] = _mm256_permute2f128_ps(b1, b5, 0x20);
  t[2] = _mm256_permute2f128_ps(b2, b6, 0x20);
  t[3] = _mm256_permute2f128_ps(b3, b7, 0x20);
  t[4] = _mm256_permute2f128_ps(b0, b4, 0x31);
  t[5] = _mm256_permute2f128_ps(b1, b5, 0x31);
  t[6] = _mm256_permute2f128_ps(b2, b6, 0x31);
  t[7] = _mm256_permute2f128_ps(b3, b7, 0x31);
}

TML_AVX2 void tml_fully_connected_f32_avx2(const tml_fc_params *p,
                                           const float *in, const float *w,
                                           const float *bias, float *out) {
  const int32_t depth = p->in_depth, n_out = p->out_depth;
  const __m256 lo = _mm256_set1_ps(p->fact_min),
               hi = _mm256_set1_ps(p->fact_max);
  int32_t b, o, i, k;
  for (b = 0; b < p->batches; b++, in += depth, out += n_out) {
    for (o = 0; o + 8 <= n_out; o += 8) {
      const float *row = w + (ptrdiff_t)o * depth;
      __m256 acc = _mm256_setzero_ps(), r[8], t[8];
      for (i = 0; i + 8 <= depth; i += 8) {
        for (k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(row + k * depth + i);
        transpose8(r, t);
        for (k = 0; k < 8; k++)
          acc = _mm256_add_ps(acc,
                              _mm256_mul_ps(_mm256_set1_ps(in[i + k]), t[k]));
      }
      for (; i < depth; i++) {
        const __m256 col = _mm256_setr_ps(
            row[i], row[depth + i], row[2 * depth + i], row[3 * depth + i],
            row[4 * depth + i], row[5 * depth + i], row[6 * depth + i],
            row[7 * depth + i]);
        acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(in[i]), col));
      }
      /* TFLite adds a 0.0f bias when there is none (-0 becomes +0), then
      ** takes max before min (the vector max keeps a NaN second operand). */
      acc = _mm256_add_ps(
          acc, bias ? _mm256_loadu_ps(bias + o) : _mm256_setzero_ps());
      _mm256_storeu_ps(out + o, _mm256_min_ps(hi, _mm256_max_ps(lo, acc)));
    }
    for (; o < n_out; o++) {
      const float *row = w + (ptrdiff_t)o * depth;
      float total = 0.0f;
      for (i = 0; i < depth; i++) total += in[i] * row[i];
      total += bias ? bias[o] : 0.0f;
      total = total < p->fact_min ? p->fact_min : total;
      out[o] = p->fact_max < total ? p->fact_max : total;
    }
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_fc_x86_unused;
#endif
