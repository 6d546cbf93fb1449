/*
** tml_fixedpoint.h — gemmlowp-style fixed-point math on int32 raw values, as
** TFLite's quantized softmax, logistic and tanh use it. A value in format Qk
** ("k integer bits") is raw / 2^(31 - k); Q0 covers [-1, 1).
**
** The integer-bit counts are plain arguments instead of template parameters;
** callers pass constants, so an optimising compiler folds them. Every
** rounding step mirrors gemmlowp's, because the kernels' output bytes depend
** on each of them.
*/
#ifndef TML_FIXEDPOINT_H
#define TML_FIXEDPOINT_H

#include <stdint.h>

#include "tml_qmath.h"

/* Q0 raw value of "one": 1 itself is not representable in Q0. */
#define TML_FP_ONE_Q0 INT32_MAX

/* Leading zero bits of x (32 for 0). Called once per softmax row, so a plain
** binary search is enough. */
static inline int32_t tml_clz32(uint32_t x) {
  int32_t n = 0;
  if (x == 0) return 32;
  if (x <= 0x0000FFFFu) { n += 16; x <<= 16; }
  if (x <= 0x00FFFFFFu) { n += 8; x <<= 8; }
  if (x <= 0x0FFFFFFFu) { n += 4; x <<= 4; }
  if (x <= 0x3FFFFFFFu) { n += 2; x <<= 2; }
  if (x <= 0x7FFFFFFFu) { n += 1; }
  return n;
}

/* x * 2^exponent: a saturating left shift for exponent > 0, a rounding right
** shift (tml_rdbpot) for exponent < 0. */
static inline int32_t tml_fp_mul_pot(int32_t x, int32_t exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return tml_rdbpot(x, -exponent);
  threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return tml_shl(x, exponent);
}

/* Change the format from Q(src_bits) to Q(dst_bits). */
static inline int32_t tml_fp_rescale(int32_t x, int32_t src_bits,
                                     int32_t dst_bits) {
  return tml_fp_mul_pot(x, src_bits - dst_bits);
}

/* (a + b) / 2 rounded half away from zero, without overflow. */
static inline int32_t tml_fp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0 in and out: a fourth-order Taylor expansion
** around -1/8. */
static inline int32_t tml_fp_exp_on_interval_neg_quarter(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0 */
  const int32_t one_third = 715827883;             /* 1/3 in Q0 */
  const int32_t x = a + (1 << 28);                 /* a + 1/8 */
  const int32_t x2 = tml_srdhm(x, x);
  const int32_t x3 = tml_srdhm(x2, x);
  const int32_t x4 = tml_srdhm(x2, x2);
  const int32_t x4_over_4 = tml_rdbpot(x4, 2);
  const int32_t poly =
      tml_rdbpot(tml_srdhm(x4_over_4 + x3, one_third) + x2, 1);
  return exp_minus_one_eighth + tml_srdhm(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 given in Q(integer_bits) (1..6); result in Q0. The input
** is split into its remainder modulo 1/4, handled by the polynomial, and a
** multiple of 1/4 whose bits each multiply by a constant exp(-2^k). */
static inline int32_t tml_fp_exp_on_negative_values(int32_t a,
                                                    int32_t integer_bits) {
  /* exp(-2^k) in Q0 for k = -2 .. 4. */
  static const int32_t exp_of_minus_pot[7] = {
      1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_quarter =
      (a & (one_quarter - 1)) - one_quarter;
  const int32_t remainder = a_mod_quarter_minus_quarter - a;
  int32_t result = tml_fp_exp_on_interval_neg_quarter(
      tml_fp_rescale(a_mod_quarter_minus_quarter, integer_bits, 0));
  int32_t k;
  for (k = -2; k <= 4 && k < integer_bits; k++) {
    if (remainder & ((int32_t)1 << (fractional_bits + k)))
      result = tml_srdhm(result, exp_of_minus_pot[k + 2]);
  }
  /* Below -32 the barrel shifter runs out of constants: exp is 0 there. */
  if (integer_bits > 5 && a < -((int32_t)1 << (36 - integer_bits)))
    result = 0;
  return a == 0 ? TML_FP_ONE_Q0 : result;
}

/* Newton-Raphson for 1 / (1 + a), a in [0, 1) in Q0: returns x in Q2 with
** x ~ 1 / ((1 + a) / 2), three iterations from the 48/17 - 32/17 d guess. */
static inline int32_t tml_fp_newton_reciprocal_q2(int32_t a) {
  const int32_t half_denominator = tml_fp_rounding_half_sum(a, TML_FP_ONE_Q0);
  const int32_t one_q2 = (int32_t)1 << 29;
  int32_t x = 1515870810 + tml_srdhm(half_denominator, -1010580540);
  int32_t i;
  for (i = 0; i < 3; i++) {
    const int32_t one_minus_dx = one_q2 - tml_srdhm(half_denominator, x);
    x = x + tml_fp_rescale(tml_srdhm(x, one_minus_dx), 4, 2);
  }
  return x;
}

/* 1 / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t tml_fp_one_over_one_plus_x(int32_t a) {
  /* x is 2 / (1 + a) in Q2, so the same raw value read as Q1 is 1 / (1 + a). */
  return tml_fp_rescale(tml_fp_newton_reciprocal_q2(a), 1, 0);
}

/* (1 - a) / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t tml_fp_one_minus_x_over_one_plus_x(int32_t a) {
  /* 2 / (1 + a) - 1 = (1 - a) / (1 + a). */
  return tml_fp_rescale(tml_fp_newton_reciprocal_q2(a) - ((int32_t)1 << 29),
                        2, 0);
}

/* logistic(a) = 1 / (1 + exp(-a)) for a in Q(integer_bits); result in Q0.
** Computed on -|a| and mirrored, so exp only sees values <= 0. */
static inline int32_t tml_fp_logistic(int32_t a, int32_t integer_bits) {
  const int32_t abs_a = a > 0 ? a : -a;
  const int32_t if_positive = tml_fp_one_over_one_plus_x(
      tml_fp_exp_on_negative_values(-abs_a, integer_bits));
  if (a == 0) return (int32_t)1 << 30;
  return a > 0 ? if_positive : TML_FP_ONE_Q0 - if_positive;
}

/* tanh(a) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)) with a's sign, a in
** Q(integer_bits); result in Q0. -|a| read with one more integer bit is
** -2|a|. */
static inline int32_t tml_fp_tanh(int32_t a, int32_t integer_bits) {
  const int32_t neg_abs_a = a < 0 ? a : -a;
  const int32_t t = tml_fp_one_minus_x_over_one_plus_x(
      tml_fp_exp_on_negative_values(neg_abs_a, integer_bits + 1));
  if (a == 0) return 0;
  return a < 0 ? -t : t;
}

/* TFLite's GetReciprocal: for x > 0 in Q(integer_digits), returns a Q0 value
** r and sets *bits_over_unit = n such that 1/x ~ r * 2^-n. x is normalised to
** [1, 2) by its leading zeros; r is 1 / (1 + (normalised x - 1)). */
static inline int32_t tml_fp_reciprocal(int32_t x, int32_t integer_digits,
                                        int32_t *bits_over_unit) {
  const int32_t headroom_plus_one = tml_clz32((uint32_t)x);
  const uint32_t normalised =
      headroom_plus_one < 32 ? (uint32_t)x << headroom_plus_one : 0u;
  *bits_over_unit = integer_digits - headroom_plus_one;
  return tml_fp_one_over_one_plus_x(
      (int32_t)(normalised - ((uint32_t)1 << 31)));
}

/* sigmoid(i / 24) in Q0.16 for i = 0..255, as TFLite ships it
** (tml_sigmoid_table.c). */
extern const uint16_t tml_sigmoid_table[256];

/* TFLite's int16 sigmoid of x on the table's scale (512 steps per 1/24: 9
** bits index the table, 9 interpolate), in Q0.15; negative inputs take
** 1 - sigmoid(|x|) with TFLite's rounding. */
static inline int16_t tml_sigmoid_q15(int32_t x) {
  const uint32_t ax = (uint32_t)(x < 0 ? -x : x);
  const uint32_t idx = ax >> 9;
  uint32_t y;
  if (idx >= 255) {
    y = (uint32_t)0x7FFF << 10;
  } else {
    const uint32_t lo = tml_sigmoid_table[idx];
    const uint32_t hi = tml_sigmoid_table[idx + 1];
    y = (lo << 9) + (ax & 0x1FF) * (hi - lo);
  }
  y = x >= 0 ? y + (1u << 9) : (1u << 25) - y + (1u << 9) - 1u;
  return (int16_t)(y >> 10);
}

/* TFLite's int16 tanh = 2 sigmoid(2x) - 1 on the same scale (8 bits of
** interpolation), in Q0.15, mirrored for negative inputs. */
static inline int16_t tml_tanh_q15(int32_t x) {
  const uint32_t ax = (uint32_t)(x < 0 ? -x : x);
  const uint32_t idx = ax >> 8;
  int32_t y;
  if (idx >= 255) {
    y = 0xFFFF << 8;
  } else {
    const uint32_t lo = tml_sigmoid_table[idx];
    const uint32_t hi = tml_sigmoid_table[idx + 1];
    y = (int32_t)((lo << 8) + (ax & 0xFF) * (hi - lo));
  }
  y = x >= 0 ? y - (1 << 23) + (1 << 7) : -y + (1 << 23) + (1 << 7) - 1;
  return (int16_t)(y >> 8);
}

#endif
