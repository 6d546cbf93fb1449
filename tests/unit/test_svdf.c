/*
** SVDF: float and int8 against an independent reference written from the
** definition (out_t = bias + sum over filters of the unit and the last T
** steps of w_time[f][j] * feature_f(x_{t-T+1+j})), hand-derived int8 bytes,
** state evolution, saturation and rejected configurations.
*/
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

#define B 2
#define I 3
#define RANK 2
#define U 2
#define F (U * RANK)
#define T 3
#define STEPS 6

static unsigned rng_state = 12345u;
static double rnd(void) { /* uniform in [-1, 1) */
  rng_state = rng_state * 1103515245u + 12345u;
  return ((rng_state >> 8) & 0xFFFF) / 32768.0 - 1.0;
}

/* Reference: feature activations of every step, then the time reduction. */
static void ref_svdf(const double *x /* [STEPS][B][I] */, const double *wf,
                     const double *wt, const double *bias, int act,
                     double *out /* [STEPS][B][U] */) {
  double feat[STEPS][B][F];
  int t, b, f, k, u, r, j;
  for (t = 0; t < STEPS; t++)
    for (b = 0; b < B; b++)
      for (f = 0; f < F; f++) {
        double s = 0;
        for (k = 0; k < I; k++) s += wf[f * I + k] * x[(t * B + b) * I + k];
        feat[t][b][f] = s;
      }
  for (t = 0; t < STEPS; t++)
    for (b = 0; b < B; b++)
      for (u = 0; u < U; u++) {
        double s = bias ? bias[u] : 0.0;
        for (r = 0; r < RANK; r++)
          for (j = 0; j < T; j++) {
            int step = t - (T - 1) + j; /* column j holds step t-T+1+j */
            f = u * RANK + r;
            if (step >= 0) s += wt[f * T + j] * feat[step][b][f];
          }
        if (act == TML_ACT_RELU && s < 0) s = 0;
        out[(t * B + b) * U + u] = s;
      }
}

static void test_float(int with_bias, tml_activation act) {
  tml_svdf_params p;
  double xd[STEPS * B * I], wfd[F * I], wtd[F * T], bd[U], ref[STEPS * B * U];
  float x[STEPS * B * I], wf[F * I], wt[F * T], bias[U], state[B * F * T];
  float out[B * U];
  int i, t;
  for (i = 0; i < STEPS * B * I; i++) x[i] = (float)(xd[i] = rnd() * 2);
  for (i = 0; i < F * I; i++) wf[i] = (float)(wfd[i] = rnd());
  for (i = 0; i < F * T; i++) wt[i] = (float)(wtd[i] = rnd());
  for (i = 0; i < U; i++) bias[i] = (float)(bd[i] = rnd() * 0.5);
  /* The reference uses the float-rounded values the kernel sees. */
  for (i = 0; i < STEPS * B * I; i++) xd[i] = x[i];
  for (i = 0; i < F * I; i++) wfd[i] = wf[i];
  for (i = 0; i < F * T; i++) wtd[i] = wt[i];
  for (i = 0; i < U; i++) bd[i] = bias[i];
  ref_svdf(xd, wfd, wtd, with_bias ? bd : NULL, act, ref);
  CHECK_EQ(tml_svdf_f32_init(&p, B, I, F, RANK, T, act), TML_OK);
  CHECK_EQ(tml_svdf_f32_scratch_size(&p), 0);
  memset(state, 0, sizeof state);
  for (t = 0; t < STEPS; t++) {
    tml_svdf_f32(&p, x + t * B * I, wf, wt, with_bias ? bias : NULL, state,
                 out, NULL);
    CHECK_ARRAY_NEAR(out, ref + t * B * U, B * U, 1e-5);
  }
  /* The newest state column is the feature projection of the last input. */
  {
    int b, f, k;
    for (b = 0; b < B; b++)
      for (f = 0; f < F; f++) {
        double s = 0;
        for (k = 0; k < I; k++)
          s += wfd[f * I + k] * xd[((STEPS - 1) * B + b) * I + k];
        CHECK_NEAR(state[(b * F + f) * T + T - 1], s, 1e-5);
      }
  }
}

static void test_float_activations(void) {
  tml_svdf_params p;
  /* B=1, I=1, F=1, T=1: out = bias + wt * wf * x. */
  const float wf = 1.0f, wt = 1.0f, bias = 0.0f;
  const float xs[4] = {-2.0f, -0.5f, 0.5f, 8.0f};
  float state, out;
  int i;
  for (i = 0; i < 4; i++) {
    const float x = xs[i];
    CHECK_EQ(tml_svdf_f32_init(&p, 1, 1, 1, 1, 1, TML_ACT_RELU6), TML_OK);
    tml_svdf_f32(&p, &x, &wf, &wt, &bias, &state, &out, NULL);
    CHECK_NEAR(out, x < 0 ? 0 : (x > 6 ? 6 : x), 0);
    CHECK_EQ(tml_svdf_f32_init(&p, 1, 1, 1, 1, 1, TML_ACT_RELU_N1_TO_1),
             TML_OK);
    tml_svdf_f32(&p, &x, &wf, &wt, &bias, &state, &out, NULL);
    CHECK_NEAR(out, x < -1 ? -1 : (x > 1 ? 1 : x), 0);
    CHECK_EQ(tml_svdf_f32_init(&p, 1, 1, 1, 1, 1, TML_ACT_TANH), TML_OK);
    tml_svdf_f32(&p, &x, &wf, &wt, &bias, &state, &out, NULL);
    CHECK_NEAR(out, tanh(x), 1e-6);
    CHECK_EQ(tml_svdf_f32_init(&p, 1, 1, 1, 1, 1, (tml_activation)6), TML_OK);
    tml_svdf_f32(&p, &x, &wf, &wt, &bias, &state, &out, NULL);
    CHECK_NEAR(out, 1 / (1 + exp(-x)), 1e-6);
    CHECK_EQ(tml_svdf_f32_init(&p, 1, 1, 1, 1, 1, TML_ACT_SIGN_BIT), TML_OK);
    tml_svdf_f32(&p, &x, &wf, &wt, &bias, &state, &out, NULL);
    CHECK_NEAR(out, x < 0 ? 1 : 0, 0);
  }
}

/* int8 against the float reference on dequantized weights and inputs. The
** kernel rounds the state (<= state_scale/2 each, weighted by |w_time|) and
** the output (out_scale/2); 2% slack covers the multipliers' rounding. */
static void test_int8_vs_float(void) {
  const float in_s = 0.02f, wf_s = 0.01f, wt_s = 0.004f, st_s = 0.005f;
  const float out_s = 0.05f;
  const int in_zp = 5, out_zp = -7;
  tml_svdf_params p;
  double xd[STEPS * B * I], wfd[F * I], wtd[F * T], bd[U], ref[STEPS * B * U];
  int8_t x[STEPS * B * I], wf[F * I], out[B * U];
  int16_t wt[F * T], state[B * F * T];
  int32_t bias[U];
  float bias_s;
  double tol = 0;
  int i, t, r, j;
  for (i = 0; i < STEPS * B * I; i++) {
    x[i] = (int8_t)(rnd() * 120);
    xd[i] = (x[i] - in_zp) * (double)in_s;
  }
  for (i = 0; i < F * I; i++) {
    wf[i] = (int8_t)(rnd() * 127);
    wfd[i] = wf[i] * (double)wf_s;
  }
  for (i = 0; i < F * T; i++) {
    wt[i] = (int16_t)(rnd() * 127);
    wtd[i] = wt[i] * (double)wt_s;
  }
  bias_s = st_s * wt_s;
  for (i = 0; i < U; i++) {
    bias[i] = (int32_t)(rnd() * 2000);
    bd[i] = bias[i] * (double)bias_s;
  }
  ref_svdf(xd, wfd, wtd, bd, TML_ACT_NONE, ref);
  for (i = 0; i < U; i++) {
    double w = 0;
    for (r = 0; r < RANK; r++)
      for (j = 0; j < T; j++) w += fabs(wtd[(i * RANK + r) * T + j]);
    if (w > tol) tol = w;
  }
  tol = 1.02 * (0.5 * st_s * tol + 0.5 * out_s);
  CHECK_EQ(tml_svdf_s8_init(&p, B, I, F, RANK, T, in_s, in_zp, wf_s, wt_s,
                            bias_s, st_s, 0, out_s, out_zp),
           TML_OK);
  CHECK_EQ(tml_svdf_s8_scratch_size(&p), 0);
  memset(state, 0, sizeof state);
  for (t = 0; t < STEPS; t++) {
    double got[B * U];
    tml_svdf_s8(&p, x + t * B * I, wf, wt, bias, state, out, NULL);
    for (i = 0; i < B * U; i++) {
      got[i] = (out[i] - out_zp) * (double)out_s;
      CHECK(out[i] > -128 && out[i] < 127); /* no saturation in this test */
    }
    CHECK_ARRAY_NEAR(got, ref + t * B * U, B * U, tol);
  }
}

/* Hand-derived: B=1, I=1, one unit of rank 1, memory 2.
** in 0.5 (zp 1), w_feature 0.5, state 0.25 (zp 0): effective scale 1 exactly
** (multiplier 2^30, shift 1), so state = 3 * (x - 1).
** w_time 0.5, bias 0.125, out 0.25 (zp -2): effective scale 0.5 (2^30,
** shift 0): out = -2 + SRDHM(acc, 2^30), i.e. acc / 2 with ties rounded up
** (+9.5 -> 10, -11.5 -> -11), acc = 4 + 2 * s_old - 1 * s_new. */
static void test_int8_hand(void) {
  const int8_t wf = 3;
  const int16_t wt[2] = {2, -1};
  const int32_t bias = 4;
  const int8_t xs[7] = {5, 3, 0, -2, 4, 127, -128};
  /* s_new = 3 * (x - 1): 12, 6, -3, -9, 9, 378, -387
  ** acc: 4 + 0 - 12 = -8      -> -4    -> -6
  **      4 + 24 - 6 = 22      -> 11    -> 9
  **      4 + 12 + 3 = 19      -> 10    -> 8
  **      4 - 6 + 9 = 7        -> 4     -> 2
  **      4 - 18 - 9 = -23     -> -11   -> -13
  **      4 + 18 - 378 = -356  -> -178  -> -180 -> -128 (saturated)
  **      4 + 756 + 387 = 1147 -> 574   -> 572  -> 127 (saturated) */
  const int8_t want[7] = {-6, 9, 8, 2, -13, -128, 127};
  tml_svdf_params p;
  int16_t state[2] = {0, 0};
  int8_t out;
  int t;
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 1, 1, 2, 0.5f, 1, 0.5f, 0.5f, 0.125f,
                            0.25f, 0, 0.25f, -2),
           TML_OK);
  CHECK_EQ(p.mult1, 1 << 30);
  CHECK_EQ(p.shift1, 1);
  CHECK_EQ(p.mult2, 1 << 30);
  CHECK_EQ(p.shift2, 0);
  for (t = 0; t < 7; t++) {
    tml_svdf_s8(&p, &xs[t], &wf, wt, &bias, state, &out, NULL);
    CHECK_EQ(out, want[t]);
  }
  CHECK_EQ(state[0], 378);
  CHECK_EQ(state[1], -387);
  /* No bias: acc of the last step is 1143 -> 572 -> 570 -> 127; the step
  ** before it gives -360 -> -180 -> -128. With x = 2: s_new = 3, state
  ** [-387, 3], acc = -774 - 3 = -777 -> -388 -> -128; x = 1: s_new = 0,
  ** acc = 6 - 0 = 6 -> 3 -> 1. */
  {
    const int8_t x2 = 2, x3 = 1;
    tml_svdf_s8(&p, &x2, &wf, wt, NULL, state, &out, NULL);
    CHECK_EQ(out, -128);
    tml_svdf_s8(&p, &x3, &wf, wt, NULL, state, &out, NULL);
    CHECK_EQ(out, 1);
    CHECK_EQ(state[0], 3);
    CHECK_EQ(state[1], 0);
  }
}

/* State saturation: effective scale 256 (2^30, shift 9): the new state is
** 256 * dot, clamped to int16 after adding the state zero point. */
static void test_int8_state_saturation(void) {
  const int8_t wf[2] = {127, -128};
  const int16_t wt[4] = {0, 1, 0, 1}; /* two filters, one unit each */
  const int8_t x = 127;               /* dots: 16129, -16256 */
  tml_svdf_params p;
  int16_t state[4] = {7, 8, 9, 10};
  int8_t out[2];
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 1, 2, 1.0f, 0, 1.0f, 1.0f, 0.0f,
                            1.0f / 256, 0, 1.0f / 256, 0),
           TML_OK);
  CHECK_EQ(p.shift1, 9);
  tml_svdf_s8(&p, &x, wf, wt, NULL, state, out, NULL);
  /* Shifted: {8, 9, 10, 10} then newest columns written. */
  CHECK_EQ(state[0], 8);
  CHECK_EQ(state[1], 32767);
  CHECK_EQ(state[2], 10);
  CHECK_EQ(state[3], -32768);
  CHECK_EQ(out[0], 127);
  CHECK_EQ(out[1], -128);
  /* State zero point 100: dot 2 -> 512 + 100 = 612; dot 254 -> 65024 + 100,
  ** clamped to 32767 (TFLM adds the zero point before clamping). */
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 1, 2, 1.0f, 0, 1.0f, 1.0f, 0.0f,
                            1.0f / 256, 100, 1.0f / 256, 0),
           TML_OK);
  {
    const int8_t w1[2] = {1, 127};
    const int8_t x1 = 2;
    /* out = state - zp (w_time 1 on the newest column), clamped to int8. */
    tml_svdf_s8(&p, &x1, w1, wt, NULL, state, out, NULL);
    CHECK_EQ(state[1], 612);
    CHECK_EQ(state[3], 32767);
    CHECK_EQ(out[0], 127); /* 512 */
    CHECK_EQ(out[1], 127);
    /* Dot -2: state 100 - 512 = -412, out -512 clamped to -128; dot 0:
    ** state 100 (the zero point), out 0. */
    {
      const int8_t w2[2] = {-1, 0};
      tml_svdf_s8(&p, &x1, w2, wt, NULL, state, out, NULL);
      CHECK_EQ(state[0], 612);
      CHECK_EQ(state[1], -412);
      CHECK_EQ(state[3], 100);
      CHECK_EQ(out[0], -128);
      CHECK_EQ(out[1], 0);
    }
  }
}

static void test_rejections(void) {
  tml_svdf_params p;
  CHECK_EQ(tml_svdf_f32_init(&p, 1, 2, 3, 2, 4, TML_ACT_NONE), TML_ERR_SHAPE);
  CHECK_EQ(tml_svdf_f32_init(&p, 1, 2, 4, 0, 4, TML_ACT_NONE), TML_ERR_SHAPE);
  CHECK_EQ(tml_svdf_f32_init(&p, 0, 2, 4, 2, 4, TML_ACT_NONE), TML_ERR_SHAPE);
  CHECK_EQ(tml_svdf_f32_init(&p, 1, 2, 4, 2, 0, TML_ACT_NONE), TML_ERR_SHAPE);
  CHECK_EQ(tml_svdf_f32_init(&p, 1, 2, 4, 2, 4, (tml_activation)7),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_svdf_f32_init(&p, 65536, 2, 65536, 1, 2, TML_ACT_NONE),
           TML_ERR_LIMIT);
  CHECK_EQ(tml_svdf_f32_init(NULL, 1, 2, 4, 2, 4, TML_ACT_NONE), TML_ERR_ARG);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 3, 2, 2, 1, 0, 1, 1, 0, 1, 0, 1, 0),
           TML_ERR_SHAPE);
  /* Bias scale must match state * time weight scale within 1e-5. */
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1, 0, 1, 0.5f, 0.5f, 0.5f, 0,
                            1, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1, 0, 1, 0.5f, 0.25f, 0.5f, 0,
                            1, 0),
           TML_OK);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 0, 0, 1, 1, 0, 1, 0, 1, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1, 0, 1, 1, 0, NAN, 0, 1, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1, 128, 1, 1, 0, 1, 0, 1, 0),
           TML_ERR_QUANT);
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1, 0, 1, 1, 0, 1, 40000, 1, 0),
           TML_ERR_QUANT);
  /* Effective scale 2^40: no defined left shift. */
  CHECK_EQ(tml_svdf_s8_init(&p, 1, 1, 2, 2, 2, 1024, 0, 1024, 1, 0,
                            1.0f / (1 << 20), 0, 1, 0),
           TML_ERR_QUANT);
}

int main(void) {
  test_float(1, TML_ACT_NONE);
  test_float(0, TML_ACT_NONE);
  test_float(1, TML_ACT_RELU);
  test_float_activations();
  test_int8_vs_float();
  test_int8_hand();
  test_int8_state_saturation();
  test_rejections();
  return TEST_REPORT();
}
