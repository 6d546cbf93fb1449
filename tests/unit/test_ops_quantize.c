/*
** QUANTIZE and DEQUANTIZE through the runtime: single-op models written with
** the .tflite writer, loaded, planned and run, with expectations worked out
** by hand (scales are powers of two or halves, so every step is exact up to
** TFLite's documented rounding). Also a few-op chain, the type pairs TFLM
** accepts and rejects, per-channel quantization, and every error.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_optest.h"
#include "tml_reader.h"

typedef struct q_spec {
  int op, version;          /* version 0: 1 */
  int in_type, out_type;
  int rank;
  int32_t dims[4];
  int out_rank;             /* 0: same shape */
  int32_t out_dims[4];
  float si, so;             /* scales; 0: no quantization */
  int64_t zi, zo;
  int in_channels, out_channels; /* > 1: per-channel on dim 0 */
  int opt_tag;              /* 0: none; -1: the op's own */
  int two_inputs;
} q_spec;

static q_spec spec(int op, int in_type, int out_type, int32_t n) {
  q_spec s;
  memset(&s, 0, sizeof s);
  s.op = op;
  s.in_type = in_type;
  s.out_type = out_type;
  s.rank = 1;
  s.dims[0] = n;
  return s;
}

static int tensor(tflw_model *w, const char *name, int type, int rank,
                  const int32_t *dims, float scale, int64_t zp,
                  int channels) {
  if (channels > 1) {
    float sc[8];
    int64_t z[8];
    int i;
    for (i = 0; i < channels; i++) {
      sc[i] = scale * (float)(i + 1);
      z[i] = zp;
    }
    return tflw_tensor(w, name, type, rank, dims, 0, sc, z, channels, 0, 0);
  }
  return optest_tensor(w, name, type, rank, dims, 0, scale, zp);
}

static tml_status build(optest *t, const q_spec *s) {
  tflw_model *w = tflw_new();
  int32_t ins[2], out;
  int opt = TFLW_NO_OPTIONS;
  ins[0] = tensor(w, "in", s->in_type, s->rank, s->dims, s->si, s->zi,
                  s->in_channels);
  ins[1] = ins[0];
  out = tensor(w, "out", s->out_type, s->out_rank ? s->out_rank : s->rank,
               s->out_rank ? s->out_dims : s->dims, s->so, s->zo,
               s->out_channels);
  if (s->opt_tag)
    opt = tflw_opt_begin(w, s->opt_tag > 0 ? s->opt_tag
                            : s->op == TML_OP_QUANTIZE ? TFLW_OPT_QUANTIZE
                                                       : TFLW_OPT_DEQUANTIZE);
  tflw_op(w, s->op, s->version ? s->version : 1, ins, s->two_inputs ? 2 : 1,
          &out, 1, opt, NULL, 0);
  tflw_io(w, ins, 1, &out, 1);
  return optest_build(t, w);
}

static void expect_error(const q_spec *s, tml_status want) {
  optest t;
  CHECK_EQ(build(&t, s), want);
  if (want != TML_OK) CHECK_EQ(t.err.op, 0);
  optest_free(&t);
}

/* Runs in -> out; in_place: whether the output must take the input's
** bytes. */
static void run(const q_spec *s, const void *in, size_t in_bytes, void *out,
                size_t out_bytes, int in_place) {
  optest t;
  CHECK_EQ(build(&t, s), TML_OK);
  if (t.it.ready) {
    optest_run(&t, in, in_bytes, out, out_bytes);
    CHECK_EQ(optest_in_place(&t), in_place);
  }
  optest_free(&t);
}

/* --------------------------------------------------------------- QUANTIZE */

static void test_quantize_float(void) {
  {
    /* Scale 0.5, zero point -3: round(x / 0.5) half away from zero, -3,
    ** clamped to int8. */
    const float in[8] = { 1.0f, 0.25f, -0.25f, 0.75f, -0.75f, 100.0f,
                          -100.0f, 0.0f };
    const int8_t want[8] = { -1, -2, -4, -1, -5, 127, -128, -3 };
    int8_t got[8];
    q_spec s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_INT8, 8);
    s.so = 0.5f;
    s.zo = -3;
    s.opt_tag = -1;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_EQ(got, want, 8);
  }
  {
    /* int16, scale 2^-8 (version 2). */
    const float in[5] = { 1.5f, -1.5f, 1.0f / 512.0f, 200.0f, -200.0f };
    const int16_t want[5] = { 384, -384, 1, 32767, -32768 };
    int16_t got[5];
    q_spec s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_INT16, 5);
    s.so = 1.0f / 256.0f;
    s.version = 2;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_EQ(got, want, 5);
  }
}

static void test_requantize(void) {
  {
    /* int8 -> int8, scale 0.5 -> 0.25, zero point 0 -> 10: 2x + 10. */
    const int8_t in[5] = { -128, -5, 0, 50, 127 };
    const int8_t want[5] = { -128, 0, 10, 110, 127 };
    int8_t got[5];
    q_spec s = spec(TML_OP_QUANTIZE, TML_INT8, TML_INT8, 5);
    s.si = 0.5f;
    s.so = 0.25f;
    s.zo = 10;
    run(&s, in, sizeof in, got, sizeof got, 1);
    CHECK_ARRAY_EQ(got, want, 5);
  }
  {
    /* int8 -> int16, same scale, zero point -5 -> 0: x + 5. */
    const int8_t in[4] = { -128, -5, 0, 127 };
    const int16_t want[4] = { -123, 0, 5, 132 };
    int16_t got[4];
    q_spec s = spec(TML_OP_QUANTIZE, TML_INT8, TML_INT16, 4);
    s.si = s.so = 0.5f;
    s.zi = -5;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_EQ(got, want, 4);
  }
  {
    /* int16 -> int8, scale 1/256 -> 1/16: x / 16 (multiples of 16 here). */
    const int16_t in[6] = { 320, -320, 0, 2032, 4096, -4096 };
    const int8_t want[6] = { 20, -20, 0, 127, 127, -128 };
    int8_t got[6];
    q_spec s = spec(TML_OP_QUANTIZE, TML_INT16, TML_INT8, 6);
    s.si = 1.0f / 256.0f;
    s.so = 1.0f / 16.0f;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  {
    /* int16 -> int16, scale 2^-10 -> 2^-9 with zero point 7: x / 2 + 7,
    ** halves rounded towards +infinity (TFLite's multiplier rounding). */
    const int16_t in[6] = { 1000, -1000, 3, -3, 32767, -32768 };
    const int16_t want[6] = { 507, -493, 9, 6, 16391, -16377 };
    int16_t got[6];
    q_spec s = spec(TML_OP_QUANTIZE, TML_INT16, TML_INT16, 6);
    s.si = 1.0f / 1024.0f;
    s.so = 1.0f / 512.0f;
    s.zo = 7;
    s.version = 2;
    run(&s, in, sizeof in, got, sizeof got, 1);
    CHECK_ARRAY_EQ(got, want, 6);
  }
}

static void test_quantize_errors(void) {
  q_spec s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_FLOAT32, 4);
  expect_error(&s, TML_ERR_TYPE);
  /* int32 on either side: TFLM has kernels, TML has none. */
  s = spec(TML_OP_QUANTIZE, TML_INT8, TML_INT32, 4);
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_QUANTIZE, TML_INT32, TML_INT8, 4);
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_UINT8, 4);
  s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_QUANTIZE, TML_UINT8, TML_INT8, 4);
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  /* Output quantization: missing, per-channel (TFLM: per tensor only). */
  s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_INT8, 4);
  expect_error(&s, TML_ERR_QUANT);
  s.so = 0.5f;
  s.out_channels = 4;
  expect_error(&s, TML_ERR_QUANT);
  /* Requantize: input quantization missing; a ratio of 2^31 or more. */
  s = spec(TML_OP_QUANTIZE, TML_INT8, TML_INT8, 4);
  s.so = 0.5f;
  expect_error(&s, TML_ERR_QUANT);
  s.si = 1e6f;
  s.so = 1e-6f;
  expect_error(&s, TML_ERR_QUANT);
  s = spec(TML_OP_QUANTIZE, TML_FLOAT32, TML_INT8, 4);
  s.so = 0.5f;
  s.out_rank = 2;
  s.out_dims[0] = s.out_dims[1] = 2;
  expect_error(&s, TML_ERR_SHAPE);
  s.out_rank = 0;
  s.opt_tag = TFLW_OPT_DEQUANTIZE;
  expect_error(&s, TML_ERR_OPTIONS);
  s.opt_tag = 0;
  s.two_inputs = 1;
  expect_error(&s, TML_ERR_SCHEMA);
  s.two_inputs = 0;
  s.version = 3; /* per-channel quantize */
  expect_error(&s, TML_ERR_OP_VERSION);
}

/* ------------------------------------------------------------- DEQUANTIZE */

static void test_dequantize(void) {
  {
    const int8_t in[5] = { 5, 3, -128, 127, 0 };
    const float want[5] = { 1.0f, 0.0f, -65.5f, 62.0f, -1.5f };
    float got[5];
    q_spec s = spec(TML_OP_DEQUANTIZE, TML_INT8, TML_FLOAT32, 5);
    s.si = 0.5f;
    s.zi = 3;
    s.opt_tag = -1;
    s.version = 2;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_NEAR(got, want, 5, 0.0);
  }
  {
    const int16_t in[4] = { 1024, -32768, 1, 0 };
    const float want[4] = { 1.0f, -32.0f, 1.0f / 1024.0f, 0.0f };
    float got[4];
    q_spec s = spec(TML_OP_DEQUANTIZE, TML_INT16, TML_FLOAT32, 4);
    s.si = 1.0f / 1024.0f;
    s.version = 3;
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_NEAR(got, want, 4, 0.0);
  }
  {
    /* A scale that is not a power of two: scale * (x - zp) in float is
    ** TFLite's double product rounded once (exact below 2^53). */
    const int8_t in[4] = { -128, -1, 1, 127 };
    float got[4], want[4];
    int i;
    q_spec s = spec(TML_OP_DEQUANTIZE, TML_INT8, TML_FLOAT32, 4);
    s.si = 0.1f;
    s.zi = -1;
    for (i = 0; i < 4; i++) want[i] = (float)((double)0.1f * (in[i] + 1));
    run(&s, in, sizeof in, got, sizeof got, 0);
    CHECK_ARRAY_NEAR(got, want, 4, 0.0);
  }
}

/* Constant int8 weights dequantized to float, then added to the input
** (ADD reads the DEQUANTIZE output from the arena). */
static void test_dequantize_constant(void) {
  const int8_t c[4] = { -4, 0, 4, 127 };
  const float x[4] = { 1.0f, 2.0f, 3.0f, 4.0f };
  const float want[4] = { 0.0f, 2.0f, 4.0f, 35.75f };
  const int32_t d[1] = { 4 };
  float got[4];
  optest t;
  tflw_model *w = tflw_new();
  const int b = tflw_buffer(w, c, sizeof c);
  const float cs = 0.25f;
  const int64_t cz = 0;
  int32_t ins[2], out, deq;
  deq = tflw_tensor(w, "c", TML_INT8, 1, d, b, &cs, &cz, 1, 0, 0);
  ins[1] = optest_tensor(w, "c_f", TML_FLOAT32, 1, d, 0, 0, 0);
  ins[0] = optest_tensor(w, "x", TML_FLOAT32, 1, d, 0, 0, 0);
  out = optest_tensor(w, "out", TML_FLOAT32, 1, d, 0, 0, 0);
  tflw_op(w, TML_OP_DEQUANTIZE, 2, &deq, 1, &ins[1], 1, TFLW_NO_OPTIONS,
          NULL, 0);
  tflw_op(w, TML_OP_ADD, 1, ins, 2, &out, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, ins, 1, &out, 1);
  CHECK_EQ(optest_build(&t, w), TML_OK);
  if (t.it.ready) {
    optest_run(&t, x, sizeof x, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 4, 0.0);
  }
  optest_free(&t);
}

static void test_dequantize_errors(void) {
  q_spec s = spec(TML_OP_DEQUANTIZE, TML_FLOAT32, TML_FLOAT32, 4);
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_DEQUANTIZE, TML_UINT8, TML_FLOAT32, 4);
  s.si = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_DEQUANTIZE, TML_INT8, TML_INT16, 4);
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_DEQUANTIZE, TML_INT8, TML_FLOAT32, 4);
  expect_error(&s, TML_ERR_QUANT); /* no input quantization */
  s.si = 0.5f;
  s.in_channels = 4; /* per channel: TFLM would use the first scale only */
  expect_error(&s, TML_ERR_QUANT);
  s.in_channels = 0;
  s.out_rank = 1;
  s.out_dims[0] = 8;
  expect_error(&s, TML_ERR_SHAPE);
  s.out_rank = 0;
  s.opt_tag = TFLW_OPT_QUANTIZE;
  expect_error(&s, TML_ERR_OPTIONS);
  s.opt_tag = 0;
  s.version = 4;
  expect_error(&s, TML_ERR_OP_VERSION);
}

/* ------------------------------------------------------------------ chain */

/* float -> QUANTIZE (int8, 1/16, zp -8) -> RELU -> LOGISTIC (1/256, -128)
** -> QUANTIZE (int8 -> int8, zp -128 -> 0 with scale 1/128) -> DEQUANTIZE:
** close to sigmoid(relu(x)). The int8 ops may all run in place, one after
** another, in the bytes of q. */
static void test_chain(void) {
  const int32_t d[2] = { 1, 16 };
  float x[16], got[16];
  int i, bad = 0;
  optest t;
  tflw_model *w = tflw_new();
  int32_t tq[6];
  tq[0] = optest_tensor(w, "x", TML_FLOAT32, 2, d, 0, 0, 0);
  tq[1] = optest_tensor(w, "q", TML_INT8, 2, d, 0, 1.0f / 16.0f, -8);
  tq[2] = optest_tensor(w, "r", TML_INT8, 2, d, 0, 1.0f / 16.0f, -8);
  tq[3] = optest_tensor(w, "s", TML_INT8, 2, d, 0, 1.0f / 256.0f, -128);
  tq[4] = optest_tensor(w, "s2", TML_INT8, 2, d, 0, 1.0f / 128.0f, 0);
  tq[5] = optest_tensor(w, "y", TML_FLOAT32, 2, d, 0, 0, 0);
  tflw_op(w, TML_OP_QUANTIZE, 1, &tq[0], 1, &tq[1], 1, TFLW_NO_OPTIONS, NULL,
          0);
  tflw_op(w, TML_OP_RELU, 2, &tq[1], 1, &tq[2], 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_op(w, TML_OP_LOGISTIC, 2, &tq[2], 1, &tq[3], 1, TFLW_NO_OPTIONS, NULL,
          0);
  tflw_op(w, TML_OP_QUANTIZE, 1, &tq[3], 1, &tq[4], 1, TFLW_NO_OPTIONS, NULL,
          0);
  tflw_op(w, TML_OP_DEQUANTIZE, 2, &tq[4], 1, &tq[5], 1, TFLW_NO_OPTIONS,
          NULL, 0);
  tflw_io(w, &tq[0], 1, &tq[5], 1);
  CHECK_EQ(optest_build(&t, w), TML_OK);
  for (i = 0; i < 16; i++) x[i] = (float)(i - 8) * 0.7f;
  if (t.it.ready) {
    optest_run(&t, x, sizeof x, got, sizeof got);
    for (i = 0; i < 16; i++) {
      const double r = x[i] > 0 ? x[i] : 0.0;
      if (fabs(got[i] - 1.0 / (1.0 + exp(-r))) > 3.0 / 128.0) bad++;
    }
    CHECK_EQ(bad, 0);
    /* x <= 0 gives exactly sigmoid(0) = 0.5 at every step. */
    CHECK_NEAR(got[0], 0.5, 0.0);
  }
  optest_free(&t);
}

int main(void) {
  test_quantize_float();
  test_requantize();
  test_quantize_errors();
  test_dequantize();
  test_dequantize_constant();
  test_dequantize_errors();
  test_chain();
  return TEST_REPORT();
}
