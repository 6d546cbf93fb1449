/*
** The in-place depthwise and pointwise kernels must give the bytes of the
** out-of-place kernels on every shape they accept, with the output written
** over the input.
*/
#include "tml_kernels.h"
#include "tml_test.h"

static uint32_t rng = 12345;
static int32_t rnd(int32_t lo, int32_t hi) {
  rng = rng * 1103515245u + 12345u;
  return lo + (int32_t)((rng >> 8) % (uint32_t)(hi - lo + 1));
}

static void fill(int8_t *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) p[i] = (int8_t)rnd(-128, 127);
}

/* Random per-channel requantization of the kind real models have. */
static void quant(tml_conv_params *p, int32_t *mult, int8_t *shift) {
  int32_t c;
  for (c = 0; c < p->out.c; c++) {
    mult[c] = rnd(1 << 30, 0x7fffffff);
    shift[c] = (int8_t)rnd(-12, -4);
  }
  p->mult = mult;
  p->shift = shift;
  p->in_offset = rnd(-20, 20);
  p->out_offset = rnd(-128, 127);
  p->act_min = rnd(-128, -100);
  p->act_max = rnd(90, 127);
}

static void depthwise_case(int32_t n, int32_t h, int32_t w, int32_t c,
                           int32_t kh, int32_t kw, int32_t stride,
                           int32_t pad) {
  static int8_t in[16384], buf[16384], want[16384], filter[1024], scratch[4096];
  static int32_t bias[64], mult[64];
  static int8_t shift[64];
  tml_conv_params p;
  size_t in_n, out_n;
  memset(&p, 0, sizeof p);
  p.in.n = n; p.in.h = h; p.in.w = w; p.in.c = c;
  p.filter.n = 1; p.filter.h = kh; p.filter.w = kw; p.filter.c = c;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = pad ? (kh - 1) / 2 : 0;
  p.out.n = n;
  p.out.h = pad ? (h + stride - 1) / stride : (h - kh + stride) / stride;
  p.out.w = pad ? (w + stride - 1) / stride : (w - kw + stride) / stride;
  p.out.c = c;
  p.depth_multiplier = 1;
  quant(&p, mult, shift);
  in_n = (size_t)n * h * w * c;
  out_n = (size_t)n * p.out.h * p.out.w * c;
  fill(in, in_n);
  fill(filter, (size_t)kh * kw * c);
  {
    int32_t i;
    for (i = 0; i < c; i++) bias[i] = rnd(-5000, 5000);
  }
  CHECK(tml_depthwise_conv2d_s8_inplace_ok(&p));
  CHECK(tml_depthwise_conv2d_s8_inplace_scratch_size(&p) <= sizeof scratch);
  {
    void *ws = malloc(tml_depthwise_conv2d_s8_scratch_size(&p) + 1);
    tml_depthwise_conv2d_s8(&p, in, filter, bias, want, ws);
    free(ws);
  }
  memcpy(buf, in, in_n);
  tml_depthwise_conv2d_s8_inplace(&p, buf, filter, bias, scratch);
  CHECK_ARRAY_EQ(buf, want, out_n);
}

static void pointwise_case(int32_t n, int32_t h, int32_t w, int32_t ic,
                           int32_t oc, int with_bias) {
  static int8_t in[8192], buf[8192], want[8192], filter[4096], scratch[64];
  static int32_t bias[64], mult[64];
  static int8_t shift[64];
  tml_conv_params p;
  size_t in_n, out_n, big;
  int32_t i;
  memset(&p, 0, sizeof p);
  p.in.n = n; p.in.h = h; p.in.w = w; p.in.c = ic;
  p.filter.n = oc; p.filter.h = 1; p.filter.w = 1; p.filter.c = ic;
  p.out.n = n; p.out.h = h; p.out.w = w; p.out.c = oc;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  quant(&p, mult, shift);
  in_n = (size_t)n * h * w * ic;
  out_n = (size_t)n * h * w * oc;
  big = in_n > out_n ? in_n : out_n;
  fill(in, in_n);
  fill(filter, (size_t)oc * ic);
  for (i = 0; i < oc; i++) bias[i] = rnd(-5000, 5000);
  CHECK(tml_conv2d_s8_inplace_ok(&p));
  CHECK(tml_conv2d_s8_inplace_scratch_size(&p) <= sizeof scratch);
  {
    void *ws = malloc(tml_conv2d_s8_scratch_size(&p) + 1);
    tml_conv2d_s8(&p, in, filter, with_bias ? bias : NULL, want, ws);
    free(ws);
  }
  /* Poison the bytes past the input: the kernel must not read them. */
  memset(buf, 0x5a, big);
  memcpy(buf, in, in_n);
  tml_conv2d_s8_inplace(&p, buf, filter, with_bias ? bias : NULL, scratch);
  CHECK_ARRAY_EQ(buf, want, out_n);
}

int main(void) {
  tml_conv_params p;
  int k;
  /* Shapes of the MLPerf Tiny models' layers, then random ones. */
  depthwise_case(1, 25, 5, 64, 3, 3, 1, 1);
  depthwise_case(1, 12, 12, 16, 3, 3, 2, 1);
  depthwise_case(2, 7, 9, 5, 3, 3, 1, 0);
  depthwise_case(1, 10, 1, 8, 10, 1, 1, 0);
  pointwise_case(1, 5, 5, 64, 64, 1);
  pointwise_case(1, 6, 6, 8, 16, 1);  /* wider output: backward */
  pointwise_case(1, 6, 6, 32, 8, 0);  /* narrower output: forward */
  for (k = 0; k < 200; k++) {
    int32_t kh = rnd(1, 5), kw = rnd(1, 5);
    depthwise_case(rnd(1, 2), rnd(kh, 9), rnd(kw, 9), rnd(1, 24), kh, kw,
                   rnd(1, 3), rnd(0, 1));
    pointwise_case(rnd(1, 2), rnd(1, 6), rnd(1, 6), rnd(1, 40), rnd(1, 40),
                   rnd(0, 1));
  }
  /* What is not in place. */
  memset(&p, 0, sizeof p);
  p.in.n = 1; p.in.h = 4; p.in.w = 4; p.in.c = 2;
  p.out = p.in;
  p.out.c = 4;
  p.depth_multiplier = 2;
  p.filter.n = 1; p.filter.h = 3; p.filter.w = 3; p.filter.c = 4;
  p.stride_h = p.stride_w = 1;
  CHECK(!tml_depthwise_conv2d_s8_inplace_ok(&p));
  p.filter.n = 4; p.filter.c = 2; /* a 3x3 convolution */
  CHECK(!tml_conv2d_s8_inplace_ok(&p));
  p.filter.h = p.filter.w = 1;
  p.stride_h = 2; /* a 1x1 with stride 2 */
  CHECK(!tml_conv2d_s8_inplace_ok(&p));
  return TEST_REPORT();
}
