/*
** test_ops_data.c — the runtime wiring of CONCATENATION, PAD, PADV2,
** TRANSPOSE, STRIDED_SLICE and MEAN: small models written with the .tflite
** writer, run through tml_model_load / tml_arena_size / tml_init /
** tml_invoke, outputs checked against hand-derived values; and the errors
** each preparer raises, identical from tml_arena_size and tml_init.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tflite_writer.h"
#include "tml.h"
#include "tml_reader.h"
#include "tml_test.h"

/* ------------------------------------------------------------ helpers */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* An activation tensor; quantized when scale > 0. */
static int act(tflw_model *w, int type, int rank, const int32_t *dims,
               float scale, int64_t zp) {
  return tflw_tensor(w, NULL, type, rank, dims, 0, scale > 0 ? &scale : NULL,
                     &zp, scale > 0 ? 1 : 0, 0, 0);
}

/* A constant tensor holding `bytes` of data; quantized when scale > 0. */
static int cst(tflw_model *w, int type, int rank, const int32_t *dims,
               const void *data, size_t bytes, float scale, int64_t zp) {
  const int b = tflw_buffer(w, data, bytes);
  return tflw_tensor(w, NULL, type, rank, dims, b, scale > 0 ? &scale : NULL,
                     &zp, scale > 0 ? 1 : 0, 0, 0);
}

/* A constant int32 vector. */
static int ivec(tflw_model *w, const int32_t *v, int n) {
  const int32_t d[1] = {n};
  return cst(w, TML_INT32, 1, d, v, sizeof(int32_t) * (size_t)n, 0, 0);
}

/* One operator; the model's inputs are given, its output is the op's. */
static void one_op(tflw_model *w, int builtin, int version, const int32_t *in,
                   int n_in, int out, int opt, const int32_t *model_in,
                   int n_model_in) {
  tflw_op(w, builtin, version, in, n_in, &out, 1, opt, NULL, 0);
  tflw_io(w, model_in, n_model_in, &out, 1);
}

typedef struct loaded {
  unsigned char *bytes;
  tml_model m;
  tml_interp it;
  void *arena;
} loaded;

/* Finish, load and initialise; the status of tml_arena_size and tml_init
** must agree. Frees the writer. */
static tml_status load(tflw_model *w, loaded *l, tml_error *err) {
  size_t size = 0, need = 0;
  tml_status s1, s2;
  tml_error e1;
  memset(l, 0, sizeof *l);
  CHECK_EQ(tflw_finish(w, &l->bytes, &size), 0);
  if (tflw_error(w)) fprintf(stderr, "writer: %s\n", tflw_error(w));
  tflw_free(w);
  if (!l->bytes) return TML_ERR_ARG;
  s1 = tml_model_load(&l->m, l->bytes, size, err);
  CHECK_EQ(s1, TML_OK);
  if (s1 != TML_OK) return s1;
  s1 = tml_arena_size(&l->m, &need, &e1);
  l->arena = malloc(s1 == TML_OK ? need : 1 << 16);
  s2 = tml_init(&l->it, &l->m, l->arena, s1 == TML_OK ? need : 1 << 16, err);
  CHECK_EQ(s1, s2);
  if (s1 != TML_OK) {
    CHECK_EQ(e1.op, err->op);
    CHECK_EQ(e1.tensor, err->tensor);
  }
  return s2;
}

static void unload(loaded *l) {
  free(l->arena);
  free(l->bytes);
}

/* Expect the model to fail preparing op 0 with `want`. */
#define EXPECT_ERR(w, want) expect_err((w), (want), __LINE__)
static void expect_err(tflw_model *w, tml_status want, int line) {
  loaded l;
  tml_error err;
  tml_status s = load(w, &l, &err);
  if (s != want)
    fprintf(stderr, "line %d: got %s (%s), want %s\n", line,
            tml_status_name(s), s ? err.message : "", tml_status_name(want));
  CHECK_EQ(s, want);
  if (s != TML_OK) CHECK_EQ(err.op, 0);
  unload(&l);
}

/* Run with the given input bytes (inputs in model order) and copy output 0
** into out (out_bytes expected). */
#define RUN(w, ins, sizes, n, out, bytes) \
  run((w), (ins), (sizes), (n), (out), (bytes), __LINE__)
static void run(tflw_model *w, const void *const *ins, const size_t *sizes,
                int n, void *out, size_t out_bytes, int line) {
  loaded l;
  tml_error err;
  tml_tensor t;
  int k;
  tml_status s = load(w, &l, &err);
  if (s != TML_OK)
    fprintf(stderr, "line %d: %s: %s\n", line, tml_status_name(s),
            err.message);
  CHECK_EQ(s, TML_OK);
  if (s == TML_OK) {
    for (k = 0; k < n; k++)
      CHECK_EQ(tml_set_input(&l.it, k, ins[k], sizes[k]), TML_OK);
    CHECK_EQ(tml_invoke(&l.it), TML_OK);
    CHECK_EQ(tml_output(&l.it, 0, &t), TML_OK);
    CHECK_EQ(t.bytes, out_bytes);
    if (t.bytes == out_bytes) memcpy(out, t.data, out_bytes);
  }
  unload(&l);
}

/* One input, one output. */
static void run1(tflw_model *w, const void *in, size_t in_bytes, void *out,
                 size_t out_bytes, int line) {
  const void *ins[1];
  size_t sizes[1];
  ins[0] = in;
  sizes[0] = in_bytes;
  run(w, ins, sizes, 1, out, out_bytes, line);
}
#define RUN1(w, in, out) run1((w), (in), sizeof(in), (out), sizeof(out), __LINE__)

/* ------------------------------------------------------------ CONCATENATION */

static int concat_opt(tflw_model *w, int axis, int act_fn) {
  const int o = tflw_opt_begin(w, TFLW_OPT_CONCATENATION);
  tflw_opt_i32(w, o, 0, axis);
  if (act_fn >= 0) tflw_opt_u8(w, o, 1, act_fn);
  return o;
}

static void test_concat(void) {
  /* int8 [2,2,3] ++ [2,1,3] along axis 1: per batch, a's two rows then b's
  ** row. */
  {
    const int32_t da[3] = {2, 2, 3}, db[3] = {2, 1, 3}, dout[3] = {2, 3, 3};
    const int8_t a[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const int8_t b[6] = {-1, -2, -3, -4, -5, -6};
    const int8_t want[18] = {1, 2, 3, 4, 5, 6, -1, -2, -3,
                             7, 8, 9, 10, 11, 12, -4, -5, -6};
    int8_t got[18];
    const void *ins[2];
    size_t sizes[2];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_INT8, 3, da, 0.5f, -3);
    in[1] = act(w, TML_INT8, 3, db, 0.5f, -3);
    out = act(w, TML_INT8, 3, dout, 0.5f, -3);
    one_op(w, TML_OP_CONCATENATION, 2, in, 2, out, concat_opt(w, 1, 0), in,
           2);
    ins[0] = a, ins[1] = b, sizes[0] = sizeof a, sizes[1] = sizeof b;
    RUN(w, ins, sizes, 2, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 18);
  }
  /* float, axis -1, three inputs: one constant, one the same tensor twice,
  ** no options table at all would mean axis 0, so one is given. */
  {
    const int32_t da[2] = {2, 1}, dc[2] = {2, 2}, dout[2] = {2, 4};
    const float a[2] = {1, 2}, c[4] = {10, 11, 12, 13};
    const float want[8] = {1, 10, 11, 1, 2, 12, 13, 2};
    float got[8];
    tflw_model *w = tflw_new();
    int32_t in[3];
    int out;
    in[0] = act(w, TML_FLOAT32, 2, da, 0, 0);
    in[1] = cst(w, TML_FLOAT32, 2, dc, c, sizeof c, 0, 0);
    in[2] = in[0];
    out = act(w, TML_FLOAT32, 2, dout, 0, 0);
    one_op(w, TML_OP_CONCATENATION, 1, in, 3, out, concat_opt(w, -1, -1), in,
           1);
    RUN1(w, a, got);
    CHECK_ARRAY_NEAR(got, want, 8, 0);
  }
  /* int16 (zero point 0) with no options: axis 0. */
  {
    const int32_t da[2] = {1, 2}, dout[2] = {2, 2};
    const int16_t a[2] = {-300, 300}, c[2] = {7, -7};
    const int16_t want[4] = {-300, 300, 7, -7};
    int16_t got[4];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_INT16, 2, da, 0.25f, 0);
    in[1] = cst(w, TML_INT16, 2, da, c, sizeof c, 0.25f, 0);
    out = act(w, TML_INT16, 2, dout, 0.25f, 0);
    one_op(w, TML_OP_CONCATENATION, 3, in, 2, out, TFLW_NO_OPTIONS, in, 1);
    RUN1(w, a, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  /* int64 and bool move whole elements. */
  {
    const int32_t d[1] = {2}, dout[1] = {4};
    const int64_t a[2] = {INT64_C(1) << 40, -1}, c[2] = {3, INT64_MIN};
    const int64_t want[4] = {INT64_C(1) << 40, -1, 3, INT64_MIN};
    int64_t got[4];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out, k, same = 1;
    in[0] = act(w, TML_INT64, 1, d, 0, 0);
    in[1] = cst(w, TML_INT64, 1, d, c, sizeof c, 0, 0);
    out = act(w, TML_INT64, 1, dout, 0, 0);
    one_op(w, TML_OP_CONCATENATION, 1, in, 2, out, concat_opt(w, 0, 0), in,
           1);
    RUN1(w, a, got);
    for (k = 0; k < 4; k++) same &= got[k] == want[k];
    CHECK(same);
  }
  {
    const int32_t d[2] = {2, 1}, dout[2] = {2, 2};
    const uint8_t a[2] = {1, 0}, c[2] = {0, 1}, want[4] = {1, 0, 0, 1};
    uint8_t got[4];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_BOOL, 2, d, 0, 0);
    in[1] = cst(w, TML_BOOL, 2, d, c, sizeof c, 0, 0);
    out = act(w, TML_BOOL, 2, dout, 0, 0);
    one_op(w, TML_OP_CONCATENATION, 1, in, 2, out, concat_opt(w, 1, 0), in,
           1);
    RUN1(w, a, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
}

/* A concat of `n` int8 [1,2] inputs along axis 1 with variations. */
enum { CC_OK, CC_RELU, CC_SCALE, CC_ZP, CC_TYPE, CC_SHAPE, CC_RANK, CC_AXIS,
       CC_OPT_TAG, CC_UINT8, CC_I16_ZP, CC_OUT_SHAPE, CC_SCALAR };
static tflw_model *concat_model(int n, int variant, int version) {
  const int32_t d[2] = {1, 2}, d3[2] = {1, 3}, r3[3] = {1, 2, 1};
  int32_t dout[2] = {1, 0};
  int32_t in[16];
  tflw_model *w = tflw_new();
  const int type = variant == CC_UINT8   ? TML_UINT8
                   : variant == CC_I16_ZP ? TML_INT16
                                          : TML_INT8;
  int out, k, opt;
  dout[1] = 2 * n + (variant == CC_OUT_SHAPE);
  for (k = 0; k < n; k++) {
    const int last = k == n - 1;
    if (last && variant == CC_SCALE)
      in[k] = act(w, type, 2, d, 0.25f, 1);
    else if (last && variant == CC_ZP)
      in[k] = act(w, type, 2, d, 0.5f, 2);
    else if (last && variant == CC_TYPE)
      in[k] = act(w, TML_INT16, 2, d, 0.5f, 0);
    else if (last && variant == CC_SHAPE)
      in[k] = act(w, type, 2, d3, 0.5f, 1);
    else if (last && variant == CC_RANK)
      in[k] = act(w, type, 3, r3, 0.5f, 1);
    else
      in[k] = act(w, type, 2, d, 0.5f, 1);
  }
  if (variant == CC_SCALAR) {
    out = act(w, type, 0, d, 0.5f, 1);
  } else {
    out = act(w, type, 2, dout, 0.5f, 1);
  }
  if (variant == CC_OPT_TAG) {
    opt = tflw_opt_begin(w, TFLW_OPT_ADD);
  } else {
    opt = concat_opt(w, variant == CC_AXIS ? 2 : 1,
                     variant == CC_RELU ? 1 : 0);
  }
  one_op(w, TML_OP_CONCATENATION, version, in, n, out, opt, in, n);
  return w;
}

static void test_concat_errors(void) {
  loaded l;
  tml_error err;
  /* Ten inputs (TFLite Micro's limit) work; eleven do not. */
  CHECK_EQ(load(concat_model(10, CC_OK, 2), &l, &err), TML_OK);
  unload(&l);
  EXPECT_ERR(concat_model(11, CC_OK, 2), TML_ERR_SCHEMA);
  EXPECT_ERR(concat_model(2, CC_RELU, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(concat_model(2, CC_SCALE, 2), TML_ERR_QUANT);
  EXPECT_ERR(concat_model(2, CC_ZP, 2), TML_ERR_QUANT);
  EXPECT_ERR(concat_model(2, CC_TYPE, 2), TML_ERR_TYPE);
  EXPECT_ERR(concat_model(2, CC_SHAPE, 2), TML_ERR_SHAPE);
  EXPECT_ERR(concat_model(2, CC_RANK, 2), TML_ERR_SHAPE);
  EXPECT_ERR(concat_model(2, CC_AXIS, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(concat_model(2, CC_OPT_TAG, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(concat_model(2, CC_UINT8, 2), TML_ERR_TYPE);
  EXPECT_ERR(concat_model(2, CC_I16_ZP, 3), TML_ERR_QUANT);
  EXPECT_ERR(concat_model(2, CC_OUT_SHAPE, 2), TML_ERR_SHAPE);
  EXPECT_ERR(concat_model(2, CC_SCALAR, 2), TML_ERR_SHAPE);
  EXPECT_ERR(concat_model(2, CC_OK, 4), TML_ERR_OP_VERSION);
}

/* ------------------------------------------------------------ PAD, PADV2 */

static void test_pad(void) {
  /* int8 PAD pads with the output zero point (-5 here): [1,2,2,1] with
  ** (1,1) rows and (1,0) columns -> [1,4,3,1]. */
  {
    const int32_t din[4] = {1, 2, 2, 1}, dout[4] = {1, 4, 3, 1};
    const int32_t dp[2] = {4, 2};
    const int32_t pads[8] = {0, 0, 1, 1, 1, 0, 0, 0};
    const int8_t x[4] = {1, 2, 3, 4};
    const int8_t want[12] = {-5, -5, -5, -5, 1, 2, -5, 3, 4, -5, -5, -5};
    int8_t got[12];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_INT8, 4, din, 0.1f, -5);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    out = act(w, TML_INT8, 4, dout, 0.1f, -5);
    one_op(w, TML_OP_PAD, 2, in, 2, out, tflw_opt_begin(w, TFLW_OPT_PAD), in,
           1);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 12);
  }
  /* float PAD pads with 0; no options table. */
  {
    const int32_t din[2] = {1, 2}, dout[2] = {2, 3}, dp[2] = {2, 2};
    const int32_t pads[4] = {1, 0, 0, 1};
    const float x[2] = {1.5f, -2.5f};
    const float want[6] = {0, 0, 0, 1.5f, -2.5f, 0};
    float got[6];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_FLOAT32, 2, din, 0, 0);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    out = act(w, TML_FLOAT32, 2, dout, 0, 0);
    one_op(w, TML_OP_PAD, 1, in, 2, out, TFLW_NO_OPTIONS, in, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_NEAR(got, want, 6, 0);
  }
  /* int16 PAD pads with 0 whatever the zero point (TFLite's choice). */
  {
    const int32_t din[1] = {2}, dout[1] = {4}, dp[2] = {1, 2};
    const int32_t pads[2] = {1, 1};
    const int16_t x[2] = {-1000, 1000}, want[4] = {0, -1000, 1000, 0};
    int16_t got[4];
    tflw_model *w = tflw_new();
    int32_t in[2];
    int out;
    in[0] = act(w, TML_INT16, 1, din, 0.5f, 3);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    out = act(w, TML_INT16, 1, dout, 0.5f, 3);
    one_op(w, TML_OP_PAD, 3, in, 2, out, TFLW_NO_OPTIONS, in, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  /* PADV2 int8 with a constant value sharing the output quantization. */
  {
    const int32_t din[2] = {1, 1}, dout[2] = {3, 2}, dp[2] = {2, 2};
    const int32_t d0[1] = {1};
    const int32_t pads[4] = {1, 1, 0, 1};
    const int8_t x[1] = {9}, v[1] = {7};
    const int8_t want[6] = {7, 7, 9, 7, 7, 7};
    int8_t got[6];
    tflw_model *w = tflw_new();
    int32_t in[3];
    int out;
    in[0] = act(w, TML_INT8, 2, din, 0.1f, 2);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    in[2] = cst(w, TML_INT8, 1, d0, v, sizeof v, 0.1f, 2);
    out = act(w, TML_INT8, 2, dout, 0.1f, 2);
    one_op(w, TML_OP_PADV2, 2, in, 3, out,
           tflw_opt_begin(w, TFLW_OPT_PADV2), in, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  /* PADV2 float whose value is a model input (read at every invoke), and a
  ** scalar value tensor. */
  {
    const int32_t din[1] = {2}, dout[1] = {5}, dp[2] = {1, 2};
    const int32_t pads[2] = {2, 1};
    const float x[2] = {1, 2}, v[1] = {-9.5f};
    const float want[5] = {-9.5f, -9.5f, 1, 2, -9.5f};
    float got[5];
    const void *ins[2];
    size_t sizes[2];
    tflw_model *w = tflw_new();
    int32_t in[3], model_in[2];
    int out;
    in[0] = act(w, TML_FLOAT32, 1, din, 0, 0);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    in[2] = act(w, TML_FLOAT32, 0, din, 0, 0);
    out = act(w, TML_FLOAT32, 1, dout, 0, 0);
    model_in[0] = in[0], model_in[1] = in[2];
    one_op(w, TML_OP_PADV2, 1, in, 3, out, TFLW_NO_OPTIONS, model_in, 2);
    ins[0] = x, ins[1] = v, sizes[0] = sizeof x, sizes[1] = sizeof v;
    RUN(w, ins, sizes, 2, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 5, 0);
  }
  /* PAD given a third input pads with it (TFLite Micro prepares PAD and
  ** PADV2 alike); int32; 5-D. */
  {
    const int32_t din[5] = {1, 1, 1, 1, 2}, dout[5] = {1, 1, 2, 1, 2};
    const int32_t dp[2] = {5, 2};
    const int32_t pads[10] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    const int32_t x[2] = {5, -6}, v = 77, want[4] = {5, -6, 77, 77};
    int32_t got[4];
    tflw_model *w = tflw_new();
    int32_t in[3];
    int out;
    in[0] = act(w, TML_INT32, 5, din, 0, 0);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    in[2] = cst(w, TML_INT32, 0, din, &v, sizeof v, 0, 0);
    out = act(w, TML_INT32, 5, dout, 0, 0);
    one_op(w, TML_OP_PAD, 4, in, 3, out, TFLW_NO_OPTIONS, in, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  /* An omitted third input (-1) is no value: int8 pads with the zero
  ** point. */
  {
    const int32_t din[1] = {1}, dout[1] = {2}, dp[2] = {1, 2};
    const int32_t pads[2] = {0, 1};
    const int8_t x[1] = {4}, want[2] = {4, -128};
    int8_t got[2];
    tflw_model *w = tflw_new();
    int32_t in[3];
    int out;
    in[0] = act(w, TML_INT8, 1, din, 1.0f, -128);
    in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    in[2] = -1;
    out = act(w, TML_INT8, 1, dout, 1.0f, -128);
    one_op(w, TML_OP_PADV2, 2, in, 3, out, TFLW_NO_OPTIONS, in, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 2);
  }
}

enum { PD_OK, PD_PADS_VAR, PD_PADS_I64, PD_PADS_COUNT, PD_OUT_SHAPE,
       PD_NEGATIVE, PD_VAL_TYPE, PD_VAL_QUANT, PD_VAL_COUNT, PD_RANK6,
       PD_UINT8, PD_OPT_TAG, PD_ZP_RANGE, PD_OUT_RANK, PD_OUT_TYPE };
static tflw_model *pad_model(int variant, int version) {
  const int32_t din[2] = {2, 2}, dp[2] = {2, 2}, d0[1] = {1}, d2[1] = {2};
  const int32_t pads[4] = {1, 0, 0, 1}, neg[4] = {1, 0, -1, 2};
  const int64_t pads64[4] = {1, 0, 0, 1};
  const int32_t d6[6] = {1, 1, 1, 1, 2, 2}, dp6[2] = {6, 2};
  const int32_t pads6[12] = {0};
  const int8_t v[2] = {3, 3};
  int32_t dout[2] = {3, 3}, out3[3] = {3, 3, 1};
  tflw_model *w = tflw_new();
  const int type = variant == PD_UINT8 ? TML_UINT8 : TML_INT8;
  const int64_t zp = variant == PD_ZP_RANGE ? 200 : 1;
  int32_t in[3];
  int out, n_in = variant >= PD_VAL_TYPE && variant <= PD_VAL_COUNT ? 3 : 2;
  int opt = TFLW_NO_OPTIONS;
  if (variant == PD_OUT_SHAPE) dout[1] = 4;
  if (variant == PD_RANK6) {
    in[0] = act(w, type, 6, d6, 0.5f, zp);
    in[1] = cst(w, TML_INT32, 2, dp6, pads6, sizeof pads6, 0, 0);
    out = act(w, type, 6, d6, 0.5f, zp);
  } else {
    in[0] = act(w, type, 2, din, 0.5f, zp);
    if (variant == PD_PADS_VAR)
      in[1] = act(w, TML_INT32, 2, dp, 0, 0);
    else if (variant == PD_PADS_I64)
      in[1] = cst(w, TML_INT64, 2, dp, pads64, sizeof pads64, 0, 0);
    else if (variant == PD_PADS_COUNT)
      in[1] = cst(w, TML_INT32, 1, d2, pads, 8, 0, 0);
    else if (variant == PD_NEGATIVE)
      in[1] = cst(w, TML_INT32, 2, dp, neg, sizeof neg, 0, 0);
    else
      in[1] = cst(w, TML_INT32, 2, dp, pads, sizeof pads, 0, 0);
    if (variant == PD_OUT_RANK)
      out = act(w, type, 3, out3, 0.5f, zp);
    else
      out = act(w, variant == PD_OUT_TYPE ? TML_INT16 : type, 2, dout, 0.5f,
                zp);
  }
  if (variant == PD_VAL_TYPE)
    in[2] = cst(w, TML_INT16, 1, d0, v, 2, 0.5f, zp);
  else if (variant == PD_VAL_QUANT)
    in[2] = cst(w, TML_INT8, 1, d0, v, 1, 0.25f, zp);
  else if (variant == PD_VAL_COUNT)
    in[2] = cst(w, TML_INT8, 1, d2, v, 2, 0.5f, zp);
  if (variant == PD_OPT_TAG) opt = tflw_opt_begin(w, TFLW_OPT_PADV2);
  one_op(w, TML_OP_PAD, version, in, n_in, out, opt, in, 1);
  return w;
}

static void test_pad_errors(void) {
  loaded l;
  tml_error err;
  CHECK_EQ(load(pad_model(PD_OK, 2), &l, &err), TML_OK);
  unload(&l);
  EXPECT_ERR(pad_model(PD_PADS_VAR, 2), TML_ERR_BUFFER);
  EXPECT_ERR(pad_model(PD_PADS_I64, 2), TML_ERR_TYPE);
  EXPECT_ERR(pad_model(PD_PADS_COUNT, 2), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_OUT_SHAPE, 2), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_NEGATIVE, 2), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_VAL_TYPE, 2), TML_ERR_TYPE);
  EXPECT_ERR(pad_model(PD_VAL_QUANT, 2), TML_ERR_QUANT);
  EXPECT_ERR(pad_model(PD_VAL_COUNT, 2), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_RANK6, 4), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_UINT8, 1), TML_ERR_TYPE);
  EXPECT_ERR(pad_model(PD_OPT_TAG, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(pad_model(PD_ZP_RANGE, 2), TML_ERR_QUANT);
  EXPECT_ERR(pad_model(PD_OUT_RANK, 2), TML_ERR_SHAPE);
  EXPECT_ERR(pad_model(PD_OUT_TYPE, 2), TML_ERR_TYPE);
  EXPECT_ERR(pad_model(PD_OK, 5), TML_ERR_OP_VERSION);
  {
    /* PAD with one input. */
    const int32_t d[1] = {2};
    tflw_model *w = tflw_new();
    int32_t in[1];
    in[0] = act(w, TML_INT8, 1, d, 0.5f, 0);
    one_op(w, TML_OP_PAD, 2, in, 1, act(w, TML_INT8, 1, d, 0.5f, 0),
           TFLW_NO_OPTIONS, in, 1);
    EXPECT_ERR(w, TML_ERR_SCHEMA);
  }
}

/* ------------------------------------------------------------ TRANSPOSE */

static int transpose_model(tflw_model *w, int type, int rank,
                           const int32_t *din, const int32_t *perm,
                           const int32_t *dout, int version) {
  int32_t in[2];
  int out;
  in[0] = act(w, type, rank, din, type == TML_FLOAT32 ? 0 : 0.5f, 0);
  in[1] = ivec(w, perm, rank);
  out = act(w, type, rank, dout, type == TML_FLOAT32 ? 0 : 0.5f, 0);
  one_op(w, TML_OP_TRANSPOSE, version, in, 2, out,
         tflw_opt_begin(w, TFLW_OPT_TRANSPOSE), in, 1);
  return out;
}

static void test_transpose(void) {
  {
    const int32_t din[2] = {2, 3}, perm[2] = {1, 0}, dout[2] = {3, 2};
    const int8_t x[6] = {1, 2, 3, 4, 5, 6}, want[6] = {1, 4, 2, 5, 3, 6};
    int8_t got[6];
    tflw_model *w = tflw_new();
    transpose_model(w, TML_INT8, 2, din, perm, dout, 2);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  /* float NHWC -> NCHW: out[0][c][h][w] = in[0][h][w][c]. */
  {
    const int32_t din[4] = {1, 2, 3, 2}, perm[4] = {0, 3, 1, 2};
    const int32_t dout[4] = {1, 2, 2, 3};
    float x[12], want[12], got[12];
    int h, wi, c;
    tflw_model *w = tflw_new();
    for (h = 0; h < 2; h++)
      for (wi = 0; wi < 3; wi++)
        for (c = 0; c < 2; c++) {
          x[(h * 3 + wi) * 2 + c] = (float)(100 * h + 10 * wi + c);
          want[(c * 2 + h) * 3 + wi] = (float)(100 * h + 10 * wi + c);
        }
    transpose_model(w, TML_FLOAT32, 4, din, perm, dout, 1);
    RUN1(w, x, got);
    CHECK_ARRAY_NEAR(got, want, 12, 0);
  }
  /* int16, 3-D, perm (2,0,1): out[k][i][j] = in[i][j][k]. */
  {
    const int32_t din[3] = {2, 2, 3}, perm[3] = {2, 0, 1};
    const int32_t dout[3] = {3, 2, 2};
    int16_t x[12], want[12], got[12];
    int i, j, k;
    tflw_model *w = tflw_new();
    for (i = 0; i < 2; i++)
      for (j = 0; j < 2; j++)
        for (k = 0; k < 3; k++) {
          x[(i * 2 + j) * 3 + k] = (int16_t)(1000 * i + 100 * j + k - 3000);
          want[(k * 2 + i) * 2 + j] = (int16_t)(1000 * i + 100 * j + k - 3000);
        }
    transpose_model(w, TML_INT16, 3, din, perm, dout, 5);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 12);
  }
  /* 5-D: swap the last two dims. */
  {
    const int32_t din[5] = {1, 1, 1, 2, 3}, perm[5] = {0, 1, 2, 4, 3};
    const int32_t dout[5] = {1, 1, 1, 3, 2};
    const int8_t x[6] = {1, 2, 3, 4, 5, 6}, want[6] = {1, 4, 2, 5, 3, 6};
    int8_t got[6];
    tflw_model *w = tflw_new();
    transpose_model(w, TML_INT8, 5, din, perm, dout, 4);
    RUN1(w, x, got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
}

static void test_transpose_errors(void) {
  const int32_t d2[2] = {2, 3}, d2t[2] = {3, 2}, p10[2] = {1, 0};
  const int32_t p00[2] = {0, 0}, p12[2] = {1, 2}, p3[3] = {1, 0, 2};
  const int64_t p64[2] = {1, 0};
  const int32_t d6[6] = {1, 1, 1, 1, 2, 3}, p6[6] = {0, 1, 2, 3, 5, 4};
  const int32_t d6t[6] = {1, 1, 1, 1, 3, 2}, dv[1] = {2};
  tflw_model *w;
  int32_t in[2];
  w = tflw_new();
  transpose_model(w, TML_INT8, 2, d2, p00, d2t, 2);
  EXPECT_ERR(w, TML_ERR_OPTIONS);
  w = tflw_new();
  transpose_model(w, TML_INT8, 2, d2, p12, d2t, 2);
  EXPECT_ERR(w, TML_ERR_OPTIONS);
  w = tflw_new();
  transpose_model(w, TML_INT8, 2, d2, p10, d2, 2); /* output not permuted */
  EXPECT_ERR(w, TML_ERR_SHAPE);
  w = tflw_new();
  transpose_model(w, TML_INT32, 2, d2, p10, d2t, 1);
  EXPECT_ERR(w, TML_ERR_TYPE);
  w = tflw_new();
  transpose_model(w, TML_INT8, 6, d6, p6, d6t, 5);
  EXPECT_ERR(w, TML_ERR_SHAPE);
  w = tflw_new();
  transpose_model(w, TML_INT8, 2, d2, p10, d2t, 6);
  EXPECT_ERR(w, TML_ERR_OP_VERSION);
  /* perm of the wrong length, not constant, int64; output type. */
  w = tflw_new();
  in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
  in[1] = ivec(w, p3, 3);
  one_op(w, TML_OP_TRANSPOSE, 2, in, 2, act(w, TML_INT8, 2, d2t, 0.5f, 0),
         TFLW_NO_OPTIONS, in, 1);
  EXPECT_ERR(w, TML_ERR_SHAPE);
  w = tflw_new();
  in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
  in[1] = act(w, TML_INT32, 1, dv, 0, 0);
  one_op(w, TML_OP_TRANSPOSE, 2, in, 2, act(w, TML_INT8, 2, d2t, 0.5f, 0),
         TFLW_NO_OPTIONS, in, 2);
  EXPECT_ERR(w, TML_ERR_BUFFER);
  w = tflw_new();
  in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
  in[1] = cst(w, TML_INT64, 1, dv, p64, sizeof p64, 0, 0);
  one_op(w, TML_OP_TRANSPOSE, 2, in, 2, act(w, TML_INT8, 2, d2t, 0.5f, 0),
         TFLW_NO_OPTIONS, in, 1);
  EXPECT_ERR(w, TML_ERR_TYPE);
  w = tflw_new();
  in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
  in[1] = ivec(w, p10, 2);
  one_op(w, TML_OP_TRANSPOSE, 2, in, 2, act(w, TML_FLOAT32, 2, d2t, 0, 0),
         TFLW_NO_OPTIONS, in, 1);
  EXPECT_ERR(w, TML_ERR_TYPE);
  w = tflw_new();
  in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
  in[1] = ivec(w, p10, 2);
  one_op(w, TML_OP_TRANSPOSE, 2, in, 2, act(w, TML_INT8, 2, d2t, 0.5f, 0),
         tflw_opt_begin(w, TFLW_OPT_RESHAPE), in, 1);
  EXPECT_ERR(w, TML_ERR_OPTIONS);
}

/* ------------------------------------------------------------ STRIDED_SLICE */

typedef struct slice_case {
  int rank;
  int32_t din[4];
  int32_t begin[4], end[4], strides[4];
  int32_t begin_mask, end_mask, shrink;
  int out_rank;
  int32_t dout[4];
} slice_case;

static tflw_model *slice_model(int type, const slice_case *c, int version,
                               int32_t ellipsis, int offset) {
  tflw_model *w = tflw_new();
  int32_t in[4];
  int out, o;
  in[0] = act(w, type, c->rank, c->din, type == TML_INT8 ? 0.5f : 0, 0);
  in[1] = ivec(w, c->begin, c->rank);
  in[2] = ivec(w, c->end, c->rank);
  in[3] = ivec(w, c->strides, c->rank);
  out = act(w, type, c->out_rank, c->dout, type == TML_INT8 ? 0.5f : 0, 0);
  o = tflw_opt_begin(w, TFLW_OPT_STRIDED_SLICE);
  tflw_opt_i32(w, o, 0, c->begin_mask);
  tflw_opt_i32(w, o, 1, c->end_mask);
  if (ellipsis) tflw_opt_i32(w, o, 2, ellipsis);
  tflw_opt_i32(w, o, 4, c->shrink);
  if (offset) tflw_opt_u8(w, o, 5, 1);
  one_op(w, TML_OP_STRIDED_SLICE, version, in, 4, out, o, in, 1);
  return w;
}

static void test_strided_slice(void) {
  /* int8 [3,4], rows 1..2, every other column from 0. */
  {
    const slice_case c = {2, {3, 4}, {1, 0}, {3, 4}, {1, 2}, 0, 0, 0,
                          2, {2, 2}};
    const int8_t x[12] = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
    const int8_t want[4] = {10, 12, 20, 22};
    int8_t got[4];
    RUN1(slice_model(TML_INT8, &c, 2, 0, 0), x, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  /* float, negative begin and stride: from the last element down to (not
  ** including) index 0. */
  {
    const slice_case c = {1, {5}, {-1}, {0}, {-1}, 0, 0, 0, 1, {4}};
    const float x[5] = {0, 1, 2, 3, 4}, want[4] = {4, 3, 2, 1};
    float got[4];
    RUN1(slice_model(TML_FLOAT32, &c, 1, 0, 0), x, got);
    CHECK_ARRAY_NEAR(got, want, 4, 0);
  }
  /* end_mask with a negative stride runs to index 0; begin_mask on dim 0
  ** starts at 0 whatever begin says. */
  {
    const slice_case c = {2, {2, 4}, {1, 2}, {2, 0}, {1, -2}, 1, 2, 0,
                          2, {2, 2}};
    const int16_t x[8] = {0, 1, 2, 3, 10, 11, 12, 13};
    const int16_t want[4] = {2, 0, 12, 10};
    int16_t got[4];
    RUN1(slice_model(TML_INT16, &c, 1, 0, 0), x, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  /* shrink_axis_mask drops dim 0: row -1 (the last) of a [2,3] int32. */
  {
    const slice_case c = {2, {2, 3}, {-1, 0}, {0, 3}, {1, 1}, 0, 0, 1,
                          1, {3}};
    const int32_t x[6] = {1, 2, 3, 4, 5, 6}, want[3] = {4, 5, 6};
    int32_t got[3];
    RUN1(slice_model(TML_INT32, &c, 1, 0, 0), x, got);
    CHECK_ARRAY_EQ(got, want, 3);
  }
  /* Out-of-range begin/end clamp; 4-D; bool. */
  {
    const slice_case c = {4, {1, 2, 2, 2}, {0, -9, 1, 0}, {1, 9, 2, 9},
                          {1, 1, 1, 1}, 0, 0, 0, 4, {1, 2, 1, 2}};
    const uint8_t x[8] = {1, 0, 0, 1, 1, 1, 0, 0}, want[4] = {0, 1, 0, 0};
    uint8_t got[4];
    RUN1(slice_model(TML_BOOL, &c, 3, 0, 0), x, got);
    CHECK_ARRAY_EQ(got, want, 4);
  }
}

static void test_strided_slice_errors(void) {
  const slice_case ok = {2, {3, 4}, {1, 0}, {3, 4}, {1, 2}, 0, 0, 0,
                         2, {2, 2}};
  slice_case c;
  tflw_model *w;
  int32_t in[4];
  loaded l;
  tml_error err;
  CHECK_EQ(load(slice_model(TML_INT8, &ok, 2, 0, 0), &l, &err), TML_OK);
  unload(&l);
  c = ok, c.strides[1] = 0;
  EXPECT_ERR(slice_model(TML_INT8, &c, 2, 0, 0), TML_ERR_OPTIONS);
  EXPECT_ERR(slice_model(TML_INT8, &ok, 2, 1, 0), TML_ERR_OPTIONS);
  EXPECT_ERR(slice_model(TML_INT8, &ok, 2, 0, 1), TML_ERR_OPTIONS);
  c = ok, c.dout[1] = 3;
  EXPECT_ERR(slice_model(TML_INT8, &c, 2, 0, 0), TML_ERR_SHAPE);
  c = ok, c.shrink = 1; /* shrinks a dim the output keeps */
  EXPECT_ERR(slice_model(TML_INT8, &c, 2, 0, 0), TML_ERR_SHAPE);
  c = ok, c.shrink = 1, c.begin[0] = 5; /* shrunk dim selects nothing */
  c.out_rank = 1, c.dout[0] = 2;
  EXPECT_ERR(slice_model(TML_INT8, &c, 2, 0, 0), TML_ERR_OPTIONS);
  EXPECT_ERR(slice_model(TML_UINT8, &ok, 1, 0, 0), TML_ERR_TYPE);
  EXPECT_ERR(slice_model(TML_INT8, &ok, 4, 0, 0), TML_ERR_OP_VERSION);
  {
    const int32_t d5[5] = {1, 1, 1, 1, 2}, v5[5] = {0, 0, 0, 0, 0};
    const int32_t e5[5] = {1, 1, 1, 1, 2}, s5[5] = {1, 1, 1, 1, 1};
    w = tflw_new();
    in[0] = act(w, TML_INT8, 5, d5, 0.5f, 0);
    in[1] = ivec(w, v5, 5);
    in[2] = ivec(w, e5, 5);
    in[3] = ivec(w, s5, 5);
    one_op(w, TML_OP_STRIDED_SLICE, 3, in, 4,
           act(w, TML_INT8, 5, d5, 0.5f, 0), TFLW_NO_OPTIONS, in, 1);
    EXPECT_ERR(w, TML_ERR_SHAPE);
  }
  /* begin not constant; end of the wrong length; strides int64. */
  {
    const int32_t d2[2] = {3, 4}, dv[1] = {2}, dout[2] = {2, 2};
    const int32_t b[2] = {1, 0}, e[3] = {3, 4, 1}, s[2] = {1, 2};
    const int64_t s64[2] = {1, 2};
    int32_t model_in[2];
    w = tflw_new();
    in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
    in[1] = act(w, TML_INT32, 1, dv, 0, 0);
    in[2] = ivec(w, e, 2);
    in[3] = ivec(w, s, 2);
    model_in[0] = in[0], model_in[1] = in[1];
    one_op(w, TML_OP_STRIDED_SLICE, 2, in, 4,
           act(w, TML_INT8, 2, dout, 0.5f, 0), TFLW_NO_OPTIONS, model_in, 2);
    EXPECT_ERR(w, TML_ERR_BUFFER);
    w = tflw_new();
    in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
    in[1] = ivec(w, b, 2);
    in[2] = ivec(w, e, 3);
    in[3] = ivec(w, s, 2);
    one_op(w, TML_OP_STRIDED_SLICE, 2, in, 4,
           act(w, TML_INT8, 2, dout, 0.5f, 0), TFLW_NO_OPTIONS, in, 1);
    EXPECT_ERR(w, TML_ERR_SHAPE);
    w = tflw_new();
    in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
    in[1] = ivec(w, b, 2);
    in[2] = ivec(w, e, 2);
    in[3] = cst(w, TML_INT64, 1, dv, s64, sizeof s64, 0, 0);
    one_op(w, TML_OP_STRIDED_SLICE, 2, in, 4,
           act(w, TML_INT8, 2, dout, 0.5f, 0), TFLW_NO_OPTIONS, in, 1);
    EXPECT_ERR(w, TML_ERR_TYPE);
    /* Three inputs. */
    w = tflw_new();
    in[0] = act(w, TML_INT8, 2, d2, 0.5f, 0);
    in[1] = ivec(w, b, 2);
    in[2] = ivec(w, e, 2);
    one_op(w, TML_OP_STRIDED_SLICE, 2, in, 3,
           act(w, TML_INT8, 2, dout, 0.5f, 0), TFLW_NO_OPTIONS, in, 1);
    EXPECT_ERR(w, TML_ERR_SCHEMA);
  }
}

/* ------------------------------------------------------------ MEAN */

static tflw_model *mean_model(int type, int rank, const int32_t *din,
                              const int32_t *axes, int n_axes, int keep,
                              int out_rank, const int32_t *dout, float in_s,
                              int64_t in_zp, float out_s, int64_t out_zp,
                              int version) {
  tflw_model *w = tflw_new();
  int32_t in[2];
  int out, o;
  in[0] = act(w, type, rank, din, in_s, in_zp);
  in[1] = ivec(w, axes, n_axes);
  out = act(w, type, out_rank, dout, out_s, out_zp);
  o = tflw_opt_begin(w, TFLW_OPT_REDUCER);
  tflw_opt_u8(w, o, 0, keep);
  one_op(w, TML_OP_MEAN, version, in, 2, out, o, in, 1);
  return w;
}

static void test_mean(void) {
  /* float global average pool: [1,2,2,3] over (1,2), keep_dims. */
  {
    const int32_t din[4] = {1, 2, 2, 3}, ax[2] = {1, 2};
    const int32_t dout[4] = {1, 1, 1, 3};
    const float x[12] = {1, 10, -1, 2, 20, -2, 3, 30, -3, 4, 40, -6};
    const float want[3] = {2.5f, 25.0f, -3.0f};
    float got[3];
    RUN1(mean_model(TML_FLOAT32, 4, din, ax, 2, 1, 4, dout, 0, 0, 0, 0, 1), x,
         got);
    CHECK_ARRAY_NEAR(got, want, 3, 1e-6);
  }
  /* float over dims 0 and 2 of [2,3,2] (not neighbours), no keep_dims:
  ** out[j] = mean over i, k of x[i][j][k]. */
  {
    const int32_t din[3] = {2, 3, 2}, ax[2] = {0, -1}, dout[1] = {3};
    float x[12], want[3] = {0, 0, 0}, got[3];
    int i, j, k;
    for (i = 0; i < 2; i++)
      for (j = 0; j < 3; j++)
        for (k = 0; k < 2; k++) {
          x[(i * 3 + j) * 2 + k] = (float)(8 * i + 2 * j + k);
          want[j] += (float)(8 * i + 2 * j + k) / 4;
        }
    RUN1(mean_model(TML_FLOAT32, 3, din, ax, 2, 0, 1, dout, 0, 0, 0, 0, 1), x,
         got);
    CHECK_ARRAY_NEAR(got, want, 3, 1e-6);
  }
  /* int8 over the last axis, zero points 10 -> -5, equal scales:
  ** real rows (1,2,4) and (-3,-3,-4) have means 7/3 and -10/3, which round
  ** to 2 and -3; plus the output zero point. The axis list repeats an
  ** entry (1 and -1 are the same dim). */
  {
    const int32_t din[2] = {2, 3}, ax[3] = {1, -1, 1}, dout[1] = {2};
    const int8_t x[6] = {11, 12, 14, 7, 7, 6}, want[2] = {-3, -8};
    int8_t got[2];
    RUN1(mean_model(TML_INT8, 2, din, ax, 3, 0, 1, dout, 0.5f, 10, 0.5f, -5,
                    2),
         x, got);
    CHECK_ARRAY_EQ(got, want, 2);
  }
  /* int16, output scale half the input's: the mean doubles.
  ** (100 + 200 + 301) / 3 * 2 = 400.67 -> 401; (-7 - 8 - 9) / 3 * 2 = -16.
  ** Output in the keep_dims shape although keep_dims is false (same bytes,
  ** accepted). */
  {
    const int32_t din[2] = {2, 3}, ax[1] = {1}, dout[2] = {2, 1};
    const int16_t x[6] = {100, 200, 301, -7, -8, -9}, want[2] = {401, -16};
    int16_t got[2];
    RUN1(mean_model(TML_INT16, 2, din, ax, 1, 0, 2, dout, 1.0f, 0, 0.5f, 0,
                    3),
         x, got);
    CHECK_ARRAY_EQ(got, want, 2);
  }
  /* Every axis, no keep_dims: a scalar. */
  {
    const int32_t din[2] = {2, 2}, ax[2] = {0, 1}, dout[1] = {1};
    const int8_t x[4] = {1, 2, 3, 6}, want[1] = {3};
    int8_t got[1];
    RUN1(mean_model(TML_INT8, 2, din, ax, 2, 0, 0, dout, 1.0f, 0, 1.0f, 0, 2),
         x, got);
    CHECK_ARRAY_EQ(got, want, 1);
  }
}

static void test_mean_errors(void) {
  const int32_t din[2] = {2, 3}, ax1[1] = {1}, ax3[1] = {2}, axn[1] = {-3};
  const int32_t dout[1] = {2}, dbad[1] = {3}, dv[1] = {1};
  const int64_t ax64[1] = {1};
  tflw_model *w;
  int32_t in[2];
  loaded l;
  tml_error err;
  CHECK_EQ(load(mean_model(TML_INT8, 2, din, ax1, 1, 0, 1, dout, 0.5f, 0,
                           0.5f, 0, 2), &l, &err), TML_OK);
  CHECK(l.it.ready);
  unload(&l);
  EXPECT_ERR(mean_model(TML_INT8, 2, din, ax3, 1, 0, 1, dout, 0.5f, 0, 0.5f,
                        0, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(mean_model(TML_INT8, 2, din, axn, 1, 0, 1, dout, 0.5f, 0, 0.5f,
                        0, 2), TML_ERR_OPTIONS);
  EXPECT_ERR(mean_model(TML_INT8, 2, din, ax1, 1, 0, 1, dbad, 0.5f, 0, 0.5f,
                        0, 2), TML_ERR_SHAPE);
  EXPECT_ERR(mean_model(TML_INT8, 2, din, ax1, 1, 0, 1, dout, 0, 0, 0, 0, 2),
             TML_ERR_QUANT);
  EXPECT_ERR(mean_model(TML_INT32, 2, din, ax1, 1, 0, 1, dout, 0, 0, 0, 0, 1),
             TML_ERR_TYPE);
  EXPECT_ERR(mean_model(TML_INT8, 2, din, ax1, 1, 0, 1, dout, 0.5f, 0, 0.5f,
                        0, 4), TML_ERR_OP_VERSION);
  /* A scale ratio beyond int32 shifts. */
  EXPECT_ERR(mean_model(TML_INT8, 2, din, ax1, 1, 0, 1, dout, 1e30f, 0,
                        1e-30f, 0, 2), TML_ERR_QUANT);
  /* axis int64, not constant; output type; options tag. */
  w = tflw_new();
  in[0] = act(w, TML_FLOAT32, 2, din, 0, 0);
  in[1] = cst(w, TML_INT64, 1, dv, ax64, sizeof ax64, 0, 0);
  one_op(w, TML_OP_MEAN, 1, in, 2, act(w, TML_FLOAT32, 1, dout, 0, 0),
         TFLW_NO_OPTIONS, in, 1);
  EXPECT_ERR(w, TML_ERR_TYPE);
  w = tflw_new();
  in[0] = act(w, TML_FLOAT32, 2, din, 0, 0);
  in[1] = act(w, TML_INT32, 1, dv, 0, 0);
  one_op(w, TML_OP_MEAN, 1, in, 2, act(w, TML_FLOAT32, 1, dout, 0, 0),
         TFLW_NO_OPTIONS, in, 2);
  EXPECT_ERR(w, TML_ERR_BUFFER);
  w = tflw_new();
  in[0] = act(w, TML_FLOAT32, 2, din, 0, 0);
  in[1] = ivec(w, ax1, 1);
  one_op(w, TML_OP_MEAN, 1, in, 2, act(w, TML_INT8, 1, dout, 0.5f, 0),
         TFLW_NO_OPTIONS, in, 1);
  EXPECT_ERR(w, TML_ERR_TYPE);
  w = tflw_new();
  in[0] = act(w, TML_FLOAT32, 2, din, 0, 0);
  in[1] = ivec(w, ax1, 1);
  one_op(w, TML_OP_MEAN, 1, in, 2, act(w, TML_FLOAT32, 1, dout, 0, 0),
         tflw_opt_begin(w, TFLW_OPT_SQUEEZE), in, 1);
  EXPECT_ERR(w, TML_ERR_OPTIONS);
}

/* ------------------------------------------------------------ a chain */

/* PAD -> TRANSPOSE -> STRIDED_SLICE -> CONCAT(x, x) -> MEAN in int8: the
** planner places every intermediate and MEAN's scratch. */
static void test_chain(void) {
  const int32_t d0[2] = {2, 2}, dpad[2] = {2, 2}, d1[2] = {3, 3};
  const int32_t pads[4] = {1, 0, 0, 1}, perm[2] = {1, 0};
  const int32_t b[2] = {0, 1}, e[2] = {3, 3}, s[2] = {1, 1}, d2[2] = {3, 2};
  const int32_t d3[2] = {3, 4}, ax[1] = {0}, d4[1] = {4};
  /* x = [[1,2],[3,4]] -> pad (zp 0): [[0,0,0],[1,2,0],[3,4,0]]
  ** -> transpose: [[0,1,3],[0,2,4],[0,0,0]] -> columns 1..2:
  ** [[1,3],[2,4],[0,0]] -> concat with itself on axis 1:
  ** [[1,3,1,3],[2,4,2,4],[0,0,0,0]] -> mean over rows: 1, 7/3, 1, 7/3. */
  const int8_t x[4] = {1, 2, 3, 4}, want[4] = {1, 2, 1, 2};
  int8_t got[4];
  tflw_model *w = tflw_new();
  int32_t t[6], in[4];
  int o;
  t[0] = act(w, TML_INT8, 2, d0, 1.0f, 0);
  t[1] = act(w, TML_INT8, 2, d1, 1.0f, 0);
  t[2] = act(w, TML_INT8, 2, d1, 1.0f, 0);
  t[3] = act(w, TML_INT8, 2, d2, 1.0f, 0);
  t[4] = act(w, TML_INT8, 2, d3, 1.0f, 0);
  t[5] = act(w, TML_INT8, 1, d4, 1.0f, 0);
  in[0] = t[0];
  in[1] = cst(w, TML_INT32, 2, dpad, pads, sizeof pads, 0, 0);
  tflw_op(w, TML_OP_PAD, 2, in, 2, &t[1], 1, TFLW_NO_OPTIONS, NULL, 0);
  in[0] = t[1];
  in[1] = ivec(w, perm, 2);
  tflw_op(w, TML_OP_TRANSPOSE, 2, in, 2, &t[2], 1, TFLW_NO_OPTIONS, NULL, 0);
  in[0] = t[2];
  in[1] = ivec(w, b, 2);
  in[2] = ivec(w, e, 2);
  in[3] = ivec(w, s, 2);
  tflw_op(w, TML_OP_STRIDED_SLICE, 2, in, 4, &t[3], 1, TFLW_NO_OPTIONS, NULL,
          0);
  in[0] = t[3];
  in[1] = t[3];
  tflw_op(w, TML_OP_CONCATENATION, 2, in, 2, &t[4], 1, concat_opt(w, 1, 0),
          NULL, 0);
  in[0] = t[4];
  in[1] = ivec(w, ax, 1);
  o = tflw_opt_begin(w, TFLW_OPT_REDUCER);
  tflw_op(w, TML_OP_MEAN, 2, in, 2, &t[5], 1, o, NULL, 0);
  tflw_io(w, &t[0], 1, &t[5], 1);
  RUN1(w, x, got);
  CHECK_ARRAY_EQ(got, want, 4);
}

int main(void) {
  test_concat();
  test_concat_errors();
  test_pad();
  test_pad_errors();
  test_transpose();
  test_transpose_errors();
  test_strided_slice();
  test_strided_slice_errors();
  test_mean();
  test_mean_errors();
  test_chain();
  return TEST_REPORT();
}
