/*
** ADD and SUB with broadcasting.
*/
#include <string.h>

#include "tml_records.h"

enum { ADD_OPTIONS = 11, SUB_OPTIONS = 28 };
enum { ADD_ACT = 0 };

#define ADD_EVAL(name, kernel, T)                                        \
  void name(const tml_rec *r) {                                          \
    const tml_add_rec *q = (const tml_add_rec *)r;                       \
    kernel(&q->p, (const T *)q->in1, (const T *)q->in2, (T *)q->out);    \
  }
ADD_EVAL(tml_eval_add_s8, tml_add_s8, int8_t)
ADD_EVAL(tml_eval_add_s16, tml_add_s16, int16_t)
ADD_EVAL(tml_eval_add_f32, tml_add_f32, float)
ADD_EVAL(tml_eval_sub_s8, tml_sub_s8, int8_t)
ADD_EVAL(tml_eval_sub_s16, tml_sub_s16, int16_t)
ADD_EVAL(tml_eval_sub_f32, tml_sub_f32, float)

tml_status tml_prepare_add_sub(tml_prep *p) {
  const int sub = p->op.builtin == TML_OP_SUB;
  tml_tensor_view a, b, out;
  tml_activation act;
  tml_add_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 2, 1)) != TML_OK ||
      (s = tml_prep_options(p, sub ? SUB_OPTIONS : ADD_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &a)) != TML_OK ||
      (s = tml_prep_input(p, 1, &b)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &b, a.type)) != TML_OK ||
      (s = tml_prep_type(p, &out, a.type)) != TML_OK ||
      (s = tml_prep_activation(p, ADD_ACT, &act)) != TML_OK)
    return s;
  if (tml_broadcast_init(&r.p.b, a.rank, a.dims, b.rank, b.dims, out.rank,
                         out.dims) != TML_OK)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "input shapes do not broadcast to the output shape");
  if (a.type == TML_FLOAT32) {
    tml_activation_range_f32(act, &r.p.fact_min, &r.p.fact_max);
    eval = sub ? tml_eval_sub_f32 : tml_eval_add_f32;
  } else if (a.type == TML_INT8 || a.type == TML_INT16) {
    float as, bs, os;
    int32_t az, bz, oz;
    const int s16 = a.type == TML_INT16;
    if ((s = tml_prep_quant(p, &a, &as, &az)) != TML_OK ||
        (s = tml_prep_quant(p, &b, &bs, &bz)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &os, &oz)) != TML_OK)
      return s;
    s = s16 ? tml_add_s16_init(&r.p, sub, as, az, bs, bz, os, oz, act)
            : tml_add_s8_init(&r.p, sub, as, az, bs, bz, os, oz, act);
    if (s != TML_OK)
      return tml_prep_fail(p, s, out.index, "unsupported quantization");
    eval = s16 ? (sub ? tml_eval_sub_s16 : tml_eval_add_s16)
               : (sub ? tml_eval_sub_s8 : tml_eval_add_s8);
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, a.index,
                         "input type %s is not supported",
                         tml_type_name(a.type));
  }
  if (r.p.b.flat && !a.data) p->inplace = 1;
  rec = tml_prep_record(p, sizeof r, eval);
  if (rec) {
    r.hdr = rec->hdr;
    r.in1 = tml_prep_data(p, &a);
    r.in2 = tml_prep_data(p, &b);
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
