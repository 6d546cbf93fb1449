/*
** LOGISTIC and TANH kernels. Expected values: the real functions computed in
** double here (quantized outputs within 1 LSB), a few bytes worked out by
** hand through TFLite's fixed-point steps, saturation and monotonicity.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static double clampd(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

static void all_int8(int8_t *in) {
  int i;
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
}

/* Every int8 input against the real function; output is non-decreasing. */
static void check_s8_sweep(float scale, int32_t zp) {
  tml_sigmoid_params pl, pt;
  int8_t in[256], lo[256], th[256];
  int i, bad_l = 0, bad_t = 0, mono = 0;
  CHECK_EQ(tml_logistic_s8_init(&pl, 256, scale, zp, 1.0f / 256, -128),
           TML_OK);
  CHECK_EQ(tml_tanh_s8_init(&pt, 256, scale, zp, 1.0f / 128, 0), TML_OK);
  all_int8(in);
  tml_logistic_s8(&pl, in, lo);
  tml_tanh_s8(&pt, in, th);
  for (i = 0; i < 256; i++) {
    const double x = (in[i] - zp) * (double)scale;
    const double wl = clampd(sigmoid(x) * 256 - 128, -128, 127);
    const double wt = clampd(tanh(x) * 128, -128, 127);
    if (fabs(lo[i] - wl) > 1.0 && bad_l++ < 3)
      fprintf(stderr, "logistic(%g) = %d, real %.3f\n", x, lo[i], wl);
    if (fabs(th[i] - wt) > 1.0 && bad_t++ < 3)
      fprintf(stderr, "tanh(%g) = %d, real %.3f\n", x, th[i], wt);
    if (i > 0 && (lo[i] < lo[i - 1] || th[i] < th[i - 1])) mono++;
  }
  CHECK_EQ(bad_l, 0);
  CHECK_EQ(bad_t, 0);
  CHECK_EQ(mono, 0);
}

static void test_s8_sweeps(void) {
  check_s8_sweep(1.0f / 16, 0);
  check_s8_sweep(0.1f, -5);
  check_s8_sweep(0.0234f, 17);
  check_s8_sweep(0.5f, -128);
  check_s8_sweep(0.003f, 100);
  check_s8_sweep(2.0f, 0);
}

/* Input scale 1/16: scale * 2^27 = 2^23 = 0.5 * 2^24, so in_mult = 2^30 and
** in_left_shift = 24; x - zp = d becomes SRDHM(d << 24, 2^30) = d * 2^23,
** i.e. d/16 in Q4.27 exactly. Radius: floor(15 * 2^27 / 2^24) = 120. */
static void test_s8_by_hand(void) {
  tml_sigmoid_params p;
  static const int8_t in[9] = {0, 16, -16, 8, 119, 120, -119, -120, -128};
  int8_t out[9];
  CHECK_EQ(tml_logistic_s8_init(&p, 9, 1.0f / 16, 0, 1.0f / 256, -128),
           TML_OK);
  CHECK_EQ(p.in_mult, 1 << 30);
  CHECK_EQ(p.in_left_shift, 24);
  CHECK_EQ(p.in_range_radius, 120);
  tml_logistic_s8(&p, in, out);
  /* logistic(0) is exactly 1/2 (2^30 in Q0.31): 2^30 / 2^23 = 128, -128. */
  CHECK_EQ(out[0], 0);
  /* logistic(1) = 0.731059: * 256 = 187.15 -> 59; logistic(-1) = 0.268941:
  ** 68.85 -> -59; logistic(0.5) = 0.622459: 159.35 -> 31. */
  CHECK_EQ(out[1], 59);
  CHECK_EQ(out[2], -59);
  CHECK_EQ(out[3], 31);
  /* 119 < radius: computed, logistic(7.4375) * 256 = 255.85 -> 127 after
  ** the clamp; 120 = radius saturates without computing. */
  CHECK_EQ(out[4], 127);
  CHECK_EQ(out[5], 127);
  CHECK_EQ(out[6], -128); /* 0.15 -> 0 -> -128 */
  CHECK_EQ(out[7], -128);
  CHECK_EQ(out[8], -128);

  CHECK_EQ(tml_tanh_s8_init(&p, 9, 1.0f / 16, 0, 1.0f / 128, 0), TML_OK);
  tml_tanh_s8(&p, in, out);
  /* tanh(0) = 0; tanh(1) = 0.761594 * 128 = 97.48 -> 97; tanh(0.5) =
  ** 0.462117 -> 59.15 -> 59; tanh(7.4375) * 128 = 128.0 -> clamped 127. */
  CHECK_EQ(out[0], 0);
  CHECK_EQ(out[1], 97);
  CHECK_EQ(out[2], -97);
  CHECK_EQ(out[3], 59);
  CHECK_EQ(out[4], 127);
  CHECK_EQ(out[5], 127);
  CHECK_EQ(out[6], -128);
  CHECK_EQ(out[7], -128);
  CHECK_EQ(out[8], -128);
}

static void test_s8_zero_point(void) {
  /* The output at the input zero point is exactly the function at 0. */
  tml_sigmoid_params p;
  int8_t in[256], out[256];
  all_int8(in);
  CHECK_EQ(tml_logistic_s8_init(&p, 256, 0.07f, 33, 1.0f / 256, -128),
           TML_OK);
  tml_logistic_s8(&p, in, out);
  CHECK_EQ(out[33 + 128], 0);
  CHECK_EQ(out[0], -128);
  CHECK_EQ(out[255], 127);
  CHECK_EQ(tml_tanh_s8_init(&p, 256, 0.07f, 33, 1.0f / 128, 0), TML_OK);
  tml_tanh_s8(&p, in, out);
  CHECK_EQ(out[33 + 128], 0);
  CHECK_EQ(out[0], -128);
  CHECK_EQ(out[255], 127);
  /* Odd symmetry of tanh around the zero point (gemmlowp computes -t). */
  CHECK_EQ(out[33 + 128 + 20], -out[33 + 128 - 20]);
}

static void test_s8_large_scale(void) {
  /* Scale 16: 2^31 -> shift 32, radius 0: every input saturates, the zero
  ** point itself included (it is <= -0). */
  tml_sigmoid_params p;
  static const int8_t in[3] = {-1, 0, 1};
  int8_t out[3];
  CHECK_EQ(tml_logistic_s8_init(&p, 3, 16.0f, 0, 1.0f / 256, -128), TML_OK);
  CHECK_EQ(p.in_range_radius, 0);
  tml_logistic_s8(&p, in, out);
  CHECK_EQ(out[0], -128);
  CHECK_EQ(out[1], -128);
  CHECK_EQ(out[2], 127);
}

static void test_init_rejects(void) {
  tml_sigmoid_params p;
  CHECK_EQ(tml_logistic_s8_init(&p, 4, 0.1f, 0, 1.0f / 256, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_logistic_s8_init(&p, 4, 0.0f, 0, 1.0f / 256, -128),
           TML_ERR_QUANT);
  CHECK_EQ(tml_tanh_s8_init(&p, 4, -1.0f, 0, 1.0f / 128, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_tanh_s8_init(&p, 4, 1e-10f, 0, 1.0f / 128, 0), TML_ERR_QUANT);
  CHECK_EQ(tml_tanh_s8_init(&p, -1, 0.1f, 0, 1.0f / 128, 0), TML_ERR_SHAPE);
  CHECK_EQ(tml_tanh_s8_init(NULL, 4, 0.1f, 0, 1.0f / 128, 0), TML_ERR_ARG);
  /* int16: zero points 0 and output scale 2^-15 (TFLM). */
  CHECK_EQ(tml_logistic_s16_init(&p, 4, 1.0f / 4096, 1, 1.0f / 32768, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_logistic_s16_init(&p, 4, 1.0f / 4096, 0, 1.0f / 32768, 3),
           TML_ERR_QUANT);
  CHECK_EQ(tml_logistic_s16_init(&p, 4, 1.0f / 4096, 0, 1.0f / 32000, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_tanh_s16_init(&p, 4, 1.0f / 4096, 0, 1.0f / 16384, 0),
           TML_ERR_QUANT);
  /* An input scale above 32767 / 12288 needs a multiplier over 15 bits. */
  CHECK_EQ(tml_tanh_s16_init(&p, 4, 3.0f, 0, 1.0f / 32768, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_tanh_s16_init(&p, 4, 2.5f, 0, 1.0f / 32768, 0), TML_OK);
}

/* int16: every 7th input against the real function, in Q0.15. The table
** samples sigmoid every 1/24 and interpolates linearly (error below 0.7 LSB
** of 2^-15), its entries are Q0.16 (0.25 LSB), the input multiplier is
** truncated to 15 bits, and the output is rounded: 2 LSB. tanh doubles the
** table's errors (2 sigmoid(2x) - 1): 3 LSB. */
static void check_s16(int is_tanh, float scale, int32_t want_mult,
                      int32_t want_shift) {
  tml_sigmoid_params p;
  static int16_t in[65536 / 7 + 1], out[65536 / 7 + 1];
  int n = 0, i, bad = 0, mono = 0;
  int32_t v;
  for (v = -32768; v <= 32767; v += 7) in[n++] = (int16_t)v;
  CHECK_EQ(is_tanh ? tml_tanh_s16_init(&p, n, scale, 0, 1.0f / 32768, 0)
                   : tml_logistic_s16_init(&p, n, scale, 0, 1.0f / 32768, 0),
           TML_OK);
  CHECK_EQ(p.in_mult, want_mult);
  CHECK_EQ(p.in_left_shift, want_shift);
  if (is_tanh)
    tml_tanh_s16(&p, in, out);
  else
    tml_logistic_s16(&p, in, out);
  for (i = 0; i < n; i++) {
    const double x = in[i] * (double)scale;
    /* The table ends at 255/24 = 10.6 (tanh: 5.3), where it saturates. */
    const double w = is_tanh ? clampd(tanh(x) * 32768, -32768, 32767)
                             : clampd(sigmoid(x) * 32768, 0, 32767);
    const double err = fabs(out[i] - w);
    if (err > (is_tanh ? 3.0 : 2.0) && bad++ < 3)
      fprintf(stderr, "%s16(%g) = %d, real %.2f\n", is_tanh ? "tanh" : "sig",
              x, out[i], w);
    if (i > 0 && out[i] < out[i - 1]) mono++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(mono, 0);
}

static void test_s16(void) {
  tml_sigmoid_params p;
  static const int16_t in[3] = {0, 32767, -32768};
  int16_t out[3];
  /* Scale 2^-12 is the table's native one: multiplier 3 (3 * 4096 per unit),
  ** no shift. 2^-11 is native for tanh only (multiplier 6): logistic takes
  ** the general path, doubling 2^-11 * 12288 = 6 up to 24576 = 6 * 2^12. */
  check_s16(0, 1.0f / 4096, 3, 0);
  check_s16(1, 1.0f / 4096, 3, 0);
  check_s16(1, 1.0f / 2048, 6, 0);
  check_s16(0, 1.0f / 2048, 24576, 12);
  /* A general scale: 0.0003 * 12288 = 3.6864, doubled 13 times to 30198.2,
  ** truncated to 30198. */
  check_s16(0, 0.0003f, 30198, 13);
  check_s16(1, 0.0003f, 30198, 13);
  /* Hand values at 2^-12. logistic(0): entry 0 of the table is 32768 (1/2
  ** in Q0.16): (32768 << 9) + 2^9 >> 10 = 16384. Full scale 32767 * 3 >> 9
  ** = 191, table end not reached: sigmoid(8) * 32768 = 32757. */
  CHECK_EQ(tml_logistic_s16_init(&p, 3, 1.0f / 4096, 0, 1.0f / 32768, 0),
           TML_OK);
  tml_logistic_s16(&p, in, out);
  CHECK_EQ(out[0], 16384);
  CHECK_NEAR(out[1], 32757, 1);
  CHECK_NEAR(out[2], 11, 1);
  /* tanh(0): (32768 << 8) - 2^23 + 2^7 >> 8 = 0. tanh(8) saturates: index
  ** 98301 >> 8 = 383 >= 255, so (0xFFFF << 8) - 2^23 + 2^7 >> 8 = 32767;
  ** its mirror -(0xFFFF << 8) + 2^23 + 2^7 - 1 = -8388225 floors to
  ** -32767. */
  CHECK_EQ(tml_tanh_s16_init(&p, 3, 1.0f / 4096, 0, 1.0f / 32768, 0), TML_OK);
  tml_tanh_s16(&p, in, out);
  CHECK_EQ(out[0], 0);
  CHECK_EQ(out[1], 32767);
  CHECK_EQ(out[2], -32767);
  {
    /* Rounding ties, still at 2^-12 (x = 3 * input on the table's scale).
    ** logistic(-512): |x| = 1536 = 3 * 512, table entry 3 exactly (34813,
    ** 0.531204 in Q0.16, odd). 1 - that is 30723 / 2^16 = 15361.5 in Q0.15:
    ** (2^25 - (34813 << 9) + 2^9 - 1) >> 10 = 15730687 >> 10 = 15361,
    ** rounding the tie down; logistic(512): (17824256 + 2^9) >> 10 = 17407
    ** rounds its tie (17406.5) up, so the pair still sums to 1.
    ** tanh(-176): |x| = 528, entry 2 (34133) plus 16/256 of the step to
    ** entry 3 (680): 8738048 + 10880 = 8748928; (-8748928 + 2^23 + 2^7 - 1)
    ** >> 8 = -360193 >> 8 = -1408 (floor), and +1408 for tanh(176). */
    static const int16_t ties[4] = {-512, 512, -176, 176};
    int16_t y[4];
    CHECK_EQ(tml_logistic_s16_init(&p, 2, 1.0f / 4096, 0, 1.0f / 32768, 0),
             TML_OK);
    tml_logistic_s16(&p, ties, y);
    CHECK_EQ(tml_tanh_s16_init(&p, 2, 1.0f / 4096, 0, 1.0f / 32768, 0),
             TML_OK);
    tml_tanh_s16(&p, ties + 2, y + 2);
    CHECK_EQ(y[0], 15361);
    CHECK_EQ(y[1], 17407);
    CHECK_EQ(y[2], -1408);
    CHECK_EQ(y[3], 1408);
  }
}

static void test_f32(void) {
  static const float in[8] = {0.0f, 1.0f, -1.0f, 5.5f, -8.9f, -9.5f, 17.0f,
                              -30.0f};
  float out[8];
  double want[8];
  tml_sigmoid_params p;
  int i;
  p.count = 8;
  tml_logistic_f32(&p, in, out);
  for (i = 0; i < 8; i++) want[i] = sigmoid(in[i]);
  CHECK_ARRAY_NEAR(out, want, 8, 1e-7);
  CHECK_EQ(out[6], 1.0f); /* above TFLite's cut-off: exactly 1 */
  CHECK(out[7] > 0.0f && fabs(out[7] - exp(-30.0)) < 1e-18);
  tml_tanh_f32(&p, in, out);
  for (i = 0; i < 8; i++) want[i] = tanh(in[i]);
  CHECK_ARRAY_NEAR(out, want, 8, 1e-7);
}

int main(void) {
  test_s8_sweeps();
  test_s8_by_hand();
  test_s8_zero_point();
  test_s8_large_scale();
  test_init_rejects();
  test_s16();
  test_f32();
  return TEST_REPORT();
}
