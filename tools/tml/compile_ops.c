/*
** tml compile: one kernel call per kernel record. Each record's eval
** function names the kernel it runs and the element types of its data, so a
** table maps eval functions to the emitter of their record kind.
*/
#include "compile.h"

typedef struct kdesc kdesc;
typedef void (*emit_fn)(cctx *c, int k, const tml_rec *r, const kdesc *d);

/* t: element types of the kernel's data, in the order its emitter says. */
struct kdesc {
  tml_eval_fn eval;
  emit_fn emit;
  const char *kernel;
  const char *t[3];
};

/* ------------------------------------------------------------ calls */

static void call_begin(cctx *c, const char *kernel, int k) {
  fprintf(c->body, "  %s(&%s_op%d", kernel, c->name, k);
}

static void call_arg(cctx *c, const void *p, const char *qual,
                     const char *type) {
  char ct[48], e[CC_EXPR];
  snprintf(ct, sizeof ct, "%s%s", qual, type);
  cc_ptr(c, e, sizeof e, p, ct);
  fprintf(c->body, ", %s", e);
}

/* A kernel's input (read only) and output data. */
static void call_in(cctx *c, const void *p, const char *type) {
  call_arg(c, p, "const ", type);
}

static void call_out(cctx *c, const void *p, const char *type) {
  call_arg(c, p, "", type);
}

static void call_end(cctx *c) { fputs(");\n", c->body); }

/* kernel(&params, in, out) with t[0] the input's type, t[1] the output's. */
static void unary_call(cctx *c, int k, const kdesc *d, const void *in,
                       void *out) {
  call_begin(c, d->kernel, k);
  call_in(c, in, d->t[0]);
  call_out(c, out, d->t[1]);
  call_end(c);
}

/* ------------------------------------------------------------ emitters */

/* t: activations, weights, bias. */
static void emit_conv(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_conv_rec *q = (const tml_conv_rec *)(const void *)r;
  cc_params_conv(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in, d->t[0]);
  call_in(c, q->filter, d->t[1]);
  call_in(c, q->bias, d->t[2]);
  call_out(c, q->out, d->t[0]);
  call_out(c, q->scratch, "void");
  call_end(c);
}

/* In place: the output overwrites the input (the record's out). */
static void emit_conv_inplace(cctx *c, int k, const tml_rec *r,
                              const kdesc *d) {
  const tml_conv_rec *q = (const tml_conv_rec *)(const void *)r;
  cc_params_conv(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_out(c, q->out, d->t[0]);
  call_in(c, q->filter, d->t[1]);
  call_in(c, q->bias, d->t[2]);
  call_out(c, q->scratch, "void");
  call_end(c);
}

/* t: activations, weights, bias. */
static void emit_fc(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_fc_rec *q = (const tml_fc_rec *)(const void *)r;
  cc_params_fc(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in, d->t[0]);
  call_in(c, q->w, d->t[1]);
  call_in(c, q->bias, d->t[2]);
  call_out(c, q->out, d->t[0]);
  call_end(c);
}

/* t: input, output. */
static void emit_pool(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_pool_rec *q = (const tml_pool_rec *)(const void *)r;
  cc_params_pool(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

/* t: the inputs' and output's type. */
static void emit_add(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_add_rec *q = (const tml_add_rec *)(const void *)r;
  cc_params_add(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in1, d->t[0]);
  call_in(c, q->in2, d->t[0]);
  call_out(c, q->out, d->t[0]);
  call_end(c);
}

static void emit_mul(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_mul_rec *q = (const tml_mul_rec *)(const void *)r;
  cc_params_mul(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in1, d->t[0]);
  call_in(c, q->in2, d->t[0]);
  call_out(c, q->out, d->t[0]);
  call_end(c);
}

/* Unary kernels, t: input, output. */
static void emit_softmax(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_softmax_rec *q = (const tml_softmax_rec *)(const void *)r;
  cc_params_softmax(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_relu(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_relu_rec *q = (const tml_relu_rec *)(const void *)r;
  cc_params_relu(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_leaky_relu(cctx *c, int k, const tml_rec *r,
                            const kdesc *d) {
  const tml_leaky_relu_rec *q = (const tml_leaky_relu_rec *)(const void *)r;
  cc_params_leaky_relu(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_hard_swish(cctx *c, int k, const tml_rec *r,
                            const kdesc *d) {
  const tml_hard_swish_rec *q = (const tml_hard_swish_rec *)(const void *)r;
  cc_params_hard_swish(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_sigmoid(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_sigmoid_rec *q = (const tml_sigmoid_rec *)(const void *)r;
  cc_params_sigmoid(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_quantize(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_quantize_rec *q = (const tml_quantize_rec *)(const void *)r;
  cc_params_quantize(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

/* Byte-moving kernels take void pointers. */
static void emit_transpose(cctx *c, int k, const tml_rec *r,
                           const kdesc *d) {
  const tml_transpose_rec *q = (const tml_transpose_rec *)(const void *)r;
  cc_params_transpose(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_slice(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_slice_rec *q = (const tml_slice_rec *)(const void *)r;
  cc_params_slice(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

static void emit_pad(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_pad_rec *q = (const tml_pad_rec *)(const void *)r;
  cc_params_pad(c, k, &q->p);
  unary_call(c, k, d, q->in, q->out);
}

/* The pad value comes from another op's output: read at every invoke, as
** tml_eval_pad_dynamic does. */
static void emit_pad_dynamic(cctx *c, int k, const tml_rec *r,
                             const kdesc *d) {
  const tml_pad_rec *q = (const tml_pad_rec *)(const void *)r;
  char e[CC_EXPR];
  cc_params_pad(c, k, &q->p);
  cc_ptr(c, e, sizeof e, q->value, "const void");
  fprintf(c->body,
          "  {\n    tml_pad_params p = %s_op%d;\n"
          "    memcpy(p.value, %s, %d);\n    %s(&p",
          c->name, k, e, (int)q->p.elem_size, d->kernel);
  call_in(c, q->in, d->t[0]);
  call_out(c, q->out, d->t[1]);
  fputs(");\n  }\n", c->body);
}

/* t: data, scratch (NULL: none, as tml_eval_mean_f32 passes none). */
static void emit_mean(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_mean_rec *q = (const tml_mean_rec *)(const void *)r;
  cc_params_mean(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in, d->t[0]);
  call_out(c, q->out, d->t[0]);
  if (d->t[1])
    call_out(c, q->scratch, d->t[1]);
  else
    fputs(", NULL", c->body);
  call_end(c);
}

/* Inputs in a local array, as the record keeps them after its struct. */
static void emit_concat(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_concat_rec *q = (const tml_concat_rec *)(const void *)r;
  const void *const *in = (const void *const *)(const void *)(q + 1);
  cc_init w;
  char head[48];
  int32_t i;
  cc_params_concat(c, k, &q->p);
  snprintf(head, sizeof head, "const void *const in[%d] =",
           (int)q->p.n_inputs);
  fputs("  {\n", c->body);
  cc_init_begin(&w, c->body, 4, head);
  for (i = 0; i < q->p.n_inputs; i++)
    cc_field_ptr(&w, c, NULL, in[i], "const void");
  cc_init_end(&w, ";\n");
  fprintf(c->body, "    %s(&%s_op%d, in", d->kernel, c->name, k);
  call_out(c, q->out, "void");
  fputs(");\n  }\n", c->body);
}

/* t: activations, time weights and state, bias. */
static void emit_svdf(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_svdf_rec *q = (const tml_svdf_rec *)(const void *)r;
  cc_params_svdf(c, k, &q->p);
  call_begin(c, d->kernel, k);
  call_in(c, q->in, d->t[0]);
  call_in(c, q->wf, d->t[0]);
  call_in(c, q->wt, d->t[1]);
  call_in(c, q->bias, d->t[2]);
  call_out(c, q->state, d->t[1]);
  call_out(c, q->out, d->t[0]);
  call_out(c, q->scratch, "void");
  call_end(c);
}

/* `.name = {p[0], .. p[3]}`: one pointer per gate. */
static void gate_ptrs(cc_init *w, cctx *c, const char *name,
                      const void *const *p, const char *ct) {
  char e[4][CC_EXPR];
  const char *items[4];
  int g;
  for (g = 0; g < 4; g++) {
    cc_ptr(c, e[g], sizeof e[g], p[g], ct);
    items[g] = e[g];
  }
  cc_field_list(w, name, items, 4);
}

/* The data-pointer struct of an LSTM, built where the call runs since it
** holds arena addresses. t: activations and weights, bias, cell state. */
static void lstm_data(cctx *c, const kdesc *d, const char *type,
                      const void *input, const void *const *w_in,
                      const void *const *w_rec, const void *const *bias,
                      const void *hidden, const void *cell,
                      const void *output) {
  char head[64], ct[48];
  cc_init w;
  snprintf(head, sizeof head, "const %s d =", type);
  fputs("  {\n", c->body);
  cc_init_begin(&w, c->body, 4, head);
  snprintf(ct, sizeof ct, "const %s", d->t[0]);
  cc_field_ptr(&w, c, "input", input, ct);
  gate_ptrs(&w, c, "w_in", w_in, ct);
  gate_ptrs(&w, c, "w_rec", w_rec, ct);
  snprintf(ct, sizeof ct, "const %s", d->t[1]);
  gate_ptrs(&w, c, "bias", bias, ct);
  cc_field_ptr(&w, c, "hidden", hidden, d->t[0]);
  cc_field_ptr(&w, c, "cell", cell, d->t[2]);
  cc_field_ptr(&w, c, "output", output, d->t[0]);
  cc_init_end(&w, ";\n");
}

static void emit_lstm(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_lstm_rec *q = (const tml_lstm_rec *)(const void *)r;
  const void *w_in[4], *w_rec[4], *bias[4];
  int g;
  cc_params_lstm(c, k, &q->p);
  if (d->eval == tml_eval_lstm_s8) {
    const tml_lstm_data_s8 *s = &q->d.s8;
    for (g = 0; g < 4; g++) {
      w_in[g] = s->w_in[g];
      w_rec[g] = s->w_rec[g];
      bias[g] = s->bias[g];
    }
    lstm_data(c, d, "tml_lstm_data_s8", s->input, w_in, w_rec, bias,
              s->hidden, s->cell, s->output);
  } else {
    const tml_lstm_data_f32 *s = &q->d.f32;
    for (g = 0; g < 4; g++) {
      w_in[g] = s->w_in[g];
      w_rec[g] = s->w_rec[g];
      bias[g] = s->bias[g];
    }
    lstm_data(c, d, "tml_lstm_data_f32", s->input, w_in, w_rec, bias,
              s->hidden, s->cell, s->output);
  }
  fprintf(c->body, "    %s(&%s_op%d, &d);\n  }\n", d->kernel, c->name, k);
}

/* The planner normally gives the output its input's bytes: nothing to run. */
static void emit_reshape(cctx *c, int k, const tml_rec *r, const kdesc *d) {
  const tml_reshape_rec *q = (const tml_reshape_rec *)(const void *)r;
  char in[CC_EXPR], out[CC_EXPR];
  (void)k;
  (void)d;
  if (q->in == q->out) {
    fputs("  /* nothing to do: the output shares its input's bytes */\n",
          c->body);
    return;
  }
  cc_ptr(c, out, sizeof out, q->out, "void");
  cc_ptr(c, in, sizeof in, q->in, "const void");
  fprintf(c->body, "  memmove(%s, %s, %lu);\n", out, in,
          (unsigned long)q->bytes);
}

/* ------------------------------------------------------------ the table */

#define K(fn, emit, kernel, t0, t1, t2) \
  { tml_eval_##fn, emit, kernel, { t0, t1, t2 } },
#define I8 "int8_t"
#define I16 "int16_t"
#define I32 "int32_t"
#define I64 "int64_t"
#define F32 "float"
#define VOID "void"

static const kdesc kernels[] = {
  K(conv2d_s8, emit_conv, "tml_conv2d_s8", I8, I8, I32)
  K(conv2d_s8_inplace, emit_conv_inplace, "tml_conv2d_s8_inplace", I8, I8,
    I32)
  K(conv2d_s16, emit_conv, "tml_conv2d_s16", I16, I8, I64)
  K(conv2d_s16_b32, emit_conv, "tml_conv2d_s16_b32", I16, I8, I32)
  K(conv2d_f32, emit_conv, "tml_conv2d_f32", F32, F32, F32)
  K(depthwise_conv2d_s8, emit_conv, "tml_depthwise_conv2d_s8", I8, I8, I32)
  K(depthwise_conv2d_s8_inplace, emit_conv_inplace,
    "tml_depthwise_conv2d_s8_inplace", I8, I8, I32)
  K(depthwise_conv2d_f32, emit_conv, "tml_depthwise_conv2d_f32", F32, F32,
    F32)
  K(fully_connected_s8, emit_fc, "tml_fully_connected_s8", I8, I8, I32)
  K(fully_connected_s16, emit_fc, "tml_fully_connected_s16", I16, I8, I64)
  K(fully_connected_s16_b32, emit_fc, "tml_fully_connected_s16_b32", I16, I8,
    I32)
  K(fully_connected_f32, emit_fc, "tml_fully_connected_f32", F32, F32, F32)
  K(avgpool_s8, emit_pool, "tml_avgpool_s8", I8, I8, NULL)
  K(avgpool_s16, emit_pool, "tml_avgpool_s16", I16, I16, NULL)
  K(avgpool_f32, emit_pool, "tml_avgpool_f32", F32, F32, NULL)
  K(maxpool_s8, emit_pool, "tml_maxpool_s8", I8, I8, NULL)
  K(maxpool_s16, emit_pool, "tml_maxpool_s16", I16, I16, NULL)
  K(maxpool_f32, emit_pool, "tml_maxpool_f32", F32, F32, NULL)
  K(add_s8, emit_add, "tml_add_s8", I8, NULL, NULL)
  K(add_s16, emit_add, "tml_add_s16", I16, NULL, NULL)
  K(add_f32, emit_add, "tml_add_f32", F32, NULL, NULL)
  K(sub_s8, emit_add, "tml_sub_s8", I8, NULL, NULL)
  K(sub_s16, emit_add, "tml_sub_s16", I16, NULL, NULL)
  K(sub_f32, emit_add, "tml_sub_f32", F32, NULL, NULL)
  K(mul_s8, emit_mul, "tml_mul_s8", I8, NULL, NULL)
  K(mul_s16, emit_mul, "tml_mul_s16", I16, NULL, NULL)
  K(mul_f32, emit_mul, "tml_mul_f32", F32, NULL, NULL)
  K(softmax_s8, emit_softmax, "tml_softmax_s8", I8, I8, NULL)
  K(softmax_s8_s16, emit_softmax, "tml_softmax_s8_s16", I8, I16, NULL)
  K(softmax_s16, emit_softmax, "tml_softmax_s16", I16, I16, NULL)
  K(softmax_f32, emit_softmax, "tml_softmax_f32", F32, F32, NULL)
  K(relu_s8, emit_relu, "tml_relu_s8", I8, I8, NULL)
  K(relu_s16, emit_relu, "tml_relu_s16", I16, I16, NULL)
  K(relu_f32, emit_relu, "tml_relu_f32", F32, F32, NULL)
  K(leaky_relu_s8, emit_leaky_relu, "tml_leaky_relu_s8", I8, I8, NULL)
  K(leaky_relu_s16, emit_leaky_relu, "tml_leaky_relu_s16", I16, I16, NULL)
  K(leaky_relu_f32, emit_leaky_relu, "tml_leaky_relu_f32", F32, F32, NULL)
  K(hard_swish_s8, emit_hard_swish, "tml_hard_swish_s8", I8, I8, NULL)
  K(hard_swish_f32, emit_hard_swish, "tml_hard_swish_f32", F32, F32, NULL)
  K(logistic_s8, emit_sigmoid, "tml_logistic_s8", I8, I8, NULL)
  K(logistic_s16, emit_sigmoid, "tml_logistic_s16", I16, I16, NULL)
  K(logistic_f32, emit_sigmoid, "tml_logistic_f32", F32, F32, NULL)
  K(tanh_s8, emit_sigmoid, "tml_tanh_s8", I8, I8, NULL)
  K(tanh_s16, emit_sigmoid, "tml_tanh_s16", I16, I16, NULL)
  K(tanh_f32, emit_sigmoid, "tml_tanh_f32", F32, F32, NULL)
  K(quantize_f32_s8, emit_quantize, "tml_quantize_f32_s8", F32, I8, NULL)
  K(quantize_f32_s16, emit_quantize, "tml_quantize_f32_s16", F32, I16, NULL)
  K(requantize_s8_s8, emit_quantize, "tml_requantize_s8_s8", I8, I8, NULL)
  K(requantize_s8_s16, emit_quantize, "tml_requantize_s8_s16", I8, I16, NULL)
  K(requantize_s16_s8, emit_quantize, "tml_requantize_s16_s8", I16, I8, NULL)
  K(requantize_s16_s16, emit_quantize, "tml_requantize_s16_s16", I16, I16,
    NULL)
  K(dequantize_s8_f32, emit_quantize, "tml_dequantize_s8_f32", I8, F32, NULL)
  K(dequantize_s16_f32, emit_quantize, "tml_dequantize_s16_f32", I16, F32,
    NULL)
  K(concat, emit_concat, "tml_concat", NULL, NULL, NULL)
  K(pad, emit_pad, "tml_pad", VOID, VOID, NULL)
  K(pad_dynamic, emit_pad_dynamic, "tml_pad", VOID, VOID, NULL)
  K(transpose, emit_transpose, "tml_transpose", VOID, VOID, NULL)
  K(strided_slice, emit_slice, "tml_strided_slice", VOID, VOID, NULL)
  K(mean_s8, emit_mean, "tml_mean_s8", I8, I32, NULL)
  K(mean_s16, emit_mean, "tml_mean_s16", I16, I32, NULL)
  K(mean_f32, emit_mean, "tml_mean_f32", F32, NULL, NULL)
  K(svdf_s8, emit_svdf, "tml_svdf_s8", I8, I16, I32)
  K(svdf_f32, emit_svdf, "tml_svdf_f32", F32, F32, F32)
  K(lstm_s8, emit_lstm, "tml_lstm_s8", I8, I32, I16)
  K(lstm_f32, emit_lstm, "tml_lstm_f32", F32, F32, F32)
  K(reshape, emit_reshape, NULL, NULL, NULL, NULL)
};

int cc_emit_record(cctx *c, int k, const tml_rec *r) {
  size_t i;
  for (i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
    if (kernels[i].eval == r->eval) {
      kernels[i].emit(c, k, r, &kernels[i]);
      return 0;
    }
  return -1;
}
