/*
** Target test: every kernel with a Cortex-M variant against its portable
** version, on the device, on thousands of random cases: shapes, padding,
** strides, dilation, odd channel counts, groups, per-tensor and per-channel
** multipliers (also ones outside the fast paths: shifts >= 0, tiny
** multipliers, huge biases), extreme zero points, saturating scales, fused
** activations. Outputs must be byte-identical. The public kernels run with
** exactly the scratch their _scratch_size reports, followed by a guard that
** must survive (no sanitizer on the device); inputs must stay unchanged.
** In a TML_KERNELS_PORTABLE build the public kernels are the portable ones
** and the test checks only itself.
**
**   tt_kernels.elf [runs]   exit status 0 when every case matches
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tml_kernels.h"
#include "tml_variants.h"

#ifndef TT_RUNS
#define TT_RUNS 1500
#endif

/* Static buffers: no heap in the test either. */
#define MAX_IN 24576
#define MAX_W 65536
#define MAX_OUT 24576
#define MAX_CH 256
#define MAX_SCRATCH 16384
#define GUARD 64

static int8_t in_buf[MAX_IN], in_copy[MAX_IN], w_buf[MAX_W];
static int8_t want[MAX_OUT + GUARD], got[MAX_OUT + GUARD];
static uint32_t scratch_words[(MAX_SCRATCH + GUARD) / 4];
static int32_t bias_buf[MAX_CH], mult_buf[MAX_CH];
static int8_t shift_buf[MAX_CH];

static uint32_t rng = 2463534242u;
static long failures, cases;

static uint32_t next_u32(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static int32_t rnd(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

static int32_t max0(int32_t v) { return v > 0 ? v : 0; }

static float rnd_scale(float lo_exp, float hi_exp) {
  const float e = lo_exp + (hi_exp - lo_exp) * (float)rnd(0, 1000) / 1000.0f;
  return powf(10.0f, e);
}

static void fill_s8(int8_t *a, int32_t n) {
  const int32_t kind = rnd(0, 3);
  int32_t i;
  for (i = 0; i < n; i++)
    a[i] = (int8_t)(kind == 0   ? (rnd(0, 1) ? rnd(-128, -126) : rnd(125, 127))
                    : kind == 1 ? (rnd(0, 1) ? -128 : 127)
                                : rnd(-128, 127));
}

/* Small, large, near the fast paths' 2^29 limit, or anywhere in int32. */
static void fill_bias(int32_t *a, int32_t n) {
  const int32_t kind = rnd(0, 3);
  int32_t i;
  for (i = 0; i < n; i++)
    a[i] = kind == 0   ? rnd(-2000, 2000)
           : kind == 1 ? rnd(-2000000, 2000000)
           : kind == 2 ? (int32_t)(next_u32() % 8u) - 4 +
                             (rnd(0, 1) ? (1 << 29) : -(1 << 29))
                       : (int32_t)next_u32();
}

static int32_t zero_point(void) {
  const int32_t k = rnd(0, 5);
  return k == 0 ? -128 : k == 1 ? 127 : k == 2 ? 0 : rnd(-128, 127);
}

/* NONE (the whole int8 range, the kernels' fastest path) half the time. */
static tml_activation activation(void) {
  static const tml_activation acts[6] = {
      TML_ACT_NONE, TML_ACT_NONE, TML_ACT_NONE,
      TML_ACT_RELU, TML_ACT_RELU6, TML_ACT_RELU_N1_TO_1};
  return acts[rnd(0, 5)];
}

/* Now and then replace a channel's multiplier by another one init can
** produce: any mult in [2^30, 2^31) or 0, shifts from -31 to 10. */
static void perturb_multipliers(int32_t *mult, int8_t *shift, int32_t n) {
  int32_t i;
  if (rnd(0, 3)) return;
  for (i = 0; i < n; i++) {
    if (rnd(0, 2)) continue;
    mult[i] = rnd(0, 9) == 0 ? 0
                             : (int32_t)((1u << 30) | (next_u32() >> 2));
    shift[i] = (int8_t)rnd(-31, 10);
  }
}

static void *scratch_for(size_t n) {
  uint8_t *s = (uint8_t *)scratch_words;
  memset(s, 0xa5, n);
  memset(s + n, 0x3c, GUARD);
  return s;
}

static int scratch_intact(size_t n) {
  const uint8_t *s = (const uint8_t *)scratch_words + n;
  int i;
  for (i = 0; i < GUARD; i++)
    if (s[i] != 0x3c) return 0;
  return 1;
}

static void report(const char *name, const char *what, const int8_t *g,
                   const int8_t *w, size_t n) {
  size_t i;
  failures++;
  printf("FAIL %s: %s", name, what);
  for (i = 0; i < n; i++)
    if (g[i] != w[i]) {
      printf(" (byte %u of %u: %d, want %d)", (unsigned)i, (unsigned)n,
             g[i], w[i]);
      break;
    }
  printf("\n");
}

/* Output bytes, the guard after them, the scratch guard, the input. */
static int check(const char *name, size_t nout, size_t nscratch,
                 const int8_t *input, size_t nin) {
  int ok = 1;
  cases++;
  if (memcmp(got, want, nout) != 0) {
    report(name, "output differs", got, want, nout);
    ok = 0;
  } else if (memcmp(got + nout, want + nout, GUARD) != 0) {
    report(name, "wrote past the output", got + nout, want + nout, GUARD);
    ok = 0;
  } else if (!scratch_intact(nscratch)) {
    report(name, "wrote past its scratch", got, want, 0);
    ok = 0;
  } else if (input && memcmp(input, in_copy, nin) != 0) {
    report(name, "changed its input", input, in_copy, nin);
    ok = 0;
  }
  return ok;
}

static void describe_conv(const tml_conv_params *p) {
  printf("  in %dx%dx%dx%d filter %dx%dx%dx%d out %dx%dx%d stride %d,%d "
         "dilation %d,%d pad %d,%d mult %d\n",
         (int)p->in.n, (int)p->in.h, (int)p->in.w, (int)p->in.c,
         (int)p->filter.n, (int)p->filter.h, (int)p->filter.w,
         (int)p->filter.c, (int)p->out.h, (int)p->out.w, (int)p->out.c,
         (int)p->stride_h, (int)p->stride_w, (int)p->dilation_h,
         (int)p->dilation_w, (int)p->pad_h, (int)p->pad_w,
         (int)p->depth_multiplier);
}

/* ------------------------------------------------------------ convolution */

static void random_geometry(tml_conv_params *p, int32_t max_hw) {
  const int32_t shape = rnd(0, 3);
  const int32_t fh = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  const int32_t fw = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  p->in.n = p->out.n = rnd(0, 5) ? 1 : 2;
  p->in.h = rnd(1, max_hw);
  p->in.w = rnd(1, max_hw);
  p->filter.h = fh;
  p->filter.w = fw;
  p->stride_h = rnd(0, 1) ? 1 : rnd(1, 3);
  p->stride_w = rnd(0, 1) ? 1 : rnd(1, 3);
  p->dilation_h = rnd(0, 3) ? 1 : rnd(2, 3);
  p->dilation_w = rnd(0, 3) ? 1 : rnd(2, 3);
  if (rnd(0, 1)) {
    const int32_t eh = (fh - 1) * p->dilation_h + 1;
    const int32_t ew = (fw - 1) * p->dilation_w + 1;
    p->out.h = (p->in.h + p->stride_h - 1) / p->stride_h;
    p->out.w = (p->in.w + p->stride_w - 1) / p->stride_w;
    p->pad_h = max0(((p->out.h - 1) * p->stride_h + eh - p->in.h) / 2);
    p->pad_w = max0(((p->out.w - 1) * p->stride_w + ew - p->in.w) / 2);
  } else {
    p->out.h = rnd(1, max_hw);
    p->out.w = rnd(1, max_hw);
    p->pad_h = rnd(0, 4);
    p->pad_w = rnd(0, 4);
  }
}

/* Small planes of many channels, as in the later layers of MobileNets and
** DS-CNNs: 3x3 mostly, SAME or VALID, stride 1 or 2, now and then a
** dilation or a one-column image. */
static void small_geometry(tml_conv_params *p) {
  const int32_t f = rnd(0, 3);
  int32_t eh, ew;
  p->in.n = p->out.n = rnd(0, 3) ? 1 : rnd(2, 3);
  p->in.h = rnd(1, 8);
  p->in.w = rnd(0, 4) ? rnd(1, 8) : 1;
  p->filter.h = f ? 3 : rnd(1, 5);
  p->filter.w = p->in.w == 1 && rnd(0, 1) ? 1 : f ? 3 : rnd(1, 5);
  p->stride_h = rnd(1, 2);
  p->stride_w = rnd(1, 2);
  p->dilation_h = rnd(0, 5) ? 1 : 2;
  p->dilation_w = rnd(0, 5) ? 1 : 2;
  eh = (p->filter.h - 1) * p->dilation_h + 1;
  ew = (p->filter.w - 1) * p->dilation_w + 1;
  if (rnd(0, 1) && eh <= p->in.h && ew <= p->in.w) {
    p->out.h = (p->in.h - eh) / p->stride_h + 1;
    p->out.w = (p->in.w - ew) / p->stride_w + 1;
    p->pad_h = p->pad_w = 0;
  } else {
    p->out.h = (p->in.h + p->stride_h - 1) / p->stride_h;
    p->out.w = (p->in.w + p->stride_w - 1) / p->stride_w;
    p->pad_h = max0(((p->out.h - 1) * p->stride_h + eh - p->in.h) / 2);
    p->pad_w = max0(((p->out.w - 1) * p->stride_w + ew - p->in.w) / 2);
  }
}

static int32_t channels(void) {
  const int32_t k = rnd(0, 4);
  return k == 0 ? rnd(1, 7) : k == 1 ? 4 * rnd(1, 16) : k == 2 ? 8 * rnd(1, 8)
                                                              : rnd(1, 70);
}

static int quant_init(tml_conv_params *p, int depthwise) {
  float fscales[MAX_CH];
  const int32_t n = rnd(0, 1) ? 1 : p->out.c;
  int32_t i;
  for (i = 0; i < n; i++) fscales[i] = rnd_scale(-4.0f, -1.0f);
  if (rnd(0, 9) == 0) fscales[0] = 0.0f;
  if ((depthwise ? tml_depthwise_conv2d_q_init : tml_conv2d_q_init)(
          p, mult_buf, shift_buf, rnd_scale(-3.0f, 0.0f), zero_point(),
          fscales, n, rnd_scale(-4.0f, 0.0f), zero_point(), -128, 127,
          activation()) != TML_OK)
    return 0;
  perturb_multipliers(mult_buf, shift_buf, p->out.c);
  return 1;
}

static size_t conv_sizes(const tml_conv_params *p, size_t *nin, size_t *nw) {
  *nin = (size_t)p->in.n * p->in.h * p->in.w * p->in.c;
  *nw = (size_t)p->filter.n * p->filter.h * p->filter.w * p->filter.c;
  return (size_t)p->out.n * p->out.h * p->out.w * p->out.c;
}

static void fill_conv(size_t nin, size_t nw, int32_t nbias) {
  fill_s8(in_buf, (int32_t)nin);
  memcpy(in_copy, in_buf, nin);
  fill_s8(w_buf, (int32_t)nw);
  fill_bias(bias_buf, nbias);
}

static void check_conv(void) {
  tml_conv_params p;
  const int32_t *bias;
  size_t nin, nw, nout, ns;
  memset(&p, 0, sizeof p);
  random_geometry(&p, 14);
  {
    const int32_t groups = rnd(0, 9) ? 1 : 2;
    p.filter.c = channels();
    p.in.c = groups * p.filter.c;
    p.out.c = groups * rnd(1, 70 / groups);
    p.filter.n = p.out.c;
  }
  nout = conv_sizes(&p, &nin, &nw);
  if (nin > MAX_IN || nw > MAX_W || nout > MAX_OUT || !quant_init(&p, 0))
    return;
  ns = tml_conv2d_s8_scratch_size(&p);
  if (ns > MAX_SCRATCH) return;
#if defined(TML_KERNELS_ARM_MVE)
  /* The MVE kernel's three rows of taps must fit the DSP kernel's
  ** scratch, which is what the planner reserves on the M55. */
  if ((size_t)3 * p.filter.h * p.filter.w * p.filter.c > ns) {
    failures++;
    printf("FAIL tml_conv2d_s8: MVE rows exceed the planned scratch\n");
    describe_conv(&p);
  }
#endif
  fill_conv(nin, nw, p.out.c);
  bias = rnd(0, 4) ? bias_buf : NULL;
  memset(want, 0x11, nout + GUARD);
  memset(got, 0x11, nout + GUARD);
  tml_conv2d_s8_portable(&p, in_buf, w_buf, bias, want, NULL);
  tml_conv2d_s8(&p, in_buf, w_buf, bias, got, scratch_for(ns));
  if (!check("tml_conv2d_s8", nout, ns, in_buf, nin)) describe_conv(&p);
}

static void check_depthwise(void) {
  tml_conv_params p;
  const int32_t *bias;
  size_t nin, nw, nout, ns;
  /* Now and then a large image of few channels: its plane comes in bands;
  ** as often a small one of many channels. */
  const int32_t kind = rnd(0, 3);
  memset(&p, 0, sizeof p);
  if (kind == 1) {
    small_geometry(&p);
    p.in.c = rnd(0, 1) ? 4 * rnd(1, 64) : rnd(4, 70);
  } else {
    random_geometry(&p, kind == 0 ? 64 : 16);
    p.in.c = kind == 0 ? rnd(1, 5) : channels();
  }
  p.depth_multiplier = rnd(0, 5) ? 1 : rnd(2, 3);
  p.filter.n = 1;
  p.filter.c = p.out.c = p.in.c * p.depth_multiplier;
  nout = conv_sizes(&p, &nin, &nw);
  if (p.out.c > MAX_CH || nin > MAX_IN || nw > MAX_W || nout > MAX_OUT ||
      !quant_init(&p, 1))
    return;
  ns = tml_depthwise_conv2d_s8_scratch_size(&p);
  if (ns > MAX_SCRATCH) return;
  fill_conv(nin, nw, p.out.c);
  bias = rnd(0, 4) ? bias_buf : NULL;
  memset(want, 0x11, nout + GUARD);
  memset(got, 0x11, nout + GUARD);
  tml_depthwise_conv2d_s8_portable(&p, in_buf, w_buf, bias, want, NULL);
  tml_depthwise_conv2d_s8(&p, in_buf, w_buf, bias, got, scratch_for(ns));
  if (!check("tml_depthwise_conv2d_s8", nout, ns, in_buf, nin))
    describe_conv(&p);
}

/* In place: the data buffer holds the input, then the output; compared with
** the portable out-of-place kernel. */
static void check_inplace(int depthwise) {
  const char *name = depthwise ? "tml_depthwise_conv2d_s8_inplace"
                               : "tml_conv2d_s8_inplace";
  tml_conv_params p;
  const int32_t *bias;
  size_t nin, nw, nout, ns;
  memset(&p, 0, sizeof p);
  if (depthwise) {
    if (rnd(0, 1)) {
      small_geometry(&p);
      p.in.c = rnd(0, 1) ? 4 * rnd(1, 64) : rnd(4, 70);
    } else {
      random_geometry(&p, 16);
      p.in.c = channels();
    }
    p.depth_multiplier = 1;
    p.filter.n = 1;
    p.filter.c = p.out.c = p.in.c;
    if (!tml_depthwise_conv2d_s8_inplace_ok(&p)) return;
  } else {
    p.in.n = p.out.n = rnd(0, 5) ? 1 : 2;
    p.in.h = p.out.h = rnd(1, 12);
    p.in.w = p.out.w = rnd(1, 12);
    p.filter.h = p.filter.w = 1;
    p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
    p.in.c = p.filter.c = channels();
    p.out.c = p.filter.n = channels();
  }
  nout = conv_sizes(&p, &nin, &nw);
  if (p.out.c > MAX_CH || nin > MAX_IN || nw > MAX_W || nout > MAX_OUT ||
      !quant_init(&p, depthwise))
    return;
  ns = depthwise ? tml_depthwise_conv2d_s8_inplace_scratch_size(&p)
                 : tml_conv2d_s8_inplace_scratch_size(&p);
  if (ns > MAX_SCRATCH) return;
#if defined(TML_KERNELS_ARM_MVE)
  if (!depthwise && (size_t)3 * p.in.c > ns) {
    failures++;
    printf("FAIL %s: MVE pixels exceed the planned scratch\n", name);
    describe_conv(&p);
  }
#endif
  fill_conv(nin, nw, p.out.c);
  bias = rnd(0, 4) ? bias_buf : NULL;
  memset(want, 0x11, MAX_OUT + GUARD);
  memset(got, 0x11, MAX_OUT + GUARD);
  if (depthwise)
    tml_depthwise_conv2d_s8_portable(&p, in_buf, w_buf, bias, want, NULL);
  else
    tml_conv2d_s8_portable(&p, in_buf, w_buf, bias, want, NULL);
  /* Beyond the output, the data buffer keeps what the input left there. */
  memcpy(got, in_buf, nin);
  if (nin > nout) memcpy(want + nout, in_buf + nout, nin - nout);
  if (depthwise)
    tml_depthwise_conv2d_s8_inplace(&p, got, w_buf, bias, scratch_for(ns));
  else
    tml_conv2d_s8_inplace(&p, got, w_buf, bias, scratch_for(ns));
  if (!check(name, nin > nout ? nin : nout, ns, NULL, 0)) describe_conv(&p);
}

/* ------------------------------------------------------- fully connected */

static void check_fc(void) {
  tml_fc_params p;
  float wscales[MAX_CH];
  const int32_t *bias;
  int32_t n_scales, i;
  size_t nin, nw, nout;
  const int32_t k = rnd(0, 3);
  memset(&p, 0, sizeof p);
  p.batches = rnd(0, 3) ? 1 : rnd(2, 3);
  p.in_depth = k == 0 ? rnd(1, 20) : k == 1 ? 4 * rnd(1, 100) : rnd(1, 1100);
  p.out_depth = rnd(0, 1) ? rnd(1, 20) : rnd(1, 130);
  n_scales = rnd(0, 1) ? 1 : p.out_depth;
  for (i = 0; i < n_scales; i++) wscales[i] = rnd_scale(-4.0f, -1.0f);
  if (tml_fully_connected_q_init(
          &p, mult_buf, shift_buf, rnd_scale(-3.0f, 0.0f), zero_point(),
          wscales, n_scales, rnd(0, 1) ? 0 : zero_point(), NULL,
          rnd_scale(-4.0f, 0.0f), zero_point(), -128, 127,
          activation()) != TML_OK)
    return;
  perturb_multipliers(mult_buf, shift_buf, n_scales);
  nin = (size_t)p.batches * p.in_depth;
  nw = (size_t)p.out_depth * p.in_depth;
  nout = (size_t)p.batches * p.out_depth;
  if (nin > MAX_IN || nw > MAX_W || nout > MAX_OUT) return;
  fill_s8(in_buf, (int32_t)nin);
  memcpy(in_copy, in_buf, nin);
  fill_s8(w_buf, (int32_t)nw);
  fill_bias(bias_buf, p.out_depth);
  bias = rnd(0, 4) ? bias_buf : NULL;
  memset(want, 0x11, nout + GUARD);
  memset(got, 0x11, nout + GUARD);
  tml_fully_connected_s8_portable(&p, in_buf, w_buf, bias, want);
  scratch_for(0);
  tml_fully_connected_s8(&p, in_buf, w_buf, bias, got);
  if (!check("tml_fully_connected_s8", nout, 0, in_buf, nin))
    printf("  batches %d in %d out %d scales %d w_offset %d\n",
           (int)p.batches, (int)p.in_depth, (int)p.out_depth, (int)n_scales,
           (int)p.w_offset);
}

/* ---------------------------------------------------------------- pooling */

static void check_pool(int avg) {
  const char *name = avg ? "tml_avgpool_s8" : "tml_maxpool_s8";
  tml_pool_params p;
  int32_t lo, hi;
  size_t nin, nout;
  memset(&p, 0, sizeof p);
  p.in.n = p.out.n = rnd(0, 5) ? 1 : 2;
  p.in.h = rnd(1, 30);
  p.in.w = rnd(1, 30);
  p.in.c = p.out.c = channels();
  p.filter_h = rnd(0, 5) ? rnd(1, 4) : rnd(1, p.in.h + 2);
  p.filter_w = rnd(0, 5) ? rnd(1, 4) : rnd(1, p.in.w + 2);
  p.stride_h = rnd(1, 3);
  p.stride_w = rnd(1, 3);
  p.pad_h = rnd(0, 3) ? 0 : rnd(0, p.filter_h - 1);
  p.pad_w = rnd(0, 3) ? 0 : rnd(0, p.filter_w - 1);
  p.out.h = rnd(1, (p.in.h + 2 * p.pad_h) / p.stride_h + 1);
  p.out.w = rnd(1, (p.in.w + 2 * p.pad_w) / p.stride_w + 1);
  if (tml_activation_range_q(activation(), rnd_scale(-3.0f, 0.0f),
                             zero_point(), -128, 127, &lo, &hi) != TML_OK)
    return;
  p.act_min = lo;
  p.act_max = hi;
  nin = (size_t)p.in.n * p.in.h * p.in.w * p.in.c;
  nout = (size_t)p.out.n * p.out.h * p.out.w * p.out.c;
  if (nin > MAX_IN || nout > MAX_OUT) return;
  fill_s8(in_buf, (int32_t)nin);
  memcpy(in_copy, in_buf, nin);
  memset(want, 0x11, nout + GUARD);
  memset(got, 0x11, nout + GUARD);
  scratch_for(0);
  if (avg) {
    tml_avgpool_s8_portable(&p, in_buf, want);
    tml_avgpool_s8(&p, in_buf, got);
  } else {
    tml_maxpool_s8_portable(&p, in_buf, want);
    tml_maxpool_s8(&p, in_buf, got);
  }
  if (!check(name, nout, 0, in_buf, nin))
    printf("  in %dx%dx%dx%d filter %dx%d stride %d,%d pad %d,%d out %dx%d\n",
           (int)p.in.n, (int)p.in.h, (int)p.in.w, (int)p.in.c,
           (int)p.filter_h, (int)p.filter_w, (int)p.stride_h,
           (int)p.stride_w, (int)p.pad_h, (int)p.pad_w, (int)p.out.h,
           (int)p.out.w);
}

/* -------------------------------------------------------------------- add */

static void check_add(void) {
  tml_add_params p;
  int32_t dims1[4], dims2[4], out_dims[4], d;
  size_t n1 = 1, n2 = 1, nout = 1;
  const int bcast = rnd(0, 3) == 0;
  memset(&p, 0, sizeof p);
  for (d = 0; d < 4; d++) {
    out_dims[d] = d == 3 ? rnd(1, 40) : rnd(1, 6);
    dims1[d] = out_dims[d];
    dims2[d] = bcast && rnd(0, 1) ? 1 : out_dims[d];
    n1 *= (size_t)dims1[d];
    n2 *= (size_t)dims2[d];
    nout *= (size_t)out_dims[d];
  }
  if (nout > MAX_OUT ||
      tml_broadcast_init(&p.b, 4, dims1, 4, dims2, 4, out_dims) != TML_OK ||
      tml_add_s8_init(&p, 0, rnd_scale(-3.0f, 0.0f), zero_point(),
                      rnd_scale(-3.0f, 0.0f), zero_point(),
                      rnd_scale(-3.0f, 0.0f), zero_point(),
                      activation()) != TML_OK)
    return;
  fill_s8(in_buf, (int32_t)n1);
  fill_s8(w_buf, (int32_t)n2);
  memcpy(in_copy, in_buf, n1);
  memset(want, 0x11, nout + GUARD);
  memset(got, 0x11, nout + GUARD);
  scratch_for(0);
  tml_add_s8_portable(&p, in_buf, w_buf, want);
  tml_add_s8(&p, in_buf, w_buf, got);
  if (!check("tml_add_s8", nout, 0, in_buf, n1))
    printf("  %d elements, flat %d\n", (int)nout, (int)p.b.flat);
}

int main(void) {
  int i;
  printf("tt_kernels: kernel set %d, %d runs\n", TML_KSET, TT_RUNS);
  for (i = 0; i < TT_RUNS; i++) {
    check_conv();
    check_depthwise();
    check_inplace(0);
    check_inplace(1);
    check_fc();
    check_pool(0);
    check_pool(1);
    check_add();
  }
  printf("tt_kernels: %ld cases, %ld failures\n", cases, failures);
  return failures ? 1 : 0;
}
