/*
** tml_variants.h — every implementation of a kernel that has more than one.
**
** A kernel's portable C version is <name>_portable; architecture variants sit
** beside it as <name>_arm_dsp (Cortex-M DSP extension), <name>_avx2 (x86-64),
** ... The public <name> picks one: at build time on a device, at run time
** (CPU check) on the host. Every variant must give the portable version's
** bytes exactly; tests/unit/test_variants.c checks that on random cases.
*/
#ifndef TML_VARIANTS_H
#define TML_VARIANTS_H

#include "tml_kernels.h"

void tml_conv2d_s8_portable(const tml_conv_params *p, const int8_t *in,
                            const int8_t *filter, const int32_t *bias,
                            int8_t *out, void *scratch);
void tml_depthwise_conv2d_s8_portable(const tml_conv_params *p,
                                      const int8_t *in, const int8_t *filter,
                                      const int32_t *bias, int8_t *out,
                                      void *scratch);
void tml_fully_connected_s8_portable(const tml_fc_params *p, const int8_t *in,
                                     const int8_t *w, const int32_t *bias,
                                     int8_t *out);

#endif
