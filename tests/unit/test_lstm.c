/*
** UNIDIRECTIONAL_SEQUENCE_LSTM: float and int8 against an independent
** reference written from the definition (i, f, g, o gates; c = f c + i g;
** h = o tanh(c)), hand-derived int8 bytes, state evolution over several
** invocations, saturation and the rejected configurations.
*/
#include <math.h>

#include "../../src/kernels/recurrent/tml_recurrent.h"
#include "tml_kernels.h"
#include "tml_test.h"

#define MAX_B 3
#define MAX_T 5
#define MAX_I 4
#define MAX_U 3

static unsigned rng_state = 777u;
static double rnd(void) { /* uniform in [-1, 1) */
  rng_state = rng_state * 1103515245u + 12345u;
  return ((rng_state >> 8) & 0xFFFF) / 32768.0 - 1.0;
}

/* ------------------------------------------------ op description builder */

typedef struct model {
  int b, t, i, u, time_major;
  int32_t act_type;
  tml_lstm_tensor in[TML_LSTM_N_INPUTS], out;
} model;

static void set_tensor(tml_lstm_tensor *t, int32_t type, int32_t rank, int d0,
                       int d1, int d2, float scale, int32_t zp) {
  memset(t, 0, sizeof *t);
  t->present = 1;
  t->type = type;
  t->rank = rank;
  t->dims[0] = d0;
  t->dims[1] = d1;
  t->dims[2] = d2;
  t->n_scales = scale > 0 ? 1 : 0;
  t->scale = scale;
  t->zero_point = zp;
}

/* A well-formed standard LSTM; q gives the int8 scales (NULL: float). */
typedef struct quant {
  float in_s, w_s, h_s, c_s;
  int32_t in_zp, h_zp;
} quant;

static void build(model *m, int b, int t, int i, int u, int time_major,
                  const quant *q) {
  const int32_t act = q ? TML_INT8 : TML_FLOAT32;
  const int32_t w = q ? TML_INT8 : TML_FLOAT32;
  const int32_t bias = q ? TML_INT32 : TML_FLOAT32;
  const int32_t cell = q ? TML_INT16 : TML_FLOAT32;
  const int d0 = time_major ? t : b, d1 = time_major ? b : t;
  int k;
  memset(m, 0, sizeof *m);
  m->b = b;
  m->t = t;
  m->i = i;
  m->u = u;
  m->time_major = time_major;
  m->act_type = act;
  set_tensor(&m->in[0], act, 3, d0, d1, i, q ? q->in_s : 0,
             q ? q->in_zp : 0);
  for (k = 0; k < 4; k++) {
    set_tensor(&m->in[TML_LSTM_IN_WEIGHTS + k], w, 2, u, i, 0,
               q ? q->w_s : 0, 0);
    set_tensor(&m->in[TML_LSTM_REC_WEIGHTS + k], w, 2, u, u, 0,
               q ? q->w_s : 0, 0);
    set_tensor(&m->in[TML_LSTM_BIAS + k], bias, 1, u, 0, 0,
               q ? q->in_s * q->w_s : 0, 0);
  }
  set_tensor(&m->in[TML_LSTM_OUTPUT_STATE], act, 2, b, u, 0, q ? q->h_s : 0,
             q ? q->h_zp : 0);
  set_tensor(&m->in[TML_LSTM_CELL_STATE], cell, 2, b, u, 0, q ? q->c_s : 0,
             0);
  m->in[TML_LSTM_OUTPUT_STATE].is_variable = 1;
  m->in[TML_LSTM_CELL_STATE].is_variable = 1;
  set_tensor(&m->out, act, 3, d0, d1, u, q ? q->h_s : 0, q ? q->h_zp : 0);
}

static tml_status init(tml_lstm_params *p, const model *m, int32_t act,
                       float clip) {
  return tml_lstm_init(p, m->in, &m->out, act, clip, m->time_major);
}

/* ------------------------------------------------------ float reference */

/* Weights of gate k: wi[k][u][i], wr[k][u][u], b[k][u]. */
typedef struct weights {
  double wi[4][MAX_U][MAX_I], wr[4][MAX_U][MAX_U], b[4][MAX_U];
} weights;

static double sigm(double x) { return 1 / (1 + exp(-x)); }

/* One step of one batch row: h and c updated in place. */
static void ref_step(const weights *w, int n_in, int n_u, int sigmoid_cell,
                     double clip, const double *x, double *h, double *c) {
  double nh[MAX_U];
  int j, k, g;
  for (j = 0; j < n_u; j++) {
    double pre[4], gi, gf, gg, go;
    for (g = 0; g < 4; g++) {
      pre[g] = w->b[g][j];
      for (k = 0; k < n_in; k++) pre[g] += w->wi[g][j][k] * x[k];
      for (k = 0; k < n_u; k++) pre[g] += w->wr[g][j][k] * h[k];
    }
    gi = sigm(pre[0]);
    gf = sigm(pre[1]);
    gg = sigmoid_cell ? sigm(pre[2]) : tanh(pre[2]);
    go = sigm(pre[3]);
    c[j] = gf * c[j] + gi * gg;
    if (clip > 0 && c[j] > clip) c[j] = clip;
    if (clip > 0 && c[j] < -clip) c[j] = -clip;
    nh[j] = go * tanh(c[j]);
  }
  for (j = 0; j < n_u; j++) h[j] = nh[j];
}

static size_t row_of(const model *m, int t, int b) {
  return m->time_major ? (size_t)t * m->b + b : (size_t)b * m->t + t;
}

/* ----------------------------------------------------------- float tests */

static void test_float(int time_major, int32_t act, float clip) {
  enum { B = 2, T = 4, I = 3, U = 3 };
  model m;
  tml_lstm_params p;
  tml_lstm_data_f32 d;
  weights w;
  float wi[4][U * I], wr[4][U * U], bias[4][U];
  float x[T * B * I], out[T * B * U], hidden[B * U], cell[B * U];
  double rh[B][MAX_U], rc[B][MAX_U];
  int g, j, k, t, b, call;
  build(&m, B, T, I, U, time_major, NULL);
  CHECK_EQ(init(&p, &m, act, clip), TML_OK);
  CHECK_EQ(p.batches, B);
  CHECK_EQ(p.time_steps, T);
  for (g = 0; g < 4; g++) {
    for (j = 0; j < U; j++) {
      bias[g][j] = (float)(rnd() * 0.5);
      w.b[g][j] = bias[g][j];
      for (k = 0; k < I; k++) w.wi[g][j][k] = wi[g][j * I + k] = (float)rnd();
      for (k = 0; k < U; k++) w.wr[g][j][k] = wr[g][j * U + k] = (float)rnd();
    }
    d.w_in[g] = wi[g];
    d.w_rec[g] = wr[g];
    d.bias[g] = bias[g];
  }
  d.input = x;
  d.output = out;
  d.hidden = hidden;
  d.cell = cell;
  for (b = 0; b < B; b++)
    for (j = 0; j < U; j++) {
      hidden[b * U + j] = (float)(rh[b][j] = rnd() * 0.5);
      cell[b * U + j] = (float)(rc[b][j] = rnd());
    }
  /* Two invocations: the states carry over from the first to the second. */
  for (call = 0; call < 2; call++) {
    for (k = 0; k < T * B * I; k++) x[k] = (float)(rnd() * 2);
    tml_lstm_f32(&p, &d);
    for (t = 0; t < T; t++)
      for (b = 0; b < B; b++) {
        double xr[I];
        const size_t r = row_of(&m, t, b);
        for (k = 0; k < I; k++) xr[k] = x[r * I + k];
        ref_step(&w, I, U, act == 6, clip, xr, rh[b], rc[b]);
        CHECK_ARRAY_NEAR(out + r * U, rh[b], U, 2e-6);
      }
    for (b = 0; b < B; b++) {
      CHECK_ARRAY_NEAR(hidden + b * U, rh[b], U, 2e-6);
      CHECK_ARRAY_NEAR(cell + b * U, rc[b], U, 5e-6);
      if (clip > 0)
        for (j = 0; j < U; j++) CHECK(fabs(cell[b * U + j]) <= clip);
    }
  }
}

/* ------------------------------------------------------------ int8 tests */

/* The int16 table functions, by hand from TFLite's sigmoid(k/24) table
** (T[k], unsigned Q0.16). sigmoid: v = 3x, k = v >> 9, frac = v & 511,
** r = (T[k] << 9) + frac (T[k+1] - T[k]), (r + 512) >> 10, and for v < 0
** (2^25 - r + 511) >> 10. tanh: v = (x mult + rounding) >> rshift,
** k = |v| >> 8, frac = |v| & 255, r = (T[k] << 8) + frac (T[k+1] - T[k]),
** (r - 2^23 + 128) >> 8, negated for v < 0; past the table +-32767. */
static void test_table_functions(void) {
  /* T[3] = 34813: (34813*512 + 512) >> 10 = 17407; negative side:
  ** (33554432 - 17824256 + 511) >> 10 = 15361. */
  CHECK_EQ(tml_rec_sigmoid_s16(0), 16384);
  CHECK_EQ(tml_rec_sigmoid_s16(512), 17407);
  CHECK_EQ(tml_rec_sigmoid_s16(-512), 15361);
  /* v = 768: T[1] = 33451, frac 256 * (34133 - 33451) -> 16896.5 -> 16896 */
  CHECK_EQ(tml_rec_sigmoid_s16(256), 16896);
  /* v = -1440: T[2] = 34133, frac 416 * 680: r = 17758976,
  ** (33554432 - r + 511) >> 10 = 15425 */
  CHECK_EQ(tml_rec_sigmoid_s16(-480), 15425);
  /* v = -2688: T[5] = 36169, frac 128 * 674 -> 14599 */
  CHECK_EQ(tml_rec_sigmoid_s16(-896), 14599);
  /* v = -49152: T[96] = 64357, frac 0: (33554432 - 32950784 + 511) >> 10 */
  CHECK_EQ(tml_rec_sigmoid_s16(-16384), 589);
  /* v = 98301: T[191] = 65513, T[192] = 65514, frac 509 -> 32757.5;
  ** v = -98304: T[192], frac 0 -> (33554432 - 33543168 + 511) >> 10 = 11 */
  CHECK_EQ(tml_rec_sigmoid_s16(32767), 32757);
  CHECK_EQ(tml_rec_sigmoid_s16(-32768), 11);
  /* Q3.12 input (3, 0): v = 1536, T[6] = 36843: 9431808 -> 4075 */
  CHECK_EQ(tml_rec_tanh_s16(0, 3, 0), 0);
  CHECK_EQ(tml_rec_tanh_s16(512, 3, 0), 4075);
  CHECK_EQ(tml_rec_tanh_s16(-512, 3, 0), -4075);
  /* v = 576: T[2], frac 64 * 680: 8781568 -> 1535.5 -> 1535 */
  CHECK_EQ(tml_rec_tanh_s16(192, 3, 0), 1535);
  /* v = -1728: T[6], frac 192 * 670: 9560448 -> 4578 */
  CHECK_EQ(tml_rec_tanh_s16(-576, 3, 0), -4578);
  CHECK_EQ(tml_rec_tanh_s16(32767, 3, 0), 32767);
  /* The last table entry: v = 65277, k = 254, frac 253 -> 32767.48; and
  ** v = 65280, k = 255, which saturates without reading past the table. */
  CHECK_EQ(tml_rec_tanh_s16(21759, 3, 0), 32767);
  CHECK_EQ(tml_rec_tanh_s16(-21760, 3, 0), -32767);
  CHECK_EQ(tml_rec_tanh_s16(-32768, 3, 0), -32767);
  /* Cell scale 2^-11 (6, 0): v = 810, T[3], frac 42 * 680 -> 2157;
  ** v = -36864: T[144] = 65374, frac 0 -> 32606 */
  CHECK_EQ(tml_rec_tanh_s16(135, 6, 0), 2157);
  CHECK_EQ(tml_rec_tanh_s16(-6144, 6, 0), -32606);
  /* Cell scale 2^-15 (3, 3): v = (3x + 4) >> 3. x = 8192: v = 3072,
  ** T[12] = 40794 exactly -> 8026; x = -8191: (-24569) >> 3 = -3072;
  ** x = 8188: 24568 >> 3 = 3071: T[11] = 40149, frac 255 * 645 -> 8023 */
  CHECK_EQ(tml_rec_tanh_s16(8192, 3, 3), 8026);
  CHECK_EQ(tml_rec_tanh_s16(-8191, 3, 3), -8026);
  CHECK_EQ(tml_rec_tanh_s16(8188, 3, 3), 8023);
  CHECK_EQ(tml_rec_tanh_s16(8191, 3, 3), 8026);
}

/* One step of the int8 kernel against the float step on the dequantized
** values it started from, so errors do not compound. The bound:
** - each of the two products of a gate is rounded to Q3.12 (2^-13 each);
**   the table functions add at most ~1.5e-4 (interpolation on a 1/24 or
**   1/48 grid, table rounding, Q0.15 output) on top of their slope (<= 1):
**   every gate is within e_g = 2^-12 + 1.5e-4 < 4e-4;
** - c = f c + i g: (|c| + 2) e_g, plus one cell LSB for the two products'
**   rounding;
** - h = o tanh(c): e_g + error of c + 1.5e-4 for the tanh table, plus half
**   an output LSB. */
static void test_int8_vs_float(int time_major) {
  enum { B = 3, T = 5, I = 4, U = 3 };
  const quant q = {1.0f / 32, 1.0f / 127, 1.0f / 128, 1.0f / 2048, -3, 2};
  const double e_g = 4e-4;
  model m;
  tml_lstm_params p;
  tml_lstm_data_s8 d;
  weights w;
  int8_t wi[4][U * I], wr[4][U * U], x[T * B * I], out[T * B * U];
  int8_t hidden[B * U];
  int16_t cell[B * U];
  int32_t bias[4][U];
  int g, j, k, t, b;
  build(&m, B, T, I, U, time_major, &q);
  CHECK_EQ(init(&p, &m, 4, 0.0f), TML_OK);
  for (g = 0; g < 4; g++) {
    for (j = 0; j < U; j++) {
      bias[g][j] = (int32_t)(rnd() * 0.5 / (q.in_s * q.w_s));
      w.b[g][j] = bias[g][j] * (double)(q.in_s * q.w_s);
      for (k = 0; k < I; k++) {
        wi[g][j * I + k] = (int8_t)(rnd() * 127);
        w.wi[g][j][k] = wi[g][j * I + k] * (double)q.w_s;
      }
      for (k = 0; k < U; k++) {
        wr[g][j * U + k] = (int8_t)(rnd() * 127);
        w.wr[g][j][k] = wr[g][j * U + k] * (double)q.w_s;
      }
    }
    d.w_in[g] = wi[g];
    d.w_rec[g] = wr[g];
    d.bias[g] = bias[g];
  }
  for (k = 0; k < T * B * I; k++) x[k] = (int8_t)(rnd() * 100);
  for (k = 0; k < B * U; k++) {
    hidden[k] = (int8_t)(rnd() * 100);
    cell[k] = (int16_t)(rnd() * 4000);
  }
  d.input = x;
  d.output = out;
  d.hidden = hidden;
  d.cell = cell;
  /* One time step per call: the op's state is what the next call sees. */
  p.time_steps = 1;
  for (t = 0; t < T; t++) {
    double rh[B][MAX_U], rc[B][MAX_U], tol_c[B][MAX_U];
    int8_t x1[B * I];
    for (b = 0; b < B; b++) {
      for (k = 0; k < I; k++) x1[b * I + k] = x[row_of(&m, t, b) * I + k];
      for (j = 0; j < U; j++) {
        rh[b][j] = (hidden[b * U + j] - q.h_zp) * (double)q.h_s;
        rc[b][j] = cell[b * U + j] * (double)q.c_s;
        tol_c[b][j] = (fabs(rc[b][j]) + 2) * e_g + q.c_s;
      }
    }
    d.input = x1;
    tml_lstm_s8(&p, &d);
    for (b = 0; b < B; b++) {
      double xr[I];
      for (k = 0; k < I; k++) xr[k] = (x1[b * I + k] - q.in_zp) * (double)q.in_s;
      ref_step(&w, I, U, 0, 0, xr, rh[b], rc[b]);
      for (j = 0; j < U; j++) {
        const double tol_h = e_g + tol_c[b][j] + 1.5e-4 + 0.5 * q.h_s;
        CHECK_NEAR(cell[b * U + j] * (double)q.c_s, rc[b][j], tol_c[b][j]);
        CHECK_NEAR((hidden[b * U + j] - q.h_zp) * (double)q.h_s, rh[b][j],
                   tol_h);
        CHECK_EQ(out[b * U + j], hidden[b * U + j]);
        CHECK(hidden[b * U + j] > -128 && hidden[b * U + j] < 127);
      }
    }
  }
}

/* The same sequence in one invocation of T steps or in T invocations of one
** step gives the same bytes: the states carry everything between steps. */
static void test_int8_invocations(void) {
  enum { B = 2, T = 4, I = 3, U = 2 };
  const quant q = {1.0f / 32, 1.0f / 100, 1.0f / 64, 1.0f / 4096, 5, -4};
  model m;
  tml_lstm_params p, p1;
  tml_lstm_data_s8 d;
  int8_t wi[4][U * I], wr[4][U * U], x[T * B * I], out[T * B * U];
  int8_t out1[B * U], x1[B * I], h_a[B * U], h_b[B * U];
  int16_t c_a[B * U], c_b[B * U];
  int32_t bias[4][U];
  int g, k, t, b;
  build(&m, B, T, I, U, 0, &q);
  CHECK_EQ(init(&p, &m, 4, 1.5f), TML_OK);
  for (g = 0; g < 4; g++) {
    for (k = 0; k < U * I; k++) wi[g][k] = (int8_t)(rnd() * 127);
    for (k = 0; k < U * U; k++) wr[g][k] = (int8_t)(rnd() * 127);
    for (k = 0; k < U; k++) bias[g][k] = (int32_t)(rnd() * 2000);
    d.w_in[g] = wi[g];
    d.w_rec[g] = wr[g];
    d.bias[g] = bias[g];
  }
  for (k = 0; k < T * B * I; k++) x[k] = (int8_t)(rnd() * 127);
  for (k = 0; k < B * U; k++) {
    h_a[k] = h_b[k] = (int8_t)q.h_zp;
    c_a[k] = c_b[k] = 0;
  }
  d.input = x;
  d.output = out;
  d.hidden = h_a;
  d.cell = c_a;
  tml_lstm_s8(&p, &d);
  p1 = p;
  p1.time_steps = 1;
  d.input = x1;
  d.output = out1;
  d.hidden = h_b;
  d.cell = c_b;
  for (t = 0; t < T; t++) {
    for (b = 0; b < B; b++)
      for (k = 0; k < I; k++) x1[b * I + k] = x[row_of(&m, t, b) * I + k];
    tml_lstm_s8(&p1, &d);
    for (b = 0; b < B; b++)
      CHECK_ARRAY_EQ(out1 + b * U, out + row_of(&m, t, b) * U, U);
  }
  CHECK_ARRAY_EQ(h_a, h_b, B * U);
  CHECK_ARRAY_EQ(c_a, c_b, B * U);
  /* The clip of 1.5 is 6144 cell LSBs. */
  for (k = 0; k < B * U; k++) CHECK(c_a[k] >= -6144 && c_a[k] <= 6144);
}

/* Hand-derived, one unit and one input. Scales: input, weights and hidden
** 1/64 (hidden zero point 3), cell 2^-11. Both FC multipliers are
** (1/64)^2 / 2^-12 = 1 exactly: pre = b + w x + r (h - 3), in Q3.12.
** TFLM's gate output scale is the float 0.00003051757 = 2^-15 (1 - 2^-22),
** so the products are rescaled by SRDHM with 2^31 - 512 (f c, shift -15)
** and 2^31 - 1024 (i g, shift -19; o tanh(c), shift -24), i.e. by
** x (1 - 2^-21) rounded, then a rounding shift. The cell tanh scales its
** input by 6 (2^-11 -> Q3.12 times 3). sigmoid(x): v = 3x, table entry
** v >> 9, 9 bits of interpolation, (r + 512) >> 10 (negative: 2^25 - r +
** 511); tanh: v >> 8, 8 bits, (r - 2^23 + 128) >> 8, negated for v < 0.
** Weights: w = {8, 16, 8, 0}, r = {0, 64, -32, 16}, b = {0, 0, 0, -512}.
**
** t=1, x = 64, h = 3 (0), c = 0: pre = {512, 1024, 512, -512}
**   i = (34813*512 + 512) >> 10 = 17407; f: table[6] = 36843 -> 18422;
**   g: v = 1536, table[6] -> (9431808 - 8388608 + 128) >> 8 = 4075;
**   o = 32768 - 17407 = 15361 (table[3], negative side)
**   i g = 70933525 -> SRDHM 70933491 -> / 2^19 = 135.29 -> 135; f c = 0
**   c = 135; tanh: v = 810, table[3], frac 42: 34813*256 + 42*680 =
**   8940688 -> 2157; o tanh = 33133677 -> 33133661 / 2^24 = 1.97 -> 2
**   h = 2 + 3 = 5
** t=2, x = 32, h - 3 = 2: pre = {256, 512+128, 256-64, -512+32}
**   = {256, 640, 192, -480}: i = 16896 (table[1], frac 256), f = 17662
**   (table[3], frac 384), g = 1535 (table[2], frac 64), o = 15425
**   (table[2], frac 416, negative side)
**   f c = 17662*135 = 2384370 -> 2384369 / 2^15 = 72.77 -> 73
**   i g = 16896*1535 = 25935360 -> 25935348 / 2^19 = 49.47 -> 49
**   c = 122; tanh: v = 732, table[2], frac 220 -> 1949
**   o tanh = 30063325 -> 30063311 / 2^24 = 1.79 -> 2; h = 5
** t=3, x = -64, h - 3 = 2: pre = {-512, -896, -576, -480}
**   i = 15361, f = 14599 (table[5], frac 128), g = -4578 (table[6],
**   frac 192), o = 15425
**   f c = 14599*122 = 1781078 -> 1781078 / 2^15 = 54.35 -> 54
**   i g = -70322658 -> -70322624 / 2^19 = -134.13 -> -134
**   c = -80; tanh: v = -480, table[1], frac 224 -> -1280
**   o tanh = -19744000 -> -19743991 / 2^24 = -1.18 -> -1; h = 2 */
static void test_int8_hand(void) {
  const quant q = {1.0f / 64, 1.0f / 64, 1.0f / 64, 1.0f / 2048, 0, 3};
  static const int8_t wi[4] = {8, 16, 8, 0}, wr[4] = {0, 64, -32, 16};
  static const int32_t bias[4] = {0, 0, 0, -512};
  static const int8_t x[3] = {64, 32, -64}, want[3] = {5, 5, 2};
  model m;
  tml_lstm_params p;
  tml_lstm_data_s8 d;
  int8_t out[3], hidden = 3;
  int16_t cell = 0;
  int g;
  build(&m, 1, 3, 1, 1, 0, &q);
  CHECK_EQ(init(&p, &m, 4, 0.0f), TML_OK);
  CHECK_EQ(p.in_mult[0], 1 << 30);
  CHECK_EQ(p.in_shift[0], 1);
  CHECK_EQ(p.fc_mult, 2147483136);
  CHECK_EQ(p.fc_shift, -15);
  CHECK_EQ(p.ig_mult, 2147482624);
  CHECK_EQ(p.ig_shift, -19);
  CHECK_EQ(p.h_shift, -24);
  CHECK_EQ(p.tanh_mult, 6);
  CHECK_EQ(p.tanh_rshift, 0);
  for (g = 0; g < 4; g++) {
    d.w_in[g] = &wi[g];
    d.w_rec[g] = &wr[g];
    d.bias[g] = &bias[g];
  }
  d.input = x;
  d.output = out;
  d.hidden = &hidden;
  d.cell = &cell;
  tml_lstm_s8(&p, &d);
  CHECK_ARRAY_EQ(out, want, 3);
  CHECK_EQ(cell, -80);
  CHECK_EQ(hidden, 2);
}

/* Saturation, hand-derived. Input and weights 1/16: FC multiplier 16, so
** 127*127*16 saturates every pre-activation at 32767 (-128*127*16 at
** -32768). Hidden 1/256 (zero point 0): recurrent multiplier 1. Cell
** 2^-11 clipped at 3.0003: 6144.6 truncated to 6144.
** w = {127, 127, -128, 127}, r = {0, -128, 0, 0}, b = 0: from t=2 on the
** forget gate also gets -128 * h = 16384, saturating the sum again.
**   sigmoid(32767): v = 98301, table[191] = 65513, frac 509 -> 32757;
**   sigmoid(-32768): table[192] = 65514 -> (2^25 - 33543168 + 511) >> 10
**   = 11; tanh(+-32768 * 3) is past the table: +-32767.
** x = 127: i = f = o = 32757, g = -32767
**   t=1: i g = -1073348619 -> -1073348107 / 2^19 = -2047.25 -> -2047;
**        c = -2047; tanh: v = -12282, table[47], frac 250 -> -24949;
**        o tanh -> -817254003 / 2^22 = -194.9 -> -195 -> h = -128
**   t=2: f c = -67053579 -> -67053563 / 2^15 = -2046.3 -> -2046;
**        c = -4093, h = -128
**   t=3: f c -> -4092; c = -6139, h = -128
**   t=4: f c -> -6137; c = -8184, clipped to -6144; tanh: v = -36864,
**        table[144] = 65374 -> -32606; h = -128
** x = -128: i = o = 11, g = 32767, pre f = -32768 + 16384 = -16384:
**   f = (2^25 - 64357*512 + 511) >> 10 = 589 (table[96])
**   t=5: f c = -3618816 -> -3618815 / 2^15 = -110.4 -> -110; i g =
**        360437 / 2^19 = 0.69 -> 1; c = -109; tanh: v = -654, table[2],
**        frac 142 -> -1742; o tanh = -19162 / 2^22 -> 0; h = 0 */
static void test_int8_saturation(void) {
  const quant q = {1.0f / 16, 1.0f / 16, 1.0f / 256, 1.0f / 2048, 0, 0};
  static const int8_t wi[4] = {127, 127, -128, 127}, wr[4] = {0, -128, 0, 0};
  static const int32_t bias[4] = {0, 0, 0, 0};
  static const int8_t x[5] = {127, 127, 127, 127, -128};
  static const int8_t want[5] = {-128, -128, -128, -128, 0};
  static const int16_t want_c[5] = {-2047, -4093, -6139, -6144, -109};
  model m;
  tml_lstm_params p;
  tml_lstm_data_s8 d;
  int8_t out, hidden = 0;
  int16_t cell = 0;
  int g, t;
  build(&m, 1, 1, 1, 1, 1, &q);
  CHECK_EQ(init(&p, &m, 4, 3.0003f), TML_OK);
  CHECK_EQ(p.in_shift[0], 5);
  CHECK_EQ(p.cell_max, 6144);
  CHECK_EQ(p.cell_min, -6144);
  for (g = 0; g < 4; g++) {
    d.w_in[g] = &wi[g];
    d.w_rec[g] = &wr[g];
    d.bias[g] = &bias[g];
  }
  d.output = &out;
  d.hidden = &hidden;
  d.cell = &cell;
  for (t = 0; t < 5; t++) {
    d.input = &x[t];
    tml_lstm_s8(&p, &d);
    CHECK_EQ(out, want[t]);
    CHECK_EQ(cell, want_c[t]);
  }
}

/* Sigmoid as the cell gate activation: with all weights and biases 0 every
** gate is sigmoid(0) = 16384 (1/2), so c = c/2 + 1/4 and h = tanh(c)/2. */
static void test_int8_sigmoid_cell(void) {
  const quant q = {1.0f / 64, 1.0f / 64, 1.0f / 128, 1.0f / 2048, 0, 0};
  static const int8_t w0[4] = {0, 0, 0, 0};
  static const int32_t b0[4] = {0, 0, 0, 0};
  model m;
  tml_lstm_params p;
  tml_lstm_data_s8 d;
  int8_t x = 50, out, hidden = 0;
  int16_t cell = 0;
  int g;
  build(&m, 1, 1, 1, 1, 0, &q);
  CHECK_EQ(init(&p, &m, 6, 0.0f), TML_OK);
  CHECK_EQ(p.cell_sigmoid, 1);
  for (g = 0; g < 4; g++) {
    d.w_in[g] = &w0[g];
    d.w_rec[g] = &w0[g];
    d.bias[g] = &b0[g];
  }
  d.input = &x;
  d.output = &out;
  d.hidden = &hidden;
  d.cell = &cell;
  tml_lstm_s8(&p, &d);
  /* i g = 16384^2 = 2^28 -> SRDHM 2^28 - 128 -> / 2^19 = 511.99 -> 512
  ** (0.25); tanh: v = 3072, table[12] = 40794 exactly -> 8026;
  ** o tanh = 131497984 -> 131497921 / 2^23 = 15.68 -> 16 (0.125). */
  CHECK_EQ(cell, 512);
  CHECK_EQ(out, 16);
}

/* ------------------------------------------------------------ rejections */

static void test_rejections(void) {
  const quant q = {1.0f / 32, 1.0f / 127, 1.0f / 128, 1.0f / 2048, 0, 0};
  model m;
  tml_lstm_params p;
  int k;
  build(&m, 2, 3, 4, 5, 0, &q);
  CHECK_EQ(init(&p, &m, 4, 0), TML_OK);
  CHECK_EQ(p.units, 5);
  CHECK_EQ(p.input_size, 4);
  CHECK_EQ(tml_lstm_init(NULL, m.in, &m.out, 4, 0, 0), TML_ERR_ARG);
  CHECK_EQ(tml_lstm_init(&p, m.in, NULL, 4, 0, 0), TML_ERR_ARG);
  /* Unsupported variants: CIFG, peephole, projection, layer norm. */
  for (k = 0; k < 3; k++) {
    static const int cifg[3] = {1, 5, 12};
    build(&m, 2, 3, 4, 5, 0, &q);
    m.in[cifg[k]].present = 0;
    CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_UNSUPPORTED_OP);
  }
  for (k = 9; k < 24; k++) {
    if (k >= 12 && k < 16) continue;
    if (k == 18 || k == 19) continue;
    build(&m, 2, 3, 4, 5, 0, &q);
    set_tensor(&m.in[k], TML_INT16, 1, 5, 0, 0, 1, 0);
    CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_UNSUPPORTED_OP);
  }
  /* Missing required inputs, states that are not variable. */
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[2].present = 0;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SCHEMA);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[TML_LSTM_CELL_STATE].is_variable = 0;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SCHEMA);
  /* Types: int16 activations (16x8), mixed float/int8, int8 cell. */
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[0].type = m.in[18].type = m.out.type = TML_INT16;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_TYPE);
  build(&m, 2, 3, 4, 5, 0, NULL);
  m.in[3].type = TML_INT8;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_TYPE);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[TML_LSTM_CELL_STATE].type = TML_INT8;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_TYPE);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[14].type = TML_INT8;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_TYPE);
  /* Shapes. */
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[6].dims[1] = 4;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SHAPE);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.out.dims[2] = 4;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SHAPE);
  build(&m, 2, 3, 4, 5, 1, &q); /* time major: [3][2][4] */
  CHECK_EQ(init(&p, &m, 4, 0), TML_OK);
  CHECK_EQ(p.batches, 2);
  CHECK_EQ(p.time_steps, 3);
  m.in[TML_LSTM_CELL_STATE].dims[0] = 3;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SHAPE);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[0].rank = 2;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_SHAPE);
  /* Quantization. */
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[7].n_scales = 5; /* per channel */
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[1].zero_point = 1;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[TML_LSTM_CELL_STATE].scale = 0.0003f; /* not a power of two */
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[TML_LSTM_CELL_STATE].zero_point = 4;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[0].scale = 0;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  build(&m, 2, 3, 4, 5, 0, &q);
  m.in[18].zero_point = 200;
  CHECK_EQ(init(&p, &m, 4, 0), TML_ERR_QUANT);
  /* Options: only TANH and SIGMOID for the cell gate. */
  build(&m, 2, 3, 4, 5, 0, &q);
  CHECK_EQ(init(&p, &m, 1, 0), TML_ERR_OPTIONS);
  CHECK_EQ(init(&p, &m, 0, 0), TML_ERR_OPTIONS);
  CHECK_EQ(init(&p, &m, 6, 0), TML_OK);
}

int main(void) {
  test_table_functions();
  test_float(0, 4, 0.0f);
  test_float(1, 4, 0.0f);
  test_float(0, 6, 0.0f);
  test_float(1, 4, 0.3f);
  test_int8_vs_float(0);
  test_int8_vs_float(1);
  test_int8_invocations();
  test_int8_hand();
  test_int8_saturation();
  test_int8_sigmoid_cell();
  test_rejections();
  return TEST_REPORT();
}
