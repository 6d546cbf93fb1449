/*
** FULLY_CONNECTED kernels and init: hand-checked cases, then random shapes
** against a naive reference with its own rounding arithmetic.
*/
#include <stdint.h>

#include "tml_kernels.h"
#include "tml_test.h"

/* MultiplyByQuantizedMultiplier as floor divisions on int64 (see
** test_conv.c for the rounding rules). */
static int32_t ref_mbqm(int32_t x, int32_t m, int32_t s) {
  const int32_t xs =
      (int32_t)(uint32_t)((uint64_t)(int64_t)x << (s > 0 ? s : 0));
  const int64_t prod = (int64_t)xs * m;
  const int32_t e = s > 0 ? 0 : -s;
  int64_t hi;
  if (xs == INT32_MIN && m == INT32_MIN)
    hi = INT32_MAX;
  else if (prod >= 0)
    hi = (prod + ((int64_t)1 << 30)) / ((int64_t)1 << 31);
  else
    hi = -((-prod + ((int64_t)1 << 30) - 1) / ((int64_t)1 << 31));
  if (e == 0) return (int32_t)hi;
  if (hi >= 0)
    return (int32_t)((hi + ((int64_t)1 << (e - 1))) / ((int64_t)1 << e));
  return (int32_t) - ((-hi + ((int64_t)1 << (e - 1))) / ((int64_t)1 << e));
}

static int32_t ref_mbqm64(int64_t x, int32_t m, int32_t s) {
  const int64_t reduced = m < 0x7FFF0000 ? (m + 32768) / 65536 : 0x7FFF;
  const int32_t t = 15 - s;
  const int64_t r = x * reduced + ((int64_t)1 << (t - 1));
  const int64_t d = (int64_t)1 << t;
  return (int32_t)(r >= 0 ? r / d : -((-r + d - 1) / d));
}

static int32_t clampi(int64_t v, int32_t lo, int32_t hi) {
  return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

static int32_t unit_mult[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
static int8_t unit_shift[4] = {1, 1, 1, 1};

static tml_fc_params base_params(int32_t batches, int32_t in_depth,
                                 int32_t out_depth) {
  tml_fc_params p;
  memset(&p, 0, sizeof p);
  p.batches = batches;
  p.in_depth = in_depth;
  p.out_depth = out_depth;
  p.act_min = -128;
  p.act_max = 127;
  p.fact_min = -3.4e38f;
  p.fact_max = 3.4e38f;
  p.n_mult = 1;
  p.mult = unit_mult; /* multiplier 1.0 */
  p.shift = unit_shift;
  return p;
}

/* Two batches b0 = (1,2,3), b1 = (-1,0,4); weights o0 = (1,1,1),
** o1 = (2,-1,0). */
static const int8_t in_a[6] = {1, 2, 3, -1, 0, 4};
static const int8_t w_a[6] = {1, 1, 1, 2, -1, 0};

static void test_per_tensor(void) {
  /* Zero point -1 (offset +1): b0 -> (2,3,4), b1 -> (0,1,5).
  ** o0: 9, 6; o1: 4-3+0 = 1, 0-1+0 = -1; bias (10, -10):
  ** b0 = (19, -9), b1 = (16, -11). */
  const int32_t bias[2] = {10, -10};
  const int8_t want[4] = {19, -9, 16, -11};
  int8_t out[4];
  tml_fc_params p = base_params(2, 3, 2);
  p.in_offset = 1;
  tml_fully_connected_s8(&p, in_a, w_a, bias, out);
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_weight_offset(void) {
  /* Weight zero point 1 (offset -1): o0 -> (0,0,0), o1 -> (1,-2,-1).
  ** b0: 0, 1-4-3 = -6; b1: 0, -1-0-4 = -5. Output zero point 3. */
  const int8_t want[4] = {3, -3, 3, -2};
  int8_t out[4];
  tml_fc_params p = base_params(2, 3, 2);
  p.w_offset = -1;
  p.out_offset = 3;
  tml_fully_connected_s8(&p, in_a, w_a, NULL, out);
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_per_channel(void) {
  /* As test_per_tensor without bias, multipliers (0.5, 1.0), output zero
  ** point 2: o0 9 * 0.5 = 4.5 rounds to 5 -> 7, 6 * 0.5 = 3 -> 5;
  ** o1 1 -> 3, -1 -> 1. */
  const int32_t mult[2] = {1 << 30, 1 << 30};
  const int8_t shift[2] = {0, 1};
  const int8_t want[4] = {7, 3, 5, 1};
  int8_t out[4];
  tml_fc_params p = base_params(2, 3, 2);
  p.in_offset = 1;
  p.out_offset = 2;
  p.n_mult = 2;
  p.mult = mult;
  p.shift = shift;
  tml_fully_connected_s8(&p, in_a, w_a, NULL, out);
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_saturation(void) {
  /* (100, 100) . (127, 127) = 25400 -> 127, . (-128, -128) -> -128;
  ** RELU-style clamp [0, 50] -> 50, 0. */
  const int8_t in[2] = {100, 100};
  const int8_t w[4] = {127, 127, -128, -128};
  const int8_t want[2] = {127, -128};
  const int8_t want_act[2] = {50, 0};
  int8_t out[2];
  tml_fc_params p = base_params(1, 2, 2);
  tml_fully_connected_s8(&p, in, w, NULL, out);
  CHECK_ARRAY_EQ(out, want, 2);
  p.act_min = 0;
  p.act_max = 50;
  tml_fully_connected_s8(&p, in, w, NULL, out);
  CHECK_ARRAY_EQ(out, want_act, 2);
}

static void test_s16(void) {
  /* (1000, -2000): (3, 1) -> 1000; (100, 0) -> 100000 -> 32767;
  ** (-100, 0) -> -32768; (0, 0) + bias 5 -> 5. The s16 kernel ignores the
  ** activation offsets, as TFLite's does. */
  const int16_t in[2] = {1000, -2000};
  const int8_t w[8] = {3, 1, 100, 0, -100, 0, 0, 0};
  const int64_t bias[4] = {0, 0, 0, 5};
  const int16_t want[4] = {1000, 32767, -32768, 5};
  const int16_t want_nobias[4] = {1000, 32767, -32768, 0};
  int16_t out[4];
  tml_fc_params p = base_params(1, 2, 4);
  p.act_min = -32768;
  p.act_max = 32767;
  p.in_offset = 7;
  p.out_offset = 9;
  tml_fully_connected_s16(&p, in, w, bias, out);
  CHECK_ARRAY_EQ(out, want, 4);
  tml_fully_connected_s16(&p, in, w, NULL, out);
  CHECK_ARRAY_EQ(out, want_nobias, 4);
}

static void test_s16_bias_kinds(void) {
  /* 5 at multiplier 0.25 = 1.25. int64 bias 0: one rounding -> 1. No bias,
  ** or int32 bias 0: TFLite's int32 path rounds twice (2.5 -> 3, then
  ** 1.5 -> 2) -> 2. int32 bias 4: 9 * 0.25 = 2.25 -> 4.5 -> 5 -> 2.5 -> 3. */
  const int16_t in[1] = {5};
  const int8_t w[1] = {1};
  const int64_t zero64[1] = {0};
  const int32_t zero32[1] = {0}, four32[1] = {4};
  const int32_t mult[1] = {1 << 30};
  const int8_t shift[1] = {-1};
  int16_t out[1];
  tml_fc_params p = base_params(1, 1, 1);
  p.mult = mult;
  p.shift = shift;
  p.act_min = -32768;
  p.act_max = 32767;
  tml_fully_connected_s16(&p, in, w, zero64, out);
  CHECK_EQ(out[0], 1);
  tml_fully_connected_s16(&p, in, w, NULL, out);
  CHECK_EQ(out[0], 2);
  tml_fully_connected_s16_b32(&p, in, w, zero32, out);
  CHECK_EQ(out[0], 2);
  tml_fully_connected_s16_b32(&p, in, w, four32, out);
  CHECK_EQ(out[0], 3);
}

static void test_f32(void) {
  /* b0 = (1, 2), b1 = (-1, 0.5); weights (1, 1), (2, -4), bias (0.5, 0):
  ** b0: 3.5, -6; b1: 0, -4. RELU6 clamps -> (3.5, 0, 0, 0); with no
  ** clamp and no bias -> (3, -6, -0.5, -4). */
  const float in[4] = {1.0f, 2.0f, -1.0f, 0.5f};
  const float w[4] = {1.0f, 1.0f, 2.0f, -4.0f};
  const float bias[2] = {0.5f, 0.0f};
  const float want[4] = {3.5f, 0.0f, 0.0f, 0.0f};
  const float want_none[4] = {3.0f, -6.0f, -0.5f, -4.0f};
  const float big = 100.0f;
  const float in6[2] = {big, big};
  float out[4];
  tml_fc_params p = base_params(2, 2, 2);
  CHECK_EQ(tml_fully_connected_f32_init(&p, TML_ACT_RELU6), TML_OK);
  tml_fully_connected_f32(&p, in, w, bias, out);
  CHECK_ARRAY_NEAR(out, want, 4, 0.0);
  /* 100 + 100 = 200 -> 6. */
  p.batches = 1;
  tml_fully_connected_f32(&p, in6, w, NULL, out);
  CHECK_NEAR(out[0], 6.0, 0.0);
  p.batches = 2;
  CHECK_EQ(tml_fully_connected_f32_init(&p, TML_ACT_NONE), TML_OK);
  tml_fully_connected_f32(&p, in, w, NULL, out);
  CHECK_ARRAY_NEAR(out, want_none, 4, 0.0);
}

static void test_init(void) {
  /* Per tensor: TFLite rounds in_scale * w_scale to float before dividing
  ** by out_scale in double. For these scales (found by a search) that gives
  ** 1672834514 * 2^-41, while the all-double product (the conv rule) would
  ** give 1672834568. */
  const float in_s = 0.084439002f, w_s = 0.00455759978f, out_s = 0.505890012f;
  const float fs[2] = {0.25f, 0.5f};
  float bias_s = in_s * w_s;
  int32_t mult[2];
  int8_t shift[2];
  tml_fc_params p = base_params(1, 3, 2);
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, in_s, -3, &w_s, 1, 2,
                                      NULL, out_s, 5, -128, 127, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(mult[0], 1672834514);
  CHECK_EQ(shift[0], -10);
  CHECK_EQ(p.n_mult, 1);
  CHECK(p.mult == mult && p.shift == shift);
  CHECK_EQ(p.in_offset, 3);
  CHECK_EQ(p.w_offset, -2);
  CHECK_EQ(p.out_offset, 5);
  CHECK_EQ(p.act_min, -128);
  CHECK_EQ(p.act_max, 127);
  /* A bias whose scale matches passes; one 3% of an output step off fails. */
  CHECK_EQ(
      tml_fully_connected_q_init(&p, mult, shift, in_s, 0, &w_s, 1, 0, &bias_s,
                                 out_s, 0, -128, 127, TML_ACT_RELU),
      TML_OK);
  CHECK_EQ(p.act_min, 0);
  bias_s = in_s * w_s + 0.03f * out_s;
  CHECK_EQ(
      tml_fully_connected_q_init(&p, mult, shift, in_s, 0, &w_s, 1, 0, &bias_s,
                                 out_s, 0, -128, 127, TML_ACT_NONE),
      TML_ERR_QUANT);
  /* Per channel: 0.5 * (0.25, 0.5) / 0.25 = (0.5, 1.0); weight zero point
  ** ignored. */
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 2, 1, NULL,
                                      0.25f, 0, -128, 127, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(p.n_mult, 2);
  CHECK_EQ(p.w_offset, 0);
  CHECK_EQ(mult[0], 1 << 30);
  CHECK_EQ(shift[0], 0);
  CHECK_EQ(mult[1], 1 << 30);
  CHECK_EQ(shift[1], 1);
  /* 16x8, per channel and per tensor. */
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 2, 0, NULL,
                                      0.25f, 0, -32768, 32767, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(p.n_mult, 2);
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 1, 0, NULL,
                                      0.25f, 0, -32768, 32767, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(p.act_min, -32768);
  /* Rejections. */
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 3, 0, NULL,
                                      0.25f, 0, -128, 127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 1, 300,
                                      NULL, 0.25f, 0, -128, 127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 1, 0, NULL,
                                      -1.0f, 0, -128, 127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_fully_connected_q_init(&p, mult, shift, 0.5f, 0, fs, 1, 0, NULL,
                                      0.25f, 0, -128, 127, TML_ACT_SIGN_BIT),
           TML_ERR_OPTIONS);
  p.in_depth = 0;
  CHECK_EQ(tml_fully_connected_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
}

/* ------------------------------------------------------------ random */

static uint32_t rng = 0x9E3779B9u;
static int32_t rnd(int32_t lo, int32_t hi) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return lo + (int32_t)(rng % (uint32_t)(hi - lo + 1));
}

static void random_case(int wide) {
  const int32_t batches = rnd(1, 4), depth = rnd(1, 70), outs = rnd(1, 12);
  const int per_channel = rnd(0, 1);
  const int has_bias = rnd(0, 3) != 0;
  /* 16x8 bias: int64 or int32 (with none, both take the int32 path). */
  const int bias32 = rnd(0, 1);
  int32_t mult[12];
  int8_t shift[12];
  int32_t i, b, o, k;
  tml_fc_params p = base_params(batches, depth, outs);
  int32_t *x = malloc(sizeof *x * batches * depth);
  int8_t *w = malloc(outs * depth);
  int32_t *ref = malloc(sizeof *ref * batches * outs);
  int64_t *bias = malloc(sizeof *bias * outs);
  p.n_mult = per_channel ? outs : 1;
  for (i = 0; i < p.n_mult; i++) {
    mult[i] = rnd(1 << 30, INT32_MAX);
    shift[i] = wide ? rnd(-18, 0) : rnd(-12, 1);
  }
  p.mult = mult;
  p.shift = shift;
  if (wide) {
    p.act_min = rnd(0, 3) ? -32768 : rnd(-32768, 0);
    p.act_max = rnd(0, 3) ? 32767 : rnd(0, 32767);
    p.w_offset = per_channel ? 0 : -rnd(-3, 3);
  } else {
    p.in_offset = -rnd(-128, 127);
    p.w_offset = per_channel ? 0 : -rnd(-128, 127);
    p.out_offset = rnd(-128, 127);
    p.act_min = rnd(0, 3) ? -128 : rnd(-128, 0);
    p.act_max = rnd(0, 3) ? 127 : rnd(0, 127);
  }
  for (i = 0; i < batches * depth; i++)
    x[i] = wide ? rnd(-32768, 32767) : rnd(-128, 127);
  for (i = 0; i < outs * depth; i++) w[i] = (int8_t)rnd(-128, 127);
  for (i = 0; i < outs; i++)
    bias[i] =
        wide ? (int64_t)rnd(-(1 << 20), 1 << 20) * 64 : rnd(-40000, 40000);
  for (b = 0; b < batches; b++)
    for (o = 0; o < outs; o++) {
      const int32_t m = p.mult[per_channel ? o : 0];
      const int32_t s = p.shift[per_channel ? o : 0];
      int64_t acc = 0;
      for (k = 0; k < depth; k++)
        acc += (int64_t)(w[o * depth + k] + p.w_offset) *
               (x[b * depth + k] + (wide ? 0 : p.in_offset));
      if (has_bias) acc += bias[o];
      if (wide && has_bias && !bias32)
        ref[b * outs + o] = clampi(ref_mbqm64(acc, m, s), p.act_min, p.act_max);
      else if (wide)
        ref[b * outs + o] =
            clampi(ref_mbqm((int32_t)(uint32_t)(uint64_t)acc, m, s), p.act_min,
                   p.act_max);
      else
        ref[b * outs + o] =
            clampi((int64_t)ref_mbqm((int32_t)acc, m, s) + p.out_offset,
                   p.act_min, p.act_max);
    }
  if (wide) {
    int16_t *in = malloc(sizeof *in * batches * depth);
    int16_t *out = malloc(sizeof *out * batches * outs);
    int32_t *b32 = malloc(sizeof *b32 * outs);
    for (i = 0; i < batches * depth; i++) in[i] = (int16_t)x[i];
    for (i = 0; i < outs; i++) b32[i] = (int32_t)bias[i];
    if (bias32)
      tml_fully_connected_s16_b32(&p, in, w, has_bias ? b32 : NULL, out);
    else
      tml_fully_connected_s16(&p, in, w, has_bias ? bias : NULL, out);
    CHECK_ARRAY_EQ(out, ref, batches * outs);
    free(in);
    free(out);
    free(b32);
  } else {
    int8_t *in = malloc(batches * depth), *out = malloc(batches * outs);
    int32_t *b32 = malloc(sizeof *b32 * outs);
    for (i = 0; i < batches * depth; i++) in[i] = (int8_t)x[i];
    for (i = 0; i < outs; i++) b32[i] = (int32_t)bias[i];
    tml_fully_connected_s8(&p, in, w, has_bias ? b32 : NULL, out);
    CHECK_ARRAY_EQ(out, ref, batches * outs);
    free(in);
    free(out);
    free(b32);
  }
  free(x);
  free(w);
  free(ref);
  free(bias);
}

static void random_f32_case(void) {
  const int32_t batches = rnd(1, 3), depth = rnd(1, 50), outs = rnd(1, 8);
  const int has_bias = rnd(0, 1);
  float *x = malloc(sizeof *x * batches * depth);
  float *w = malloc(sizeof *w * outs * depth);
  float *bias = malloc(sizeof *bias * outs);
  float *out = malloc(sizeof *out * batches * outs);
  float *ref = malloc(sizeof *ref * batches * outs);
  int32_t i, b, o, k;
  tml_fc_params p = base_params(batches, depth, outs);
  CHECK_EQ(
      tml_fully_connected_f32_init(&p, rnd(0, 1) ? TML_ACT_RELU : TML_ACT_NONE),
      TML_OK);
  for (i = 0; i < batches * depth; i++) x[i] = (float)rnd(-1000, 1000) / 311.0f;
  for (i = 0; i < outs * depth; i++) w[i] = (float)rnd(-1000, 1000) / 173.0f;
  for (i = 0; i < outs; i++) bias[i] = (float)rnd(-1000, 1000) / 97.0f;
  for (b = 0; b < batches; b++)
    for (o = 0; o < outs; o++) {
      float total = 0.0f;
      for (k = 0; k < depth; k++) total += x[b * depth + k] * w[o * depth + k];
      total += has_bias ? bias[o] : 0.0f;
      ref[b * outs + o] = total < p.fact_min   ? p.fact_min
                          : total > p.fact_max ? p.fact_max
                                               : total;
    }
  tml_fully_connected_f32(&p, x, w, has_bias ? bias : NULL, out);
  CHECK_ARRAY_NEAR(out, ref, batches * outs, 0.0);
  free(x);
  free(w);
  free(bias);
  free(out);
  free(ref);
}

int main(void) {
  int i;
  test_per_tensor();
  test_weight_offset();
  test_per_channel();
  test_saturation();
  test_s16();
  test_s16_bias_kinds();
  test_f32();
  test_init();
  for (i = 0; i < 300; i++) {
    random_case(0);
    random_case(1);
    random_f32_case();
  }
  return TEST_REPORT();
}
