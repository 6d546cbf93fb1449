/*
** SOFTMAX over the last dimension, bit-exact with TFLite Micro's reference
** kernels: gemmlowp fixed point for int8 input, interpolated tables for int16.
*/
#include <float.h>
#include <math.h>

#include "tml_fixedpoint.h"
#include "tml_kernels.h"
#include "tml_qmath.h"

/* int8 path: scaled differences are Q5.26 (exp(-32) is negligible), the sum
** of exponentials is accumulated in Q12.19. */
#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUM_INTEGER_BITS 12

#define LUT_STEPS 512
#define LUT_SIZE (LUT_STEPS + 1)

static int valid_scale(float s) { return s > 0.0f && s <= FLT_MAX; }

tml_status tml_softmax_f32_init(tml_softmax_params *p, int32_t rows,
                                int32_t depth, float beta) {
  if (p == NULL) return TML_ERR_ARG;
  if (rows < 0 || depth < 1) return TML_ERR_SHAPE;
  p->rows = rows;
  p->depth = depth;
  p->beta = beta;
  p->in_mult = p->in_left_shift = p->diff_min = 0;
  p->exp_lut = p->recip_lut = NULL;
  return TML_OK;
}

tml_status tml_softmax_s8_init(tml_softmax_params *p, int32_t rows,
                               int32_t depth, float beta, float in_scale,
                               int32_t out_type, float out_scale,
                               int32_t out_zp) {
  double real_mult, radius;
  int32_t shift;
  if (p == NULL) return TML_ERR_ARG;
  if (rows < 0 || depth < 1) return TML_ERR_SHAPE;
  if (out_type == TML_INT8) {
    if (out_zp != -128 || out_scale != 1.0f / 256) return TML_ERR_QUANT;
  } else if (out_type == TML_INT16) {
    if (out_zp != -32768 || !(fabsf(out_scale - 1.0f / 65536) <=
                              0.001f * 1.0f / 65536))
      return TML_ERR_QUANT;
  } else {
    return TML_ERR_TYPE;
  }
  if (!valid_scale(in_scale) || !(beta > 0.0f)) return TML_ERR_QUANT;
  /* TFLite's PreprocessSoftmaxScaling: beta * scale as a Q5.26 multiplier,
  ** capped at 2^31 - 1 (a larger one only sends more exps to 0). */
  real_mult = (double)beta * (double)in_scale *
              (double)(1 << (31 - SCALED_DIFF_INTEGER_BITS));
  if (real_mult > 2147483647.0) real_mult = 2147483647.0;
  /* TFLite aborts (QuantizeMultiplierGreaterThanOne) below this. */
  if (!(real_mult > 1.0)) return TML_ERR_QUANT;
  tml_quantize_multiplier(real_mult, &p->in_mult, &shift);
  p->in_left_shift = shift;
  /* TFLite's CalculateInputRadius: the largest difference whose shifted
  ** value stays within Q5.26, i.e. cannot overflow before the multiply. */
  radius = floor((double)((1 << SCALED_DIFF_INTEGER_BITS) - 1) *
                 (double)(1LL << (31 - SCALED_DIFF_INTEGER_BITS)) /
                 (double)(1LL << shift));
  p->diff_min = -(int32_t)radius;
  p->rows = rows;
  p->depth = depth;
  p->beta = beta;
  p->exp_lut = p->recip_lut = NULL;
  return TML_OK;
}

static float lut_exp(float x) { return expf(x); }
static float lut_one_over_one_plus_x(float x) { return 1.0f / (1.0f + x); }

/* TFLite's LUTPopulate for int16 with float arithmetic: 512 segments over
** the int16 input range, each entry biased by half the error at the segment
** midpoint so that linear interpolation is centred on the function. Every
** expression keeps TFLite's float evaluation order: the entries depend on
** it. */
static void gen_lut(float (*fn)(float), float in_scale, int32_t in_zp,
                    float out_scale, int32_t out_zp, int16_t *lut) {
  const float in_min = in_scale * (float)(-32768 - in_zp);
  const float in_max = in_scale * (float)(32767 - in_zp);
  const float out_min = out_scale * (float)(-32768 - out_zp);
  const float out_max = out_scale * (float)(32767 - out_zp);
  const float step = (in_max - in_min) / LUT_STEPS;
  const float half_step = step / 2;
  const float out_inv = 65536.0f / (out_max - out_min);
  float v;
  int i;
  for (i = 0; i < LUT_STEPS; i++) {
    const float val = fn(in_min + (float)i * step);
    const float val_mid = fn(in_min + (float)i * step + half_step);
    const float val_next = fn(in_min + (float)(i + 1) * step);
    const float sample = roundf(val * out_inv);
    const float mid_interp =
        roundf((val_next * out_inv + roundf(val * out_inv)) / 2);
    const float mid_exact = roundf(val_mid * out_inv);
    const float bias = roundf((mid_interp - mid_exact) / 2);
    v = sample - bias;
    v = v < -32768.0f ? -32768.0f : v;
    v = v > 32767.0f ? 32767.0f : v;
    lut[i] = (int16_t)v;
  }
  v = roundf(fn(in_max) * out_inv);
  v = v < -32768.0f ? -32768.0f : v;
  v = v > 32767.0f ? 32767.0f : v;
  lut[LUT_STEPS] = (int16_t)v;
}

tml_status tml_softmax_s16_init(tml_softmax_params *p, int32_t rows,
                                int32_t depth, float beta, float in_scale,
                                int32_t in_zp, float out_scale,
                                int32_t out_zp, int16_t *luts) {
  int32_t shift;
  if (p == NULL) return TML_ERR_ARG;
  if (rows < 0 || depth < 1) return TML_ERR_SHAPE;
  if (depth > INT32_MAX / 32767) return TML_ERR_SHAPE;
  if (in_zp != 0 || out_zp != 0) return TML_ERR_QUANT;
  if (!(fabsf(out_scale - 1.0f / 32768) <= 0.001f * 1.0f / 32768))
    return TML_ERR_QUANT;
  if (!valid_scale(in_scale) || !(beta > 0.0f)) return TML_ERR_QUANT;
  /* The exp table covers [-10, 0] with int16 zero point 32767; the 1/(1+x)
  ** table covers [0, 1] with zero point -32768; both output on [-1, 1]. */
  if (luts) {
    gen_lut(lut_exp, 10.0f / 65535, 32767, 2.0f / 65535, 0, luts);
    gen_lut(lut_one_over_one_plus_x, 1.0f / 65535, -32768, 2.0f / 65535, 0,
            luts + LUT_SIZE);
  }
  /* Differences to the row max are rescaled so that -65535 means -10. */
  tml_quantize_multiplier(
      (double)in_scale * (double)beta / (10.0 / 65535.0), &p->in_mult, &shift);
  /* A larger shift is undefined in TFLite's shift of the difference. */
  if (shift > 31) return TML_ERR_QUANT;
  p->in_left_shift = shift;
  p->diff_min = 0;
  p->rows = rows;
  p->depth = depth;
  p->beta = beta;
  p->exp_lut = luts;
  p->recip_lut = luts ? luts + LUT_SIZE : NULL;
  return TML_OK;
}

/* exp(diff) in Q0 for a difference to the row max (diff >= diff_min). */
static int32_t exp_of_diff(const tml_softmax_params *p, int32_t diff) {
  return tml_fp_exp_on_negative_values(
      tml_mul_by_qm_big(diff, p->in_mult, p->in_left_shift),
      SCALED_DIFF_INTEGER_BITS);
}

/* One row with int8 input; out_bits (8 or 16) says which of the two output
** pointers is used. The output type's minimum is also its zero point. */
static void softmax_s8_row(const tml_softmax_params *p, const int8_t *in,
                           int8_t *out8, int16_t *out16, int32_t out_bits) {
  const int32_t depth = p->depth;
  const int32_t out_min = out_bits == 8 ? -128 : -32768;
  const int32_t out_max = out_bits == 8 ? 127 : 32767;
  int32_t max_in = -128, c, bits_over_unit, exponent, scale;
  uint32_t sum = 0;
  for (c = 0; c < depth; c++) max_in = TML_MAX(max_in, (int32_t)in[c]);
  for (c = 0; c < depth; c++) {
    const int32_t diff = (int32_t)in[c] - max_in;
    /* Wraps as TFLite's int32 sum does in practice; it takes over 4096
    ** elements at the row max, and TFLite aborts on such rows for int8
    ** output anyway (see the exponent below). */
    if (diff >= p->diff_min)
      sum += (uint32_t)tml_fp_rescale(exp_of_diff(p, diff), 0,
                                      ACCUM_INTEGER_BITS);
  }
  scale = tml_fp_reciprocal((int32_t)sum, ACCUM_INTEGER_BITS, &bits_over_unit);
  /* TFLite checks 0 <= exponent <= 31 and aborts otherwise (int8 output,
  ** sum >= 2^28: over 512 elements near the max). Past 31 the rounded
  ** quotient of a Q0.31 value is 0, so those rows give 0; the lower clamp
  ** only matters for wrapped sums. */
  exponent = bits_over_unit + 31 - out_bits;
  exponent = TML_MAX(exponent, 0);
  for (c = 0; c < depth; c++) {
    const int32_t diff = (int32_t)in[c] - max_in;
    int32_t v = out_min;
    if (diff >= p->diff_min && exponent <= 31) {
      v = tml_rdbpot(tml_srdhm(scale, exp_of_diff(p, diff)), exponent) +
          out_min;
      v = TML_CLAMP(v, out_min, out_max);
    }
    if (out_bits == 8)
      out8[c] = (int8_t)v;
    else
      out16[c] = (int16_t)v;
  }
}

void tml_softmax_s8(const tml_softmax_params *p, const int8_t *in,
                    int8_t *out) {
  int32_t r;
  for (r = 0; r < p->rows; r++) {
    softmax_s8_row(p, in, out, NULL, 8);
    in += p->depth;
    out += p->depth;
  }
}

void tml_softmax_s8_s16(const tml_softmax_params *p, const int8_t *in,
                        int16_t *out) {
  int32_t r;
  for (r = 0; r < p->rows; r++) {
    softmax_s8_row(p, in, NULL, out, 16);
    in += p->depth;
    out += p->depth;
  }
}

/* TFLite's int16 table lookup: the top 9 bits of the (signed) input pick a
** segment, the low 7 bits interpolate linearly inside it. */
static int16_t lut_lookup(int32_t x, const int16_t *lut) {
  const int32_t index = 256 + (x >> 7);
  const int32_t offset = x & 0x7F;
  const int32_t base = lut[index];
  const int32_t slope = lut[index + 1] - base;
  return (int16_t)(base + ((slope * offset + 64) >> 7));
}

void tml_softmax_s16(const tml_softmax_params *p, const int16_t *in,
                     int16_t *out) {
  const int32_t depth = p->depth;
  int32_t r, c;
  for (r = 0; r < p->rows; r++) {
    int32_t max_in = -32768, sum = 0, headroom_plus_one, shifted_sum;
    int32_t recip, right_shift;
    int64_t round;
    for (c = 0; c < depth; c++) max_in = TML_MAX(max_in, (int32_t)in[c]);
    /* The exponentials (Q0.15) are parked in out: in-place safe, as each
    ** element is read before its own slot is written. */
    for (c = 0; c < depth; c++) {
      int32_t d = tml_mul_by_qm((int32_t)in[c] - max_in, p->in_mult,
                                p->in_left_shift);
      /* Re-centre [-65535, 0] on the table's [-32768, 32767]. d > 0 only
      ** comes from an absurd scale; it saturates like TFLite's clamp. */
      d = TML_MIN(d, 0) + 32767;
      d = TML_MAX(d, -32768);
      out[c] = lut_lookup(d, p->exp_lut);
      sum += out[c];
    }
    /* 1/sum: normalise sum to [1, 2) with 16 fractional bits, then look
    ** up 1 / (1 + x) with x = normalised - 1 re-centred on the table. */
    headroom_plus_one = tml_clz32((uint32_t)sum);
    shifted_sum =
        (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >>
                  14);
    shifted_sum -= (1 << 15) + (1 << 16);
    shifted_sum = TML_CLAMP(shifted_sum, -32768, 32767);
    recip = lut_lookup(shifted_sum, p->recip_lut);
    right_shift = 31 - headroom_plus_one;
    round = (int64_t)1 << (right_shift - 1);
    for (c = 0; c < depth; c++) {
      int32_t v = (int32_t)(((int64_t)out[c] * recip + round) >> right_shift);
      out[c] = (int16_t)TML_CLAMP(v, 0, 32767);
    }
    in += depth;
    out += depth;
  }
}

void tml_softmax_f32(const tml_softmax_params *p, const float *in,
                     float *out) {
  const int32_t depth = p->depth;
  const float beta = p->beta;
  int32_t r, c;
  for (r = 0; r < p->rows; r++) {
    float max_in = -FLT_MAX, sum = 0.0f;
    for (c = 0; c < depth; c++) max_in = in[c] > max_in ? in[c] : max_in;
    for (c = 0; c < depth; c++) {
      const float e = expf((in[c] - max_in) * beta);
      out[c] = e;
      sum += e;
    }
    for (c = 0; c < depth; c++) out[c] = out[c] / sum;
    in += depth;
    out += depth;
  }
}
