/*
** LOGISTIC, bit-exact with TFLite Micro's reference kernels: gemmlowp fixed
** point for int8, TFLite's interpolated sigmoid table for int16.
*/
#include <math.h>

#include "tml_fixedpoint.h"
#include "tml_kernels.h"
#include "tml_qmath.h"
#include "tml_sigmoid_common.h"

tml_status tml_logistic_s8_init(tml_sigmoid_params *p, int32_t count,
                                float in_scale, int32_t in_zp, float out_scale,
                                int32_t out_zp) {
  /* TFLM checks only the zero point; the kernel's output is on 1/256. */
  (void)out_scale;
  if (out_zp != -128) return TML_ERR_QUANT;
  return tml_sigmoid_s8_prepare(p, count, in_scale, in_zp);
}

tml_status tml_logistic_s16_init(tml_sigmoid_params *p, int32_t count,
                                 float in_scale, int32_t in_zp,
                                 float out_scale, int32_t out_zp) {
  return tml_sigmoid_s16_prepare(p, count, in_scale, in_zp, out_scale, out_zp,
                                 0);
}

void tml_logistic_s8(const tml_sigmoid_params *p, const int8_t *in,
                     int8_t *out) {
  const int32_t radius = p->in_range_radius;
  int32_t i;
  for (i = 0; i < p->count; i++) {
    const int32_t x = (int32_t)in[i] - p->in_zp;
    if (x <= -radius) {
      out[i] = -128;
    } else if (x >= radius) {
      out[i] = 127;
    } else {
      const int32_t x_q4 = tml_mul_by_qm(x, p->in_mult, p->in_left_shift);
      /* Q0.31 in [0, 1] -> Q0.8, re-centred on the zero point -128. */
      const int32_t y = tml_rdbpot(tml_fp_logistic(x_q4, 4), 23) - 128;
      out[i] = (int8_t)TML_CLAMP(y, -128, 127);
    }
  }
}

void tml_logistic_s16(const tml_sigmoid_params *p, const int16_t *in,
                      int16_t *out) {
  const int32_t mult = p->in_mult, shift = p->in_left_shift;
  const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  int32_t i;
  for (i = 0; i < p->count; i++) {
    out[i] = tml_sigmoid_q15(((int32_t)in[i] * mult + round) >> shift);
  }
}

void tml_logistic_f32(const tml_sigmoid_params *p, const float *in,
                      float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) {
    const float x = in[i];
    /* TFLite's cut-offs: 1 above where the float result rounds to 1 anyway,
    ** exp(x) below -9, where 1 + exp(-x) loses exp(x)'s precision. */
    if (x > 16.619047164916992188f)
      out[i] = 1.0f;
    else if (x < -9.0f)
      out[i] = expf(x);
    else
      out[i] = 1.0f / (1.0f + expf(-x));
  }
}
