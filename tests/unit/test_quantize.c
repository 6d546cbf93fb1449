/*
** QUANTIZE (float -> int8/int16), requantize (int -> int) and DEQUANTIZE.
** Expected codes are worked out by hand in the comments.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static void test_quantize_round_half_away(void) {
  /* Scale 0.5, zp 0: x / 0.5 = 2x. 1.25 -> 2.5 -> 3, -1.25 -> -2.5 -> -3,
  ** 0.75 -> 1.5 -> 2, -0.75 -> -2, 0.2 -> 0.4 -> 0, -0.2 -> 0,
  ** 100 -> 200 -> 127, -100 -> -128, 63.5 -> 127, -64 -> -128. */
  const float in[10] = {1.25f, -1.25f, 0.75f, -0.75f, 0.2f,
                        -0.2f, 100.0f, -100.0f, 63.5f, -64.0f};
  const int8_t want[10] = {3, -3, 2, -2, 0, 0, 127, -128, 127, -128};
  int8_t out[10];
  tml_quantize_params p;
  CHECK_EQ(tml_quantize_f32_init(&p, 10, 0.5f, 0, -128, 127), TML_OK);
  tml_quantize_f32_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 10);
  /* Zero point 10: rounding happens before the zero point is added, so
  ** -1.25 -> round(-2.5) + 10 = 7 (not round(7.5) = 8); 60 -> 130 -> 127;
  ** -69 -> -138 + 10 = -128. */
  {
    const float in2[4] = {1.25f, -1.25f, 60.0f, -69.0f};
    const int8_t want2[4] = {13, 7, 127, -128};
    CHECK_EQ(tml_quantize_f32_init(&p, 4, 0.5f, 10, -128, 127), TML_OK);
    tml_quantize_f32_s8(&p, in2, out);
    CHECK_ARRAY_EQ(out, want2, 4);
  }
}

static void test_quantize_s16_and_nonfinite(void) {
  /* Scale 0.5, zp 0: 20000 -> 40000 -> 32767; -2.5 -> -5; 1.75 -> 3.5 -> 4;
  ** huge, Inf and NaN stay defined: clamp high, clamp high, qmin. */
  const float in[7] = {20000.0f, -20000.0f, -2.5f, 1.75f, 1e30f, HUGE_VALF,
                       0.0f};
  int16_t out[7];
  const int16_t want[7] = {32767, -32768, -5, 4, 32767, 32767, -32768};
  float in_nan[7];
  tml_quantize_params p;
  memcpy(in_nan, in, sizeof in);
  in_nan[6] = (float)NAN;
  CHECK_EQ(tml_quantize_f32_init(&p, 7, 0.5f, 0, -32768, 32767), TML_OK);
  tml_quantize_f32_s16(&p, in_nan, out);
  CHECK_ARRAY_EQ(out, want, 7);
  CHECK_EQ(tml_quantize_f32_init(&p, 7, 0.0f, 0, -32768, 32767),
           TML_ERR_QUANT);
  CHECK_EQ(tml_quantize_f32_init(&p, 7, 1.0f, 200, -128, 127), TML_ERR_QUANT);
}

static void test_requantize_s8_s8(void) {
  /* in 0.5 / zp 1 -> out 0.25 / zp -3: code = -3 + 2 * (x - 1), saturating.
  ** 1 -> -3, 0 -> -5, 40 -> 75, 66 -> 127 (127 exactly), 67 -> 127,
  ** -60 -> -125, -61 -> -127, -62 -> -128 (-129 clamps). */
  const int8_t in[8] = {1, 0, 40, 66, 67, -60, -61, -62};
  const int8_t want[8] = {-3, -5, 75, 127, 127, -125, -127, -128};
  int8_t out[8];
  tml_quantize_params p;
  CHECK_EQ(tml_requantize_init(&p, 8, 0.5f, 1, 0.25f, -3, -128, 127), TML_OK);
  tml_requantize_s8_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 8);
  /* Same scale, zp 5 -> -5: only a shift by -10, clamped at -128. */
  {
    const int8_t in2[4] = {-128, -118, 0, 127};
    const int8_t want2[4] = {-128, -128, -10, 117};
    CHECK_EQ(tml_requantize_init(&p, 4, 0.3f, 5, 0.3f, -5, -128, 127),
             TML_OK);
    tml_requantize_s8_s8(&p, in2, out);
    CHECK_ARRAY_EQ(out, want2, 4);
  }
}

static void test_requantize_mixed(void) {
  /* int16 (1/256, zp 0) -> int8 (1/2, zp 0): x / 128 with TFLite's double
  ** rounding (multiplier 2^30, shift -6): the doubling high product halves
  ** with ties up, then /64 rounds ties away. 64 -> 32 -> 1; -64 -> -32 -> -1;
  ** 63 -> 31.5 up to 32 -> 1 (0.49 rounds to 1!); -63 -> -31.5 up to -31 ->
  ** 0; 32767 -> 256 -> 127; -32768 -> -256 -> -128. */
  const int16_t in16[6] = {64, -64, 63, -63, 32767, -32768};
  const int8_t want8[6] = {1, -1, 1, 0, 127, -128};
  /* int8 (0.5, zp -1) -> int16 (1/512, zp 0): 256 * (x + 1). */
  const int8_t in8[3] = {-128, -1, 127};
  const int16_t want16[3] = {-32512, 0, 32767};
  /* int16 (1/1024) -> int16 (1/4096), zp 0 -> 100: 4x + 100, saturating. */
  const int16_t in16b[4] = {0, -25, 8166, 8167};
  const int16_t want16b[4] = {100, 0, 32764, 32767};
  int8_t out8[6];
  int16_t out16[4];
  tml_quantize_params p;
  CHECK_EQ(tml_requantize_init(&p, 6, 1.0f / 256, 0, 0.5f, 0, -128, 127),
           TML_OK);
  tml_requantize_s16_s8(&p, in16, out8);
  CHECK_ARRAY_EQ(out8, want8, 6);
  CHECK_EQ(tml_requantize_init(&p, 3, 0.5f, -1, 1.0f / 512, 0, -32768,
                               32767),
           TML_OK);
  tml_requantize_s8_s16(&p, in8, out16);
  CHECK_ARRAY_EQ(out16, want16, 3);
  CHECK_EQ(tml_requantize_init(&p, 4, 1.0f / 1024, 0, 1.0f / 4096, 100,
                               -32768, 32767),
           TML_OK);
  tml_requantize_s16_s16(&p, in16b, out16);
  CHECK_ARRAY_EQ(out16, want16b, 4);
  /* A ratio of 2^40 would need a left shift past 31. */
  CHECK_EQ(tml_requantize_init(&p, 4, 1.0f, 0, 1e-12f, 0, -128, 127),
           TML_ERR_QUANT);
}

static void test_dequantize(void) {
  /* 0.5 * (x + 3): -3 -> 0, 1 -> 2, -128 -> -62.5, 127 -> 65. */
  const int8_t in8[4] = {-3, 1, -128, 127};
  const int16_t in16[3] = {-32768, 0, 32767};
  float out[4];
  tml_quantize_params p;
  CHECK_EQ(tml_dequantize_init(&p, 4, 0.5f, -3), TML_OK);
  tml_dequantize_s8_f32(&p, in8, out);
  CHECK_NEAR(out[0], 0.0, 0.0);
  CHECK_NEAR(out[1], 2.0, 0.0);
  CHECK_NEAR(out[2], -62.5, 0.0);
  CHECK_NEAR(out[3], 65.0, 0.0);
  /* 2^-15 * x: exactly -1, 0 and 32767/32768. */
  CHECK_EQ(tml_dequantize_init(&p, 3, 1.0f / 32768, 0), TML_OK);
  tml_dequantize_s16_f32(&p, in16, out);
  CHECK_NEAR(out[0], -1.0, 0.0);
  CHECK_NEAR(out[1], 0.0, 0.0);
  CHECK_NEAR(out[2], 32767.0 / 32768.0, 0.0);
  CHECK_EQ(tml_dequantize_init(&p, 3, 1.0f, 100000), TML_ERR_QUANT);
}

int main(void) {
  test_quantize_round_half_away();
  test_quantize_s16_and_nonfinite();
  test_requantize_s8_s8();
  test_requantize_mixed();
  test_dequantize();
  return TEST_REPORT();
}
