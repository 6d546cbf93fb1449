/*
** Plans are checked, not trusted: on every shared model and on synthetic
** graphs, no two tensors of different groups that live at the same op may
** share a byte, every item lies inside the planned region, in-place members
** of a group overlap only at the op that writes one over the other, and the
** planned size is at least the bound the groups impose.
*/
#define _POSIX_C_SOURCE 200112L
#include <stdlib.h>

#include "tflite_writer.h"
#include "tml_runtime.h"
#include "tml_test.h"

static int32_t root(const tml_plan_item *it, int32_t i) {
  while (it[i].rep >= 0) i = it[i].rep;
  return i;
}

static int planned(const tml_plan_item *it) {
  return it->size > 0 && it->first >= 0 && it->first != TML_UNSET;
}

/* Checks one plan; returns the planned bytes. */
static size_t check_plan_with(const tml_model *m, const char *what,
                              int inplace, int kset) {
  const uint32_t n = tml_plan_items(m);
  tml_plan_item *it = calloc(n, sizeof *it);
  tml_layout l;
  tml_error err;
  uint32_t i, j;
  int32_t k;
  size_t group_bound = 0;
  int bad = 0;
  if (tml_plan(m, it, &l, inplace, kset, &err) != TML_OK) {
    fprintf(stderr, "%s: %s\n", what, err.message);
    CHECK(0);
    free(it);
    return 0;
  }
  for (i = 0; i < n; i++) {
    const uint32_t oi = it[root(it, (int32_t)i)].offset;
    if (!planned(&it[i])) continue;
    if (oi + it[i].size > l.planned) bad++;
    for (j = i + 1; j < n; j++) {
      const uint32_t oj = it[root(it, (int32_t)j)].offset;
      const int time = planned(&it[j]) && it[i].first <= it[j].last &&
                       it[j].first <= it[i].last;
      const int bytes = oi < oj + it[j].size && oj < oi + it[i].size;
      if (!time || !bytes) continue;
      if (root(it, (int32_t)i) != root(it, (int32_t)j)) {
        fprintf(stderr, "%s: items %u and %u overlap\n", what, (unsigned)i,
                (unsigned)j);
        bad++;
      } else if (it[i].first != it[j].last && it[j].first != it[i].last &&
                 it[i].first != it[j].first) {
        /* Same group, same time, same bytes: only the op that writes one
        ** over the other (or an alias, which starts where its source is
        ** written or read) may do that. */
        fprintf(stderr, "%s: group members %u and %u overlap for long\n",
                what, (unsigned)i, (unsigned)j);
        bad++;
      }
    }
  }
  /* The bound the grouping imposes: at each op, each group needs its
  ** largest live member. */
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    size_t live = 0;
    for (i = 0; i < n; i++) {
      uint32_t big = 0, a;
      if (it[i].rep >= 0) continue;
      for (a = 0; a < n; a++)
        if (root(it, (int32_t)a) == (int32_t)i && planned(&it[a]) &&
            it[a].first <= k && k <= it[a].last && it[a].size > big)
          big = it[a].size;
      live += big;
    }
    if (live > group_bound) group_bound = live;
  }
  CHECK(l.planned >= group_bound);
  CHECK_EQ(bad, 0);
  free(it);
  return l.planned;
}

/* Both plans: in-place convolutions allowed (devices) and not (hosts); the
** first may only be smaller. For the portable kernels' scratch and for the
** largest of every kernel set's; returns the portable in-place plan's. */
static size_t check_plan(const tml_model *m, const char *what) {
  const size_t with = check_plan_with(m, what, 1, TML_KSET_PORTABLE);
  const size_t any = check_plan_with(m, what, 1, TML_KSET_ANY);
  CHECK(with <= check_plan_with(m, what, 0, TML_KSET_PORTABLE));
  CHECK(any <= check_plan_with(m, what, 0, TML_KSET_ANY));
  return with;
}

/* vww's peak is at its 48x48 layers: two convolutions there must run in
** place, the other 25 convolutions (whose in-place kernels are slower) not.
** Regression: every one of them ran in place when the plan that keeps only
** the ops above the peak came out larger. Joined tensors: those two outputs
** and the flatten RESHAPE's. */
static void joined_in_vww(const tml_model *m) {
  const uint32_t n = tml_plan_items(m);
  tml_plan_item *it = calloc(n, sizeof *it);
  tml_layout l;
  uint32_t i, joined = 0;
  CHECK(tml_plan(m, it, &l, 1, TML_KSET_ARM_DSP, NULL) == TML_OK);
  for (i = 0; i < m->n_tensors; i++) joined += it[i].rep >= 0;
  CHECK_EQ(joined, 3);
  CHECK_EQ(l.planned, 46472);
  free(it);
}

static void shared_models(void) {
  static const char *const models[] = {
    "mlcommons_tiny/kws_ref_model", "mlcommons_tiny/vww_96_int8",
    "mlcommons_tiny/vww_96_float", "mlcommons_tiny/pretrainedResnet_quant",
    "mlcommons_tiny/pretrainedResnet", "mlcommons_tiny/ad01_int8",
    "mlcommons_tiny/ad01_fp32", "mlcommons_tiny/str_ww_ref_model",
    "tflite_micro/micro_speech_quantized", "tflite_micro/hello_world_int8",
    "tflite_micro/hello_world_float"
  };
  size_t i;
  for (i = 0; i < sizeof models / sizeof models[0]; i++) {
    char path[512];
    FILE *fp;
    long size;
    void *buf = NULL;
    tml_model m;
    snprintf(path, sizeof path, "%s/models/%s.tflite", tml_test_shared(),
             models[i]);
    fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (!fp) continue;
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    CHECK(posix_memalign(&buf, 16, (size_t)size) == 0);
    CHECK(fread(buf, 1, (size_t)size, fp) == (size_t)size);
    fclose(fp);
    CHECK(tml_model_load(&m, buf, (size_t)size, NULL) == TML_OK);
    check_plan(&m, models[i]);
    if (i == 1) joined_in_vww(&m);
    free(buf);
  }
}

/* A float graph of FULLY_CONNECTED layers wired by `edges`: op k reads the
** tensors in[k][0..1] (two inputs make an ADD) and writes tensor k + 1;
** tensor 0 is the model input, the last op's output the model output. */
static size_t graph(const int32_t (*in)[2], int32_t n_ops,
                    const int32_t *width) {
  static const float w[64 * 64] = { 0 };
  tflw_model *b = tflw_new();
  unsigned char *bytes;
  size_t size, planned;
  tml_model m;
  int32_t k, t[32], wb[32], io[2];
  int32_t d0[2] = { 1, 0 };
  d0[1] = width[0];
  t[0] = tflw_tensor(b, "t0", TML_FLOAT32, 2, d0, 0, NULL, NULL, 0, 0, 0);
  for (k = 0; k < n_ops; k++) {
    int32_t dims[2] = { 1, 0 }, ins[3];
    dims[1] = width[k + 1];
    t[k + 1] = tflw_tensor(b, "t", TML_FLOAT32, 2, dims, 0, NULL, NULL, 0, 0, 0);
    if (in[k][1] < 0) {
      int32_t wd[2];
      wd[0] = width[k + 1];
      wd[1] = width[in[k][0]];
      wb[k] = tflw_tensor(b, "w", TML_FLOAT32, 2, wd,
                          tflw_buffer(b, w, sizeof(float) * (size_t)wd[0] * wd[1]),
                          NULL, NULL, 0, 0, 0);
      ins[0] = t[in[k][0]];
      ins[1] = wb[k];
      ins[2] = -1;
      tflw_op(b, 9, 1, ins, 3, &t[k + 1], 1, TFLW_NO_OPTIONS, NULL, 0);
    } else {
      ins[0] = t[in[k][0]];
      ins[1] = t[in[k][1]];
      tflw_op(b, 0, 1, ins, 2, &t[k + 1], 1, TFLW_NO_OPTIONS, NULL, 0);
    }
  }
  io[0] = t[0];
  io[1] = t[n_ops];
  tflw_io(b, &io[0], 1, &io[1], 1);
  CHECK(tflw_finish(b, &bytes, &size) == 0);
  CHECK(tml_model_load(&m, bytes, size, NULL) == TML_OK);
  planned = check_plan(&m, "synthetic graph");
  free(bytes);
  tflw_free(b);
  return planned;
}

static void synthetic(void) {
  /* A chain alternating wide and narrow layers: the best plan is the
  ** largest adjacent pair. */
  {
    static const int32_t in[][2] = { { 0, -1 }, { 1, -1 }, { 2, -1 },
                                     { 3, -1 }, { 4, -1 } };
    static const int32_t width[] = { 16, 64, 8, 64, 8, 16 };
    CHECK_EQ(graph(in, 5, width), 4 * (16 + 64));
  }
  /* A residual block: t1 feeds a branch and the ADD at the end, so it stays
  ** live across the branch. */
  {
    static const int32_t in[][2] = { { 0, -1 }, { 1, -1 }, { 2, -1 },
                                     { 1, 3 }, { 4, -1 } };
    static const int32_t width[] = { 8, 32, 32, 32, 32, 8 };
    size_t p = graph(in, 5, width);
    CHECK(p >= 4 * 32 * 3);
    CHECK(p <= 4 * 32 * 3 + 32);
  }
  /* Two parallel branches from the input, joined by ADDs. */
  {
    static const int32_t in[][2] = { { 0, -1 }, { 0, -1 }, { 1, 2 },
                                     { 0, 3 }, { 4, -1 } };
    static const int32_t width[] = { 16, 16, 16, 16, 16, 4 };
    CHECK(graph(in, 5, width) <= 4 * 16 * 3);
  }
}

int main(void) {
  shared_models();
  synthetic();
  return TEST_REPORT();
}
