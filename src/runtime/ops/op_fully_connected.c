/*
** FULLY_CONNECTED: the input is flattened to [batches, depth] where depth is
** the weights' second dimension (TFLite's semantics, also with keep_num_dims).
*/
#include <string.h>

#include "tml_records.h"

enum { FC_OPTIONS = 8 };
enum { FC_ACT = 0, FC_WEIGHTS_FORMAT = 1, FC_KEEP_DIMS = 2, FC_ASYMMETRIC = 3 };

#define DEF_EVAL(name, kernel)                   \
  void name(const tml_rec *r) {                  \
    const tml_fc_rec *f = (const tml_fc_rec *)r; \
    kernel(&f->p, f->in, f->w, f->bias, f->out); \
  }
DEF_EVAL(tml_eval_fully_connected_s8, tml_fully_connected_s8)
DEF_EVAL(tml_eval_fully_connected_s16, tml_fully_connected_s16)
DEF_EVAL(tml_eval_fully_connected_s16_b32, tml_fully_connected_s16_b32)
DEF_EVAL(tml_eval_fully_connected_f32, tml_fully_connected_f32)

tml_status tml_prepare_fully_connected(tml_prep *p) {
  tml_tensor_view in, w, b, out;
  tml_fc_rec r, *rec;
  tml_activation act;
  int32_t has_bias, n_mult = 1, *mult = NULL;
  int8_t *shift = NULL;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 3, 1)) != TML_OK ||
      (s = tml_prep_options(p, FC_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_input(p, 1, &w)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_const(p, &w)) != TML_OK ||
      (s = tml_prep_activation(p, FC_ACT, &act)) != TML_OK)
    return s;
  if (tml_prep_opt_u8(p, FC_WEIGHTS_FORMAT, 0) != 0)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "shuffled weights format is not supported");
  has_bias = tml_prep_has_input(p, 2);
  if (has_bias && ((s = tml_prep_input(p, 2, &b)) != TML_OK ||
                   (s = tml_prep_const(p, &b)) != TML_OK))
    return s;
  if (w.rank != 2)
    return tml_prep_fail(p, TML_ERR_SHAPE, w.index, "weights must be 2-D");
  r.p.out_depth = w.dims[0];
  r.p.in_depth = w.dims[1];
  if (in.elements % r.p.in_depth != 0)
    return tml_prep_fail(p, TML_ERR_SHAPE, in.index,
                         "input of %d elements is not a multiple of depth %d",
                         (int)in.elements, (int)r.p.in_depth);
  r.p.batches = in.elements / r.p.in_depth;
  if ((int64_t)out.elements != (int64_t)r.p.batches * r.p.out_depth ||
      out.rank < 1 ||
      out.dims[out.rank - 1] != r.p.out_depth)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output has %d elements, expected %d x %d",
                         (int)out.elements, (int)r.p.batches,
                         (int)r.p.out_depth);
  if (has_bias && b.elements != r.p.out_depth)
    return tml_prep_fail(p, TML_ERR_SHAPE, b.index,
                         "bias has %d elements for %d outputs",
                         (int)b.elements, (int)r.p.out_depth);

  if (in.type == TML_FLOAT32) {
    if (w.type == TML_INT8)
      return tml_prep_fail(p, TML_ERR_TYPE, w.index,
                           "hybrid model (float activations, int8 weights) "
                           "is not supported");
    if ((s = tml_prep_type(p, &w, TML_FLOAT32)) != TML_OK ||
        (s = tml_prep_type(p, &out, TML_FLOAT32)) != TML_OK ||
        (has_bias && (s = tml_prep_type(p, &b, TML_FLOAT32)) != TML_OK))
      return s;
    if ((s = tml_fully_connected_f32_init(&r.p, act)) != TML_OK)
      return tml_prep_fail(p, s, -1, "invalid parameters");
    rec = tml_prep_record(p, sizeof r, tml_eval_fully_connected_f32);
  } else if (in.type == TML_INT8 || in.type == TML_INT16) {
    const int s16 = in.type == TML_INT16;
    const float *w_scales;
    float in_s, w_s, out_s, b_s = 0.0f;
    int32_t in_zp, w_zp, out_zp, b64 = 0;
    if ((s = tml_prep_type(p, &w, TML_INT8)) != TML_OK ||
        (s = tml_prep_type(p, &out, in.type)) != TML_OK ||
        (s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &w, &w_s, &w_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK ||
        (s = tml_prep_scales(p, &w, &w_scales)) != TML_OK)
      return s;
    if (has_bias) {
      b64 = b.type == TML_INT64;
      if (b.type != TML_INT32 && !(s16 && b64))
        return tml_prep_type(p, &b, s16 ? TML_INT64 : TML_INT32);
      b_s = tml_tensor_scale(p->m, &b, 0);
    }
    if (w.n_scale > 1) {
      if (w.n_scale != (uint32_t)r.p.out_depth || w.quant_dim != 0)
        return tml_prep_fail(p, TML_ERR_QUANT, w.index,
                             "weights have %u scales for %d outputs",
                             (unsigned)w.n_scale, (int)r.p.out_depth);
      n_mult = r.p.out_depth;
    }
    eval = s16 ? (has_bias && !b64 ? tml_eval_fully_connected_s16_b32 : tml_eval_fully_connected_s16) : tml_eval_fully_connected_s8;
    rec = tml_prep_record(p, sizeof r + 5 * (size_t)n_mult, eval);
    if (rec) {
      mult = (int32_t *)(void *)(rec + 1);
      shift = (int8_t *)(mult + n_mult);
    }
    (void)w_s;
    s = tml_fully_connected_q_init(
        &r.p, mult, shift, in_s, in_zp, w_scales, n_mult, w_zp,
        has_bias && b.n_scale ? &b_s : NULL, out_s, out_zp,
        s16 ? -32768 : -128, s16 ? 32767 : 127, act);
    if (s != TML_OK)
      return tml_prep_fail(p, s, -1, "quantization parameters TFLite rejects");
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "input type %s is not supported",
                         tml_type_name(in.type));
  }
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.w = w.data;
    r.bias = has_bias ? b.data : NULL;
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
