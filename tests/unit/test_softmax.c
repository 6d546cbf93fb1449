/*
** SOFTMAX kernels. Expected values come from the real softmax computed in
** double here (the quantized output must be within 1 LSB of it), plus a few
** bytes worked out by hand through TFLite's fixed-point steps.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

#define MAXN 64

/* Real softmax of one row of quantized inputs. */
static void real_softmax(const int8_t *q, int n, double scale, double beta,
                         double *p) {
  double mx = -1e300, sum = 0.0;
  int i;
  for (i = 0; i < n; i++) mx = q[i] * scale > mx ? q[i] * scale : mx;
  for (i = 0; i < n; i++) sum += p[i] = exp((q[i] * scale - mx) * beta);
  for (i = 0; i < n; i++) p[i] /= sum;
}

static double clampd(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* int8 -> int8 and int8 -> int16 against the double softmax. */
static void check_s8_vs_real(const int8_t *in, int rows, int depth,
                             float scale, float beta) {
  tml_softmax_params p8, p16;
  int8_t out8[MAXN];
  int16_t out16[MAXN];
  double real[MAXN];
  int r, c, bad8 = 0, bad16 = 0;
  CHECK_EQ(tml_softmax_s8_init(&p8, rows, depth, beta, scale, TML_INT8,
                               1.0f / 256, -128), TML_OK);
  CHECK_EQ(tml_softmax_s8_init(&p16, rows, depth, beta, scale, TML_INT16,
                               1.0f / 65536, -32768), TML_OK);
  tml_softmax_s8(&p8, in, out8);
  tml_softmax_s8_s16(&p16, in, out16);
  for (r = 0; r < rows; r++) {
    real_softmax(in + r * depth, depth, scale, beta, real);
    for (c = 0; c < depth; c++) {
      const double w8 = clampd(real[c] * 256 - 128, -128, 127);
      const double w16 = clampd(real[c] * 65536 - 32768, -32768, 32767);
      const int k = r * depth + c;
      if (fabs(out8[k] - w8) > 1.0 && bad8++ < 3)
        fprintf(stderr, "s8 [%d][%d] = %d, real %.3f\n", r, c, out8[k], w8);
      if (fabs(out16[k] - w16) > 1.0 && bad16++ < 3)
        fprintf(stderr, "s16 [%d][%d] = %d, real %.3f\n", r, c, out16[k],
                w16);
    }
  }
  CHECK_EQ(bad8, 0);
  CHECK_EQ(bad16, 0);
}

static void test_s8_vs_real(void) {
  int8_t in[MAXN];
  unsigned seed = 12345;
  int i, t;
  /* Typical classifier logits, several scales and betas, three rows. */
  static const float scales[] = {0.0625f, 0.1f, 0.0123f, 0.27f, 1.0f / 256};
  static const float betas[] = {1.0f, 0.5f, 2.0f, 1.0f, 1.7f};
  for (t = 0; t < 5; t++) {
    for (i = 0; i < 3 * 10; i++) {
      seed = seed * 1103515245u + 12345u;
      in[i] = (int8_t)((seed >> 16) & 0xFF);
    }
    check_s8_vs_real(in, 3, 10, scales[t], betas[t]);
  }
  /* A long row with values bunched near the max. */
  for (i = 0; i < MAXN; i++) in[i] = (int8_t)(90 + (i * 7) % 37);
  check_s8_vs_real(in, 1, MAXN, 0.05f, 1.0f);
}

/* Hand-worked bytes. Input scale 1/16, beta 1: beta * scale * 2^26 = 2^22,
** so in_mult = 2^30 (0.5) with left shift 23, and a difference d becomes
** SRDHM(d << 23, 2^30) = d * 2^22, i.e. d/16 in Q5.26 exactly. The radius is
** floor(31 * 2^26 / 2^23) = 248, so diff_min = -248. */
static void test_s8_by_hand(void) {
  tml_softmax_params p;
  int8_t out[4];
  int16_t out16[4];
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 2, 1.0f, 1.0f / 16, TML_INT8,
                               1.0f / 256, -128), TML_OK);
  CHECK_EQ(p.in_mult, 1 << 30);
  CHECK_EQ(p.in_left_shift, 23);
  CHECK_EQ(p.diff_min, -248);
  {
    /* [16, 0]: differences 0 and -16 (-1.0). exp(0) is 2^31 - 1, which is
    ** 2^19 in Q12.19; exp(-1) = 0.367879 is 192875 there. The sum 717163
    ** lies in [2^19, 2^20): 0 bits over unit, so 1/sum is 1/(1 + 0.367879) =
    ** 0.731059 in Q0.31 and the output exponent is 0 + 31 - 8 = 23:
    ** 0.731059 * 256 = 187.15 -> 187 - 128 = 59, and
    ** 0.731059 * 0.367879 * 256 = 68.85 -> 69 - 128 = -59. Both are far
    ** from a rounding boundary, so the fixed-point error cannot move them. */
    static const int8_t in[2] = {16, 0};
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], 59);
    CHECK_EQ(out[1], -59);
  }
  {
    /* [0, 0]: sum 2^20, 1 bit over unit, exponent 24; 1/sum is Q0 "one"
    ** (2^31 - 1, to within the Newton error), so each output is
    ** round(2^31 / 2^24) - 128 = 128 - 128 = 0, i.e. exactly 1/2. */
    static const int8_t in[2] = {0, 0};
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], 0);
    CHECK_EQ(out[1], 0);
  }
  {
    /* [127, -128]: difference -255 < diff_min, so exp is never evaluated
    ** and that element is -128; the max alone sums to 2^19 and gets
    ** round(2^31 / 2^23) - 128 = 128, clamped to 127. */
    static const int8_t in[2] = {127, -128};
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], 127);
    CHECK_EQ(out[1], -128);
  }
  /* Same rows with int16 output (zero point -32768, scale 1/65536):
  ** 0.731059 * 65536 = 47910.6 -> 47911 - 32768 = 15143 (within 1 of it),
  ** 1/2 -> 32768 - 32768 = 0. */
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 2, 1.0f, 1.0f / 16, TML_INT16,
                               1.0f / 65536, -32768), TML_OK);
  {
    static const int8_t in[2] = {0, 0};
    tml_softmax_s8_s16(&p, in, out16);
    CHECK_EQ(out16[0], 0);
    CHECK_EQ(out16[1], 0);
  }
  {
    static const int8_t in[2] = {16, 0};
    tml_softmax_s8_s16(&p, in, out16);
    CHECK_NEAR(out16[0], 15143, 1);
    CHECK_NEAR(out16[1], -15143, 1);
  }
}

static void test_s8_edges(void) {
  tml_softmax_params p;
  int8_t out[8];
  {
    /* All equal: depth 4 -> 1/4 each: 64 - 128 = -64, whatever the value. */
    static const int8_t in[8] = {-128, -128, -128, -128, 127, 127, 127, 127};
    CHECK_EQ(tml_softmax_s8_init(&p, 2, 4, 1.0f, 0.1f, TML_INT8, 1.0f / 256,
                                 -128), TML_OK);
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], -64);
    CHECK_EQ(out[3], -64);
    CHECK_EQ(out[4], -64);
    CHECK_EQ(out[7], -64);
  }
  {
    /* A very large difference: exp underflows, the max takes everything. */
    static const int8_t in[3] = {-128, 127, -100};
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 3, 1.0f, 0.5f, TML_INT8, 1.0f / 256,
                                 -128), TML_OK);
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], -128);
    CHECK_EQ(out[1], 127);
    CHECK_EQ(out[2], -128);
  }
  {
    /* Scale 1, beta 1: 2^26 -> left shift 27, radius floor(31/2) = 15. A
    ** difference of -16 or more would overflow the shifted int32: the
    ** cut-off must skip it (output -128), not wrap it into a large value. */
    static const int8_t in[4] = {0, -16, -100, -15};
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 1.0f, TML_INT8, 1.0f / 256,
                                 -128), TML_OK);
    CHECK_EQ(p.in_left_shift, 27);
    CHECK_EQ(p.diff_min, -15);
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], 127);
    CHECK_EQ(out[1], -128);
    CHECK_EQ(out[2], -128);
    CHECK_EQ(out[3], -128); /* exp(-15) * 256 = 8e-5 */
  }
  {
    /* Huge beta * scale: the multiplier is capped at 2^31 - 1 (shift 31,
    ** radius 0), so only the maximum survives; ties share it. */
    static const int8_t in[4] = {5, 5, 4, -128};
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1e6f, 1.0f, TML_INT8, 1.0f / 256,
                                 -128), TML_OK);
    CHECK_EQ(p.in_left_shift, 31);
    CHECK_EQ(p.diff_min, 0);
    tml_softmax_s8(&p, in, out);
    CHECK_EQ(out[0], 0);
    CHECK_EQ(out[1], 0);
    CHECK_EQ(out[2], -128);
    CHECK_EQ(out[3], -128);
  }
  {
    /* 600 equal values: 1/600 * 256 = 0.43 -> -128. The sum, 600 * 2^19, is
    ** past 2^28, where TFLite's exponent check aborts; the quotient rounds to
    ** 0 all the same. int16 output: 65536 / 600 = 109.2 -> 109 - 32768. */
    static int8_t row[600], o8[600];
    static int16_t o16[600];
    int i, bad = 0;
    for (i = 0; i < 600; i++) row[i] = 42;
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 600, 1.0f, 0.1f, TML_INT8, 1.0f / 256,
                                 -128), TML_OK);
    tml_softmax_s8(&p, row, o8);
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 600, 1.0f, 0.1f, TML_INT16,
                                 1.0f / 65536, -32768), TML_OK);
    tml_softmax_s8_s16(&p, row, o16);
    for (i = 0; i < 600; i++) bad += o8[i] != -128 || o16[i] != 109 - 32768;
    CHECK_EQ(bad, 0);
  }
  {
    /* In place. */
    int8_t buf[2] = {16, 0};
    CHECK_EQ(tml_softmax_s8_init(&p, 1, 2, 1.0f, 1.0f / 16, TML_INT8,
                                 1.0f / 256, -128), TML_OK);
    tml_softmax_s8(&p, buf, buf);
    CHECK_EQ(buf[0], 59);
    CHECK_EQ(buf[1], -59);
  }
}

static void test_s8_init_rejects(void) {
  tml_softmax_params p;
  /* TFLM's output checks. */
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_INT8, 1.0f / 255,
                               -128), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_INT8, 1.0f / 256, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_INT16, 1.0f / 32768,
                               0), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_INT16,
                               1.0f / 65536 * 1.0005f, -32768), TML_OK);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_INT16,
                               1.0f / 65536 * 1.002f, -32768), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 0.1f, TML_FLOAT32, 0.0f, 0),
           TML_ERR_TYPE);
  /* beta * scale * 2^26 must exceed 1. */
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, 1e-8f, TML_INT8, 1.0f / 256,
                               -128), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 0.0f, 0.1f, TML_INT8, 1.0f / 256,
                               -128), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 4, 1.0f, -0.1f, TML_INT8, 1.0f / 256,
                               -128), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s8_init(&p, 1, 0, 1.0f, 0.1f, TML_INT8, 1.0f / 256,
                               -128), TML_ERR_SHAPE);
  CHECK_EQ(tml_softmax_s8_init(NULL, 1, 4, 1.0f, 0.1f, TML_INT8, 1.0f / 256,
                               -128), TML_ERR_ARG);
}

static void test_s16(void) {
  tml_softmax_params p;
  int16_t luts[2 * 513];
  int16_t in[3 * 16], out[3 * 16];
  unsigned seed = 777;
  int i, r, bad = 0, bad_lut = 0;
  const float scale = 1.0f / 2048; /* int16 range covers +-16 */
  CHECK_EQ(tml_softmax_s16_init(&p, 3, 16, 1.0f, scale, 0, 1.0f / 32768, 0,
                                luts), TML_OK);
  /* The tables against the functions they sample, in double: exp on
  ** [-10, 0] and 1/(1+x) on [0, 1], both in Q0.15, 512 steps. Entries are
  ** biased by at most half the midpoint error, so 2 LSB is generous. */
  for (i = 0; i <= 512; i++) {
    const double e = exp(-10.0 + 10.0 * i / 512) * 32768;
    const double rc = 1.0 / (1.0 + i / 512.0) * 32768;
    if (fabs(luts[i] - (e > 32767 ? 32767 : e)) > 2) bad_lut++;
    if (fabs(luts[513 + i] - (rc > 32767 ? 32767 : rc)) > 2) bad_lut++;
  }
  CHECK_EQ(bad_lut, 0);
  CHECK_EQ(luts[512], 32767);       /* exp(0) = 1 saturates */
  CHECK_EQ(luts[0], 2);             /* exp(-10) = 1.49, biased up by 1 */
  CHECK_EQ(luts[513 + 512], 16384); /* 1 / (1 + 1) */
  for (i = 0; i < 3 * 16; i++) {
    seed = seed * 1103515245u + 12345u;
    in[i] = (int16_t)((seed >> 12) & 0xFFFF);
  }
  in[0] = 32767;
  in[1] = -32768;
  tml_softmax_s16(&p, in, out);
  for (r = 0; r < 3; r++) {
    double mx = -1e300, sum = 0, e[16];
    int c;
    for (c = 0; c < 16; c++) mx = in[r * 16 + c] > mx ? in[r * 16 + c] : mx;
    /* TFLite's exp table stops at -10, and its first entry holds 2 LSB
    ** (exp(-10) = 1.49 LSB plus the table's midpoint bias): anything
    ** smaller counts as 2/32768, which adds up over a row. Model that, then
    ** allow 4 LSB for the tables' interpolation and rounding. */
    for (c = 0; c < 16; c++) {
      e[c] = exp((in[r * 16 + c] - mx) * scale);
      sum += e[c] = e[c] < 2.0 / 32768 ? 2.0 / 32768 : e[c];
    }
    for (c = 0; c < 16; c++) {
      const double want = clampd(e[c] / sum * 32768, 0, 32767);
      if (fabs(out[r * 16 + c] - want) > 4 && bad++ < 3)
        fprintf(stderr, "s16 [%d][%d] = %d, real %.2f\n", r, c,
                out[r * 16 + c], want);
    }
  }
  CHECK_EQ(bad, 0);
  {
    /* All equal, by hand. exp(0) is looked up at 32767: entry 511 + 127/128
    ** of the step to 512. Entry 511 samples exp(-10/512) * 32768 = 32134.2
    ** -> 32134, minus its midpoint bias round((32451 - 32450) / 2) = 1:
    ** 32133; entry 512 is exp(0) = 32768 clamped to 32767. So exp(0) =
    ** 32133 + (634 * 127 + 64) >> 7 = 32762, and the sum 65524 has 16
    ** leading zeros: (65524 << 15 + 2^13) >> 14 = 131048, minus 98304 =
    ** 32744 indexes the 1/(1+x) table at entry 511 (1/1.998047 * 32768 =
    ** 16400, no bias) with offset 104 towards entry 512 (16384):
    ** 16400 + (-16 * 104 + 64) >> 7 = 16400 - 13 = 16387. The output is
    ** (32762 * 16387 + 2^14) >> 15 = 536887278 >> 15 = 16384 (1/2). */
    int16_t eq[2] = {1000, 1000}, o[2];
    CHECK_EQ(tml_softmax_s16_init(&p, 1, 2, 1.0f, scale, 0, 1.0f / 32768, 0,
                                  luts), TML_OK);
    CHECK_EQ(luts[511], 32133);
    CHECK_EQ(luts[513 + 511], 16400);
    tml_softmax_s16(&p, eq, o);
    CHECK_EQ(o[0], 16384);
    CHECK_EQ(o[1], 16384);
    /* Beyond -10 the exp table bottoms out at 2 LSB. */
    eq[1] = -32768;
    eq[0] = 32767;
    tml_softmax_s16(&p, eq, o);
    CHECK_NEAR(o[0], 32767, 1);
    CHECK(o[1] >= 0 && o[1] <= 2);
    /* In place. */
    eq[0] = eq[1] = -5;
    tml_softmax_s16(&p, eq, eq);
    CHECK_EQ(eq[0], eq[1]);
    CHECK_NEAR(eq[0], 16384, 2);
  }
  /* TFLM's checks: zero points 0, output scale 1/32768. */
  CHECK_EQ(tml_softmax_s16_init(&p, 1, 2, 1.0f, scale, 1, 1.0f / 32768, 0,
                                luts), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s16_init(&p, 1, 2, 1.0f, scale, 0, 1.0f / 32768, 5,
                                luts), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s16_init(&p, 1, 2, 1.0f, scale, 0, 1.0f / 16384, 0,
                                luts), TML_ERR_QUANT);
  CHECK_EQ(tml_softmax_s16_init(&p, 1, 70000, 1.0f, scale, 0, 1.0f / 32768,
                                0, luts), TML_ERR_SHAPE);
}

static void test_beta(void) {
  /* beta scales the logits: beta 2 on scale s equals beta 1 on scale 2s. */
  static const int8_t in[6] = {10, 20, 30, -5, 0, 12};
  tml_softmax_params a, b;
  int8_t oa[6], ob[6];
  CHECK_EQ(tml_softmax_s8_init(&a, 1, 6, 2.0f, 0.05f, TML_INT8, 1.0f / 256,
                               -128), TML_OK);
  CHECK_EQ(tml_softmax_s8_init(&b, 1, 6, 1.0f, 0.1f, TML_INT8, 1.0f / 256,
                               -128), TML_OK);
  tml_softmax_s8(&a, in, oa);
  tml_softmax_s8(&b, in, ob);
  CHECK_ARRAY_EQ(oa, ob, 6);
  check_s8_vs_real(in, 2, 3, 0.05f, 2.0f);
}

static void test_f32(void) {
  static const float in[6] = {1.0f, 2.0f, 3.0f, -1000.0f, 0.0f, 1000.0f};
  float out[6];
  double want[6];
  tml_softmax_params p;
  int r, c;
  CHECK_EQ(tml_softmax_f32_init(&p, 2, 3, 0.5f), TML_OK);
  tml_softmax_f32(&p, in, out);
  for (r = 0; r < 2; r++) {
    double mx = -1e300, sum = 0;
    for (c = 0; c < 3; c++) mx = in[r * 3 + c] > mx ? in[r * 3 + c] : mx;
    for (c = 0; c < 3; c++)
      sum += want[r * 3 + c] = exp((in[r * 3 + c] - mx) * 0.5);
    for (c = 0; c < 3; c++) want[r * 3 + c] /= sum;
  }
  CHECK_ARRAY_NEAR(out, want, 6, 1e-6);
  CHECK_EQ(out[5], 1.0f);
  CHECK_EQ(out[3], 0.0f);
}

int main(void) {
  test_s8_vs_real();
  test_s8_by_hand();
  test_s8_edges();
  test_s8_init_rejects();
  test_s16();
  test_beta();
  test_f32();
  return TEST_REPORT();
}
