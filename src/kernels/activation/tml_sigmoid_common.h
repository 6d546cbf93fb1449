/*
** tml_sigmoid_common.h — what LOGISTIC and TANH share: TFLite's int8 input
** rescaling, its int16 input scaling and the sigmoid table of its int16
** kernels. Internal to src/kernels/activation.
*/
#ifndef TML_SIGMOID_COMMON_H
#define TML_SIGMOID_COMMON_H

#include <stdint.h>

#include "tml_fixedpoint.h"
#include "tml_kernels.h"

/* int8: x - in_zp is rescaled to Q4.27 for gemmlowp's logistic/tanh. */
tml_status tml_sigmoid_s8_prepare(tml_sigmoid_params *p, int32_t count,
                                  float in_scale, int32_t in_zp);

/* int16 (both zero points 0, output scale 2^-15): the input is rescaled to
** the table's scale, where 2^17 is 10.7 (3 * 4096 per unit). An input scale
** of 2^-(12 - s) with s <= max_pot_shift uses the multiplier 3 << s. */
tml_status tml_sigmoid_s16_prepare(tml_sigmoid_params *p, int32_t count,
                                   float in_scale, int32_t in_zp,
                                   float out_scale, int32_t out_zp,
                                   int32_t max_pot_shift);

#endif
