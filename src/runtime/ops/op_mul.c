/*
** MUL with broadcasting (up to TML_MAX_RANK dims) and a fused activation.
** TFLM also runs int32 MUL; TML has no int32 kernel and says so.
*/
#include <string.h>

#include "tml_records.h"

enum { MUL_OPTIONS = 21 };
enum { MUL_ACT = 0 };

#define MUL_EVAL(name, kernel, T)                                         \
  void name(const tml_rec *r) {                                           \
    const tml_mul_rec *q = (const tml_mul_rec *)r;                        \
    kernel(&q->p, (const T *)q->in1, (const T *)q->in2, (T *)q->out);     \
  }
MUL_EVAL(tml_eval_mul_s8, tml_mul_s8, int8_t)
MUL_EVAL(tml_eval_mul_s16, tml_mul_s16, int16_t)
MUL_EVAL(tml_eval_mul_f32, tml_mul_f32, float)

tml_status tml_prepare_mul(tml_prep *p) {
  tml_tensor_view a, b, out;
  tml_activation act;
  tml_mul_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 2, 1)) != TML_OK ||
      (s = tml_prep_options(p, MUL_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &a)) != TML_OK ||
      (s = tml_prep_input(p, 1, &b)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &b, a.type)) != TML_OK ||
      (s = tml_prep_type(p, &out, a.type)) != TML_OK ||
      (s = tml_prep_activation(p, MUL_ACT, &act)) != TML_OK ||
      (a.data && (s = tml_prep_const(p, &a)) != TML_OK) ||
      (b.data && (s = tml_prep_const(p, &b)) != TML_OK))
    return s;
  if (tml_broadcast_init(&r.p.b, a.rank, a.dims, b.rank, b.dims, out.rank,
                         out.dims) != TML_OK)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "input shapes do not broadcast to the output shape");
  if (a.type == TML_FLOAT32) {
    tml_activation_range_f32(act, &r.p.fact_min, &r.p.fact_max);
    eval = tml_eval_mul_f32;
  } else if (a.type == TML_INT8 || a.type == TML_INT16) {
    const int s16 = a.type == TML_INT16;
    float as, bs, os;
    int32_t az, bz, oz;
    if ((s = tml_prep_quant(p, &a, &as, &az)) != TML_OK ||
        (s = tml_prep_quant(p, &b, &bs, &bz)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &os, &oz)) != TML_OK)
      return s;
    /* TFLM's int16 kernel has no zero points. */
    if (s16 && (az != 0 || bz != 0 || oz != 0)) {
      const int32_t t = az ? a.index : bz ? b.index : out.index;
      return tml_prep_fail(p, TML_ERR_QUANT, t,
                           "tensor %d: int16 MUL needs zero points 0",
                           (int)t);
    }
    s = tml_mul_q_init(&r.p, as, az, bs, bz, os, oz, s16 ? -32768 : -128,
                       s16 ? 32767 : 127, act);
    if (s != TML_OK)
      return tml_prep_fail(p, s, out.index,
                           "input scales' product / output scale is 2^31 "
                           "or more");
    eval = s16 ? tml_eval_mul_s16 : tml_eval_mul_s8;
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, a.index,
                         "input type %s is not supported%s",
                         tml_type_name(a.type),
                         a.type == TML_INT32 ? " (no int32 kernel in TML)"
                                             : "");
  }
  /* An input with the output's element count is not broadcast: element o
  ** is read at index o just before out[o] is written, so the output may
  ** take that input's bytes. */
  if (a.elements == out.elements && !a.data)
    p->inplace = 1;
  else if (b.elements == out.elements && !b.data)
    p->inplace = 2;
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
