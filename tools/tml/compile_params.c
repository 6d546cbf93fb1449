/*
** tml compile: the kernels' parameter structs (include/tml_kernels.h) as
** const C99 initializers, one per op (NAME_opK), every field named. A field
** added to a struct must be added here: a missing one compiles to 0, which
** tests/compile/test_compile_ops.c catches as a difference from the
** interpreter.
*/
#include <string.h>

#include "compile.h"

static void begin(cc_init *w, cctx *c, int k, const char *type) {
  char head[160];
  snprintf(head, sizeof head, "static const %s %s_op%d =", type, c->name, k);
  cc_init_begin(w, c->decl, 0, head);
}

static void end(cc_init *w) { cc_init_end(w, ";\n\n"); }

/* Field `field` points to array NAME_opK_<field> (array_decl), or is NULL. */
static void array_field(cc_init *w, cctx *c, int k, const char *field,
                        const void *data) {
  char ident[96];
  if (!data) {
    cc_field(w, field, "NULL");
    return;
  }
  snprintf(ident, sizeof ident, "%s_op%d_%s", c->name, k, field);
  cc_field(w, field, "%s", ident);
}

/* const array NAME_opK_<what> of n elements of `type`, unless data is
** NULL. */
static void array_decl(cctx *c, int k, const char *what, int32_t type,
                       const void *data, size_t n) {
  char ident[96];
  if (!data) return;
  snprintf(ident, sizeof ident, "%s_op%d_%s", c->name, k, what);
  cc_array(c->decl, ident, type, data, n * tml_type_size(type), NULL);
}

static void act_range(cc_init *w, int32_t act_min, int32_t act_max,
                      float fact_min, float fact_max) {
  cc_field_i32(w, "act_min", act_min);
  cc_field_i32(w, "act_max", act_max);
  cc_field_f32(w, "fact_min", fact_min);
  cc_field_f32(w, "fact_max", fact_max);
}

void cc_params_conv(cctx *c, int k, const tml_conv_params *p) {
  const size_t n = (size_t)p->out.c;
  cc_init w;
  array_decl(c, k, "mult", TML_INT32, p->mult, n);
  array_decl(c, k, "shift", TML_INT8, p->shift, n);
  begin(&w, c, k, "tml_conv_params");
  cc_field_shape(&w, "in", &p->in);
  cc_field_shape(&w, "filter", &p->filter);
  cc_field_shape(&w, "out", &p->out);
  cc_field_i32(&w, "stride_h", p->stride_h);
  cc_field_i32(&w, "stride_w", p->stride_w);
  cc_field_i32(&w, "dilation_h", p->dilation_h);
  cc_field_i32(&w, "dilation_w", p->dilation_w);
  cc_field_i32(&w, "pad_h", p->pad_h);
  cc_field_i32(&w, "pad_w", p->pad_w);
  cc_field_i32(&w, "depth_multiplier", p->depth_multiplier);
  cc_field_i32(&w, "in_offset", p->in_offset);
  cc_field_i32(&w, "out_offset", p->out_offset);
  act_range(&w, p->act_min, p->act_max, p->fact_min, p->fact_max);
  array_field(&w, c, k, "mult", p->mult);
  array_field(&w, c, k, "shift", p->shift);
  end(&w);
}

void cc_params_fc(cctx *c, int k, const tml_fc_params *p) {
  const size_t n = (size_t)p->n_mult;
  cc_init w;
  array_decl(c, k, "mult", TML_INT32, p->mult, n);
  array_decl(c, k, "shift", TML_INT8, p->shift, n);
  begin(&w, c, k, "tml_fc_params");
  cc_field_i32(&w, "batches", p->batches);
  cc_field_i32(&w, "in_depth", p->in_depth);
  cc_field_i32(&w, "out_depth", p->out_depth);
  cc_field_i32(&w, "in_offset", p->in_offset);
  cc_field_i32(&w, "w_offset", p->w_offset);
  cc_field_i32(&w, "out_offset", p->out_offset);
  act_range(&w, p->act_min, p->act_max, p->fact_min, p->fact_max);
  cc_field_i32(&w, "n_mult", p->n_mult);
  array_field(&w, c, k, "mult", p->mult);
  array_field(&w, c, k, "shift", p->shift);
  end(&w);
}

void cc_params_pool(cctx *c, int k, const tml_pool_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_pool_params");
  cc_field_shape(&w, "in", &p->in);
  cc_field_shape(&w, "out", &p->out);
  cc_field_i32(&w, "stride_h", p->stride_h);
  cc_field_i32(&w, "stride_w", p->stride_w);
  cc_field_i32(&w, "filter_h", p->filter_h);
  cc_field_i32(&w, "filter_w", p->filter_w);
  cc_field_i32(&w, "pad_h", p->pad_h);
  cc_field_i32(&w, "pad_w", p->pad_w);
  act_range(&w, p->act_min, p->act_max, p->fact_min, p->fact_max);
  end(&w);
}

static void broadcast(cc_init *w, const tml_broadcast *b) {
  cc_field_i32(w, "b.flat", b->flat);
  cc_field_i32(w, "b.count", b->count);
  cc_field_ints(w, "b.dims", b->dims, TML_MAX_RANK);
  cc_field_ints(w, "b.stride1", b->stride1, TML_MAX_RANK);
  cc_field_ints(w, "b.stride2", b->stride2, TML_MAX_RANK);
}

void cc_params_add(cctx *c, int k, const tml_add_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_add_params");
  broadcast(&w, &p->b);
  cc_field_i32(&w, "left_shift", p->left_shift);
  cc_field_i32(&w, "in1_offset", p->in1_offset);
  cc_field_i32(&w, "in2_offset", p->in2_offset);
  cc_field_i32(&w, "out_offset", p->out_offset);
  cc_field_i32(&w, "in1_mult", p->in1_mult);
  cc_field_i32(&w, "in1_shift", p->in1_shift);
  cc_field_i32(&w, "in2_mult", p->in2_mult);
  cc_field_i32(&w, "in2_shift", p->in2_shift);
  cc_field_i32(&w, "out_mult", p->out_mult);
  cc_field_i32(&w, "out_shift", p->out_shift);
  act_range(&w, p->act_min, p->act_max, p->fact_min, p->fact_max);
  end(&w);
}

void cc_params_mul(cctx *c, int k, const tml_mul_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_mul_params");
  broadcast(&w, &p->b);
  cc_field_i32(&w, "in1_offset", p->in1_offset);
  cc_field_i32(&w, "in2_offset", p->in2_offset);
  cc_field_i32(&w, "out_offset", p->out_offset);
  cc_field_i32(&w, "out_mult", p->out_mult);
  cc_field_i32(&w, "out_shift", p->out_shift);
  act_range(&w, p->act_min, p->act_max, p->fact_min, p->fact_max);
  end(&w);
}

/* Entries of each int16 softmax table (tml_softmax_params). */
#define SOFTMAX_LUT 513

void cc_params_softmax(cctx *c, int k, const tml_softmax_params *p) {
  cc_init w;
  array_decl(c, k, "exp_lut", TML_INT16, p->exp_lut, SOFTMAX_LUT);
  array_decl(c, k, "recip_lut", TML_INT16, p->recip_lut, SOFTMAX_LUT);
  begin(&w, c, k, "tml_softmax_params");
  cc_field_i32(&w, "rows", p->rows);
  cc_field_i32(&w, "depth", p->depth);
  cc_field_f32(&w, "beta", p->beta);
  cc_field_i32(&w, "in_mult", p->in_mult);
  cc_field_i32(&w, "in_left_shift", p->in_left_shift);
  cc_field_i32(&w, "diff_min", p->diff_min);
  array_field(&w, c, k, "exp_lut", p->exp_lut);
  array_field(&w, c, k, "recip_lut", p->recip_lut);
  end(&w);
}

void cc_params_relu(cctx *c, int k, const tml_relu_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_relu_params");
  cc_field_i32(&w, "count", p->count);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "mult", p->mult);
  cc_field_i32(&w, "shift", p->shift);
  cc_field_i32(&w, "act_min", p->act_min);
  cc_field_i32(&w, "act_max", p->act_max);
  cc_field_f32(&w, "fmin", p->fmin);
  cc_field_f32(&w, "fmax", p->fmax);
  end(&w);
}

void cc_params_leaky_relu(cctx *c, int k, const tml_leaky_relu_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_leaky_relu_params");
  cc_field_i32(&w, "count", p->count);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "mult_identity", p->mult_identity);
  cc_field_i32(&w, "shift_identity", p->shift_identity);
  cc_field_i32(&w, "mult_alpha", p->mult_alpha);
  cc_field_i32(&w, "shift_alpha", p->shift_alpha);
  cc_field_f32(&w, "alpha", p->alpha);
  end(&w);
}

void cc_params_hard_swish(cctx *c, int k, const tml_hard_swish_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_hard_swish_params");
  cc_field_i32(&w, "count", p->count);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "reluish_mult", p->reluish_mult);
  cc_field_i32(&w, "out_mult", p->out_mult);
  cc_field_i32(&w, "reluish_exp", p->reluish_exp);
  cc_field_i32(&w, "out_exp", p->out_exp);
  end(&w);
}

void cc_params_sigmoid(cctx *c, int k, const tml_sigmoid_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_sigmoid_params");
  cc_field_i32(&w, "count", p->count);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "in_range_radius", p->in_range_radius);
  cc_field_i32(&w, "in_mult", p->in_mult);
  cc_field_i32(&w, "in_left_shift", p->in_left_shift);
  end(&w);
}

void cc_params_quantize(cctx *c, int k, const tml_quantize_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_quantize_params");
  cc_field_i32(&w, "count", p->count);
  cc_field_f32(&w, "scale", p->scale);
  cc_field_i32(&w, "zp", p->zp);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "mult", p->mult);
  cc_field_i32(&w, "shift", p->shift);
  cc_field_i32(&w, "qmin", p->qmin);
  cc_field_i32(&w, "qmax", p->qmax);
  end(&w);
}

void cc_params_concat(cctx *c, int k, const tml_concat_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_concat_params");
  cc_field_i32(&w, "n_inputs", p->n_inputs);
  cc_field_i32(&w, "outer", p->outer);
  cc_field_i32(&w, "elem_size", p->elem_size);
  cc_field_ints(&w, "in_inner", p->in_inner, p->n_inputs);
  end(&w);
}

void cc_params_pad(cctx *c, int k, const tml_pad_params *p) {
  int32_t value[sizeof p->value];
  cc_init w;
  size_t i;
  for (i = 0; i < sizeof p->value; i++) value[i] = p->value[i];
  begin(&w, c, k, "tml_pad_params");
  cc_field_i32(&w, "elem_size", p->elem_size);
  cc_field_ints(&w, "in_dims", p->in_dims, TML_MAX_RANK);
  cc_field_ints(&w, "before", p->before, TML_MAX_RANK);
  cc_field_ints(&w, "after", p->after, TML_MAX_RANK);
  cc_field_ints(&w, "value", value, (int)sizeof p->value);
  end(&w);
}

void cc_params_transpose(cctx *c, int k, const tml_transpose_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_transpose_params");
  cc_field_i32(&w, "elem_size", p->elem_size);
  cc_field_i32(&w, "rank", p->rank);
  cc_field_ints(&w, "in_dims", p->in_dims, TML_MAX_RANK);
  cc_field_ints(&w, "perm", p->perm, TML_MAX_RANK);
  cc_field_ints(&w, "out_dims", p->out_dims, TML_MAX_RANK);
  end(&w);
}

void cc_params_slice(cctx *c, int k, const tml_slice_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_slice_params");
  cc_field_i32(&w, "elem_size", p->elem_size);
  cc_field_i32(&w, "rank", p->rank);
  cc_field_ints(&w, "in_dims", p->in_dims, TML_MAX_RANK);
  cc_field_ints(&w, "begin", p->begin, TML_MAX_RANK);
  cc_field_ints(&w, "stride", p->stride, TML_MAX_RANK);
  cc_field_ints(&w, "out_dims", p->out_dims, TML_MAX_RANK);
  end(&w);
}

void cc_params_mean(cctx *c, int k, const tml_mean_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_mean_params");
  cc_field_i32(&w, "rank", p->rank);
  cc_field_ints(&w, "in_dims", p->in_dims, TML_MAX_RANK);
  cc_field(&w, "axis_mask", "%luu", (unsigned long)p->axis_mask);
  cc_field_i32(&w, "count", p->count);
  cc_field_i32(&w, "reduced", p->reduced);
  cc_field_i32(&w, "quantized", p->quantized);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "mult", p->mult);
  cc_field_i32(&w, "shift", p->shift);
  end(&w);
}

void cc_params_svdf(cctx *c, int k, const tml_svdf_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_svdf_params");
  cc_field_i32(&w, "batches", p->batches);
  cc_field_i32(&w, "input_size", p->input_size);
  cc_field_i32(&w, "num_filters", p->num_filters);
  cc_field_i32(&w, "num_units", p->num_units);
  cc_field_i32(&w, "rank", p->rank);
  cc_field_i32(&w, "memory_size", p->memory_size);
  cc_field_i32(&w, "in_zp", p->in_zp);
  cc_field_i32(&w, "state_zp", p->state_zp);
  cc_field_i32(&w, "out_zp", p->out_zp);
  cc_field_i32(&w, "mult1", p->mult1);
  cc_field_i32(&w, "shift1", p->shift1);
  cc_field_i32(&w, "mult2", p->mult2);
  cc_field_i32(&w, "shift2", p->shift2);
  /* An int: SIGMOID (6) has no tml_activation name. */
  cc_field(&w, "act", "(tml_activation)%d", (int)p->act);
  end(&w);
}

void cc_params_lstm(cctx *c, int k, const tml_lstm_params *p) {
  cc_init w;
  begin(&w, c, k, "tml_lstm_params");
  cc_field_i32(&w, "batches", p->batches);
  cc_field_i32(&w, "time_steps", p->time_steps);
  cc_field_i32(&w, "input_size", p->input_size);
  cc_field_i32(&w, "units", p->units);
  cc_field_i32(&w, "time_major", p->time_major);
  cc_field_i32(&w, "cell_sigmoid", p->cell_sigmoid);
  cc_field_f32(&w, "cell_clip", p->cell_clip);
  cc_field_i32(&w, "input_offset", p->input_offset);
  cc_field_i32(&w, "hidden_offset", p->hidden_offset);
  cc_field_i32(&w, "hidden_zp", p->hidden_zp);
  cc_field_ints(&w, "in_mult", p->in_mult, 4);
  cc_field_ints(&w, "in_shift", p->in_shift, 4);
  cc_field_ints(&w, "rec_mult", p->rec_mult, 4);
  cc_field_ints(&w, "rec_shift", p->rec_shift, 4);
  cc_field_i32(&w, "fc_mult", p->fc_mult);
  cc_field_i32(&w, "fc_shift", p->fc_shift);
  cc_field_i32(&w, "ig_mult", p->ig_mult);
  cc_field_i32(&w, "ig_shift", p->ig_shift);
  cc_field_i32(&w, "h_mult", p->h_mult);
  cc_field_i32(&w, "h_shift", p->h_shift);
  cc_field_i32(&w, "cell_min", p->cell_min);
  cc_field_i32(&w, "cell_max", p->cell_max);
  cc_field_i32(&w, "tanh_mult", p->tanh_mult);
  cc_field_i32(&w, "tanh_rshift", p->tanh_rshift);
  end(&w);
}
