/*
** HARD_SWISH, bit-exact with TFLite Micro's reference kernel: x * relu6(x + 3)
** / 6 computed in int16 fixed point (TFLite's HardSwishParams).
*/
#include <float.h>

#include "tml_kernels.h"
#include "tml_qmath.h"

static int valid_scale(float s) { return s > 0.0f && s <= FLT_MAX; }

/* TFLite's DownScaleInt32ToInt16Multiplier: Q0.31 -> Q0.15, rounded. */
static int16_t to_q15(int32_t m) {
  if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
  return (int16_t)((m + (1 << 15)) >> 16);
}

tml_status tml_hard_swish_s8_init(tml_hard_swish_params *p, int32_t count,
                                  float in_scale, int32_t in_zp,
                                  float out_scale, int32_t out_zp) {
  /* Float expressions as TFLite writes them: the ratios are float divisions
  ** widened to double afterwards. */
  const float hires_in_scale = (1.0f / 128.0f) * in_scale;
  const float reluish_scale = 3.0f / 32768.0f;
  float out_ratio, reluish_ratio;
  int32_t m, e;
  if (p == NULL) return TML_ERR_ARG;
  if (count < 0) return TML_ERR_SHAPE;
  if (!valid_scale(in_scale) || !valid_scale(out_scale)) return TML_ERR_QUANT;
  /* TFLite keeps zero points in int16 and adds them to int16 values. */
  if (in_zp < -128 || in_zp > 127 || out_zp < -128 || out_zp > 127)
    return TML_ERR_QUANT;
  out_ratio = hires_in_scale / out_scale;
  reluish_ratio = hires_in_scale / reluish_scale;
  if (!(out_ratio <= FLT_MAX) || !(reluish_ratio <= FLT_MAX))
    return TML_ERR_QUANT;
  tml_quantize_multiplier((double)out_ratio, &m, &e);
  if (e > 0) return TML_ERR_QUANT; /* TFLM's check */
  p->out_mult = to_q15(m);
  p->out_exp = e;
  tml_quantize_multiplier((double)reluish_ratio, &m, &e);
  /* The kernel shifts left by e - 1 through an int: undefined past 31. */
  if (e > 31) return TML_ERR_QUANT;
  p->reluish_mult = to_q15(m);
  p->reluish_exp = e;
  p->in_zp = in_zp;
  p->out_zp = out_zp;
  p->count = count;
  return TML_OK;
}

/* gemmlowp's SaturatingRoundingDoublingHighMul on int16. */
static int32_t srdhm16(int32_t a, int32_t b) {
  const int32_t ab = a * b;
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* The same without rounding (truncating, like SQDMULH): TFLite uses it for
** the final product because it offsets the biases of the rounded steps. */
static int32_t sdhm16(int32_t a, int32_t b) {
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  return (a * b) / (1 << 15);
}

/* x * 2^amount saturated to int16 (amount <= 30). */
static int32_t sat_shl16(int32_t x, int32_t amount) {
  const int64_t v = (int64_t)x * ((int64_t)1 << amount);
  return (int32_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

/* gemmlowp's RoundingDivideByPOT on int16 (exponent 0..31). Its mask is
** 2^exponent - 1 truncated to int16, i.e. all ones from exponent 16 on, which
** turns the result into 1 for x >= 0 and -1 for x < 0 there. */
static int32_t rdbpot16(int32_t x, int32_t exponent) {
  if (exponent >= 16) return x >= 0 ? 1 : -1;
  return tml_rdbpot(x, exponent);
}

void tml_hard_swish_s8(const tml_hard_swish_params *p, const int8_t *in,
                       int8_t *out) {
  const int32_t rexp = p->reluish_exp;
  int32_t i;
  for (i = 0; i < p->count; i++) {
    /* x << 7 uses the int16 range fully: |x - zp| <= 255. */
    const int32_t hires = ((int32_t)in[i] - p->in_zp) * 128;
    const int32_t preshift_out = srdhm16(hires, p->out_mult);
    int32_t reluish = hires, y;
    /* x on the scale where 3.0 is 32768, saturating. A left shift is done
    ** one bit short before the multiply and completed after it, so that only
    ** the last step can saturate. */
    if (rexp > 0) reluish = sat_shl16(reluish, rexp - 1);
    reluish = srdhm16(reluish, p->reluish_mult);
    if (rexp > 0) reluish = sat_shl16(reluish, 1);
    if (rexp < 0) reluish = rdbpot16(reluish, -rexp);
    /* [-1, 1] -> [0, 1]: relu6(x + 3) / 6 in Q0.15. */
    reluish = (reluish + (1 << 15)) >> 1;
    y = rdbpot16(sdhm16(reluish, preshift_out), -p->out_exp);
    /* TFLite adds the zero point in int16, which wraps. */
    y = (int32_t)(((uint32_t)(y + p->out_zp) + 32768u) & 0xFFFFu) - 32768;
    out[i] = (int8_t)TML_CLAMP(y, -128, 127);
  }
}

void tml_hard_swish_f32(const tml_hard_swish_params *p, const float *in,
                        float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) {
    const float x = in[i];
    float r = x + 3.0f;
    /* TFLite's std::max(0, r) and std::min(6, r): NaN becomes 0. */
    r = 0.0f < r ? r : 0.0f;
    r = r < 6.0f ? r : 6.0f;
    out[i] = x * r / 6.0f;
  }
}
