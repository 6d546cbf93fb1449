/*
** tml_kernels.h — TML's kernels: pure functions over plain parameter structs
** and pointers (CMSIS-NN style). They know nothing of the model format, so the
** interpreter, the generated C of `tml compile` and host tools share them.
**
** Conventions
** - Names say op, data type and variant: tml_conv2d_s8, tml_softmax_s16.
**   s8 = int8 activations, s16 = int16 activations with int8 weights (16x8),
**   f32 = float32.
** - Layout is NHWC; conv filters are OHWI, depthwise filters 1HW(C*M).
** - Integer kernels reproduce TensorFlow Lite's reference integer arithmetic
**   bit for bit (quantized multiplier and shift with its double rounding).
** - A kernel that needs scratch memory has a _scratch_size() companion; the
**   caller passes that many bytes (aligned to 4) as `scratch`. How much
**   depends on the kernel set the library is built with (TML_KSET below);
**   _scratch_size_for(p, kset) tells it for any set, on any target.
** - *_init() functions turn float scales into the integer parameters; they run
**   once when a model is prepared (on the device for the interpreter, on the
**   host for generated code) and may use double arithmetic. Kernels never do.
** - Kernels do not check their arguments: init/prepare validated them.
** - Quantized multipliers: a real multiplier M is stored as (mult, shift) with
**   M = mult * 2^(shift - 31), mult in [2^30, 2^31) or 0; shift > 0 is a left
**   shift (TFLite's QuantizeMultiplier).
*/
#ifndef TML_KERNELS_H
#define TML_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "tml.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------- kernel sets */

/* The implementations a build runs: the portable C, or the Cortex-M DSP
** extension's (TML_KERNELS_ARM_DSP). They give the same bytes but may need
** different scratch, so a plan (the interpreter's, or the C `tml compile`
** writes) is made for a set. TML_KSET_ANY plans the largest scratch of every
** device set: such a plan runs with any of them. Macros, so that generated
** code can test them with #if. */
#define TML_KSET_PORTABLE 0
#define TML_KSET_ARM_DSP 1
#define TML_KSET_COUNT 2 /* device sets are 0 .. TML_KSET_COUNT - 1 */
#define TML_KSET_ANY 15

/* The set this build runs. The x86-64 host variants keep their work memory
** on the stack, so a host build plans like the portable kernels. */
#if defined(TML_KERNELS_ARM_DSP)
#define TML_KSET TML_KSET_ARM_DSP
#else
#define TML_KSET TML_KSET_PORTABLE
#endif

/* ---------------------------------------------------------------- common */

typedef struct tml_shape4 {
  int32_t n, h, w, c;
} tml_shape4;

typedef enum tml_activation {
  TML_ACT_NONE = 0,
  TML_ACT_RELU = 1,
  TML_ACT_RELU_N1_TO_1 = 2,
  TML_ACT_RELU6 = 3,
  TML_ACT_TANH = 4,
  TML_ACT_SIGN_BIT = 5
} tml_activation;

/* TFLite's QuantizeMultiplier: real -> (mult, shift). real must be >= 0. */
void tml_quantize_multiplier(double real, int32_t *mult, int32_t *shift);

/* Clamp range of a fused activation on a quantized output (TFLite's
** CalculateActivationRangeQuantized). Returns TML_ERR_OPTIONS for TANH and
** SIGN_BIT, which TFLite does not fuse into these ops. */
tml_status tml_activation_range_q(tml_activation act, float out_scale,
                                  int32_t out_zp, int32_t qmin, int32_t qmax,
                                  int32_t *act_min, int32_t *act_max);
tml_status tml_activation_range_f32(tml_activation act, float *act_min,
                                    float *act_max);

/* ------------------------------------------------------------ convolution */

/* CONV_2D and DEPTHWISE_CONV_2D. Padding is the top/left amount TFLite
** computes (ComputePaddingHeightWidth); the bottom/right follows from the
** shapes. Groups (in.c / filter.c > 1) are allowed for CONV_2D. Depthwise
** output channel ic * depth_multiplier + m reads input channel ic. */
typedef struct tml_conv_params {
  tml_shape4 in, filter, out;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  int32_t depth_multiplier; /* depthwise only */
  int32_t in_offset;        /* -input zero point (s16 kernels ignore it) */
  int32_t out_offset;       /* output zero point (s16 kernels ignore it) */
  int32_t act_min, act_max; /* quantized clamp */
  float fact_min, fact_max; /* float clamp */
  const int32_t *mult;      /* per output channel */
  const int8_t *shift;      /* per output channel (-31..30 fit a byte) */
} tml_conv_params;

/* Prepare: set in, filter, out, strides, dilations, padding (and
** depth_multiplier) first. The init functions check the geometry
** (TML_ERR_SHAPE, TML_ERR_OPTIONS) so the kernels stay inside their buffers,
** then fill the rest as TFLite's Prepare does. The _q_ variants compute one
** multiplier per output channel from in_scale * filter_scale / out_scale in
** double (PopulateConvolutionQuantizationParams) into mult and shift, caller
** storage of out.c entries that p keeps pointing to (both NULL: validate
** only, as the measure pass does); n_filter_scales is 1
** (per tensor) or out.c. qmin/qmax: -128/127 for s8, -32768/32767 for s16.
** TML_ERR_QUANT for unusable scales, zero points or multipliers. */
tml_status tml_conv2d_q_init(tml_conv_params *p, int32_t *mult,
                             int8_t *shift, float in_scale, int32_t in_zp,
                             const float *filter_scales,
                             int32_t n_filter_scales, float out_scale,
                             int32_t out_zp, int32_t qmin, int32_t qmax,
                             tml_activation act);
tml_status tml_conv2d_f32_init(tml_conv_params *p, tml_activation act);
tml_status tml_depthwise_conv2d_q_init(tml_conv_params *p, int32_t *mult,
                                       int8_t *shift, float in_scale,
                                       int32_t in_zp,
                                       const float *filter_scales,
                                       int32_t n_filter_scales,
                                       float out_scale, int32_t out_zp,
                                       int32_t qmin, int32_t qmax,
                                       tml_activation act);
tml_status tml_depthwise_conv2d_f32_init(tml_conv_params *p,
                                         tml_activation act);

/* Bias pointers may be NULL (no bias). */
void tml_conv2d_s8(const tml_conv_params *p, const int8_t *in,
                   const int8_t *filter, const int32_t *bias, int8_t *out,
                   void *scratch);
size_t tml_conv2d_s8_scratch_size(const tml_conv_params *p);
size_t tml_conv2d_s8_scratch_size_for(const tml_conv_params *p, int kset);
/* 16x8: int16 activations (zero point 0), int8 weights. TFLite picks the
** arithmetic by bias type: an int64 bias gets int64 accumulation and
** rescaling; an int32 bias (_b32) or none gets int32 accumulation (wrapping)
** and the int32 multiplier, so a NULL bias takes that path in both. The _b32
** variant uses tml_conv2d_s16_scratch_size. */
void tml_conv2d_s16(const tml_conv_params *p, const int16_t *in,
                    const int8_t *filter, const int64_t *bias, int16_t *out,
                    void *scratch);
void tml_conv2d_s16_b32(const tml_conv_params *p, const int16_t *in,
                        const int8_t *filter, const int32_t *bias,
                        int16_t *out, void *scratch);
size_t tml_conv2d_s16_scratch_size(const tml_conv_params *p);
void tml_conv2d_f32(const tml_conv_params *p, const float *in,
                    const float *filter, const float *bias, float *out,
                    void *scratch);
size_t tml_conv2d_f32_scratch_size(const tml_conv_params *p);

void tml_depthwise_conv2d_s8(const tml_conv_params *p, const int8_t *in,
                             const int8_t *filter, const int32_t *bias,
                             int8_t *out, void *scratch);
size_t tml_depthwise_conv2d_s8_scratch_size(const tml_conv_params *p);
size_t tml_depthwise_conv2d_s8_scratch_size_for(const tml_conv_params *p,
                                                int kset);
void tml_depthwise_conv2d_f32(const tml_conv_params *p, const float *in,
                              const float *filter, const float *bias,
                              float *out, void *scratch);
size_t tml_depthwise_conv2d_f32_scratch_size(const tml_conv_params *p);

/* In place: the output overwrites the input (`data` holds the input on entry
** and the output on return), with a scratch buffer instead of a second
** tensor. Same bytes as the kernels above. Valid only where _inplace_ok()
** holds: depthwise with depth multiplier 1; 1x1 stride-1 convolution without
** groups. */
int tml_depthwise_conv2d_s8_inplace_ok(const tml_conv_params *p);
size_t tml_depthwise_conv2d_s8_inplace_scratch_size(const tml_conv_params *p);
size_t tml_depthwise_conv2d_s8_inplace_scratch_size_for(
    const tml_conv_params *p, int kset);
void tml_depthwise_conv2d_s8_inplace(const tml_conv_params *p, int8_t *data,
                                     const int8_t *filter, const int32_t *bias,
                                     void *scratch);
int tml_conv2d_s8_inplace_ok(const tml_conv_params *p);
size_t tml_conv2d_s8_inplace_scratch_size(const tml_conv_params *p);
size_t tml_conv2d_s8_inplace_scratch_size_for(const tml_conv_params *p,
                                              int kset);
void tml_conv2d_s8_inplace(const tml_conv_params *p, int8_t *data,
                           const int8_t *filter, const int32_t *bias,
                           void *scratch);

/* -------------------------------------------------------- fully connected */

/* out[b][o] = act(sum_i (in[b][i] + in_offset) * (w[o][i] + w_offset) + bias[o])
** rescaled per tensor (n_mult == 1) or per output channel. The s16 kernel
** ignores in_offset and out_offset, as TFLite's 16x8 kernel does. */
typedef struct tml_fc_params {
  int32_t batches, in_depth, out_depth;
  int32_t in_offset, w_offset, out_offset;
  int32_t act_min, act_max;
  float fact_min, fact_max;
  int32_t n_mult;           /* 1 or out_depth */
  const int32_t *mult;
  const int8_t *shift;
} tml_fc_params;

/* Prepare: set batches, in_depth and out_depth first (TML_ERR_SHAPE if any
** is < 1). n_w_scales == 1: per tensor, as TFLite's
** GetQuantizedConvolutionMultipler (the product in_scale * w_scale rounded to
** float, then divided in double; with a bias, its scale must be within 2% of
** an output step of in_scale * w_scale, else TML_ERR_QUANT).
** n_w_scales == out_depth: per channel (TFLite ignores the weight zero
** point there, so w_offset = 0). mult and shift are caller storage of
** n_w_scales entries that p keeps pointing to (NULL: validate only). bias_scale is NULL when there
** is no bias. qmin/qmax as for convolution. */
tml_status tml_fully_connected_q_init(tml_fc_params *p, int32_t *mult,
                                      int8_t *shift, float in_scale,
                                      int32_t in_zp, const float *w_scales,
                                      int32_t n_w_scales, int32_t w_zp,
                                      const float *bias_scale, float out_scale,
                                      int32_t out_zp, int32_t qmin,
                                      int32_t qmax, tml_activation act);
tml_status tml_fully_connected_f32_init(tml_fc_params *p, tml_activation act);

/* Bias pointers may be NULL (no bias). */
void tml_fully_connected_s8(const tml_fc_params *p, const int8_t *in,
                            const int8_t *w, const int32_t *bias, int8_t *out);
/* 16x8: bias types as for tml_conv2d_s16. */
void tml_fully_connected_s16(const tml_fc_params *p, const int16_t *in,
                             const int8_t *w, const int64_t *bias,
                             int16_t *out);
void tml_fully_connected_s16_b32(const tml_fc_params *p, const int16_t *in,
                                 const int8_t *w, const int32_t *bias,
                                 int16_t *out);
void tml_fully_connected_f32(const tml_fc_params *p, const float *in,
                             const float *w, const float *bias, float *out);

/* ---------------------------------------------------------------- pooling */

/* AVERAGE_POOL_2D and MAX_POOL_2D. Windows are clipped to the image: an
** average divides by the taps inside it. act_min/act_max (quantized) and
** fact_min/fact_max (float) are the fused activation's clamp; quantized input
** and output share scale and zero point (TFLM checks that at prepare). */
typedef struct tml_pool_params {
  tml_shape4 in, out;
  int32_t stride_h, stride_w;
  int32_t filter_h, filter_w;
  int32_t pad_h, pad_w;
  int32_t act_min, act_max;
  float fact_min, fact_max;
} tml_pool_params;

void tml_avgpool_s8(const tml_pool_params *p, const int8_t *in, int8_t *out);
void tml_avgpool_s16(const tml_pool_params *p, const int16_t *in, int16_t *out);
void tml_avgpool_f32(const tml_pool_params *p, const float *in, float *out);
void tml_maxpool_s8(const tml_pool_params *p, const int8_t *in, int8_t *out);
void tml_maxpool_s16(const tml_pool_params *p, const int16_t *in, int16_t *out);
void tml_maxpool_f32(const tml_pool_params *p, const float *in, float *out);

/* ------------------------------------------------------------ elementwise */

/* Broadcast description shared by binary ops: both inputs are viewed with
** the output's rank (TML_MAX_RANK dims, leading 1s); a stride of 0 repeats
** an input along that dimension. flat != 0: same shapes, one linear loop. */
typedef struct tml_broadcast {
  int32_t flat;
  int32_t count;                 /* output elements */
  int32_t dims[TML_MAX_RANK];    /* output dims */
  int32_t stride1[TML_MAX_RANK]; /* element strides of input 1 */
  int32_t stride2[TML_MAX_RANK];
} tml_broadcast;

/* Fill b from two input shapes; TML_ERR_SHAPE if they do not broadcast to
** out_dims (the output tensor's shape). */
tml_status tml_broadcast_init(tml_broadcast *b, int32_t rank1,
                              const int32_t *dims1, int32_t rank2,
                              const int32_t *dims2, int32_t out_rank,
                              const int32_t *out_dims);

/* ADD and SUB (TFLite's integer add: inputs scaled to a common 2^left_shift
** fixed point, summed, rescaled). */
typedef struct tml_add_params {
  tml_broadcast b;
  int32_t left_shift;
  int32_t in1_offset, in2_offset, out_offset;
  int32_t in1_mult, in1_shift, in2_mult, in2_shift, out_mult, out_shift;
  int32_t act_min, act_max;
  float fact_min, fact_max;
} tml_add_params;

/* is_sub: prepare for SUB, whose TFLM prepare computes the scale ratios in
** float where ADD's uses double; run it with tml_sub_*. Caller fills b
** (tml_broadcast_init); the float kernels read b and fact_min/fact_max only.
** TML_ERR_QUANT when TFLM would abort: a ratio outside (0, 1) (very small
** output scale) or a zero point outside the type. int16 always takes TFLM's
** general-scale path (left_shift 15), never TFLite's power-of-two one. */
tml_status tml_add_s8_init(tml_add_params *p, int is_sub, float in1_scale,
                           int32_t in1_zp, float in2_scale, int32_t in2_zp,
                           float out_scale, int32_t out_zp, tml_activation act);
tml_status tml_add_s16_init(tml_add_params *p, int is_sub, float in1_scale,
                            int32_t in1_zp, float in2_scale, int32_t in2_zp,
                            float out_scale, int32_t out_zp,
                            tml_activation act);
void tml_add_s8(const tml_add_params *p, const int8_t *in1, const int8_t *in2,
                int8_t *out);
void tml_add_s16(const tml_add_params *p, const int16_t *in1,
                 const int16_t *in2, int16_t *out);
void tml_add_f32(const tml_add_params *p, const float *in1, const float *in2,
                 float *out);
void tml_sub_s8(const tml_add_params *p, const int8_t *in1, const int8_t *in2,
                int8_t *out);
void tml_sub_s16(const tml_add_params *p, const int16_t *in1,
                 const int16_t *in2, int16_t *out);
void tml_sub_f32(const tml_add_params *p, const float *in1, const float *in2,
                 float *out);

typedef struct tml_mul_params {
  tml_broadcast b;
  int32_t in1_offset, in2_offset, out_offset;
  int32_t out_mult, out_shift;
  int32_t act_min, act_max;
  float fact_min, fact_max;
} tml_mul_params;

/* qmin/qmax: the output type's range; int16 needs zero points 0 (TFLM). The
** caller fills b; the float kernel reads b and fact_min/fact_max only. */
tml_status tml_mul_q_init(tml_mul_params *p, float in1_scale, int32_t in1_zp,
                          float in2_scale, int32_t in2_zp, float out_scale,
                          int32_t out_zp, int32_t qmin, int32_t qmax,
                          tml_activation act);
void tml_mul_s8(const tml_mul_params *p, const int8_t *in1, const int8_t *in2,
                int8_t *out);
void tml_mul_s16(const tml_mul_params *p, const int16_t *in1,
                 const int16_t *in2, int16_t *out);
void tml_mul_f32(const tml_mul_params *p, const float *in1, const float *in2,
                 float *out);

/* ------------------------------------------------------------ activations */

/* RELU, RELU6, RELU_N1_TO_1. RELU and RELU_N1_TO_1 requantize to the output
** scale, then clamp. RELU6 follows TFLM, which does not requantize: it clamps
** the input to [input zero point, 6 quantized with the input scale] whatever
** the output's quantization (the same thing when both match). */
typedef struct tml_relu_params {
  int32_t count;
  int32_t in_zp, out_zp;
  int32_t mult, shift;
  int32_t act_min, act_max;
  float fmin, fmax; /* float variant */
} tml_relu_params;

/* act: TML_ACT_RELU, TML_ACT_RELU6 or TML_ACT_RELU_N1_TO_1 (else
** TML_ERR_OPTIONS). qmin/qmax: the type's range; int16 RELU and RELU_N1_TO_1
** need zero points 0. */
tml_status tml_relu_q_init(tml_relu_params *p, int32_t count,
                           tml_activation act, float in_scale, int32_t in_zp,
                           float out_scale, int32_t out_zp, int32_t qmin,
                           int32_t qmax);
tml_status tml_relu_f32_init(tml_relu_params *p, int32_t count,
                             tml_activation act);
void tml_relu_s8(const tml_relu_params *p, const int8_t *in, int8_t *out);
void tml_relu_s16(const tml_relu_params *p, const int16_t *in, int16_t *out);
void tml_relu_f32(const tml_relu_params *p, const float *in, float *out);

typedef struct tml_leaky_relu_params {
  int32_t count;
  int32_t in_zp, out_zp;
  int32_t mult_identity, shift_identity;
  int32_t mult_alpha, shift_alpha;
  float alpha;
} tml_leaky_relu_params;

/* Sets alpha and count too; the float kernel reads only those two. */
tml_status tml_leaky_relu_q_init(tml_leaky_relu_params *p, int32_t count,
                                 float alpha, float in_scale, int32_t in_zp,
                                 float out_scale, int32_t out_zp);
void tml_leaky_relu_s8(const tml_leaky_relu_params *p, const int8_t *in,
                       int8_t *out);
void tml_leaky_relu_s16(const tml_leaky_relu_params *p, const int16_t *in,
                        int16_t *out);
void tml_leaky_relu_f32(const tml_leaky_relu_params *p, const float *in,
                        float *out);

/* HARD_SWISH: x * relu6(x + 3) / 6. s8 follows TFLite's HardSwishParams: the
** input, shifted left by 7 bits, is rescaled twice in int16 fixed point, once
** to the output scale (out_mult, out_exp <= 0) and once to the "reluish" scale
** where 3.0 is 32768 (reluish_mult, reluish_exp). f32 reads only count. */
typedef struct tml_hard_swish_params {
  int32_t count;
  int32_t in_zp, out_zp;
  int16_t reluish_mult; /* Q0.15 */
  int16_t out_mult;     /* Q0.15 */
  int32_t reluish_exp, out_exp;
} tml_hard_swish_params;

/* TML_ERR_QUANT for scales TFLite rejects (out_exp > 0) or that would make
** its shifts undefined (reluish_exp > 31). */
tml_status tml_hard_swish_s8_init(tml_hard_swish_params *p, int32_t count,
                                  float in_scale, int32_t in_zp,
                                  float out_scale, int32_t out_zp);
void tml_hard_swish_s8(const tml_hard_swish_params *p, const int8_t *in,
                       int8_t *out);
void tml_hard_swish_f32(const tml_hard_swish_params *p, const float *in,
                        float *out);

/* LOGISTIC and TANH.
** s8: x - in_zp is rescaled to Q4.27 by (in_mult, in_left_shift) and fed to
**   gemmlowp's fixed-point logistic/tanh; |x - in_zp| >= in_range_radius
**   saturates. The output scale is implied (logistic 1/256 with zero point
**   -128, which init checks; tanh 1/128 with zero point 0), as in TFLM.
** s16: TFLM's 256-entry sigmoid table with linear interpolation; the input
**   (zero point 0) is scaled by in_mult / 2^in_left_shift first. Output scale
**   2^-15, zero point 0. in_zp and in_range_radius are unused.
** f32 reads only count. */
typedef struct tml_sigmoid_params {
  int32_t count;
  int32_t in_zp;
  int32_t in_range_radius;
  int32_t in_mult, in_left_shift;
} tml_sigmoid_params;

/* Inits return TML_ERR_QUANT for a non-positive or non-finite scale, a zero
** point or output scale TFLM rejects, or (s16) an input scale too large for
** the table's 15-bit multiplier. */
tml_status tml_logistic_s8_init(tml_sigmoid_params *p, int32_t count,
                                float in_scale, int32_t in_zp, float out_scale,
                                int32_t out_zp);
tml_status tml_logistic_s16_init(tml_sigmoid_params *p, int32_t count,
                                 float in_scale, int32_t in_zp,
                                 float out_scale, int32_t out_zp);
void tml_logistic_s8(const tml_sigmoid_params *p, const int8_t *in,
                     int8_t *out);
void tml_logistic_s16(const tml_sigmoid_params *p, const int16_t *in,
                      int16_t *out);
void tml_logistic_f32(const tml_sigmoid_params *p, const float *in,
                      float *out);

tml_status tml_tanh_s8_init(tml_sigmoid_params *p, int32_t count,
                            float in_scale, int32_t in_zp, float out_scale,
                            int32_t out_zp);
tml_status tml_tanh_s16_init(tml_sigmoid_params *p, int32_t count,
                             float in_scale, int32_t in_zp, float out_scale,
                             int32_t out_zp);
void tml_tanh_s8(const tml_sigmoid_params *p, const int8_t *in, int8_t *out);
void tml_tanh_s16(const tml_sigmoid_params *p, const int16_t *in,
                  int16_t *out);
void tml_tanh_f32(const tml_sigmoid_params *p, const float *in, float *out);

/* ---------------------------------------------------------------- softmax */

/* Softmax over the last dimension: `rows` rows of `depth` values. Kernels may
** run in place (out == in). */
typedef struct tml_softmax_params {
  int32_t rows, depth;
  float beta;               /* f32 */
  int32_t in_mult, in_left_shift;
  int32_t diff_min;         /* s8: smaller differences to the row max give 0 */
  const int16_t *exp_lut;   /* s16: exp on [-10, 0], 513 entries */
  const int16_t *recip_lut; /* s16: 1 / (1 + x) on [0, 1], 513 entries */
} tml_softmax_params;

/* Float softmax: exp((x - max) * beta) / sum. */
tml_status tml_softmax_f32_init(tml_softmax_params *p, int32_t rows,
                                int32_t depth, float beta);
/* int8 input. out_type TML_INT8: out_scale must be exactly 1/256 and out_zp
** -128; TML_INT16: out_scale 1/65536 (within 0.1%) and out_zp -32768. These
** are TFLM's checks. TML_ERR_QUANT also when beta * in_scale * 2^26 <= 1,
** which TFLite's scaling cannot represent. */
tml_status tml_softmax_s8_init(tml_softmax_params *p, int32_t rows,
                               int32_t depth, float beta, float in_scale,
                               int32_t out_type, float out_scale,
                               int32_t out_zp);
/* int16 in (zero point 0) -> int16 out (scale 1/32768 within 0.1%, zero point
** 0). Fills the two tables (2 x 513 int16) in `luts`, which must stay valid
** while p is used (NULL: validate only). depth is limited to 65538 so the int32 sum of the row's
** Q0.15 exponentials cannot overflow (TML_ERR_SHAPE). */
tml_status tml_softmax_s16_init(tml_softmax_params *p, int32_t rows,
                                int32_t depth, float beta, float in_scale,
                                int32_t in_zp, float out_scale,
                                int32_t out_zp, int16_t *luts);
void tml_softmax_s8(const tml_softmax_params *p, const int8_t *in,
                    int8_t *out);
void tml_softmax_s8_s16(const tml_softmax_params *p, const int8_t *in,
                        int16_t *out);
void tml_softmax_s16(const tml_softmax_params *p, const int16_t *in,
                     int16_t *out);
void tml_softmax_f32(const tml_softmax_params *p, const float *in, float *out);

/* ----------------------------------------------------- data movement/shape */

/* These kernels only move bytes: one kernel serves every element type of
** elem_size bytes (1, 2, 4 or 8). Fill the parameters with the *_init
** functions; the kernels trust them. */

/* CONCATENATION: inputs share every dim but the axis; outer = product of dims
** before the axis, each input contributes in_inner[k] = axis dim * inner
** elements per outer step. The bytes are copied as they are: TFLite requires
** int8 inputs to have the output's scale and zero point and int16 inputs and
** output a zero point of 0 (the caller checks that at prepare). */
typedef struct tml_concat_params {
  int32_t n_inputs;
  int32_t outer;
  int32_t elem_size;
  int32_t in_inner[TML_MAX_OP_INPUTS]; /* elements per outer step */
} tml_concat_params;

/* in_dims[k] is input k's shape (rank dims each); axis may be negative.
** TML_ERR_SHAPE unless the inputs and out_dims agree on every other dim and
** the axis dims add up to out_dims[axis]. */
tml_status tml_concat_init(tml_concat_params *p, int32_t elem_size,
                           int32_t n_inputs, int32_t rank,
                           const int32_t *const *in_dims,
                           const int32_t *out_dims, int32_t axis);
void tml_concat(const tml_concat_params *p, const void *const *in, void *out);

/* PAD / PADV2 up to TML_MAX_RANK dims. The shape is right-aligned: dims
** before the tensor's own are 1 with no padding. */
typedef struct tml_pad_params {
  int32_t elem_size;
  int32_t in_dims[TML_MAX_RANK];
  int32_t before[TML_MAX_RANK], after[TML_MAX_RANK];
  uint8_t value[8]; /* pad value: elem_size bytes as a tensor stores them */
} tml_pad_params;

/* paddings holds (before, after) pairs, one per dim, as in the PAD tensor.
** value points to one element: the PADV2 constant; for PAD, the output zero
** point for int8 and 0 otherwise (TFLite's choice). TML_ERR_SHAPE for a
** negative padding (TFLite Micro does not check; its kernel then copies the
** wrong elements). */
tml_status tml_pad_init(tml_pad_params *p, int32_t elem_size, int32_t rank,
                        const int32_t *in_dims, const int32_t *paddings,
                        const void *value);
void tml_pad(const tml_pad_params *p, const void *in, void *out);

/* TRANSPOSE up to TML_MAX_RANK dims: out dim k is in dim perm[k]. */
typedef struct tml_transpose_params {
  int32_t elem_size;
  int32_t rank;
  int32_t in_dims[TML_MAX_RANK];
  int32_t perm[TML_MAX_RANK];
  int32_t out_dims[TML_MAX_RANK]; /* for the caller's shape check */
} tml_transpose_params;

/* TML_ERR_OPTIONS unless perm is a permutation of 0..rank-1. */
tml_status tml_transpose_init(tml_transpose_params *p, int32_t elem_size,
                              int32_t rank, const int32_t *in_dims,
                              const int32_t *perm);
void tml_transpose(const tml_transpose_params *p, const void *in, void *out);

/* STRIDED_SLICE after TFLite's begin/end/mask resolution (done at prepare). */
typedef struct tml_slice_params {
  int32_t elem_size;
  int32_t rank;
  int32_t in_dims[TML_MAX_RANK];
  int32_t begin[TML_MAX_RANK], stride[TML_MAX_RANK];
  int32_t out_dims[TML_MAX_RANK];
} tml_slice_params;

/* Resolve TFLite's masks into start/stride/count per dim. out_dims keeps one
** entry per input dim: a shrink_axis dim has count 1, and the output tensor's
** shape is out_dims without the shrunk dims. TML_ERR_OPTIONS for a zero
** stride, for ellipsis/new_axis masks (TFLite Micro zeroes them, which gives
** shapes its own prepare rejects) and for a shrunk dim that selects nothing
** (index out of range, or a negative stride, for which TFLite Micro writes
** no output). */
tml_status tml_strided_slice_init(tml_slice_params *p, int32_t elem_size,
                                  int32_t rank, const int32_t *in_dims,
                                  const int32_t *begin, const int32_t *end,
                                  const int32_t *strides, int32_t begin_mask,
                                  int32_t end_mask, int32_t ellipsis_mask,
                                  int32_t new_axis_mask,
                                  int32_t shrink_axis_mask, int32_t offset);
void tml_strided_slice(const tml_slice_params *p, const void *in, void *out);

/* ----------------------------------------------------------------- reduce */

/* MEAN over a set of axes (keep_dims does not change the output's bytes).
** int8/int16 follow TFLite Micro's QuantizedMeanOrSum for every shape and
** every pair of scales: raw values summed in int32, the input zero point
** times the count subtracted, then one MultiplyByQuantizedMultiplier by
** (in_scale / out_scale) with 1/count folded into the multiplier. float sums
** in input order, then divides by the count. */
typedef struct tml_mean_params {
  /* The input shape with size-1 dims dropped and neighbouring dims that are
  ** both reduced or both kept merged; bit k of axis_mask: dim k reduced. */
  int32_t rank;
  int32_t in_dims[TML_MAX_RANK];
  uint32_t axis_mask;
  int32_t count;     /* output elements */
  int32_t reduced;   /* elements averaged per output */
  int32_t quantized; /* set by tml_mean_q_init: the kernel needs scratch */
  int32_t in_zp, out_zp;
  int32_t mult, shift; /* in_scale / out_scale / reduced */
} tml_mean_params;

/* axis_mask has bit k set when dim k of the input (rank dims) is reduced;
** the caller turns TFLite's axis tensor (negative and repeated entries
** allowed) into this mask. */
tml_status tml_mean_init(tml_mean_params *p, int32_t rank,
                         const int32_t *in_dims, uint32_t axis_mask);
tml_status tml_mean_q_init(tml_mean_params *p, int32_t rank,
                           const int32_t *in_dims, uint32_t axis_mask,
                           float in_scale, int32_t in_zp, float out_scale,
                           int32_t out_zp);
void tml_mean_s8(const tml_mean_params *p, const int8_t *in, int8_t *out,
                 int32_t *scratch);
void tml_mean_s16(const tml_mean_params *p, const int16_t *in, int16_t *out,
                  int32_t *scratch);
/* scratch is not used: the sums accumulate in the output, as in TFLite. */
void tml_mean_f32(const tml_mean_params *p, const float *in, float *out,
                  float *scratch);
/* count int32 sums for the integer kernels, 0 for float. */
size_t tml_mean_scratch_size(const tml_mean_params *p);

/* --------------------------------------------------------- (de)quantize */

typedef struct tml_quantize_params {
  int32_t count;
  float scale;   /* quantize: output scale; dequantize: input scale */
  int32_t zp;    /* quantize: output zero point; dequantize: input's */
  int32_t in_zp, out_zp;
  int32_t mult, shift; /* requantize */
  int32_t qmin, qmax;  /* output range (quantize, requantize) */
} tml_quantize_params;

/* Float -> int8/int16 (TFLite's AffineQuantize). qmin/qmax: the output
** type's range. */
tml_status tml_quantize_f32_init(tml_quantize_params *p, int32_t count,
                                 float out_scale, int32_t out_zp,
                                 int32_t qmin, int32_t qmax);
void tml_quantize_f32_s8(const tml_quantize_params *p, const float *in,
                         int8_t *out);
void tml_quantize_f32_s16(const tml_quantize_params *p, const float *in,
                          int16_t *out);
/* Requantize between integer types (TFLite's Requantize); TFLM runs all four
** int8/int16 pairs. qmin/qmax: the output type's range. */
tml_status tml_requantize_init(tml_quantize_params *p, int32_t count,
                               float in_scale, int32_t in_zp, float out_scale,
                               int32_t out_zp, int32_t qmin, int32_t qmax);
void tml_requantize_s8_s8(const tml_quantize_params *p, const int8_t *in,
                          int8_t *out);
void tml_requantize_s8_s16(const tml_quantize_params *p, const int8_t *in,
                           int16_t *out);
void tml_requantize_s16_s8(const tml_quantize_params *p, const int16_t *in,
                           int8_t *out);
void tml_requantize_s16_s16(const tml_quantize_params *p, const int16_t *in,
                            int16_t *out);
tml_status tml_dequantize_init(tml_quantize_params *p, int32_t count,
                               float in_scale, int32_t in_zp);
void tml_dequantize_s8_f32(const tml_quantize_params *p, const int8_t *in,
                           float *out);
void tml_dequantize_s16_f32(const tml_quantize_params *p, const int16_t *in,
                            float *out);

/* -------------------------------------------------------------- recurrent */

/* SVDF: batch B, input size I, F = U * rank filters, memory size T, U units.
** State is [B][F][T] (oldest column first); each invoke shifts it by one step
** and writes the newest column, then out[b][u] = act(bias[u] +
** sum over the rank filters of u of dot(w_time[f], state[b][f])).
** int8 version (TFLM's EvalIntegerSvdfReference): int8 input and feature
** weights, int16 time weights and state, int32 bias, int8 output. Like TFLM
** it applies no fused activation (only the int8 clamp); the float version
** applies `act`. bias may be NULL (no bias). */
typedef struct tml_svdf_params {
  int32_t batches, input_size, num_filters, num_units, rank, memory_size;
  int32_t in_zp, state_zp, out_zp;
  int32_t mult1, shift1; /* input * feature weights -> state */
  int32_t mult2, shift2; /* state * time weights -> output */
  tml_activation act;    /* float variant; may also be 6, TFLite's SIGMOID */
} tml_svdf_params;

/* Shapes as in the model: input [B][I], feature weights [F][I], time weights
** [F][T], bias [F / rank], state [B][F * T], output [B][F / rank].
** bias_scale is 0 when the op has no bias (otherwise TFLM's check that it
** equals state_scale * wt_scale applies). */
tml_status tml_svdf_s8_init(tml_svdf_params *p, int32_t batches,
                            int32_t input_size, int32_t num_filters,
                            int32_t rank, int32_t memory_size, float in_scale,
                            int32_t in_zp, float wf_scale, float wt_scale,
                            float bias_scale, float state_scale,
                            int32_t state_zp, float out_scale, int32_t out_zp);
tml_status tml_svdf_f32_init(tml_svdf_params *p, int32_t batches,
                             int32_t input_size, int32_t num_filters,
                             int32_t rank, int32_t memory_size,
                             tml_activation act);
/* The portable kernels need no scratch (sizes are 0); the companions stay so
** that callers do not change when an optimised variant needs some. */
void tml_svdf_s8(const tml_svdf_params *p, const int8_t *in,
                 const int8_t *w_feature, const int16_t *w_time,
                 const int32_t *bias, int16_t *state, int8_t *out,
                 void *scratch);
size_t tml_svdf_s8_scratch_size(const tml_svdf_params *p);
void tml_svdf_f32(const tml_svdf_params *p, const float *in,
                  const float *w_feature, const float *w_time,
                  const float *bias, float *state, float *out, void *scratch);
size_t tml_svdf_f32_scratch_size(const tml_svdf_params *p);

/* ------------------------------------------- UNIDIRECTIONAL_SEQUENCE_LSTM */

/* TFLM's standard LSTM (the Keras layer). For each time step and batch row:
**   i = sigmoid(Wi x + Ri h + bi)     f = sigmoid(Wf x + Rf h + bf)
**   g = act(Wg x + Rg h + bg)         o = sigmoid(Wo x + Ro h + bo)
**   c = f * c + i * g, clipped to +-cell_clip when cell_clip > 0
**   h = o * tanh(c); the output row of the step is h.
** act is the op's fused activation: TANH (4) or SIGMOID (6). The CIFG,
** peephole, projection and layer-norm variants are rejected, as in TFLM.
** int8 version: int8 input, weights, output state and output, int32 biases,
** int16 cell state with a power-of-two scale. Like TFLM it computes every
** gate in Q3.12 (scale 2^-12) with Q0.15 outputs and does not use the
** model's intermediate tensors, so they need not be passed. */

/* The op's inputs, numbered as in TFLite. Gate k (0 input, 1 forget, 2 cell,
** 3 output) has input weights 1 + k, recurrent weights 5 + k, bias 12 + k. */
#define TML_LSTM_N_INPUTS 24
#define TML_LSTM_IN_WEIGHTS 1    /* [units][input_size] */
#define TML_LSTM_REC_WEIGHTS 5   /* [units][units] */
#define TML_LSTM_PEEPHOLE 9      /* 9..11, unsupported */
#define TML_LSTM_BIAS 12         /* [units] */
#define TML_LSTM_PROJECTION 16   /* 16..17, unsupported */
#define TML_LSTM_OUTPUT_STATE 18 /* variable, [batches][units] */
#define TML_LSTM_CELL_STATE 19   /* variable, [batches][units] */
#define TML_LSTM_LAYER_NORM 20   /* 20..23, unsupported */

/* What init needs to know of one of the op's tensors, as the model says. */
typedef struct tml_lstm_tensor {
  int32_t present; /* 0: optional input absent (tensor index -1) */
  int32_t type;    /* tml_type */
  int32_t rank;
  int32_t dims[TML_MAX_RANK];
  int32_t is_variable;
  int32_t n_scales; /* 0: not quantized; 1: per tensor; > 1: per channel */
  float scale;      /* the first scale */
  int32_t zero_point;
} tml_lstm_tensor;

typedef struct tml_lstm_params {
  int32_t batches, time_steps, input_size, units;
  int32_t time_major;   /* input [time][batch][in], else [batch][time][in] */
  int32_t cell_sigmoid; /* the cell gate uses sigmoid instead of tanh */
  float cell_clip;      /* float version; <= 0: no clipping */
  /* int8 version */
  int32_t input_offset, hidden_offset, hidden_zp;
  int32_t in_mult[4], in_shift[4];   /* input FC of each gate -> Q3.12 */
  int32_t rec_mult[4], rec_shift[4]; /* recurrent FC of each gate -> Q3.12 */
  int32_t fc_mult, fc_shift;         /* forget gate * cell state -> cell */
  int32_t ig_mult, ig_shift;         /* input gate * cell gate -> cell */
  int32_t h_mult, h_shift;           /* output gate * tanh(cell) -> h */
  int32_t cell_min, cell_max;        /* quantized cell clip */
  int32_t tanh_mult, tanh_rshift;    /* cell state -> tanh table input */
} tml_lstm_params;

/* Validates the op as TFLM's Prepare does and fills p for tml_lstm_s8 (int8
** input) or tml_lstm_f32 (float32 input). `in` holds the op's 24 inputs,
** `activation` is the fused activation code, cell_clip the option (the
** projection clip is irrelevant without projection). The output tensor's
** quantization is not used: as in TFLM, its bytes are those of the output
** state. Returns TML_ERR_UNSUPPORTED_OP for the CIFG / peephole /
** projection / layer-norm variants, TML_ERR_SCHEMA for a missing required
** input or a state that is not variable, TML_ERR_TYPE (also for int16
** activations, which TFLM runs as 16x8 and TML does not), TML_ERR_SHAPE,
** TML_ERR_QUANT (per-channel or asymmetric weights, a cell scale that is not
** a power of two, ...), TML_ERR_OPTIONS (activation) or TML_ERR_LIMIT. */
tml_status tml_lstm_init(tml_lstm_params *p,
                         const tml_lstm_tensor in[TML_LSTM_N_INPUTS],
                         const tml_lstm_tensor *out, int32_t activation,
                         float cell_clip, int32_t time_major);

/* Data of the tensors; index k of the arrays is gate k. The states are
** updated in place; the output must not overlap any other tensor. The
** kernels need no scratch. */
typedef struct tml_lstm_data_s8 {
  const int8_t *input;
  const int8_t *w_in[4];
  const int8_t *w_rec[4];
  const int32_t *bias[4];
  int8_t *hidden; /* output state */
  int16_t *cell;
  int8_t *output;
} tml_lstm_data_s8;

typedef struct tml_lstm_data_f32 {
  const float *input;
  const float *w_in[4];
  const float *w_rec[4];
  const float *bias[4];
  float *hidden;
  float *cell;
  float *output;
} tml_lstm_data_f32;

void tml_lstm_s8(const tml_lstm_params *p, const tml_lstm_data_s8 *d);
void tml_lstm_f32(const tml_lstm_params *p, const tml_lstm_data_f32 *d);

#ifdef __cplusplus
}
#endif

#endif
