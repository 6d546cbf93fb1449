/*
** CONV_2D and DEPTHWISE_CONV_2D kernels: small hand-checked cases, then
** random shapes against a naive reference written here the way TFLite's
** reference kernels are (per-tap bounds test, division per channel) with its
** own rounding arithmetic, independent of src/kernels.
*/
#include <stdint.h>

#include "tml_kernels.h"
#include "tml_test.h"

/* ------------------------------------------------------ reference maths */

/* MultiplyByQuantizedMultiplier written as floor divisions on int64:
** doubling high multiply rounds half up for positive products and half
** toward zero for negative ones; the power-of-two divide rounds half away
** from zero. */
static int32_t ref_mbqm(int32_t x, int32_t m, int32_t s) {
  const int32_t xs =
      (int32_t)(uint32_t)((uint64_t)(int64_t)x << (s > 0 ? s : 0));
  const int64_t prod = (int64_t)xs * m;
  const int32_t e = s > 0 ? 0 : -s;
  int64_t hi;
  if (xs == INT32_MIN && m == INT32_MIN)
    hi = INT32_MAX;
  else if (prod >= 0)
    hi = (prod + ((int64_t)1 << 30)) / ((int64_t)1 << 31);
  else
    hi = -((-prod + ((int64_t)1 << 30) - 1) / ((int64_t)1 << 31));
  if (e == 0) return (int32_t)hi;
  if (hi >= 0)
    return (int32_t)((hi + ((int64_t)1 << (e - 1))) / ((int64_t)1 << e));
  return (int32_t) - ((-hi + ((int64_t)1 << (e - 1))) / ((int64_t)1 << e));
}

/* The 16x8 variant: multiplier cut to 15 bits, one rounding, floor. */
static int32_t ref_mbqm64(int64_t x, int32_t m, int32_t s) {
  const int64_t reduced = m < 0x7FFF0000 ? (m + 32768) / 65536 : 0x7FFF;
  const int32_t t = 15 - s;
  const int64_t r = x * reduced + ((int64_t)1 << (t - 1));
  const int64_t d = (int64_t)1 << t;
  return (int32_t)(r >= 0 ? r / d : -((-r + d - 1) / d));
}

static int32_t clampi(int64_t v, int32_t lo, int32_t hi) {
  return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

static int32_t maxi(int32_t a, int32_t b) { return a > b ? a : b; }

static float clampf(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

/* ---------------------------------------------------- naive references */

static int32_t at4(const tml_shape4 *s, int32_t n, int32_t y, int32_t x,
                   int32_t c) {
  return ((n * s->h + y) * s->w + x) * s->c + c;
}

/* Integer conv over int32 copies: s8 when !wide, else 16x8, rescaled in
** int64 when the bias is int64 (bias32 == 0) and present, otherwise with
** TFLite's int32 accumulator (the exact sum truncated to 32 bits) and the
** int32 multiplier. */
static void ref_conv_int(const tml_conv_params *p, const int32_t *in,
                         const int32_t *f, const int64_t *bias, int wide,
                         int bias32, int32_t *out) {
  const int32_t groups = p->in.c / p->filter.c;
  const int32_t fpg = p->out.c / groups;
  int32_t b, oy, ox, oc, fy, fx, ic;
  for (b = 0; b < p->out.n; b++)
    for (oy = 0; oy < p->out.h; oy++)
      for (ox = 0; ox < p->out.w; ox++)
        for (oc = 0; oc < p->out.c; oc++) {
          const int32_t g = oc / fpg;
          int64_t acc = 0;
          int32_t v;
          for (fy = 0; fy < p->filter.h; fy++)
            for (fx = 0; fx < p->filter.w; fx++) {
              const int32_t iy =
                  oy * p->stride_h - p->pad_h + fy * p->dilation_h;
              const int32_t ix =
                  ox * p->stride_w - p->pad_w + fx * p->dilation_w;
              if (iy < 0 || iy >= p->in.h || ix < 0 || ix >= p->in.w) continue;
              for (ic = 0; ic < p->filter.c; ic++) {
                const int64_t x =
                    in[at4(&p->in, b, iy, ix, g * p->filter.c + ic)];
                const int64_t w = f[at4(&p->filter, oc, fy, fx, ic)];
                acc += w * (wide ? x : x + p->in_offset);
              }
            }
          if (bias) acc += bias[oc];
          if (wide && bias && !bias32) {
            v = ref_mbqm64(acc, p->mult[oc], p->shift[oc]);
          } else if (wide) {
            v = ref_mbqm((int32_t)(uint32_t)(uint64_t)acc, p->mult[oc],
                         p->shift[oc]);
          } else {
            v = ref_mbqm((int32_t)acc, p->mult[oc], p->shift[oc]) +
                p->out_offset;
          }
          out[at4(&p->out, b, oy, ox, oc)] = clampi(v, p->act_min, p->act_max);
        }
}

static void ref_conv_f32(const tml_conv_params *p, const float *in,
                         const float *f, const float *bias, float *out) {
  const int32_t groups = p->in.c / p->filter.c;
  const int32_t fpg = p->out.c / groups;
  int32_t b, oy, ox, oc, fy, fx, ic;
  for (b = 0; b < p->out.n; b++)
    for (oy = 0; oy < p->out.h; oy++)
      for (ox = 0; ox < p->out.w; ox++)
        for (oc = 0; oc < p->out.c; oc++) {
          const int32_t g = oc / fpg;
          float total = 0.0f;
          for (fy = 0; fy < p->filter.h; fy++)
            for (fx = 0; fx < p->filter.w; fx++) {
              const int32_t iy =
                  oy * p->stride_h - p->pad_h + fy * p->dilation_h;
              const int32_t ix =
                  ox * p->stride_w - p->pad_w + fx * p->dilation_w;
              if (iy < 0 || iy >= p->in.h || ix < 0 || ix >= p->in.w) continue;
              for (ic = 0; ic < p->filter.c; ic++)
                total += in[at4(&p->in, b, iy, ix, g * p->filter.c + ic)] *
                         f[at4(&p->filter, oc, fy, fx, ic)];
            }
          out[at4(&p->out, b, oy, ox, oc)] = clampf(
              total + (bias ? bias[oc] : 0.0f), p->fact_min, p->fact_max);
        }
}

static void ref_dw_int(const tml_conv_params *p, const int32_t *in,
                       const int32_t *f, const int64_t *bias, int32_t *out) {
  const int32_t m_n = p->depth_multiplier;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < p->out.n; b++)
    for (oy = 0; oy < p->out.h; oy++)
      for (ox = 0; ox < p->out.w; ox++)
        for (ic = 0; ic < p->in.c; ic++)
          for (m = 0; m < m_n; m++) {
            const int32_t oc = ic * m_n + m;
            int64_t acc = 0;
            for (fy = 0; fy < p->filter.h; fy++)
              for (fx = 0; fx < p->filter.w; fx++) {
                const int32_t iy =
                    oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                const int32_t ix =
                    ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                if (iy < 0 || iy >= p->in.h || ix < 0 || ix >= p->in.w)
                  continue;
                acc += (int64_t)f[at4(&p->filter, 0, fy, fx, oc)] *
                       (in[at4(&p->in, b, iy, ix, ic)] + p->in_offset);
              }
            if (bias) acc += bias[oc];
            out[at4(&p->out, b, oy, ox, oc)] = clampi(
                (int64_t)ref_mbqm((int32_t)acc, p->mult[oc], p->shift[oc]) +
                    p->out_offset,
                p->act_min, p->act_max);
          }
}

static void ref_dw_f32(const tml_conv_params *p, const float *in,
                       const float *f, const float *bias, float *out) {
  const int32_t m_n = p->depth_multiplier;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < p->out.n; b++)
    for (oy = 0; oy < p->out.h; oy++)
      for (ox = 0; ox < p->out.w; ox++)
        for (ic = 0; ic < p->in.c; ic++)
          for (m = 0; m < m_n; m++) {
            const int32_t oc = ic * m_n + m;
            float total = 0.0f;
            for (fy = 0; fy < p->filter.h; fy++)
              for (fx = 0; fx < p->filter.w; fx++) {
                const int32_t iy =
                    oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                const int32_t ix =
                    ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                if (iy < 0 || iy >= p->in.h || ix < 0 || ix >= p->in.w)
                  continue;
                total += in[at4(&p->in, b, iy, ix, ic)] *
                         f[at4(&p->filter, 0, fy, fx, oc)];
              }
            out[at4(&p->out, b, oy, ox, oc)] = clampf(
                total + (bias ? bias[oc] : 0.0f), p->fact_min, p->fact_max);
          }
}

/* ------------------------------------------------------------- helpers */

static tml_shape4 shape(int32_t n, int32_t h, int32_t w, int32_t c) {
  tml_shape4 s;
  s.n = n;
  s.h = h;
  s.w = w;
  s.c = c;
  return s;
}

static int32_t count(tml_shape4 s) { return s.n * s.h * s.w * s.c; }

/* Scratch for the kernels that report some (host variants may); the tests'
** shapes need far less than this. */
static uint32_t scratch_buf[1 << 16];

static void *scratch_for(size_t size) {
  CHECK(size <= sizeof scratch_buf);
  return scratch_buf;
}

/* Multiplier 1.0 (mult 2^30, shift 1) on every channel: outputs are the
** accumulators themselves, which keeps hand-checked cases readable. */
static int32_t unit_mult[16] = {
    1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30,
    1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30};
static int8_t unit_shift[16] = {1, 1, 1, 1, 1, 1, 1, 1,
                                 1, 1, 1, 1, 1, 1, 1, 1};

static tml_conv_params base_params(tml_shape4 in, tml_shape4 filter,
                                   tml_shape4 out) {
  tml_conv_params p;
  memset(&p, 0, sizeof p);
  p.in = in;
  p.filter = filter;
  p.out = out;
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.depth_multiplier = 1;
  p.act_min = -128;
  p.act_max = 127;
  p.fact_min = -3.4e38f;
  p.fact_max = 3.4e38f;
  p.mult = unit_mult;
  p.shift = unit_shift;
  return p;
}

/* ------------------------------------------------------ hand-checked s8 */

static const int8_t img3[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

static void test_valid(void) {
  /* 3x3 image 1..9, 2x2 filter [1 2; 3 4], bias 3:
  ** (0,0) 1+4+12+20+3 = 40, (0,1) 2+6+15+24+3 = 50,
  ** (1,0) 4+10+21+32+3 = 70, (1,1) 5+12+24+36+3 = 80. */
  const int8_t f[4] = {1, 2, 3, 4};
  const int32_t bias[1] = {3};
  const int8_t want[4] = {40, 50, 70, 80};
  int8_t out[4];
  tml_conv_params p =
      base_params(shape(1, 3, 3, 1), shape(1, 2, 2, 1), shape(1, 2, 2, 1));
  tml_conv2d_s8(&p, img3, f, bias, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_same_zero_point(void) {
  /* SAME, 3x3 ones filter, pad 1. The image is stored as value + 1 with zero
  ** point 1, so each output is the plain sum of the 3x3 neighbourhood of
  ** 1..9 that lies inside the image; padding adds nothing (not -zp):
  **   1+2+4+5 = 12, 1+..+6 = 21, 2+3+5+6 = 16,
  **   1+2+4+5+7+8 = 27, 45, 2+3+5+6+8+9 = 33,
  **   4+5+7+8 = 24, 4+..+9 = 39, 5+6+8+9 = 28. */
  const int8_t f[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const int8_t want[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
  /* Stride 2 (out 2x2, pad 1 too): the four corners. */
  const int8_t want_s2[4] = {12, 16, 24, 28};
  int8_t in[9], out[9];
  int i;
  tml_conv_params p =
      base_params(shape(1, 3, 3, 1), shape(1, 3, 3, 1), shape(1, 3, 3, 1));
  for (i = 0; i < 9; i++) in[i] = (int8_t)(img3[i] + 1);
  p.pad_h = p.pad_w = 1;
  p.in_offset = -1;
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 9);
  p.out = shape(1, 2, 2, 1);
  p.stride_h = p.stride_w = 2;
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want_s2, 4);
}

static void test_dilation(void) {
  /* 5x5 image v = 1..25, 2x2 ones filter, dilation 2 (a 3x3 footprint),
  ** VALID: v(y,x) + v(y,x+2) + v(y+2,x) + v(y+2,x+2) = 4 v(y,x) + 24. */
  const int8_t f[4] = {1, 1, 1, 1};
  const int8_t want[9] = {28, 32, 36, 48, 52, 56, 68, 72, 76};
  int8_t in[25], out[9];
  int i;
  tml_conv_params p =
      base_params(shape(1, 5, 5, 1), shape(1, 2, 2, 1), shape(1, 3, 3, 1));
  for (i = 0; i < 25; i++) in[i] = (int8_t)(i + 1);
  p.dilation_h = p.dilation_w = 2;
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 9);
}

static void test_per_channel(void) {
  /* One pixel (10, 20), three ones filters: acc 30 on every channel.
  ** Multipliers 0.5, 0.25, 1.0, output zero point -5:
  **   30 * 0.5 = 15 -> 10;  30 * 0.25 = 7.5 rounds away from 0 -> 8 -> 3;
  **   30 -> 25. */
  const int8_t in[2] = {10, 20};
  const int8_t f[6] = {1, 1, 1, 1, 1, 1};
  const int32_t mult[3] = {1 << 30, 1 << 30, 1 << 30};
  const int8_t shift[3] = {0, -1, 1};
  const int8_t want[3] = {10, 3, 25};
  int8_t out[3];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 2), shape(3, 1, 1, 2), shape(1, 1, 1, 3));
  p.mult = mult;
  p.shift = shift;
  p.out_offset = -5;
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 3);
}

static void test_saturation(void) {
  /* 100 * (127, -128, 1, -1) = 12700, -12800, 100, -100: int8 saturates the
  ** first two; a [-50, 60] activation clamp then cuts all four. */
  const int8_t in[1] = {100};
  const int8_t f[4] = {127, -128, 1, -1};
  const int8_t want[4] = {127, -128, 100, -100};
  const int8_t want_act[4] = {60, -50, 60, -50};
  int8_t out[4];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 1), shape(4, 1, 1, 1), shape(1, 1, 1, 4));
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 4);
  p.act_min = -50;
  p.act_max = 60;
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want_act, 4);
}

static void test_bias_wrap(void) {
  /* A bias of INT32_MAX overflows the int32 accumulator: TFLite's compiled
  ** adds wrap, and so must ours (without UB): 100 + INT32_MAX wraps to
  ** INT32_MIN + 99; the x2 of multiplier 1.0 wraps that to 198, and the
  ** doubling high multiply by 2^30 halves it back: 99. */
  const int8_t in[1] = {100};
  const int8_t f[1] = {1};
  const int32_t bias[1] = {INT32_MAX};
  int8_t out[1];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 1), shape(1, 1, 1, 1), shape(1, 1, 1, 1));
  tml_conv2d_s8(&p, in, f, bias, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_EQ(out[0], 99);
  p.depth_multiplier = 1;
  tml_depthwise_conv2d_s8(
      &p, in, f, bias, out,
      scratch_for(tml_depthwise_conv2d_s8_scratch_size(&p)));
  CHECK_EQ(out[0], 99);
}

static void test_groups(void) {
  /* Pixel (1, 2, 3, 4), filter.c = 2: two groups of two filters.
  ** Group 0 sees (1, 2): (1,1) -> 3, (1,-1) -> -1.
  ** Group 1 sees (3, 4): (1,1) -> 7, (2,0) -> 6. */
  const int8_t in[4] = {1, 2, 3, 4};
  const int8_t f[8] = {1, 1, 1, -1, 1, 1, 2, 0};
  const int8_t want[4] = {3, -1, 7, 6};
  int8_t out[4];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 4), shape(4, 1, 1, 2), shape(1, 1, 1, 4));
  tml_conv2d_s8(&p, in, f, NULL, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_1x1(void) {
  /* 2x2 image, pixel k (1..4) holds (k, 2k, 3k); filters (1,1,1) -> 6k and
  ** (1,0,-1) -> -2k; bias (0, 1). */
  const int8_t in[12] = {1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12};
  const int8_t f[6] = {1, 1, 1, 1, 0, -1};
  const int32_t bias[2] = {0, 1};
  const int8_t want[8] = {6, -1, 12, -3, 18, -5, 24, -7};
  int8_t out[8];
  tml_conv_params p =
      base_params(shape(1, 2, 2, 3), shape(2, 1, 1, 3), shape(1, 2, 2, 2));
  tml_conv2d_s8(&p, in, f, bias, out,
                scratch_for(tml_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 8);
}

static void test_s16(void) {
  /* Pixel (30000, -20000). Filters (1,0) -> 30000; (2,0) -> 60000 saturates
  ** to 32767; (0,2) -> -40000 saturates to -32768; (0,0) + bias 1234 ->
  ** 1234; (1,0) at multiplier 0.5 -> 15000. */
  const int16_t in[2] = {30000, -20000};
  const int8_t f[10] = {1, 0, 2, 0, 0, 2, 0, 0, 1, 0};
  const int64_t bias[5] = {0, 0, 0, 1234, 0};
  const int8_t shift[5] = {1, 1, 1, 1, 0};
  const int16_t want[5] = {30000, 32767, -32768, 1234, 15000};
  int16_t out[5];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 2), shape(5, 1, 1, 2), shape(1, 1, 1, 5));
  p.shift = shift;
  p.act_min = -32768;
  p.act_max = 32767;
  CHECK_EQ(tml_conv2d_s16_scratch_size(&p), 0);
  tml_conv2d_s16(&p, in, f, bias, out, NULL);
  CHECK_ARRAY_EQ(out, want, 5);
}

static void test_s16_bias_kinds(void) {
  /* 5 at multiplier 0.25 = 1.25. int64 bias 0: one rounding -> 1. No bias,
  ** or int32 bias 0: TFLite's int32 path rounds twice (2.5 -> 3, then
  ** 1.5 -> 2) -> 2. int32 bias 4: 9 * 0.25 = 2.25 -> 4.5 -> 5 -> 2.5 -> 3. */
  const int16_t in[1] = {5};
  const int8_t f[1] = {1};
  const int64_t zero64[1] = {0};
  const int32_t zero32[1] = {0}, four32[1] = {4};
  const int32_t mult[1] = {1 << 30};
  const int8_t shift[1] = {-1};
  int16_t out[1];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 1), shape(1, 1, 1, 1), shape(1, 1, 1, 1));
  p.mult = mult;
  p.shift = shift;
  p.act_min = -32768;
  p.act_max = 32767;
  tml_conv2d_s16(&p, in, f, zero64, out, NULL);
  CHECK_EQ(out[0], 1);
  tml_conv2d_s16(&p, in, f, NULL, out, NULL);
  CHECK_EQ(out[0], 2);
  tml_conv2d_s16_b32(&p, in, f, zero32, out, NULL);
  CHECK_EQ(out[0], 2);
  tml_conv2d_s16_b32(&p, in, f, four32, out, NULL);
  CHECK_EQ(out[0], 3);
}

static void test_s16_int32_wrap(void) {
  /* 600 channels of 32767 * 127: 600 * 4161409 = 2496845400, beyond
  ** INT32_MAX. At multiplier 2^-21 (2^30, shift -20):
  ** - int64 bias 0: 2496845400 / 2^21 = 1190.59 -> 1191;
  ** - no bias: TFLite's int32 sum wraps to 2496845400 - 2^32 =
  **   -1798121896; halved exactly by the high multiply, -899060948, then
  **   / 2^20 = -857.41 -> -857. */
  int16_t in[600], out[1];
  int8_t f[600];
  const int64_t zero64[1] = {0};
  const int32_t mult[1] = {1 << 30};
  const int8_t shift[1] = {-20};
  int i;
  tml_conv_params p =
      base_params(shape(1, 1, 1, 600), shape(1, 1, 1, 600), shape(1, 1, 1, 1));
  for (i = 0; i < 600; i++) {
    in[i] = 32767;
    f[i] = 127;
  }
  p.mult = mult;
  p.shift = shift;
  p.act_min = -32768;
  p.act_max = 32767;
  tml_conv2d_s16(&p, in, f, zero64, out, NULL);
  CHECK_EQ(out[0], 1191);
  tml_conv2d_s16(&p, in, f, NULL, out, NULL);
  CHECK_EQ(out[0], -857);
}

static void test_f32(void) {
  /* Width-3 image (1, -1, 2), filter 4, bias 0.5, RELU6:
  ** 4.5, max(-3.5, 0) = 0, min(8.5, 6) = 6. */
  const float in[3] = {1.0f, -1.0f, 2.0f};
  const float f[1] = {4.0f};
  const float bias[1] = {0.5f};
  const float want[3] = {4.5f, 0.0f, 6.0f};
  float out[3];
  tml_conv_params p =
      base_params(shape(1, 1, 3, 1), shape(1, 1, 1, 1), shape(1, 1, 3, 1));
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_RELU6), TML_OK);
  tml_conv2d_f32(&p, in, f, bias, out,
                 scratch_for(tml_conv2d_f32_scratch_size(&p)));
  CHECK_ARRAY_NEAR(out, want, 3, 0.0);
}

/* ------------------------------------------------ hand-checked depthwise */

static void test_dw_multiplier8(void) {
  /* 1 input channel -> 8 outputs (micro_speech's first layer shape), 2x2
  ** image (1,2,3,4), filter tap t for output m is m - t:
  ** out[m] = sum_t x_t (m - t) = 10 m - (0 + 2 + 6 + 12) = 10 m - 20. */
  const int8_t in[4] = {1, 2, 3, 4};
  const int8_t want[8] = {-20, -10, 0, 10, 20, 30, 40, 50};
  int8_t f[32], out[8];
  int t, m;
  tml_conv_params p =
      base_params(shape(1, 2, 2, 1), shape(1, 2, 2, 8), shape(1, 1, 1, 8));
  for (t = 0; t < 4; t++)
    for (m = 0; m < 8; m++) f[t * 8 + m] = (int8_t)(m - t);
  p.depth_multiplier = 8;
  tml_depthwise_conv2d_s8(
      &p, in, f, NULL, out,
      scratch_for(tml_depthwise_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 8);
}

static void test_dw_channel_order(void) {
  /* Pixel (3, 5), multiplier 2, filter (1, 2, 3, 4): outputs 0,1 read
  ** channel 0 and 2,3 read channel 1 -> (3, 6, 15, 20), bias (0,0,0,-20). */
  const int8_t in[2] = {3, 5};
  const int8_t f[4] = {1, 2, 3, 4};
  const int32_t bias[4] = {0, 0, 0, -20};
  const int8_t want[4] = {3, 6, 15, 0};
  int8_t out[4];
  tml_conv_params p =
      base_params(shape(1, 1, 1, 2), shape(1, 1, 1, 4), shape(1, 1, 1, 4));
  p.depth_multiplier = 2;
  tml_depthwise_conv2d_s8(
      &p, in, f, bias, out,
      scratch_for(tml_depthwise_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_dw_same(void) {
  /* Two channels: 1..9 and 10 * (1..9), SAME 3x3 ones, zero point 1 on the
  ** stored values: channel 0 gives the neighbourhood sums of
  ** test_same_zero_point, channel 1 ten times them (saturating at 127). */
  const int8_t want[18] = {12,  120, 21,  127, 16,  127, 27,  127, 45,
                           127, 33,  127, 24,  127, 39,  127, 28,  127};
  int8_t in[18], f[18], out[18];
  int i;
  tml_conv_params p =
      base_params(shape(1, 3, 3, 2), shape(1, 3, 3, 2), shape(1, 3, 3, 2));
  for (i = 0; i < 9; i++) {
    in[2 * i] = (int8_t)(img3[i] + 1);
    in[2 * i + 1] = (int8_t)(10 * img3[i] + 1);
    f[2 * i] = f[2 * i + 1] = 1;
  }
  p.pad_h = p.pad_w = 1;
  p.in_offset = -1;
  tml_depthwise_conv2d_s8(
      &p, in, f, NULL, out,
      scratch_for(tml_depthwise_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, want, 18);
}

static void test_dw_f32(void) {
  /* Width-2 image (1, 2), one channel, multiplier 2, filter (0.5, -2), bias
  ** (1, 0): pixel 0 -> (1.5, -2), pixel 1 -> (2, -4); RELU_N1_TO_1 clamps
  ** to (1, -1, 1, -1). */
  const float in[2] = {1.0f, 2.0f};
  const float f[2] = {0.5f, -2.0f};
  const float bias[2] = {1.0f, 0.0f};
  const float want[4] = {1.5f, -2.0f, 2.0f, -4.0f};
  const float want_act[4] = {1.0f, -1.0f, 1.0f, -1.0f};
  float out[4];
  tml_conv_params p =
      base_params(shape(1, 1, 2, 1), shape(1, 1, 1, 2), shape(1, 1, 2, 2));
  p.depth_multiplier = 2;
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_NONE), TML_OK);
  tml_depthwise_conv2d_f32(
      &p, in, f, bias, out,
      scratch_for(tml_depthwise_conv2d_f32_scratch_size(&p)));
  CHECK_ARRAY_NEAR(out, want, 4, 0.0);
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_RELU_N1_TO_1), TML_OK);
  tml_depthwise_conv2d_f32(
      &p, in, f, bias, out,
      scratch_for(tml_depthwise_conv2d_f32_scratch_size(&p)));
  CHECK_ARRAY_NEAR(out, want_act, 4, 0.0);
}

/* ------------------------------------------------------------ init */

static void test_init(void) {
  /* in 0.5 * filter (0.25, 0.5, 0) / out 0.125 = 1, 2, 0:
  ** 1.0 = 2^30 * 2^(1-31), 2.0 = 2^30 * 2^(2-31), 0 -> (0, 0).
  ** RELU6 at scale 0.125, zero point -128: [-128, -128 + 48 = -80]. */
  const float fs[3] = {0.25f, 0.5f, 0.0f};
  const float one = 1.0f, big = 1e10f;
  int32_t mult[6];
  int8_t shift[6];
  tml_conv_params p =
      base_params(shape(1, 4, 4, 2), shape(3, 3, 3, 2), shape(1, 2, 2, 3));
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.5f, 3, fs, 3, 0.125f, -128,
                             -128, 127, TML_ACT_RELU6),
           TML_OK);
  CHECK_EQ(mult[0], 1 << 30);
  CHECK_EQ(shift[0], 1);
  CHECK_EQ(mult[1], 1 << 30);
  CHECK_EQ(shift[1], 2);
  CHECK_EQ(mult[2], 0);
  CHECK_EQ(shift[2], 0);
  CHECK(p.mult == mult && p.shift == shift);
  CHECK_EQ(p.in_offset, -3);
  CHECK_EQ(p.out_offset, -128);
  CHECK_EQ(p.act_min, -128);
  CHECK_EQ(p.act_max, -80);
  /* Per-tensor filter scale, broadcast to every channel. */
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.5f, 0, &fs[1], 1, 0.125f, 0,
                             -128, 127, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(shift[0], 2);
  CHECK_EQ(shift[2], 2);
  CHECK_EQ(p.act_min, -128);
  CHECK_EQ(p.act_max, 127);
  /* Rejections. */
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.5f, 0, fs, 2, 0.125f, 0, -128,
                             127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.5f, 200, fs, 3, 0.125f, 0, -128,
                             127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.0f, 0, fs, 3, 0.125f, 0, -128,
                             127, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 1.0f, 0, &big, 1, 1e-6f, 0, -128,
                             127, TML_ACT_NONE),
           TML_ERR_QUANT);
  /* Multiplier 256 (shift 9): fine for int8, beyond 16x8's range. */
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 256.0f, 0, &one, 1, 1.0f, 0, -128,
                             127, TML_ACT_NONE),
           TML_OK);
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 256.0f, 0, &one, 1, 1.0f, 0,
                             -32768, 32767, TML_ACT_NONE),
           TML_ERR_QUANT);
  CHECK_EQ(tml_conv2d_q_init(&p, mult, shift, 0.5f, 0, fs, 3, 0.125f, 0, -128,
                             127, TML_ACT_TANH),
           TML_ERR_OPTIONS);
  p.stride_w = 0;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_OPTIONS);
  p.stride_w = 1;
  p.pad_h = -1;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_OPTIONS);
  p.pad_h = 1 << 30;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_OPTIONS);
  p.pad_h = 0;
  p.filter.n = 2;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
  /* Groups: 6 input channels over filters of 2 -> 3 groups; 3 output
  ** channels split evenly, 4 do not; 4 input channels over 3 never. */
  p.in.c = 6;
  p.filter.n = 3;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_OK);
  p.filter.n = p.out.c = 4;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
  p.in.c = 4;
  p.filter.c = 3;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
  p.filter.c = 2;
  p.out.n = 2;
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);

  /* Depthwise: 2 channels x multiplier 3 = 6 outputs, filter 1HW6. */
  p = base_params(shape(1, 4, 4, 2), shape(1, 3, 3, 6), shape(1, 2, 2, 6));
  p.depth_multiplier = 3;
  CHECK_EQ(tml_depthwise_conv2d_q_init(&p, mult, shift, 0.5f, 0, &fs[0], 1,
                                       0.125f, 0, -128, 127, TML_ACT_RELU),
           TML_OK);
  CHECK_EQ(p.act_min, 0);
  CHECK_EQ(mult[5], 1 << 30);
  CHECK_EQ(shift[5], 1);
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_RELU6), TML_OK);
  CHECK_NEAR(p.fact_max, 6.0, 0.0);
  p.depth_multiplier = 2;
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
  p.depth_multiplier = 0;
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_OPTIONS);
  p.depth_multiplier = 3;
  p.filter.n = 3;
  CHECK_EQ(tml_depthwise_conv2d_f32_init(&p, TML_ACT_NONE), TML_ERR_SHAPE);
}

/* ---------------------------------------------------------- random */

static uint32_t rng = 0x12345678u;
static int32_t rnd(int32_t lo, int32_t hi) { /* inclusive */
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return lo + (int32_t)(rng % (uint32_t)(hi - lo + 1));
}

/* Random geometry: SAME, VALID or arbitrary padding (including padding
** larger than the filter, so some outputs see no tap at all). 0 if the
** shape has no output. */
static int random_geometry(tml_conv_params *p, int32_t n, int32_t h, int32_t w,
                           int32_t fh, int32_t fw) {
  const int32_t kind = rnd(0, 2);
  int32_t eh, ew, oh, ow;
  p->stride_h = rnd(1, 3);
  p->stride_w = rnd(1, 3);
  p->dilation_h = rnd(1, 3);
  p->dilation_w = rnd(1, 3);
  eh = (fh - 1) * p->dilation_h + 1;
  ew = (fw - 1) * p->dilation_w + 1;
  if (kind == 0) { /* SAME */
    oh = (h + p->stride_h - 1) / p->stride_h;
    ow = (w + p->stride_w - 1) / p->stride_w;
    p->pad_h = maxi((oh - 1) * p->stride_h + eh - h, 0) / 2;
    p->pad_w = maxi((ow - 1) * p->stride_w + ew - w, 0) / 2;
  } else if (kind == 1) { /* VALID */
    oh = (h - eh + p->stride_h) / p->stride_h;
    ow = (w - ew + p->stride_w) / p->stride_w;
    p->pad_h = p->pad_w = 0;
  } else {
    p->pad_h = rnd(0, 5);
    p->pad_w = rnd(0, 5);
    oh = (h + 2 * p->pad_h - eh) / p->stride_h + 1;
    ow = (w + 2 * p->pad_w - ew) / p->stride_w + 1;
  }
  if (oh < 1 || ow < 1 || h + 2 * p->pad_h < eh || w + 2 * p->pad_w < ew)
    return 0;
  p->in.n = n;
  p->in.h = h;
  p->in.w = w;
  p->out = shape(n, oh, ow, 0);
  p->filter.h = fh;
  p->filter.w = fw;
  return 1;
}

static void random_quant(tml_conv_params *p, int32_t *mult, int8_t *shift,
                         int wide) {
  int32_t c;
  for (c = 0; c < p->out.c; c++) {
    mult[c] = rnd(1 << 30, INT32_MAX);
    shift[c] = wide ? rnd(-18, 0) : rnd(-12, 1);
  }
  p->mult = mult;
  p->shift = shift;
  if (wide) {
    p->in_offset = p->out_offset = 0;
    p->act_min = rnd(0, 3) ? -32768 : rnd(-32768, 0);
    p->act_max = rnd(0, 3) ? 32767 : rnd(0, 32767);
  } else {
    p->in_offset = -rnd(-128, 127);
    p->out_offset = rnd(-128, 127);
    p->act_min = rnd(0, 3) ? -128 : rnd(-128, 0);
    p->act_max = rnd(0, 3) ? 127 : rnd(0, 127);
  }
}

static void random_conv_case(int wide) {
  tml_conv_params p;
  int32_t groups, fic, per_group, nin, nf, nout, i;
  int32_t mult[16];
  int8_t shift[16];
  int32_t *in32, *f32, *ref;
  int64_t *bias64;
  int has_bias = rnd(0, 3) != 0;
  /* 16x8 bias: int64 or int32 (with none, both take the int32 path). */
  int bias32 = rnd(0, 1);
  memset(&p, 0, sizeof p);
  if (!random_geometry(&p, rnd(1, 2), rnd(1, 8), rnd(1, 8), rnd(1, 4),
                       rnd(1, 4)))
    return;
  groups = rnd(0, 2) ? 1 : rnd(2, 3);
  fic = rnd(1, 5);
  per_group = rnd(1, 4);
  p.in.c = groups * fic;
  p.filter.n = p.out.c = groups * per_group;
  p.filter.c = fic;
  random_quant(&p, mult, shift, wide);
  CHECK_EQ(tml_conv2d_f32_init(&p, TML_ACT_NONE), TML_OK);
  nin = count(p.in);
  nf = count(p.filter);
  nout = count(p.out);
  in32 = malloc(sizeof *in32 * nin);
  f32 = malloc(sizeof *f32 * nf);
  ref = malloc(sizeof *ref * nout);
  bias64 = malloc(sizeof *bias64 * p.out.c);
  for (i = 0; i < nin; i++)
    in32[i] = wide ? rnd(-32768, 32767) : rnd(-128, 127);
  for (i = 0; i < nf; i++) f32[i] = rnd(-128, 127);
  for (i = 0; i < p.out.c; i++)
    bias64[i] =
        wide ? (int64_t)rnd(-(1 << 20), 1 << 20) * 64 : rnd(-40000, 40000);
  ref_conv_int(&p, in32, f32, has_bias ? bias64 : NULL, wide, bias32, ref);
  if (wide) {
    int16_t *in = malloc(sizeof *in * nin), *out = malloc(sizeof *out * nout);
    int8_t *f = malloc(nf);
    int32_t *b32 = malloc(sizeof *b32 * p.out.c);
    for (i = 0; i < nin; i++) in[i] = (int16_t)in32[i];
    for (i = 0; i < nf; i++) f[i] = (int8_t)f32[i];
    for (i = 0; i < p.out.c; i++) b32[i] = (int32_t)bias64[i];
    if (bias32)
      tml_conv2d_s16_b32(&p, in, f, has_bias ? b32 : NULL, out, NULL);
    else
      tml_conv2d_s16(&p, in, f, has_bias ? bias64 : NULL, out, NULL);
    CHECK_ARRAY_EQ(out, ref, nout);
    free(in);
    free(f);
    free(out);
    free(b32);
  } else {
    int8_t *in = malloc(nin), *f = malloc(nf), *out = malloc(nout);
    int32_t *bias = malloc(sizeof *bias * p.out.c);
    for (i = 0; i < nin; i++) in[i] = (int8_t)in32[i];
    for (i = 0; i < nf; i++) f[i] = (int8_t)f32[i];
    for (i = 0; i < p.out.c; i++) bias[i] = (int32_t)bias64[i];
    tml_conv2d_s8(&p, in, f, has_bias ? bias : NULL, out,
                  scratch_for(tml_conv2d_s8_scratch_size(&p)));
    CHECK_ARRAY_EQ(out, ref, nout);
    free(in);
    free(f);
    free(out);
    free(bias);
  }
  free(in32);
  free(f32);
  free(ref);
  free(bias64);
}

static float rndf(void) { return (float)rnd(-1000, 1000) / 317.0f; }

static void random_conv_f32_case(void) {
  tml_conv_params p;
  int32_t groups, fic, per_group, nin, nf, nout, i;
  float *in, *f, *bias, *out, *ref;
  int has_bias = rnd(0, 3) != 0;
  memset(&p, 0, sizeof p);
  if (!random_geometry(&p, rnd(1, 2), rnd(1, 7), rnd(1, 7), rnd(1, 3),
                       rnd(1, 3)))
    return;
  groups = rnd(0, 2) ? 1 : 2;
  fic = rnd(1, 4);
  per_group = rnd(1, 3);
  p.in.c = groups * fic;
  p.filter.n = p.out.c = groups * per_group;
  p.filter.c = fic;
  CHECK_EQ(tml_conv2d_f32_init(&p, rnd(0, 1) ? TML_ACT_RELU6 : TML_ACT_NONE),
           TML_OK);
  nin = count(p.in);
  nf = count(p.filter);
  nout = count(p.out);
  in = malloc(sizeof *in * nin);
  f = malloc(sizeof *f * nf);
  bias = malloc(sizeof *bias * p.out.c);
  out = malloc(sizeof *out * nout);
  ref = malloc(sizeof *ref * nout);
  for (i = 0; i < nin; i++) in[i] = rndf();
  for (i = 0; i < nf; i++) f[i] = rndf();
  for (i = 0; i < p.out.c; i++) bias[i] = rndf();
  ref_conv_f32(&p, in, f, has_bias ? bias : NULL, ref);
  tml_conv2d_f32(&p, in, f, has_bias ? bias : NULL, out,
                 scratch_for(tml_conv2d_f32_scratch_size(&p)));
  /* Same summation order as TFLite: equal, not merely close. */
  CHECK_ARRAY_NEAR(out, ref, nout, 0.0);
  free(in);
  free(f);
  free(bias);
  free(out);
  free(ref);
}

/* Depthwise; channels/multiplier 0 pick random small ones. Tiles of 64
** output channels are crossed by the large cases. */
static void random_dw_case(int32_t channels, int32_t mult_n) {
  tml_conv_params p;
  int32_t nin, nf, nout, i;
  int32_t mult[128];
  int8_t shift[128];
  int32_t *in32, *f32, *ref;
  int64_t *bias64;
  int8_t *in, *f, *out;
  int32_t *bias;
  float *fin, *ff, *fbias, *fout, *fref;
  int has_bias = rnd(0, 3) != 0;
  memset(&p, 0, sizeof p);
  if (!random_geometry(&p, rnd(1, 2), rnd(1, 7), rnd(1, 7), rnd(1, 4),
                       rnd(1, 4)))
    return;
  p.in.c = channels ? channels : rnd(1, 5);
  p.depth_multiplier = mult_n ? mult_n : rnd(1, 4);
  p.out.c = p.filter.c = p.in.c * p.depth_multiplier;
  p.filter.n = 1;
  random_quant(&p, mult, shift, 0);
  CHECK_EQ(tml_depthwise_conv2d_f32_init(
               &p, rnd(0, 1) ? TML_ACT_RELU6 : TML_ACT_NONE),
           TML_OK);
  nin = count(p.in);
  nf = count(p.filter);
  nout = count(p.out);
  in32 = malloc(sizeof *in32 * nin);
  f32 = malloc(sizeof *f32 * nf);
  ref = malloc(sizeof *ref * nout);
  bias64 = malloc(sizeof *bias64 * p.out.c);
  in = malloc(nin);
  f = malloc(nf);
  out = malloc(nout);
  bias = malloc(sizeof *bias * p.out.c);
  for (i = 0; i < nin; i++) in[i] = (int8_t)(in32[i] = rnd(-128, 127));
  for (i = 0; i < nf; i++) f[i] = (int8_t)(f32[i] = rnd(-128, 127));
  for (i = 0; i < p.out.c; i++)
    bias[i] = (int32_t)(bias64[i] = rnd(-40000, 40000));
  ref_dw_int(&p, in32, f32, has_bias ? bias64 : NULL, ref);
  tml_depthwise_conv2d_s8(
      &p, in, f, has_bias ? bias : NULL, out,
      scratch_for(tml_depthwise_conv2d_s8_scratch_size(&p)));
  CHECK_ARRAY_EQ(out, ref, nout);

  fin = malloc(sizeof *fin * nin);
  ff = malloc(sizeof *ff * nf);
  fbias = malloc(sizeof *fbias * p.out.c);
  fout = malloc(sizeof *fout * nout);
  fref = malloc(sizeof *fref * nout);
  for (i = 0; i < nin; i++) fin[i] = rndf();
  for (i = 0; i < nf; i++) ff[i] = rndf();
  for (i = 0; i < p.out.c; i++) fbias[i] = rndf();
  ref_dw_f32(&p, fin, ff, has_bias ? fbias : NULL, fref);
  tml_depthwise_conv2d_f32(
      &p, fin, ff, has_bias ? fbias : NULL, fout,
      scratch_for(tml_depthwise_conv2d_f32_scratch_size(&p)));
  CHECK_ARRAY_NEAR(fout, fref, nout, 0.0);

  free(in32);
  free(f32);
  free(ref);
  free(bias64);
  free(in);
  free(f);
  free(out);
  free(bias);
  free(fin);
  free(ff);
  free(fbias);
  free(fout);
  free(fref);
}

int main(void) {
  int i;
  test_valid();
  test_same_zero_point();
  test_dilation();
  test_per_channel();
  test_saturation();
  test_bias_wrap();
  test_groups();
  test_1x1();
  test_s16();
  test_s16_bias_kinds();
  test_s16_int32_wrap();
  test_f32();
  test_dw_multiplier8();
  test_dw_channel_order();
  test_dw_same();
  test_dw_f32();
  test_init();
  for (i = 0; i < 400; i++) {
    random_conv_case(0);
    random_conv_case(1);
    random_conv_f32_case();
    random_dw_case(0, 0);
  }
  for (i = 0; i < 10; i++) {
    random_dw_case(70, 1); /* two tiles */
    random_dw_case(3, 30); /* a multiplier run longer than a tile's rest */
    random_dw_case(30, 3); /* a tile starting inside a multiplier run */
    random_dw_case(1, 8);  /* micro_speech */
  }
  return TEST_REPORT();
}
