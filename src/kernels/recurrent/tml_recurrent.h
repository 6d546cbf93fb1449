/*
** Helpers shared by the recurrent kernels (SVDF, LSTM).
*/
#ifndef TML_RECURRENT_H
#define TML_RECURRENT_H

#include <float.h>
#include <stdint.h>

/* TFLite accumulates these dot products in int32 and its compiled code wraps
** on overflow. The kernels accumulate in uint32 (defined wrap-around) and
** read the sum back as int32 here, without implementation-defined casts. */
static inline int32_t tml_rec_s32(uint32_t u) {
  return u <= 0x7FFFFFFFu ? (int32_t)u : -(int32_t)~u - 1;
}

/* A usable quantization scale: positive and finite (rejects NaN). */
static inline int tml_rec_scale_ok(float s) {
  return s > 0.0f && s <= FLT_MAX;
}

/* TFLite's int16 logistic and tanh (reference_integer_ops) as the LSTM uses
** them: x in Q3.12, result in Q0.15. The tanh input is first scaled by
** mult and divided by 2^rshift with rounding (3 and 0 for Q3.12). */
int16_t tml_rec_sigmoid_s16(int32_t x);
int16_t tml_rec_tanh_s16(int32_t x, int32_t mult, int32_t rshift);

#endif
