/*
** ADD, SUB, MUL: prepare arithmetic (double for ADD and MUL, float for SUB),
** broadcasting (scalar, row vector, [1,1,1,C] vs [1,H,W,C], rank 2 vs rank 4),
** fused activation clamps, saturation, zero points, TFLite's double rounding.
** With power-of-two scales TFLite's fixed-point path is exact up to the final
** rounding (half away from zero), so most expectations come from the real
** formula in ref_q below; the rest are worked out by hand in comments.
*/
#include <float.h>
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static int32_t round_away(double x) {
  return (int32_t)(x < 0 ? -floor(-x + 0.5) : floor(x + 0.5));
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Output code of a real value: round(real / scale) + zp, clamped. */
static int32_t ref_q(double real, double scale, int32_t zp, int32_t lo,
                     int32_t hi) {
  return clamp(round_away(real / scale) + zp, lo, hi);
}

/* TFLite's QuantizeMultiplier written out from its definition:
** real = m * 2^(e - 31), m in [2^30, 2^31), m rounded half away. */
static void ref_multiplier(double real, int32_t *m, int32_t *e) {
  int ei;
  const double q = frexp(real, &ei);
  long long f = (long long)floor(q * 2147483648.0 + 0.5);
  if (f == 2147483648LL) {
    f /= 2;
    ei++;
  }
  *m = (int32_t)f;
  *e = ei;
}

static void set_broadcast(tml_broadcast *b, int32_t r1, const int32_t *d1,
                          int32_t r2, const int32_t *d2, int32_t ro,
                          const int32_t *dout) {
  CHECK_EQ(tml_broadcast_init(b, r1, d1, r2, d2, ro, dout), TML_OK);
}

static void test_add_init_double_sub_init_float(void) {
  /* Scales 0.1, 0.1 -> 0.3: the output ratio 0.2 / (2^20 * 0.3) differs in
  ** its last bits between double (ADD) and float (SUB) arithmetic. */
  const float s = 0.1f, so = 0.3f;
  tml_add_params a, sub;
  int32_t m, e, mf, ef;
  const float twice_f = 2.0f * s;
  const float ratio_f = twice_f / ((float)(1 << 20) * so);
  CHECK_EQ(tml_add_s8_init(&a, 0, s, 0, s, 0, so, 0, TML_ACT_NONE), TML_OK);
  CHECK_EQ(tml_add_s8_init(&sub, 1, s, 0, s, 0, so, 0, TML_ACT_NONE), TML_OK);
  ref_multiplier(2.0 * (double)s / ((double)(1 << 20) * (double)so), &m, &e);
  ref_multiplier((double)ratio_f, &mf, &ef);
  CHECK(m != mf); /* otherwise this test could not tell them apart */
  CHECK_EQ(a.out_mult, m);
  CHECK_EQ(a.out_shift, e);
  CHECK_EQ(sub.out_mult, mf);
  CHECK_EQ(sub.out_shift, ef);
  CHECK_EQ(a.left_shift, 20);
  CHECK_EQ(a.in1_mult, 1 << 30); /* 0.5 */
  CHECK_EQ(a.in1_shift, 0);
  CHECK_EQ(tml_add_s16_init(&a, 0, s, 0, s, 0, so, 0, TML_ACT_NONE), TML_OK);
  CHECK_EQ(a.left_shift, 15);
  /* Errors: output ratio >= 1 (tiny output scale), zero point outside int8. */
  CHECK_EQ(tml_add_s8_init(&a, 0, 1.0f, 0, 1.0f, 0, 1e-7f, 0, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_add_s8_init(&a, 0, 1.0f, 200, 1.0f, 0, 1.0f, 0, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_add_s8_init(&a, 0, 0.0f, 0, 1.0f, 0, 1.0f, 0, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_add_s8_init(&a, 0, 1.0f, 0, 1.0f, 0, 1.0f, 0, TML_ACT_TANH),
           TML_ERR_OPTIONS);
}

/* s1 = 0.5 (zp z1), s2 = 0.25 (zp z2), out 0.5 (zp zo): out = x1 - z1 +
** (x2 - z2) / 2 rounded half away, e.g. 3 + 1/2 -> 4 and -3 - 1/2 -> -4. */
static void test_add_s8_flat(void) {
  const int8_t in1[8] = {3, -3, 127, -128, 0, 10, -10, 100};
  const int8_t in2[8] = {1, -1, 127, -128, 5, -7, 7, 50};
  int8_t out[8], want[8];
  const int32_t z1 = 2, z2 = -4, zo = -1;
  int32_t i, d[2] = {2, 4};
  tml_add_params p;
  CHECK_EQ(tml_add_s8_init(&p, 0, 0.5f, z1, 0.25f, z2, 0.5f, zo, TML_ACT_NONE),
           TML_OK);
  set_broadcast(&p.b, 2, d, 2, d, 2, d);
  CHECK(p.b.flat);
  for (i = 0; i < 8; i++)
    want[i] = (int8_t)ref_q(0.5 * (in1[i] - z1) + 0.25 * (in2[i] - z2), 0.5,
                            zo, -128, 127);
  tml_add_s8(&p, in1, in2, out);
  CHECK_ARRAY_EQ(out, want, 8);
  /* By hand: 3+1 -> (3-2) + (1+4)/2 = 3.5 -> 4, -1 -> 3; 127+127 saturates. */
  CHECK_EQ(out[0], 3);
  CHECK_EQ(out[2], 127);
  CHECK_EQ(out[3], -128);
}

static void test_add_broadcast_shapes(void) {
  /* in1 [1,2,2,3] (values k - 6), several in2 shapes broadcast onto it. */
  const int32_t dout[4] = {1, 2, 2, 3};
  const int32_t scalar_dims[1] = {1};
  const int32_t row[1] = {3};
  const int32_t chan[4] = {1, 1, 1, 3};
  const int32_t rank2[2] = {2, 3}; /* [W, C] against [N, H, W, C] */
  int8_t in1[12], in2[6], out[12], want[12];
  int32_t i, k;
  tml_add_params p;
  for (i = 0; i < 12; i++) in1[i] = (int8_t)(i * 9 - 50);
  for (i = 0; i < 6; i++) in2[i] = (int8_t)(i * 13 - 30);
  CHECK_EQ(tml_add_s8_init(&p, 0, 0.5f, 0, 0.25f, 0, 0.5f, 0, TML_ACT_NONE),
           TML_OK);
  for (k = 0; k < 4; k++) {
    int32_t in2_index[12];
    switch (k) {
      case 0: /* a scalar ([1], and rank 0 below) */
        set_broadcast(&p.b, 4, dout, 1, scalar_dims, 4, dout);
        for (i = 0; i < 12; i++) in2_index[i] = 0;
        break;
      case 1: /* a row vector [3] */
        set_broadcast(&p.b, 4, dout, 1, row, 4, dout);
        for (i = 0; i < 12; i++) in2_index[i] = i % 3;
        break;
      case 2: /* [1,1,1,3] */
        set_broadcast(&p.b, 4, dout, 4, chan, 4, dout);
        for (i = 0; i < 12; i++) in2_index[i] = i % 3;
        break;
      default: /* [2,3]: repeats across H */
        set_broadcast(&p.b, 4, dout, 2, rank2, 4, dout);
        for (i = 0; i < 12; i++) in2_index[i] = i % 6;
        break;
    }
    CHECK(!p.b.flat);
    for (i = 0; i < 12; i++)
      want[i] = (int8_t)ref_q(0.5 * in1[i] + 0.25 * in2[in2_index[i]], 0.5, 0,
                              -128, 127);
    tml_add_s8(&p, in1, in2, out);
    CHECK_ARRAY_EQ(out, want, 12);
  }
  /* Rank-0 scalar as the first input. */
  set_broadcast(&p.b, 0, NULL, 4, dout, 4, dout);
  for (i = 0; i < 12; i++)
    want[i] = (int8_t)ref_q(0.5 * in2[0] + 0.25 * in1[i], 0.5, 0, -128, 127);
  tml_add_s8(&p, in2, in1, out);
  CHECK_ARRAY_EQ(out, want, 12);
}

static void test_add_fused_relu6_and_s16(void) {
  /* Output scale 0.5, zp -10: RELU6 clamps codes to [-10, -10 + 12] = [-10, 2].
  ** Inputs scale 0.5 zp 0 each: out = x1 + x2 - 10 before the clamp. */
  const int8_t in1[4] = {-20, 3, 5, 60};
  const int8_t in2[4] = {4, 4, 5, 60};
  const int8_t want[4] = {-10, -3, 0, 2};
  /* int16, scales 1/2^10, zp 0, out 1/2^10: exact sum, saturating. */
  const int16_t a16[4] = {30000, -30000, 1234, -1};
  const int16_t b16[4] = {30000, -30000, -234, -2};
  const int16_t want16[4] = {32767, -32768, 1000, -3};
  int8_t out[4];
  int16_t out16[4];
  int32_t d[1] = {4};
  tml_add_params p;
  CHECK_EQ(tml_add_s8_init(&p, 0, 0.5f, 0, 0.5f, 0, 0.5f, -10, TML_ACT_RELU6),
           TML_OK);
  CHECK_EQ(p.act_min, -10);
  CHECK_EQ(p.act_max, 2);
  set_broadcast(&p.b, 1, d, 1, d, 1, d);
  tml_add_s8(&p, in1, in2, out);
  CHECK_ARRAY_EQ(out, want, 4);
  CHECK_EQ(tml_add_s16_init(&p, 0, 1.0f / 1024, 0, 1.0f / 1024, 0,
                            1.0f / 1024, 0, TML_ACT_NONE),
           TML_OK);
  set_broadcast(&p.b, 1, d, 1, d, 1, d);
  tml_add_s16(&p, a16, b16, out16);
  CHECK_ARRAY_EQ(out16, want16, 4);
}

static void test_sub_broadcast(void) {
  /* in1 [2,3] minus the row [3]; scales 0.5 / 0.25 / 0.5, zero points
  ** 1 / -2 / 3: out = round((x1 - 1) - (x2 + 2) / 2) + 3, ties away. */
  const int32_t d1[2] = {2, 3}, d2[1] = {3};
  const int8_t in1[6] = {10, -10, 0, 127, -128, 50};
  const int8_t in2[3] = {1, -5, 127};
  int8_t out[6], want[6];
  int16_t a16[6], b16[3], out16[6], want16[6];
  int32_t i;
  tml_add_params p;
  CHECK_EQ(tml_add_s8_init(&p, 1, 0.5f, 1, 0.25f, -2, 0.5f, 3, TML_ACT_NONE),
           TML_OK);
  set_broadcast(&p.b, 2, d1, 1, d2, 2, d1);
  for (i = 0; i < 6; i++)
    want[i] = (int8_t)ref_q(0.5 * (in1[i] - 1) - 0.25 * (in2[i % 3] + 2), 0.5,
                            3, -128, 127);
  tml_sub_s8(&p, in1, in2, out);
  CHECK_ARRAY_EQ(out, want, 6);
  /* By hand: 10 - 1 -> round(9 - 3/2 = 7.5) + 3 = 11; 127 - 1 saturates. */
  CHECK_EQ(out[0], 11);
  CHECK_EQ(out[3], 127);
  /* Reversed roles: row minus matrix. */
  set_broadcast(&p.b, 1, d2, 2, d1, 2, d1);
  tml_sub_s8(&p, in2, in1, out);
  for (i = 0; i < 6; i++)
    want[i] = (int8_t)ref_q(0.5 * (in2[i % 3] - 1) - 0.25 * (in1[i] + 2), 0.5,
                            3, -128, 127);
  CHECK_ARRAY_EQ(out, want, 6);
  /* int16: scales 1/256, 1/512, out 1/256, zp 0, saturating at both ends. */
  for (i = 0; i < 6; i++) a16[i] = (int16_t)(i * 13000 - 32768);
  b16[0] = 32767;
  b16[1] = -32768;
  b16[2] = 3;
  CHECK_EQ(tml_add_s16_init(&p, 1, 1.0f / 256, 0, 1.0f / 512, 0, 1.0f / 256,
                            0, TML_ACT_NONE),
           TML_OK);
  set_broadcast(&p.b, 2, d1, 1, d2, 2, d1);
  for (i = 0; i < 6; i++)
    want16[i] = (int16_t)ref_q(a16[i] / 256.0 - b16[i % 3] / 512.0,
                               1.0 / 256, 0, -32768, 32767);
  tml_sub_s16(&p, a16, b16, out16);
  CHECK_ARRAY_EQ(out16, want16, 6);
  CHECK_EQ(out16[0], -32768); /* -32768 - 16383.5 */
  CHECK_EQ(out16[4], 32767);  /* 19232 + 16384 */
}

static void test_add_sub_f32(void) {
  const int32_t d1[2] = {2, 2}, d2[1] = {2};
  const float a[4] = {1.0f, -2.0f, 3.5f, 10.0f};
  const float b[2] = {0.5f, -1.0f};
  float out[4];
  tml_add_params p;
  memset(&p, 0, sizeof p);
  set_broadcast(&p.b, 2, d1, 1, d2, 2, d1);
  p.fact_min = -FLT_MAX;
  p.fact_max = FLT_MAX;
  tml_add_f32(&p, a, b, out);
  CHECK_NEAR(out[0], 1.5, 0.0);
  CHECK_NEAR(out[1], -3.0, 0.0);
  CHECK_NEAR(out[2], 4.0, 0.0);
  CHECK_NEAR(out[3], 9.0, 0.0);
  p.fact_min = 0.0f;
  p.fact_max = 6.0f;
  tml_sub_f32(&p, a, b, out);
  CHECK_NEAR(out[0], 0.5, 0.0);
  CHECK_NEAR(out[1], 0.0, 0.0); /* -1 clamped */
  CHECK_NEAR(out[2], 3.0, 0.0);
  CHECK_NEAR(out[3], 6.0, 0.0); /* 11 clamped */
}

static void test_mul_zero_points(void) {
  /* Scales 0.5 * 0.25 / 0.125 = 1: out = 1 + (x1 - 3) * (x2 + 2), exact
  ** integers, clamped to int8. */
  const int8_t in1[6] = {3, 4, 5, -10, 127, -128};
  const int8_t in2[6] = {100, -2, 3, 7, 127, 127};
  int8_t out[6], want[6];
  int32_t i, d[1] = {6};
  tml_mul_params p;
  CHECK_EQ(tml_mul_q_init(&p, 0.5f, 3, 0.25f, -2, 0.125f, 1, -128, 127,
                          TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(p.out_mult, 1 << 30);
  CHECK_EQ(p.out_shift, 1);
  set_broadcast(&p.b, 1, d, 1, d, 1, d);
  for (i = 0; i < 6; i++)
    want[i] = (int8_t)clamp(1 + (in1[i] - 3) * (in2[i] + 2), -128, 127);
  tml_mul_s8(&p, in1, in2, out);
  CHECK_ARRAY_EQ(out, want, 6);
  CHECK_EQ(out[1], 1);
  CHECK_EQ(out[2], 11);
}

static void test_mul_double_rounding(void) {
  /* Multiplier 0.25 = 2^30 * 2^(-1-31): TFLite first takes the doubling high
  ** product (a tie rounds up), then divides by 2 (a tie rounds away):
  **   p = 1:  round_up(0.5) = 1,  then 1/2 -> 1   (0.25 -> 1, not 0)
  **   p = -1: round_up(-0.5) = 0, then 0        (-0.25 -> 0)
  **   p = 2:  1, then 1/2 -> 1;   p = -2: -1, then -1/2 -> -1
  **   p = 3:  round_up(1.5) = 2, then 1;  p = -3: round_up(-1.5) = -1, then -1
  **   p = 6:  3, then 3/2 -> 2;   p = -6: -3, then -2.
  ** Inputs scale 0.5 and 0.5, output 1.0 (zp 0), broadcast by a scalar. */
  const int8_t in1[10] = {1, -1, 2, -2, 3, -3, 6, -6, 0, 127};
  const int8_t one[1] = {1};
  const int8_t want[10] = {1, 0, 1, -1, 1, -1, 2, -2, 0, 32};
  int8_t out[10];
  int32_t d[1] = {10}, ds[1] = {1};
  tml_mul_params p;
  CHECK_EQ(tml_mul_q_init(&p, 0.5f, 0, 0.5f, 0, 1.0f, 0, -128, 127,
                          TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(p.out_mult, 1 << 30);
  CHECK_EQ(p.out_shift, -1);
  set_broadcast(&p.b, 1, d, 1, ds, 1, d);
  tml_mul_s8(&p, in1, one, out);
  CHECK_ARRAY_EQ(out, want, 10);
}

static void test_mul_broadcast_s16_f32(void) {
  /* int16, zp 0, scales 2^-8 * 2^-8 / 2^-12 = 2^-4: out = x1 * x2 / 16
  ** rounded (no ties below), [1,2,2,2] times a [1,1,1,2] channel vector,
  ** with the ReLU clamp (codes below 0 -> 0) and saturation. */
  const int32_t dout[4] = {1, 2, 2, 2}, dc[4] = {1, 1, 1, 2};
  const int16_t in1[8] = {160, 160, -160, -160, 32767, 32767, 1000, -1000};
  const int16_t in2[2] = {32, -32};
  const int16_t want[8] = {320, 0, 0, 320, 32767, 0, 2000, 2000};
  int16_t out[8];
  const float fa[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const float fb[2] = {0.5f, -2.0f};
  float fout[8];
  tml_mul_params p;
  CHECK_EQ(tml_mul_q_init(&p, 1.0f / 256, 0, 1.0f / 256, 0, 1.0f / 4096, 0,
                          -32768, 32767, TML_ACT_RELU),
           TML_OK);
  set_broadcast(&p.b, 4, dout, 4, dc, 4, dout);
  tml_mul_s16(&p, in1, in2, out);
  CHECK_ARRAY_EQ(out, want, 8);
  CHECK_EQ(tml_mul_q_init(&p, 1.0f / 256, 1, 1.0f / 256, 0, 1.0f / 4096, 0,
                          -32768, 32767, TML_ACT_NONE),
           TML_ERR_QUANT);
  p.fact_min = -FLT_MAX;
  p.fact_max = 6.0f;
  tml_mul_f32(&p, fa, fb, fout);
  CHECK_NEAR(fout[0], 0.5, 0.0);
  CHECK_NEAR(fout[1], -4.0, 0.0);
  CHECK_NEAR(fout[6], 3.5, 0.0);
  CHECK_NEAR(fout[7], -16.0, 0.0);
  p.fact_max = 1.0f;
  tml_mul_f32(&p, fa, fb, fout);
  CHECK_NEAR(fout[2], 1.0, 0.0);
}

int main(void) {
  test_add_init_double_sub_init_float();
  test_add_s8_flat();
  test_add_broadcast_shapes();
  test_add_fused_relu6_and_s16();
  test_sub_broadcast();
  test_add_sub_f32();
  test_mul_zero_points();
  test_mul_double_rounding();
  test_mul_broadcast_s16_f32();
  return TEST_REPORT();
}
