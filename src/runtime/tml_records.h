/*
** tml_records.h — the kernel records of the runtime's operators: one
** parameter struct plus resolved data pointers per op, and the eval function
** that runs it. The interpreter calls record->eval(record); `tml compile`
** reads the same records on the host and writes them out as C.
*/
#ifndef TML_RECORDS_H
#define TML_RECORDS_H

#include "tml_runtime.h"

typedef struct tml_conv_rec {
  tml_rec hdr;
  tml_conv_params p;
  const void *in, *filter, *bias;
  void *out, *scratch;
} tml_conv_rec;

void tml_eval_conv2d_s8(const tml_rec *r);
void tml_eval_conv2d_s8_inplace(const tml_rec *r);
void tml_eval_conv2d_s16(const tml_rec *r);
void tml_eval_conv2d_s16_b32(const tml_rec *r);
void tml_eval_conv2d_f32(const tml_rec *r);
void tml_eval_depthwise_conv2d_s8(const tml_rec *r);
void tml_eval_depthwise_conv2d_s8_inplace(const tml_rec *r);
void tml_eval_depthwise_conv2d_f32(const tml_rec *r);

typedef struct tml_fc_rec {
  tml_rec hdr;
  tml_fc_params p;
  const void *in, *w, *bias;
  void *out;
} tml_fc_rec;

void tml_eval_fully_connected_s8(const tml_rec *r);
void tml_eval_fully_connected_s16(const tml_rec *r);
void tml_eval_fully_connected_s16_b32(const tml_rec *r);
void tml_eval_fully_connected_f32(const tml_rec *r);

typedef struct tml_pool_rec {
  tml_rec hdr;
  tml_pool_params p;
  const void *in;
  void *out;
} tml_pool_rec;

void tml_eval_avgpool_s8(const tml_rec *r);
void tml_eval_avgpool_s16(const tml_rec *r);
void tml_eval_avgpool_f32(const tml_rec *r);
void tml_eval_maxpool_s8(const tml_rec *r);
void tml_eval_maxpool_s16(const tml_rec *r);
void tml_eval_maxpool_f32(const tml_rec *r);

typedef struct tml_add_rec {
  tml_rec hdr;
  tml_add_params p;
  const void *in1, *in2;
  void *out;
} tml_add_rec;

void tml_eval_add_s8(const tml_rec *r);
void tml_eval_add_s16(const tml_rec *r);
void tml_eval_add_f32(const tml_rec *r);
void tml_eval_sub_s8(const tml_rec *r);
void tml_eval_sub_s16(const tml_rec *r);
void tml_eval_sub_f32(const tml_rec *r);

typedef struct tml_softmax_rec {
  tml_rec hdr;
  tml_softmax_params p;
  const void *in;
  void *out;
} tml_softmax_rec;

void tml_eval_softmax_s8(const tml_rec *r);
void tml_eval_softmax_s8_s16(const tml_rec *r);
void tml_eval_softmax_s16(const tml_rec *r);
void tml_eval_softmax_f32(const tml_rec *r);

typedef struct tml_reshape_rec {
  tml_rec hdr;
  const void *in;
  void *out;
  uint32_t bytes;
} tml_reshape_rec;

void tml_eval_reshape(const tml_rec *r);

typedef struct tml_mul_rec {
  tml_rec hdr;
  tml_mul_params p;
  const void *in1, *in2;
  void *out;
} tml_mul_rec;

void tml_eval_mul_s8(const tml_rec *r);
void tml_eval_mul_s16(const tml_rec *r);
void tml_eval_mul_f32(const tml_rec *r);

/* RELU, RELU6 and RELU_N1_TO_1. */
typedef struct tml_relu_rec {
  tml_rec hdr;
  tml_relu_params p;
  const void *in;
  void *out;
} tml_relu_rec;

void tml_eval_relu_s8(const tml_rec *r);
void tml_eval_relu_s16(const tml_rec *r);
void tml_eval_relu_f32(const tml_rec *r);

typedef struct tml_leaky_relu_rec {
  tml_rec hdr;
  tml_leaky_relu_params p;
  const void *in;
  void *out;
} tml_leaky_relu_rec;

void tml_eval_leaky_relu_s8(const tml_rec *r);
void tml_eval_leaky_relu_s16(const tml_rec *r);
void tml_eval_leaky_relu_f32(const tml_rec *r);

typedef struct tml_hard_swish_rec {
  tml_rec hdr;
  tml_hard_swish_params p;
  const void *in;
  void *out;
} tml_hard_swish_rec;

void tml_eval_hard_swish_s8(const tml_rec *r);
void tml_eval_hard_swish_f32(const tml_rec *r);

/* LOGISTIC and TANH. */
typedef struct tml_sigmoid_rec {
  tml_rec hdr;
  tml_sigmoid_params p;
  const void *in;
  void *out;
} tml_sigmoid_rec;

void tml_eval_logistic_s8(const tml_rec *r);
void tml_eval_logistic_s16(const tml_rec *r);
void tml_eval_logistic_f32(const tml_rec *r);
void tml_eval_tanh_s8(const tml_rec *r);
void tml_eval_tanh_s16(const tml_rec *r);
void tml_eval_tanh_f32(const tml_rec *r);

/* QUANTIZE (also requantization) and DEQUANTIZE. */
typedef struct tml_quantize_rec {
  tml_rec hdr;
  tml_quantize_params p;
  const void *in;
  void *out;
} tml_quantize_rec;

void tml_eval_quantize_f32_s8(const tml_rec *r);
void tml_eval_quantize_f32_s16(const tml_rec *r);
void tml_eval_requantize_s8_s8(const tml_rec *r);
void tml_eval_requantize_s8_s16(const tml_rec *r);
void tml_eval_requantize_s16_s8(const tml_rec *r);
void tml_eval_requantize_s16_s16(const tml_rec *r);
void tml_eval_dequantize_s8_f32(const tml_rec *r);
void tml_eval_dequantize_s16_f32(const tml_rec *r);

/* Followed by p.n_inputs input data pointers (const void *): the number of
** inputs varies. */
typedef struct tml_concat_rec {
  tml_rec hdr;
  tml_concat_params p;
  void *out;
} tml_concat_rec;

void tml_eval_concat(const tml_rec *r);

/* PAD and PADV2. */
typedef struct tml_pad_rec {
  tml_rec hdr;
  tml_pad_params p;
  const void *in;
  void *out;
  const void *value; /* a pad value computed at run time, else NULL */
} tml_pad_rec;

void tml_eval_pad(const tml_rec *r);
/* Reads the pad value from `value` at every invoke. */
void tml_eval_pad_dynamic(const tml_rec *r);

typedef struct tml_transpose_rec {
  tml_rec hdr;
  tml_transpose_params p;
  const void *in;
  void *out;
} tml_transpose_rec;

void tml_eval_transpose(const tml_rec *r);

typedef struct tml_slice_rec {
  tml_rec hdr;
  tml_slice_params p;
  const void *in;
  void *out;
} tml_slice_rec;

void tml_eval_strided_slice(const tml_rec *r);

typedef struct tml_mean_rec {
  tml_rec hdr;
  tml_mean_params p;
  const void *in;
  void *out;
  void *scratch;
} tml_mean_rec;

void tml_eval_mean_s8(const tml_rec *r);
void tml_eval_mean_s16(const tml_rec *r);
void tml_eval_mean_f32(const tml_rec *r);

/* state points to the variable tensor in the arena's persistent part. */
typedef struct tml_svdf_rec {
  tml_rec hdr;
  tml_svdf_params p;
  const void *in, *wf, *wt, *bias;
  void *state, *out, *scratch;
} tml_svdf_rec;

void tml_eval_svdf_s8(const tml_rec *r);
void tml_eval_svdf_f32(const tml_rec *r);

/* UNIDIRECTIONAL_SEQUENCE_LSTM: d.s8 or d.f32 by the eval function. */
typedef struct tml_lstm_rec {
  tml_rec hdr;
  tml_lstm_params p;
  union {
    tml_lstm_data_s8 s8;
    tml_lstm_data_f32 f32;
  } d;
} tml_lstm_rec;

void tml_eval_lstm_s8(const tml_rec *r);
void tml_eval_lstm_f32(const tml_rec *r);

#endif
