/*
** MEAN (TFLite Micro's reduce_common.cc with reference reduce.h).
**
** int8/int16 always take QuantizedMeanOrSum, whatever the shapes, keep_dims
** or scales: the sum of the raw values in int32 (wrapping, as TFLite's
** AddTensorValuesWithExpectedOverflow), minus in_zp * count, rescaled by one
** MultiplyByQuantizedMultiplier whose multiplier already holds 1/count, plus
** out_zp, clamped to the type. Older TFLite Micro releases had two other
** integer paths (reference_integer_ops::Mean for 4-D H,W with keep_dims, and
** a truncating division when the scales matched); both were removed when the
** kernel was aligned with TFLite, before the reference we match.
**
** float: each output is the sum of its inputs in input order, divided by
** the count as a float; TFLite's 4-D H,W special case sums in the same order.
*/
#include <math.h>
#include <string.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

tml_status tml_mean_init(tml_mean_params *p, int32_t rank,
                         const int32_t *in_dims, uint32_t axis_mask) {
  int64_t count = 1, reduced = 1;
  int32_t d, n = 0;
  uint32_t mask = 0;
  if (!p || (rank > 0 && !in_dims)) return TML_ERR_ARG;
  if (rank < 0 || rank > TML_MAX_RANK) return TML_ERR_LIMIT;
  if ((axis_mask >> rank) != 0) return TML_ERR_OPTIONS;
  for (d = 0; d < rank; d++) {
    const int32_t dim = in_dims[d];
    const uint32_t red = (axis_mask >> d) & 1u;
    if (dim < 0) return TML_ERR_SHAPE;
    if (red)
      reduced *= dim;
    else
      count *= dim;
    if (count > INT32_MAX || reduced > INT32_MAX || count * reduced > INT32_MAX)
      return TML_ERR_SHAPE;
    /* Size-1 dims change no offset; runs of reduced or kept dims are one
    ** dim of the product's size. */
    if (dim == 1) continue;
    if (n > 0 && ((mask >> (n - 1)) & 1u) == red) {
      p->in_dims[n - 1] *= dim;
    } else {
      p->in_dims[n] = dim;
      mask |= red << n;
      n++;
    }
  }
  if (n == 0) p->in_dims[n++] = 1;
  p->rank = n;
  p->axis_mask = mask;
  p->count = (int32_t)count;
  p->reduced = (int32_t)reduced;
  p->quantized = 0;
  p->in_zp = 0;
  p->out_zp = 0;
  p->mult = 0;
  p->shift = 0;
  return TML_OK;
}

tml_status tml_mean_q_init(tml_mean_params *p, int32_t rank,
                           const int32_t *in_dims, uint32_t axis_mask,
                           float in_scale, int32_t in_zp, float out_scale,
                           int32_t out_zp) {
  int32_t mult, shift;
  const tml_status st = tml_mean_init(p, rank, in_dims, axis_mask);
  if (st != TML_OK) return st;
  if (!(in_scale > 0.0f) || !(out_scale > 0.0f) || !isfinite(in_scale) ||
      !isfinite(out_scale))
    return TML_ERR_QUANT;
  tml_quantize_multiplier((double)in_scale / (double)out_scale, &mult, &shift);
  if (p->reduced > 0) {
    /* QuantizedMeanOrSum's fold of 1/count: scale the multiplier up by
    ** floor(log2(count)) bits (TFLite's cap of 32 cannot bind for an int32
    ** count) but keep the shift at -31 or above, then divide by the count,
    ** truncating. */
    int32_t bits = 0;
    while (((int64_t)1 << (bits + 1)) <= p->reduced) bits++;
    bits = TML_MIN(bits, 31 + shift);
    mult = (int32_t)(((int64_t)mult << bits) / p->reduced);
    shift -= bits;
  }
  /* A left shift of 32 or more has no meaning for int32 values. */
  if (shift > 31) return TML_ERR_QUANT;
  p->quantized = 1;
  p->in_zp = in_zp;
  p->out_zp = out_zp;
  p->mult = mult;
  p->shift = shift;
  return TML_OK;
}

size_t tml_mean_scratch_size(const tml_mean_params *p) {
  return p->quantized ? (size_t)p->count * sizeof(int32_t) : 0;
}

/* Adds every input to its output's accumulator, walking the input in order.
** The innermost (merged) dim is either kept, so a row adds element-wise
** into `count` accumulators, or reduced, so a row folds into one. */
#define TML_MEAN_SUM(name, T, A, LOAD)                                 \
  static void name(const tml_mean_params *p, const T *in, A *acc) {    \
    const int32_t n = p->rank;                                         \
    const int32_t inner = p->in_dims[n - 1];                           \
    const int inner_reduced = (int)((p->axis_mask >> (n - 1)) & 1u);   \
    size_t ostride[TML_MAX_RANK], o = 0, rows = 1, r, s;               \
    int32_t idx[TML_MAX_RANK], d, k;                                   \
    for (s = 0; s < (size_t)p->count; s++) acc[s] = 0;                 \
    /* ostride: output step of each dim (0 when reduced). */           \
    for (s = 1, d = n - 1; d >= 0; d--) {                              \
      const int red = (int)((p->axis_mask >> d) & 1u);                 \
      ostride[d] = red ? 0 : s;                                        \
      if (!red) s *= (size_t)p->in_dims[d];                            \
      idx[d] = 0;                                                      \
      if (d < n - 1) rows *= (size_t)p->in_dims[d];                    \
    }                                                                  \
    for (r = 0; r < rows; r++, in += inner) {                          \
      if (inner_reduced) {                                             \
        A sum = acc[o];                                                \
        for (k = 0; k < inner; k++) sum += LOAD(in[k]);                \
        acc[o] = sum;                                                  \
      } else {                                                         \
        for (k = 0; k < inner; k++) acc[o + (size_t)k] += LOAD(in[k]); \
      }                                                                \
      for (d = n - 2; d >= 0; d--) {                                   \
        if (++idx[d] < p->in_dims[d]) {                                \
          o += ostride[d];                                             \
          break;                                                       \
        }                                                              \
        idx[d] = 0;                                                    \
        o -= (size_t)(p->in_dims[d] - 1) * ostride[d];                 \
      }                                                                \
    }                                                                  \
  }

/* Integer sums wrap modulo 2^32 like TFLite's int32 accumulator, without
** signed overflow. */
#define TML_LOAD_WRAP(x) ((uint32_t)(int32_t)(x))
#define TML_LOAD_F32(x) (x)

TML_MEAN_SUM(sum_s8, int8_t, uint32_t, TML_LOAD_WRAP)
TML_MEAN_SUM(sum_s16, int16_t, uint32_t, TML_LOAD_WRAP)
TML_MEAN_SUM(sum_f32, float, float, TML_LOAD_F32)

/* sum - in_zp * count, wrapped to int32 as TFLite's cast does, rescaled and
** offset; int64 keeps the final add defined before the clamp. */
static int32_t requantize(const tml_mean_params *p, uint32_t sum, int32_t lo,
                          int32_t hi) {
  const uint32_t shifted = sum - (uint32_t)p->in_zp * (uint32_t)p->reduced;
  const int64_t v =
      (int64_t)tml_mul_by_qm((int32_t)shifted, p->mult, p->shift) + p->out_zp;
  return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

void tml_mean_s8(const tml_mean_params *p, const int8_t *in, int8_t *out,
                 int32_t *scratch) {
  uint32_t *acc = (uint32_t *)scratch;
  int32_t j;
  if (p->count == 0) return;
  if (p->reduced == 0) {
    for (j = 0; j < p->count; j++) out[j] = 0;
    return;
  }
  sum_s8(p, in, acc);
  for (j = 0; j < p->count; j++)
    out[j] = (int8_t)requantize(p, acc[j], INT8_MIN, INT8_MAX);
}

void tml_mean_s16(const tml_mean_params *p, const int16_t *in, int16_t *out,
                  int32_t *scratch) {
  uint32_t *acc = (uint32_t *)scratch;
  int32_t j;
  if (p->count == 0) return;
  if (p->reduced == 0) {
    for (j = 0; j < p->count; j++) out[j] = 0;
    return;
  }
  sum_s16(p, in, acc);
  for (j = 0; j < p->count; j++)
    out[j] = (int16_t)requantize(p, acc[j], INT16_MIN, INT16_MAX);
}

void tml_mean_f32(const tml_mean_params *p, const float *in, float *out,
                  float *scratch) {
  const float n = (float)p->reduced;
  int32_t j;
  (void)scratch;
  if (p->count == 0) return;
  if (p->reduced == 0) {
    for (j = 0; j < p->count; j++) out[j] = 0.0f;
    return;
  }
  sum_f32(p, in, out);
  for (j = 0; j < p->count; j++) out[j] = out[j] / n;
}
