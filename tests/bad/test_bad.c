/*
** The catalogue of bad inputs: every way a model file, an arena or input data
** can be wrong that TML promises to catch, each with the status code
** docs/errors.md documents for it and a word its message must contain (the
** field, tensor or operator at fault). Cases found by the fuzzers (fuzz/) are
** here too, as regression tests, marked "fuzz:".
**
** Models are written with the .tflite writer: a small FULLY_CONNECTED model
** whose every part a case can change, or byte patches of it where the writer
** cannot express the damage (offsets, vtables, lengths).
*/
#include <float.h>
#include <math.h>
#include <time.h>

#include "tflite_writer.h"
#include "tml.h"
#include "tml_reader.h"
#include "tml_test.h"

/* ------------------------------------------------------------ checking */

/* How far a case must get: load, tml_arena_size, tml_init (both must agree
** on the error), or only the API calls after a successful init. */
static void expect(const char *name, const unsigned char *bytes, size_t size,
                   tml_status want, const char *word) {
  static unsigned char arena[1 << 16] __attribute__((aligned(16)));
  unsigned char *copy = malloc(size ? size : 1);
  tml_model m;
  tml_interp it;
  tml_error err, err2;
  size_t need = 0;
  tml_status s;

  if (size) memcpy(copy, bytes, size);
  memset(&err, 0, sizeof err);
  s = tml_model_load(&m, copy, size, &err);
  if (s == TML_OK) {
    s = tml_arena_size(&m, &need, &err);
    /* tml_init must find the same error. */
    memset(&err2, 0, sizeof err2);
    if (tml_init(&it, &m, arena, sizeof arena, &err2) != s) {
      fprintf(stderr, "%s: tml_arena_size says %s, tml_init %s (%s)\n", name,
              tml_status_name(s), tml_status_name(err2.status), err2.message);
      tml_test_failures++;
    }
  }
  tml_test_checks++;
  if (s != want || err.status != s || (word && !strstr(err.message, word))) {
    tml_test_failures++;
    fprintf(stderr, "%s: got %s '%s', want %s naming '%s'\n", name,
            tml_status_name(s), err.message, tml_status_name(want),
            word ? word : "");
  } else if (getenv("TML_TEST_VERBOSE")) {
    printf("%-28s %-24s %s\n", name, tml_status_name(s), err.message);
  }
  /* Nothing TML does may change the model's bytes. */
  CHECK(size == 0 || memcmp(copy, bytes, size) == 0);
  free(copy);
}

/* ------------------------------------------------------------ the model */

/* input [1,4] -> FULLY_CONNECTED (weights [3,4], bias [3]) -> output [1,3].
** Every field is a knob; fc_default() gives a valid float model. */
typedef struct fc {
  int type, w_type, b_type;
  int in_rank, w_rank, out_rank;
  int32_t in_dims[8], w_dims[8], b_dims[1], out_dims[8];
  int w_bytes, b_bytes;        /* buffer sizes in bytes */
  int builtin, version, opt_tag, act, weights_format;
  int32_t op_in[3], op_out[2];
  int n_op_in, n_op_out;
  int32_t model_in, model_out; /* subgraph input and output */
  int w_buffer;                /* buffer index of the weights' tensor */
  /* quantization (int8): per-tensor on every tensor but the weights */
  float scale;
  int64_t zp;
  int w_n_scale, w_n_zp, w_qdim;
  float w_scale;
  int sparse_in; /* make the input a constant instead of an activation */
  int extra_op; /* 1: a second FC writes the input (a cycle: read before
                   written); 2: a second FC writes the output again; 3: the
                   model output is a tensor no op writes */
} fc;

static fc fc_default(void) {
  fc f;
  memset(&f, 0, sizeof f);
  f.type = f.w_type = TML_FLOAT32;
  f.b_type = TML_FLOAT32;
  f.in_rank = 2, f.in_dims[0] = 1, f.in_dims[1] = 4;
  f.w_rank = 2, f.w_dims[0] = 3, f.w_dims[1] = 4;
  f.b_dims[0] = 3;
  f.out_rank = 2, f.out_dims[0] = 1, f.out_dims[1] = 3;
  f.w_bytes = 48, f.b_bytes = 12;
  f.builtin = TML_OP_FULLY_CONNECTED, f.version = 1;
  f.opt_tag = TFLW_OPT_FULLY_CONNECTED;
  f.op_in[0] = 0, f.op_in[1] = 1, f.op_in[2] = 2, f.n_op_in = 3;
  f.op_out[0] = 3, f.n_op_out = 1;
  f.model_in = 0, f.model_out = 3;
  f.w_buffer = 1;
  f.w_n_scale = f.w_n_zp = 1;
  f.scale = 0.5f, f.w_scale = 0.25f;
  return f;
}

static fc fc_int8(void) {
  fc f = fc_default();
  f.type = f.w_type = TML_INT8;
  f.b_type = TML_INT32;
  f.w_bytes = 12, f.b_bytes = 12;
  return f;
}

static unsigned char *fc_write(const fc *f, size_t *size) {
  const size_t nz = (size_t)f->w_bytes + (size_t)f->b_bytes + 16;
  unsigned char *zeros = malloc(nz);
  tflw_model *w = tflw_new();
  const int q = f->type != TML_FLOAT32;
  float bias_scale = f->scale * f->w_scale, w_scales[8];
  int64_t zps[8] = {0};
  unsigned char *out = NULL;
  int bw, bb, bi = 0, o, k;

  memset(zeros, 1, nz); /* finite floats, small ints */
  for (k = 0; k < 8; k++) w_scales[k] = f->w_scale;
  bw = tflw_buffer(w, zeros, (size_t)f->w_bytes);
  bb = tflw_buffer(w, zeros, (size_t)f->b_bytes);
  if (f->sparse_in) bi = tflw_buffer(w, zeros, 16);
  tflw_tensor(w, "input", f->type, f->in_rank, f->in_dims, bi, &f->scale,
              &f->zp, q, 0, 0);
  tflw_tensor(w, "weights", f->w_type, f->w_rank, f->w_dims,
              f->w_buffer == 1 ? bw : f->w_buffer, NULL, NULL, 0, 0, 0);
  if (q)
    tflw_tensor_quant(w, 1, w_scales, f->w_n_scale, zps, f->w_n_zp, f->w_qdim);
  tflw_tensor(w, "bias", f->b_type, 1, f->b_dims, bb, &bias_scale, NULL, q, 0,
              0);
  tflw_tensor(w, "output", f->type, f->out_rank, f->out_dims, 0, &f->scale,
              &f->zp, q, 0, 0);
  o = f->opt_tag ? tflw_opt_begin(w, f->opt_tag) : TFLW_NO_OPTIONS;
  if (f->act) tflw_opt_u8(w, o, 0, f->act);
  if (f->weights_format) tflw_opt_u8(w, o, 1, f->weights_format);
  if (f->extra_op == 1) {
    /* op 0 reads tensor 0, which op 1 writes: a cycle through time. */
    const int32_t in2[3] = {3, 1, 2}, out2[1] = {0};
    tflw_tensor(w, "source", f->type, f->in_rank, f->in_dims, 0, &f->scale,
                &f->zp, q, 0, 0);
    tflw_op(w, f->builtin, f->version, f->op_in, f->n_op_in, f->op_out,
            f->n_op_out, o, NULL, 0);
    tflw_op(w, f->builtin, f->version, in2, 3, out2, 1, o, NULL, 0);
    {
      const int32_t mi = 4, mo = 3;
      tflw_io(w, &mi, 1, &mo, 1);
    }
  } else {
    tflw_op(w, f->builtin, f->version, f->op_in, f->n_op_in, f->op_out,
            f->n_op_out, o, NULL, 0);
    if (f->extra_op == 3)
      tflw_tensor(w, "unwritten", f->type, f->out_rank, f->out_dims, 0,
                  &f->scale, &f->zp, q, 0, 0);
    if (f->extra_op == 2)
      tflw_op(w, f->builtin, f->version, f->op_in, f->n_op_in, f->op_out,
              f->n_op_out, o, NULL, 0);
    tflw_io(w, &f->model_in, 1, &f->model_out, 1);
  }
  if (tflw_finish(w, &out, size) != 0)
    fprintf(stderr, "writer: %s\n", tflw_error(w));
  tflw_free(w);
  free(zeros);
  return out;
}

static void expect_fc(const char *name, const fc *f, tml_status want,
                      const char *word) {
  size_t size = 0;
  unsigned char *bytes = fc_write(f, &size);
  CHECK(bytes != NULL);
  if (bytes) expect(name, bytes, size, want, word);
  free(bytes);
}

/* ------------------------------------------------------------ cases */

static void test_model_cases(void) {
  fc f;

  f = fc_default();
  expect_fc("valid float model", &f, TML_OK, NULL);
  f = fc_int8();
  expect_fc("valid int8 model", &f, TML_OK, NULL);

  /* Shapes. */
  f = fc_default(), f.in_dims[1] = -4;
  expect_fc("negative dimension", &f, TML_ERR_SHAPE, "dimension 1 is -4");
  f = fc_default(), f.in_dims[1] = 0;
  expect_fc("zero dimension", &f, TML_ERR_SHAPE, "dimension 1 is 0");
  f = fc_default(), f.in_rank = 3, f.in_dims[1] = 65536, f.in_dims[2] = 65536;
  expect_fc("overflowing shape", &f, TML_ERR_SHAPE, "overflows 2^31");
  f = fc_default(), f.in_rank = 7;
  f.in_dims[2] = f.in_dims[3] = f.in_dims[4] = f.in_dims[5] = f.in_dims[6] = 1;
  expect_fc("rank above TML_MAX_RANK", &f, TML_ERR_LIMIT, "TML_MAX_RANK");
  f = fc_default(), f.out_dims[1] = 5;
  expect_fc("shape not fitting the op", &f, TML_ERR_SHAPE, "output");
  /* fuzz: a scalar output read dims[-1] */
  f = fc_default(), f.w_dims[0] = 1, f.w_bytes = 16, f.b_dims[0] = 1;
  f.b_bytes = 4, f.out_rank = 0;
  expect_fc("fuzz: FC scalar output", &f, TML_ERR_SHAPE, "output");
  /* fuzz: batches x outputs overflowed int32 */
  f = fc_default(), f.in_dims[0] = 0x10000, f.w_dims[0] = 0x8001;
  f.w_bytes = 0x8001 * 16, f.b_dims[0] = 0x8001, f.b_bytes = 0x8001 * 4;
  f.out_dims[0] = 1;
  expect_fc("fuzz: FC batches x depth overflow", &f, TML_ERR_SHAPE, "output");

  /* Tensor, buffer and opcode indices; graph order. */
  f = fc_default(), f.op_in[0] = 4;
  expect_fc("op tensor index too large", &f, TML_ERR_TENSOR_INDEX,
            "tensor index 4");
  f = fc_default(), f.op_in[0] = -2;
  expect_fc("op tensor index negative", &f, TML_ERR_TENSOR_INDEX,
            "tensor index -2");
  f = fc_default(), f.op_out[0] = -1;
  expect_fc("op output omitted", &f, TML_ERR_TENSOR_INDEX, "tensor index -1");
  f = fc_default(), f.model_out = 9;
  expect_fc("subgraph output index", &f, TML_ERR_TENSOR_INDEX,
            "output 0: tensor index 9");
  f = fc_default(), f.w_buffer = 7;
  expect_fc("buffer index", &f, TML_ERR_TENSOR_INDEX, "buffer 7");
  f = fc_default(), f.extra_op = 1, f.w_dims[0] = 4, f.w_bytes = 64;
  f.b_dims[0] = 4, f.b_bytes = 16, f.out_dims[1] = 4;
  expect_fc("cycle: read before written", &f, TML_ERR_GRAPH,
            "reads tensor 0 'input' before");
  f = fc_default(), f.extra_op = 2;
  expect_fc("tensor written twice", &f, TML_ERR_GRAPH, "already written");
  f = fc_default(), f.model_out = 2;
  expect_fc("constant as model output", &f, TML_OK, NULL);
  f = fc_default(), f.extra_op = 3, f.model_out = 4;
  expect_fc("output never written", &f, TML_ERR_GRAPH,
            "tensor 4 'unwritten') is never written");
  /* fuzz: tml_set_input would have written into the model */
  f = fc_default(), f.sparse_in = 1;
  expect_fc("fuzz: constant model input", &f, TML_ERR_GRAPH,
            "model input 0 (tensor 0 'input') is a constant");

  /* Buffers. */
  f = fc_default(), f.w_bytes = 47;
  expect_fc("buffer too short", &f, TML_ERR_BUFFER, "'weights': buffer holds 47");
  f = fc_default(), f.w_bytes = 64;
  expect_fc("buffer too long", &f, TML_ERR_BUFFER, "'weights': buffer holds 64");
  f = fc_default(), f.w_buffer = 0;
  expect_fc("weights not constant", &f, TML_ERR_BUFFER, "must be constant");

  /* Quantization. */
  f = fc_int8(), f.w_n_scale = 2, f.w_n_zp = 1;
  expect_fc("scales vs zero points", &f, TML_ERR_QUANT,
            "2 scales but 1 zero points");
  f = fc_int8(), f.w_n_scale = f.w_n_zp = 2;
  expect_fc("scales vs dimension", &f, TML_ERR_QUANT,
            "2 scales do not match dimension 0");
  f = fc_int8(), f.w_n_scale = f.w_n_zp = 3, f.w_qdim = 5;
  expect_fc("quantized dimension", &f, TML_ERR_QUANT,
            "3 scales do not match dimension 5");
  f = fc_int8(), f.scale = 0.0f;
  expect_fc("zero scale", &f, TML_ERR_QUANT, "unusable scale");
  f = fc_int8(), f.zp = 300;
  expect_fc("zero point out of range", &f, TML_ERR_QUANT,
            "unusable scale or zero point 300");
  f = fc_int8(), f.w_n_scale = f.w_n_zp = 0;
  expect_fc("no quantization", &f, TML_ERR_QUANT, "has no quantization");

  /* Types. */
  f = fc_default(), f.type = TML_BOOL;
  expect_fc("unsupported type", &f, TML_ERR_TYPE, "bool");
  f = fc_default(), f.w_type = TML_INT8, f.w_bytes = 12;
  expect_fc("hybrid model", &f, TML_ERR_TYPE, "hybrid");

  /* Operators. */
  f = fc_default(), f.builtin = 200, f.opt_tag = 0;
  expect_fc("unknown builtin code", &f, TML_ERR_UNSUPPORTED_OP, "UNKNOWN");
  f = fc_default(), f.builtin = 42, f.opt_tag = 0;
  expect_fc("unimplemented op", &f, TML_ERR_UNSUPPORTED_OP, "(DIV)");
  f = fc_default(), f.version = 99;
  expect_fc("op version", &f, TML_ERR_OP_VERSION, "version 99");
  f = fc_default(), f.n_op_in = 1;
  expect_fc("op arity", &f, TML_ERR_SCHEMA, "has 1 inputs");

  /* Options. */
  f = fc_default(), f.opt_tag = TFLW_OPT_CONV_2D;
  expect_fc("options of another op", &f, TML_ERR_OPTIONS,
            "options of type 1, expected 8");
  f = fc_default(), f.act = 4;
  expect_fc("fused activation", &f, TML_ERR_OPTIONS, "fused activation 4");
  f = fc_default(), f.weights_format = 1;
  expect_fc("weights format", &f, TML_ERR_OPTIONS, "shuffled");
}

/* Options the window ops validate: a CONV_2D (or DEPTHWISE_CONV_2D) with its
** options fields; float or int8 with a bias. The valid cases also seed the
** fuzzers with convolution models. */
static void expect_conv(const char *name, int builtin, int type, int padding,
                        int stride, tml_status want, const char *word) {
  static const unsigned char ones[64] = {1, 1, 1, 1, 1, 1, 1, 1,
                                         1, 1, 1, 1, 1, 1, 1, 1};
  const int32_t in_d[4] = {1, 4, 4, 1}, w_d[4] = {1, 2, 2, 1}, b_d[1] = {1},
                out_d[4] = {1, 3, 3, 1}, ins[3] = {0, 1, 3}, outs[1] = {2};
  const int q = type != TML_FLOAT32, dw = builtin == TML_OP_DEPTHWISE_CONV_2D;
  const float s_io = 0.5f, s_w = 0.25f, s_b = 0.125f;
  const int64_t zp = 0;
  tflw_model *w = tflw_new();
  unsigned char *bytes = NULL;
  size_t size = 0;
  int o;
  tflw_tensor(w, "in", type, 4, in_d, 0, &s_io, &zp, q, 0, 0);
  tflw_tensor(w, "filter", type, 4, w_d,
              tflw_buffer(w, ones, q ? 4 : 16), &s_w, &zp, q, 0, 0);
  tflw_tensor(w, "out", type, 4, out_d, 0, &s_io, &zp, q, 0, 0);
  tflw_tensor(w, "bias", q ? TML_INT32 : TML_FLOAT32, 1, b_d,
              tflw_buffer(w, ones, 4), &s_b, &zp, q, 0, 0);
  o = tflw_opt_begin(w, dw ? TFLW_OPT_DEPTHWISE_CONV_2D : TFLW_OPT_CONV_2D);
  tflw_opt_u8(w, o, 0, padding);
  tflw_opt_i32(w, o, 1, stride);
  tflw_opt_i32(w, o, 2, stride);
  if (dw) tflw_opt_i32(w, o, 3, 1); /* depth_multiplier */
  tflw_op(w, builtin, 1, ins, 3, outs, 1, o, NULL, 0);
  tflw_io(w, ins, 1, outs, 1);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  tflw_free(w);
  if (bytes) expect(name, bytes, size, want, word);
  free(bytes);
}

/* Pooling windows (options fields: padding, stride w, h, filter w, h). The
** valid cases also seed the fuzzers with pooling models. */
static void expect_pool(const char *name, int builtin, int type, int filter,
                        tml_status want, const char *word) {
  const int32_t in_d[4] = {1, 4, 4, 2}, out_d[4] = {1, 2, 2, 2}, ins[1] = {0},
                outs[1] = {1};
  const float scale = 0.5f;
  const int64_t zp = -1;
  const int q = type != TML_FLOAT32;
  tflw_model *w = tflw_new();
  unsigned char *bytes = NULL;
  size_t size = 0;
  int o;
  tflw_tensor(w, "in", type, 4, in_d, 0, &scale, &zp, q, 0, 0);
  tflw_tensor(w, "out", type, 4, out_d, 0, &scale, &zp, q, 0, 0);
  o = tflw_opt_begin(w, TFLW_OPT_POOL_2D);
  tflw_opt_u8(w, o, 0, 1); /* VALID */
  tflw_opt_i32(w, o, 1, 2);
  tflw_opt_i32(w, o, 2, 2);
  tflw_opt_i32(w, o, 3, filter);
  tflw_opt_i32(w, o, 4, 2);
  tflw_op(w, builtin, 1, ins, 1, outs, 1, o, NULL, 0);
  tflw_io(w, ins, 1, outs, 1);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  tflw_free(w);
  if (bytes) expect(name, bytes, size, want, word);
  free(bytes);
}

/* ------------------------------------------------------------ bytes */

static unsigned char *base_model(size_t *size) {
  fc f = fc_default();
  return fc_write(&f, size);
}

static void put_u32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

static void test_byte_cases(void) {
  size_t size, n;
  unsigned char *b = base_model(&size), *p;
  tml_model m;
  tml_fb_table root, t0;

  CHECK(b != NULL);
  if (!b) return;
  CHECK_EQ(tml_model_load(&m, b, size, NULL), TML_OK);
  p = malloc(size);

  expect("empty file", b, 0, TML_ERR_TRUNCATED, "0 bytes");
  expect("7 bytes", b, 7, TML_ERR_TRUNCATED, "7 bytes");

  memcpy(p, b, size), memcpy(p + 4, "TFL2", 4);
  expect("wrong identifier", p, size, TML_ERR_IDENTIFIER, "TFL3");

  memcpy(p, b, size), put_u32(p, (uint32_t)size);
  expect("root offset past the end", p, size, TML_ERR_OFFSET, "root");
  memcpy(p, b, size), put_u32(p, 2);
  expect("root table misaligned", p, size, TML_ERR_OFFSET, "root");

  /* The root table's vtable offset (soffset at the table) outside. */
  memcpy(p, b, size);
  put_u32(p + tml_rd_u32(&m, 0), 0x7ffffff0u);
  expect("vtable outside", p, size, TML_ERR_OFFSET, "root");

  /* Vector lengths and offsets of subgraph 0: tensors. */
  memcpy(p, b, size), put_u32(p + m.tensors - 4, 0x40000000u);
  expect("tensor vector length", p, size, TML_ERR_OFFSET, "subgraph 0");
  memcpy(p, b, size), put_u32(p + m.tensors, 0x7ffffff0u);
  expect("tensor table offset", p, size, TML_ERR_OFFSET, "tensor 0");
  memcpy(p, b, size), put_u32(p + m.ops - 4, 0xffffffffu);
  expect("operator vector length", p, size, TML_ERR_OFFSET, "subgraph 0");
  memcpy(p, b, size), put_u32(p + m.opcodes - 4, 0x20000000u);
  expect("operator_codes length", p, size, TML_ERR_OFFSET, "operator_codes");
  memcpy(p, b, size), put_u32(p + m.buffers - 4, 0x20000000u);
  expect("buffers length", p, size, TML_ERR_OFFSET, "buffers");

  /* Tensor 0's name: its string length past the end. */
  CHECK_EQ(tml_fb_vector_table(&m, m.tensors, 0, &t0), 1);
  {
    uint32_t pos, len;
    CHECK_EQ(tml_fb_vector(&m, &t0, 3, 1, &pos, &len), 1);
    memcpy(p, b, size), put_u32(p + pos - 4, (uint32_t)size);
    expect("name outside", p, size, TML_ERR_OFFSET, "tensor 0: name");
    CHECK_EQ(tml_fb_vector(&m, &t0, 0, 4, &pos, &len), 1);
    memcpy(p, b, size), put_u32(p + pos - 4, 0x10000000u);
    expect("shape outside", p, size, TML_ERR_OFFSET, "'input': shape");
  }

  /* Op 0's options table with its vtable outside the model. */
  {
    tml_op_view op;
    CHECK_EQ(tml_model_op(&m, 0, &op, NULL), TML_OK);
    CHECK_EQ(op.has_options, 1);
    memcpy(p, b, size), put_u32(p + op.options.pos, 0x7ffffff0u);
    expect("options outside", p, size, TML_ERR_OFFSET,
           "(FULLY_CONNECTED): options outside");
  }

  /* Schema version. */
  CHECK_EQ(tml_fb_vector_table(&m, 0, 0, &root), 1);
  memcpy(p, b, size);
  put_u32(p + tml_fb_field(&m, &root, 0, 4), 2);
  expect("schema version", p, size, TML_ERR_SCHEMA, "version 2");

  /* No subgraph: an empty subgraphs vector. */
  {
    uint32_t pos, len;
    CHECK_EQ(tml_fb_vector(&m, &root, 2, 4, &pos, &len), 1);
    memcpy(p, b, size), put_u32(p + pos - 4, 0);
    expect("no subgraph", p, size, TML_ERR_SCHEMA, "no subgraph");
  }

  /* Truncated at every byte: below 8 bytes TML_ERR_TRUNCATED, beyond it an
  ** offset points past the end (TML_ERR_OFFSET). Only a cut into the last 8
  ** bytes may load: the writer ends the file with the table of buffer 0, the
  ** empty sentinel that no reader follows. */
  for (n = 0; n < size; n++) {
    tml_error err;
    tml_status s;
    unsigned char *t = malloc(n ? n : 1);
    memcpy(t, b, n);
    s = tml_model_load(&m, t, n, &err);
    tml_test_checks++;
    if (s == TML_OK && n >= size - 8) {
      size_t need;
      CHECK_EQ(tml_arena_size(&m, &need, &err), TML_OK);
    } else if (s != (n < 8 ? TML_ERR_TRUNCATED : TML_ERR_OFFSET)) {
      tml_test_failures++;
      fprintf(stderr, "truncated to %zu of %zu bytes: %s '%s'\n", n, size,
              tml_status_name(s), err.message);
    }
    free(t);
  }
  free(p);
  free(b);
}

/* Truncate a real model at every offset: the prefix never loads. */
static void test_truncated_shared(void) {
  char path[1024];
  FILE *fp;
  unsigned char *b;
  long size, n, bad = 0;
  snprintf(path, sizeof path, "%s/models/tflite_micro/hello_world_int8.tflite",
           tml_test_shared());
  fp = fopen(path, "rb");
  if (!fp) {
    fprintf(stderr, "test_bad: %s missing: skipping its truncations\n", path);
    return;
  }
  fseek(fp, 0, SEEK_END);
  size = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  b = malloc((size_t)size);
  CHECK_EQ(fread(b, 1, (size_t)size, fp), size);
  fclose(fp);
  for (n = 0; n <= size; n++) {
    unsigned char *t = malloc(n ? (size_t)n : 1);
    tml_model m;
    tml_error err;
    tml_status s, want = n < 8 ? TML_ERR_TRUNCATED
                         : n < size ? TML_ERR_OFFSET : TML_OK;
    memcpy(t, b, (size_t)n);
    s = tml_model_load(&m, t, (size_t)n, &err);
    if (s != want && bad++ < 5)
      fprintf(stderr, "hello_world_int8 truncated to %ld: %s '%s'\n", n,
              tml_status_name(s), err.message);
    free(t);
  }
  CHECK_EQ(bad, 0);
  free(b);
}

/* ------------------------------------------------------------ API */

static void test_api_cases(void) {
  static unsigned char arena[4096] __attribute__((aligned(16)));
  size_t size, need;
  fc f = fc_default();
  unsigned char *b = fc_write(&f, &size);
  tml_model m;
  tml_interp it;
  tml_error err;
  float in[4] = {1, 2, 3, 4};

  CHECK_EQ(tml_model_load(NULL, b, size, &err), TML_ERR_ARG);
  CHECK_EQ(tml_model_load(&m, NULL, 8, &err), TML_ERR_ARG);
  CHECK_EQ(tml_model_load(&m, b, size, &err), TML_OK);
  CHECK_EQ(tml_arena_size(&m, NULL, &err), TML_ERR_ARG);
  CHECK_EQ(tml_arena_size(&m, &need, &err), TML_OK);

  memset(&it, 0, sizeof it);
  CHECK_EQ(tml_invoke(&it), TML_ERR_STATE);
  CHECK_EQ(tml_reset(&it), TML_ERR_STATE);
  CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_ERR_STATE);
  CHECK_EQ(tml_invoke(NULL), TML_ERR_STATE);

  CHECK_EQ(tml_init(&it, &m, arena, need - 1, &err), TML_ERR_ARENA_TOO_SMALL);
  CHECK(strstr(err.message, "too small") != NULL);
  CHECK_EQ(tml_init(&it, &m, arena, 16, &err), TML_ERR_ARENA_TOO_SMALL);
  CHECK_EQ(tml_init(&it, &m, arena, need, &err), TML_OK);

  CHECK_EQ(tml_set_input(&it, 0, in, 15), TML_ERR_INPUT_SIZE);
  CHECK_EQ(tml_set_input(&it, 0, in, 17), TML_ERR_INPUT_SIZE);
  CHECK_EQ(tml_set_input(&it, 0, NULL, 16), TML_ERR_INPUT_SIZE);
  CHECK_EQ(tml_set_input(&it, 1, in, 16), TML_ERR_ARG);
  CHECK_EQ(tml_set_input(&it, -1, in, 16), TML_ERR_ARG);
  in[2] = NAN;
  CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_ERR_NONFINITE);
  in[2] = INFINITY;
  CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_ERR_NONFINITE);
  in[2] = -INFINITY;
  CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_ERR_NONFINITE);
  in[2] = FLT_MAX;
  CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_OK);
  CHECK_EQ(tml_invoke(&it), TML_OK);
#if TML_ARENA_CANARY
  {
    /* A kernel writing one byte past the planned region. */
    tml_tensor o;
    CHECK_EQ(tml_output(&it, 0, &o), TML_OK);
    CHECK((uint8_t *)o.data + o.bytes <= it.canary);
    CHECK(it.canary + 8 <= it.arena + need);
    it.canary[5] ^= 0x40;
    CHECK_EQ(tml_invoke(&it), TML_ERR_CANARY);
    CHECK_EQ(tml_invoke(&it), TML_ERR_CANARY);
    CHECK_EQ(tml_init(&it, &m, arena, need, &err), TML_OK);
    CHECK_EQ(tml_set_input(&it, 0, in, sizeof in), TML_OK);
    CHECK_EQ(tml_invoke(&it), TML_OK);
  }
#endif
  free(b);
}

/* A hostile model may be large: 1000 ADDs, op k reading the outputs of ops
** k-1 and k/2, so that many tensors live long. The planner's placement was
** cubic in the model's size (2 s natively, a minute under valgrind); it must
** stay well below that (CPU time, so a busy machine does not matter). */
static void test_large_graph(void) {
  enum { N = 1000 };
  const int32_t d[1] = {16};
  tflw_model *w = tflw_new();
  unsigned char *bytes = NULL;
  size_t size = 0, need = 0;
  tml_model m;
  tml_interp it;
  tml_error err;
  void *arena;
  clock_t t0;
  int k;
  for (k = 0; k <= N; k++)
    tflw_tensor(w, NULL, TML_FLOAT32, 1, d, 0, NULL, NULL, 0, 0, 0);
  for (k = 0; k < N; k++) {
    const int32_t in[2] = {k, k / 2}, out[1] = {k + 1};
    tflw_op(w, TML_OP_ADD, 1, in, 2, out, 1, TFLW_NO_OPTIONS, NULL, 0);
  }
  {
    const int32_t in = 0, out = N;
    tflw_io(w, &in, 1, &out, 1);
  }
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  tflw_free(w);
  CHECK_EQ(tml_model_load(&m, bytes, size, &err), TML_OK);
  /* Beyond TML_ARENA_SIZE_ITEMS: tml_init plans in the arena. */
  CHECK_EQ(tml_arena_size(&m, &need, &err), TML_ERR_LIMIT);
  arena = malloc(1 << 20);
  t0 = clock();
  CHECK_EQ(tml_init(&it, &m, arena, 1 << 20, &err), TML_OK);
  CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 15.0);
  free(arena);
  free(bytes);
}

int main(void) {
  test_model_cases();
  expect_conv("valid float conv", TML_OP_CONV_2D, TML_FLOAT32, 1, 1, TML_OK,
              NULL);
  expect_conv("valid int8 conv", TML_OP_CONV_2D, TML_INT8, 1, 1, TML_OK, NULL);
  expect_conv("valid int8 depthwise conv", TML_OP_DEPTHWISE_CONV_2D, TML_INT8,
              1, 1, TML_OK, NULL);
  expect_conv("valid float depthwise conv", TML_OP_DEPTHWISE_CONV_2D,
              TML_FLOAT32, 1, 1, TML_OK, NULL);
  expect_conv("stride 0", TML_OP_CONV_2D, TML_FLOAT32, 1, 0, TML_ERR_OPTIONS,
              "stride 0x0");
  expect_conv("unknown padding", TML_OP_CONV_2D, TML_INT8, 7, 1,
              TML_ERR_OPTIONS, "padding 7");
  expect_pool("valid float average pool", TML_OP_AVERAGE_POOL_2D,
              TML_FLOAT32, 2, TML_OK, NULL);
  expect_pool("valid int8 max pool", TML_OP_MAX_POOL_2D, TML_INT8, 2, TML_OK,
              NULL);
  expect_pool("valid int16 average pool", TML_OP_AVERAGE_POOL_2D, TML_INT16,
              2, TML_OK, NULL);
  expect_pool("pool filter 0", TML_OP_MAX_POOL_2D, TML_INT8, 0,
              TML_ERR_OPTIONS, "filter 2x0");
  expect_pool("pool window vs output", TML_OP_AVERAGE_POOL_2D, TML_FLOAT32, 3,
              TML_ERR_SHAPE, "the window gives");
  test_byte_cases();
  test_truncated_shared();
  test_api_cases();
  test_large_graph();
  return TEST_REPORT();
}
