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

#endif
