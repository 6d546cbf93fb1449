/*
** RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, HARD_SWISH, LOGISTIC and TANH
** through the runtime: single-op models written with the .tflite writer,
** loaded, planned and run. Expectations are worked out by hand where the
** arithmetic is exact, compared with the real function where it is not, and
** with the kernel run directly on hand-made parameters for HARD_SWISH (its
** arithmetic is checked in test_hard_swish.c). Also: in-place execution,
** which quantization each op reads, and every error the preparers raise.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_optest.h"
#include "tml_reader.h"

typedef struct act_spec {
  int op, version;       /* version 0: 1 */
  int type, out_type;    /* out_type 0: same */
  int rank;
  int32_t dims[4];
  int out_rank;          /* 0: same shape as the input */
  int32_t out_dims[4];
  float si, so;          /* scales; 0: no quantization */
  int64_t zi, zo;
  int opt_tag;           /* 0: no options table */
  int has_alpha;
  float alpha;
  int two_inputs;
} act_spec;

static act_spec spec(int op, int type, int32_t n) {
  act_spec s;
  memset(&s, 0, sizeof s);
  s.op = op;
  s.type = type;
  s.rank = 1;
  s.dims[0] = n;
  return s;
}

static tml_status build(optest *t, const act_spec *s) {
  tflw_model *w = tflw_new();
  int32_t ins[2], out;
  int opt = TFLW_NO_OPTIONS;
  ins[0] = optest_tensor(w, "in", s->type, s->rank, s->dims, 0, s->si, s->zi);
  ins[1] = ins[0];
  out = optest_tensor(w, "out", s->out_type ? s->out_type : s->type,
                      s->out_rank ? s->out_rank : s->rank,
                      s->out_rank ? s->out_dims : s->dims, 0, s->so, s->zo);
  if (s->opt_tag) {
    opt = tflw_opt_begin(w, s->opt_tag);
    if (s->has_alpha) tflw_opt_f32(w, opt, 0, s->alpha);
  }
  tflw_op(w, s->op, s->version ? s->version : 1, ins, s->two_inputs ? 2 : 1,
          &out, 1, opt, NULL, 0);
  tflw_io(w, ins, 1, &out, 1);
  return optest_build(t, w);
}

static void expect_error(const act_spec *s, tml_status want) {
  optest t;
  CHECK_EQ(build(&t, s), want);
  if (want != TML_OK) CHECK_EQ(t.err.op, 0);
  optest_free(&t);
}

/* Builds the model, which must prepare; runs in -> out. */
static void run(const act_spec *s, const void *in, size_t in_bytes, void *out,
                size_t out_bytes) {
  optest t;
  CHECK_EQ(build(&t, s), TML_OK);
  if (t.it.ready) {
    optest_run(&t, in, in_bytes, out, out_bytes);
    /* Every op here may run in place on a model input that dies there. */
    CHECK_EQ(optest_in_place(&t), 1);
  }
  optest_free(&t);
}

/* ----------------------------------------------------------- RELU family */

static void test_relu_float(void) {
  const float in[6] = { -3.5f, -1.0f, -0.25f, 0.0f, 0.75f, 7.0f };
  const float relu[6] = { 0, 0, 0, 0, 0.75f, 7.0f };
  const float relu6[6] = { 0, 0, 0, 0, 0.75f, 6.0f };
  const float relu1[6] = { -1.0f, -1.0f, -0.25f, 0.0f, 0.75f, 1.0f };
  float got[6];
  act_spec s = spec(TML_OP_RELU, TML_FLOAT32, 6);
  run(&s, in, sizeof in, got, sizeof got);
  CHECK_ARRAY_NEAR(got, relu, 6, 0.0);
  s.op = TML_OP_RELU6;
  run(&s, in, sizeof in, got, sizeof got);
  CHECK_ARRAY_NEAR(got, relu6, 6, 0.0);
  s.op = TML_OP_RELU_N1_TO_1;
  run(&s, in, sizeof in, got, sizeof got);
  CHECK_ARRAY_NEAR(got, relu1, 6, 0.0);
}

static void test_relu_int8(void) {
  const int8_t in[6] = { -128, -11, -10, -9, 50, 127 };
  int8_t got[6];
  act_spec s = spec(TML_OP_RELU, TML_INT8, 6);
  {
    /* Same quantization: a clamp at the zero point -10. */
    const int8_t want[6] = { -10, -10, -10, -9, 50, 127 };
    s.si = s.so = 0.5f;
    s.zi = s.zo = -10;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  {
    /* Output scale half the input's: (x + 10) * 2 + 5, at least 5. */
    const int8_t want[6] = { 5, 5, 5, 7, 125, 127 };
    s.so = 0.25f;
    s.zo = 5;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  {
    /* RELU6 clamps to [zp, zp + 6 / scale] of the input, whatever the
    ** output's quantization (TFLM): here [-20, 40]. */
    const int8_t in6[6] = { -128, -21, -20, 0, 40, 41 };
    const int8_t want[6] = { -20, -20, -20, 0, 40, 40 };
    s.op = TML_OP_RELU6;
    s.si = 0.1f;
    s.zi = -20;
    s.so = 1.0f;
    s.zo = 0;
    run(&s, in6, sizeof in6, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 6);
    s.so = 0.0f; /* no output quantization at all: still fine */
    run(&s, in6, sizeof in6, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
  {
    /* RELU_N1_TO_1 on scale 1/64: [-64, 64]. */
    const int8_t want[6] = { -64, -11, -10, -9, 50, 64 };
    s.op = TML_OP_RELU_N1_TO_1;
    s.si = s.so = 1.0f / 64.0f;
    s.zi = s.zo = 0;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 6);
  }
}

static void test_relu_int16(void) {
  const int16_t in[5] = { -32768, -1, 0, 1000, 32767 };
  int16_t got[5];
  act_spec s = spec(TML_OP_RELU, TML_INT16, 5);
  {
    const int16_t want[5] = { 0, 0, 0, 1000, 32767 };
    s.si = s.so = 1.0f / 256.0f;
    s.version = 3;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 5);
  }
  {
    /* RELU6 on scale 2^-10: [0, 6144]. */
    const int16_t want[5] = { 0, 0, 0, 1000, 6144 };
    s.op = TML_OP_RELU6;
    s.si = s.so = 1.0f / 1024.0f;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 5);
  }
}

static void test_relu_errors(void) {
  act_spec s = spec(TML_OP_RELU, TML_INT16, 4);
  s.si = s.so = 0.5f;
  s.zi = 1; /* int16 RELU needs zero points 0 */
  expect_error(&s, TML_ERR_QUANT);
  s.zi = 0;
  s.so = 0.0f; /* RELU reads the output's quantization */
  expect_error(&s, TML_ERR_QUANT);
  s.op = TML_OP_RELU6; /* RELU6 does not */
  expect_error(&s, TML_OK);
  s = spec(TML_OP_RELU_N1_TO_1, TML_INT16, 4); /* TFLite has no int16 one */
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_RELU, TML_INT8, 4);
  s.si = 1000.0f;
  s.so = 1e-7f; /* rescale beyond 2^31 */
  expect_error(&s, TML_ERR_QUANT);
  s = spec(TML_OP_RELU, TML_INT32, 4);
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_RELU, TML_FLOAT32, 4);
  s.out_type = TML_INT8;
  s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_RELU6, TML_FLOAT32, 4);
  s.out_rank = 2;
  s.out_dims[0] = 2;
  s.out_dims[1] = 2;
  expect_error(&s, TML_ERR_SHAPE);
  s = spec(TML_OP_RELU, TML_FLOAT32, 4);
  s.opt_tag = TFLW_OPT_ADD; /* RELU has no options */
  expect_error(&s, TML_ERR_OPTIONS);
  s = spec(TML_OP_RELU, TML_FLOAT32, 4);
  s.two_inputs = 1;
  expect_error(&s, TML_ERR_SCHEMA);
  s.two_inputs = 0;
  s.version = 4;
  expect_error(&s, TML_ERR_OP_VERSION);
  s.op = TML_OP_RELU6;
  expect_error(&s, TML_ERR_OP_VERSION);
  s.op = TML_OP_RELU_N1_TO_1;
  s.version = 2;
  expect_error(&s, TML_ERR_OP_VERSION);
}

/* ------------------------------------------------------------- LEAKY_RELU */

static void test_leaky_relu(void) {
  {
    const float in[5] = { -10.0f, -0.5f, 0.0f, 0.5f, 3.0f };
    float got[5], want[5];
    int i;
    act_spec s = spec(TML_OP_LEAKY_RELU, TML_FLOAT32, 5);
    s.opt_tag = TFLW_OPT_LEAKY_RELU;
    s.has_alpha = 1;
    s.alpha = 0.2f;
    for (i = 0; i < 5; i++) want[i] = in[i] > 0 ? in[i] : in[i] * 0.2f;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 5, 0.0);
    /* Absent options: alpha 0. */
    s.opt_tag = 0;
    for (i = 0; i < 5; i++) want[i] = in[i] > 0 ? in[i] : 0.0f;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 5, 0.0);
  }
  {
    /* Same scales, alpha 0.5: negatives are halved with TFLite's rounding
    ** (half towards +infinity), positives kept. */
    const int8_t in[8] = { -128, -5, -3, -2, -1, 0, 7, 127 };
    const int8_t want[8] = { -64, -2, -1, -1, 0, 0, 7, 127 };
    int8_t got[8];
    act_spec s = spec(TML_OP_LEAKY_RELU, TML_INT8, 8);
    s.opt_tag = TFLW_OPT_LEAKY_RELU;
    s.has_alpha = 1;
    s.alpha = 0.5f;
    s.si = s.so = 0.5f;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 8);
  }
  {
    /* int16 with zero points (TFLM allows them here): input scale twice the
    ** output's, alpha 0.25: x >= 0 -> 2x + 3, x < 0 -> x / 2 + 3. */
    const int16_t in[5] = { -4007, -1007, -7, -6, 993 };
    const int16_t want[5] = { -1997, -497, 3, 5, 2003 };
    int16_t got[5];
    act_spec s = spec(TML_OP_LEAKY_RELU, TML_INT16, 5);
    s.opt_tag = TFLW_OPT_LEAKY_RELU;
    s.has_alpha = 1;
    s.alpha = 0.25f;
    s.si = 1.0f / 128.0f;
    s.zi = -7;
    s.so = 1.0f / 256.0f;
    s.zo = 3;
    s.version = 2;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 5);
  }
  {
    act_spec s = spec(TML_OP_LEAKY_RELU, TML_INT8, 4);
    s.opt_tag = TFLW_OPT_ADD;
    s.si = s.so = 0.5f;
    expect_error(&s, TML_ERR_OPTIONS);
    s.opt_tag = TFLW_OPT_LEAKY_RELU;
    s.so = 0.0f;
    expect_error(&s, TML_ERR_QUANT);
    s.so = 0.5f;
    s.version = 3;
    expect_error(&s, TML_ERR_OP_VERSION);
    s.version = 1;
    s.out_type = TML_INT16;
    expect_error(&s, TML_ERR_TYPE);
    s = spec(TML_OP_LEAKY_RELU, TML_UINT8, 4);
    s.si = s.so = 0.5f;
    expect_error(&s, TML_ERR_TYPE);
  }
}

/* ------------------------------------------------------------- HARD_SWISH */

static void test_hard_swish(void) {
  {
    const float in[7] = { -5.0f, -3.0f, -1.5f, 0.0f, 1.0f, 3.0f, 10.0f };
    float got[7], want[7];
    int i;
    act_spec s = spec(TML_OP_HARD_SWISH, TML_FLOAT32, 7);
    for (i = 0; i < 7; i++) {
      float r = in[i] + 3.0f;
      r = r < 0.0f ? 0.0f : r > 6.0f ? 6.0f : r;
      want[i] = in[i] * r / 6.0f;
    }
    s.opt_tag = TFLW_OPT_HARD_SWISH;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 7, 0.0);
  }
  {
    /* The kernel on parameters worked out from TFLite's definition: input
    ** scale 1/16 zp -3, output scale 1/32 zp 5. hires scale = 1/2048;
    ** out ratio 1/64 = 0.5 * 2^-5 -> Q15 16384, exponent -5; reluish ratio
    ** (1/2048) / (3/32768) = 16/3, in float 0.66666669 * 2^3 -> Q31
    ** 1431655808 -> Q15 21845, exponent 3. */
    int8_t in[256], got[256], want[256];
    tml_hard_swish_params p;
    int i;
    act_spec s = spec(TML_OP_HARD_SWISH, TML_INT8, 256);
    for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
    memset(&p, 0, sizeof p);
    p.count = 256;
    p.in_zp = -3;
    p.out_zp = 5;
    p.out_mult = 16384;
    p.out_exp = -5;
    p.reluish_mult = 21845;
    p.reluish_exp = 3;
    tml_hard_swish_s8(&p, in, want);
    s.si = 1.0f / 16.0f;
    s.zi = -3;
    s.so = 1.0f / 32.0f;
    s.zo = 5;
    run(&s, in, sizeof in, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 256);
    /* Sanity against the real function: within 1 step everywhere. */
    for (i = 0; i < 256; i++) {
      const double x = (in[i] + 3) / 16.0;
      double r = x + 3.0;
      r = r < 0 ? 0 : r > 6 ? 6 : r;
      {
        double q = floor(x * r / 6.0 * 32.0 + 0.5) + 5;
        q = q < -128 ? -128 : q > 127 ? 127 : q;
        if (fabs(got[i] - q) > 1.0) CHECK_EQ(got[i], q);
      }
    }
  }
  {
    act_spec s = spec(TML_OP_HARD_SWISH, TML_INT8, 4);
    s.si = 1.0f;
    s.so = 0.001f; /* input scale / 128 above the output scale: rejected */
    expect_error(&s, TML_ERR_QUANT);
    s = spec(TML_OP_HARD_SWISH, TML_INT16, 4);
    s.si = s.so = 1.0f / 256.0f;
    expect_error(&s, TML_ERR_TYPE);
    s = spec(TML_OP_HARD_SWISH, TML_FLOAT32, 4);
    s.opt_tag = TFLW_OPT_LEAKY_RELU;
    expect_error(&s, TML_ERR_OPTIONS);
    s.opt_tag = 0;
    s.version = 2;
    expect_error(&s, TML_ERR_OP_VERSION);
  }
}

/* -------------------------------------------------------- LOGISTIC, TANH */

static void test_logistic_tanh_float(void) {
  float in[41], got[41];
  int i;
  act_spec s = spec(TML_OP_LOGISTIC, TML_FLOAT32, 41);
  for (i = 0; i < 41; i++) in[i] = (float)(i - 20) * 0.6f;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 41; i++)
    CHECK_NEAR(got[i], 1.0 / (1.0 + exp(-(double)in[i])), 2e-7);
  s.op = TML_OP_TANH;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 41; i++) CHECK_NEAR(got[i], tanh((double)in[i]), 2e-7);
}

static void test_logistic_tanh_int8(void) {
  int8_t in[256], got[256];
  int i, bad = 0;
  act_spec s = spec(TML_OP_LOGISTIC, TML_INT8, 256);
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  /* Input 1/16 with zero point 4; output 1/256, -128 (TFLM's requirement). */
  s.si = 1.0f / 16.0f;
  s.zi = 4;
  s.so = 1.0f / 256.0f;
  s.zo = -128;
  s.version = 2;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 256; i++) {
    const double y = 1.0 / (1.0 + exp(-(in[i] - 4) / 16.0));
    double q = floor(y * 256.0 + 0.5) - 128;
    q = q > 127 ? 127 : q;
    if (fabs(got[i] - q) > 1.0) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(got[132], 0); /* x = zero point: 0.5 */
  /* TANH: output 1/128, zero point 0, implied; TFLM reads neither. */
  s.op = TML_OP_TANH;
  s.so = 1.0f / 128.0f;
  s.zo = 0;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 256; i++) {
    double q = floor(tanh((in[i] - 4) / 16.0) * 128.0 + 0.5);
    q = q > 127 ? 127 : q;
    if (fabs(got[i] - q) > 1.0) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(got[132], 0);
  {
    int8_t again[256];
    s.so = 0.0f; /* no output quantization: TFLM accepts it for TANH */
    run(&s, in, sizeof in, again, sizeof again);
    CHECK_ARRAY_EQ(again, got, 256);
  }
}

static void test_logistic_tanh_int16(void) {
  int16_t in[64], got[64];
  int i, bad = 0;
  act_spec s = spec(TML_OP_LOGISTIC, TML_INT16, 64);
  for (i = 0; i < 64; i++) in[i] = (int16_t)(i * 1024 - 32768);
  /* Input 2^-12 (TFLite's power-of-two path), output 2^-15. */
  s.si = 1.0f / 4096.0f;
  s.so = 1.0f / 32768.0f;
  s.version = 3;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 64; i++) {
    const double y = 1.0 / (1.0 + exp(-in[i] / 4096.0)) * 32768.0;
    if (fabs(got[i] - (y > 32767 ? 32767 : y)) > 4.0) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(got[32], 16384); /* sigmoid(0) */
  s.op = TML_OP_TANH;
  /* A scale that is not a power of two: the general multiplier path. */
  s.si = 1.0f / 3000.0f;
  run(&s, in, sizeof in, got, sizeof got);
  for (i = 0; i < 64; i++) {
    const double y = tanh(in[i] / 3000.0) * 32768.0;
    if (fabs(got[i] - (y > 32767 ? 32767 : y)) > 4.0) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(got[32], 0);
}

static void test_logistic_tanh_errors(void) {
  act_spec s = spec(TML_OP_LOGISTIC, TML_INT8, 4);
  s.si = 0.1f;
  s.so = 1.0f / 256.0f;
  s.zo = 0; /* int8 LOGISTIC needs output zero point -128 */
  expect_error(&s, TML_ERR_QUANT);
  s.zo = -128;
  s.si = 0.0f; /* input quantization is required */
  expect_error(&s, TML_ERR_QUANT);
  s.si = 1e-9f; /* below 2^-28: TFLite's radius would overflow */
  expect_error(&s, TML_ERR_QUANT);
  s = spec(TML_OP_LOGISTIC, TML_INT16, 4);
  s.si = 1.0f / 4096.0f;
  s.so = 1.0f / 16384.0f; /* int16 output scale must be 2^-15 */
  expect_error(&s, TML_ERR_QUANT);
  s.op = TML_OP_TANH;
  expect_error(&s, TML_ERR_QUANT);
  s.so = 1.0f / 32768.0f;
  s.zi = 2; /* int16 zero points must be 0 */
  expect_error(&s, TML_ERR_QUANT);
  s.zi = 0;
  s.si = 4.0f; /* too large for the table's 15-bit multiplier */
  expect_error(&s, TML_ERR_QUANT);
  s.si = 1.0f / 4096.0f;
  s.out_type = TML_INT8;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_TANH, TML_UINT8, 4);
  s.si = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  s = spec(TML_OP_TANH, TML_FLOAT32, 4);
  s.version = 4;
  expect_error(&s, TML_ERR_OP_VERSION);
  s.version = 1;
  s.opt_tag = TFLW_OPT_SOFTMAX;
  expect_error(&s, TML_ERR_OPTIONS);
  s.opt_tag = 0;
  s.out_rank = 1;
  s.out_dims[0] = 5;
  expect_error(&s, TML_ERR_SHAPE);
}

/* A constant input: read in place from the model, never run in place.
** out = x * relu(c), so that the model has an input. */
static void test_constant_input(void) {
  const float c[4] = { -2.0f, -0.5f, 0.5f, 2.0f };
  const float x[4] = { 1.0f, 2.0f, 3.0f, 4.0f };
  const float want[4] = { 0.0f, 0.0f, 1.5f, 8.0f };
  const int32_t d[1] = { 4 };
  float got[4];
  optest t;
  tflw_model *w = tflw_new();
  const int b = tflw_buffer(w, c, sizeof c);
  int32_t ins[2], r, out;
  ins[1] = optest_tensor(w, "c", TML_FLOAT32, 1, d, b, 0, 0);
  r = optest_tensor(w, "relu_c", TML_FLOAT32, 1, d, 0, 0, 0);
  ins[0] = optest_tensor(w, "x", TML_FLOAT32, 1, d, 0, 0, 0);
  out = optest_tensor(w, "out", TML_FLOAT32, 1, d, 0, 0, 0);
  tflw_op(w, TML_OP_RELU, 1, &ins[1], 1, &r, 1, TFLW_NO_OPTIONS, NULL, 0);
  ins[1] = r;
  tflw_op(w, TML_OP_MUL, 1, ins, 2, &out, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, ins, 1, &out, 1);
  CHECK_EQ(optest_build(&t, w), TML_OK);
  if (t.it.ready) {
    optest_run(&t, x, sizeof x, got, sizeof got);
    CHECK_ARRAY_NEAR(got, want, 4, 0.0);
  }
  optest_free(&t);
}

int main(void) {
  test_relu_float();
  test_relu_int8();
  test_relu_int16();
  test_relu_errors();
  test_leaky_relu();
  test_hard_swish();
  test_logistic_tanh_float();
  test_logistic_tanh_int8();
  test_logistic_tanh_int16();
  test_logistic_tanh_errors();
  test_constant_input();
  return TEST_REPORT();
}
