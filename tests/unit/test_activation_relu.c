/*
** RELU, RELU6, RELU_N1_TO_1 and LEAKY_RELU. Expected codes are worked out by
** hand in the comments (scales are powers of two, so the rescale is exact
** except where TFLite's double rounding is spelled out).
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static void test_relu_s8_rescale(void) {
  /* in 0.5 / zp -10, out 0.25 / zp -128: code = -128 + 2 * (x + 10), floor
  ** at the output zero point -128 (real 0), saturating at 127. */
  const int8_t in[7] = {-128, -20, -10, 0, 50, 60, 127};
  const int8_t want[7] = {-128, -128, -128, -108, -8, 12, 127};
  int8_t out[7];
  tml_relu_params p;
  CHECK_EQ(tml_relu_q_init(&p, 7, TML_ACT_RELU, 0.5f, -10, 0.25f, -128, -128,
                           127),
           TML_OK);
  CHECK_EQ(p.mult, 1 << 30);
  CHECK_EQ(p.shift, 2);
  tml_relu_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 7);
  /* Same scale, zero point 5 in and out: a plain max(x, 5). */
  {
    const int8_t in2[4] = {-128, 4, 5, 127};
    const int8_t want2[4] = {5, 5, 5, 127};
    CHECK_EQ(tml_relu_q_init(&p, 4, TML_ACT_RELU, 0.1f, 5, 0.1f, 5, -128,
                             127),
             TML_OK);
    tml_relu_s8(&p, in2, out);
    CHECK_ARRAY_EQ(out, want2, 4);
  }
}

static void test_relu_s8_double_rounding(void) {
  /* in 1/4, out 1: multiplier 0.25 = 2^30 * 2^(-1-31). x = 1: the high
  ** product 0.5 rounds up to 1, then 1/2 rounds away to 1; x = -1 gives 0
  ** then 0; x = 2: 1 -> 1; x = 6: 3 -> 2; out zp 0 and RELU floor 0. */
  const int8_t in[5] = {1, -1, 2, 6, 127};
  const int8_t want[5] = {1, 0, 1, 2, 32};
  int8_t out[5];
  tml_relu_params p;
  CHECK_EQ(tml_relu_q_init(&p, 5, TML_ACT_RELU, 0.25f, 0, 1.0f, 0, -128, 127),
           TML_OK);
  tml_relu_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 5);
}

static void test_relu6_different_scales(void) {
  /* TFLM's RELU6 clamps the raw input codes to [in zp, in zp + 6 / in scale]
  ** = [-20, -20 + 48] = [-20, 28] and ignores the output's quantization
  ** (here 0.0625 / zp 3). */
  const int8_t in[6] = {-128, -21, -20, 0, 28, 127};
  const int8_t want[6] = {-20, -20, -20, 0, 28, 28};
  const int16_t in16[4] = {-5, 0, 1000, 30000};
  const int16_t want16[4] = {0, 0, 1000, 6144};
  int8_t out[6];
  int16_t out16[4];
  tml_relu_params p;
  CHECK_EQ(tml_relu_q_init(&p, 6, TML_ACT_RELU6, 0.125f, -20, 0.0625f, 3,
                           -128, 127),
           TML_OK);
  tml_relu_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 6);
  /* Six above the int8 range clamps to 127: scale 1/64 -> 384 + 0. */
  CHECK_EQ(tml_relu_q_init(&p, 6, TML_ACT_RELU6, 1.0f / 64, 0, 1.0f, 0, -128,
                           127),
           TML_OK);
  CHECK_EQ(p.act_max, 127);
  /* int16, scale 1/1024: six = 6144. */
  CHECK_EQ(tml_relu_q_init(&p, 4, TML_ACT_RELU6, 1.0f / 1024, 0, 1.0f / 2048,
                           0, -32768, 32767),
           TML_OK);
  tml_relu_s16(&p, in16, out16);
  CHECK_ARRAY_EQ(out16, want16, 4);
}

static void test_relu_n1_to_1(void) {
  /* in 0.5, out 0.25 (zp 0): code 2x clamped to [-1/0.25, 1/0.25] = [-4, 4]. */
  const int8_t in[6] = {-128, -3, -2, 1, 2, 100};
  const int8_t want[6] = {-4, -4, -4, 2, 4, 4};
  int8_t out[6];
  tml_relu_params p;
  CHECK_EQ(tml_relu_q_init(&p, 6, TML_ACT_RELU_N1_TO_1, 0.5f, 0, 0.25f, 0,
                           -128, 127),
           TML_OK);
  tml_relu_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 6);
}

static void test_relu_s16(void) {
  /* in 2^-10, out 2^-11: code 2x, floor 0, saturating at 32767. */
  const int16_t in[5] = {-32768, -1, 7, 16383, 16384};
  const int16_t want[5] = {0, 0, 14, 32766, 32767};
  int16_t out[5];
  tml_relu_params p;
  CHECK_EQ(tml_relu_q_init(&p, 5, TML_ACT_RELU, 1.0f / 1024, 0, 1.0f / 2048,
                           0, -32768, 32767),
           TML_OK);
  tml_relu_s16(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 5);
  /* TFLM rejects int16 RELU with a zero point; TANH is not a RELU. */
  CHECK_EQ(tml_relu_q_init(&p, 5, TML_ACT_RELU, 1.0f / 1024, 3, 1.0f / 2048,
                           0, -32768, 32767),
           TML_ERR_QUANT);
  CHECK_EQ(tml_relu_q_init(&p, 5, TML_ACT_TANH, 1.0f, 0, 1.0f, 0, -128, 127),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_relu_q_init(&p, 5, TML_ACT_RELU, 1.0f, 200, 1.0f, 0, -128,
                           127),
           TML_ERR_QUANT);
}

static void test_relu_f32(void) {
  const float in[5] = {-2.0f, 0.5f, 7.0f, -0.25f, 0.0f};
  float out[5];
  tml_relu_params p;
  CHECK_EQ(tml_relu_f32_init(&p, 5, TML_ACT_RELU), TML_OK);
  tml_relu_f32(&p, in, out);
  CHECK_NEAR(out[0], 0.0, 0.0);
  CHECK_NEAR(out[2], 7.0, 0.0);
  {
    const float big[1] = {HUGE_VALF};
    CHECK_EQ(tml_relu_f32_init(&p, 1, TML_ACT_RELU), TML_OK);
    tml_relu_f32(&p, big, out); /* RELU has no upper bound, not even FLT_MAX */
    CHECK(out[0] == HUGE_VALF);
  }
  CHECK_EQ(tml_relu_f32_init(&p, 5, TML_ACT_RELU6), TML_OK);
  tml_relu_f32(&p, in, out);
  CHECK_NEAR(out[2], 6.0, 0.0);
  CHECK_NEAR(out[3], 0.0, 0.0);
  CHECK_EQ(tml_relu_f32_init(&p, 5, TML_ACT_RELU_N1_TO_1), TML_OK);
  tml_relu_f32(&p, in, out);
  CHECK_NEAR(out[0], -1.0, 0.0);
  CHECK_NEAR(out[1], 0.5, 0.0);
  CHECK_NEAR(out[2], 1.0, 0.0);
  CHECK_NEAR(out[3], -0.25, 0.0);
  CHECK_EQ(tml_relu_f32_init(&p, 5, TML_ACT_NONE), TML_ERR_OPTIONS);
}

static void test_leaky_relu_s8(void) {
  /* Same scale 0.5 in and out, alpha 0.25. x >= 0 keeps its code; x < 0 is
  ** multiplied by 0.25 with TFLite's double rounding: -1 -> 0, -2 -> -1
  ** (high product -1, then -1/2 away), -3 -> -1, -4 -> -1, -5 -> -1,
  ** -6 -> -2 (-3 then -1.5 away), -128 -> -32. */
  const int8_t in[10] = {0, 5, 127, -1, -2, -3, -4, -5, -6, -128};
  const int8_t want[10] = {0, 5, 127, 0, -1, -1, -1, -1, -2, -32};
  int8_t out[10];
  tml_leaky_relu_params p;
  CHECK_EQ(tml_leaky_relu_q_init(&p, 10, 0.25f, 0.5f, 0, 0.5f, 0), TML_OK);
  tml_leaky_relu_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 10);
  /* Zero points: in zp 10, out zp 100, out scale 0.25 (x2 on the positive
  ** side, x0.5 on the negative): 127 -> 100 + 234 saturates; 10 -> 100;
  ** -6 -> 100 - 8 = 92; -128 -> 100 - 69 = 31. */
  {
    const int8_t in2[4] = {127, 10, -6, -128};
    const int8_t want2[4] = {127, 100, 92, 31};
    CHECK_EQ(tml_leaky_relu_q_init(&p, 4, 0.25f, 0.5f, 10, 0.25f, 100),
             TML_OK);
    tml_leaky_relu_s8(&p, in2, out);
    CHECK_ARRAY_EQ(out, want2, 4);
  }
  /* Negative alpha -0.5, same scales: -4 -> 2, -128 -> 64, 3 -> 3. */
  {
    const int8_t in3[3] = {-4, -128, 3};
    const int8_t want3[3] = {2, 64, 3};
    CHECK_EQ(tml_leaky_relu_q_init(&p, 3, -0.5f, 0.5f, 0, 0.5f, 0), TML_OK);
    tml_leaky_relu_s8(&p, in3, out);
    CHECK_ARRAY_EQ(out, want3, 3);
  }
}

static void test_leaky_relu_s16_f32(void) {
  /* int16, scale 2^-12 in and out, alpha 0.5 (multiplier 2^30, shift 0):
  ** negatives halve in the doubling high product alone, whose ties go up:
  ** -3 -> -1.5 -> -1 (not -2); positives stay. */
  const int16_t in[5] = {-32768, -3, -2, 0, 32767};
  const int16_t want[5] = {-16384, -1, -1, 0, 32767};
  int16_t out[5];
  const float fin[3] = {-2.0f, 0.0f, 3.0f};
  float fout[3];
  tml_leaky_relu_params p;
  CHECK_EQ(tml_leaky_relu_q_init(&p, 5, 0.5f, 1.0f / 4096, 0, 1.0f / 4096, 0),
           TML_OK);
  tml_leaky_relu_s16(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 5);
  CHECK_EQ(tml_leaky_relu_q_init(&p, 3, 0.2f, 1.0f, 0, 1.0f, 0), TML_OK);
  tml_leaky_relu_f32(&p, fin, fout);
  CHECK_NEAR(fout[0], -0.4, 1e-6);
  CHECK_NEAR(fout[1], 0.0, 0.0);
  CHECK_NEAR(fout[2], 3.0, 0.0);
  CHECK_EQ(tml_leaky_relu_q_init(&p, 3, 0.2f, 0.0f, 0, 1.0f, 0),
           TML_ERR_QUANT);
}

int main(void) {
  test_relu_s8_rescale();
  test_relu_s8_double_rounding();
  test_relu6_different_scales();
  test_relu_n1_to_1();
  test_relu_s16();
  test_relu_f32();
  test_leaky_relu_s8();
  test_leaky_relu_s16_f32();
  return TEST_REPORT();
}
