/*
** tml compile MODEL -o DIR [--name NAME] [--kernels SET]: a model becomes
** plain C, its arena planned for the scratch of a device's kernel set.
**
** The model is prepared on the host exactly as the interpreter prepares it
** (same preparers, same planner), then every kernel record is written out as
** a const parameter struct and one direct kernel call. Pointers in records
** become: weight arrays (constants of the model), offsets in the arena
** (activations and scratch), offsets in a state buffer (recurrent state), or
** const arrays (per-channel multipliers, tables). Only the planned region of
** the arena survives: no records, no tensor tables, no op table.
*/
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tml_cli.h"
#include "tml_records.h"

typedef struct cctx {
  const char *name;   /* C prefix */
  const tml_model *m;
  const tml_interp *it;
  size_t planned;     /* bytes of the planned region */
  size_t state_lo, state_hi; /* persistent variables, from the arena start */
  unsigned char *need; /* constant tensors referenced */
  FILE *body;         /* op calls and parameter structs */
  FILE *decl;         /* const arrays derived from records */
  int failed;
  int kset;           /* the kernel set the plan is for (TML_KSET_*) */
  unsigned fits;      /* bit s: kernel set s's scratch fits the plan */
} cctx;

/* ------------------------------------------------------------ printing */

static void print_float(FILE *out, float v) {
  char buf[40];
  if (isnan(v)) {
    fputs("NAN", out);
    return;
  }
  if (isinf(v)) {
    fputs(v > 0 ? "INFINITY" : "-INFINITY", out);
    return;
  }
  if (v == FLT_MAX || v == -FLT_MAX) {
    fputs(v > 0 ? "FLT_MAX" : "-FLT_MAX", out);
    return;
  }
  snprintf(buf, sizeof buf, "%.9g", (double)v);
  if (!strpbrk(buf, ".e")) strcat(buf, ".0");
  fprintf(out, "%sf", buf);
}

static void print_i64(FILE *out, int64_t v) {
  if (v == INT64_MIN)
    fputs("INT64_MIN", out);
  else
    fprintf(out, "INT64_C(%lld)", (long long)v);
}

/* Emits a const array of n elements of `type` (tml_type) read from data. */
static void emit_array(FILE *out, const char *cname, const char *ident,
                       int32_t type, const void *data, size_t n,
                       const char *comment) {
  size_t i;
  const size_t per_line = type == TML_FLOAT32 ? 6 : type == TML_INT8 ? 16 : 10;
  if (comment) fprintf(out, "/* %s */\n", comment);
  fprintf(out, "static const %s %s[%zu] TML_ALIGNED(16) = {", cname, ident,
          n ? n : 1);
  for (i = 0; i < n; i++) {
    fputs(i % per_line ? " " : "\n  ", out);
    switch (type) {
      case TML_INT8: fprintf(out, "%d", ((const int8_t *)data)[i]); break;
      case TML_UINT8: fprintf(out, "%u", ((const uint8_t *)data)[i]); break;
      case TML_INT16: fprintf(out, "%d", ((const int16_t *)data)[i]); break;
      case TML_INT32: {
        int32_t v = ((const int32_t *)data)[i];
        if (v == INT32_MIN)
          fputs("INT32_MIN", out);
        else
          fprintf(out, "%ld", (long)v);
        break;
      }
      case TML_INT64: print_i64(out, ((const int64_t *)data)[i]); break;
      case TML_FLOAT32: print_float(out, ((const float *)data)[i]); break;
      case TML_BOOL: fprintf(out, "%u", ((const uint8_t *)data)[i]); break;
      default: fputs("0", out); break;
    }
    if (i + 1 < n) fputc(',', out);
  }
  if (n == 0) fputs("0", out);
  fputs("\n};\n\n", out);
}

static const char *ctype(int32_t type) {
  switch (type) {
    case TML_FLOAT32: return "float";
    case TML_INT32: return "int32_t";
    case TML_UINT8: return "uint8_t";
    case TML_INT64: return "int64_t";
    case TML_BOOL: return "uint8_t";
    case TML_INT16: return "int16_t";
    case TML_INT8: return "int8_t";
    default: return "uint8_t";
  }
}

/* C expression for a data pointer of a record, typed `ct`. */
static void print_ptr(cctx *c, FILE *out, const void *p, const char *ct) {
  const uint8_t *b = (const uint8_t *)p;
  const uint8_t *arena = c->it->arena;
  if (!p) {
    fputs("NULL", out);
    return;
  }
  if (b >= c->it->acts && b < c->it->acts + (c->planned ? c->planned : 1)) {
    fprintf(out, "(%s *)(a + %lu)", ct, (unsigned long)(b - c->it->acts));
    return;
  }
  if (b >= arena + c->state_lo && b < arena + c->state_hi) {
    fprintf(out, "(%s *)(%s_state + %lu)", ct, c->name,
            (unsigned long)(b - arena - c->state_lo));
    return;
  }
  if (b >= c->m->data && b < c->m->data + c->m->size) {
    uint32_t t;
    for (t = 0; t < c->m->n_tensors; t++) {
      tml_tensor_view v;
      tml_model_tensor(c->m, (int32_t)t, &v, NULL);
      if (v.data && !v.is_variable && b >= v.data && b < v.data + v.data_size) {
        c->need[t] = 1;
        if (b == v.data)
          fprintf(out, "%s_t%u", c->name, (unsigned)t);
        else
          fprintf(out, "(const %s *)((const uint8_t *)%s_t%u + %lu)", ct,
                  c->name, (unsigned)t, (unsigned long)(b - v.data));
        return;
      }
    }
  }
  cli_errorf("compile: a record points outside the arena and the model");
  c->failed = 1;
  fputs("NULL", out);
}

static void print_shape4(FILE *out, const tml_shape4 *s) {
  fprintf(out, "{%ld, %ld, %ld, %ld}", (long)s->n, (long)s->h, (long)s->w,
          (long)s->c);
}

static void print_ints(FILE *out, const int32_t *v, int n) {
  int i;
  fputc('{', out);
  for (i = 0; i < n; i++) fprintf(out, "%s%ld", i ? ", " : "", (long)v[i]);
  fputc('}', out);
}

/* Per-channel multiplier and shift arrays of op k, when a record has them. */
static void emit_quant_arrays(cctx *c, int k, const int32_t *mult,
                              const int8_t *shift, size_t n) {
  char ident[96];
  if (!mult) return;
  snprintf(ident, sizeof ident, "%s_op%d_mult", c->name, k);
  emit_array(c->decl, "int32_t", ident, TML_INT32, mult, n, NULL);
  snprintf(ident, sizeof ident, "%s_op%d_shift", c->name, k);
  emit_array(c->decl, "int8_t", ident, TML_INT8, shift, n, NULL);
}

static void print_quant_ptrs(cctx *c, FILE *out, int k, int has) {
  if (has)
    fprintf(out, ",\n  .mult = %s_op%d_mult, .shift = %s_op%d_shift", c->name,
            k, c->name, k);
  else
    fputs(",\n  .mult = NULL, .shift = NULL", out);
}

/* ------------------------------------------------------------ op emitters */

static void emit_conv(cctx *c, int k, const tml_rec *r, const char *kernel,
                      const char *t_in, const char *t_w, const char *t_b,
                      const char *t_out, int inplace) {
  const tml_conv_rec *q = (const tml_conv_rec *)(const void *)r;
  const tml_conv_params *p = &q->p;
  FILE *o = c->body;
  emit_quant_arrays(c, k, p->mult, p->shift, (size_t)p->out.c);
  fprintf(c->decl, "static const tml_conv_params %s_op%d = {\n  .in = ",
          c->name, k);
  print_shape4(c->decl, &p->in);
  fputs(", .filter = ", c->decl);
  print_shape4(c->decl, &p->filter);
  fputs(", .out = ", c->decl);
  print_shape4(c->decl, &p->out);
  fprintf(c->decl,
          ",\n  .stride_h = %ld, .stride_w = %ld, .dilation_h = %ld, "
          ".dilation_w = %ld, .pad_h = %ld, .pad_w = %ld,\n"
          "  .depth_multiplier = %ld, .in_offset = %ld, .out_offset = %ld, "
          ".act_min = %ld, .act_max = %ld,\n  .fact_min = ",
          (long)p->stride_h, (long)p->stride_w, (long)p->dilation_h,
          (long)p->dilation_w, (long)p->pad_h, (long)p->pad_w,
          (long)p->depth_multiplier, (long)p->in_offset, (long)p->out_offset,
          (long)p->act_min, (long)p->act_max);
  print_float(c->decl, p->fact_min);
  fputs(", .fact_max = ", c->decl);
  print_float(c->decl, p->fact_max);
  print_quant_ptrs(c, c->decl, k, p->mult != NULL);
  fputs("\n};\n\n", c->decl);

  fprintf(o, "  %s(&%s_op%d, ", kernel, c->name, k);
  if (!inplace) {
    print_ptr(c, o, q->in, t_in);
    fputs(", ", o);
  } else {
    print_ptr(c, o, q->out, t_out);
    fputs(", ", o);
  }
  print_ptr(c, o, q->filter, t_w);
  fputs(", ", o);
  print_ptr(c, o, q->bias, t_b);
  if (!inplace) {
    fputs(", ", o);
    print_ptr(c, o, q->out, t_out);
  }
  fputs(", ", o);
  print_ptr(c, o, q->scratch, "void");
  fputs(");\n", o);
}

static void emit_fc(cctx *c, int k, const tml_rec *r, const char *kernel,
                    const char *t_io, const char *t_w, const char *t_b) {
  const tml_fc_rec *q = (const tml_fc_rec *)(const void *)r;
  const tml_fc_params *p = &q->p;
  FILE *o = c->body;
  emit_quant_arrays(c, k, p->mult, p->shift, (size_t)p->n_mult);
  fprintf(c->decl,
          "static const tml_fc_params %s_op%d = {\n"
          "  .batches = %ld, .in_depth = %ld, .out_depth = %ld,\n"
          "  .in_offset = %ld, .w_offset = %ld, .out_offset = %ld, "
          ".act_min = %ld, .act_max = %ld,\n  .fact_min = ",
          c->name, k, (long)p->batches, (long)p->in_depth, (long)p->out_depth,
          (long)p->in_offset, (long)p->w_offset, (long)p->out_offset,
          (long)p->act_min, (long)p->act_max);
  print_float(c->decl, p->fact_min);
  fputs(", .fact_max = ", c->decl);
  print_float(c->decl, p->fact_max);
  fprintf(c->decl, ", .n_mult = %ld", (long)p->n_mult);
  print_quant_ptrs(c, c->decl, k, p->mult != NULL);
  fputs("\n};\n\n", c->decl);
  fprintf(o, "  %s(&%s_op%d, ", kernel, c->name, k);
  print_ptr(c, o, q->in, t_io);
  fputs(", ", o);
  print_ptr(c, o, q->w, t_w);
  fputs(", ", o);
  print_ptr(c, o, q->bias, t_b);
  fputs(", ", o);
  print_ptr(c, o, q->out, t_io);
  fputs(");\n", o);
}

static void emit_pool(cctx *c, int k, const tml_rec *r, const char *kernel,
                      const char *t) {
  const tml_pool_rec *q = (const tml_pool_rec *)(const void *)r;
  const tml_pool_params *p = &q->p;
  FILE *o = c->body;
  fprintf(c->decl, "static const tml_pool_params %s_op%d = {\n  .in = ",
          c->name, k);
  print_shape4(c->decl, &p->in);
  fputs(", .out = ", c->decl);
  print_shape4(c->decl, &p->out);
  fprintf(c->decl,
          ",\n  .stride_h = %ld, .stride_w = %ld, .filter_h = %ld, "
          ".filter_w = %ld, .pad_h = %ld, .pad_w = %ld,\n"
          "  .act_min = %ld, .act_max = %ld, .fact_min = ",
          (long)p->stride_h, (long)p->stride_w, (long)p->filter_h,
          (long)p->filter_w, (long)p->pad_h, (long)p->pad_w,
          (long)p->act_min, (long)p->act_max);
  print_float(c->decl, p->fact_min);
  fputs(", .fact_max = ", c->decl);
  print_float(c->decl, p->fact_max);
  fputs("\n};\n\n", c->decl);
  fprintf(o, "  %s(&%s_op%d, ", kernel, c->name, k);
  print_ptr(c, o, q->in, t);
  fputs(", ", o);
  print_ptr(c, o, q->out, t);
  fputs(");\n", o);
}

static void print_broadcast(FILE *out, const tml_broadcast *b) {
  fprintf(out, "{.flat = %ld, .count = %ld, .dims = ", (long)b->flat,
          (long)b->count);
  print_ints(out, b->dims, TML_MAX_RANK);
  fputs(",\n    .stride1 = ", out);
  print_ints(out, b->stride1, TML_MAX_RANK);
  fputs(", .stride2 = ", out);
  print_ints(out, b->stride2, TML_MAX_RANK);
  fputc('}', out);
}

static void emit_add(cctx *c, int k, const tml_rec *r, const char *kernel,
                     const char *t) {
  const tml_add_rec *q = (const tml_add_rec *)(const void *)r;
  const tml_add_params *p = &q->p;
  FILE *o = c->body;
  fprintf(c->decl, "static const tml_add_params %s_op%d = {\n  .b = ",
          c->name, k);
  print_broadcast(c->decl, &p->b);
  fprintf(c->decl,
          ",\n  .left_shift = %ld, .in1_offset = %ld, .in2_offset = %ld, "
          ".out_offset = %ld,\n  .in1_mult = %ld, .in1_shift = %ld, "
          ".in2_mult = %ld, .in2_shift = %ld, .out_mult = %ld, "
          ".out_shift = %ld,\n  .act_min = %ld, .act_max = %ld, .fact_min = ",
          (long)p->left_shift, (long)p->in1_offset, (long)p->in2_offset,
          (long)p->out_offset, (long)p->in1_mult, (long)p->in1_shift,
          (long)p->in2_mult, (long)p->in2_shift, (long)p->out_mult,
          (long)p->out_shift, (long)p->act_min, (long)p->act_max);
  print_float(c->decl, p->fact_min);
  fputs(", .fact_max = ", c->decl);
  print_float(c->decl, p->fact_max);
  fputs("\n};\n\n", c->decl);
  fprintf(o, "  %s(&%s_op%d, ", kernel, c->name, k);
  print_ptr(c, o, q->in1, t);
  fputs(", ", o);
  print_ptr(c, o, q->in2, t);
  fputs(", ", o);
  print_ptr(c, o, q->out, t);
  fputs(");\n", o);
}

static void emit_softmax(cctx *c, int k, const tml_rec *r, const char *kernel,
                         const char *t_in, const char *t_out) {
  const tml_softmax_rec *q = (const tml_softmax_rec *)(const void *)r;
  const tml_softmax_params *p = &q->p;
  FILE *o = c->body;
  char ident[96];
  if (p->exp_lut) {
    snprintf(ident, sizeof ident, "%s_op%d_exp_lut", c->name, k);
    emit_array(c->decl, "int16_t", ident, TML_INT16, p->exp_lut, 513, NULL);
    snprintf(ident, sizeof ident, "%s_op%d_recip_lut", c->name, k);
    emit_array(c->decl, "int16_t", ident, TML_INT16, p->recip_lut, 513, NULL);
  }
  fprintf(c->decl,
          "static const tml_softmax_params %s_op%d = {\n"
          "  .rows = %ld, .depth = %ld, .beta = ",
          c->name, k, (long)p->rows, (long)p->depth);
  print_float(c->decl, p->beta);
  fprintf(c->decl, ", .in_mult = %ld, .in_left_shift = %ld, .diff_min = %ld",
          (long)p->in_mult, (long)p->in_left_shift, (long)p->diff_min);
  if (p->exp_lut)
    fprintf(c->decl, ",\n  .exp_lut = %s_op%d_exp_lut, .recip_lut = "
            "%s_op%d_recip_lut", c->name, k, c->name, k);
  fputs("\n};\n\n", c->decl);
  fprintf(o, "  %s(&%s_op%d, ", kernel, c->name, k);
  print_ptr(c, o, q->in, t_in);
  fputs(", ", o);
  print_ptr(c, o, q->out, t_out);
  fputs(");\n", o);
}

static void emit_reshape(cctx *c, int k, const tml_rec *r) {
  const tml_reshape_rec *q = (const tml_reshape_rec *)(const void *)r;
  (void)k;
  if (q->in == q->out) {
    fputs("  /* nothing to do: the output shares its input's bytes */\n",
          c->body);
    return;
  }
  fputs("  memmove(", c->body);
  print_ptr(c, c->body, q->out, "uint8_t");
  fputs(", ", c->body);
  print_ptr(c, c->body, q->in, "const uint8_t");
  fprintf(c->body, ", %lu);\n", (unsigned long)q->bytes);
}

/* ------------------------------------------------------------ dispatch */

static int emit_record(cctx *c, int k, const tml_rec *r) {
  const tml_eval_fn e = r->eval;
#define CONV(fn, kernel, ti, tw, tb, to, inpl) \
  if (e == fn) return emit_conv(c, k, r, kernel, ti, tw, tb, to, inpl), 0;
  CONV(tml_eval_conv2d_s8, "tml_conv2d_s8", "const int8_t", "const int8_t",
       "const int32_t", "int8_t", 0)
  CONV(tml_eval_conv2d_s8_inplace, "tml_conv2d_s8_inplace", "int8_t",
       "const int8_t", "const int32_t", "int8_t", 1)
  CONV(tml_eval_conv2d_s16, "tml_conv2d_s16", "const int16_t", "const int8_t",
       "const int64_t", "int16_t", 0)
  CONV(tml_eval_conv2d_s16_b32, "tml_conv2d_s16_b32", "const int16_t",
       "const int8_t", "const int32_t", "int16_t", 0)
  CONV(tml_eval_conv2d_f32, "tml_conv2d_f32", "const float", "const float",
       "const float", "float", 0)
  CONV(tml_eval_depthwise_conv2d_s8, "tml_depthwise_conv2d_s8", "const int8_t",
       "const int8_t", "const int32_t", "int8_t", 0)
  CONV(tml_eval_depthwise_conv2d_s8_inplace, "tml_depthwise_conv2d_s8_inplace",
       "int8_t", "const int8_t", "const int32_t", "int8_t", 1)
  CONV(tml_eval_depthwise_conv2d_f32, "tml_depthwise_conv2d_f32",
       "const float", "const float", "const float", "float", 0)
#undef CONV
#define FC(fn, kernel, tio, tw, tb) \
  if (e == fn) return emit_fc(c, k, r, kernel, tio, tw, tb), 0;
  FC(tml_eval_fully_connected_s8, "tml_fully_connected_s8", "int8_t",
     "const int8_t", "const int32_t")
  FC(tml_eval_fully_connected_s16, "tml_fully_connected_s16", "int16_t",
     "const int8_t", "const int64_t")
  FC(tml_eval_fully_connected_s16_b32, "tml_fully_connected_s16_b32",
     "int16_t", "const int8_t", "const int32_t")
  FC(tml_eval_fully_connected_f32, "tml_fully_connected_f32", "float",
     "const float", "const float")
#undef FC
#define POOL(fn, kernel, t) \
  if (e == fn) return emit_pool(c, k, r, kernel, t), 0;
  POOL(tml_eval_avgpool_s8, "tml_avgpool_s8", "int8_t")
  POOL(tml_eval_avgpool_s16, "tml_avgpool_s16", "int16_t")
  POOL(tml_eval_avgpool_f32, "tml_avgpool_f32", "float")
  POOL(tml_eval_maxpool_s8, "tml_maxpool_s8", "int8_t")
  POOL(tml_eval_maxpool_s16, "tml_maxpool_s16", "int16_t")
  POOL(tml_eval_maxpool_f32, "tml_maxpool_f32", "float")
#undef POOL
#define ADD(fn, kernel, t) \
  if (e == fn) return emit_add(c, k, r, kernel, t), 0;
  ADD(tml_eval_add_s8, "tml_add_s8", "int8_t")
  ADD(tml_eval_add_s16, "tml_add_s16", "int16_t")
  ADD(tml_eval_add_f32, "tml_add_f32", "float")
  ADD(tml_eval_sub_s8, "tml_sub_s8", "int8_t")
  ADD(tml_eval_sub_s16, "tml_sub_s16", "int16_t")
  ADD(tml_eval_sub_f32, "tml_sub_f32", "float")
#undef ADD
#define SOFTMAX(fn, kernel, ti, to) \
  if (e == fn) return emit_softmax(c, k, r, kernel, ti, to), 0;
  SOFTMAX(tml_eval_softmax_s8, "tml_softmax_s8", "int8_t", "int8_t")
  SOFTMAX(tml_eval_softmax_s8_s16, "tml_softmax_s8_s16", "int8_t", "int16_t")
  SOFTMAX(tml_eval_softmax_s16, "tml_softmax_s16", "int16_t", "int16_t")
  SOFTMAX(tml_eval_softmax_f32, "tml_softmax_f32", "float", "float")
#undef SOFTMAX
  if (e == tml_eval_reshape) return emit_reshape(c, k, r), 0;
  return -1;
}

/* ------------------------------------------------------------ files */

static void describe_op(cctx *c, int k, FILE *out) {
  tml_op_view op;
  uint32_t i;
  tml_model_op(c->m, k, &op, NULL);
  fprintf(out, "  /* op %d: %s", k, tml_op_name(op.builtin));
  for (i = 0; i < op.n_inputs + op.n_outputs; i++) {
    int32_t t = i < op.n_inputs ? tml_op_input(c->m, &op, i)
                                : tml_op_output(c->m, &op, i - op.n_inputs);
    tml_tensor_view v;
    int32_t d;
    if (i == op.n_inputs) fputs(" ->", out);
    if (t < 0) continue;
    tml_model_tensor(c->m, t, &v, NULL);
    fputs(i == 0 || i == op.n_inputs ? " " : ", ", out);
    fputc('[', out);
    for (d = 0; d < v.rank; d++) fprintf(out, "%s%ld", d ? "," : "", (long)v.dims[d]);
    fputc(']', out);
  }
  fputs(" */\n", out);
}

static int copy_stream(FILE *from, FILE *to) {
  char buf[65536];
  size_t n;
  rewind(from);
  while ((n = fread(buf, 1, sizeof buf, from)) > 0)
    if (fwrite(buf, 1, n, to) != n) return -1;
  return ferror(from) ? -1 : 0;
}

static void io_macros(cctx *c, FILE *h, const char *up, int output, int k,
                      int32_t t) {
  tml_tensor_view v;
  const char *kind = output ? "OUTPUT" : "INPUT";
  int32_t d;
  tml_model_tensor(c->m, t, &v, NULL);
  fprintf(h, "/* %s %d '%.*s': %s [", output ? "output" : "input", k,
          (int)(v.name_len > 60 ? 60 : v.name_len), v.name,
          tml_type_name(v.type));
  for (d = 0; d < v.rank; d++) fprintf(h, "%s%ld", d ? "," : "", (long)v.dims[d]);
  fputs("] */\n", h);
  fprintf(h, "#define %s_%s%d_BYTES %lu\n", up, kind, k, (unsigned long)v.bytes);
  fprintf(h, "#define %s_%s%d_TYPE %s\n", up, kind, k, ctype(v.type));
  fprintf(h, "#define %s_%s%d_RANK %ld\n", up, kind, k, (long)v.rank);
  fprintf(h, "#define %s_%s%d_DIMS {", up, kind, k);
  for (d = 0; d < v.rank; d++) fprintf(h, "%s%ld", d ? ", " : "", (long)v.dims[d]);
  fputs("}\n", h);
  if (v.n_scale) {
    fprintf(h, "#define %s_%s%d_SCALE ", up, kind, k);
    print_float(h, tml_tensor_scale(c->m, &v, 0));
    fprintf(h, "\n#define %s_%s%d_ZERO_POINT %ld\n", up, kind, k,
            (long)tml_tensor_zp(c->m, &v, 0));
  }
}

static int write_header(cctx *c, const char *path, const char *up) {
  FILE *h = fopen(path, "w");
  uint32_t k;
  if (!h) return -1;
  fprintf(h,
          "/* Generated by tml compile (TML %s). Do not edit. */\n"
          "#ifndef %s_H\n#define %s_H\n\n#include <stddef.h>\n"
          "#include <stdint.h>\n\n"
          "/* Bytes of working memory one inference needs (activations and\n"
          "** scratch, reused over the schedule). */\n"
          "#define %s_ARENA_SIZE %lu\n"
          "#define %s_NUM_INPUTS %u\n#define %s_NUM_OUTPUTS %u\n\n",
          TML_VERSION, up, up, up, (unsigned long)c->planned, up,
          (unsigned)c->m->n_inputs, up, (unsigned)c->m->n_outputs);
  for (k = 0; k < c->m->n_inputs; k++)
    io_macros(c, h, up, 0, (int)k, tml_model_input(c->m, k));
  for (k = 0; k < c->m->n_outputs; k++)
    io_macros(c, h, up, 1, (int)k, tml_model_output(c->m, k));
  fprintf(h,
          "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
          "/* Run one inference on the built-in arena; 0 on success. Inputs\n"
          "** are consumed: set them again before every call. */\n"
          "int %s_invoke(void);\n"
          "/* Input/output k in the built-in arena, and its size in bytes. */\n"
          "void *%s_input(int k);\nsize_t %s_input_size(int k);\n"
          "void *%s_output(int k);\nsize_t %s_output_size(int k);\n\n"
          "/* The same on a caller's buffer of %s_ARENA_SIZE bytes, aligned\n"
          "** to 8: inputs and outputs sit at these offsets in it. */\n"
          "int %s_invoke_arena(void *arena);\n"
          "size_t %s_input_offset(int k);\nsize_t %s_output_offset(int k);\n\n"
          "/* Reset recurrent state (if the model has any) to its initial\n"
          "** value; the first invoke does it too. */\n"
          "void %s_reset(void);\n\n"
          "#ifdef __cplusplus\n}\n#endif\n\n#endif\n",
          c->name, c->name, c->name, c->name, c->name, up, c->name, c->name,
          c->name, c->name);
  return fclose(h) == 0 ? 0 : -1;
}

static size_t io_offset(cctx *c, int output, uint32_t k) {
  const uint8_t *p = c->it->io[output ? c->it->n_inputs + k : k];
  return (size_t)(p - c->it->acts);
}

/* The arena holds the scratch of the kernel set it was planned for: a
** libtml whose set needs more must not link with it. */
static void write_kset_check(const cctx *c, FILE *f) {
  int s, n = 0;
  fprintf(f, "/* The arena holds the scratch of kernel set \"%s\" (tml compile "
          "--kernels):\n** libtml must be built with a set that fits. */\n#if ",
          cli_kset_name(c->kset));
  for (s = 0; s < TML_KSET_COUNT; s++)
    if (c->fits & (1u << s))
      fprintf(f, "%sTML_KSET != %s", n++ ? " && " : "", cli_kset_macro(s));
  fprintf(f, "\n#error \"%s.c is planned for kernel set %s; libtml's "
          "(TML_KSET) needs more scratch: tml compile --kernels any\"\n"
          "#endif\n\n", c->name, cli_kset_name(c->kset));
}

/* Kernel sets whose every op's scratch is within what `items` planned. */
static unsigned ksets_fitting(const tml_model *m, const tml_plan_item *items) {
  const uint32_t nt = m->n_tensors, n = tml_plan_items(m);
  tml_plan_item *mine = calloc(n, sizeof *mine);
  unsigned fits = 0;
  int s;
  uint32_t k;
  tml_layout l;
  tml_error err;
  for (s = 0; mine && s < TML_KSET_COUNT; s++) {
    if (tml_plan(m, mine, &l, 1, s, &err) != TML_OK) continue;
    for (k = nt; k < n; k++)
      if (mine[k].scratch > items[k].scratch ||
          mine[k].scratch_inplace > items[k].scratch_inplace)
        break;
    if (k == n) fits |= 1u << s;
  }
  free(mine);
  return fits;
}

static int write_source(cctx *c, const char *path, const char *hname) {
  FILE *f = fopen(path, "w");
  uint32_t t, k, i;
  size_t state = c->state_hi - c->state_lo;
  int rc = 0;
  if (!f) return -1;
  fprintf(f,
          "/* Generated by tml compile (TML %s). Do not edit.\n"
          "** Build with -I<tml>/include and link libtml.a. */\n"
          "#include <float.h>\n#include <math.h>\n#include <string.h>\n\n"
          "#include \"%s\"\n#include \"tml_kernels.h\"\n\n",
          TML_VERSION, hname);
  write_kset_check(c, f);
  /* Constant tensors, then what records derived from them. */
  for (t = 0; t < c->m->n_tensors; t++) {
    tml_tensor_view v;
    char ident[96], comment[160];
    size_t esize;
    if (!c->need[t]) continue;
    tml_model_tensor(c->m, (int32_t)t, &v, NULL);
    esize = tml_type_size(v.type);
    snprintf(ident, sizeof ident, "%s_t%u", c->name, (unsigned)t);
    snprintf(comment, sizeof comment, "tensor %u '%.*s'", (unsigned)t,
             (int)(v.name_len > 100 ? 100 : v.name_len), v.name);
    emit_array(f, ctype(v.type), ident, v.type, v.data,
               esize ? v.data_size / esize : v.data_size, comment);
  }
  if (copy_stream(c->decl, f) != 0) rc = -1;
  fprintf(f, "static union {\n  uint64_t align;\n  uint8_t bytes[%lu];\n} "
          "%s_arena;\n\n", (unsigned long)(c->planned ? c->planned : 8),
          c->name);
  if (state) {
    /* Recurrent state lives outside the arena: it survives invokes. */
    fprintf(f, "static union {\n  uint64_t align;\n  uint8_t bytes[%lu];\n} "
            "%s_state_u;\n#define %s_state (%s_state_u.bytes)\n"
            "static int %s_started;\n\n",
            (unsigned long)state, c->name, c->name, c->name, c->name);
    fprintf(f, "void %s_reset(void) {\n", c->name);
    for (i = 0; i < c->it->n_vars; i++) {
      const tml_var *v = &c->it->vars[i];
      fprintf(f, "  memset(%s_state + %lu, %d, %lu);\n", c->name,
              (unsigned long)(v->offset - c->state_lo), (int)(v->value & 0xff),
              (unsigned long)v->bytes);
    }
    fprintf(f, "  %s_started = 1;\n}\n\n", c->name);
  } else {
    fprintf(f, "void %s_reset(void) {}\n\n", c->name);
  }
  fprintf(f, "int %s_invoke_arena(void *arena) {\n"
          "  uint8_t *a = (uint8_t *)arena;\n", c->name);
  if (state) fprintf(f, "  if (!%s_started) %s_reset();\n", c->name, c->name);
  if (copy_stream(c->body, f) != 0) rc = -1;
  fprintf(f, "  (void)a;\n  return 0;\n}\n\n");
  fprintf(f, "int %s_invoke(void) { return %s_invoke_arena(%s_arena.bytes); }\n\n",
          c->name, c->name, c->name);
  for (i = 0; i < 2; i++) {
    const char *what = i ? "output" : "input";
    const uint32_t n = i ? c->m->n_outputs : c->m->n_inputs;
    fprintf(f, "static const size_t %s_%s_off[] = {", c->name, what);
    for (k = 0; k < n; k++)
      fprintf(f, "%s%lu", k ? ", " : "", (unsigned long)io_offset(c, (int)i, k));
    fprintf(f, "};\nstatic const size_t %s_%s_bytes[] = {", c->name, what);
    for (k = 0; k < n; k++) {
      tml_tensor_view v;
      tml_model_tensor(c->m, i ? tml_model_output(c->m, k) : tml_model_input(c->m, k),
                       &v, NULL);
      fprintf(f, "%s%lu", k ? ", " : "", (unsigned long)v.bytes);
    }
    fprintf(f, "};\n\n"
            "size_t %s_%s_offset(int k) {\n"
            "  return k >= 0 && k < %u ? %s_%s_off[k] : 0;\n}\n\n"
            "void *%s_%s(int k) {\n"
            "  return k >= 0 && k < %u ? %s_arena.bytes + %s_%s_off[k] : NULL;\n}\n\n"
            "size_t %s_%s_size(int k) {\n"
            "  return k >= 0 && k < %u ? %s_%s_bytes[k] : 0;\n}\n\n",
            c->name, what, (unsigned)n, c->name, what, c->name, what,
            (unsigned)n, c->name, c->name, what, c->name, what, (unsigned)n,
            c->name, what);
  }
  if (fclose(f) != 0) rc = -1;
  return rc;
}

int cmd_compile(int argc, char **argv) {
  const char *path = NULL, *dir = NULL, *name = NULL;
  char cname[64], up[64], hpath[1024], cpath[1024], hname[80];
  cli_file f;
  tml_model m;
  tml_interp it;
  tml_error err;
  tml_layout l;
  tml_plan_item *items = NULL;
  unsigned char *arena = NULL;
  size_t arena_size;
  cctx c;
  const uint8_t *p;
  uint32_t k;
  int i, rc = 1, kset = TML_KSET_ANY;

  memset(&c, 0, sizeof c);
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(argv[i], "--kernels") && i + 1 < argc) {
      if ((kset = cli_kset(argv[++i])) < 0) {
        cli_errorf("compile: unknown kernel set '%s' (portable, arm-dsp, "
                   "any)", argv[i]);
        return 2;
      }
    } else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("compile: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path || !dir) {
    cli_errorf("usage: tml compile MODEL -o DIR [--name NAME] "
               "[--kernels portable|arm-dsp|any]");
    return 2;
  }
  /* NAME: given, or the model's file name; made a C identifier. */
  if (!name) {
    const char *s = strrchr(path, '/');
    name = s ? s + 1 : path;
  }
  for (i = 0, k = 0; name[i] && name[i] != '.' && k + 1 < sizeof cname; i++)
    cname[k++] = isalnum((unsigned char)name[i]) ? name[i] : '_';
  cname[k] = '\0';
  if (!k || isdigit((unsigned char)cname[0])) {
    cli_errorf("compile: '%s' does not make a C name; use --name", name);
    return 2;
  }
  for (k = 0; cname[k]; k++) up[k] = (char)toupper((unsigned char)cname[k]);
  up[k] = '\0';

  if (cli_load_model(path, &f, &m) != 0) return 1;
  items = calloc(tml_plan_items(&m), sizeof *items);
  if (!items) goto done;
  /* Plan for a device and its kernel set: in-place convolutions where they
  ** lower the peak, the set's scratch. */
  if (tml_plan(&m, items, &l, 1, kset, &err) != TML_OK ||
      tml_arena_size_ex(&m, 1, kset, &arena_size, &err) != TML_OK ||
      !(arena = cli_alloc(arena_size)) ||
      tml_init_ex(&it, &m, arena, arena_size, 1, kset, &err) != TML_OK) {
    cli_report(path, &err);
    goto done;
  }
  c.kset = kset;
  c.fits = ksets_fitting(&m, items);
  c.name = cname;
  c.m = &m;
  c.it = &it;
  c.planned = l.planned;
  c.state_lo = SIZE_MAX;
  c.state_hi = 0;
  for (k = 0; k < it.n_vars; k++) {
    const size_t lo = it.vars[k].offset;
    const size_t hi = lo + TML_ALIGN_UP(it.vars[k].bytes, 8);
    if (lo < c.state_lo) c.state_lo = lo;
    if (hi > c.state_hi) c.state_hi = hi;
  }
  if (!it.n_vars) c.state_lo = c.state_hi = 0;
  c.need = calloc(m.n_tensors ? m.n_tensors : 1, 1);
  c.body = tmpfile();
  c.decl = tmpfile();
  if (!c.need || !c.body || !c.decl) goto done;

  for (k = 0, p = it.records; k < it.n_ops; k++) {
    const tml_rec *r = (const tml_rec *)(const void *)p;
    describe_op(&c, (int)k, c.body);
    if (emit_record(&c, (int)k, r) != 0) {
      tml_op_view op;
      tml_model_op(&m, (int32_t)k, &op, NULL);
      cli_errorf("compile: op %u (%s) has no C emitter yet", (unsigned)k,
                 tml_op_name(op.builtin));
      goto done;
    }
    p += r->size;
  }
  if (c.failed) goto done;
  snprintf(hname, sizeof hname, "%s.h", cname);
  snprintf(hpath, sizeof hpath, "%s/%s.h", dir, cname);
  snprintf(cpath, sizeof cpath, "%s/%s.c", dir, cname);
  if (write_header(&c, hpath, up) != 0 || write_source(&c, cpath, hname) != 0) {
    cli_errorf("compile: cannot write %s or %s", hpath, cpath);
    goto done;
  }
  printf("%s, %s: %u ops, arena %lu bytes\n", hpath, cpath,
         (unsigned)m.n_ops, (unsigned long)c.planned);
  rc = 0;
done:
  if (c.body) fclose(c.body);
  if (c.decl) fclose(c.decl);
  free(c.need);
  free(items);
  free(arena);
  cli_free_file(&f);
  return rc;
}
