/*
** SOFTMAX over the last dimension.
*/
#include <string.h>

#include "tml_records.h"

enum { SOFTMAX_OPTIONS = 9 };
enum { SM_BETA = 0 };
#define LUT_ENTRIES 513

#define SOFTMAX_EVAL(name, kernel)                              \
  void name(const tml_rec *r) {                                 \
    const tml_softmax_rec *q = (const tml_softmax_rec *)r;      \
    kernel(&q->p, q->in, q->out);                               \
  }
SOFTMAX_EVAL(tml_eval_softmax_s8, tml_softmax_s8)
SOFTMAX_EVAL(tml_eval_softmax_s8_s16, tml_softmax_s8_s16)
SOFTMAX_EVAL(tml_eval_softmax_s16, tml_softmax_s16)
SOFTMAX_EVAL(tml_eval_softmax_f32, tml_softmax_f32)

tml_status tml_prepare_softmax(tml_prep *p) {
  tml_tensor_view in, out;
  tml_softmax_rec r, *rec;
  int32_t depth, rows;
  float beta, in_s = 0, out_s = 0;
  int32_t in_zp = 0, out_zp = 0;
  tml_eval_fn eval;
  size_t extra = 0;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 1, 1, 1)) != TML_OK ||
      (s = tml_prep_options(p, SOFTMAX_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_same_shape(p, &in, &out)) != TML_OK)
    return s;
  if (in.rank < 1)
    return tml_prep_fail(p, TML_ERR_SHAPE, in.index, "input is a scalar");
  beta = tml_prep_opt_f32(p, SM_BETA, 0.0f);
  depth = in.dims[in.rank - 1];
  rows = in.elements / depth;

  if (in.type == TML_FLOAT32) {
    if ((s = tml_prep_type(p, &out, TML_FLOAT32)) != TML_OK) return s;
    s = tml_softmax_f32_init(&r.p, rows, depth, beta);
    eval = tml_eval_softmax_f32;
  } else if (in.type == TML_INT8 || in.type == TML_INT16) {
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    if (in.type == TML_INT8) {
      if (out.type != TML_INT8 && out.type != TML_INT16)
        return tml_prep_type(p, &out, TML_INT8);
      s = tml_softmax_s8_init(&r.p, rows, depth, beta, in_s, out.type, out_s,
                              out_zp);
      eval = out.type == TML_INT8 ? tml_eval_softmax_s8 : tml_eval_softmax_s8_s16;
    } else {
      if ((s = tml_prep_type(p, &out, TML_INT16)) != TML_OK) return s;
      extra = 2 * LUT_ENTRIES * sizeof(int16_t);
      s = tml_softmax_s16_init(&r.p, rows, depth, beta, in_s, in_zp, out_s,
                               out_zp, NULL);
      eval = tml_eval_softmax_s16;
    }
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "input type %s is not supported",
                         tml_type_name(in.type));
  }
  if (s != TML_OK)
    return tml_prep_fail(p, s, out.index,
                         "parameters TFLite rejects (int8 output needs scale "
                         "1/256 and zero point -128)");
  rec = tml_prep_record(p, sizeof r + extra, eval);
  if (rec) {
    if (extra)
      tml_softmax_s16_init(&r.p, rows, depth, beta, in_s, in_zp, out_s,
                           out_zp, (int16_t *)(void *)(rec + 1));
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
