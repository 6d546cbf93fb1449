/*
** SVDF (TFLM svdf.cc / svdf_common.cc): a rank-r factorisation of a dense
** layer over the last T inputs. The state keeps T columns per filter; each
** invoke drops the oldest column, stores the feature projection of the new
** input as the newest one, then reduces the state with the time weights.
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "tml_kernels.h"
#include "tml_qmath.h"
#include "tml_recurrent.h"

/* TFLite's fused activation code for SIGMOID (tml_activation stops at 5). */
#define SVDF_ACT_SIGMOID 6

static tml_status svdf_dims(tml_svdf_params *p, int32_t batches,
                            int32_t input_size, int32_t num_filters,
                            int32_t rank, int32_t memory_size) {
  if (batches < 1 || input_size < 1 || num_filters < 1 || rank < 1 ||
      memory_size < 1 || num_filters % rank != 0)
    return TML_ERR_SHAPE;
  /* Every tensor's element count must fit the int32 index arithmetic. */
  if ((int64_t)batches * num_filters * memory_size > INT32_MAX ||
      (int64_t)num_filters * input_size > INT32_MAX ||
      (int64_t)num_filters * memory_size > INT32_MAX ||
      (int64_t)batches * input_size > INT32_MAX)
    return TML_ERR_LIMIT;
  p->batches = batches;
  p->input_size = input_size;
  p->num_filters = num_filters;
  p->num_units = num_filters / rank;
  p->rank = rank;
  p->memory_size = memory_size;
  return TML_OK;
}

tml_status tml_svdf_s8_init(tml_svdf_params *p, int32_t batches,
                            int32_t input_size, int32_t num_filters,
                            int32_t rank, int32_t memory_size, float in_scale,
                            int32_t in_zp, float wf_scale, float wt_scale,
                            float bias_scale, float state_scale,
                            int32_t state_zp, float out_scale, int32_t out_zp) {
  float scale1, scale2;
  tml_status st;
  if (p == NULL) return TML_ERR_ARG;
  st = svdf_dims(p, batches, input_size, num_filters, rank, memory_size);
  if (st != TML_OK) return st;
  if (!tml_rec_scale_ok(in_scale) || !tml_rec_scale_ok(wf_scale) ||
      !tml_rec_scale_ok(wt_scale) || !tml_rec_scale_ok(state_scale) ||
      !tml_rec_scale_ok(out_scale) ||
      !(bias_scale == 0.0f || tml_rec_scale_ok(bias_scale)))
    return TML_ERR_QUANT;
  if (in_zp < -128 || in_zp > 127 || out_zp < -128 || out_zp > 127 ||
      state_zp < -32768 || state_zp > 32767)
    return TML_ERR_QUANT;
  /* TFLM evaluates both effective scales in float, then widens to double. */
  scale1 = in_scale * wf_scale;
  scale1 = scale1 / state_scale;
  scale2 = state_scale * wt_scale;
  if (bias_scale != 0.0f && !(fabs((double)bias_scale - (double)scale2) < 1e-5))
    return TML_ERR_QUANT;
  scale2 = scale2 / out_scale;
  if (!(scale1 <= FLT_MAX) || !(scale2 <= FLT_MAX)) return TML_ERR_QUANT;
  tml_quantize_multiplier((double)scale1, &p->mult1, &p->shift1);
  tml_quantize_multiplier((double)scale2, &p->mult2, &p->shift2);
  /* A left shift of 32 or more has no defined meaning. */
  if (p->shift1 > 31 || p->shift2 > 31) return TML_ERR_QUANT;
  p->in_zp = in_zp;
  p->state_zp = state_zp;
  p->out_zp = out_zp;
  p->act = TML_ACT_NONE;
  return TML_OK;
}

tml_status tml_svdf_f32_init(tml_svdf_params *p, int32_t batches,
                             int32_t input_size, int32_t num_filters,
                             int32_t rank, int32_t memory_size,
                             tml_activation act) {
  tml_status st;
  if (p == NULL) return TML_ERR_ARG;
  switch ((int)act) {
    case TML_ACT_NONE:
    case TML_ACT_RELU:
    case TML_ACT_RELU_N1_TO_1:
    case TML_ACT_RELU6:
    case TML_ACT_TANH:
    case TML_ACT_SIGN_BIT:
    case SVDF_ACT_SIGMOID:
      break;
    default:
      return TML_ERR_OPTIONS;
  }
  st = svdf_dims(p, batches, input_size, num_filters, rank, memory_size);
  if (st != TML_OK) return st;
  p->in_zp = p->state_zp = p->out_zp = 0;
  p->mult1 = p->shift1 = p->mult2 = p->shift2 = 0;
  p->act = act;
  return TML_OK;
}

size_t tml_svdf_s8_scratch_size(const tml_svdf_params *p) {
  (void)p;
  return 0;
}

size_t tml_svdf_f32_scratch_size(const tml_svdf_params *p) {
  (void)p;
  return 0;
}

/* The state of all batches is one flat buffer: shifting it by one element
** moves every column one step older. The element crossing into the previous
** filter lands in that filter's newest column, which is rewritten next. */
static void svdf_shift(void *state, size_t count, size_t elem) {
  memmove(state, (char *)state + elem, (count - 1) * elem);
}

void tml_svdf_s8(const tml_svdf_params *p, const int8_t *in,
                 const int8_t *w_feature, const int16_t *w_time,
                 const int32_t *bias, int16_t *state, int8_t *out,
                 void *scratch) {
  const int32_t n_in = p->input_size, n_f = p->num_filters;
  const int32_t n_mem = p->memory_size, rank = p->rank, n_u = p->num_units;
  const int32_t in_zp = p->in_zp, st_zp = p->state_zp, out_zp = p->out_zp;
  /* Clamping before adding the zero point gives the clamp of the sum (TFLM
  ** adds first) without overflowing int32. */
  const int32_t st_lo = -32768 - st_zp, st_hi = 32767 - st_zp;
  const int32_t out_lo = -128 - out_zp, out_hi = 127 - out_zp;
  int32_t b, f, u, r, k;
  (void)scratch;
  svdf_shift(state, (size_t)p->batches * n_f * n_mem, sizeof *state);
  for (b = 0; b < p->batches; b++) {
    const int8_t *x = in + (size_t)b * n_in;
    int16_t *s = state + (size_t)b * n_f * n_mem;
    const int8_t *wf = w_feature;
    const int16_t *wt = w_time;
    const int16_t *sf = s;
    int8_t *o = out + (size_t)b * n_u;
    for (f = 0; f < n_f; f++, wf += n_in) {
      uint32_t acc = 0;
      int32_t v;
      for (k = 0; k < n_in; k++)
        acc += (uint32_t)((int32_t)wf[k] * ((int32_t)x[k] - in_zp));
      v = tml_mul_by_qm(tml_rec_s32(acc), p->mult1, p->shift1);
      s[(size_t)f * n_mem + n_mem - 1] =
          (int16_t)(TML_CLAMP(v, st_lo, st_hi) + st_zp);
    }
    for (u = 0; u < n_u; u++) {
      uint32_t acc = bias != NULL ? (uint32_t)bias[u] : 0u;
      int32_t v;
      for (r = 0; r < rank; r++, wt += n_mem, sf += n_mem)
        for (k = 0; k < n_mem; k++)
          acc += (uint32_t)wt[k] * (uint32_t)((int32_t)sf[k] - st_zp);
      v = tml_mul_by_qm(tml_rec_s32(acc), p->mult2, p->shift2);
      o[u] = (int8_t)(TML_CLAMP(v, out_lo, out_hi) + out_zp);
    }
  }
}

static float svdf_act_f32(tml_activation act, float a) {
  switch ((int)act) {
    case TML_ACT_RELU:
      return a > 0.0f ? a : 0.0f;
    case TML_ACT_RELU_N1_TO_1:
      return a < -1.0f ? -1.0f : (a > 1.0f ? 1.0f : a);
    case TML_ACT_RELU6:
      return a < 0.0f ? 0.0f : (a > 6.0f ? 6.0f : a);
    case TML_ACT_TANH:
      return tanhf(a);
    case TML_ACT_SIGN_BIT:
      return signbit(a) ? 1.0f : 0.0f;
    case SVDF_ACT_SIGMOID:
      return 1.0f / (1.0f + expf(-a));
    default:
      return a;
  }
}

/* Same summation order as TFLM: each filter's time dot product is summed on
** its own, then added to the bias rank by rank. */
void tml_svdf_f32(const tml_svdf_params *p, const float *in,
                  const float *w_feature, const float *w_time,
                  const float *bias, float *state, float *out, void *scratch) {
  const int32_t n_in = p->input_size, n_f = p->num_filters;
  const int32_t n_mem = p->memory_size, rank = p->rank, n_u = p->num_units;
  int32_t b, f, u, r, k;
  (void)scratch;
  svdf_shift(state, (size_t)p->batches * n_f * n_mem, sizeof *state);
  for (b = 0; b < p->batches; b++) {
    const float *x = in + (size_t)b * n_in;
    float *s = state + (size_t)b * n_f * n_mem;
    const float *wf = w_feature;
    const float *wt = w_time;
    const float *sf = s;
    float *o = out + (size_t)b * n_u;
    for (f = 0; f < n_f; f++, wf += n_in) {
      float dot = 0.0f;
      for (k = 0; k < n_in; k++) dot += wf[k] * x[k];
      s[(size_t)f * n_mem + n_mem - 1] = dot;
    }
    for (u = 0; u < n_u; u++) {
      float acc = bias != NULL ? bias[u] : 0.0f;
      for (r = 0; r < rank; r++, wt += n_mem, sf += n_mem) {
        float dot = 0.0f;
        for (k = 0; k < n_mem; k++) dot += wt[k] * sf[k];
        acc += dot;
      }
      o[u] = svdf_act_f32(p->act, acc);
    }
  }
}
