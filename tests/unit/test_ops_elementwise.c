/*
** MUL through the runtime: single-op models written with the .tflite writer,
** loaded, planned and run. Checks broadcasting (numpy rules up to rank 4
** here, constant operands), the fused activation option, int8/int16/float
** arithmetic, in-place execution, and every error the preparer raises.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_optest.h"
#include "tml_reader.h"

enum { OPT_MUL = TFLW_OPT_MUL };

typedef struct mul_spec {
  int type;
  int rank1, rank2, rank_out;
  int32_t dims1[4], dims2[4], dims_out[4];
  float s1, s2, so;      /* scales; 0: no quantization */
  int64_t z1, z2, zo;
  int out_type;          /* 0: same as type */
  int type2;             /* 0: same as type */
  int act;               /* fused activation; -1: no options table */
  int opt_tag;           /* 0: TFLW_OPT_MUL */
  int version;           /* 0: 1 */
  const void *const2;    /* input 2 constant data, else an input */
  size_t const2_bytes;
  int extra_input;       /* a third input (arity error) */
} mul_spec;

/* Input 1 is always model input 0; input 2 model input 1 unless constant. */
static tml_status build_mul(optest *t, const mul_spec *s) {
  tflw_model *w = tflw_new();
  int32_t ins[3], out, io_in[2], n_io = 1, n_in = 2;
  int opt = TFLW_NO_OPTIONS, b2 = 0;
  const int t2 = s->type2 ? s->type2 : s->type;
  if (s->const2) b2 = tflw_buffer(w, s->const2, s->const2_bytes);
  ins[0] = optest_tensor(w, "a", s->type, s->rank1, s->dims1, 0, s->s1, s->z1);
  ins[1] = optest_tensor(w, "b", t2, s->rank2, s->dims2, b2, s->s2, s->z2);
  ins[2] = ins[0];
  out = optest_tensor(w, "out", s->out_type ? s->out_type : s->type,
                      s->rank_out, s->dims_out, 0, s->so, s->zo);
  if (s->act >= 0) {
    opt = tflw_opt_begin(w, s->opt_tag ? s->opt_tag : OPT_MUL);
    tflw_opt_u8(w, opt, 0, s->act);
  }
  if (s->extra_input) n_in = 3;
  tflw_op(w, TML_OP_MUL, s->version ? s->version : 1, ins, n_in, &out, 1, opt,
          NULL, 0);
  io_in[0] = ins[0];
  if (!s->const2) io_in[n_io++] = ins[1];
  tflw_io(w, io_in, n_io, &out, 1);
  return optest_build(t, w);
}

static void set_input(optest *t, int k, const void *data, size_t bytes) {
  CHECK_EQ(tml_set_input(&t->it, k, data, bytes), TML_OK);
}

static void get_output(optest *t, void *out, size_t bytes) {
  tml_tensor o;
  CHECK_EQ(tml_invoke(&t->it), TML_OK);
  CHECK_EQ(tml_output(&t->it, 0, &o), TML_OK);
  CHECK_EQ(o.bytes, bytes);
  if (o.bytes == bytes) memcpy(out, o.data, bytes);
}

static mul_spec spec2(int type, int rank1, const int32_t *d1, int rank2,
                      const int32_t *d2, int rank_out, const int32_t *dout) {
  mul_spec s;
  memset(&s, 0, sizeof s);
  s.type = type;
  s.rank1 = rank1;
  s.rank2 = rank2;
  s.rank_out = rank_out;
  memcpy(s.dims1, d1, sizeof(int32_t) * (size_t)rank1);
  memcpy(s.dims2, d2, sizeof(int32_t) * (size_t)rank2);
  memcpy(s.dims_out, dout, sizeof(int32_t) * (size_t)rank_out);
  return s;
}

/* ------------------------------------------------------------------ float */

static void test_float_same_shape(void) {
  const int32_t d[2] = { 2, 3 };
  const float a[6] = { 1.5f, -2.0f, 0.25f, 3.0f, -0.5f, 100.0f };
  const float b[6] = { 2.0f, 4.0f, -8.0f, 0.5f, -0.5f, 1e30f };
  const float want[6] = { 3.0f, -8.0f, -2.0f, 1.5f, 0.25f, 1e32f };
  float got[6];
  optest t;
  mul_spec s = spec2(TML_FLOAT32, 2, d, 2, d, 2, d);
  s.act = -1; /* no options: no activation */
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  set_input(&t, 0, a, sizeof a);
  set_input(&t, 1, b, sizeof b);
  get_output(&t, got, sizeof got);
  CHECK_ARRAY_NEAR(got, want, 6, 0.0);
  CHECK_EQ(optest_in_place(&t), 1);
  optest_free(&t);
}

/* [2,1,3] * [4,1] -> [2,4,3]: both inputs broadcast, ranks differ. */
static void test_float_broadcast_relu6(void) {
  const int32_t d1[3] = { 2, 1, 3 }, d2[2] = { 4, 1 }, dout[3] = { 2, 4, 3 };
  const float a[6] = { 1.0f, -1.0f, 2.0f, 0.5f, 3.0f, -4.0f };
  const float b[4] = { 1.0f, 2.0f, -1.0f, 3.0f };
  float got[24];
  int i, j, k, bad = 0;
  optest t;
  mul_spec s = spec2(TML_FLOAT32, 3, d1, 2, d2, 3, dout);
  s.act = TML_ACT_RELU6;
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  set_input(&t, 0, a, sizeof a);
  set_input(&t, 1, b, sizeof b);
  get_output(&t, got, sizeof got);
  for (i = 0; i < 2; i++)
    for (j = 0; j < 4; j++)
      for (k = 0; k < 3; k++) {
        float v = a[i * 3 + k] * b[j];
        v = v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v;
        if (got[(i * 4 + j) * 3 + k] != v) bad++;
      }
  CHECK_EQ(bad, 0);
  /* Neither input has the output's size: no in-place. */
  CHECK_EQ(optest_in_place(&t), 0);
  optest_free(&t);
}

/* A constant [3] row times a [1,2,2,3] input, RELU_N1_TO_1; the output
** takes the (non-constant, full-size) input's bytes. */
static void test_float_const_operand(void) {
  const int32_t d1[4] = { 1, 2, 2, 3 }, d2[1] = { 3 };
  const float c[3] = { 0.5f, -1.0f, 2.0f };
  const float a[12] = { 1, 2, 3, -4, 0.25f, -0.25f, 0.5f, 0.5f, 0.5f,
                        -3, -0.75f, 0.125f };
  float got[12], want[12];
  int i;
  optest t;
  mul_spec s = spec2(TML_FLOAT32, 4, d1, 1, d2, 4, d1);
  s.act = TML_ACT_RELU_N1_TO_1;
  s.const2 = c;
  s.const2_bytes = sizeof c;
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  for (i = 0; i < 12; i++) {
    float v = a[i] * c[i % 3];
    want[i] = v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
  }
  optest_run(&t, a, sizeof a, got, sizeof got);
  CHECK_ARRAY_NEAR(got, want, 12, 0.0);
  CHECK_EQ(optest_in_place(&t), 1);
  optest_free(&t);
}

/* ------------------------------------------------------------------- int8 */

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Scales 0.5 * 0.25 / 0.125 = 1: the rescale is exact, so the output code is
** (a - 1) * (b + 2) + 3, clamped; RELU's lower bound is the zero point 3. */
static void test_int8_exact(void) {
  const int32_t d[1] = { 8 };
  const int8_t a[8] = { 1, 2, 5, -3, 127, -128, 10, 0 };
  const int8_t b[8] = { -2, 3, 4, 7, 100, 100, -10, -1 };
  int8_t got[8], want[8];
  int i, act;
  for (act = 0; act < 2; act++) {
    optest t;
    mul_spec s = spec2(TML_INT8, 1, d, 1, d, 1, d);
    s.s1 = 0.5f;
    s.z1 = 1;
    s.s2 = 0.25f;
    s.z2 = -2;
    s.so = 0.125f;
    s.zo = 3;
    s.act = act ? TML_ACT_RELU : TML_ACT_NONE;
    CHECK_EQ(build_mul(&t, &s), TML_OK);
    for (i = 0; i < 8; i++)
      want[i] = (int8_t)clamp((a[i] - 1) * (b[i] + 2) + 3, act ? 3 : -128,
                              127);
    set_input(&t, 0, a, sizeof a);
    set_input(&t, 1, b, sizeof b);
    get_output(&t, got, sizeof got);
    CHECK_ARRAY_EQ(got, want, 8);
    optest_free(&t);
  }
}

/* Scales 0.5 * 1 / 1: the product is halved with TFLite's rounding (half
** towards +infinity, from SaturatingRoundingDoublingHighMul). Input 2 is a
** constant [1,2] row broadcast over the [3,2] input. */
static void test_int8_broadcast_halving(void) {
  const int32_t d1[2] = { 3, 2 }, d2[2] = { 1, 2 };
  const int8_t c[2] = { 3, -1 };
  const int8_t a[6] = { 1, 1, -1, 5, -3, 0 };
  /* products a * c: 3 -1 -3 -5 -9 0, halved: 2 0 -1 -2 -4 0 (1.5 -> 2,
  ** -0.5 -> 0, -1.5 -> -1, -2.5 -> -2, -4.5 -> -4), plus zero point -7 */
  const int8_t want[6] = { -5, -7, -8, -9, -11, -7 };
  int8_t got[6];
  optest t;
  mul_spec s = spec2(TML_INT8, 2, d1, 2, d2, 2, d1);
  s.s1 = 0.5f;
  s.s2 = 1.0f;
  s.so = 1.0f;
  s.zo = -7;
  s.const2 = c;
  s.const2_bytes = sizeof c;
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  optest_run(&t, a, sizeof a, got, sizeof got);
  CHECK_ARRAY_EQ(got, want, 6);
  CHECK_EQ(optest_in_place(&t), 1);
  optest_free(&t);
}

/* A general multiplier against the kernel run directly with params worked
** out by hand (the kernel itself is checked in test_elementwise.c). */
static void test_int8_against_kernel(void) {
  const int32_t d1[4] = { 1, 2, 2, 3 }, d2[4] = { 1, 1, 1, 3 };
  int8_t a[12], b[3], got[12], want[12];
  tml_mul_params p;
  int i;
  optest t;
  mul_spec s = spec2(TML_INT8, 4, d1, 4, d2, 4, d1);
  s.s1 = 0.02f;
  s.z1 = -5;
  s.s2 = 0.07f;
  s.z2 = 9;
  s.so = 0.03f;
  s.zo = 2;
  s.act = TML_ACT_RELU6;
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  for (i = 0; i < 12; i++) a[i] = (int8_t)(i * 23 - 128);
  for (i = 0; i < 3; i++) b[i] = (int8_t)(i * 90 - 100);
  memset(&p, 0, sizeof p);
  CHECK_EQ(tml_broadcast_init(&p.b, 4, d1, 4, d2, 4, d1), TML_OK);
  tml_quantize_multiplier((double)0.02f * (double)0.07f / (double)0.03f,
                          &p.out_mult, &p.out_shift);
  p.in1_offset = 5;
  p.in2_offset = -9;
  p.out_offset = 2;
  p.act_min = 2;                       /* zero point */
  p.act_max = 2 + (int32_t)roundf(6.0f / 0.03f); /* 202 -> 127 */
  if (p.act_max > 127) p.act_max = 127;
  tml_mul_s8(&p, a, b, want);
  set_input(&t, 0, a, sizeof a);
  set_input(&t, 1, b, sizeof b);
  get_output(&t, got, sizeof got);
  CHECK_ARRAY_EQ(got, want, 12);
  optest_free(&t);
}

/* ------------------------------------------------------------------ int16 */

/* Scales 2^-8 * 2^-8 / 2^-12 = 2^-4: the product is divided by 16. */
static void test_int16(void) {
  const int32_t d[2] = { 2, 2 };
  const int16_t a[4] = { 256, -512, 1000, 32767 };
  const int16_t b[4] = { 16, 16, -32, 32767 };
  const int16_t want[4] = { 256, -512, -2000, 32767 };
  int16_t got[4];
  optest t;
  mul_spec s = spec2(TML_INT16, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = 1.0f / 256.0f;
  s.so = 1.0f / 4096.0f;
  s.version = 4;
  CHECK_EQ(build_mul(&t, &s), TML_OK);
  set_input(&t, 0, a, sizeof a);
  set_input(&t, 1, b, sizeof b);
  get_output(&t, got, sizeof got);
  CHECK_ARRAY_EQ(got, want, 4);
  optest_free(&t);
}

/* ----------------------------------------------------------------- errors */

static void expect_error(mul_spec *s, tml_status want) {
  optest t;
  CHECK_EQ(build_mul(&t, s), want);
  if (want != TML_OK) CHECK_EQ(t.err.op, 0);
  optest_free(&t);
}

static void test_errors(void) {
  const int32_t d[2] = { 2, 3 }, d4[1] = { 4 }, dt[2] = { 3, 2 };
  mul_spec s;
  /* Shapes that do not broadcast, or not to the declared output. */
  s = spec2(TML_FLOAT32, 2, d, 1, d4, 2, d);
  expect_error(&s, TML_ERR_SHAPE);
  s = spec2(TML_FLOAT32, 2, d, 2, d, 2, dt);
  expect_error(&s, TML_ERR_SHAPE);
  /* Types: mixed inputs, output unlike the inputs, int32 (no kernel). */
  s = spec2(TML_INT8, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = s.so = 0.5f;
  s.type2 = TML_INT16;
  expect_error(&s, TML_ERR_TYPE);
  s.type2 = 0;
  s.out_type = TML_INT16;
  expect_error(&s, TML_ERR_TYPE);
  s = spec2(TML_INT32, 2, d, 2, d, 2, d);
  expect_error(&s, TML_ERR_TYPE);
  s = spec2(TML_UINT8, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = s.so = 0.5f;
  expect_error(&s, TML_ERR_TYPE);
  /* Options: another op's table; an activation MUL cannot fuse. */
  s = spec2(TML_FLOAT32, 2, d, 2, d, 2, d);
  s.opt_tag = TFLW_OPT_ADD;
  expect_error(&s, TML_ERR_OPTIONS);
  s.opt_tag = 0;
  s.act = TML_ACT_TANH;
  expect_error(&s, TML_ERR_OPTIONS);
  /* Quantization: missing, int16 with a zero point, a rescale >= 2^31. */
  s = spec2(TML_INT8, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = 0.5f;
  expect_error(&s, TML_ERR_QUANT);
  s = spec2(TML_INT16, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = s.so = 0.5f;
  s.z2 = 1;
  expect_error(&s, TML_ERR_QUANT);
  s = spec2(TML_INT8, 2, d, 2, d, 2, d);
  s.s1 = s.s2 = 1000.0f;
  s.so = 1e-6f;
  expect_error(&s, TML_ERR_QUANT);
  /* Arity and version. */
  s = spec2(TML_FLOAT32, 2, d, 2, d, 2, d);
  s.extra_input = 1;
  expect_error(&s, TML_ERR_SCHEMA);
  s.extra_input = 0;
  s.version = 5;
  expect_error(&s, TML_ERR_OP_VERSION);
  s.version = 4;
  expect_error(&s, TML_OK);
}

int main(void) {
  test_float_same_shape();
  test_float_broadcast_relu6();
  test_float_const_operand();
  test_int8_exact();
  test_int8_broadcast_halving();
  test_int8_against_kernel();
  test_int16();
  test_errors();
  return TEST_REPORT();
}
