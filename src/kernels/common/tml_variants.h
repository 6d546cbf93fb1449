/*
** tml_variants.h — every implementation of a kernel that has more than one.
**
** A kernel's portable C version is <name>_portable; architecture variants sit
** beside it as <name>_arm_dsp (Cortex-M DSP extension), <name>_arm_mve
** (Cortex-M Helium), <name>_avx2 (x86-64), ... The public <name> picks one:
** at build time on a device, at run time (CPU check) on the host. Every
** variant must give the portable version's bytes exactly;
** tests/unit/test_variants.c checks that on random cases.
*/
#ifndef TML_VARIANTS_H
#define TML_VARIANTS_H

#include "tml_kernels.h"

void tml_conv2d_s8_portable(const tml_conv_params *p, const int8_t *in,
                            const int8_t *filter, const int32_t *bias,
                            int8_t *out, void *scratch);
void tml_conv2d_f32_portable(const tml_conv_params *p, const float *in,
                             const float *filter, const float *bias, float *out,
                             void *scratch);
void tml_depthwise_conv2d_s8_portable(const tml_conv_params *p,
                                      const int8_t *in, const int8_t *filter,
                                      const int32_t *bias, int8_t *out,
                                      void *scratch);
void tml_depthwise_conv2d_f32_portable(const tml_conv_params *p,
                                       const float *in, const float *filter,
                                       const float *bias, float *out,
                                       void *scratch);
void tml_depthwise_conv2d_s8_inplace_portable(const tml_conv_params *p,
                                              int8_t *data,
                                              const int8_t *filter,
                                              const int32_t *bias,
                                              void *scratch);
void tml_conv2d_s8_inplace_portable(const tml_conv_params *p, int8_t *data,
                                    const int8_t *filter, const int32_t *bias,
                                    void *scratch);
void tml_fully_connected_s8_portable(const tml_fc_params *p, const int8_t *in,
                                     const int8_t *w, const int32_t *bias,
                                     int8_t *out);
void tml_fully_connected_f32_portable(const tml_fc_params *p, const float *in,
                                      const float *w, const float *bias,
                                      float *out);
void tml_avgpool_s8_portable(const tml_pool_params *p, const int8_t *in,
                             int8_t *out);
void tml_maxpool_s8_portable(const tml_pool_params *p, const int8_t *in,
                             int8_t *out);
void tml_add_s8_portable(const tml_add_params *p, const int8_t *in1,
                         const int8_t *in2, int8_t *out);

/* Cortex-M DSP-extension variants (<family>_arm_dsp.c). Each takes every
** input its public kernel does, with <name>_scratch_size_for(p,
** TML_KSET_ARM_DSP) bytes of scratch; none falls back on the portable
** code, which a DSP build then does not link. */
#if defined(TML_KERNELS_ARM_DSP)
void tml_conv2d_s8_arm_dsp(const tml_conv_params *p, const int8_t *in,
                           const int8_t *filter, const int32_t *bias,
                           int8_t *out, void *scratch);
void tml_conv2d_s8_inplace_arm_dsp(const tml_conv_params *p, int8_t *data,
                                   const int8_t *filter, const int32_t *bias,
                                   void *scratch);
void tml_depthwise_conv2d_s8_arm_dsp(const tml_conv_params *p,
                                     const int8_t *in, const int8_t *filter,
                                     const int32_t *bias, int8_t *out,
                                     void *scratch);
void tml_depthwise_conv2d_s8_inplace_arm_dsp(const tml_conv_params *p,
                                             int8_t *data,
                                             const int8_t *filter,
                                             const int32_t *bias,
                                             void *scratch);
/* The depthwise variants' path for the layers tml_dw_dsp_nhwc picks
** (depthwise_arm_dsp.c); in place it needs tml_dw_dsp_nhwc_ring bytes of
** the scratch. */
void tml_depthwise_conv2d_s8_nhwc_arm_dsp(const tml_conv_params *p,
                                          const int8_t *in,
                                          const int8_t *filter,
                                          const int32_t *bias, int8_t *out,
                                          void *scratch, int in_place);
void tml_fully_connected_s8_arm_dsp(const tml_fc_params *p, const int8_t *in,
                                    const int8_t *w, const int32_t *bias,
                                    int8_t *out);
void tml_avgpool_s8_arm_dsp(const tml_pool_params *p, const int8_t *in,
                            int8_t *out);
void tml_maxpool_s8_arm_dsp(const tml_pool_params *p, const int8_t *in,
                            int8_t *out);
void tml_add_s8_arm_dsp(const tml_add_params *p, const int8_t *in1,
                        const int8_t *in2, int8_t *out);
#endif

/* Cortex-M Helium (MVE) variants (<family>_arm_mve.c), picked before the
** DSP ones; each needs no more scratch than its DSP variant (the planner
** plans with TML_KSET_ARM_DSP). */
#if defined(TML_KERNELS_ARM_MVE)
void tml_conv2d_s8_arm_mve(const tml_conv_params *p, const int8_t *in,
                           const int8_t *filter, const int32_t *bias,
                           int8_t *out, void *scratch);
void tml_conv2d_s8_inplace_arm_mve(const tml_conv_params *p, int8_t *data,
                                   const int8_t *filter, const int32_t *bias,
                                   void *scratch);
void tml_depthwise_conv2d_s8_arm_mve(const tml_conv_params *p,
                                     const int8_t *in, const int8_t *filter,
                                     const int32_t *bias, int8_t *out,
                                     void *scratch);
void tml_depthwise_conv2d_s8_inplace_arm_mve(const tml_conv_params *p,
                                             int8_t *data,
                                             const int8_t *filter,
                                             const int32_t *bias,
                                             void *scratch);
void tml_fully_connected_s8_arm_mve(const tml_fc_params *p, const int8_t *in,
                                    const int8_t *w, const int32_t *bias,
                                    int8_t *out);
#endif

/* x86-64 host variants (<family>_x86.c). They exist only where GCC-style
** target attributes and CPU builtins do (GCC, Clang), so the rest of the
** library still builds for any x86-64 and for other architectures. */
#if !defined(TML_KERNELS_PORTABLE) && defined(__x86_64__) && defined(__GNUC__)
#define TML_KERNELS_X86 1

/* The CPU check reads what libgcc / compiler-rt found with cpuid (and
** XGETBV: the OS saves the AVX state) in a constructor before main: state
** written once before any thread starts, so the dispatch holds no mutable
** state of its own and is thread-safe. */
#define TML_CPU_AVX2() __builtin_cpu_supports("avx2")
#define TML_CPU_SSE41() __builtin_cpu_supports("sse4.1")

void tml_conv2d_s8_avx2(const tml_conv_params *p, const int8_t *in,
                        const int8_t *filter, const int32_t *bias, int8_t *out,
                        void *scratch);
size_t tml_conv2d_s8_avx2_scratch_size(const tml_conv_params *p);
void tml_conv2d_f32_avx2(const tml_conv_params *p, const float *in,
                         const float *filter, const float *bias, float *out,
                         void *scratch);
size_t tml_conv2d_f32_avx2_scratch_size(const tml_conv_params *p);
void tml_depthwise_conv2d_s8_avx2(const tml_conv_params *p, const int8_t *in,
                                  const int8_t *filter, const int32_t *bias,
                                  int8_t *out, void *scratch);
void tml_depthwise_conv2d_f32_avx2(const tml_conv_params *p, const float *in,
                                   const float *filter, const float *bias,
                                   float *out, void *scratch);
void tml_fully_connected_s8_avx2(const tml_fc_params *p, const int8_t *in,
                                 const int8_t *w, const int32_t *bias,
                                 int8_t *out);
void tml_fully_connected_f32_avx2(const tml_fc_params *p, const float *in,
                                  const float *w, const float *bias,
                                  float *out);
void tml_conv2d_s8_sse41(const tml_conv_params *p, const int8_t *in,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *out, void *scratch);
size_t tml_conv2d_s8_sse41_scratch_size(const tml_conv_params *p);
void tml_depthwise_conv2d_s8_sse41(const tml_conv_params *p,
                                   const int8_t *in, const int8_t *filter,
                                   const int32_t *bias, int8_t *out,
                                   void *scratch);
void tml_fully_connected_s8_sse41(const tml_fc_params *p, const int8_t *in,
                                  const int8_t *w, const int32_t *bias,
                                  int8_t *out);
#endif

#endif
