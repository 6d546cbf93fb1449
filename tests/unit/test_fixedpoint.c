/*
** tml_fixedpoint.h against the real functions in double. The bounds are the
** approximation errors of gemmlowp's methods (a 4th-order Taylor polynomial
** on [-1/4, 0) for exp, three Newton steps for the reciprocals), so a
** missing Newton step or a wrong barrel-shifter constant shows up.
*/
#include <math.h>

#include "tml_fixedpoint.h"
#include "tml_test.h"

#define Q31 2147483648.0

static void test_primitives(void) {
  CHECK_EQ(tml_clz32(0), 32);
  CHECK_EQ(tml_clz32(1), 31);
  CHECK_EQ(tml_clz32(0x80000000u), 0);
  CHECK_EQ(tml_clz32(0x00012345u), 15);
  /* Saturating left shift, rounding right shift. */
  CHECK_EQ(tml_fp_mul_pot(3, 2), 12);
  CHECK_EQ(tml_fp_mul_pot(1 << 29, 2), INT32_MAX);
  CHECK_EQ(tml_fp_mul_pot(-(1 << 29) - 1, 2), INT32_MIN);
  CHECK_EQ(tml_fp_mul_pot(-(1 << 29) + 1, 2), INT32_MIN + 4);
  CHECK_EQ(tml_fp_mul_pot(6, -2), 2);  /* 1.5 -> 2 */
  CHECK_EQ(tml_fp_mul_pot(-6, -2), -2); /* -1.5 -> -2, away from zero */
  CHECK_EQ(tml_fp_mul_pot(5, -2), 1);
  CHECK_EQ(tml_fp_rescale(1 << 19, 12, 0), INT32_MAX);
  CHECK_EQ(tml_fp_rescale(INT32_MAX, 0, 12), 1 << 19);
  /* (a + b) / 2, halves away from zero, no overflow. */
  CHECK_EQ(tml_fp_rounding_half_sum(1, 2), 2);
  CHECK_EQ(tml_fp_rounding_half_sum(-1, -2), -2);
  CHECK_EQ(tml_fp_rounding_half_sum(INT32_MAX, INT32_MAX), INT32_MAX);
  CHECK_EQ(tml_fp_rounding_half_sum(0, INT32_MAX), 1 << 30);
}

static void test_exp(void) {
  double worst = 0;
  int32_t i;
  for (i = 0; i <= 200000; i++) {
    const int32_t a = -i * 10737; /* Q5.26 down to -32 */
    const double got = tml_fp_exp_on_negative_values(a, 5) / Q31;
    const double err = fabs(got - exp(a / 67108864.0));
    worst = err > worst ? err : worst;
  }
  CHECK(worst < 2.5e-7); /* (1/8)^5 / 5! = 2.5e-7 */
  CHECK_EQ(tml_fp_exp_on_negative_values(0, 5), INT32_MAX);
  /* -1 exactly: the barrel bits for 1/4 and 1/2 on top of exp(-1/4). */
  CHECK_NEAR(tml_fp_exp_on_negative_values(-(1 << 26), 5) / Q31, exp(-1.0),
             2.5e-7);
  /* Q4 input (logistic's): same accuracy, 3 barrel stages fewer. */
  CHECK_NEAR(tml_fp_exp_on_negative_values(-(5 << 27) - 12345, 4) / Q31,
             exp(-5.0 - 12345 / 134217728.0), 2.5e-7);
  /* Q6: below -32 the result is clamped to 0. */
  CHECK_EQ(tml_fp_exp_on_negative_values(-(33 << 25), 6), 0);
  CHECK(tml_fp_exp_on_negative_values(-(31 << 25), 6) <= 1);
}

static void test_reciprocals(void) {
  double w1 = 0, w2 = 0;
  int32_t i, bits;
  for (i = 0; i <= 200000; i++) {
    const int32_t a = i * 10737; /* [0, 1) in Q0.31 */
    const double x = a / Q31;
    const double e1 = fabs(tml_fp_one_over_one_plus_x(a) / Q31 - 1 / (1 + x));
    const double e2 =
        fabs(tml_fp_one_minus_x_over_one_plus_x(a) / Q31 - (1 - x) / (1 + x));
    w1 = e1 > w1 ? e1 : w1;
    w2 = e2 > w2 ? e2 : w2;
  }
  CHECK(w1 < 1e-8);
  CHECK(w2 < 2e-8);
  /* GetReciprocal: 1.5 in Q12.19 = 3 << 18: 0 bits over unit, r = 1/1.5. */
  CHECK_NEAR(tml_fp_reciprocal(3 << 18, 12, &bits) / Q31, 2.0 / 3, 1e-8);
  CHECK_EQ(bits, 0);
  /* 5.0 = 1.25 * 4: 2 bits over unit, r = 0.8. */
  CHECK_NEAR(tml_fp_reciprocal(5 << 19, 12, &bits) / Q31, 0.8, 1e-8);
  CHECK_EQ(bits, 2);
  /* 1/4096 (Q12.19 raw 128): 12 bits below unit. */
  CHECK_NEAR(tml_fp_reciprocal(128, 12, &bits) / Q31, 1.0, 1e-8);
  CHECK_EQ(bits, -12);
}

static void test_logistic_tanh(void) {
  double wl = 0, wt = 0;
  int32_t i;
  for (i = -100000; i <= 100000; i++) {
    const int32_t a = i * 20111; /* Q4.27, about [-15, 15] */
    const double x = a / 134217728.0;
    const double el = fabs(tml_fp_logistic(a, 4) / Q31 - 1 / (1 + exp(-x)));
    const double et = fabs(tml_fp_tanh(a, 4) / Q31 - tanh(x));
    wl = el > wl ? el : wl;
    wt = et > wt ? et : wt;
  }
  CHECK(wl < 1e-7);
  CHECK(wt < 2e-7);
  CHECK_EQ(tml_fp_logistic(0, 4), 1 << 30);
  CHECK_EQ(tml_fp_tanh(0, 4), 0);
  /* Mirror symmetry, exact by construction. */
  CHECK_EQ(tml_fp_logistic(-12345678, 4),
           INT32_MAX - tml_fp_logistic(12345678, 4));
  CHECK_EQ(tml_fp_tanh(-12345678, 4), -tml_fp_tanh(12345678, 4));
}

int main(void) {
  test_primitives();
  test_exp();
  test_reciprocals();
  test_logistic_tanh();
  return TEST_REPORT();
}
