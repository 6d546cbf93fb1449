/*
** HARD_SWISH kernels: x * relu6(x + 3) / 6. Expected values: the real
** function in double (quantized outputs within 1 LSB), bytes worked out by
** hand through TFLite's int16 fixed-point steps, and the function's shape
** (falling to its minimum at x = -1.5, rising after it).
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static double hard_swish(double x) {
  const double r = x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3;
  return x * r / 6;
}

static void check_sweep(float in_scale, int32_t in_zp, float out_scale,
                        int32_t out_zp) {
  tml_hard_swish_params p;
  int8_t in[256], out[256];
  int i, bad = 0, shape = 0;
  CHECK_EQ(tml_hard_swish_s8_init(&p, 256, in_scale, in_zp, out_scale,
                                  out_zp), TML_OK);
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  tml_hard_swish_s8(&p, in, out);
  for (i = 0; i < 256; i++) {
    const double x = (in[i] - in_zp) * (double)in_scale;
    double w = hard_swish(x) / out_scale + out_zp;
    w = w < -128 ? -128 : w > 127 ? 127 : w;
    if (fabs(out[i] - w) > 1.0 && bad++ < 3)
      fprintf(stderr, "hard_swish(%g) = %d, want %.3f\n", x, out[i], w);
    /* Monotone on each side of the minimum at -1.5. */
    if (i > 0) {
      const double xp = (in[i - 1] - in_zp) * (double)in_scale;
      if (xp >= -1.5 && out[i] < out[i - 1]) shape++;
      if (x <= -1.5 && out[i] > out[i - 1]) shape++;
    }
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(shape, 0);
}

static void test_sweeps(void) {
  check_sweep(1.0f / 16, 0, 1.0f / 16, 0);
  check_sweep(0.05f, -20, 0.04f, -100);
  check_sweep(0.1f, 10, 0.08f, -90);
  check_sweep(0.0123f, -128, 0.01f, -128);
  check_sweep(0.2f, 0, 0.5f, 3);
  check_sweep(0.003f, 5, 0.002f, 0); /* reluish shift to the right */
}

/* In and out scale 1/16, zero points 0. Output multiplier: (1/2048) / (1/16)
** = 2^-7 = 0.5 * 2^-6 -> Q0.15 16384, exponent -6. Reluish multiplier:
** (1/2048) / (3/32768) = 16/3 = 0.666667 * 2^3 -> Q0.31 1431655765, rounded
** to Q0.15 (1431655765 + 2^15) >> 16 = 21845, exponent 3. */
static void test_by_hand(void) {
  tml_hard_swish_params p;
  static const int8_t in[5] = {48, 0, -48, 16, -24};
  int8_t out[5];
  CHECK_EQ(tml_hard_swish_s8_init(&p, 5, 1.0f / 16, 0, 1.0f / 16, 0),
           TML_OK);
  CHECK_EQ(p.out_mult, 16384);
  CHECK_EQ(p.out_exp, -6);
  CHECK_EQ(p.reluish_mult, 21845);
  CHECK_EQ(p.reluish_exp, 3);
  tml_hard_swish_s8(&p, in, out);
  /* x = 48 (3.0): hires 48 * 128 = 6144; on the output scale
  ** SRDHM(6144, 16384) = 3072. Reluish: 6144 << 2 = 24576, SRDHM(24576,
  ** 21845) = (536862720 + 16384) / 32768 = 16384, << 1 = 32768 saturates to
  ** 32767; (32767 + 32768) >> 1 = 32767 (1.0). 32767 * 3072 / 32768 = 3071
  ** truncated, / 2^6 = 47.98 -> 48, i.e. 3.0. */
  CHECK_EQ(out[0], 48);
  CHECK_EQ(out[1], 0);
  /* x = -48 (-3.0): reluish SRDHM(-24576, 21845) = -16384, << 1 = -32768,
  ** (-32768 + 32768) >> 1 = 0, so the product is 0. */
  CHECK_EQ(out[2], 0);
  /* x = 16 (1.0): SRDHM(2048, 16384) = 1024; reluish 8192 -> SRDHM = 5461
  ** -> 10922 -> (10922 + 32768) >> 1 = 21845 (2/3); 21845 * 1024 / 32768 =
  ** 682 truncated; 682 / 64 = 10.66 -> 11 (real 1 * 4 / 6 * 16 = 10.67). */
  CHECK_EQ(out[3], 11);
  /* x = -24 (-1.5, the minimum -0.375): -6 on the output scale. */
  CHECK_EQ(out[4], -6);

  /* Output scale 1/8: ratio 2^-8, Q0.15 16384 with exponent -7. x = 49
  ** (3.0625) is a tie on the output scale (24.5). hires 6272 -> 3136; the
  ** reluish factor saturates at 32767, and the truncating final multiply
  ** gives 32767 * 3136 / 32768 = 3135.9 -> 3135, / 128 = 24.49 -> 24 (a
  ** rounding multiply would give 3136 -> 24.5 -> 25). */
  CHECK_EQ(tml_hard_swish_s8_init(&p, 1, 1.0f / 16, 0, 1.0f / 8, 0), TML_OK);
  CHECK_EQ(p.out_exp, -7);
  {
    static const int8_t x49 = 49;
    int8_t y;
    tml_hard_swish_s8(&p, &x49, &y);
    CHECK_EQ(y, 24);
  }
}

static void test_saturation(void) {
  /* Output scale far finer than the input's: large x saturate at 127,
  ** negative x stay near 0 (hard swish >= -0.375). */
  tml_hard_swish_params p;
  static const int8_t in[4] = {127, -128, 100, -30};
  int8_t out[4];
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 0.1f, 0, 0.01f, 0), TML_OK);
  tml_hard_swish_s8(&p, in, out);
  CHECK_EQ(out[0], 127);
  CHECK_EQ(out[1], 0);  /* x = -12.8 -> 0 */
  CHECK_EQ(out[2], 127);
  CHECK_EQ(out[3], 0);  /* x = -3 -> 0 */
  /* The output zero point moves every value, zeros included. Output ratio
  ** (0.1 / 128) / 0.1 = 2^-7: Q0.15 16384, exponent -6. x = 12.7: hires
  ** 16256 -> 8128 on the output scale; the reluish factor saturates at 32767
  ** (1.0), 8128 * 32767 / 32768 = 8127 truncated, / 64 = 126.98 -> 127,
  ** + (-100) = 27. x = 10 likewise: 6400 -> 6399 -> 99.98 -> 100 -> 0.
  ** x = -12.8 and -3: the reluish factor is exactly 0 -> -100. */
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 0.1f, 0, 0.1f, -100), TML_OK);
  tml_hard_swish_s8(&p, in, out);
  CHECK_EQ(out[0], 27);
  CHECK_EQ(out[1], -100);
  CHECK_EQ(out[2], 0);
  CHECK_EQ(out[3], -100);
}

static void test_init_rejects(void) {
  tml_hard_swish_params p;
  /* TFLM requires an output multiplier below 1: in_scale / 128 < out_scale
  ** roughly. */
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 1.0f, 0, 1.0f / 256, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 0.0f, 0, 0.1f, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 0.1f, 0, -0.1f, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_hard_swish_s8_init(&p, 4, 0.1f, 200, 0.1f, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_hard_swish_s8_init(&p, -4, 0.1f, 0, 0.1f, 0), TML_ERR_SHAPE);
  CHECK_EQ(tml_hard_swish_s8_init(NULL, 4, 0.1f, 0, 0.1f, 0), TML_ERR_ARG);
}

static void test_f32(void) {
  static const float in[8] = {-4.0f, -3.0f, -1.5f, 0.0f, 1.0f, 3.0f, 10.0f,
                              -0.25f};
  float out[8];
  double want[8];
  tml_hard_swish_params p;
  int i;
  p.count = 8;
  tml_hard_swish_f32(&p, in, out);
  for (i = 0; i < 8; i++) want[i] = hard_swish(in[i]);
  CHECK_ARRAY_NEAR(out, want, 8, 1e-6);
  CHECK_EQ(out[6], 10.0f);
  CHECK_EQ(out[2], -0.375f);
}

int main(void) {
  test_sweeps();
  test_by_hand();
  test_saturation();
  test_init_rejects();
  test_f32();
  return TEST_REPORT();
}
