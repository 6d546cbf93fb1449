/*
** DEQUANTIZE (TFLite's reference): (x - zero point) converted to float, times
** the float scale.
*/
#include "tml_kernels.h"

tml_status tml_dequantize_init(tml_quantize_params *p, int32_t count,
                               float in_scale, int32_t in_zp) {
  /* An int8 or int16 zero point keeps x - zp far from int32 overflow. */
  if (!(in_scale > 0.0f) || in_zp < INT16_MIN || in_zp > INT16_MAX)
    return TML_ERR_QUANT;
  p->count = count;
  p->scale = in_scale;
  p->zp = in_zp;
  return TML_OK;
}

void tml_dequantize_s8_f32(const tml_quantize_params *p, const int8_t *in,
                           float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) out[i] = p->scale * (float)(in[i] - p->zp);
}

void tml_dequantize_s16_f32(const tml_quantize_params *p, const int16_t *in,
                            float *out) {
  int32_t i;
  for (i = 0; i < p->count; i++) out[i] = p->scale * (float)(in[i] - p->zp);
}
