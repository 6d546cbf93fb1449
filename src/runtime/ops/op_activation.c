/*
** Elementwise activations: RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU,
** HARD_SWISH, LOGISTIC, TANH. Input and output share type and shape; every
** kernel reads element i before writing element i, so the output may take
** the input's bytes.
*/
#include <string.h>

#include "tml_records.h"

enum { OPTIONS_NONE = 0, LEAKY_RELU_OPTIONS = 75, HARD_SWISH_OPTIONS = 91 };
enum { LEAKY_ALPHA = 0 };

/* Checks every unary op shares: one input, one output of the same type and
** shape, constant input data aligned for the kernel. */
static tml_status unary(tml_prep *p, int32_t options, tml_tensor_view *in,
                        tml_tensor_view *out) {
  tml_status s;
  if ((s = tml_prep_arity(p, 1, 1, 1)) != TML_OK ||
      (s = tml_prep_options(p, options)) != TML_OK ||
      (s = tml_prep_input(p, 0, in)) != TML_OK ||
      (s = tml_prep_output(p, 0, out)) != TML_OK ||
      (s = tml_prep_type(p, out, in->type)) != TML_OK ||
      (s = tml_prep_same_shape(p, in, out)) != TML_OK ||
      (in->data && (s = tml_prep_const(p, in)) != TML_OK))
    return s;
  if (!in->data) p->inplace = 1;
  return TML_OK;
}

static tml_status bad_type(tml_prep *p, const tml_tensor_view *in,
                           const char *supported) {
  return tml_prep_fail(p, TML_ERR_TYPE, in->index,
                       "input type %s is not supported (%s)",
                       tml_type_name(in->type), supported);
}

/* ------------------------------------------------------------ RELU family */

#define RELU_EVAL(name, kernel, T)                                        \
  void name(const tml_rec *r) {                                           \
    const tml_relu_rec *q = (const tml_relu_rec *)r;                      \
    kernel(&q->p, (const T *)q->in, (T *)q->out);                         \
  }
RELU_EVAL(tml_eval_relu_s8, tml_relu_s8, int8_t)
RELU_EVAL(tml_eval_relu_s16, tml_relu_s16, int16_t)
RELU_EVAL(tml_eval_relu_f32, tml_relu_f32, float)

tml_status tml_prepare_relu(tml_prep *p) {
  const tml_activation act = p->op.builtin == TML_OP_RELU6 ? TML_ACT_RELU6
                             : p->op.builtin == TML_OP_RELU_N1_TO_1
                                 ? TML_ACT_RELU_N1_TO_1
                                 : TML_ACT_RELU;
  tml_tensor_view in, out;
  tml_relu_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, OPTIONS_NONE, &in, &out)) != TML_OK) return s;
  if (in.type == TML_FLOAT32) {
    tml_relu_f32_init(&r.p, in.elements, act);
    eval = tml_eval_relu_f32;
  } else if (in.type == TML_INT8 ||
             (in.type == TML_INT16 && act != TML_ACT_RELU_N1_TO_1)) {
    /* TFLite has no int16 RELU_N1_TO_1 (TFLM has no RELU_N1_TO_1 at all:
    ** TML follows TFLite's kernel for it). */
    const int s16 = in.type == TML_INT16;
    float in_s, out_s = 0.0f;
    int32_t in_zp, out_zp = 0;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK) return s;
    /* TFLM's RELU6 clamps in the input's quantization and never reads the
    ** output's. */
    if (act != TML_ACT_RELU6 &&
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    /* TFLM's int16 RELU has no zero points. */
    if (s16 && act == TML_ACT_RELU && (in_zp != 0 || out_zp != 0))
      return tml_prep_fail(p, TML_ERR_QUANT, in_zp ? in.index : out.index,
                           "int16 RELU needs zero points 0");
    s = tml_relu_q_init(&r.p, in.elements, act, in_s, in_zp, out_s, out_zp,
                        s16 ? -32768 : -128, s16 ? 32767 : 127);
    if (s != TML_OK)
      return tml_prep_fail(p, s, out.index,
                           "input scale / output scale is 2^31 or more");
    eval = s16 ? tml_eval_relu_s16 : tml_eval_relu_s8;
  } else {
    return bad_type(p, &in,
                    act == TML_ACT_RELU_N1_TO_1 ? "float32, int8"
                                                : "float32, int8, int16");
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

/* ------------------------------------------------------------- LEAKY_RELU */

#define LEAKY_EVAL(name, kernel, T)                                       \
  void name(const tml_rec *r) {                                           \
    const tml_leaky_relu_rec *q = (const tml_leaky_relu_rec *)r;          \
    kernel(&q->p, (const T *)q->in, (T *)q->out);                         \
  }
LEAKY_EVAL(tml_eval_leaky_relu_s8, tml_leaky_relu_s8, int8_t)
LEAKY_EVAL(tml_eval_leaky_relu_s16, tml_leaky_relu_s16, int16_t)
LEAKY_EVAL(tml_eval_leaky_relu_f32, tml_leaky_relu_f32, float)

tml_status tml_prepare_leaky_relu(tml_prep *p) {
  tml_tensor_view in, out;
  tml_leaky_relu_rec r, *rec;
  tml_eval_fn eval;
  float alpha;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, LEAKY_RELU_OPTIONS, &in, &out)) != TML_OK) return s;
  /* TFLite's default when the options are absent. */
  alpha = tml_prep_opt_f32(p, LEAKY_ALPHA, 0.0f);
  if (in.type == TML_FLOAT32) {
    r.p.count = in.elements;
    r.p.alpha = alpha;
    eval = tml_eval_leaky_relu_f32;
  } else if (in.type == TML_INT8 || in.type == TML_INT16) {
    float in_s, out_s;
    int32_t in_zp, out_zp;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    s = tml_leaky_relu_q_init(&r.p, in.elements, alpha, in_s, in_zp, out_s,
                              out_zp);
    if (s != TML_OK)
      return tml_prep_fail(p, s, out.index,
                           "input scale (times alpha) / output scale is 2^31 "
                           "or more");
    eval = in.type == TML_INT8 ? tml_eval_leaky_relu_s8
                               : tml_eval_leaky_relu_s16;
  } else {
    return bad_type(p, &in, "float32, int8, int16");
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

/* ------------------------------------------------------------- HARD_SWISH */

void tml_eval_hard_swish_s8(const tml_rec *r) {
  const tml_hard_swish_rec *q = (const tml_hard_swish_rec *)r;
  tml_hard_swish_s8(&q->p, q->in, q->out);
}
void tml_eval_hard_swish_f32(const tml_rec *r) {
  const tml_hard_swish_rec *q = (const tml_hard_swish_rec *)r;
  tml_hard_swish_f32(&q->p, q->in, q->out);
}

tml_status tml_prepare_hard_swish(tml_prep *p) {
  tml_tensor_view in, out;
  tml_hard_swish_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, HARD_SWISH_OPTIONS, &in, &out)) != TML_OK) return s;
  if (in.type == TML_FLOAT32) {
    r.p.count = in.elements;
    eval = tml_eval_hard_swish_f32;
  } else if (in.type == TML_INT8) {
    float in_s, out_s;
    int32_t in_zp, out_zp;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    s = tml_hard_swish_s8_init(&r.p, in.elements, in_s, in_zp, out_s, out_zp);
    if (s != TML_OK)
      return tml_prep_fail(p, s, out.index,
                           "scales TFLite rejects (the input scale / 128 "
                           "must not exceed the output scale)");
    eval = tml_eval_hard_swish_s8;
  } else {
    return bad_type(p, &in, "float32, int8");
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

/* -------------------------------------------------------- LOGISTIC, TANH */

#define SIGMOID_EVAL(name, kernel, T)                                     \
  void name(const tml_rec *r) {                                           \
    const tml_sigmoid_rec *q = (const tml_sigmoid_rec *)r;                \
    kernel(&q->p, (const T *)q->in, (T *)q->out);                         \
  }
SIGMOID_EVAL(tml_eval_logistic_s8, tml_logistic_s8, int8_t)
SIGMOID_EVAL(tml_eval_logistic_s16, tml_logistic_s16, int16_t)
SIGMOID_EVAL(tml_eval_logistic_f32, tml_logistic_f32, float)
SIGMOID_EVAL(tml_eval_tanh_s8, tml_tanh_s8, int8_t)
SIGMOID_EVAL(tml_eval_tanh_s16, tml_tanh_s16, int16_t)
SIGMOID_EVAL(tml_eval_tanh_f32, tml_tanh_f32, float)

tml_status tml_prepare_logistic_tanh(tml_prep *p) {
  const int is_tanh = p->op.builtin == TML_OP_TANH;
  tml_tensor_view in, out;
  tml_sigmoid_rec r, *rec;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, OPTIONS_NONE, &in, &out)) != TML_OK) return s;
  if (in.type == TML_FLOAT32) {
    r.p.count = in.elements;
    eval = is_tanh ? tml_eval_tanh_f32 : tml_eval_logistic_f32;
  } else if (in.type == TML_INT8 || in.type == TML_INT16) {
    const int s16 = in.type == TML_INT16;
    /* The output's quantization goes to init as the model has it (0 when
    ** absent): TFLM checks only parts of it (int8 TANH none at all). */
    const float out_s = tml_tensor_scale(p->m, &out, 0);
    const int32_t out_zp = tml_tensor_zp(p->m, &out, 0);
    float in_s;
    int32_t in_zp;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK) return s;
    if (is_tanh)
      s = s16 ? tml_tanh_s16_init(&r.p, in.elements, in_s, in_zp, out_s,
                                  out_zp)
              : tml_tanh_s8_init(&r.p, in.elements, in_s, in_zp, out_s,
                                 out_zp);
    else
      s = s16 ? tml_logistic_s16_init(&r.p, in.elements, in_s, in_zp, out_s,
                                      out_zp)
              : tml_logistic_s8_init(&r.p, in.elements, in_s, in_zp, out_s,
                                     out_zp);
    if (s != TML_OK && s16)
      return tml_prep_fail(p, s, out.index,
                           "int16 needs zero points 0, output scale 2^-15, "
                           "input scale <= 2.67 (TFLite)");
    if (s != TML_OK && !is_tanh && out_zp != -128)
      return tml_prep_fail(p, s, out.index,
                           "output zero point %d, TFLite needs -128",
                           (int)out_zp);
    if (s != TML_OK)
      return tml_prep_fail(p, s, in.index,
                           "input scale too small (below 2^-28)");
    eval = is_tanh ? (s16 ? tml_eval_tanh_s16 : tml_eval_tanh_s8)
                   : (s16 ? tml_eval_logistic_s16 : tml_eval_logistic_s8);
  } else {
    return bad_type(p, &in, "float32, int8, int16");
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
