/*
** AVERAGE_POOL_2D / MAX_POOL_2D: padding (only in-image taps count), stride 2,
** rounding of averages (half away from zero), activation clamps, int16
** limits, batches. Expected values are worked out by hand or by a direct
** double-precision mean in ref_avg below.
*/
#include <float.h>
#include <math.h>

#include "tml_kernels.h"
#include "tml_test.h"

static tml_pool_params pool(int32_t n, int32_t h, int32_t w, int32_t c,
                            int32_t oh, int32_t ow, int32_t fh, int32_t fw,
                            int32_t stride, int32_t pad) {
  tml_pool_params p;
  memset(&p, 0, sizeof p);
  p.in.n = n;
  p.in.h = h;
  p.in.w = w;
  p.in.c = c;
  p.out.n = n;
  p.out.h = oh;
  p.out.w = ow;
  p.out.c = c;
  p.filter_h = fh;
  p.filter_w = fw;
  p.stride_h = stride;
  p.stride_w = stride;
  p.pad_h = pad;
  p.pad_w = pad;
  p.act_min = -128;
  p.act_max = 127;
  p.fact_min = -FLT_MAX;
  p.fact_max = FLT_MAX;
  return p;
}

/* Mean of the in-image taps of one window in double, rounded half away from
** zero, clamped. */
static int32_t ref_avg(const tml_pool_params *p, const int32_t *in, int32_t b,
                       int32_t oy, int32_t ox, int32_t c) {
  double sum = 0.0, mean;
  int32_t count = 0, fy, fx, v;
  for (fy = 0; fy < p->filter_h; fy++)
    for (fx = 0; fx < p->filter_w; fx++) {
      const int32_t y = oy * p->stride_h - p->pad_h + fy;
      const int32_t x = ox * p->stride_w - p->pad_w + fx;
      if (y < 0 || y >= p->in.h || x < 0 || x >= p->in.w) continue;
      sum += in[((b * p->in.h + y) * p->in.w + x) * p->in.c + c];
      count++;
    }
  mean = sum / count;
  v = (int32_t)(mean < 0 ? -floor(-mean + 0.5) : floor(mean + 0.5));
  return v < p->act_min ? p->act_min : v > p->act_max ? p->act_max : v;
}

static void test_avg_same_padding(void) {
  /* 3x3 image, 3x3 filter, stride 1, pad 1. Corner (0,0) sees 1,2,4,5:
  ** 12/4 = 3 (9 taps with zeros would give 1). Edge (0,1): 21/6 = 3.5 -> 4;
  ** (1,0): 27/6 = 4.5 -> 5; (1,2): 33/6 = 5.5 -> 6; (2,1): 39/6 = 6.5 -> 7. */
  const int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const int8_t want[9] = {3, 4, 4, 5, 5, 6, 6, 7, 7};
  int8_t out[9];
  tml_pool_params p = pool(1, 3, 3, 1, 3, 3, 3, 3, 1, 1);
  tml_avgpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 9);
}

static void test_avg_negative_rounding(void) {
  /* One 2x2 window, four channels:
  ** c0: -1-2-2-2 = -7/4 = -1.75 -> -2;   c1: -1-1-1-2 = -5/4 = -1.25 -> -1;
  ** c2: -2-3-2-3 = -10/4 = -2.5 -> -3;   c3: 2+3+2+3 = 10/4 = 2.5 -> 3. */
  const int8_t in[16] = {-1, -1, -2, 2,  -2, -1, -3, 3,
                         -2, -1, -2, 2,  -2, -2, -3, 3};
  const int8_t want[4] = {-2, -1, -3, 3};
  int8_t out[4];
  tml_pool_params p = pool(1, 2, 2, 4, 1, 1, 2, 2, 2, 0);
  tml_avgpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_avg_stride2_against_mean(void) {
  /* 2 batches of 5x5x2, 3x3 filter, stride 2, SAME (pad 1): 3x3 outputs. */
  int32_t ref_in[100];
  int8_t in[100], out[36];
  int32_t want[36], b, y, x, c, k = 0;
  tml_pool_params p = pool(2, 5, 5, 2, 3, 3, 3, 3, 2, 1);
  for (k = 0; k < 100; k++) {
    ref_in[k] = (k * 37) % 255 - 127;
    in[k] = (int8_t)ref_in[k];
  }
  k = 0;
  for (b = 0; b < 2; b++)
    for (y = 0; y < 3; y++)
      for (x = 0; x < 3; x++)
        for (c = 0; c < 2; c++) want[k++] = ref_avg(&p, ref_in, b, y, x, c);
  tml_avgpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 36);
}

static void test_avg_clamp_and_s16_limits(void) {
  /* Fused clamp [-5, 5] on means 6 and -6 (stride 1 over 1x2 windows). */
  const int8_t in8[3] = {6, 6, -18};
  const int8_t want8[2] = {5, -5};
  /* int16: 32766.75 -> 32767; four -32768 -> -32768 (no wrap, no overflow). */
  const int16_t in16[8] = {32767, -32768, 32767, -32768,
                           32766, -32768, 32767, -32768};
  const int16_t want16[2] = {32767, -32768};
  int8_t out8[2];
  int16_t out16[2];
  tml_pool_params p = pool(1, 1, 3, 1, 1, 2, 1, 2, 1, 0);
  p.act_min = -5;
  p.act_max = 5;
  tml_avgpool_s8(&p, in8, out8);
  CHECK_ARRAY_EQ(out8, want8, 2);
  p = pool(1, 2, 2, 2, 1, 1, 2, 2, 1, 0);
  p.act_min = -32768;
  p.act_max = 32767;
  tml_avgpool_s16(&p, in16, out16);
  CHECK_ARRAY_EQ(out16, want16, 2);
}

static void test_avg_f32(void) {
  /* Same image as test_avg_same_padding: corner 12/4, edge 21/6, centre 5. */
  const float in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  float out[9];
  tml_pool_params p = pool(1, 3, 3, 1, 3, 3, 3, 3, 1, 1);
  tml_avgpool_f32(&p, in, out);
  CHECK_NEAR(out[0], 3.0, 1e-6);
  CHECK_NEAR(out[1], 3.5, 1e-6);
  CHECK_NEAR(out[4], 5.0, 1e-6);
  CHECK_NEAR(out[8], 7.0, 1e-6);
  p.fact_min = 0.0f;
  p.fact_max = 6.0f;
  tml_avgpool_f32(&p, in, out);
  CHECK_NEAR(out[8], 6.0, 0.0);
  CHECK_NEAR(out[0], 3.0, 1e-6);
}

static void test_max_padding_is_not_zero(void) {
  /* All-negative 3x3 image, 3x3 SAME: a padded zero must never win. The
  ** window of (0,0) holds -1,-2,-4,-5 -> -1; (2,2) holds -5,-6,-8,-9 -> -5. */
  const int8_t in[9] = {-1, -2, -3, -4, -5, -6, -7, -8, -9};
  const int8_t want[9] = {-1, -1, -2, -1, -1, -2, -4, -4, -5};
  const int8_t want_clamped[9] = {-1, -1, -2, -1, -1, -2, -3, -3, -3};
  int8_t out[9];
  tml_pool_params p = pool(1, 3, 3, 1, 3, 3, 3, 3, 1, 1);
  tml_maxpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 9);
  p.act_min = -128;
  p.act_max = -1;
  tml_maxpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 9);
  p.act_min = -3;
  tml_maxpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want_clamped, 9);
}

static void test_max_stride2_channels(void) {
  /* 4x4x2, 2x2 filter, stride 2, VALID: channel 0 holds y*4+x, channel 1 its
  ** negation, so the maxima are the bottom-right (c0) and top-left (c1)
  ** taps of each window. Batch 2 repeats with +1 on channel 0. */
  int8_t in[64], out[16];
  const int8_t want[16] = {5, 0, 7, -2, 13, -8, 15, -10,
                           6, 0, 8, -2, 14, -8, 16, -10};
  int32_t b, k;
  tml_pool_params p = pool(2, 4, 4, 2, 2, 2, 2, 2, 2, 0);
  for (b = 0; b < 2; b++)
    for (k = 0; k < 16; k++) {
      in[b * 32 + k * 2] = (int8_t)(k + b);
      in[b * 32 + k * 2 + 1] = (int8_t)-k;
    }
  tml_maxpool_s8(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 16);
}

static void test_max_s16_and_f32(void) {
  const int16_t in16[4] = {-32768, -32768, -32768, -32767};
  const int16_t want16[1] = {-32767};
  const float inf[6] = {-3.0f, -1.5f, -7.0f, 2.0f, 9.0f, -1.0f};
  int16_t out16[1];
  float outf[3];
  tml_pool_params p = pool(1, 2, 2, 1, 1, 1, 2, 2, 1, 0);
  p.act_min = -32768;
  p.act_max = 32767;
  tml_maxpool_s16(&p, in16, out16);
  CHECK_ARRAY_EQ(out16, want16, 1);
  /* 1x6 row, 1x2 windows, stride 2, ReLU6 clamp: max(-3,-1.5) -> 0,
  ** max(-7,2) = 2, max(9,-1) -> 6. */
  p = pool(1, 1, 6, 1, 1, 3, 1, 2, 2, 0);
  p.fact_min = 0.0f;
  p.fact_max = 6.0f;
  tml_maxpool_f32(&p, inf, outf);
  CHECK_NEAR(outf[0], 0.0, 0.0);
  CHECK_NEAR(outf[1], 2.0, 0.0);
  CHECK_NEAR(outf[2], 6.0, 0.0);
}

int main(void) {
  test_avg_same_padding();
  test_avg_negative_rounding();
  test_avg_stride2_against_mean();
  test_avg_clamp_and_s16_limits();
  test_avg_f32();
  test_max_padding_is_not_zero();
  test_max_stride2_channels();
  test_max_s16_and_f32();
  return TEST_REPORT();
}
