/*
** compile.h — the parts of `tml compile` (cmd_compile.c) shared by its
** files: compile_print.c turns values and record pointers into C,
** compile_params.c writes the kernels' parameter structs, compile_ops.c one
** kernel call per record.
*/
#ifndef TML_COMPILE_H
#define TML_COMPILE_H

#include <stdio.h>

#include "tml_records.h"

/* Longest C expression for a data pointer (names are at most 63 chars). */
#define CC_EXPR 256

typedef struct cctx {
  const char *name;   /* C prefix of everything generated */
  const tml_model *m;
  const tml_interp *it;
  size_t planned;     /* bytes of the planned region */
  size_t state_lo, state_hi; /* persistent variables, from the arena start */
  unsigned char *need; /* constant tensors referenced, by tensor index */
  FILE *body;         /* the invoke function: one call per op */
  FILE *decl;         /* parameter structs and the arrays they point to */
  int uses_arena;     /* body refers to the arena `a` */
  int failed;         /* a record could not be written: why says why */
  char why[160];
  int kset;           /* the kernel set the plan is for (TML_KSET_*) */
  unsigned fits;      /* bit s: kernel set s's scratch fits the plan */
} cctx;

/* ------------------------------------------------ compile_print.c */

/* C type of a tensor element ("uint8_t" for raw bytes). */
const char *cc_ctype(int32_t type);
/* A float literal that reads back as v exactly (FLT_MAX, INFINITY, NAN by
** name). */
void cc_float(char *buf, size_t n, float v);
void cc_print_float(FILE *out, float v);
/* An int32 literal (INT32_MIN by name: its digits do not form an int). */
void cc_i32(char *buf, size_t n, int32_t v);
/* Text from the model (names) made safe inside a C comment: no comment
** end or nesting, trigraph or line splice can come out of it. */
void cc_comment_text(FILE *out, const char *s, size_t n);
/* static const array `ident` of `type` (cc_ctype) holding the `bytes`
** bytes at data, 16-aligned, with an optional comment line before it. */
void cc_array(FILE *out, const char *ident, int32_t type, const void *data,
              size_t bytes, const char *comment);

/* The C expression of a record's data pointer, typed `ct` ("const int8_t",
** "int16_t", "void", ...): NULL, an offset in the arena `a`, an offset in
** the state buffer, or the array of the constant tensor whose data starts
** there (marked needed). A pointer elsewhere, or a write through a
** constant, sets c->failed and c->why. */
void cc_ptr(cctx *c, char *buf, size_t n, const void *p, const char *ct);

/* Designated initializers, wrapped at 79 columns:
**   cc_init_begin(&w, out, 0, "static const tml_pool_params x_op3 =");
**   cc_field(&w, "stride_h", "%d", 2);  cc_field_ints(&w, "b.dims", d, 6);
**   cc_init_end(&w, ";\n\n");
** Nested members take chained designators (.b.dims) and arrays stay on one
** line, so every item reads whole. */
typedef struct cc_init {
  FILE *out;
  int indent;  /* columns of continuation lines */
  int col;     /* current column */
  int fresh;   /* no item written yet */
} cc_init;

void cc_init_begin(cc_init *w, FILE *out, int indent, const char *head);
/* `.name = value`; name NULL: the value alone (array elements). */
void cc_field(cc_init *w, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void cc_field_i32(cc_init *w, const char *name, int32_t v);
void cc_field_f32(cc_init *w, const char *name, float v);
/* `.name = {items[0], ...}` */
void cc_field_list(cc_init *w, const char *name, const char *const *items,
                   int n);
void cc_field_ints(cc_init *w, const char *name, const int32_t *v, int n);
void cc_field_shape(cc_init *w, const char *name, const tml_shape4 *s);
void cc_field_ptr(cc_init *w, cctx *c, const char *name, const void *p,
                  const char *ct);
void cc_init_end(cc_init *w, const char *tail);

/* ------------------------------------------------ compile_params.c */

/* Each writes `static const <params type> NAME_opK = {...};` to c->decl,
** after the arrays it points to (NAME_opK_mult, NAME_opK_exp_lut, ...). */
void cc_params_conv(cctx *c, int k, const tml_conv_params *p);
void cc_params_fc(cctx *c, int k, const tml_fc_params *p);
void cc_params_pool(cctx *c, int k, const tml_pool_params *p);
void cc_params_add(cctx *c, int k, const tml_add_params *p);
void cc_params_mul(cctx *c, int k, const tml_mul_params *p);
void cc_params_softmax(cctx *c, int k, const tml_softmax_params *p);
void cc_params_relu(cctx *c, int k, const tml_relu_params *p);
void cc_params_leaky_relu(cctx *c, int k, const tml_leaky_relu_params *p);
void cc_params_hard_swish(cctx *c, int k, const tml_hard_swish_params *p);
void cc_params_sigmoid(cctx *c, int k, const tml_sigmoid_params *p);
void cc_params_quantize(cctx *c, int k, const tml_quantize_params *p);
void cc_params_concat(cctx *c, int k, const tml_concat_params *p);
void cc_params_pad(cctx *c, int k, const tml_pad_params *p);
void cc_params_transpose(cctx *c, int k, const tml_transpose_params *p);
void cc_params_slice(cctx *c, int k, const tml_slice_params *p);
void cc_params_mean(cctx *c, int k, const tml_mean_params *p);
void cc_params_svdf(cctx *c, int k, const tml_svdf_params *p);
void cc_params_lstm(cctx *c, int k, const tml_lstm_params *p);

/* ------------------------------------------------ compile_ops.c */

/* Write op k's kernel call to c->body and its parameters to c->decl.
** Returns -1 when no emitter knows the record's eval function. */
int cc_emit_record(cctx *c, int k, const tml_rec *r);

#endif
