/*
** tml_x86.h — pieces shared by the x86-64 kernel variants: the target
** attributes that let one file hold AVX2 and SSE4.1 code while the library
** builds for any x86-64, and TFLite's requantization on eight int32 lanes,
** giving tml_mul_by_qm's bits exactly. Include only where TML_KERNELS_X86
** is defined.
*/
#ifndef TML_X86_H
#define TML_X86_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define TML_AVX2 __attribute__((target("avx2")))
#define TML_SSE41 __attribute__((target("sse4.1")))

/* Per-lane multiplier and shifts, loaded once for a group of 8 channels and
** reused for every output position of the group. */
typedef struct tml_rq8 {
  __m256i mult, mult_hi; /* mult, and mult moved to the even halves */
  __m256i left, right;   /* tml_mul_by_qm's shift split in two */
} tml_rq8;

static inline TML_AVX2 tml_rq8 tml_rq8_make(__m256i mult, __m256i shift) {
  tml_rq8 r;
  const __m256i zero = _mm256_setzero_si256();
  r.mult = mult;
  r.mult_hi = _mm256_srli_epi64(mult, 32);
  r.left = _mm256_max_epi32(shift, zero);
  r.right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  return r;
}

/* Lanes n < 8 of the per-channel arrays; the rest read as 0 (masked loads
** touch no memory beyond n). */
static inline TML_AVX2 __m256i tml_load8_i32(const int32_t *a, int32_t n) {
  if (n >= 8) return _mm256_loadu_si256((const __m256i *)(const void *)a);
  return _mm256_maskload_epi32(
      (const int *)a,
      _mm256_cmpgt_epi32(_mm256_set1_epi32(n),
                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}

/* Lanes n < 8 of a per-channel int8 array (the shifts), sign-extended. */
static inline TML_AVX2 __m256i tml_load8_i8(const int8_t *a, int32_t n) {
  int8_t lanes[16] = {0};
  memcpy(lanes, a, (size_t)(n < 8 ? n : 8));
  return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)lanes));
}

/* tml_mul_by_qm on 8 lanes. The doubling high multiply
** (ab + nudge) / 2^31, truncated, equals floor((ab + 2^30) / 2^31) for both
** signs of ab, and its low 32 bits are bits 31..62 of the 64-bit sum, so a
** logical shift suffices. The one saturating case of tml_srdhm needs
** mult == INT32_MIN, which tml_quantize_multiplier never gives. */
static inline TML_AVX2 __m256i tml_rq8_apply(const tml_rq8 *r, __m256i x) {
  const __m256i nudge = _mm256_set1_epi64x((int64_t)1 << 30);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i zero = _mm256_setzero_si256();
  __m256i even, odd, mask, rem, thr;
  x = _mm256_sllv_epi32(x, r->left);
  even = _mm256_add_epi64(_mm256_mul_epi32(x, r->mult), nudge);
  odd = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), r->mult_hi),
                         nudge);
  x = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1),
                         0xAA);
  /* tml_rdbpot: round half away from zero. */
  mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, r->right), one);
  rem = _mm256_and_si256(x, mask);
  thr =
      _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_cmpgt_epi32(zero, x));
  return _mm256_sub_epi32(_mm256_srav_epi32(x, r->right),
                          _mm256_cmpgt_epi32(rem, thr));
}

/* Requantized lanes plus the output offset, clamped (wrapping add, max then
** min: tml_conv_out_s8's order). */
static inline TML_AVX2 __m256i tml_rq8_out(const tml_rq8 *r, __m256i acc,
                                           __m256i out_offset, __m256i lo,
                                           __m256i hi) {
  const __m256i v = _mm256_add_epi32(tml_rq8_apply(r, acc), out_offset);
  return _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
}

/* Store the low n (<= 16) of 16 clamped int32 lanes (a: 0..7, b: 8..15) as
** int8; the clamp already put them in range, so the saturating packs keep
** the values. */
static inline TML_AVX2 void tml_store16_s8(int8_t *dst, __m256i a, __m256i b,
                                           int32_t n) {
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
  const __m128i v = _mm_packs_epi16(_mm256_castsi256_si128(w),
                                    _mm256_extracti128_si256(w, 1));
  if (n >= 16) {
    _mm_storeu_si128((__m128i *)(void *)dst, v);
  } else {
    int8_t tmp[16];
    _mm_storeu_si128((__m128i *)(void *)tmp, v);
    memcpy(dst, tmp, (size_t)n);
  }
}

#endif
