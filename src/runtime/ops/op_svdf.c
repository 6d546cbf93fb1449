/*
** SVDF (TFLM svdf.cc, svdf_common.cc): float32, and int8 with int16 time
** weights and state. The state is a variable tensor: it lives in the arena's
** persistent part, the kernel shifts it in place on every invoke and
** tml_reset clears it.
*/
#include <math.h>
#include <string.h>

#include "tml_records.h"

enum { SVDF_OPTIONS = 6 };
enum { SVDF_RANK = 0, SVDF_ACT = 1 };
enum { SVDF_IN = 0, SVDF_WF = 1, SVDF_WT = 2, SVDF_BIAS = 3, SVDF_STATE = 4 };

void tml_eval_svdf_s8(const tml_rec *r) {
  const tml_svdf_rec *q = (const tml_svdf_rec *)r;
  tml_svdf_s8(&q->p, q->in, q->wf, q->wt, q->bias, q->state, q->out,
              q->scratch);
}

void tml_eval_svdf_f32(const tml_rec *r) {
  const tml_svdf_rec *q = (const tml_svdf_rec *)r;
  tml_svdf_f32(&q->p, q->in, q->wf, q->wt, q->bias, q->state, q->out,
               q->scratch);
}

static tml_status bad_shape(tml_prep *p, const tml_tensor_view *t,
                            const char *what, int32_t d0, int32_t d1) {
  return tml_prep_fail(p, TML_ERR_SHAPE, t->index,
                       "%s (tensor %d) must be [%d][%d]", what, (int)t->index,
                       (int)d0, (int)d1);
}

static int is_2d(const tml_tensor_view *t, int32_t d0, int32_t d1) {
  return t->rank == 2 && t->dims[0] == d0 && t->dims[1] == d1;
}

/* TFLM's PrepareSvdf shape checks. */
static tml_status check_shapes(tml_prep *p, const tml_tensor_view *in,
                               const tml_tensor_view *wf,
                               const tml_tensor_view *wt,
                               const tml_tensor_view *b, int has_bias,
                               const tml_tensor_view *state,
                               const tml_tensor_view *out, int32_t rank) {
  int32_t n_b, n_f, n_u, n_mem;
  if (in->rank != 2)
    return tml_prep_fail(p, TML_ERR_SHAPE, in->index,
                         "input must be 2-D [batches][input size]");
  n_b = in->dims[0];
  if (wf->rank != 2 || wf->dims[1] != in->dims[1])
    return tml_prep_fail(p, TML_ERR_SHAPE, wf->index,
                         "feature weights must be [filters][%d]",
                         (int)in->dims[1]);
  n_f = wf->dims[0];
  if (n_f % rank != 0)
    return tml_prep_fail(p, TML_ERR_SHAPE, wf->index,
                         "%d filters are not a multiple of rank %d", (int)n_f,
                         (int)rank);
  n_u = n_f / rank;
  if (wt->rank != 2 || wt->dims[0] != n_f)
    return tml_prep_fail(p, TML_ERR_SHAPE, wt->index,
                         "time weights must be [%d][memory size]", (int)n_f);
  n_mem = wt->dims[1];
  if (has_bias && (b->rank < 1 || b->dims[0] != n_u || b->elements != n_u))
    return tml_prep_fail(p, TML_ERR_SHAPE, b->index,
                         "bias must have %d elements (units)", (int)n_u);
  if ((int64_t)n_f * n_mem > INT32_MAX || !is_2d(state, n_b, n_f * n_mem))
    return bad_shape(p, state, "state", n_b, n_f * n_mem);
  if (!is_2d(out, n_b, n_u)) return bad_shape(p, out, "output", n_b, n_u);
  return TML_OK;
}

/* TFLM reads one scale and no zero point for the weights. */
static tml_status sym_weights(tml_prep *p, const tml_tensor_view *w,
                              float *scale) {
  int32_t zp;
  tml_status s = tml_prep_quant(p, w, scale, &zp);
  if (s != TML_OK) return s;
  if (w->n_scale != 1 || zp != 0)
    return tml_prep_fail(p, TML_ERR_QUANT, w->index,
                         "tensor %d '%.*s': weights need one scale and zero "
                         "point 0",
                         (int)w->index, (int)w->name_len, w->name);
  return TML_OK;
}

static tml_status prepare_s8(tml_prep *p, tml_svdf_rec *r,
                             const tml_tensor_view *in,
                             const tml_tensor_view *wf,
                             const tml_tensor_view *wt,
                             const tml_tensor_view *b, int has_bias,
                             const tml_tensor_view *state,
                             const tml_tensor_view *out, int32_t rank) {
  float in_s, wf_s, wt_s, st_s, out_s, b_s = 0.0f;
  int32_t in_zp, st_zp, out_zp;
  tml_status s;
  if ((s = tml_prep_type(p, wf, TML_INT8)) != TML_OK) return s;
  if (wt->type == TML_INT8)
    return tml_prep_fail(p, TML_ERR_TYPE, wt->index,
                         "int8 time weights and state are not supported "
                         "(int16 are)");
  if ((s = tml_prep_type(p, wt, TML_INT16)) != TML_OK ||
      (s = tml_prep_type(p, state, TML_INT16)) != TML_OK ||
      (s = tml_prep_type(p, out, TML_INT8)) != TML_OK ||
      (has_bias && (s = tml_prep_type(p, b, TML_INT32)) != TML_OK))
    return s;
  if ((s = tml_prep_quant(p, in, &in_s, &in_zp)) != TML_OK ||
      (s = sym_weights(p, wf, &wf_s)) != TML_OK ||
      (s = sym_weights(p, wt, &wt_s)) != TML_OK ||
      (s = tml_prep_quant(p, state, &st_s, &st_zp)) != TML_OK ||
      (s = tml_prep_quant(p, out, &out_s, &out_zp)) != TML_OK)
    return s;
  if (has_bias) {
    b_s = b->n_scale ? tml_tensor_scale(p->m, b, 0) : 0.0f;
    /* The kernel's init skips the bias check for a zero bias scale (its "no
    ** bias"); TFLM still compares an unquantized bias's scale, 0. */
    if (b_s == 0.0f && !(fabs((double)(st_s * wt_s)) < 1e-5))
      return tml_prep_fail(p, TML_ERR_QUANT, b->index,
                           "bias scale must be state scale x time weights "
                           "scale");
  }
  s = tml_svdf_s8_init(&r->p, in->dims[0], in->dims[1], wf->dims[0], rank,
                       wt->dims[1], in_s, in_zp, wf_s, wt_s, b_s, st_s, st_zp,
                       out_s, out_zp);
  if (s == TML_ERR_QUANT)
    return tml_prep_fail(p, s, has_bias ? b->index : out->index,
                         "quantization TFLite rejects (bias scale must be "
                         "state x time weights scale)");
  if (s != TML_OK)
    return tml_prep_fail(p, s, state->index, "tensor sizes beyond int32");
  p->scratch_bytes = (uint32_t)tml_svdf_s8_scratch_size(&r->p);
  return TML_OK;
}

static tml_status prepare_f32(tml_prep *p, tml_svdf_rec *r,
                              const tml_tensor_view *in,
                              const tml_tensor_view *wf,
                              const tml_tensor_view *wt,
                              const tml_tensor_view *b, int has_bias,
                              const tml_tensor_view *state,
                              const tml_tensor_view *out, int32_t rank,
                              int32_t act) {
  tml_status s;
  if (wf->type == TML_INT8)
    return tml_prep_fail(p, TML_ERR_TYPE, wf->index,
                         "hybrid SVDF (float activations, int8 weights) is "
                         "not supported");
  if ((s = tml_prep_type(p, wf, TML_FLOAT32)) != TML_OK ||
      (s = tml_prep_type(p, wt, TML_FLOAT32)) != TML_OK ||
      (s = tml_prep_type(p, state, TML_FLOAT32)) != TML_OK ||
      (s = tml_prep_type(p, out, TML_FLOAT32)) != TML_OK ||
      (has_bias && (s = tml_prep_type(p, b, TML_FLOAT32)) != TML_OK))
    return s;
  s = tml_svdf_f32_init(&r->p, in->dims[0], in->dims[1], wf->dims[0], rank,
                        wt->dims[1], (tml_activation)act);
  if (s != TML_OK)
    return tml_prep_fail(p, s, state->index, "tensor sizes beyond int32");
  p->scratch_bytes = (uint32_t)tml_svdf_f32_scratch_size(&r->p);
  return TML_OK;
}

tml_status tml_prepare_svdf(tml_prep *p) {
  tml_tensor_view in, wf, wt, b, state, out;
  tml_svdf_rec r, *rec;
  int32_t rank, act, k;
  int has_bias;
  tml_status s;

  memset(&r, 0, sizeof r);
  memset(&b, 0, sizeof b);
  if ((s = tml_prep_arity(p, 5, 5, 1)) != TML_OK ||
      (s = tml_prep_options(p, SVDF_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, SVDF_IN, &in)) != TML_OK ||
      (s = tml_prep_input(p, SVDF_WF, &wf)) != TML_OK ||
      (s = tml_prep_input(p, SVDF_WT, &wt)) != TML_OK ||
      (s = tml_prep_input(p, SVDF_STATE, &state)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_const(p, &wf)) != TML_OK ||
      (s = tml_prep_const(p, &wt)) != TML_OK)
    return s;
  has_bias = tml_prep_has_input(p, SVDF_BIAS);
  if (has_bias && ((s = tml_prep_input(p, SVDF_BIAS, &b)) != TML_OK ||
                   (s = tml_prep_const(p, &b)) != TML_OK))
    return s;
  /* TFLM divides by the rank: without options (rank 0) it would crash. */
  rank = tml_prep_opt_i32(p, SVDF_RANK, 0);
  if (rank < 1)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1, "rank %d (must be >= 1)",
                         (int)rank);
  /* Codes past SIGN_BIT are not in the schema (TFLite reads them as NONE). */
  act = tml_prep_opt_u8(p, SVDF_ACT, 0);
  if (act > TML_ACT_SIGN_BIT)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "fused activation %d is not supported", (int)act);
  if (!state.is_variable)
    return tml_prep_fail(p, TML_ERR_SCHEMA, state.index,
                         "state tensor %d '%.*s' must be a variable tensor",
                         (int)state.index, (int)state.name_len, state.name);
  for (k = 0; k < (int32_t)p->op.n_inputs; k++)
    if (tml_op_input(p->m, &p->op, (uint32_t)k) == out.index)
      return tml_prep_fail(p, TML_ERR_GRAPH, out.index,
                           "output is also input %d", (int)k);
  if ((s = check_shapes(p, &in, &wf, &wt, &b, has_bias, &state, &out,
                        rank)) != TML_OK)
    return s;

  /* asymmetric_quantize_inputs only matters for hybrid models, rejected
  ** below; TFLM ignores it otherwise, and so does TML. */
  if (in.type == TML_INT8) {
    /* TFLM's integer SVDF applies no fused activation. */
    s = prepare_s8(p, &r, &in, &wf, &wt, &b, has_bias, &state, &out, rank);
  } else if (in.type == TML_FLOAT32) {
    s = prepare_f32(p, &r, &in, &wf, &wt, &b, has_bias, &state, &out, rank,
                    act);
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "input type %s is not supported",
                         tml_type_name(in.type));
  }
  if (s != TML_OK) return s;

  rec = tml_prep_record(p, sizeof r,
                        in.type == TML_INT8 ? tml_eval_svdf_s8
                                            : tml_eval_svdf_f32);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.wf = wf.data;
    r.wt = wt.data;
    r.bias = has_bias ? b.data : NULL;
    r.state = tml_prep_data(p, &state);
    r.out = tml_prep_data(p, &out);
    r.scratch = tml_prep_scratch(p);
    *rec = r;
  }
  return TML_OK;
}
