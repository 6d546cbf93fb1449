/*
** Fuzz target: the .tflite writer's round trip, and structured models for
** the runtime. The fuzz data is read as a recipe: tensors (type, shape,
** quantization, constant data), operators of the kinds TML implements (with
** their options tag and fields) and the subgraph's inputs and outputs. The
** writer serialises it; then
**   - the round trip: whenever tml_model_load accepts the result, every
**     tensor reads back as written (type, shape, name, scales, zero points,
**     data), and every operator (code, version, tensor lists);
**   - the model target's checks (fuzz_runtime.h) on it: such models get
**     past the reader far more often than mutated bytes do, so prepare, the
**     planner and the kernels see more of their cases.
*/
#include "fuzz_runtime.h"
#include "tflite_writer.h"

#define MAX_T 10
#define MAX_OPS 4

typedef struct recipe {
  const uint8_t *p;
  size_t n;
} recipe;

static unsigned take(recipe *r, unsigned range) {
  unsigned v;
  if (range <= 1) return 0;
  v = r->n ? *r->p : 0;
  if (r->n) r->p++, r->n--;
  return v % range;
}

/* The operators TML implements, with their options tag (0: none). */
static const struct {
  int builtin, max_version, tag;
} kinds[] = {
  {TML_OP_ADD, 5, TFLW_OPT_ADD},
  {TML_OP_AVERAGE_POOL_2D, 3, TFLW_OPT_POOL_2D},
  {TML_OP_CONCATENATION, 3, TFLW_OPT_CONCATENATION},
  {TML_OP_CONV_2D, 8, TFLW_OPT_CONV_2D},
  {TML_OP_DEPTHWISE_CONV_2D, 7, TFLW_OPT_DEPTHWISE_CONV_2D},
  {TML_OP_DEQUANTIZE, 3, 0},
  {TML_OP_FULLY_CONNECTED, 12, TFLW_OPT_FULLY_CONNECTED},
  {TML_OP_LOGISTIC, 3, 0},
  {TML_OP_MAX_POOL_2D, 3, TFLW_OPT_POOL_2D},
  {TML_OP_MUL, 4, TFLW_OPT_MUL},
  {TML_OP_RELU, 3, 0},
  {TML_OP_RELU_N1_TO_1, 1, 0},
  {TML_OP_RELU6, 3, 0},
  {TML_OP_RESHAPE, 1, TFLW_OPT_RESHAPE},
  {TML_OP_SOFTMAX, 3, TFLW_OPT_SOFTMAX},
  {TML_OP_SVDF, 4, TFLW_OPT_SVDF},
  {TML_OP_TANH, 3, 0},
  {TML_OP_PAD, 4, TFLW_OPT_PAD},
  {TML_OP_TRANSPOSE, 5, TFLW_OPT_TRANSPOSE},
  {TML_OP_MEAN, 3, TFLW_OPT_REDUCER},
  {TML_OP_SUB, 5, TFLW_OPT_SUB},
  {TML_OP_SQUEEZE, 1, TFLW_OPT_SQUEEZE},
  {TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 5,
   TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM},
  {TML_OP_STRIDED_SLICE, 3, TFLW_OPT_STRIDED_SLICE},
  {TML_OP_PADV2, 4, TFLW_OPT_PADV2},
  {TML_OP_EXPAND_DIMS, 1, TFLW_OPT_EXPAND_DIMS},
  {TML_OP_LEAKY_RELU, 2, TFLW_OPT_LEAKY_RELU},
  {TML_OP_QUANTIZE, 2, TFLW_OPT_QUANTIZE},
  {TML_OP_HARD_SWISH, 1, TFLW_OPT_HARD_SWISH},
};

static const int types[] = {TML_FLOAT32, TML_INT8, TML_INT8, TML_INT16,
                            TML_INT32, TML_INT64, TML_UINT8, TML_BOOL};
static const float scales[] = {0.5f, 0.25f, 1.0f / 128, 1.0f / 256, 0.1f,
                               3.0f, 1.0f / 32768, 0.0f};

/* What was written, to compare with what TML reads back. */
typedef struct wtensor {
  char name[8];
  int type, rank, n_quant, qdim;
  int32_t dims[4];
  float scale[4];
  int64_t zp[4];
  const uint8_t *data;
  size_t data_size;
} wtensor;

typedef struct wop {
  int builtin, version, n_in, n_out;
  int32_t in[4], out[2];
} wop;

static void check_round_trip(const tml_model *m, const wtensor *t, int nt,
                             const wop *ops, int n_ops) {
  int k, i;
  FUZZ_ASSERT(m->n_tensors == (uint32_t)nt && m->n_ops == (uint32_t)n_ops);
  for (k = 0; k < nt; k++) {
    tml_tensor_view v;
    FUZZ_ASSERT(tml_model_tensor(m, k, &v, NULL) == TML_OK);
    FUZZ_ASSERT(v.type == t[k].type && v.rank == t[k].rank);
    for (i = 0; i < v.rank; i++) FUZZ_ASSERT(v.dims[i] == t[k].dims[i]);
    FUZZ_ASSERT(v.name_len == strlen(t[k].name) &&
                memcmp(v.name, t[k].name, v.name_len) == 0);
    FUZZ_ASSERT(v.n_scale == (uint32_t)t[k].n_quant);
    for (i = 0; i < t[k].n_quant; i++) {
      const float s = tml_tensor_scale(m, &v, (uint32_t)i);
      FUZZ_ASSERT(memcmp(&s, &t[k].scale[i], 4) == 0);
      FUZZ_ASSERT(tml_tensor_zp(m, &v, (uint32_t)i) == t[k].zp[i]);
    }
    if (t[k].n_quant > 1) FUZZ_ASSERT(v.quant_dim == t[k].qdim);
    FUZZ_ASSERT((v.data != NULL) == (t[k].data_size > 0));
    if (v.data)
      FUZZ_ASSERT(v.data_size == t[k].data_size &&
                  memcmp(v.data, t[k].data, v.data_size) == 0);
  }
  for (k = 0; k < n_ops; k++) {
    tml_op_view op;
    FUZZ_ASSERT(tml_model_op(m, k, &op, NULL) == TML_OK);
    FUZZ_ASSERT(op.builtin == ops[k].builtin && op.version == ops[k].version);
    FUZZ_ASSERT(op.n_inputs == (uint32_t)ops[k].n_in &&
                op.n_outputs == (uint32_t)ops[k].n_out);
    for (i = 0; i < ops[k].n_in; i++)
      FUZZ_ASSERT(tml_op_input(m, &op, (uint32_t)i) == ops[k].in[i]);
    for (i = 0; i < ops[k].n_out; i++)
      FUZZ_ASSERT(tml_op_output(m, &op, (uint32_t)i) == ops[k].out[i]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  recipe r;
  wtensor t[MAX_T];
  wop ops[MAX_OPS];
  tflw_model *w = tflw_new();
  unsigned char *bytes = NULL;
  size_t out_size = 0;
  int nt, n_ops, k, i;
  int32_t ins[2], outs[2];

  r.p = data;
  r.n = size;
  nt = 2 + (int)take(&r, MAX_T - 1);
  for (k = 0; k < nt; k++) {
    wtensor *x = &t[k];
    int buffer = 0;
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "t%d", k);
    x->type = types[take(&r, 8)];
    /* Often the shape of an earlier tensor, so that shapes fit ops. */
    if (k > 0 && take(&r, 2)) {
      const wtensor *from = &t[take(&r, (unsigned)k)];
      x->rank = from->rank;
      memcpy(x->dims, from->dims, sizeof x->dims);
    } else {
      x->rank = (int)take(&r, 5);
      for (i = 0; i < x->rank; i++) x->dims[i] = 1 + (int32_t)take(&r, 6);
    }
    if (x->type != TML_FLOAT32 && x->type != TML_BOOL) {
      x->n_quant = take(&r, 4) ? 1 : 0;
      if (x->n_quant && x->rank > 0 && take(&r, 4) == 0) {
        x->qdim = (int)take(&r, (unsigned)x->rank);
        x->n_quant = x->dims[x->qdim] <= 4 ? x->dims[x->qdim] : 1;
      }
      for (i = 0; i < x->n_quant; i++) {
        x->scale[i] = scales[take(&r, 8)];
        x->zp[i] = (int64_t)take(&r, 5) - 2;
      }
    }
    if (take(&r, 3) == 0) {
      /* A constant: its bytes come from the recipe (zeros when it ends). */
      static uint8_t bufs[MAX_T][4 * 6 * 6 * 6 * 6];
      size_t n = tml_type_size(x->type), j;
      for (i = 0; i < x->rank; i++) n *= (size_t)x->dims[i];
      if (n > sizeof bufs[k]) n = sizeof bufs[k];
      for (j = 0; j < n; j++) bufs[k][j] = (uint8_t)take(&r, 256);
      buffer = tflw_buffer(w, bufs[k], n);
      x->data = bufs[k];
      x->data_size = n;
    }
    tflw_tensor(w, x->name, x->type, x->rank, x->dims, buffer, x->scale,
                x->zp, x->n_quant, x->qdim, 0);
  }
  n_ops = 1 + (int)take(&r, MAX_OPS);
  for (k = 0; k < n_ops; k++) {
    const unsigned kind = take(&r, sizeof kinds / sizeof kinds[0]);
    wop *o = &ops[k];
    int opt = TFLW_NO_OPTIONS, f;
    o->builtin = kinds[kind].builtin;
    o->version = 1 + (int)take(&r, (unsigned)kinds[kind].max_version);
    o->n_in = 1 + (int)take(&r, 4);
    o->n_out = 1 + (int)(take(&r, 8) == 0);
    for (i = 0; i < o->n_in; i++)
      o->in[i] = take(&r, 16) == 0 ? -1 : (int32_t)take(&r, (unsigned)nt);
    for (i = 0; i < o->n_out; i++) o->out[i] = (int32_t)take(&r, (unsigned)nt);
    if (kinds[kind].tag && take(&r, 8)) {
      opt = tflw_opt_begin(w, kinds[kind].tag);
      for (f = (int)take(&r, 5); f > 0; f--) {
        const int id = (int)take(&r, 8);
        switch (take(&r, 3)) {
          case 0: tflw_opt_u8(w, opt, id, (int)take(&r, 4)); break;
          case 1: tflw_opt_i32(w, opt, id, (int32_t)take(&r, 5) - 1); break;
          default: tflw_opt_f32(w, opt, id, (float)take(&r, 9) / 4.0f); break;
        }
      }
    }
    tflw_op(w, o->builtin, o->version, o->in, o->n_in, o->out, o->n_out, opt,
            NULL, 0);
  }
  ins[0] = (int32_t)take(&r, (unsigned)nt);
  outs[0] = (int32_t)take(&r, (unsigned)nt);
  outs[1] = (int32_t)take(&r, (unsigned)nt);
  tflw_io(w, ins, 1, outs, 1 + (int)take(&r, 2));
  FUZZ_ASSERT(tflw_finish(w, &bytes, &out_size) == 0);

  {
    tml_model m;
    uint8_t *model = fuzz_aligned_copy(bytes, out_size);
    if (tml_model_load(&m, model, out_size, NULL) == TML_OK)
      check_round_trip(&m, t, nt, ops, n_ops);
    fuzz_runtime(model, bytes, out_size, data, size);
    free(model);
  }
  free(bytes);
  tflw_free(w);
  return 0;
}
