/*
** UNIDIRECTIONAL_SEQUENCE_LSTM (TFLM unidirectional_sequence_lstm.cc,
** lstm_eval.h/.cc, lstm_eval_common.cc): the standard LSTM, float32 and int8
** activations with int8 weights and an int16 cell state.
**
** TFLM computes one gate at a time over a whole [batch][units] block; every
** stage is element-wise or one row of a matrix product, so computing unit by
** unit gives the same numbers. The new h of a row is built in the output row
** (the recurrent products still read the old h) and copied to the state at
** the end of the row, so no scratch is needed.
*/
#include <math.h>
#include <string.h>

#include "tml_fixedpoint.h"
#include "tml_kernels.h"
#include "tml_qmath.h"
#include "tml_recurrent.h"

/* TFLite's fused activation codes accepted for the cell gate. */
#define LSTM_ACT_TANH 4
#define LSTM_ACT_SIGMOID 6

/* ------------------------------------------------------------------ init */

/* TFLite's CheckedLog2: float log2, rounded; exact within 1e-3. */
static int checked_log2(float x, int32_t *log2_x) {
  const float l = logf(x) * (1.0f / logf(2.0f));
  const float r = roundf(l);
  *log2_x = (int32_t)r;
  return fabsf(l - r) < 1e-3f;
}

static int64_t numel(const tml_lstm_tensor *t) {
  int64_t n = 1;
  int32_t k;
  for (k = 0; k < t->rank; k++) n *= t->dims[k];
  return n;
}

static int is_2d(const tml_lstm_tensor *t, int32_t d0, int32_t d1) {
  return t->rank == 2 && t->dims[0] == d0 && t->dims[1] == d1;
}

/* TFLM's LstmTensors::ValidateTensorStatus, with the unsupported variants
** told apart from malformed models. */
static tml_status check_presence(const tml_lstm_tensor *in,
                                 const tml_lstm_tensor *out) {
  int32_t k;
  for (k = TML_LSTM_PEEPHOLE; k < TML_LSTM_BIAS; k++)
    if (in[k].present) return TML_ERR_UNSUPPORTED_OP;
  for (k = TML_LSTM_PROJECTION; k < TML_LSTM_OUTPUT_STATE; k++)
    if (in[k].present) return TML_ERR_UNSUPPORTED_OP;
  for (k = TML_LSTM_LAYER_NORM; k < TML_LSTM_N_INPUTS; k++)
    if (in[k].present) return TML_ERR_UNSUPPORTED_OP;
  /* CIFG: no input gate. */
  if (!in[TML_LSTM_IN_WEIGHTS].present || !in[TML_LSTM_REC_WEIGHTS].present ||
      !in[TML_LSTM_BIAS].present)
    return TML_ERR_UNSUPPORTED_OP;
  for (k = 0; k < 4; k++)
    if (!in[TML_LSTM_IN_WEIGHTS + k].present ||
        !in[TML_LSTM_REC_WEIGHTS + k].present || !in[TML_LSTM_BIAS + k].present)
      return TML_ERR_SCHEMA;
  if (!in[0].present || !in[TML_LSTM_OUTPUT_STATE].present ||
      !in[TML_LSTM_CELL_STATE].present || !out->present)
    return TML_ERR_SCHEMA;
  if (!in[TML_LSTM_OUTPUT_STATE].is_variable ||
      !in[TML_LSTM_CELL_STATE].is_variable)
    return TML_ERR_SCHEMA;
  return TML_OK;
}

static tml_status check_types(const tml_lstm_tensor *in,
                              const tml_lstm_tensor *out) {
  const int32_t act = in[0].type;
  const int32_t w = act == TML_FLOAT32 ? TML_FLOAT32 : TML_INT8;
  const int32_t bias = act == TML_FLOAT32 ? TML_FLOAT32 : TML_INT32;
  const int32_t cell = act == TML_FLOAT32 ? TML_FLOAT32 : TML_INT16;
  int32_t k;
  /* TFLM also runs int16 activations (16x8); TML does not. */
  if (act != TML_FLOAT32 && act != TML_INT8) return TML_ERR_TYPE;
  if (in[TML_LSTM_OUTPUT_STATE].type != act || out->type != act ||
      in[TML_LSTM_CELL_STATE].type != cell)
    return TML_ERR_TYPE;
  for (k = 0; k < 4; k++)
    if (in[TML_LSTM_IN_WEIGHTS + k].type != w ||
        in[TML_LSTM_REC_WEIGHTS + k].type != w ||
        in[TML_LSTM_BIAS + k].type != bias)
      return TML_ERR_TYPE;
  return TML_OK;
}

/* TFLM's CreateLstmSizeInfo and ValidateTensorSize. */
static tml_status check_shapes(tml_lstm_params *p, const tml_lstm_tensor *in,
                               const tml_lstm_tensor *out,
                               int32_t time_major) {
  const tml_lstm_tensor *x = &in[0], *hidden = &in[TML_LSTM_OUTPUT_STATE];
  int32_t n_b, n_t, n_in, n_u, k;
  if (x->rank != 3 || hidden->rank != 2) return TML_ERR_SHAPE;
  n_b = time_major ? x->dims[1] : x->dims[0];
  n_t = time_major ? x->dims[0] : x->dims[1];
  n_in = x->dims[2];
  n_u = hidden->dims[1];
  if (n_b < 1 || n_t < 1 || n_in < 1 || n_u < 1) return TML_ERR_SHAPE;
  for (k = 0; k < 4; k++) {
    const tml_lstm_tensor *bias = &in[TML_LSTM_BIAS + k];
    if (!is_2d(&in[TML_LSTM_IN_WEIGHTS + k], n_u, n_in) ||
        !is_2d(&in[TML_LSTM_REC_WEIGHTS + k], n_u, n_u) || bias->rank != 1 ||
        bias->dims[0] != n_u)
      return TML_ERR_SHAPE;
  }
  if (numel(hidden) != (int64_t)n_b * n_u ||
      in[TML_LSTM_CELL_STATE].rank < 1 || in[TML_LSTM_CELL_STATE].rank > 2 ||
      numel(&in[TML_LSTM_CELL_STATE]) != (int64_t)n_b * n_u)
    return TML_ERR_SHAPE;
  if (out->rank != 3 || out->dims[0] != x->dims[0] ||
      out->dims[1] != x->dims[1] || out->dims[2] != n_u)
    return TML_ERR_SHAPE;
  /* Offsets are computed in size_t, products of dims must fit int32. */
  if ((int64_t)n_b * n_t * n_in > INT32_MAX ||
      (int64_t)n_b * n_t * n_u > INT32_MAX ||
      (int64_t)n_u * n_in > INT32_MAX || (int64_t)n_u * n_u > INT32_MAX)
    return TML_ERR_LIMIT;
  p->batches = n_b;
  p->time_steps = n_t;
  p->input_size = n_in;
  p->units = n_u;
  return TML_OK;
}

static int quant_ok(const tml_lstm_tensor *t, int32_t zp_min, int32_t zp_max) {
  return t->n_scales == 1 && tml_rec_scale_ok(t->scale) &&
         t->zero_point >= zp_min && t->zero_point <= zp_max;
}

/* QuantizeMultiplier, refusing scales whose shift has no defined meaning. */
static int multiplier(double real, int32_t *mult, int32_t *shift) {
  if (!(real <= 1e300)) return 0;
  tml_quantize_multiplier(real, mult, shift);
  return *shift <= 31;
}

/* TFLM's PrepareGateParametersInteger and CreateLstmCellStateInfo. */
static tml_status init_s8(tml_lstm_params *p, const tml_lstm_tensor *in,
                          float cell_clip) {
  /* TFLM's constants, as float: 2^-12 exactly, and 2^-15 * (1 - 2^-22),
  ** which is not 2^-15 and gives other multipliers than 2^-15 would. */
  const float gate_in_scale = 0.00024414062f;
  const float gate_out_scale = 0.00003051757f;
  const tml_lstm_tensor *x = &in[0], *hidden = &in[TML_LSTM_OUTPUT_STATE];
  const tml_lstm_tensor *cell = &in[TML_LSTM_CELL_STATE];
  const double out2 = (double)gate_out_scale * (double)gate_out_scale;
  int32_t k, power, left;
  if (!quant_ok(x, -128, 127) || !quant_ok(hidden, -128, 127) ||
      !quant_ok(cell, 0, 0))
    return TML_ERR_QUANT;
  /* The integer tanh needs the cell scale as a power of two; beyond 2^2 its
  ** input scaling overflows, below 2^-43 its rounding shift does. */
  if (!checked_log2(cell->scale, &power) || power < -43 || power > 2)
    return TML_ERR_QUANT;
  for (k = 0; k < 4; k++) {
    const tml_lstm_tensor *wi = &in[TML_LSTM_IN_WEIGHTS + k];
    const tml_lstm_tensor *wr = &in[TML_LSTM_REC_WEIGHTS + k];
    float si, sr;
    /* TFLM's FC multiplier: the scales' product in float, then double. */
    if (!quant_ok(wi, 0, 0) || !quant_ok(wr, 0, 0)) return TML_ERR_QUANT;
    si = x->scale * wi->scale;
    sr = hidden->scale * wr->scale;
    if (!multiplier((double)si / (double)gate_in_scale, &p->in_mult[k],
                    &p->in_shift[k]) ||
        !multiplier((double)sr / (double)gate_in_scale, &p->rec_mult[k],
                    &p->rec_shift[k]))
      return TML_ERR_QUANT;
  }
  if (!multiplier((double)gate_out_scale * (double)cell->scale /
                      (double)cell->scale,
                  &p->fc_mult, &p->fc_shift) ||
      !multiplier(out2 / (double)cell->scale, &p->ig_mult, &p->ig_shift) ||
      !multiplier(out2 / (double)hidden->scale, &p->h_mult, &p->h_shift))
    return TML_ERR_QUANT;
  p->input_offset = -x->zero_point;
  p->hidden_offset = -hidden->zero_point;
  p->hidden_zp = hidden->zero_point;
  p->cell_min = -32768;
  p->cell_max = 32767;
  if (cell_clip > 0.0f) {
    double q = (double)cell_clip / (double)cell->scale;
    q = q < -32768.0 ? -32768.0 : (q > 32767.0 ? 32767.0 : q);
    p->cell_max = (int32_t)q; /* truncated, as TFLM's cast to int16 */
    p->cell_min = -p->cell_max;
  }
  /* TFLM's Tanh call: left shift 15 + power - 3, a negative one becoming a
  ** rounded right shift of the input times 3. */
  left = 12 + power;
  p->tanh_mult = left >= 0 ? 3 << left : 3;
  p->tanh_rshift = left >= 0 ? 0 : -left;
  return TML_OK;
}

tml_status tml_lstm_init(tml_lstm_params *p,
                         const tml_lstm_tensor in[TML_LSTM_N_INPUTS],
                         const tml_lstm_tensor *out, int32_t activation,
                         float cell_clip, int32_t time_major) {
  tml_status st;
  if (p == NULL || in == NULL || out == NULL) return TML_ERR_ARG;
  memset(p, 0, sizeof *p);
  st = check_presence(in, out);
  if (st == TML_OK) st = check_types(in, out);
  if (st == TML_OK) st = check_shapes(p, in, out, time_major != 0);
  if (st != TML_OK) return st;
  if (activation != LSTM_ACT_TANH && activation != LSTM_ACT_SIGMOID)
    return TML_ERR_OPTIONS;
  p->time_major = time_major != 0;
  p->cell_sigmoid = activation == LSTM_ACT_SIGMOID;
  p->cell_clip = cell_clip > 0.0f ? cell_clip : 0.0f;
  return in[0].type == TML_INT8 ? init_s8(p, in, cell_clip) : TML_OK;
}

/* --------------------------------------------------------------- kernels */

/* TFLite's int16 logistic on a Q3.12 input (multiplier 3, as the LSTM calls
** it): the table is indexed by 3x / 2^9, i.e. steps of 1/24, and linearly
** interpolated on the 9 remaining bits. Output Q0.15. */
int16_t tml_rec_sigmoid_s16(int32_t x) { return tml_sigmoid_q15(x * 3); }

int16_t tml_rec_tanh_s16(int32_t x, int32_t mult, int32_t rshift) {
  const int32_t round = rshift > 0 ? (int32_t)1 << (rshift - 1) : 0;
  return tml_tanh_q15((x * mult + round) >> rshift);
}

static int32_t sat16(int32_t x) { return TML_CLAMP(x, -32768, 32767); }

/* One output of a gate's fully connected part, requantized to Q3.12 and
** saturated to int16 as TFLM's int8 -> int16 FullyConnected. */
static int32_t fc_s8(const int8_t *x, const int8_t *w, int32_t n,
                     int32_t x_offset, uint32_t acc, int32_t mult,
                     int32_t shift) {
  int32_t k;
  for (k = 0; k < n; k++)
    acc += (uint32_t)((int32_t)w[k] * ((int32_t)x[k] + x_offset));
  return sat16(tml_mul_by_qm(tml_rec_s32(acc), mult, shift));
}

void tml_lstm_s8(const tml_lstm_params *p, const tml_lstm_data_s8 *d) {
  const int32_t n_b = p->batches, n_t = p->time_steps;
  const int32_t n_in = p->input_size, n_u = p->units;
  /* Clamping before adding the zero point gives the clamp of the sum
  ** without overflowing int32. */
  const int32_t h_lo = -128 - p->hidden_zp, h_hi = 127 - p->hidden_zp;
  int32_t t, b, j, g;
  for (t = 0; t < n_t; t++) {
    for (b = 0; b < n_b; b++) {
      const size_t row =
          p->time_major ? (size_t)t * n_b + b : (size_t)b * n_t + t;
      const int8_t *x = d->input + row * n_in;
      int8_t *h = d->hidden + (size_t)b * n_u;
      int16_t *c = d->cell + (size_t)b * n_u;
      int8_t *y = d->output + row * n_u;
      for (j = 0; j < n_u; j++) {
        int32_t pre[4], gi, gf, gg, go, fc, ig, cv, th, hv;
        for (g = 0; g < 4; g++) {
          const int32_t a = fc_s8(x, d->w_in[g] + (size_t)j * n_in, n_in,
                                  p->input_offset, (uint32_t)d->bias[g][j],
                                  p->in_mult[g], p->in_shift[g]);
          const int32_t r = fc_s8(h, d->w_rec[g] + (size_t)j * n_u, n_u,
                                  p->hidden_offset, 0u, p->rec_mult[g],
                                  p->rec_shift[g]);
          pre[g] = sat16(a + r);
        }
        gi = tml_rec_sigmoid_s16(pre[0]);
        gf = tml_rec_sigmoid_s16(pre[1]);
        /* Gate inputs are Q3.12: the tanh scaling is 3 without a shift. */
        gg = p->cell_sigmoid ? tml_rec_sigmoid_s16(pre[2])
                             : tml_rec_tanh_s16(pre[2], 3, 0);
        go = tml_rec_sigmoid_s16(pre[3]);
        fc = sat16(tml_mul_by_qm(gf * c[j], p->fc_mult, p->fc_shift));
        ig = sat16(tml_mul_by_qm(gi * gg, p->ig_mult, p->ig_shift));
        cv = TML_CLAMP(sat16(fc + ig), p->cell_min, p->cell_max);
        c[j] = (int16_t)cv;
        th = tml_rec_tanh_s16(cv, p->tanh_mult, p->tanh_rshift);
        hv = tml_mul_by_qm(th * go, p->h_mult, p->h_shift);
        y[j] = (int8_t)(TML_CLAMP(hv, h_lo, h_hi) + p->hidden_zp);
      }
      memcpy(h, y, (size_t)n_u);
    }
  }
}

/* TFLite's float logistic: saturated above 16.62, exp(x) below -9. */
static float sigmoid_f32(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return expf(x);
  return 1.0f / (1.0f + expf(-x));
}

static float dot_f32(const float *x, const float *w, int32_t n) {
  float s = 0.0f;
  int32_t k;
  for (k = 0; k < n; k++) s += x[k] * w[k];
  return s;
}

void tml_lstm_f32(const tml_lstm_params *p, const tml_lstm_data_f32 *d) {
  const int32_t n_b = p->batches, n_t = p->time_steps;
  const int32_t n_in = p->input_size, n_u = p->units;
  const float clip = p->cell_clip;
  int32_t t, b, j, g;
  for (t = 0; t < n_t; t++) {
    for (b = 0; b < n_b; b++) {
      const size_t row =
          p->time_major ? (size_t)t * n_b + b : (size_t)b * n_t + t;
      const float *x = d->input + row * n_in;
      float *h = d->hidden + (size_t)b * n_u;
      float *c = d->cell + (size_t)b * n_u;
      float *y = d->output + row * n_u;
      for (j = 0; j < n_u; j++) {
        float pre[4], gi, gf, gg, go, cv;
        for (g = 0; g < 4; g++)
          pre[g] = (dot_f32(x, d->w_in[g] + (size_t)j * n_in, n_in) +
                    d->bias[g][j]) +
                   dot_f32(h, d->w_rec[g] + (size_t)j * n_u, n_u);
        gi = sigmoid_f32(pre[0]);
        gf = sigmoid_f32(pre[1]);
        gg = p->cell_sigmoid ? sigmoid_f32(pre[2]) : tanhf(pre[2]);
        go = sigmoid_f32(pre[3]);
        cv = gf * c[j] + gi * gg;
        if (clip > 0.0f) cv = cv < -clip ? -clip : (cv > clip ? clip : cv);
        c[j] = cv;
        y[j] = tanhf(cv) * go;
      }
      memcpy(h, y, (size_t)n_u * sizeof *h);
    }
  }
}
