/*
** MEAN: quantized cases derived by hand from TFLite's arithmetic, float
** cases against a straightforward double-precision mean.
**
** Notation for the hand derivations: x = sum - in_zp * n (the "shifted
** sum"), QM(r) = TFLite's QuantizeMultiplier, then the 1/n fold
** bits = floor(log2 n), mult' = (mult << bits) / n, shift' = shift - bits,
** and the result MultiplyByQuantizedMultiplier(x, mult', shift') =
** RDBPOT(SRDHM(x << max(shift', 0), mult'), max(-shift', 0)).
** SRDHM rounds an exact half up (toward +inf); RDBPOT rounds it away from 0.
*/
#include <math.h>
#include <stdint.h>

#include "tml_kernels.h"
#include "tml_test.h"

static int32_t scratch[64];

static void poison_scratch(void) {
  int i;
  for (i = 0; i < 64; i++) scratch[i] = 0x5a5a5a5a;
}

/* 4-D [1,2,2,5] int8 over H,W (axes 1 and 2) with the same scale and zero
** point on both sides (0.5, -1). n = 4; QM(1.0) = (2^30, 1); bits = 2:
** mult' = 2^30, shift' = -1: result = RDBPOT(SRDHM(x, 2^30), 1), i.e. x/2
** rounded half up, then /2 rounded half away from zero.
**   c0 sum -10, x = -10 + 4 = -6: SRDHM = -3, RDBPOT(-3,1) = -2 -> -3
**      (mean -1.5 rounds away from zero)
**   c1 sum 1, x = 5: SRDHM = 3 (2.5 up), RDBPOT(3,1) = 2 -> 1
**      (mean 1.25 gives 2 through the double rounding, not 1)
**   c2 sum -9, x = -5: SRDHM = -2 (-2.5 up), RDBPOT(-2,1) = -1 -> -2
**   c3 sum -6, x = -2: SRDHM = -1, RDBPOT(-1,1) = -1 -> -2 (-0.5 -> -1)
**   c4 sum 27, x = 31: SRDHM = 16 (15.5 up), RDBPOT(16,1) = 8 -> 7
** With keep_dims the output is [1,1,1,5], without it [1,5]: same bytes. */
static const int8_t hw_in[20] = {
    /* h0w0 */ 10, -128, 10, -1, 5,
    /* h0w1 */ -3, 127,  -3, -2, 6,
    /* h1w0 */ -8, 1,    -7, -3, 7,
    /* h1w1 */ -9, 1,    -9, 0,  9};
static const int32_t hw_dims[4] = {1, 2, 2, 5};

static void test_hw_same_quant(void) {
  static const int8_t want[5] = {-3, 1, -2, -2, 7};
  tml_mean_params p;
  int8_t out[5];
  CHECK_EQ(tml_mean_q_init(&p, 4, hw_dims, 0x6u, 0.5f, -1, 0.5f, -1), TML_OK);
  CHECK_EQ(p.count, 5);
  CHECK_EQ(p.reduced, 4);
  CHECK_EQ(p.mult, 1 << 30);
  CHECK_EQ(p.shift, -1);
  CHECK_EQ(tml_mean_scratch_size(&p), 5 * sizeof(int32_t));
  poison_scratch();
  tml_mean_s8(&p, hw_in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 5);
}

/* Same input, output scale 0.25 and zero point 3: QM(2.0) = (2^30, 2);
** bits = 2: mult' = 2^30, shift' = 0: result = SRDHM(x, 2^30) = x/2 rounded
** half up, + 3.
**   x = -6 -> -3 -> 0;  x = 5 -> 3 -> 6;  x = -5 -> -2 -> 1;
**   x = -2 -> -1 -> 2;  x = 31 -> 16 -> 19 */
static void test_hw_different_quant(void) {
  static const int8_t want[5] = {0, 6, 1, 2, 19};
  tml_mean_params p;
  int8_t out[5];
  CHECK_EQ(tml_mean_q_init(&p, 4, hw_dims, 0x6u, 0.5f, -1, 0.25f, 3), TML_OK);
  CHECK_EQ(p.mult, 1 << 30);
  CHECK_EQ(p.shift, 0);
  poison_scratch();
  tml_mean_s8(&p, hw_in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 5);
}

/* [4,3] int8 over the last axis, scales 1, zero points 0. n = 3:
** QM(1.0) = (2^30, 1); bits = 1: mult' = 2^31 / 3 = 715827882 (truncated),
** shift' = 0: result = SRDHM(x, 715827882) ~ x * 0.33333333287.
**   x = -4: -1.333 -> -1;   x = 4: 1.333 -> 1;
**   x = -381: -126.99999981 -> -127 (the truncated multiplier stays close);
**   x = 3: 0.99999999860 -> 1 */
static void test_last_axis(void) {
  static const int8_t in[12] = {-2, -1, -1, 4, 0, 0, -127, -127, -127, 1, 2, 0};
  static const int32_t dims[2] = {4, 3};
  static const int8_t want[4] = {-1, 1, -127, 1};
  tml_mean_params p;
  int8_t out[4];
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x2u, 1.0f, 0, 1.0f, 0), TML_OK);
  CHECK_EQ(p.mult, 715827882);
  CHECK_EQ(p.shift, 0);
  poison_scratch();
  tml_mean_s8(&p, in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 4);
}

/* [2,3] int8 over both axes: n = 6, bits = 2: mult' = 2^32 / 6 = 715827882,
** shift' = -1. x = -767 (mean -127.83): SRDHM = -256 (-255.67 rounds to
** -256), RDBPOT(-256, 1) = -128. */
static void test_all_axes(void) {
  static const int8_t in[6] = {-128, -128, -128, -128, -128, -127};
  static const int32_t dims[2] = {2, 3};
  tml_mean_params p;
  int8_t out[1];
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x3u, 1.0f, 0, 1.0f, 0), TML_OK);
  CHECK_EQ(p.count, 1);
  CHECK_EQ(p.reduced, 6);
  CHECK_EQ(p.mult, 715827882);
  CHECK_EQ(p.shift, -1);
  poison_scratch();
  tml_mean_s8(&p, in, out, scratch);
  CHECK_EQ(out[0], -128);
}

/* Clamping: [3,2] over the last axis, in scale 1, out scale 0.25: QM(4.0) =
** (2^30, 3); n = 2, bits = 1: mult' = 2^30, shift' = 2: result = 2x.
** x = 200 -> 400 -> 127; x = -200 -> -400 -> -128; x = -1 -> -2. */
static void test_clamp(void) {
  static const int8_t in[6] = {100, 100, -100, -100, 3, -4};
  static const int32_t dims[2] = {3, 2};
  static const int8_t want[3] = {127, -128, -2};
  tml_mean_params p;
  int8_t out[3];
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x2u, 1.0f, 0, 0.25f, 0), TML_OK);
  CHECK_EQ(p.shift, 2);
  poison_scratch();
  tml_mean_s8(&p, in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 3);
}

/* int16 [2,4] over the last axis, zero points 0, scales 2^-10 -> 2^-9:
** QM(0.5) = (2^30, 0); n = 4, bits = 2: shift' = -2: x/2 rounded half up,
** then /4 rounded half away from zero.
**   x = -131071 (mean -16383.875): SRDHM = -65535 (-65535.5 up),
**      RDBPOT(-65535, 2) = -16384
**   x = 4006 (500.75): SRDHM = 2003, RDBPOT(2003, 2) = 501 */
static void test_s16(void) {
  static const int16_t in[8] = {-32768, -32768, -32768, -32767,
                                1000,   1001,   1002,   1003};
  static const int32_t dims[2] = {2, 4};
  static const int16_t want[2] = {-16384, 501};
  tml_mean_params p;
  int16_t out[2];
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x2u, 1.0f / 1024, 0, 1.0f / 512, 0),
           TML_OK);
  CHECK_EQ(p.shift, -2);
  poison_scratch();
  tml_mean_s16(&p, in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 2);
}

/* No axis: each output requantizes one input. x = 7 - 5 = 2 with QM(1.0)
** and n = 1: SRDHM(2 << 1, 2^30) = 2 -> 2 + 5 = 7. */
static void test_no_axis(void) {
  static const int8_t in[3] = {7, -128, 127};
  static const int32_t dims[1] = {3};
  static const int8_t want[3] = {7, -128, 127};
  tml_mean_params p;
  int8_t out[3];
  CHECK_EQ(tml_mean_q_init(&p, 1, dims, 0x0u, 0.5f, 5, 0.5f, 5), TML_OK);
  CHECK_EQ(p.reduced, 1);
  poison_scratch();
  tml_mean_s8(&p, in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 3);
}

/* Reduced dims that are not neighbours: [2,3,2,2] over axes 0 and 2; each
** output (j, l) averages in[i][j][k][l] over i, k. Values chosen so every
** mean is an integer: x = 4 * m gives exactly m with QM(1.0), n = 4. */
static void test_split_axes(void) {
  static const int32_t dims[4] = {2, 3, 2, 2};
  int8_t in[24], want[6], out[6];
  tml_mean_params p;
  int i, j, k, l;
  for (i = 0; i < 2; i++)
    for (j = 0; j < 3; j++)
      for (k = 0; k < 2; k++)
        for (l = 0; l < 2; l++)
          in[((i * 3 + j) * 2 + k) * 2 + l] =
              (int8_t)(10 * j - 7 * l + (i ? 3 : -3) + (k ? 5 : -5));
  for (j = 0; j < 3; j++)
    for (l = 0; l < 2; l++) want[j * 2 + l] = (int8_t)(10 * j - 7 * l);
  CHECK_EQ(tml_mean_q_init(&p, 4, dims, 0x5u, 1.0f, 0, 1.0f, 0), TML_OK);
  CHECK_EQ(p.count, 6);
  CHECK_EQ(p.reduced, 4);
  /* [2,3,2,2] with axes 0, 2: no neighbours merge, all four dims stay. */
  CHECK_EQ(p.rank, 4);
  poison_scratch();
  tml_mean_s8(&p, in, out, scratch);
  CHECK_ARRAY_EQ(out, want, 6);
}

/* Independent float mean: every output from its own index loops, in double. */
static void float_case(int32_t rank, const int32_t *dims, uint32_t mask) {
  float in[240], out[240], want[240];
  double acc[240];
  int32_t n = 1, i, d, count = 1;
  tml_mean_params p;
  for (d = 0; d < rank; d++) {
    n *= dims[d];
    if (!(mask >> d & 1u)) count *= dims[d];
  }
  for (i = 0; i < n; i++) in[i] = (float)((i * 37 % 23) - 11) * 0.37f;
  for (i = 0; i < count; i++) acc[i] = 0.0;
  for (i = 0; i < n; i++) {
    int32_t rest = i, o = 0, scale = 1;
    for (d = rank - 1; d >= 0; d--) {
      const int32_t c = rest % dims[d];
      rest /= dims[d];
      if (!(mask >> d & 1u)) {
        o += c * scale;
        scale *= dims[d];
      }
    }
    acc[o] += in[i];
  }
  for (i = 0; i < count; i++) want[i] = (float)(acc[i] / (double)(n / count));
  CHECK_EQ(tml_mean_init(&p, rank, dims, mask), TML_OK);
  CHECK_EQ(p.count, count);
  CHECK_EQ(tml_mean_scratch_size(&p), 0);
  for (i = 0; i < count; i++) out[i] = 12345.0f;
  tml_mean_f32(&p, in, out, NULL);
  CHECK_ARRAY_NEAR(out, want, count, 1e-5);
}

static void test_float(void) {
  static const int32_t d4[4] = {2, 3, 4, 5};
  static const int32_t d3[3] = {4, 6, 10};
  float_case(4, d4, 0x6u); /* H, W of NHWC (TFLite's 4-D special case) */
  float_case(4, d4, 0x8u); /* last axis */
  float_case(4, d4, 0xFu); /* everything */
  float_case(4, d4, 0x9u); /* first and last */
  float_case(3, d3, 0x2u); /* middle */
  float_case(3, d3, 0x0u); /* nothing: a copy */
}

/* Exact float case by hand: [1,2,2,1] over H,W: (1 + 2 + 3 + 6) / 4 = 3. */
static void test_float_exact(void) {
  static const float in[4] = {1.0f, 2.0f, 3.0f, 6.0f};
  static const int32_t dims[4] = {1, 2, 2, 1};
  tml_mean_params p;
  float out[1];
  CHECK_EQ(tml_mean_init(&p, 4, dims, 0x6u), TML_OK);
  tml_mean_f32(&p, in, out, NULL);
  CHECK(out[0] == 3.0f);
}

/* Empty reduction (a reduced dim of 0): TFLite leaves zeros. */
static void test_empty(void) {
  static const int32_t dims[2] = {3, 0};
  tml_mean_params p;
  int8_t out[3] = {9, 9, 9};
  int8_t dummy = 0;
  static const int8_t want[3] = {0, 0, 0};
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x2u, 1.0f, 4, 1.0f, 4), TML_OK);
  CHECK_EQ(p.reduced, 0);
  tml_mean_s8(&p, &dummy, out, scratch);
  CHECK_ARRAY_EQ(out, want, 3);
}

static void test_init_errors(void) {
  static const int32_t dims[2] = {2, 3};
  static const int32_t bad[2] = {2, -1};
  tml_mean_params p;
  CHECK_EQ(tml_mean_init(&p, 2, dims, 0x4u), TML_ERR_OPTIONS);
  CHECK_EQ(tml_mean_init(&p, 2, bad, 0x1u), TML_ERR_SHAPE);
  CHECK_EQ(tml_mean_init(&p, 7, dims, 0x1u), TML_ERR_LIMIT);
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x1u, 0.0f, 0, 1.0f, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_mean_q_init(&p, 2, dims, 0x1u, 1.0f, 0, -1.0f, 0),
           TML_ERR_QUANT);
}

int main(void) {
  test_hw_same_quant();
  test_hw_different_quant();
  test_last_axis();
  test_all_axes();
  test_clamp();
  test_s16();
  test_no_axis();
  test_split_axes();
  test_float();
  test_float_exact();
  test_empty();
  test_init_errors();
  return TEST_REPORT();
}
