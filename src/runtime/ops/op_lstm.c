/*
** UNIDIRECTIONAL_SEQUENCE_LSTM (TFLM unidirectional_sequence_lstm.cc,
** lstm_eval_common.cc): the standard LSTM, float32, and int8 with int16 cell
** state. The output state (input 18) and cell state (input 19) are variable
** tensors kept in the arena's persistent part; they carry over from one
** invoke to the next until tml_reset.
**
** TFLM's reference LSTM computes every gate in Q3.12 and does not read the
** op's intermediate tensors, so they are ignored here too.
*/
#include <string.h>

#include "tml_records.h"

enum { LSTM_OPTIONS = 71 };
enum {
  LSTM_ACT = 0,
  LSTM_CELL_CLIP = 1,
  LSTM_TIME_MAJOR = 3,
  LSTM_DIAGONAL = 5
};
#define LSTM_ACT_TANH 4

void tml_eval_lstm_s8(const tml_rec *r) {
  const tml_lstm_rec *q = (const tml_lstm_rec *)r;
  tml_lstm_s8(&q->p, &q->d.s8);
}

void tml_eval_lstm_f32(const tml_rec *r) {
  const tml_lstm_rec *q = (const tml_lstm_rec *)r;
  tml_lstm_f32(&q->p, &q->d.f32);
}

static const char *const input_names[TML_LSTM_N_INPUTS] = {
    "input",
    "input-to-input weights",
    "input-to-forget weights",
    "input-to-cell weights",
    "input-to-output weights",
    "recurrent-to-input weights",
    "recurrent-to-forget weights",
    "recurrent-to-cell weights",
    "recurrent-to-output weights",
    "cell-to-input (peephole) weights",
    "cell-to-forget (peephole) weights",
    "cell-to-output (peephole) weights",
    "input gate bias",
    "forget gate bias",
    "cell gate bias",
    "output gate bias",
    "projection weights",
    "projection bias",
    "output state",
    "cell state",
    "input layer-norm coefficients",
    "forget layer-norm coefficients",
    "cell layer-norm coefficients",
    "output layer-norm coefficients"};

static int is_weights(int32_t k) {
  return (k >= TML_LSTM_IN_WEIGHTS && k < TML_LSTM_PEEPHOLE) ||
         (k >= TML_LSTM_BIAS && k < TML_LSTM_PROJECTION);
}

/* Which inputs exist: TFLM's ValidateTensorStatus, with the unsupported
** variants told apart from malformed ops. */
static tml_status check_presence(tml_prep *p, const int present[]) {
  int32_t k;
  for (k = 1; k < TML_LSTM_N_INPUTS; k++) {
    const int variant = (k >= TML_LSTM_PEEPHOLE && k < TML_LSTM_BIAS) ||
                        (k >= TML_LSTM_PROJECTION && k < TML_LSTM_OUTPUT_STATE) ||
                        k >= TML_LSTM_LAYER_NORM;
    if (variant && present[k])
      return tml_prep_fail(p, TML_ERR_UNSUPPORTED_OP,
                           tml_op_input(p->m, &p->op, (uint32_t)k),
                           "LSTM with %s (input %d) is not supported",
                           input_names[k], (int)k);
  }
  if (!present[TML_LSTM_IN_WEIGHTS] || !present[TML_LSTM_REC_WEIGHTS] ||
      !present[TML_LSTM_BIAS])
    return tml_prep_fail(p, TML_ERR_UNSUPPORTED_OP, -1,
                         "LSTM without input gate (CIFG) is not supported");
  for (k = 0; k < TML_LSTM_N_INPUTS; k++)
    if (!present[k] && (k < TML_LSTM_PEEPHOLE ||
                        (k >= TML_LSTM_BIAS && k < TML_LSTM_PROJECTION) ||
                        k == TML_LSTM_OUTPUT_STATE || k == TML_LSTM_CELL_STATE))
      return tml_prep_fail(p, TML_ERR_SCHEMA, -1, "%s (input %d) is missing",
                           input_names[k], (int)k);
  return TML_OK;
}

/* Types, named per tensor; tml_lstm_init checks them again. */
static tml_status check_types(tml_prep *p, const tml_tensor_view *v,
                              const tml_tensor_view *out) {
  const int32_t act = v[0].type;
  const int f32 = act == TML_FLOAT32;
  int32_t k;
  tml_status s;
  if (f32 && v[TML_LSTM_IN_WEIGHTS + 1].type == TML_INT8)
    return tml_prep_fail(p, TML_ERR_TYPE, v[TML_LSTM_IN_WEIGHTS + 1].index,
                         "hybrid LSTM (float activations, int8 weights) is "
                         "not supported");
  if (act == TML_INT16)
    return tml_prep_fail(p, TML_ERR_TYPE, v[0].index,
                         "int16 activations (16x8 LSTM) are not supported");
  if (!f32 && act != TML_INT8)
    return tml_prep_fail(p, TML_ERR_TYPE, v[0].index,
                         "input type %s is not supported",
                         tml_type_name(act));
  for (k = 1; k < TML_LSTM_N_INPUTS; k++) {
    int32_t want;
    if (is_weights(k))
      want = k < TML_LSTM_PEEPHOLE ? (f32 ? TML_FLOAT32 : TML_INT8)
                                   : (f32 ? TML_FLOAT32 : TML_INT32);
    else if (k == TML_LSTM_OUTPUT_STATE)
      want = act;
    else if (k == TML_LSTM_CELL_STATE)
      want = f32 ? TML_FLOAT32 : TML_INT16;
    else
      continue;
    if ((s = tml_prep_type(p, &v[k], want)) != TML_OK) return s;
  }
  return tml_prep_type(p, out, act);
}

static int dims_are(const tml_tensor_view *t, int32_t rank, int32_t d0,
                    int32_t d1) {
  return t->rank == rank && t->dims[0] == d0 && (rank < 2 || t->dims[1] == d1);
}

/* TFLM's CreateLstmSizeInfo and ValidateTensorSize, naming the tensor. */
static tml_status check_shapes(tml_prep *p, const tml_tensor_view *v,
                               const tml_tensor_view *out, int time_major) {
  const tml_tensor_view *x = &v[0], *h = &v[TML_LSTM_OUTPUT_STATE];
  const tml_tensor_view *c = &v[TML_LSTM_CELL_STATE];
  int32_t n_b, n_in, n_u, k;
  if (x->rank != 3)
    return tml_prep_fail(p, TML_ERR_SHAPE, x->index,
                         "input must be 3-D (batch, time, features)");
  if (h->rank != 2)
    return tml_prep_fail(p, TML_ERR_SHAPE, h->index,
                         "output state must be 2-D [batches][units]");
  n_b = time_major ? x->dims[1] : x->dims[0];
  n_in = x->dims[2];
  n_u = h->dims[1];
  for (k = TML_LSTM_IN_WEIGHTS; k < TML_LSTM_PROJECTION; k++) {
    const int32_t d1 = k < TML_LSTM_REC_WEIGHTS ? n_in : n_u;
    if (!is_weights(k)) continue;
    if (!dims_are(&v[k], k < TML_LSTM_BIAS ? 2 : 1, n_u, d1))
      return k < TML_LSTM_BIAS
                 ? tml_prep_fail(p, TML_ERR_SHAPE, v[k].index,
                                 "%s (tensor %d) must be [%d][%d]",
                                 input_names[k], (int)v[k].index, (int)n_u,
                                 (int)d1)
                 : tml_prep_fail(p, TML_ERR_SHAPE, v[k].index,
                                 "%s (tensor %d) must be [%d]", input_names[k],
                                 (int)v[k].index, (int)n_u);
  }
  if ((int64_t)h->elements != (int64_t)n_b * n_u)
    return tml_prep_fail(p, TML_ERR_SHAPE, h->index,
                         "output state must be [%d][%d]", (int)n_b, (int)n_u);
  if (c->rank < 1 || c->rank > 2 || (int64_t)c->elements != (int64_t)n_b * n_u)
    return tml_prep_fail(p, TML_ERR_SHAPE, c->index,
                         "cell state must hold %d x %d elements", (int)n_b,
                         (int)n_u);
  if (out->rank != 3 || out->dims[0] != x->dims[0] ||
      out->dims[1] != x->dims[1] || out->dims[2] != n_u)
    return tml_prep_fail(p, TML_ERR_SHAPE, out->index,
                         "output must be [%d][%d][%d]", (int)x->dims[0],
                         (int)x->dims[1], (int)n_u);
  return TML_OK;
}

/* int8: per-tensor quantization everywhere TFLM reads it; symmetric weights
** (TFLM's integer LSTM has no weight zero points). */
static tml_status check_quant(tml_prep *p, const tml_tensor_view *v) {
  static const int32_t act_inputs[3] = {0, TML_LSTM_OUTPUT_STATE,
                                        TML_LSTM_CELL_STATE};
  float scale;
  int32_t zp, k;
  tml_status s;
  for (k = 0; k < 3; k++)
    if ((s = tml_prep_quant(p, &v[act_inputs[k]], &scale, &zp)) != TML_OK)
      return s;
  if (zp != 0)
    return tml_prep_fail(p, TML_ERR_QUANT, v[TML_LSTM_CELL_STATE].index,
                         "cell state needs zero point 0");
  for (k = TML_LSTM_IN_WEIGHTS; k < TML_LSTM_PEEPHOLE; k++) {
    if ((s = tml_prep_quant(p, &v[k], &scale, &zp)) != TML_OK) return s;
    if (v[k].n_scale != 1 || zp != 0)
      return tml_prep_fail(p, TML_ERR_QUANT, v[k].index,
                           "%s (tensor %d) need one scale and zero point 0",
                           input_names[k], (int)v[k].index);
  }
  return TML_OK;
}

static void describe(const tml_prep *p, const tml_tensor_view *t,
                     tml_lstm_tensor *d) {
  int32_t i;
  memset(d, 0, sizeof *d);
  d->present = 1;
  d->type = t->type;
  d->rank = t->rank;
  for (i = 0; i < t->rank; i++) d->dims[i] = t->dims[i];
  d->is_variable = t->is_variable;
  d->n_scales = (int32_t)t->n_scale;
  d->scale = tml_tensor_scale(p->m, t, 0);
  d->zero_point = tml_tensor_zp(p->m, t, 0);
}

tml_status tml_prepare_lstm(tml_prep *p) {
  tml_tensor_view v[TML_LSTM_N_INPUTS], out;
  tml_lstm_tensor d[TML_LSTM_N_INPUTS], d_out;
  int present[TML_LSTM_N_INPUTS];
  int32_t act, time_major, k;
  float cell_clip;
  tml_lstm_rec r, *rec;
  tml_status s;

  memset(&r, 0, sizeof r);
  memset(v, 0, sizeof v);
  memset(d, 0, sizeof d);
  if ((s = tml_prep_arity(p, TML_LSTM_N_INPUTS, TML_LSTM_N_INPUTS, 1)) !=
          TML_OK ||
      (s = tml_prep_options(p, LSTM_OPTIONS)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK)
    return s;
  for (k = 0; k < TML_LSTM_N_INPUTS; k++) {
    present[k] = tml_prep_has_input(p, (uint32_t)k);
    if (present[k] && (s = tml_prep_input(p, (uint32_t)k, &v[k])) != TML_OK)
      return s;
  }
  if ((s = check_presence(p, present)) != TML_OK) return s;

  /* The schema has no SIGMOID activation (TFLite reads unknown codes as
  ** NONE), and TFLM's cell gate runs only TANH or SIGMOID: TANH it is. */
  if (!p->op.has_options)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "has no options (TFLM needs their TANH activation)");
  act = tml_prep_opt_u8(p, LSTM_ACT, 0);
  if (act != LSTM_ACT_TANH)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "fused activation %d: TFLM's LSTM needs TANH (4)",
                         (int)act);
  cell_clip = tml_prep_opt_f32(p, LSTM_CELL_CLIP, 0.0f);
  if (!(cell_clip >= 0.0f))
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "cell_clip must be >= 0 (0: no clipping)");
  if (tml_prep_opt_u8(p, LSTM_DIAGONAL, 0))
    return tml_prep_fail(p, TML_ERR_UNSUPPORTED_OP, -1,
                         "LSTM with diagonal recurrent weights is not "
                         "supported");
  time_major = tml_prep_opt_u8(p, LSTM_TIME_MAJOR, 0) != 0;
  /* proj_clip needs projection, rejected above; asymmetric_quantize_inputs
  ** only matters for hybrid models, rejected below. */

  for (k = TML_LSTM_OUTPUT_STATE; k <= TML_LSTM_CELL_STATE; k++)
    if (!v[k].is_variable)
      return tml_prep_fail(p, TML_ERR_SCHEMA, v[k].index,
                           "%s (tensor %d) must be a variable tensor",
                           input_names[k], (int)v[k].index);
  for (k = 0; k < TML_LSTM_N_INPUTS; k++)
    if (present[k] && v[k].index == out.index)
      return tml_prep_fail(p, TML_ERR_GRAPH, out.index,
                           "output is also input %d", (int)k);
  for (k = 0; k < TML_LSTM_N_INPUTS; k++)
    if (is_weights(k) && (s = tml_prep_const(p, &v[k])) != TML_OK) return s;
  if ((s = check_types(p, v, &out)) != TML_OK ||
      (s = check_shapes(p, v, &out, time_major)) != TML_OK ||
      (v[0].type == TML_INT8 && (s = check_quant(p, v)) != TML_OK))
    return s;

  for (k = 0; k < TML_LSTM_N_INPUTS; k++)
    if (present[k]) describe(p, &v[k], &d[k]);
  describe(p, &out, &d_out);
  s = tml_lstm_init(&r.p, d, &d_out, act, cell_clip, time_major);
  if (s == TML_ERR_QUANT)
    return tml_prep_fail(p, s, v[TML_LSTM_CELL_STATE].index,
                         "cell state scale must be 2^k (-43 <= k <= 2); "
                         "effective scales must fit");
  if (s != TML_OK)
    return tml_prep_fail(p, s, -1, "parameters TFLM rejects");

  rec = tml_prep_record(p, sizeof r,
                        v[0].type == TML_INT8 ? tml_eval_lstm_s8
                                              : tml_eval_lstm_f32);
  if (rec) {
    r.hdr = rec->hdr;
    if (v[0].type == TML_INT8) {
      tml_lstm_data_s8 *q = &r.d.s8;
      q->input = tml_prep_data(p, &v[0]);
      for (k = 0; k < 4; k++) {
        q->w_in[k] = (const int8_t *)v[TML_LSTM_IN_WEIGHTS + k].data;
        q->w_rec[k] = (const int8_t *)v[TML_LSTM_REC_WEIGHTS + k].data;
        q->bias[k] = (const int32_t *)(const void *)v[TML_LSTM_BIAS + k].data;
      }
      q->hidden = tml_prep_data(p, &v[TML_LSTM_OUTPUT_STATE]);
      q->cell = tml_prep_data(p, &v[TML_LSTM_CELL_STATE]);
      q->output = tml_prep_data(p, &out);
    } else {
      tml_lstm_data_f32 *q = &r.d.f32;
      q->input = tml_prep_data(p, &v[0]);
      for (k = 0; k < 4; k++) {
        q->w_in[k] = (const float *)(const void *)v[TML_LSTM_IN_WEIGHTS + k].data;
        q->w_rec[k] =
            (const float *)(const void *)v[TML_LSTM_REC_WEIGHTS + k].data;
        q->bias[k] = (const float *)(const void *)v[TML_LSTM_BIAS + k].data;
      }
      q->hidden = tml_prep_data(p, &v[TML_LSTM_OUTPUT_STATE]);
      q->cell = tml_prep_data(p, &v[TML_LSTM_CELL_STATE]);
      q->output = tml_prep_data(p, &out);
    }
    *rec = r;
  }
  return TML_OK;
}
