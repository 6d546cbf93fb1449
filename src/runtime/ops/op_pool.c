/*
** AVERAGE_POOL_2D and MAX_POOL_2D.
*/
#include <string.h>

#include "tml_records.h"

enum { POOL_OPTIONS = 5 };
enum { PL_PADDING = 0, PL_STRIDE_W = 1, PL_STRIDE_H = 2, PL_FILTER_W = 3,
       PL_FILTER_H = 4, PL_ACT = 5 };

#define POOL_EVAL(name, kernel, T)                        \
  void name(const tml_rec *r) {                           \
    const tml_pool_rec *q = (const tml_pool_rec *)r;      \
    kernel(&q->p, (const T *)q->in, (T *)q->out);         \
  }
POOL_EVAL(tml_eval_avgpool_s8, tml_avgpool_s8, int8_t)
POOL_EVAL(tml_eval_avgpool_s16, tml_avgpool_s16, int16_t)
POOL_EVAL(tml_eval_avgpool_f32, tml_avgpool_f32, float)
POOL_EVAL(tml_eval_maxpool_s8, tml_maxpool_s8, int8_t)
POOL_EVAL(tml_eval_maxpool_s16, tml_maxpool_s16, int16_t)
POOL_EVAL(tml_eval_maxpool_f32, tml_maxpool_f32, float)

tml_status tml_prepare_pool(tml_prep *p) {
  const int avg = p->op.builtin == TML_OP_AVERAGE_POOL_2D;
  tml_tensor_view in, out;
  tml_activation act;
  tml_pool_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 1, 1, 1)) != TML_OK ||
      (s = tml_prep_options(p, POOL_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK ||
      (s = tml_prep_activation(p, PL_ACT, &act)) != TML_OK)
    return s;
  if (in.rank != 4 || out.rank != 4)
    return tml_prep_fail(p, TML_ERR_SHAPE, -1, "input and output must be 4-D");
  r.p.in = tml_prep_shape4(&in);
  r.p.out = tml_prep_shape4(&out);
  if (r.p.in.c != r.p.out.c)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output depth %d differs from input depth %d",
                         (int)r.p.out.c, (int)r.p.in.c);
  r.p.stride_w = tml_prep_opt_i32(p, PL_STRIDE_W, 0);
  r.p.stride_h = tml_prep_opt_i32(p, PL_STRIDE_H, 0);
  r.p.filter_w = tml_prep_opt_i32(p, PL_FILTER_W, 0);
  r.p.filter_h = tml_prep_opt_i32(p, PL_FILTER_H, 0);
  s = tml_prep_window(p, tml_prep_opt_u8(p, PL_PADDING, 0), r.p.stride_h,
                      r.p.stride_w, 1, 1, r.p.filter_h, r.p.filter_w, &r.p.in,
                      &r.p.out, &r.p.pad_h, &r.p.pad_w);
  if (s != TML_OK) return s;

  if (in.type == TML_FLOAT32) {
    tml_activation_range_f32(act, &r.p.fact_min, &r.p.fact_max);
    eval = avg ? tml_eval_avgpool_f32 : tml_eval_maxpool_f32;
  } else if (in.type == TML_INT8 || in.type == TML_INT16) {
    float in_s, out_s;
    int32_t in_zp, out_zp;
    const int s16 = in.type == TML_INT16;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    /* Pooling does not rescale: the output must share the input's
    ** quantization (TFLite's converter guarantees it). */
    if (in_s != out_s || in_zp != out_zp)
      return tml_prep_fail(p, TML_ERR_QUANT, out.index,
                           "output quantization differs from the input's");
    s = tml_activation_range_q(act, out_s, out_zp, s16 ? -32768 : -128,
                               s16 ? 32767 : 127, &r.p.act_min, &r.p.act_max);
    if (s != TML_OK) return tml_prep_fail(p, s, -1, "bad activation range");
    eval = avg ? (s16 ? tml_eval_avgpool_s16 : tml_eval_avgpool_s8)
               : (s16 ? tml_eval_maxpool_s16 : tml_eval_maxpool_s8);
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "input type %s is not supported",
                         tml_type_name(in.type));
  }
  rec = tml_prep_record(p, sizeof r, eval);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
