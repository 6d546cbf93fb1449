/*
** Every architecture variant of a kernel against its portable version on
** random shapes and parameters: padding, strides, dilation, odd channel
** counts, per-tensor and per-channel multipliers, extreme zero points and
** biases, saturating scales. Outputs must be byte-identical, float ones
** included (the variants keep the portable summation order). Variants the
** CPU lacks are skipped; so is everything in a TML_KERNELS_PORTABLE build.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tml_kernels.h"
#include "tml_test.h"
#include "tml_variants.h"

static uint32_t rng = 12345u;

static uint32_t next_u32(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Uniform in [lo, hi]. */
static int32_t rnd(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

static int32_t max0(int32_t v) { return v > 0 ? v : 0; }

static float rnd_scale(float lo_exp, float hi_exp) {
  const float e = lo_exp + (hi_exp - lo_exp) * (float)rnd(0, 1000) / 1000.0f;
  return powf(10.0f, e);
}

/* Scratch sized exactly, so the sanitizers see any overrun; NULL for 0. */
static void *alloc_scratch(size_t n) { return n ? malloc(n) : NULL; }

static void fill_s8(int8_t *a, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i++) a[i] = (int8_t)rnd(-128, 127);
}

/* Mostly moderate values; now and then an infinity or a signed zero. */
static void fill_f32(float *a, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i++) {
    const int32_t k = rnd(0, 200);
    a[i] = k == 0   ? INFINITY
           : k == 1 ? -0.0f
           : k == 2 ? 0.0f
                    : (float)rnd(-100000, 100000) / 3001.0f;
  }
}

/* Biases: small, large, or anywhere in int32 (sums then wrap). */
static void fill_bias(int32_t *a, int32_t n) {
  const int32_t kind = rnd(0, 2);
  int32_t i;
  for (i = 0; i < n; i++)
    a[i] = kind == 0   ? rnd(-2000, 2000)
           : kind == 1 ? rnd(-2000000, 2000000)
                       : (int32_t)next_u32();
}

static int32_t zero_point(void) {
  const int32_t k = rnd(0, 5);
  return k == 0 ? -128 : k == 1 ? 127 : k == 2 ? 0 : rnd(-128, 127);
}

static tml_activation activation(void) {
  static const tml_activation acts[4] = {TML_ACT_NONE, TML_ACT_RELU,
                                         TML_ACT_RELU6, TML_ACT_RELU_N1_TO_1};
  return acts[rnd(0, 3)];
}

/* Random geometry accepted by the inits: some windows may miss the image
** entirely (large padding), some outputs see only part of it. */
static void random_geometry(tml_conv_params *p, int32_t max_hw) {
  /* 1x1 and 3x3 filters and stride 1 are the common (and fast-path)
  ** cases: weight them up. */
  const int32_t shape = rnd(0, 2);
  const int32_t fh = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  const int32_t fw = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  p->in.n = p->out.n = rnd(1, 2);
  p->in.h = rnd(1, max_hw);
  p->in.w = rnd(1, max_hw);
  p->filter.h = fh;
  p->filter.w = fw;
  p->stride_h = rnd(0, 1) ? 1 : rnd(1, 3);
  p->stride_w = rnd(0, 1) ? 1 : rnd(1, 3);
  p->dilation_h = rnd(0, 3) ? 1 : rnd(2, 3);
  p->dilation_w = rnd(0, 3) ? 1 : rnd(2, 3);
  if (rnd(0, 1)) {
    /* TFLite SAME padding. */
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

static int channels(void) {
  const int32_t k = rnd(0, 3);
  return k == 0 ? rnd(1, 7) : k == 1 ? 8 * rnd(1, 6) : rnd(1, 70);
}

/* Quantized params through the init; returns 0 when the random scales are
** out of what it accepts (the case is then skipped). */
static int quant_init(tml_conv_params *p, int depthwise, int32_t *mult,
                      int8_t *shift) {
  float fscales[128];
  const int32_t n = rnd(0, 1) ? 1 : p->out.c;
  int32_t i;
  for (i = 0; i < n; i++) fscales[i] = rnd_scale(-4.0f, -1.0f);
  if (rnd(0, 9) == 0) fscales[0] = 0.0f;
  return (depthwise ? tml_depthwise_conv2d_q_init : tml_conv2d_q_init)(
             p, mult, shift, rnd_scale(-3.0f, 0.0f), zero_point(), fscales, n,
             rnd_scale(-4.0f, 0.0f), zero_point(), -128, 127,
             activation()) == TML_OK;
}

typedef void (*conv_s8_fn)(const tml_conv_params *, const int8_t *,
                           const int8_t *, const int32_t *, int8_t *, void *);
typedef size_t (*scratch_fn)(const tml_conv_params *);
typedef void (*conv_f32_fn)(const tml_conv_params *, const float *,
                            const float *, const float *, float *, void *);

static int cases_run;

static void check_conv_s8(conv_s8_fn variant, scratch_fn size, int depthwise,
                          const char *name) {
  int same;
  tml_conv_params p;
  int32_t mult[128], *bias;
  int8_t shift[128];
  int8_t *in, *f, *want, *got;
  void *scratch;
  size_t nin, nf, nout;
  memset(&p, 0, sizeof p);
  random_geometry(&p, 12);
  if (depthwise) {
    p.in.c = channels();
    p.depth_multiplier = rnd(0, 4) ? 1 : rnd(2, 3);
    p.filter.n = 1;
    p.filter.c = p.out.c = p.in.c * p.depth_multiplier;
  } else {
    const int32_t groups = rnd(0, 7) ? 1 : 2;
    p.filter.c = channels();
    p.in.c = groups * p.filter.c;
    p.out.c = groups * rnd(1, 64 / groups);
    p.filter.n = p.out.c;
  }
  if (p.out.c > 128 || !quant_init(&p, depthwise, mult, shift)) return;
  nin = (size_t)p.in.n * p.in.h * p.in.w * p.in.c;
  nf = (size_t)p.filter.n * p.filter.h * p.filter.w * p.filter.c;
  nout = (size_t)p.out.n * p.out.h * p.out.w * p.out.c;
  in = malloc(nin);
  f = malloc(nf);
  want = malloc(nout);
  got = malloc(nout);
  bias = malloc(sizeof *bias * (size_t)p.out.c);
  fill_s8(in, (int32_t)nin);
  fill_s8(f, (int32_t)nf);
  fill_bias(bias, p.out.c);
  if (rnd(0, 4) == 0) {
    free(bias);
    bias = NULL;
  }
  if (depthwise)
    tml_depthwise_conv2d_s8_portable(&p, in, f, bias, want, NULL);
  else
    tml_conv2d_s8_portable(&p, in, f, bias, want, NULL);
  scratch = alloc_scratch(size ? size(&p) : 0);
  memset(got, 0x5a, nout);
  variant(&p, in, f, bias, got, scratch);
  same = memcmp(got, want, nout) == 0;
  CHECK(same);
  if (!same) {
    fprintf(stderr,
            "%s: in %dx%dx%dx%d filter %dx%dx%dx%d out %dx%dx%d stride %d,%d "
            "dilation %d,%d pad %d,%d\n",
            name, (int)p.in.n, (int)p.in.h, (int)p.in.w, (int)p.in.c,
            (int)p.filter.n, (int)p.filter.h, (int)p.filter.w, (int)p.filter.c,
            (int)p.out.h, (int)p.out.w, (int)p.out.c, (int)p.stride_h,
            (int)p.stride_w, (int)p.dilation_h, (int)p.dilation_w, (int)p.pad_h,
            (int)p.pad_w);
    CHECK_ARRAY_EQ(got, want, nout);
  }
  cases_run++;
  free(scratch);
  free(in);
  free(f);
  free(want);
  free(got);
  free(bias);
}

static void check_conv_f32(conv_f32_fn variant, scratch_fn size, int depthwise,
                           const char *name) {
  int same;
  tml_conv_params p;
  float *in, *f, *bias, *want, *got;
  void *scratch;
  size_t nin, nf, nout;
  memset(&p, 0, sizeof p);
  random_geometry(&p, 10);
  if (depthwise) {
    p.in.c = channels();
    p.depth_multiplier = rnd(0, 4) ? 1 : rnd(2, 3);
    p.filter.n = 1;
    p.filter.c = p.out.c = p.in.c * p.depth_multiplier;
    if (tml_depthwise_conv2d_f32_init(&p, activation()) != TML_OK) return;
  } else {
    const int32_t groups = rnd(0, 7) ? 1 : 2;
    p.filter.c = channels();
    p.in.c = groups * p.filter.c;
    p.out.c = groups * rnd(1, 70 / groups);
    p.filter.n = p.out.c;
    if (tml_conv2d_f32_init(&p, activation()) != TML_OK) return;
  }
  nin = (size_t)p.in.n * p.in.h * p.in.w * p.in.c;
  nf = (size_t)p.filter.n * p.filter.h * p.filter.w * p.filter.c;
  nout = (size_t)p.out.n * p.out.h * p.out.w * p.out.c;
  in = malloc(sizeof *in * nin);
  f = malloc(sizeof *f * nf);
  want = malloc(sizeof *want * nout);
  got = malloc(sizeof *got * nout);
  bias = malloc(sizeof *bias * (size_t)p.out.c);
  fill_f32(in, (int32_t)nin);
  fill_f32(f, (int32_t)nf);
  fill_f32(bias, p.out.c);
  if (rnd(0, 4) == 0) {
    free(bias);
    bias = NULL;
  }
  if (depthwise)
    tml_depthwise_conv2d_f32_portable(&p, in, f, bias, want, NULL);
  else
    tml_conv2d_f32_portable(&p, in, f, bias, want, NULL);
  scratch = alloc_scratch(size ? size(&p) : 0);
  variant(&p, in, f, bias, got, scratch);
  same = memcmp(got, want, sizeof *got * nout) == 0;
  CHECK(same);
  if (!same) {
    size_t i;
    for (i = 0; i < nout; i++)
      if (memcmp(&got[i], &want[i], sizeof *got) != 0) break;
    fprintf(stderr, "%s: element %d of %d: %.9g, want %.9g\n", name, (int)i,
            (int)nout, (double)got[i], (double)want[i]);
  }
  cases_run++;
  free(scratch);
  free(in);
  free(f);
  free(want);
  free(got);
  free(bias);
}

typedef void (*fc_s8_fn)(const tml_fc_params *, const int8_t *, const int8_t *,
                         const int32_t *, int8_t *);
typedef void (*fc_f32_fn)(const tml_fc_params *, const float *, const float *,
                          const float *, float *);

static void fc_shape(tml_fc_params *p) {
  const int32_t k = rnd(0, 3);
  memset(p, 0, sizeof *p);
  p->batches = rnd(1, 3);
  p->in_depth = k == 0 ? rnd(1, 20) : k == 1 ? 16 * rnd(1, 20) : rnd(1, 700);
  p->out_depth = rnd(0, 1) ? rnd(1, 20) : rnd(1, 130);
}

static void check_fc_s8(fc_s8_fn variant, const char *name) {
  int same;
  tml_fc_params p;
  int32_t mult[130], *bias, i;
  int8_t shift[130];
  float wscales[130];
  int8_t *in, *w, *want, *got;
  size_t nin, nw, nout;
  int32_t n_scales;
  fc_shape(&p);
  n_scales = rnd(0, 1) ? 1 : p.out_depth;
  for (i = 0; i < n_scales; i++) wscales[i] = rnd_scale(-4.0f, -1.0f);
  if (tml_fully_connected_q_init(
          &p, mult, shift, rnd_scale(-3.0f, 0.0f), zero_point(), wscales,
          n_scales, rnd(0, 1) ? 0 : zero_point(), NULL, rnd_scale(-4.0f, 0.0f),
          zero_point(), -128, 127, activation()) != TML_OK)
    return;
  nin = (size_t)p.batches * p.in_depth;
  nw = (size_t)p.out_depth * p.in_depth;
  nout = (size_t)p.batches * p.out_depth;
  in = malloc(nin);
  w = malloc(nw);
  want = malloc(nout);
  got = malloc(nout);
  bias = malloc(sizeof *bias * (size_t)p.out_depth);
  fill_s8(in, (int32_t)nin);
  fill_s8(w, (int32_t)nw);
  fill_bias(bias, p.out_depth);
  if (rnd(0, 4) == 0) {
    free(bias);
    bias = NULL;
  }
  tml_fully_connected_s8_portable(&p, in, w, bias, want);
  variant(&p, in, w, bias, got);
  same = memcmp(got, want, nout) == 0;
  CHECK(same);
  if (!same) {
    fprintf(stderr, "%s: batches %d, in %d, out %d, %d scales\n", name,
            (int)p.batches, (int)p.in_depth, (int)p.out_depth, (int)n_scales);
    CHECK_ARRAY_EQ(got, want, nout);
  }
  cases_run++;
  free(in);
  free(w);
  free(want);
  free(got);
  free(bias);
}

static void check_fc_f32(fc_f32_fn variant, const char *name) {
  int same;
  tml_fc_params p;
  float *in, *w, *bias, *want, *got;
  size_t nin, nw, nout;
  fc_shape(&p);
  if (tml_fully_connected_f32_init(&p, activation()) != TML_OK) return;
  nin = (size_t)p.batches * p.in_depth;
  nw = (size_t)p.out_depth * p.in_depth;
  nout = (size_t)p.batches * p.out_depth;
  in = malloc(sizeof *in * nin);
  w = malloc(sizeof *w * nw);
  want = malloc(sizeof *want * nout);
  got = malloc(sizeof *got * nout);
  bias = malloc(sizeof *bias * (size_t)p.out_depth);
  fill_f32(in, (int32_t)nin);
  fill_f32(w, (int32_t)nw);
  fill_f32(bias, p.out_depth);
  if (rnd(0, 4) == 0) {
    free(bias);
    bias = NULL;
  }
  tml_fully_connected_f32_portable(&p, in, w, bias, want);
  variant(&p, in, w, bias, got);
  same = memcmp(got, want, sizeof *got * nout) == 0;
  CHECK(same);
  if (!same) {
    fprintf(stderr, "%s: batches %d, in %d, out %d\n", name, (int)p.batches,
            (int)p.in_depth, (int)p.out_depth);
  }
  cases_run++;
  free(in);
  free(w);
  free(want);
  free(got);
  free(bias);
}

/* The public kernels too: whatever they dispatch to on this machine, with
** the scratch their _scratch_size reports. */
static void public_conv_s8(const tml_conv_params *p, const int8_t *in,
                           const int8_t *f, const int32_t *bias, int8_t *out,
                           void *scratch) {
  tml_conv2d_s8(p, in, f, bias, out, scratch);
}

#define RUNS 500

int main(void) {
  int i;
  for (i = 0; i < RUNS; i++) {
    check_conv_s8(public_conv_s8, tml_conv2d_s8_scratch_size, 0,
                  "tml_conv2d_s8");
    check_conv_s8(tml_depthwise_conv2d_s8, tml_depthwise_conv2d_s8_scratch_size,
                  1, "tml_depthwise_conv2d_s8");
    check_conv_f32(tml_conv2d_f32, tml_conv2d_f32_scratch_size, 0,
                   "tml_conv2d_f32");
    check_conv_f32(tml_depthwise_conv2d_f32,
                   tml_depthwise_conv2d_f32_scratch_size, 1,
                   "tml_depthwise_conv2d_f32");
    check_fc_s8(tml_fully_connected_s8, "tml_fully_connected_s8");
    check_fc_f32(tml_fully_connected_f32, "tml_fully_connected_f32");
  }
#if TML_KERNELS_X86
  if (TML_CPU_AVX2()) {
    for (i = 0; i < RUNS; i++) {
      check_conv_s8(tml_conv2d_s8_avx2, tml_conv2d_s8_avx2_scratch_size, 0,
                    "tml_conv2d_s8_avx2");
      check_conv_s8(tml_depthwise_conv2d_s8_avx2, NULL, 1,
                    "tml_depthwise_conv2d_s8_avx2");
      check_conv_f32(tml_conv2d_f32_avx2, tml_conv2d_f32_avx2_scratch_size, 0,
                     "tml_conv2d_f32_avx2");
      check_conv_f32(tml_depthwise_conv2d_f32_avx2, NULL, 1,
                     "tml_depthwise_conv2d_f32_avx2");
      check_fc_s8(tml_fully_connected_s8_avx2, "tml_fully_connected_s8_avx2");
      check_fc_f32(tml_fully_connected_f32_avx2,
                   "tml_fully_connected_f32_avx2");
    }
  } else {
    printf("test_variants: no AVX2 on this CPU, AVX2 variants skipped\n");
  }
  if (TML_CPU_SSE41()) {
    for (i = 0; i < RUNS; i++) {
      check_conv_s8(tml_conv2d_s8_sse41, tml_conv2d_s8_sse41_scratch_size, 0,
                    "tml_conv2d_s8_sse41");
      check_conv_s8(tml_depthwise_conv2d_s8_sse41, NULL, 1,
                    "tml_depthwise_conv2d_s8_sse41");
      check_fc_s8(tml_fully_connected_s8_sse41, "tml_fully_connected_s8_sse41");
    }
  } else {
    printf("test_variants: no SSE4.1 on this CPU, SSE4.1 variants skipped\n");
  }
#endif
  printf("test_variants: %d cases\n", cases_run);
  return TEST_REPORT();
}
