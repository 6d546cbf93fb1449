/*
** `tml compile` on every kernel the interpreter runs: small models written
** with the .tflite writer (one op each, plus a graph with two inputs and two
** outputs), compiled twice (the two outputs must be the same bytes), built
** with the project's warnings together with ops_driver.c against libtml, and
** run next to the interpreter on random inputs (ops_driver.c says how;
** recurrent models over several invokes and a reset). With an arm-none-eabi
** compiler the generated files also build for Cortex-M4. Then models `tml
** compile` must refuse: it has to exit non-zero with a message and write
** nothing.
** usage: test_compile_ops TML LIBTML WORKDIR
** Built with TML_CC, TML_CC_FLAGS, TML_INCLUDE_DIR, TML_DRIVER_SRC and
** TML_ARM_GCC ("" if none) defined.
*/
#define _POSIX_C_SOURCE 200112L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tflite_writer.h"
#include "tml.h"
#include "tml_reader.h"
#include "tml_test.h"

static const char *tml_bin, *libtml, *work;

/* ------------------------------------------------------------ models */

static unsigned rng = 777u;

static double urand(void) { /* uniform in [-1, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (double)(rng >> 8) / 8388608.0 - 1.0;
}

/* DIMS(2, 3) expands to a rank and a dims array. */
#define DIMS(...)                                                         \
  (int)(sizeof((const int32_t[]){__VA_ARGS__}) / sizeof(int32_t)),        \
      (const int32_t[]) { __VA_ARGS__ }

static int32_t count(int rank, const int32_t *dims) {
  int32_t n = 1;
  int i;
  for (i = 0; i < rank; i++) n *= dims[i];
  return n;
}

/* A tensor, per-tensor quantized when scale > 0. */
static int tensor(tflw_model *w, const char *name, int type, int rank,
                  const int32_t *dims, int buffer, float scale, int zp,
                  int variable) {
  const int64_t z = zp;
  return tflw_tensor(w, name, type, rank, dims, buffer,
                     scale > 0 ? &scale : NULL, scale > 0 ? &z : NULL,
                     scale > 0 ? 1 : 0, 0, variable);
}

static int act(tflw_model *w, const char *name, int type, int rank,
               const int32_t *dims, float scale, int zp) {
  return tensor(w, name, type, rank, dims, 0, scale, zp, 0);
}

static int buffer_of(tflw_model *w, int type, int32_t n, const void *data) {
  const size_t es = tml_type_size(type);
  unsigned char *b = malloc((size_t)n * es + 1);
  int32_t i, id;
  if (data) {
    memcpy(b, data, (size_t)n * es);
  } else {
    for (i = 0; i < n; i++) {
      const double r = urand();
      int8_t i8 = (int8_t)(r * 127);
      int16_t i16 = (int16_t)(r * 2000);
      int32_t i32 = (int32_t)(r * 3000);
      int64_t i64 = (int64_t)(r * 3000);
      float f = (float)r;
      switch (type) {
        case TML_INT8: memcpy(b + i, &i8, 1); break;
        case TML_INT16: memcpy(b + 2 * i, &i16, 2); break;
        case TML_INT32: memcpy(b + 4 * i, &i32, 4); break;
        case TML_INT64: memcpy(b + 8 * i, &i64, 8); break;
        default: memcpy(b + 4 * i, &f, 4); break;
      }
    }
  }
  id = tflw_buffer(w, b, (size_t)n * es);
  free(b);
  return id;
}

/* A constant: random values (int32/int64 small, as biases are) or data. */
static int cst(tflw_model *w, const char *name, int type, int rank,
               const int32_t *dims, const void *data, float scale, int zp) {
  return tensor(w, name, type, rank, dims,
                buffer_of(w, type, count(rank, dims), data), scale, zp, 0);
}

/* Per-channel int8 weights along `qdim` with n scales around `scale`. */
static int cst_pc(tflw_model *w, const char *name, int rank,
                  const int32_t *dims, int qdim, float scale) {
  float s[16];
  int64_t z[16] = {0};
  const int n = dims[qdim];
  int i;
  for (i = 0; i < n && i < 16; i++) s[i] = scale * (float)(1.0 + 0.5 * urand());
  return tflw_tensor(w, name, TML_INT8, rank, dims,
                     buffer_of(w, TML_INT8, count(rank, dims), NULL), s, z,
                     n, qdim, 0);
}

static tflw_model *one_op(tflw_model *w, int op, int version,
                          const int32_t *ins, int n_in, int32_t out, int opt,
                          const int32_t *model_ins, int n_model_ins) {
  tflw_op(w, op, version, ins, n_in, &out, 1, opt, NULL, 0);
  tflw_io(w, model_ins, n_model_ins, &out, 1);
  return w;
}

/* One input, one output. opt_f: LEAKY_RELU's alpha, SOFTMAX's beta. */
static tflw_model *unary(int op, int version, int opt_tag, float opt_f,
                         int ti, float si, int zi, int to, float so, int zo) {
  tflw_model *w = tflw_new();
  /* A name no comment can hold as it is. */
  const int32_t in = act(w, "x*/ int evil; /*?\?/", ti, DIMS(2, 3, 7), si, zi);
  const int32_t out = act(w, "y", to, DIMS(2, 3, 7), so, zo);
  int o = TFLW_NO_OPTIONS;
  if (opt_tag != TFLW_NO_OPTIONS) {
    o = tflw_opt_begin(w, opt_tag);
    tflw_opt_f32(w, o, 0, opt_f);
  }
  return one_op(w, op, version, &in, 1, out, o, &in, 1);
}

/* ADD, SUB, MUL: in2 broadcast over in1, or a constant of in1's shape. */
static tflw_model *binary(int op, int opt_tag, int t, float s1, int z1,
                          float s2, int z2, float so, int zo, int fused,
                          int const_in2) {
  tflw_model *w = tflw_new();
  int32_t ins[2], out;
  int o;
  ins[0] = act(w, "a", t, DIMS(2, 3, 4), s1, z1);
  ins[1] = const_in2 ? cst(w, "b", t, DIMS(2, 3, 4), NULL, s2, z2)
                     : act(w, "b", t, DIMS(1, 3, 1), s2, z2);
  out = act(w, "sum", t, DIMS(2, 3, 4), so, zo);
  o = tflw_opt_begin(w, opt_tag);
  tflw_opt_u8(w, o, 0, fused);
  tflw_op(w, op, 1, ins, 2, &out, 1, o, NULL, 0);
  tflw_io(w, ins, const_in2 ? 1 : 2, &out, 1);
  return w;
}

/* CONV_2D (stride 2, SAME) or DEPTHWISE_CONV_2D (multiplier 2, dilation 2,
** VALID), int8 with per-channel weights, int16 (16x8) or float. */
static tflw_model *conv(int depthwise, int t, int tb) {
  tflw_model *w = tflw_new();
  const int q = t != TML_FLOAT32;
  const float si = t == TML_INT16 ? 1.0f / 512 : 0.05f;
  const int zi = t == TML_INT8 ? -5 : 0, zo = t == TML_INT8 ? 3 : 0;
  int32_t ins[3], out;
  int o;
  ins[0] = act(w, "in", t, DIMS(1, 7, 6, 3), q ? si : 0, zi);
  if (depthwise) {
    ins[1] = q ? cst_pc(w, "filter", DIMS(1, 3, 3, 6), 3, 0.02f)
               : cst(w, "filter", t, DIMS(1, 3, 3, 6), NULL, 0, 0);
    ins[2] = cst(w, "bias", tb, DIMS(6), NULL, q ? si * 0.02f : 0, 0);
    out = act(w, "out", t, DIMS(1, 3, 2, 6), q ? si * 2 : 0, zo);
    o = tflw_opt_begin(w, TFLW_OPT_DEPTHWISE_CONV_2D);
    tflw_opt_u8(w, o, 0, 1);   /* VALID */
    tflw_opt_i32(w, o, 1, 1);
    tflw_opt_i32(w, o, 2, 1);
    tflw_opt_i32(w, o, 3, 2);
    tflw_opt_u8(w, o, 4, 1);   /* RELU */
    tflw_opt_i32(w, o, 5, 2);
    tflw_opt_i32(w, o, 6, 2);
    return one_op(w, TML_OP_DEPTHWISE_CONV_2D, q ? 3 : 1, ins, 3, out, o,
                  ins, 1);
  }
  ins[1] = q ? cst_pc(w, "filter", DIMS(4, 3, 3, 3), 0, 0.02f)
             : cst(w, "filter", t, DIMS(4, 3, 3, 3), NULL, 0, 0);
  ins[2] = cst(w, "bias", tb, DIMS(4), NULL, q ? si * 0.02f : 0, 0);
  out = act(w, "out", t, DIMS(1, 4, 3, 4), q ? si * 2 : 0, zo);
  o = tflw_opt_begin(w, TFLW_OPT_CONV_2D);
  tflw_opt_u8(w, o, 0, 0); /* SAME */
  tflw_opt_i32(w, o, 1, 2);
  tflw_opt_i32(w, o, 2, 2);
  tflw_opt_u8(w, o, 3, 3); /* RELU6 */
  return one_op(w, TML_OP_CONV_2D, q ? (t == TML_INT16 ? 4 : 3) : 1, ins, 3,
                out, o, ins, 1);
}

/* FULLY_CONNECTED [2,5] x [3,5]': int8 per tensor, int16 per channel. */
static tflw_model *fc(int t, int tb) {
  tflw_model *w = tflw_new();
  const int q = t != TML_FLOAT32;
  const float si = t == TML_INT16 ? 1.0f / 1024 : 0.1f, sw = 0.01f;
  int32_t ins[3], out;
  int o;
  ins[0] = act(w, "in", t, DIMS(2, 5), q ? si : 0, t == TML_INT8 ? 7 : 0);
  ins[1] = t == TML_INT16 ? cst_pc(w, "w", DIMS(3, 5), 0, sw)
                          : cst(w, "w", t, DIMS(3, 5), NULL, q ? sw : 0, 0);
  ins[2] = cst(w, "bias", tb, DIMS(3), NULL, q ? si * sw : 0, 0);
  out = act(w, "out", t, DIMS(2, 3), q ? si * 4 : 0, t == TML_INT8 ? -2 : 0);
  o = tflw_opt_begin(w, TFLW_OPT_FULLY_CONNECTED);
  tflw_opt_u8(w, o, 0, 1); /* RELU */
  return one_op(w, TML_OP_FULLY_CONNECTED, q ? (t == TML_INT16 ? 7 : 4) : 1,
                ins, 3, out, o, ins, 1);
}

/* Weights and bias from one buffer (int8 [3,4] and int32 [3]): each gets
** an array of its own type. */
static tflw_model *fc_shared_buffer(void) {
  static const int8_t bytes[12] = {5, 0, 0, 0, -6, -1, -1, -1, 7, 0, 0, 0};
  tflw_model *w = tflw_new();
  const int b = tflw_buffer(w, bytes, sizeof bytes);
  int32_t ins[3], out;
  ins[0] = act(w, "in", TML_INT8, DIMS(2, 4), 0.1f, 1);
  ins[1] = tensor(w, "w", TML_INT8, DIMS(3, 4), b, 0.01f, 0, 0);
  ins[2] = tensor(w, "bias", TML_INT32, DIMS(3), b, 0.001f, 0, 0);
  out = act(w, "out", TML_INT8, DIMS(2, 3), 0.02f, 0);
  return one_op(w, TML_OP_FULLY_CONNECTED, 4, ins, 3, out,
                tflw_opt_begin(w, TFLW_OPT_FULLY_CONNECTED), ins, 1);
}

/* 3x3 windows, stride 2, SAME, on [1,6,6,2]. */
static tflw_model *pool(int op, int t) {
  tflw_model *w = tflw_new();
  const float s = t == TML_FLOAT32 ? 0 : 0.25f;
  const int z = t == TML_INT8 ? 4 : 0;
  const int32_t in = act(w, "in", t, DIMS(1, 6, 6, 2), s, z);
  const int32_t out = act(w, "out", t, DIMS(1, 3, 3, 2), s, z);
  const int o = tflw_opt_begin(w, TFLW_OPT_POOL_2D);
  tflw_opt_u8(w, o, 0, 0);
  tflw_opt_i32(w, o, 1, 2);
  tflw_opt_i32(w, o, 2, 2);
  tflw_opt_i32(w, o, 3, 3);
  tflw_opt_i32(w, o, 4, 3);
  return one_op(w, op, t == TML_INT16 ? 3 : 2, &in, 1, out, o, &in, 1);
}

/* A constant reshaped (RESHAPE copies it) and added to the input, whose
** own reshape is free. */
static tflw_model *reshape(void) {
  tflw_model *w = tflw_new();
  int32_t t[5], ins[2];
  const int o = tflw_opt_begin(w, TFLW_OPT_ADD);
  t[0] = act(w, "in", TML_FLOAT32, DIMS(2, 6), 0, 0);
  t[1] = act(w, "in34", TML_FLOAT32, DIMS(3, 4), 0, 0);
  t[2] = cst(w, "c", TML_FLOAT32, DIMS(12), NULL, 0, 0);
  t[3] = act(w, "c34", TML_FLOAT32, DIMS(3, 4), 0, 0);
  t[4] = act(w, "out", TML_FLOAT32, DIMS(3, 4), 0, 0);
  tflw_op(w, TML_OP_RESHAPE, 1, &t[0], 1, &t[1], 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_op(w, TML_OP_RESHAPE, 1, &t[2], 1, &t[3], 1, TFLW_NO_OPTIONS, NULL, 0);
  ins[0] = t[1];
  ins[1] = t[3];
  tflw_op(w, TML_OP_ADD, 1, ins, 2, &t[4], 1, o, NULL, 0);
  tflw_io(w, t, 1, &t[4], 1);
  return w;
}

/* Three inputs along axis 1, the middle one constant. */
static tflw_model *concat(int t) {
  tflw_model *w = tflw_new();
  const float s = t == TML_INT8 ? 0.5f : 0;
  int32_t ins[3], out, io[2];
  int o;
  ins[0] = act(w, "a", t, DIMS(2, 3, 2), s, -1);
  ins[1] = cst(w, "b", t, DIMS(2, 2, 2), NULL, s, -1);
  ins[2] = act(w, "c", t, DIMS(2, 1, 2), s, -1);
  out = act(w, "out", t, DIMS(2, 6, 2), s, -1);
  o = tflw_opt_begin(w, TFLW_OPT_CONCATENATION);
  tflw_opt_i32(w, o, 0, 1);
  io[0] = ins[0];
  io[1] = ins[2];
  return one_op(w, TML_OP_CONCATENATION, 1, ins, 3, out, o, io, 2);
}

/* PAD (int8: the zero point), PADV2 with a constant value, PADV2 with the
** value as a second model input (read at every invoke). */
static tflw_model *pad(int op, int t, int dynamic) {
  tflw_model *w = tflw_new();
  static const int32_t pads[8] = {0, 0, 1, 2, 2, 1, 0, 1};
  const float s = t == TML_INT8 ? 0.5f : 0;
  const float fv = 1.5f;
  const int8_t iv = 9;
  int32_t ins[3], out, io[2];
  ins[0] = act(w, "in", t, DIMS(1, 3, 3, 2), s, 2);
  ins[1] = cst(w, "paddings", TML_INT32, DIMS(4, 2), pads, 0, 0);
  if (op == TML_OP_PADV2)
    ins[2] = dynamic ? act(w, "value", t, DIMS(1), s, 2)
                     : cst(w, "value", t, DIMS(1),
                           t == TML_INT8 ? (const void *)&iv : &fv, s, 2);
  out = act(w, "out", t, DIMS(1, 6, 6, 3), s, 2);
  io[0] = ins[0];
  io[1] = ins[2];
  return one_op(w, op, 2, ins, op == TML_OP_PADV2 ? 3 : 2, out,
                TFLW_NO_OPTIONS, io, dynamic ? 2 : 1);
}

static tflw_model *transpose(void) {
  tflw_model *w = tflw_new();
  static const int32_t perm[3] = {2, 0, 1};
  int32_t ins[2], out;
  ins[0] = act(w, "in", TML_INT16, DIMS(2, 3, 4), 0.5f, 0);
  ins[1] = cst(w, "perm", TML_INT32, DIMS(3), perm, 0, 0);
  out = act(w, "out", TML_INT16, DIMS(4, 2, 3), 0.5f, 0);
  return one_op(w, TML_OP_TRANSPOSE, 2, ins, 2, out, TFLW_NO_OPTIONS, ins, 1);
}

/* [3,4,5]: dim 0 index 1 (shrunk), dim 1 backwards from 3, dim 2 step 2. */
static tflw_model *strided_slice(void) {
  tflw_model *w = tflw_new();
  static const int32_t begin[3] = {1, 3, 0}, end[3] = {2, 0, 5};
  static const int32_t strides[3] = {1, -1, 2};
  int32_t ins[4], out;
  int o;
  ins[0] = act(w, "in", TML_FLOAT32, DIMS(3, 4, 5), 0, 0);
  ins[1] = cst(w, "begin", TML_INT32, DIMS(3), begin, 0, 0);
  ins[2] = cst(w, "end", TML_INT32, DIMS(3), end, 0, 0);
  ins[3] = cst(w, "strides", TML_INT32, DIMS(3), strides, 0, 0);
  out = act(w, "out", TML_FLOAT32, DIMS(3, 3), 0, 0);
  o = tflw_opt_begin(w, TFLW_OPT_STRIDED_SLICE);
  tflw_opt_i32(w, o, 4, 1);
  return one_op(w, TML_OP_STRIDED_SLICE, 2, ins, 4, out, o, ins, 1);
}

/* Spatial mean of [1,4,4,3] keeping dims; float over the last axis. */
static tflw_model *mean(int t) {
  tflw_model *w = tflw_new();
  static const int32_t hw[2] = {1, 2}, last[1] = {-1};
  const float s = t == TML_FLOAT32 ? 0 : 0.2f;
  int32_t ins[2], out;
  int o = tflw_opt_begin(w, TFLW_OPT_REDUCER);
  ins[0] = act(w, "in", t, DIMS(1, 4, 4, 3), s, t == TML_INT8 ? 5 : 0);
  if (t == TML_FLOAT32) {
    ins[1] = cst(w, "axis", TML_INT32, DIMS(1), last, 0, 0);
    out = act(w, "out", t, DIMS(1, 4, 4), 0, 0);
  } else {
    ins[1] = cst(w, "axis", TML_INT32, DIMS(2), hw, 0, 0);
    out = act(w, "out", t, DIMS(1, 1, 1, 3), s * 0.5f, t == TML_INT8 ? -3 : 0);
    tflw_opt_u8(w, o, 0, 1);
  }
  return one_op(w, TML_OP_MEAN, 2, ins, 2, out, o, ins, 1);
}

/* SVDF, 2 batches, 3 inputs, 4 filters of rank 2, memory 3. */
static tflw_model *svdf(int t) {
  tflw_model *w = tflw_new();
  const int q = t == TML_INT8;
  const float s_in = 1.0f / 32, s_wf = 1.0f / 64, s_wt = 1.0f / 1024;
  const float s_st = 1.0f / 16;
  int32_t ins[5], out;
  int o;
  ins[0] = act(w, "in", t, DIMS(2, 3), q ? s_in : 0, 2);
  ins[1] = cst(w, "w_feature", t, DIMS(4, 3), NULL, q ? s_wf : 0, 0);
  ins[2] = cst(w, "w_time", q ? TML_INT16 : t, DIMS(4, 3), NULL,
               q ? s_wt : 0, 0);
  ins[3] = cst(w, "bias", q ? TML_INT32 : t, DIMS(2), NULL,
               q ? s_st * s_wt : 0, 0);
  ins[4] = tensor(w, "state", q ? TML_INT16 : t, DIMS(2, 12), 0,
                  q ? s_st : 0, 0, 1);
  out = act(w, "out", t, DIMS(2, 2), q ? 1.0f / 8 : 0, -1);
  o = tflw_opt_begin(w, TFLW_OPT_SVDF);
  tflw_opt_i32(w, o, 0, 2);
  tflw_opt_u8(w, o, 1, q ? 0 : 1);
  return one_op(w, TML_OP_SVDF, q ? 3 : 1, ins, 5, out, o, ins, 1);
}

/* LSTM, 2 batches, 3 steps, 3 inputs, 4 units (float: time major). */
static tflw_model *lstm(int t) {
  tflw_model *w = tflw_new();
  const int q = t == TML_INT8;
  const float s = 1.0f / 64;
  const int32_t d0 = q ? 2 : 3, d1 = q ? 3 : 2;
  int32_t ins[24], out, k;
  int o;
  for (k = 0; k < 24; k++) ins[k] = -1;
  ins[0] = act(w, "in", t, DIMS(d0, d1, 3), q ? s : 0, q ? 1 : 0);
  for (k = 1; k < 5; k++)
    ins[k] = cst(w, "w_in", t, DIMS(4, 3), NULL, q ? s : 0, 0);
  for (k = 5; k < 9; k++)
    ins[k] = cst(w, "w_rec", t, DIMS(4, 4), NULL, q ? s : 0, 0);
  for (k = 12; k < 16; k++)
    ins[k] = cst(w, "bias", q ? TML_INT32 : t, DIMS(4), NULL, q ? s * s : 0,
                 0);
  ins[18] = tensor(w, "h", t, DIMS(2, 4), 0, q ? s : 0, 3, 1);
  ins[19] = tensor(w, "c", q ? TML_INT16 : t, DIMS(2, 4), 0,
                   q ? 1.0f / 2048 : 0, 0, 1);
  out = act(w, "out", t, DIMS(d0, d1, 4), q ? s : 0, 3);
  o = tflw_opt_begin(w, TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM);
  tflw_opt_u8(w, o, 0, 4);
  tflw_opt_f32(w, o, 1, q ? 0.0f : 3.0f);
  tflw_opt_u8(w, o, 3, !q);
  return one_op(w, TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 1, ins, 24, out, o,
                ins, 1);
}

/* Two inputs, two outputs: ADD, RELU (in place), MAX_POOL_2D to output 0,
** CONCATENATION of the RELU and input 0 to output 1. */
static tflw_model *graph(void) {
  tflw_model *w = tflw_new();
  int32_t t[6], io[4], ins[2];
  int o;
  t[0] = act(w, "x", TML_INT8, DIMS(1, 4, 4, 2), 0.5f, 1);
  t[1] = act(w, "y", TML_INT8, DIMS(1, 4, 4, 2), 0.5f, 1);
  t[2] = act(w, "sum", TML_INT8, DIMS(1, 4, 4, 2), 0.5f, 1);
  t[3] = act(w, "relu", TML_INT8, DIMS(1, 4, 4, 2), 0.5f, 1);
  t[4] = act(w, "pool", TML_INT8, DIMS(1, 2, 2, 2), 0.5f, 1);
  t[5] = act(w, "cat", TML_INT8, DIMS(1, 4, 4, 4), 0.5f, 1);
  tflw_op(w, TML_OP_ADD, 1, t, 2, &t[2], 1, tflw_opt_begin(w, TFLW_OPT_ADD),
          NULL, 0);
  tflw_op(w, TML_OP_RELU, 1, &t[2], 1, &t[3], 1, TFLW_NO_OPTIONS, NULL, 0);
  o = tflw_opt_begin(w, TFLW_OPT_POOL_2D);
  tflw_opt_u8(w, o, 0, 1);
  tflw_opt_i32(w, o, 1, 2);
  tflw_opt_i32(w, o, 2, 2);
  tflw_opt_i32(w, o, 3, 2);
  tflw_opt_i32(w, o, 4, 2);
  tflw_op(w, TML_OP_MAX_POOL_2D, 1, &t[3], 1, &t[4], 1, o, NULL, 0);
  ins[0] = t[3];
  ins[1] = t[0];
  o = tflw_opt_begin(w, TFLW_OPT_CONCATENATION);
  tflw_opt_i32(w, o, 0, 3);
  tflw_op(w, TML_OP_CONCATENATION, 1, ins, 2, &t[5], 1, o, NULL, 0);
  io[0] = t[0];
  io[1] = t[1];
  io[2] = t[4];
  io[3] = t[5];
  tflw_io(w, io, 2, io + 2, 2);
  return w;
}

#define I8 TML_INT8
#define I16 TML_INT16
#define I32 TML_INT32
#define I64 TML_INT64
#define F32 TML_FLOAT32
#define NOOPT TFLW_NO_OPTIONS

/* name, invokes per round, model. Every kernel record kind and eval
** function is here at least once (conv in place: the shared kws model). */
#define CASES(X)                                                            \
  X(conv_s8, 1, conv(0, I8, I32))                                           \
  X(conv_s16, 1, conv(0, I16, I64))                                         \
  X(conv_s16_b32, 1, conv(0, I16, I32))                                     \
  X(conv_f32, 1, conv(0, F32, F32))                                         \
  X(dwconv_s8, 1, conv(1, I8, I32))                                         \
  X(dwconv_f32, 1, conv(1, F32, F32))                                       \
  X(fc_s8, 1, fc(I8, I32))                                                  \
  X(fc_s16, 1, fc(I16, I64))                                                \
  X(fc_s16_b32, 1, fc(I16, I32))                                            \
  X(fc_f32, 1, fc(F32, F32))                                                \
  X(fc_shared_buffer_s8, 1, fc_shared_buffer())                             \
  X(avgpool_s8, 1, pool(TML_OP_AVERAGE_POOL_2D, I8))                        \
  X(avgpool_s16, 1, pool(TML_OP_AVERAGE_POOL_2D, I16))                      \
  X(avgpool_f32, 1, pool(TML_OP_AVERAGE_POOL_2D, F32))                      \
  X(maxpool_s8, 1, pool(TML_OP_MAX_POOL_2D, I8))                            \
  X(maxpool_s16, 1, pool(TML_OP_MAX_POOL_2D, I16))                          \
  X(maxpool_f32, 1, pool(TML_OP_MAX_POOL_2D, F32))                          \
  X(add_s8, 1, binary(TML_OP_ADD, TFLW_OPT_ADD, I8, 0.1f, 3, 0.2f, -4,      \
                      0.25f, 1, 1, 0))                                      \
  X(add_s16, 1, binary(TML_OP_ADD, TFLW_OPT_ADD, I16, 0.01f, 0, 0.02f, 0,   \
                       0.03f, 0, 0, 1))                                     \
  X(add_f32, 1, binary(TML_OP_ADD, TFLW_OPT_ADD, F32, 0, 0, 0, 0, 0, 0, 3, \
                       0))                                                  \
  X(sub_s8, 1, binary(TML_OP_SUB, TFLW_OPT_SUB, I8, 0.1f, 3, 0.2f, -4,      \
                      0.25f, 1, 0, 1))                                      \
  X(sub_s16, 1, binary(TML_OP_SUB, TFLW_OPT_SUB, I16, 0.01f, 0, 0.02f, 0,   \
                       0.03f, 0, 1, 0))                                     \
  X(sub_f32, 1, binary(TML_OP_SUB, TFLW_OPT_SUB, F32, 0, 0, 0, 0, 0, 0, 0, \
                       1))                                                  \
  X(mul_s8, 1, binary(TML_OP_MUL, TFLW_OPT_MUL, I8, 0.1f, 3, 0.2f, -4,      \
                      0.05f, 1, 0, 0))                                      \
  X(mul_s16, 1, binary(TML_OP_MUL, TFLW_OPT_MUL, I16, 0.01f, 0, 0.02f, 0,   \
                       0.001f, 0, 0, 1))                                    \
  X(mul_f32, 1, binary(TML_OP_MUL, TFLW_OPT_MUL, F32, 0, 0, 0, 0, 0, 0, 1, \
                       0))                                                  \
  X(softmax_s8, 1, unary(TML_OP_SOFTMAX, 1, TFLW_OPT_SOFTMAX, 1.0f, I8,     \
                         0.1f, 2, I8, 1.0f / 256, -128))                    \
  X(softmax_s8_s16, 1, unary(TML_OP_SOFTMAX, 2, TFLW_OPT_SOFTMAX, 0.5f, I8, \
                             0.1f, 2, I16, 1.0f / 65536, -32768))           \
  X(softmax_s16, 1, unary(TML_OP_SOFTMAX, 3, TFLW_OPT_SOFTMAX, 1.0f, I16,   \
                          1.0f / 2048, 0, I16, 1.0f / 32768, 0))            \
  X(softmax_f32, 1, unary(TML_OP_SOFTMAX, 1, TFLW_OPT_SOFTMAX, 2.0f, F32,   \
                          0, 0, F32, 0, 0))                                 \
  X(relu_s8, 1, unary(TML_OP_RELU, 1, NOOPT, 0, I8, 0.1f, -3, I8, 0.05f,    \
                      -128))                                                \
  X(relu_s16, 1, unary(TML_OP_RELU, 3, NOOPT, 0, I16, 0.01f, 0, I16,        \
                       0.02f, 0))                                           \
  X(relu_f32, 1, unary(TML_OP_RELU, 1, NOOPT, 0, F32, 0, 0, F32, 0, 0))     \
  X(relu6_s8, 1, unary(TML_OP_RELU6, 1, NOOPT, 0, I8, 0.05f, -3, I8, 0.05f, \
                       -3))                                                 \
  X(relu_n1_to_1_s8, 1, unary(TML_OP_RELU_N1_TO_1, 1, NOOPT, 0, I8, 0.02f,  \
                              1, I8, 0.01f, 0))                             \
  X(leaky_relu_s8, 1, unary(TML_OP_LEAKY_RELU, 1, TFLW_OPT_LEAKY_RELU,      \
                            0.2f, I8, 0.1f, 4, I8, 0.08f, -20))             \
  X(leaky_relu_s16, 1, unary(TML_OP_LEAKY_RELU, 2, TFLW_OPT_LEAKY_RELU,     \
                             0.3f, I16, 0.01f, 0, I16, 0.01f, 0))           \
  X(leaky_relu_f32, 1, unary(TML_OP_LEAKY_RELU, 1, TFLW_OPT_LEAKY_RELU,     \
                             0.1f, F32, 0, 0, F32, 0, 0))                   \
  X(hard_swish_s8, 1, unary(TML_OP_HARD_SWISH, 1, NOOPT, 0, I8, 0.05f, 10,  \
                            I8, 0.03f, -50))                                \
  X(hard_swish_f32, 1, unary(TML_OP_HARD_SWISH, 1, NOOPT, 0, F32, 0, 0,     \
                             F32, 0, 0))                                    \
  X(logistic_s8, 1, unary(TML_OP_LOGISTIC, 2, NOOPT, 0, I8, 0.1f, 5, I8,    \
                          1.0f / 256, -128))                                \
  X(logistic_s16, 1, unary(TML_OP_LOGISTIC, 3, NOOPT, 0, I16,               \
                           1.0f / 4096, 0, I16, 1.0f / 32768, 0))           \
  X(logistic_f32, 1, unary(TML_OP_LOGISTIC, 1, NOOPT, 0, F32, 0, 0, F32,    \
                           0, 0))                                           \
  X(tanh_s8, 1, unary(TML_OP_TANH, 2, NOOPT, 0, I8, 0.05f, -7, I8,          \
                      1.0f / 128, 0))                                       \
  X(tanh_s16, 1, unary(TML_OP_TANH, 3, NOOPT, 0, I16, 1.0f / 4096, 0, I16,  \
                       1.0f / 32768, 0))                                    \
  X(tanh_f32, 1, unary(TML_OP_TANH, 1, NOOPT, 0, F32, 0, 0, F32, 0, 0))     \
  X(quantize_f32_s8, 1, unary(TML_OP_QUANTIZE, 1, NOOPT, 0, F32, 0, 0, I8,  \
                              0.04f, 3))                                    \
  X(quantize_f32_s16, 1, unary(TML_OP_QUANTIZE, 1, NOOPT, 0, F32, 0, 0,     \
                               I16, 0.001f, 0))                             \
  X(requantize_s8_s8, 1, unary(TML_OP_QUANTIZE, 2, NOOPT, 0, I8, 0.1f, 1,   \
                               I8, 0.07f, -9))                              \
  X(requantize_s8_s16, 1, unary(TML_OP_QUANTIZE, 2, NOOPT, 0, I8, 0.1f, 1,  \
                                I16, 0.001f, 0))                            \
  X(requantize_s16_s8, 1, unary(TML_OP_QUANTIZE, 2, NOOPT, 0, I16, 0.001f,  \
                                0, I8, 0.1f, 4))                            \
  X(requantize_s16_s16, 1, unary(TML_OP_QUANTIZE, 2, NOOPT, 0, I16, 0.001f, \
                                 0, I16, 0.003f, 0))                        \
  X(dequantize_s8, 1, unary(TML_OP_DEQUANTIZE, 2, NOOPT, 0, I8, 0.1f, -5,   \
                            F32, 0, 0))                                     \
  X(dequantize_s16, 1, unary(TML_OP_DEQUANTIZE, 2, NOOPT, 0, I16, 0.001f,   \
                             0, F32, 0, 0))                                 \
  X(reshape_f32, 1, reshape())                                              \
  X(concat_s8, 1, concat(I8))                                               \
  X(concat_f32, 1, concat(F32))                                             \
  X(pad_s8, 1, pad(TML_OP_PAD, I8, 0))                                      \
  X(padv2_f32, 1, pad(TML_OP_PADV2, F32, 0))                                \
  X(padv2_dynamic_s8, 1, pad(TML_OP_PADV2, I8, 1))                          \
  X(transpose_s16, 1, transpose())                                          \
  X(strided_slice_f32, 1, strided_slice())                                  \
  X(mean_s8, 1, mean(I8))                                                   \
  X(mean_s16, 1, mean(I16))                                                 \
  X(mean_f32, 1, mean(F32))                                                 \
  X(svdf_s8, 4, svdf(I8))                                                   \
  X(svdf_f32, 4, svdf(F32))                                                 \
  X(lstm_s8, 3, lstm(I8))                                                   \
  X(lstm_f32, 3, lstm(F32))                                                 \
  X(graph_s8, 2, graph())

#define BUILD(n, invokes, expr) \
  static tflw_model *build_##n(void) { return expr; }
CASES(BUILD)

typedef struct ocase {
  const char *name;
  tflw_model *(*build)(void);
  int invokes;
} ocase;

#define ROW(n, invokes, expr) {#n, build_##n, invokes},
static const ocase cases[] = {CASES(ROW)};

/* ------------------------------------------------------------ tools */

static int run(const char *cmd) {
  const int s = system(cmd);
  if (getenv("TML_TEST_VERBOSE")) fprintf(stderr, "$ %s -> %d\n", cmd, s);
  return s == -1 ? -1 : WIFEXITED(s) ? WEXITSTATUS(s) : 128;
}

static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  unsigned char *p = NULL;
  long len;
  *n = 0;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)len + 1)) != NULL &&
      fread(p, 1, (size_t)len, f) == (size_t)len) {
    p[len] = '\0';
    *n = (size_t)len;
  } else {
    free(p);
    p = NULL;
  }
  fclose(f);
  return p;
}

static int same_file(const char *a, const char *b) {
  size_t na, nb;
  unsigned char *pa = slurp(a, &na), *pb = slurp(b, &nb);
  const int same = pa && pb && na == nb && memcmp(pa, pb, na) == 0;
  free(pa);
  free(pb);
  return same;
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static int write_model(tflw_model *w, const char *path) {
  unsigned char *bytes = NULL;
  size_t size = 0;
  FILE *f;
  int ok;
  if (tflw_finish(w, &bytes, &size) != 0) {
    fprintf(stderr, "writer: %s\n", tflw_error(w));
    tflw_free(w);
    return -1;
  }
  tflw_free(w);
  f = fopen(path, "wb");
  ok = f && fwrite(bytes, 1, size, f) == size;
  if (f && fclose(f) != 0) ok = 0;
  free(bytes);
  return ok ? 0 : -1;
}

/* tml compile MODEL -o DIR --name NAME (NULL: no --name); stderr to ERR. */
static int compile(const char *model, const char *dir, const char *name,
                   const char *err) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s'%s%s%s > /dev/null 2> '%s'",
           tml_bin, model, dir, name ? " --name '" : "", name ? name : "",
           name ? "'" : "", err);
  return run(cmd);
}

/* ------------------------------------------------------------ good models */

static void compile_cases(void) {
  const int n = (int)(sizeof cases / sizeof cases[0]);
  char path[1024], gen[512], gen2[512], a[1024], b[1024], err[512];
  char *cmd;
  size_t len = 0, cap = 65536;
  FILE *f;
  int i, built;

  snprintf(gen, sizeof gen, "%s/gen", work);
  snprintf(gen2, sizeof gen2, "%s/gen2", work);
  snprintf(err, sizeof err, "%s/compile.err", work);
  for (i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s.tflite", work, cases[i].name);
    CHECK_EQ(write_model(cases[i].build(), path), 0);
    if (compile(path, gen, cases[i].name, err) != 0 ||
        compile(path, gen2, cases[i].name, err) != 0) {
      size_t en;
      char *msg = (char *)slurp(err, &en);
      fprintf(stderr, "%s: tml compile failed: %s", cases[i].name,
              msg ? msg : "?\n");
      free(msg);
      CHECK(0);
      continue;
    }
    /* Deterministic: the same model gives the same bytes. */
    snprintf(a, sizeof a, "%s/%s.c", gen, cases[i].name);
    snprintf(b, sizeof b, "%s/%s.c", gen2, cases[i].name);
    CHECK(same_file(a, b));
    snprintf(a, sizeof a, "%s/%s.h", gen, cases[i].name);
    snprintf(b, sizeof b, "%s/%s.h", gen2, cases[i].name);
    CHECK(same_file(a, b));
  }
  if (tml_test_failures) return;

  /* cases.h for the driver: every header and the list of models. */
  snprintf(path, sizeof path, "%s/cases.h", gen);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  for (i = 0; i < n; i++) fprintf(f, "#include \"%s.h\"\n", cases[i].name);
  fputs("#define CASES(X)", f);
  for (i = 0; i < n; i++) {
    const char *s;
    fprintf(f, " \\\n  X(%s, ", cases[i].name);
    for (s = cases[i].name; *s; s++)
      fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
    fprintf(f, ", %d)", cases[i].invokes);
  }
  fputs("\n", f);
  CHECK_EQ(fclose(f), 0);

  /* Host build with the project's warnings, and the run. */
  cmd = malloc(cap);
  if (!cmd) return;
  len = (size_t)snprintf(cmd, cap,
                         "'%s' -std=c99 -Wall -Wextra -Werror -pedantic %s "
                         "-I'%s' -I'%s' '%s'",
                         TML_CC, TML_CC_FLAGS, TML_INCLUDE_DIR, gen,
                         TML_DRIVER_SRC);
  for (i = 0; i < n; i++)
    len += (size_t)snprintf(cmd + len, cap - len, " '%s/%s.c'", gen,
                            cases[i].name);
  snprintf(cmd + len, cap - len, " '%s' -lm -o '%s/driver'", libtml, work);
  built = run(cmd) == 0;
  CHECK(built);
  if (built) {
    snprintf(cmd, cap, "'%s/driver' '%s'", work, work);
    CHECK_EQ(run(cmd), 0);
  }
  /* Cortex-M4: the generated files alone, as a firmware would build them. */
  if (TML_ARM_GCC[0]) {
    len = (size_t)snprintf(cmd, cap,
                           "cd '%s' && '%s' -std=c99 -Wall -Wextra -Werror "
                           "-pedantic -mcpu=cortex-m4 -mthumb "
                           "-mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -I'%s' -c",
                           gen, TML_ARM_GCC, TML_INCLUDE_DIR);
    for (i = 0; i < n; i++)
      len += (size_t)snprintf(cmd + len, cap - len, " '%s.c'", cases[i].name);
    CHECK_EQ(run(cmd), 0);
  }
  free(cmd);
  printf("%d models compiled, built and compared with the interpreter\n", n);
}

/* ------------------------------------------------------------ refusals */

/* tml compile must fail with a message containing `want`, writing nothing. */
static void expect_refusal(const char *what, const char *model,
                           const char *name, const char *want) {
  char dir[1024], err[1024], c[1100];
  size_t n;
  char *msg;
  int rc;
  snprintf(dir, sizeof dir, "%s/refused", work);
  snprintf(err, sizeof err, "%s/refused.err", work);
  rc = compile(model, dir, name, err);
  msg = (char *)slurp(err, &n);
  if (rc == 0 || !msg || !strstr(msg, want) || strncmp(msg, "tml: ", 5) ||
      getenv("TML_TEST_VERBOSE"))
    fprintf(stderr, "%s: exit %d, stderr: %s", what, rc, msg ? msg : "-\n");
  CHECK(rc != 0 && rc < 128);
  CHECK(msg && strncmp(msg, "tml: ", 5) == 0 && strstr(msg, want));
  snprintf(c, sizeof c, "%s/%s.c", dir, name ? name : "x");
  CHECK(!exists(c));
  free(msg);
}

static void refusals(void) {
  char path[1024];
  tflw_model *w;
  int32_t t[3];

  /* An op TML does not implement. */
  w = tflw_new();
  t[0] = act(w, "in", TML_FLOAT32, DIMS(4), 0, 0);
  t[1] = act(w, "out", TML_FLOAT32, DIMS(4), 0, 0);
  tflw_op_opcode(w, tflw_custom_opcode(w, "MyOp", 1), t, 1, &t[1], 1,
                 TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, t, 1, &t[1], 1);
  snprintf(path, sizeof path, "%s/custom.tflite", work);
  CHECK_EQ(write_model(w, path), 0);
  expect_refusal("custom op", path, "x", "UNSUPPORTED_OP");

  /* A model output that is a constant: it has no place in the arena. */
  w = tflw_new();
  t[0] = act(w, "in", TML_FLOAT32, DIMS(4), 0, 0);
  t[1] = act(w, "out", TML_FLOAT32, DIMS(4), 0, 0);
  t[2] = cst(w, "const", TML_FLOAT32, DIMS(4), NULL, 0, 0);
  tflw_op(w, TML_OP_RELU, 1, t, 1, &t[1], 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, t, 1, &t[1], 2);
  snprintf(path, sizeof path, "%s/const_output.tflite", work);
  CHECK_EQ(write_model(w, path), 0);
  expect_refusal("constant output", path, "x", "constant tensor");

  /* A model input that is a constant. */
  w = tflw_new();
  t[0] = cst(w, "in", TML_FLOAT32, DIMS(4), NULL, 0, 0);
  t[1] = act(w, "out", TML_FLOAT32, DIMS(4), 0, 0);
  tflw_op(w, TML_OP_RELU, 1, t, 1, &t[1], 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, t, 1, &t[1], 1);
  snprintf(path, sizeof path, "%s/const_input.tflite", work);
  CHECK_EQ(write_model(w, path), 0);
  expect_refusal("constant input", path, "x", "constant tensor");

  /* A model output that is recurrent state. */
  w = svdf(TML_FLOAT32);
  t[0] = 0; /* the SVDF's input, output and state */
  t[1] = 5;
  t[2] = 4;
  tflw_io(w, t, 1, &t[1], 2);
  snprintf(path, sizeof path, "%s/state_output.tflite", work);
  CHECK_EQ(write_model(w, path), 0);
  expect_refusal("state output", path, "x", "variable tensor");

  /* Not a model. */
  snprintf(path, sizeof path, "%s/relu_s8.tflite", work);
  {
    size_t n;
    unsigned char *bytes = slurp(path, &n);
    FILE *f;
    snprintf(path, sizeof path, "%s/truncated.tflite", work);
    f = fopen(path, "wb");
    CHECK(bytes && f && fwrite(bytes, 1, n / 2, f) == n / 2);
    if (f) fclose(f);
    free(bytes);
  }
  expect_refusal("truncated", path, "x", "TML_ERR");
  snprintf(path, sizeof path, "%s/missing.tflite", work);
  expect_refusal("missing file", path, "x", "cannot read");

  /* Names that would collide with TML's own or are not C names. */
  snprintf(path, sizeof path, "%s/relu_s8.tflite", work);
  expect_refusal("name tml", path, "tml", "reserved");
  expect_refusal("name TML_x", path, "TML_x", "reserved");
  expect_refusal("name 9x", path, "9x", "C name");
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: test_compile_ops TML LIBTML WORKDIR\n");
    return 2;
  }
  tml_bin = argv[1];
  libtml = argv[2];
  work = argv[3];
  mkdir(work, 0777);
  compile_cases();
  refusals();
  return TEST_REPORT();
}
