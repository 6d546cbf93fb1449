/*
** SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM through the runtime: single-op models
** written with the .tflite writer (variable state tensors, optional inputs
** omitted), loaded, planned and run over several invokes. Outputs and the
** state tensors in the arena are checked against hand-derived bytes, an
** independent double-precision reference (float) and a direct call of the
** unit-tested kernels (int8, with the params computed from the test's own
** description). Also tml_reset, variable tensors with data in the model,
** and every rejection (with tml_arena_size reporting what tml_init reports).
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tflite_writer.h"
#include "tml.h"
#include "tml_runtime.h"
#include "tml_test.h"

static unsigned rng_state = 4242u;
static double rnd(void) { /* uniform in [-1, 1) */
  rng_state = rng_state * 1103515245u + 12345u;
  return ((rng_state >> 8) & 0xFFFF) / 32768.0 - 1.0;
}

/* ------------------------------------------------------------ helpers */

static int add_const(tflw_model *w, int type, int n, const void *data) {
  const size_t bytes = tml_type_size(type) * (size_t)n;
  unsigned char *buf = calloc(1, bytes ? bytes : 1);
  int b;
  if (data) memcpy(buf, data, bytes);
  b = tflw_buffer(w, buf, bytes);
  free(buf);
  return b;
}

/* A tensor with per-tensor quantization when scale > 0. */
static int tensor(tflw_model *w, const char *name, int type, int rank,
                  const int32_t *dims, int buffer, float scale, int zp,
                  int variable) {
  const int64_t z = zp;
  return tflw_tensor(w, name, type, rank, dims, buffer,
                     scale > 0 ? &scale : NULL, scale > 0 ? &z : NULL,
                     scale > 0 ? 1 : 0, 0, variable);
}

typedef struct session {
  unsigned char *bytes;
  size_t size;
  tml_model m;
  tml_interp it;
  uint8_t *arena;
  tml_error err;
} session;

/* Finish the model (frees the writer), load it, size the arena and init.
** Checks that tml_arena_size reports what tml_init reports. */
static tml_status open_model(session *s, tflw_model *w) {
  size_t need = 0;
  tml_error e2;
  tml_status a, st;
  memset(s, 0, sizeof *s);
  if (tflw_finish(w, &s->bytes, &s->size) != 0) {
    fprintf(stderr, "writer: %s\n", tflw_error(w));
    tflw_free(w);
    return TML_ERR_ARG;
  }
  tflw_free(w);
  st = tml_model_load(&s->m, s->bytes, s->size, &s->err);
  if (st != TML_OK) return st;
  a = tml_arena_size(&s->m, &need, &e2);
  s->arena = malloc(a == TML_OK ? need : 65536);
  st = tml_init(&s->it, &s->m, s->arena, a == TML_OK ? need : 65536,
                &s->err);
  CHECK_EQ(a, st);
  if (a != TML_OK) {
    CHECK_EQ(e2.op, s->err.op);
    CHECK_EQ(e2.tensor, s->err.tensor);
    CHECK(strcmp(e2.message, s->err.message) == 0);
  }
  return st;
}

static void close_model(session *s) {
  free(s->arena);
  free(s->bytes);
}

/* Variable tensor k (in tensor order) in the arena. */
static void *var(session *s, uint32_t k) {
  CHECK(k < s->it.n_vars);
  return s->it.arena + s->it.vars[k].offset;
}

static void run(session *s, const void *in, size_t bytes, void *out,
                size_t out_bytes) {
  tml_tensor t;
  CHECK_EQ(tml_set_input(&s->it, 0, in, bytes), TML_OK);
  CHECK_EQ(tml_invoke(&s->it), TML_OK);
  CHECK_EQ(tml_output(&s->it, 0, &t), TML_OK);
  CHECK_EQ(t.bytes, out_bytes);
  memcpy(out, t.data, out_bytes);
}

/* The model must be rejected with `want` by both tml_arena_size and
** tml_init (open_model compares them). */
static void expect_error(tflw_model *w, tml_status want, const char *what) {
  session s;
  tml_status st = open_model(&s, w);
  if (st != want || getenv("TML_TEST_VERBOSE"))
    fprintf(stderr, "%s: got %s (%s), want %s\n", what, tml_status_name(st),
            s.err.message, tml_status_name(want));
  CHECK_EQ(st, want);
  CHECK_EQ(s.err.op, 0);
  close_model(&s);
}

/* ------------------------------------------------------------ SVDF model */

typedef struct svdf_spec {
  int type; /* input */
  int wf_type, wt_type, st_type, b_type, out_type;
  int b, i, f, rank, mem, units_out;
  const void *wf, *wt, *bias, *state_data;
  int has_bias;
  float in_s, wf_s, wt_s, b_s, st_s, out_s;
  int in_zp, st_zp, out_zp;
  int act, rank_opt;
  int options; /* 1: SVDFOptions, 0: none, else that union tag */
  int state_variable, wf_const;
  int n_inputs, version;
} svdf_spec;

static void svdf_dims(svdf_spec *s, int b, int i, int f, int rank, int mem) {
  s->b = b;
  s->i = i;
  s->f = f;
  s->rank = s->rank_opt = rank;
  s->mem = mem;
  s->units_out = f / rank;
}

/* The kernel test's hand-derived case: B=1, I=1, one filter of rank 1,
** memory 2; in 0.5 (zp 1), w_feature 0.5, w_time 0.5, bias 0.125, state
** 0.25, out 0.25 (zp -2). */
static const int8_t hand_wf[1] = {3};
static const int16_t hand_wt[2] = {2, -1};
static const int32_t hand_bias[1] = {4};

static void svdf_defaults(svdf_spec *s, int type) {
  const int q = type == TML_INT8;
  memset(s, 0, sizeof *s);
  s->type = s->wf_type = s->out_type = type;
  s->wt_type = s->st_type = q ? TML_INT16 : type;
  s->b_type = q ? TML_INT32 : type;
  svdf_dims(s, 1, 1, 1, 1, 2);
  s->has_bias = 1;
  if (q) {
    s->wf = hand_wf;
    s->wt = hand_wt;
    s->bias = hand_bias;
  }
  s->in_s = 0.5f;
  s->in_zp = 1;
  s->wf_s = 0.5f;
  s->wt_s = 0.5f;
  s->b_s = 0.125f;
  s->st_s = 0.25f;
  s->out_s = 0.25f;
  s->out_zp = -2;
  s->options = 1;
  s->state_variable = 1;
  s->wf_const = 1;
  s->n_inputs = 5;
  s->version = q ? 3 : 1;
}

static tflw_model *svdf_model(const svdf_spec *s) {
  tflw_model *w = tflw_new();
  const int q = s->type == TML_INT8;
  const int32_t d_in[2] = {s->b, s->i}, d_wf[2] = {s->f, s->i};
  const int32_t d_wt[2] = {s->f, s->mem}, d_b[1] = {s->f / s->rank};
  const int32_t d_st[2] = {s->b, s->f * s->mem};
  const int32_t d_out[2] = {s->b, s->units_out};
  int32_t ins[5], out;
  int o = TFLW_NO_OPTIONS;
  ins[0] = tensor(w, "in", s->type, 2, d_in, 0, q ? s->in_s : 0, s->in_zp, 0);
  ins[1] = tensor(w, "w_feature", s->wf_type, 2, d_wf,
                  s->wf_const ? add_const(w, s->wf_type, s->f * s->i, s->wf)
                              : 0,
                  q ? s->wf_s : 0, 0, 0);
  ins[2] = tensor(w, "w_time", s->wt_type, 2, d_wt,
                  add_const(w, s->wt_type, s->f * s->mem, s->wt),
                  q ? s->wt_s : 0, 0, 0);
  ins[3] = s->has_bias ? tensor(w, "bias", s->b_type, 1, d_b,
                                add_const(w, s->b_type, d_b[0], s->bias),
                                q ? s->b_s : 0, 0, 0)
                       : -1;
  ins[4] = tensor(w, "state", s->st_type, 2, d_st,
                  s->state_data ? add_const(w, s->st_type, d_st[0] * d_st[1],
                                            s->state_data)
                                : 0,
                  q ? s->st_s : 0, s->st_zp, s->state_variable);
  out = tensor(w, "out", s->out_type, 2, d_out, 0, q ? s->out_s : 0,
               s->out_zp, 0);
  if (s->options) {
    o = tflw_opt_begin(w, s->options == 1 ? TFLW_OPT_SVDF : s->options);
    tflw_opt_i32(w, o, 0, s->rank_opt);
    tflw_opt_u8(w, o, 1, s->act);
  }
  tflw_op(w, TML_OP_SVDF, s->version, ins, s->n_inputs, &out, 1, o, NULL, 0);
  tflw_io(w, ins, 1, &out, 1);
  return w;
}

/* ------------------------------------------------------------ SVDF tests */

/* The kernel test's hand-derived bytes, now through a model: state =
** 3 (x - 1), out = -2 + round((4 + 2 s_old - s_new) / 2), saturating. */
static void test_svdf_s8_hand(void) {
  static const int8_t xs[7] = {5, 3, 0, -2, 4, 127, -128};
  static const int8_t want[7] = {-6, 9, 8, 2, -13, -128, 127};
  svdf_spec sp;
  session s;
  int16_t *state;
  int8_t out;
  int t;
  tml_tensor ti;
  svdf_defaults(&sp, TML_INT8);
  if (open_model(&s, svdf_model(&sp)) != TML_OK) {
    fprintf(stderr, "svdf hand: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  CHECK_EQ(s.it.n_vars, 1);
  CHECK_EQ(s.it.vars[0].bytes, 4);
  CHECK_EQ(s.it.vars[0].value, 0); /* int16 state: 0, whatever its zp */
  CHECK_EQ(tml_output(&s.it, 0, &ti), TML_OK);
  CHECK_EQ(ti.type, TML_INT8);
  CHECK_EQ(ti.rank, 2);
  CHECK_EQ(ti.dims[1], 1);
  state = var(&s, 0);
  CHECK_EQ(state[0], 0);
  CHECK_EQ(state[1], 0);
  for (t = 0; t < 7; t++) {
    run(&s, &xs[t], 1, &out, 1);
    CHECK_EQ(out, want[t]);
  }
  CHECK_EQ(state[0], 378);
  CHECK_EQ(state[1], -387);
  /* tml_reset: the state is zero again and the sequence starts over. */
  CHECK_EQ(tml_reset(&s.it), TML_OK);
  CHECK_EQ(state[0], 0);
  CHECK_EQ(state[1], 0);
  for (t = 0; t < 3; t++) {
    run(&s, &xs[t], 1, &out, 1);
    CHECK_EQ(out, want[t]);
  }
  close_model(&s);
}

/* State zero point 100, no bias: TFLM still resets an int16 state to 0
** (not to its zero point), so the first step sees s_old - zp = -100:
**   x=5: s_new = 12 + 100; acc = 2 (0 - 100) - (112 - 100) = -212 -> -106
**        (SRDHM by 2^30, ties away from zero) -> -108
**   x=3: s_new = 106; acc = 2 (112 - 100) - (106 - 100) = 18 -> 9 -> 7 */
static void test_svdf_s8_state_zp(void) {
  static const int8_t xs[2] = {5, 3}, want[2] = {-108, 7};
  svdf_spec sp;
  session s;
  int16_t *state;
  int8_t out;
  int t;
  svdf_defaults(&sp, TML_INT8);
  sp.st_zp = 100;
  sp.has_bias = 0; /* TFLM would crash here (its TODO #1751): TML runs it */
  if (open_model(&s, svdf_model(&sp)) != TML_OK) {
    fprintf(stderr, "svdf zp: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  state = var(&s, 0);
  CHECK_EQ(state[0], 0);
  for (t = 0; t < 2; t++) {
    run(&s, &xs[t], 1, &out, 1);
    CHECK_EQ(out, want[t]);
  }
  CHECK_EQ(state[0], 112);
  CHECK_EQ(state[1], 106);
  close_model(&s);
}

/* A variable state the model gives data to: TFLM ignores the data (the
** state starts from its reset value) and never writes into the model. */
static void test_svdf_state_with_data(void) {
  static const int16_t init[2] = {1000, -1000};
  static const int8_t xs[2] = {5, 3}, want[2] = {-6, 9};
  svdf_spec sp;
  session s;
  unsigned char *copy;
  int8_t out;
  int t;
  svdf_defaults(&sp, TML_INT8);
  sp.state_data = init;
  if (open_model(&s, svdf_model(&sp)) != TML_OK) {
    fprintf(stderr, "svdf data: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  copy = malloc(s.size);
  memcpy(copy, s.bytes, s.size);
  CHECK_EQ(((int16_t *)var(&s, 0))[0], 0);
  for (t = 0; t < 2; t++) {
    run(&s, &xs[t], 1, &out, 1);
    CHECK_EQ(out, want[t]);
  }
  CHECK(memcmp(copy, s.bytes, s.size) == 0);
  free(copy);
  close_model(&s);
}

/* int8, B=2, rank 2: the same bytes as the kernel called directly with
** params from tml_svdf_s8_init on the test's scales, step after step (output
** and state), and within rounding of a double reference. */
static void test_svdf_s8_batches(void) {
  enum { B = 2, I = 3, RANK = 2, U = 2, F = U * RANK, T = 3, STEPS = 6 };
  svdf_spec sp;
  session s;
  tml_svdf_params p;
  int8_t wf[F * I], x[STEPS][B * I], out[B * U], ref_out[B * U];
  int16_t wt[F * T], ref_state[B * F * T];
  int32_t bias[U];
  double feat[STEPS][B][F];
  int k, t, b, u, r, j, f;
  svdf_defaults(&sp, TML_INT8);
  svdf_dims(&sp, B, I, F, RANK, T);
  sp.in_s = 0.02f;
  sp.in_zp = 5;
  sp.wf_s = 0.01f;
  sp.wt_s = 0.004f;
  sp.st_s = 0.005f;
  sp.st_zp = 0;
  sp.b_s = sp.st_s * sp.wt_s;
  sp.out_s = 0.05f;
  sp.out_zp = -7;
  sp.act = TML_ACT_RELU; /* ignored by TFLM's integer SVDF */
  for (k = 0; k < F * I; k++) wf[k] = (int8_t)(rnd() * 127);
  for (k = 0; k < F * T; k++) wt[k] = (int16_t)(rnd() * 127);
  for (k = 0; k < U; k++) bias[k] = (int32_t)(rnd() * 2000);
  for (t = 0; t < STEPS; t++)
    for (k = 0; k < B * I; k++) x[t][k] = (int8_t)(rnd() * 120);
  sp.wf = wf;
  sp.wt = wt;
  sp.bias = bias;
  if (open_model(&s, svdf_model(&sp)) != TML_OK) {
    fprintf(stderr, "svdf batches: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  CHECK_EQ(tml_svdf_s8_init(&p, B, I, F, RANK, T, sp.in_s, sp.in_zp, sp.wf_s,
                            sp.wt_s, sp.b_s, sp.st_s, sp.st_zp, sp.out_s,
                            sp.out_zp),
           TML_OK);
  memset(ref_state, 0, sizeof ref_state);
  for (t = 0; t < STEPS; t++) {
    run(&s, x[t], sizeof x[t], out, sizeof out);
    tml_svdf_s8(&p, x[t], wf, wt, bias, ref_state, ref_out, NULL);
    CHECK_ARRAY_EQ(out, ref_out, B * U);
    CHECK_ARRAY_EQ((int16_t *)var(&s, 0), ref_state, B * F * T);
    /* Double reference: features of every step so far, reduced by the
    ** time weights (column j holds step t - T + 1 + j). Errors: each state
    ** value is rounded (st_s / 2, times |w_time|) and the output too. */
    for (b = 0; b < B; b++)
      for (f = 0; f < F; f++) {
        double acc = 0;
        for (k = 0; k < I; k++)
          acc += wf[f * I + k] * (double)sp.wf_s * (x[t][b * I + k] - sp.in_zp) *
                 (double)sp.in_s;
        feat[t][b][f] = acc;
      }
    for (b = 0; b < B; b++)
      for (u = 0; u < U; u++) {
        double acc = bias[u] * (double)sp.b_s, wsum = 0, got;
        for (r = 0; r < RANK; r++)
          for (j = 0; j < T; j++) {
            const int step = t - (T - 1) + j;
            f = u * RANK + r;
            wsum += fabs(wt[f * T + j] * (double)sp.wt_s);
            if (step >= 0)
              acc += wt[f * T + j] * (double)sp.wt_s * feat[step][b][f];
          }
        got = (out[b * U + u] - sp.out_zp) * (double)sp.out_s;
        if (out[b * U + u] > -128 && out[b * U + u] < 127)
          CHECK_NEAR(got, acc,
                     1.02 * (0.5 * sp.st_s * wsum + 0.5 * sp.out_s));
        else
          CHECK(acc > 0 ? got <= acc + sp.out_s : got >= acc - sp.out_s);
      }
  }
  close_model(&s);
}

/* Float, B=2, rank 2, memory 3, RELU (also without bias): against a double
** reference over several invokes, then again after tml_reset. */
static void test_svdf_f32(int with_bias) {
  enum { B = 2, I = 3, RANK = 2, U = 2, F = U * RANK, T = 3, STEPS = 5 };
  svdf_spec sp;
  session s;
  float wf[F * I], wt[F * T], bias[U], x[STEPS][B * I], out[B * U];
  double ref[STEPS][B * U], feat[STEPS][B][F];
  int k, t, b, u, r, j, f, pass;
  svdf_defaults(&sp, TML_FLOAT32);
  svdf_dims(&sp, B, I, F, RANK, T);
  sp.act = TML_ACT_RELU;
  sp.has_bias = with_bias;
  for (k = 0; k < F * I; k++) wf[k] = (float)rnd();
  for (k = 0; k < F * T; k++) wt[k] = (float)rnd();
  for (k = 0; k < U; k++) bias[k] = (float)(rnd() * 0.5);
  for (t = 0; t < STEPS; t++)
    for (k = 0; k < B * I; k++) x[t][k] = (float)(rnd() * 2);
  sp.wf = wf;
  sp.wt = wt;
  sp.bias = bias;
  for (t = 0; t < STEPS; t++) {
    for (b = 0; b < B; b++)
      for (f = 0; f < F; f++) {
        double acc = 0;
        for (k = 0; k < I; k++) acc += (double)wf[f * I + k] * x[t][b * I + k];
        feat[t][b][f] = acc;
      }
    for (b = 0; b < B; b++)
      for (u = 0; u < U; u++) {
        double acc = with_bias ? bias[u] : 0.0;
        for (r = 0; r < RANK; r++)
          for (j = 0; j < T; j++) {
            const int step = t - (T - 1) + j;
            f = u * RANK + r;
            if (step >= 0) acc += (double)wt[f * T + j] * feat[step][b][f];
          }
        ref[t][b * U + u] = acc > 0 ? acc : 0;
      }
  }
  if (open_model(&s, svdf_model(&sp)) != TML_OK) {
    fprintf(stderr, "svdf f32: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  for (pass = 0; pass < 2; pass++) {
    for (t = 0; t < STEPS; t++) {
      run(&s, x[t], sizeof x[t], out, sizeof out);
      CHECK_ARRAY_NEAR(out, ref[t], B * U, 1e-5);
    }
    /* The newest state column holds the last step's features. */
    for (b = 0; b < B; b++)
      for (f = 0; f < F; f++)
        CHECK_NEAR(((float *)var(&s, 0))[(b * F + f) * T + T - 1],
                   feat[STEPS - 1][b][f], 1e-5);
    CHECK_EQ(tml_reset(&s.it), TML_OK);
    CHECK_EQ(((float *)var(&s, 0))[T - 1], 0.0f);
  }
  close_model(&s);
}

/* Fused activations come through for float: x = 8 with unit weights. */
static void test_svdf_f32_activations(void) {
  static const int acts[5] = {TML_ACT_NONE, TML_ACT_RELU_N1_TO_1,
                              TML_ACT_RELU6, TML_ACT_TANH, TML_ACT_SIGN_BIT};
  static const float xs[2] = {8.0f, -0.5f};
  const float one[2] = {1.0f, 0.0f}, zero = 0.0f;
  int a, k;
  for (a = 0; a < 5; a++) {
    svdf_spec sp;
    session s;
    float out;
    svdf_defaults(&sp, TML_FLOAT32);
    sp.act = acts[a];
    sp.wf = one;   /* feature = x */
    sp.wt = one;   /* out = older column: the step before */
    sp.bias = &zero;
    if (open_model(&s, svdf_model(&sp)) != TML_OK) {
      CHECK(0);
      close_model(&s);
      continue;
    }
    for (k = 0; k < 3; k++) {
      const float x = xs[k % 2], prev = k ? xs[(k - 1) % 2] : 0.0f;
      double want = prev;
      run(&s, &x, sizeof x, &out, sizeof out);
      switch (acts[a]) {
        case TML_ACT_RELU_N1_TO_1: want = prev < -1 ? -1 : prev > 1 ? 1 : prev;
          break;
        case TML_ACT_RELU6: want = prev < 0 ? 0 : prev > 6 ? 6 : prev; break;
        case TML_ACT_TANH: want = tanh(prev); break;
        case TML_ACT_SIGN_BIT: want = signbit(prev) ? 1 : 0; break;
        default: break;
      }
      CHECK_NEAR(out, want, 1e-6);
    }
    close_model(&s);
  }
}

static void test_svdf_rejections(void) {
  svdf_spec sp;
  /* Hybrid: float input, int8 feature weights (versions 2 and 4). */
  svdf_defaults(&sp, TML_FLOAT32);
  sp.wf_type = TML_INT8;
  sp.version = 4;
  expect_error(svdf_model(&sp), TML_ERR_TYPE, "svdf hybrid");
  /* TFLM's int8-state variant (int8 time weights and state). */
  svdf_defaults(&sp, TML_INT8);
  sp.wt_type = sp.st_type = TML_INT8;
  sp.wt = NULL;
  expect_error(svdf_model(&sp), TML_ERR_TYPE, "svdf int8 state");
  svdf_defaults(&sp, TML_INT8);
  sp.st_type = TML_INT8;
  expect_error(svdf_model(&sp), TML_ERR_TYPE, "svdf state type");
  svdf_defaults(&sp, TML_INT8);
  sp.b_type = TML_INT8;
  sp.bias = NULL;
  expect_error(svdf_model(&sp), TML_ERR_TYPE, "svdf bias type");
  svdf_defaults(&sp, TML_INT16);
  sp.wf = sp.wt = sp.bias = NULL;
  expect_error(svdf_model(&sp), TML_ERR_TYPE, "svdf int16 input");
  /* The state must be a variable tensor (and be there). */
  svdf_defaults(&sp, TML_INT8);
  sp.state_variable = 0;
  expect_error(svdf_model(&sp), TML_ERR_SCHEMA, "svdf state not variable");
  svdf_defaults(&sp, TML_INT8);
  sp.n_inputs = 4;
  expect_error(svdf_model(&sp), TML_ERR_SCHEMA, "svdf 4 inputs");
  /* Options: rank, activation, union tag, none at all. */
  svdf_defaults(&sp, TML_INT8);
  sp.rank_opt = 0;
  expect_error(svdf_model(&sp), TML_ERR_OPTIONS, "svdf rank 0");
  svdf_defaults(&sp, TML_FLOAT32);
  sp.options = 0;
  expect_error(svdf_model(&sp), TML_ERR_OPTIONS, "svdf no options");
  svdf_defaults(&sp, TML_FLOAT32);
  sp.options = TFLW_OPT_FULLY_CONNECTED;
  expect_error(svdf_model(&sp), TML_ERR_OPTIONS, "svdf options tag");
  svdf_defaults(&sp, TML_FLOAT32);
  sp.act = 6;
  expect_error(svdf_model(&sp), TML_ERR_OPTIONS, "svdf activation 6");
  /* Shapes: filters not a multiple of the rank, wrong output or state. */
  svdf_defaults(&sp, TML_FLOAT32);
  svdf_dims(&sp, 1, 2, 3, 2, 2);
  sp.units_out = 1;
  expect_error(svdf_model(&sp), TML_ERR_SHAPE, "svdf rank divides filters");
  svdf_defaults(&sp, TML_FLOAT32);
  sp.units_out = 2;
  expect_error(svdf_model(&sp), TML_ERR_SHAPE, "svdf output shape");
  /* Quantization: bias scale must be state x time weights scale (TFLM's
  ** 1e-5 tolerance), weights symmetric and per tensor. */
  svdf_defaults(&sp, TML_INT8);
  sp.b_s = 0.25f;
  expect_error(svdf_model(&sp), TML_ERR_QUANT, "svdf bias scale");
  svdf_defaults(&sp, TML_INT8);
  sp.st_s = 0.0f; /* no quantization on the state */
  expect_error(svdf_model(&sp), TML_ERR_QUANT, "svdf state unquantized");
  {
    const float scales[2] = {0.5f, 0.5f};
    const int64_t zps[2] = {0, 0};
    tflw_model *w;
    svdf_defaults(&sp, TML_INT8);
    svdf_dims(&sp, 1, 1, 2, 1, 2); /* two filters: two channels */
    sp.wf = sp.wt = sp.bias = NULL;
    w = svdf_model(&sp);
    tflw_tensor_quant(w, 1, scales, 2, zps, 2, 0);
    expect_error(w, TML_ERR_QUANT, "svdf per-channel weights");
  }
  {
    const float sc = 0.5f;
    const int64_t zp = 3;
    tflw_model *w;
    svdf_defaults(&sp, TML_INT8);
    w = svdf_model(&sp);
    tflw_tensor_quant(w, 2, &sc, 1, &zp, 1, 0);
    expect_error(w, TML_ERR_QUANT, "svdf time weights zero point");
  }
  /* Weights must be constant (TML reads them in place). */
  svdf_defaults(&sp, TML_FLOAT32);
  sp.wf_const = 0;
  expect_error(svdf_model(&sp), TML_ERR_BUFFER, "svdf weights not constant");
  svdf_defaults(&sp, TML_INT8);
  sp.version = 5;
  expect_error(svdf_model(&sp), TML_ERR_OP_VERSION, "svdf version 5");
  /* An unquantized bias passes TFLM's check only if state x time weights
  ** scale is below 1e-5: 0.25 * 0.5 is not. */
  {
    tflw_model *w;
    svdf_defaults(&sp, TML_INT8);
    w = svdf_model(&sp);
    tflw_tensor_quant(w, 3, NULL, 0, NULL, 0, 0);
    expect_error(w, TML_ERR_QUANT, "svdf unquantized bias");
  }
}

/* ------------------------------------------------------------ LSTM model */

#define MAX_U 4
#define MAX_I 4

typedef struct lstm_spec {
  int type; /* input */
  int w_type, b_type, h_type, c_type, out_type;
  int b, t, i, u, time_major;
  const void *wi[4], *wr[4], *bias[4];
  float in_s, w_s, h_s, c_s;
  int in_zp, h_zp;
  int act;
  float cell_clip;
  int diagonal;
  int options; /* 1: its options, 0: none, else that union tag */
  int omit[TML_LSTM_N_INPUTS];  /* write -1 for a required input */
  int extra[TML_LSTM_N_INPUTS]; /* write an optional (unsupported) one */
  int h_var, c_var;
  int n_inputs, version, n_inter;
} lstm_spec;

static void lstm_defaults(lstm_spec *s, int type, int b, int t, int i, int u) {
  const int q = type == TML_INT8;
  memset(s, 0, sizeof *s);
  s->type = s->w_type = s->h_type = s->out_type = type;
  s->b_type = q ? TML_INT32 : type;
  s->c_type = q ? TML_INT16 : type;
  s->b = b;
  s->t = t;
  s->i = i;
  s->u = u;
  s->in_s = s->w_s = s->h_s = 1.0f / 64;
  s->c_s = 1.0f / 2048;
  s->h_zp = 3;
  s->act = 4;
  s->options = 1;
  s->h_var = s->c_var = 1;
  s->n_inputs = TML_LSTM_N_INPUTS;
  s->version = 1;
}

static tflw_model *lstm_model(const lstm_spec *s) {
  tflw_model *w = tflw_new();
  const int q = s->type == TML_INT8;
  const int d0 = s->time_major ? s->t : s->b, d1 = s->time_major ? s->b : s->t;
  const int32_t d_in[3] = {d0, d1, s->i}, d_out[3] = {d0, d1, s->u};
  const int32_t d_wi[2] = {s->u, s->i}, d_wr[2] = {s->u, s->u};
  const int32_t d_u[1] = {s->u}, d_state[2] = {s->b, s->u};
  int32_t ins[TML_LSTM_N_INPUTS], out, inter[5];
  int k, o = TFLW_NO_OPTIONS;
  for (k = 0; k < TML_LSTM_N_INPUTS; k++) {
    const int g = (k - 1) % 4;
    ins[k] = -1;
    if (s->omit[k]) continue;
    if (k == 0)
      ins[k] = tensor(w, "input", s->type, 3, d_in, 0, q ? s->in_s : 0,
                      s->in_zp, 0);
    else if (k < TML_LSTM_REC_WEIGHTS)
      ins[k] = tensor(w, "w_in", s->w_type, 2, d_wi,
                      add_const(w, s->w_type, s->u * s->i, s->wi[g]),
                      q ? s->w_s : 0, 0, 0);
    else if (k < TML_LSTM_PEEPHOLE)
      ins[k] = tensor(w, "w_rec", s->w_type, 2, d_wr,
                      add_const(w, s->w_type, s->u * s->u, s->wr[g]),
                      q ? s->w_s : 0, 0, 0);
    else if (k >= TML_LSTM_BIAS && k < TML_LSTM_PROJECTION)
      ins[k] = tensor(w, "bias", s->b_type, 1, d_u,
                      add_const(w, s->b_type, s->u, s->bias[k - 12]),
                      q ? s->in_s * s->w_s : 0, 0, 0);
    else if (k == TML_LSTM_OUTPUT_STATE)
      ins[k] = tensor(w, "h", s->h_type, 2, d_state, 0, q ? s->h_s : 0,
                      s->h_zp, s->h_var);
    else if (k == TML_LSTM_CELL_STATE)
      ins[k] = tensor(w, "c", s->c_type, 2, d_state, 0, q ? s->c_s : 0, 0,
                      s->c_var);
    else if (s->extra[k])
      ins[k] = tensor(w, "optional", s->w_type, 1, d_u,
                      add_const(w, s->w_type, s->u, NULL), q ? s->w_s : 0, 0,
                      0);
  }
  out = tensor(w, "out", s->out_type, 3, d_out, 0, q ? s->h_s : 0, s->h_zp, 0);
  for (k = 0; k < s->n_inter; k++)
    inter[k] = tensor(w, "intermediate", TML_INT16, 0, NULL, 0,
                      1.0f / 4096, 0, 0);
  if (s->options) {
    o = tflw_opt_begin(w, s->options == 1
                              ? TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM
                              : s->options);
    tflw_opt_u8(w, o, 0, s->act);
    tflw_opt_f32(w, o, 1, s->cell_clip);
    tflw_opt_f32(w, o, 2, 0.0f);
    tflw_opt_u8(w, o, 3, s->time_major);
    if (s->diagonal) tflw_opt_u8(w, o, 5, 1);
  }
  tflw_op(w, TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, s->version, ins,
          s->n_inputs, &out, 1, o, s->n_inter ? inter : NULL, s->n_inter);
  tflw_io(w, ins, 1, &out, 1);
  return w;
}

/* The description tml_lstm_init takes, from the spec (the reference path). */
static void lstm_describe(const lstm_spec *s, tml_lstm_tensor *in,
                          tml_lstm_tensor *out) {
  const int q = s->type == TML_INT8;
  const int d0 = s->time_major ? s->t : s->b, d1 = s->time_major ? s->b : s->t;
  int k;
  memset(in, 0, sizeof(tml_lstm_tensor) * TML_LSTM_N_INPUTS);
  memset(out, 0, sizeof *out);
#define SET(t, ty, r, a, b_, c, sc, z, v)                                    \
  do {                                                                     \
    (t)->present = 1;                                                      \
    (t)->type = (ty);                                                      \
    (t)->rank = (r);                                                       \
    (t)->dims[0] = (a);                                                    \
    (t)->dims[1] = (b_);                                                   \
    (t)->dims[2] = (c);                                                    \
    (t)->n_scales = q ? 1 : 0;                                             \
    (t)->scale = q ? (sc) : 0;                                             \
    (t)->zero_point = q ? (z) : 0;                                         \
    (t)->is_variable = (v);                                                \
  } while (0)
  SET(&in[0], s->type, 3, d0, d1, s->i, s->in_s, s->in_zp, 0);
  for (k = 0; k < 4; k++) {
    SET(&in[1 + k], s->w_type, 2, s->u, s->i, 0, s->w_s, 0, 0);
    SET(&in[5 + k], s->w_type, 2, s->u, s->u, 0, s->w_s, 0, 0);
    SET(&in[12 + k], s->b_type, 1, s->u, 0, 0, s->in_s * s->w_s, 0, 0);
  }
  SET(&in[18], s->h_type, 2, s->b, s->u, 0, s->h_s, s->h_zp, 1);
  SET(&in[19], s->c_type, 2, s->b, s->u, 0, s->c_s, 0, 1);
  SET(out, s->out_type, 3, d0, d1, s->u, s->h_s, s->h_zp, 0);
#undef SET
}

/* ------------------------------------------------------------ LSTM tests */

/* The kernel test's hand-derived case (one unit, one input; scales 1/64,
** hidden zero point 3, cell 2^-11): x = 64, 32, -64 gives h = 5, 5, 2 and
** a final cell of -80. Run as one invoke of 3 steps, and as 3 invokes of one
** step (the states carry over); tml_reset restores h = 3 (its zero point)
** and c = 0. Intermediates (as the converter writes them) are ignored. */
static void test_lstm_s8_hand(void) {
  static const int8_t wi[4] = {8, 16, 8, 0}, wr[4] = {0, 64, -32, 16};
  static const int32_t bias[4] = {0, 0, 0, -512};
  static const int8_t x[3] = {64, 32, -64}, want[3] = {5, 5, 2};
  lstm_spec sp;
  session s;
  int8_t out[3];
  int g, t, steps;
  for (steps = 3; steps >= 1; steps -= 2) {
    lstm_defaults(&sp, TML_INT8, 1, steps, 1, 1);
    for (g = 0; g < 4; g++) {
      sp.wi[g] = &wi[g];
      sp.wr[g] = &wr[g];
      sp.bias[g] = &bias[g];
    }
    sp.n_inter = steps == 3 ? 5 : 0;
    if (open_model(&s, lstm_model(&sp)) != TML_OK) {
      fprintf(stderr, "lstm hand: %s\n", s.err.message);
      CHECK(0);
      close_model(&s);
      return;
    }
    CHECK_EQ(s.it.n_vars, 2);
    CHECK_EQ(s.it.vars[0].value, 3); /* int8 output state: zero point */
    CHECK_EQ(s.it.vars[1].value, 0); /* int16 cell state */
    CHECK_EQ(*(int8_t *)var(&s, 0), 3);
    CHECK_EQ(*(int16_t *)var(&s, 1), 0);
    if (steps == 3) {
      run(&s, x, 3, out, 3);
      CHECK_ARRAY_EQ(out, want, 3);
    } else {
      for (t = 0; t < 3; t++) {
        run(&s, &x[t], 1, &out[t], 1);
        CHECK_EQ(out[t], want[t]);
      }
    }
    CHECK_EQ(*(int8_t *)var(&s, 0), 2);
    CHECK_EQ(*(int16_t *)var(&s, 1), -80);
    CHECK_EQ(tml_reset(&s.it), TML_OK);
    CHECK_EQ(*(int8_t *)var(&s, 0), 3);
    CHECK_EQ(*(int16_t *)var(&s, 1), 0);
    run(&s, x, (size_t)steps, out, (size_t)steps);
    CHECK_ARRAY_EQ(out, want, steps);
    close_model(&s);
  }
}

/* int8, B=2, T=3, time major or not, nonzero zero points, a negative hidden
** zero point (tml_reset's byte must be -4), cell clip: the runtime gives the
** bytes of the kernel called directly on the test's own description, over
** two invokes, for the output and both states. */
static void test_lstm_s8_batches(int time_major) {
  enum { B = 2, T = 3, I = 3, U = 2 };
  lstm_spec sp;
  session s;
  tml_lstm_tensor d[TML_LSTM_N_INPUTS], d_out;
  tml_lstm_params p;
  tml_lstm_data_s8 dd;
  int8_t wi[4][U * I], wr[4][U * U], x[T * B * I], out[T * B * U];
  int8_t ref_out[T * B * U], ref_h[B * U];
  int16_t ref_c[B * U];
  int32_t bias[4][U];
  int g, k, call;
  lstm_defaults(&sp, TML_INT8, B, T, I, U);
  sp.time_major = time_major;
  sp.in_s = 1.0f / 32;
  sp.in_zp = 5;
  sp.w_s = 1.0f / 100;
  sp.h_s = 1.0f / 64;
  sp.h_zp = -4;
  sp.c_s = 1.0f / 4096;
  sp.cell_clip = 1.5f;
  for (g = 0; g < 4; g++) {
    for (k = 0; k < U * I; k++) wi[g][k] = (int8_t)(rnd() * 127);
    for (k = 0; k < U * U; k++) wr[g][k] = (int8_t)(rnd() * 127);
    for (k = 0; k < U; k++) bias[g][k] = (int32_t)(rnd() * 2000);
    sp.wi[g] = wi[g];
    sp.wr[g] = wr[g];
    sp.bias[g] = bias[g];
    dd.w_in[g] = wi[g];
    dd.w_rec[g] = wr[g];
    dd.bias[g] = bias[g];
  }
  lstm_describe(&sp, d, &d_out);
  CHECK_EQ(tml_lstm_init(&p, d, &d_out, 4, 1.5f, time_major), TML_OK);
  for (k = 0; k < B * U; k++) {
    ref_h[k] = -4;
    ref_c[k] = 0;
  }
  dd.input = x;
  dd.output = ref_out;
  dd.hidden = ref_h;
  dd.cell = ref_c;
  if (open_model(&s, lstm_model(&sp)) != TML_OK) {
    fprintf(stderr, "lstm batches: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  CHECK_EQ(s.it.vars[0].value, -4);
  CHECK_EQ(((int8_t *)var(&s, 0))[B * U - 1], -4);
  for (call = 0; call < 2; call++) {
    for (k = 0; k < T * B * I; k++) x[k] = (int8_t)(rnd() * 127);
    run(&s, x, sizeof x, out, sizeof out);
    tml_lstm_s8(&p, &dd);
    CHECK_ARRAY_EQ(out, ref_out, T * B * U);
    CHECK_ARRAY_EQ((int8_t *)var(&s, 0), ref_h, B * U);
    CHECK_ARRAY_EQ((int16_t *)var(&s, 1), ref_c, B * U);
  }
  /* The clip of 1.5 is 6144 cell LSBs. */
  for (k = 0; k < B * U; k++) CHECK(ref_c[k] >= -6144 && ref_c[k] <= 6144);
  CHECK_EQ(tml_reset(&s.it), TML_OK);
  CHECK_EQ(((int8_t *)var(&s, 0))[0], -4);
  close_model(&s);
}

static double sigm(double x) { return 1 / (1 + exp(-x)); }

/* Float: against a double reference written from the definition, over two
** invokes (the states carry over), time major or not, with cell clip. */
static void test_lstm_f32(int time_major, float clip) {
  enum { B = 2, T = 3, I = 3, U = 3 };
  lstm_spec sp;
  session s;
  float wi[4][U * I], wr[4][U * U], bias[4][U], x[T * B * I], out[T * B * U];
  double h[B][U], c[B][U];
  int g, j, k, t, b, call;
  lstm_defaults(&sp, TML_FLOAT32, B, T, I, U);
  sp.time_major = time_major;
  sp.cell_clip = clip;
  for (g = 0; g < 4; g++) {
    for (k = 0; k < U * I; k++) wi[g][k] = (float)rnd();
    for (k = 0; k < U * U; k++) wr[g][k] = (float)rnd();
    for (k = 0; k < U; k++) bias[g][k] = (float)(rnd() * 0.5);
    sp.wi[g] = wi[g];
    sp.wr[g] = wr[g];
    sp.bias[g] = bias[g];
  }
  if (open_model(&s, lstm_model(&sp)) != TML_OK) {
    fprintf(stderr, "lstm f32: %s\n", s.err.message);
    CHECK(0);
    close_model(&s);
    return;
  }
  memset(h, 0, sizeof h);
  memset(c, 0, sizeof c);
  for (call = 0; call < 2; call++) {
    for (k = 0; k < T * B * I; k++) x[k] = (float)(rnd() * 2);
    run(&s, x, sizeof x, out, sizeof out);
    for (t = 0; t < T; t++)
      for (b = 0; b < B; b++) {
        const int row = time_major ? t * B + b : b * T + t;
        double nh[U];
        for (j = 0; j < U; j++) {
          double pre[4];
          for (g = 0; g < 4; g++) {
            pre[g] = bias[g][j];
            for (k = 0; k < I; k++) pre[g] += wi[g][j * I + k] * (double)x[row * I + k];
            for (k = 0; k < U; k++) pre[g] += wr[g][j * U + k] * h[b][k];
          }
          c[b][j] = sigm(pre[1]) * c[b][j] + sigm(pre[0]) * tanh(pre[2]);
          if (clip > 0 && c[b][j] > clip) c[b][j] = clip;
          if (clip > 0 && c[b][j] < -clip) c[b][j] = -clip;
          nh[j] = sigm(pre[3]) * tanh(c[b][j]);
        }
        for (j = 0; j < U; j++) h[b][j] = nh[j];
        CHECK_ARRAY_NEAR(out + row * U, h[b], U, 2e-6);
      }
    for (b = 0; b < B; b++) {
      CHECK_ARRAY_NEAR((float *)var(&s, 0) + b * U, h[b], U, 2e-6);
      CHECK_ARRAY_NEAR((float *)var(&s, 1) + b * U, c[b], U, 5e-6);
    }
  }
  CHECK_EQ(tml_reset(&s.it), TML_OK);
  CHECK_EQ(((float *)var(&s, 1))[0], 0.0f);
  close_model(&s);
}

static void test_lstm_rejections(void) {
  lstm_spec sp;
  int k;
  /* The LSTM variants TFLM does not run: CIFG, peephole, projection,
  ** layer norm, diagonal recurrent weights (version 4). */
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.omit[1] = 1;
  expect_error(lstm_model(&sp), TML_ERR_UNSUPPORTED_OP, "lstm cifg");
  for (k = 9; k < 24; k++) {
    if ((k >= 12 && k < 16) || k == 18 || k == 19) continue;
    lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
    sp.extra[k] = 1;
    expect_error(lstm_model(&sp), TML_ERR_UNSUPPORTED_OP, "lstm variant");
  }
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.diagonal = 1;
  sp.version = 4;
  expect_error(lstm_model(&sp), TML_ERR_UNSUPPORTED_OP, "lstm diagonal");
  /* Missing required inputs and states, states that are not variable. */
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.omit[3] = 1;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm missing weights");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.omit[TML_LSTM_OUTPUT_STATE] = 1;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm missing state");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.omit[TML_LSTM_CELL_STATE] = 1;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm missing cell");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.c_var = 0;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm cell not variable");
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.h_var = 0;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm state not variable");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.n_inputs = 20;
  expect_error(lstm_model(&sp), TML_ERR_SCHEMA, "lstm 20 inputs");
  /* Types: hybrid (versions 2, 3), int16 activations (16x8, version 5),
  ** int8 cell state, float bias in an int8 LSTM. */
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.w_type = TML_INT8;
  sp.version = 2;
  expect_error(lstm_model(&sp), TML_ERR_TYPE, "lstm hybrid");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.type = sp.h_type = sp.out_type = TML_INT16;
  sp.version = 5;
  expect_error(lstm_model(&sp), TML_ERR_TYPE, "lstm int16");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.c_type = TML_INT8;
  expect_error(lstm_model(&sp), TML_ERR_TYPE, "lstm int8 cell");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.b_type = TML_FLOAT32;
  expect_error(lstm_model(&sp), TML_ERR_TYPE, "lstm float bias");
  /* Options: activation other than TANH, none at all, wrong tag, negative
  ** cell clip. */
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.act = 1;
  expect_error(lstm_model(&sp), TML_ERR_OPTIONS, "lstm relu");
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.act = 6;
  expect_error(lstm_model(&sp), TML_ERR_OPTIONS, "lstm activation 6");
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.options = 0;
  expect_error(lstm_model(&sp), TML_ERR_OPTIONS, "lstm no options");
  lstm_defaults(&sp, TML_FLOAT32, 1, 2, 2, 2);
  sp.options = TFLW_OPT_LSTM;
  expect_error(lstm_model(&sp), TML_ERR_OPTIONS, "lstm options tag");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.cell_clip = -1.0f;
  expect_error(lstm_model(&sp), TML_ERR_OPTIONS, "lstm negative clip");
  /* Quantization: cell scale not a power of two, asymmetric or per-channel
  ** weights, missing quantization. */
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.c_s = 0.0003f;
  expect_error(lstm_model(&sp), TML_ERR_QUANT, "lstm cell scale");
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.h_s = 0.0f;
  expect_error(lstm_model(&sp), TML_ERR_QUANT, "lstm hidden unquantized");
  {
    const float sc = 1.0f / 64;
    const int64_t zp = 1;
    tflw_model *w;
    lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
    w = lstm_model(&sp);
    tflw_tensor_quant(w, 2, &sc, 1, &zp, 1, 0);
    expect_error(w, TML_ERR_QUANT, "lstm weights zero point");
  }
  lstm_defaults(&sp, TML_INT8, 1, 2, 2, 2);
  sp.version = 6;
  expect_error(lstm_model(&sp), TML_ERR_OP_VERSION, "lstm version 6");
}

/* Shapes the spec cannot express: a model written by hand with one tensor
** wrong at a time. */
static void test_lstm_shapes(void) {
  enum { B = 2, T = 2, I = 3, U = 2 };
  int bad;
  for (bad = 0; bad < 4; bad++) {
    tflw_model *w = tflw_new();
    const int32_t d_in[3] = {B, T, I}, d_wi[2] = {U, I}, d_wr[2] = {U, U};
    const int32_t d_wr_bad[2] = {U, I}, d_u[1] = {U}, d_h[2] = {B, U};
    const int32_t d_c_bad[2] = {B, U + 1}, d_out[3] = {B, T, U};
    const int32_t d_out_bad[3] = {B, T, U + 1}, d_u_bad[1] = {U + 1};
    int32_t ins[24], out;
    int k, o;
    for (k = 0; k < 24; k++) ins[k] = -1;
    ins[0] = tensor(w, "input", TML_FLOAT32, 3, d_in, 0, 0, 0, 0);
    for (k = 1; k < 5; k++)
      ins[k] = tensor(w, "wi", TML_FLOAT32, 2, d_wi,
                      add_const(w, TML_FLOAT32, U * I, NULL), 0, 0, 0);
    for (k = 5; k < 9; k++)
      ins[k] = tensor(w, "wr", TML_FLOAT32, 2,
                      bad == 0 && k == 7 ? d_wr_bad : d_wr,
                      add_const(w, TML_FLOAT32, U * (bad == 0 && k == 7 ? I : U),
                                NULL),
                      0, 0, 0);
    for (k = 12; k < 16; k++)
      ins[k] = tensor(w, "b", TML_FLOAT32, 1, bad == 1 && k == 14 ? d_u_bad : d_u,
                      add_const(w, TML_FLOAT32, bad == 1 && k == 14 ? U + 1 : U,
                                NULL),
                      0, 0, 0);
    ins[18] = tensor(w, "h", TML_FLOAT32, 2, d_h, 0, 0, 0, 1);
    ins[19] = tensor(w, "c", TML_FLOAT32, 2, bad == 2 ? d_c_bad : d_h, 0, 0, 0,
                     1);
    out = tensor(w, "out", TML_FLOAT32, 3, bad == 3 ? d_out_bad : d_out, 0, 0,
                 0, 0);
    o = tflw_opt_begin(w, TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM);
    tflw_opt_u8(w, o, 0, 4);
    tflw_op(w, TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 1, ins, 24, &out, 1, o,
            NULL, 0);
    tflw_io(w, ins, 1, &out, 1);
    expect_error(w, TML_ERR_SHAPE, "lstm shape");
  }
}

int main(void) {
  test_svdf_s8_hand();
  test_svdf_s8_state_zp();
  test_svdf_state_with_data();
  test_svdf_s8_batches();
  test_svdf_f32(1);
  test_svdf_f32(0);
  test_svdf_f32_activations();
  test_svdf_rejections();
  test_lstm_s8_hand();
  test_lstm_s8_batches(0);
  test_lstm_s8_batches(1);
  test_lstm_f32(0, 0.0f);
  test_lstm_f32(1, 0.0f);
  test_lstm_f32(0, 0.4f);
  test_lstm_rejections();
  test_lstm_shapes();
  return TEST_REPORT();
}
