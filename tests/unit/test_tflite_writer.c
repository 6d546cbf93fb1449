/*
** test_tflite_writer.c — the .tflite writer, checked through TML's reader.
**
** Every model written here is loaded with tml_model_load, read back field by
** field, and walked for the flatbuffer layout rules (alignment of tables,
** scalars, vectors, 16-byte buffer data). The shared models are re-written
** through the writer and compared with their originals field by field.
**
** TFLW_DUMP_DIR=dir makes the test save every model it writes there (for an
** external verifier such as flatc's generated VerifyModelBuffer).
*/
#include <stdint.h>
#include <string.h>

#include "tflite_writer.h"
#include "tml_reader.h"
#include "tml_test.h"

#ifndef TML_SHARED_DIR
#define TML_SHARED_DIR "../shared"
#endif

/* ------------------------------------------------------------ helpers */

static void dump(const char *name, const unsigned char *b, size_t n) {
  const char *dir = getenv("TFLW_DUMP_DIR");
  char path[512];
  FILE *f;
  if (!dir) return;
  snprintf(path, sizeof path, "%s/%s.tflite", dir, name);
  f = fopen(path, "wb");
  if (!f) return;
  fwrite(b, 1, n, f);
  fclose(f);
}

static int root_table(const tml_model *m, tml_fb_table *t) {
  /* Element 0 of a "vector" at 0 is the uoffset at byte 0: the root. */
  return tml_fb_vector_table(m, 0, 0, t);
}

static int subgraph_table(const tml_model *m, tml_fb_table *sg) {
  tml_fb_table root;
  uint32_t pos, n;
  if (root_table(m, &root) < 0) return -1;
  if (tml_fb_vector(m, &root, 2, 4, &pos, &n) <= 0 || n < 1) return -1;
  return tml_fb_vector_table(m, pos, 0, sg);
}

/* A string field as a NUL-terminated copy in buf ("" if absent). */
static const char *str_field(const tml_model *m, const tml_fb_table *t, int id,
                             char *buf, size_t cap) {
  uint32_t pos, n;
  buf[0] = 0;
  if (tml_fb_vector(m, t, id, 1, &pos, &n) > 0 && n < cap) {
    memcpy(buf, m->data + pos, n);
    buf[n] = 0;
  }
  return buf;
}

/* Field kinds of the options tables used here, by union tag: one letter per
** field id, 'b' byte, 'i' 4-byte scalar, 'v' [int], '-' unused. */
static const char *options_kinds(int tag) {
  switch (tag) {
    case TFLW_OPT_CONV_2D: return "biibiib";
    case TFLW_OPT_DEPTHWISE_CONV_2D: return "biiibii";
    case TFLW_OPT_POOL_2D: return "biiiib";
    case TFLW_OPT_FULLY_CONNECTED: return "bbbbb";
    case TFLW_OPT_SOFTMAX: return "i";
    case TFLW_OPT_ADD: return "bb";
    case TFLW_OPT_RESHAPE: return "v";
    case TFLW_OPT_MUL: return "b";
    case TFLW_OPT_PAD: return "";
    case TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM: return "biibbb";
    default: return NULL;
  }
}

/* ------------------------------------------------------------ layout */

static int g_any_data; /* some buffer of the model holds data */

static void lay_table(const tml_model *m, const tml_fb_table *t) {
  (void)m;
  CHECK(t->pos % 4 == 0);
  CHECK(t->vtab % 2 == 0);
  CHECK(t->vt_size % 2 == 0);
}

static void lay_scalar(const tml_model *m, const tml_fb_table *t, int id,
                       uint32_t size) {
  uint32_t p = tml_fb_field(m, t, id, size);
  if (p) CHECK(p % size == 0);
}

/* A vector field: length prefix 4-aligned, elements `align`-aligned, and
** the uoffset pointing forward. */
static void lay_vector(const tml_model *m, const tml_fb_table *t, int id,
                       uint32_t elem, uint32_t align) {
  uint32_t f = tml_fb_field(m, t, id, 4), pos, n;
  if (!f) return;
  CHECK(f % 4 == 0);
  CHECK(tml_fb_vector(m, t, id, elem, &pos, &n) > 0);
  CHECK(pos > f);
  CHECK((pos - 4) % 4 == 0);
  if (n > 0) CHECK(pos % align == 0);
  if (n > 0 && elem == 1 && align == 16) g_any_data = 1;
}

static void lay_string(const tml_model *m, const tml_fb_table *t, int id) {
  uint32_t pos, n;
  lay_vector(m, t, id, 1, 1);
  if (tml_fb_vector(m, t, id, 1, &pos, &n) > 0) {
    CHECK(pos + n < m->size);
    if (pos + n < m->size) CHECK_EQ(m->data[pos + n], 0); /* terminator */
  }
}

static void lay_subtable(const tml_model *m, const tml_fb_table *t, int id,
                         tml_fb_table *out, int *present) {
  uint32_t f = tml_fb_field(m, t, id, 4);
  *present = 0;
  if (!f) return;
  CHECK(f % 4 == 0);
  CHECK(tml_fb_subtable(m, t, id, out) == 1);
  CHECK(out->pos > f);
  lay_table(m, out);
  *present = 1;
}

static void lay_table_vector(const tml_model *m, const tml_fb_table *t, int id,
                             uint32_t *pos, uint32_t *n) {
  lay_vector(m, t, id, 4, 4);
  CHECK(tml_fb_vector(m, t, id, 4, pos, n) > 0);
}

static void check_layout(const tml_model *m) {
  tml_fb_table root, sg, t, q;
  uint32_t pos, n, i, k;
  int present;

  g_any_data = 0;
  CHECK(memcmp(m->data + 4, "TFL3", 4) == 0);
  CHECK(root_table(m, &root) == 1);
  lay_table(m, &root);
  lay_scalar(m, &root, 0, 4);
  lay_string(m, &root, 3);

  lay_table_vector(m, &root, 1, &pos, &n); /* operator codes */
  for (i = 0; i < n; i++) {
    CHECK(tml_fb_vector_table(m, pos, i, &t) == 1);
    lay_table(m, &t);
    lay_scalar(m, &t, 0, 1);
    lay_string(m, &t, 1);
    lay_scalar(m, &t, 2, 4);
    lay_scalar(m, &t, 3, 4);
  }

  lay_table_vector(m, &root, 4, &pos, &n); /* buffers */
  for (i = 0; i < n; i++) {
    CHECK(tml_fb_vector_table(m, pos, i, &t) == 1);
    lay_table(m, &t);
    lay_vector(m, &t, 0, 1, 16);
    if (i == 0) CHECK(tml_fb_field(m, &t, 0, 4) == 0); /* empty sentinel */
  }

  CHECK(subgraph_table(m, &sg) == 1);
  lay_table(m, &sg);
  lay_vector(m, &sg, 1, 4, 4);
  lay_vector(m, &sg, 2, 4, 4);
  lay_string(m, &sg, 4);

  lay_table_vector(m, &sg, 0, &pos, &n); /* tensors */
  for (i = 0; i < n; i++) {
    CHECK(tml_fb_vector_table(m, pos, i, &t) == 1);
    lay_table(m, &t);
    lay_vector(m, &t, 0, 4, 4);
    lay_scalar(m, &t, 1, 1);
    lay_scalar(m, &t, 2, 4);
    lay_string(m, &t, 3);
    lay_scalar(m, &t, 5, 1);
    lay_subtable(m, &t, 4, &q, &present);
    if (present) {
      lay_vector(m, &q, 0, 4, 4);
      lay_vector(m, &q, 1, 4, 4);
      lay_vector(m, &q, 2, 4, 4);
      lay_vector(m, &q, 3, 8, 8); /* zero points: int64 */
      lay_scalar(m, &q, 4, 1);
      lay_scalar(m, &q, 6, 4);
    }
  }

  lay_table_vector(m, &sg, 3, &pos, &n); /* operators */
  for (i = 0; i < n; i++) {
    int tag;
    CHECK(tml_fb_vector_table(m, pos, i, &t) == 1);
    lay_table(m, &t);
    lay_scalar(m, &t, 0, 4);
    lay_vector(m, &t, 1, 4, 4);
    lay_vector(m, &t, 2, 4, 4);
    lay_scalar(m, &t, 3, 1);
    lay_vector(m, &t, 8, 4, 4);
    tag = tml_fb_u8(m, &t, 3, 0);
    lay_subtable(m, &t, 4, &q, &present);
    if (present && options_kinds(tag)) {
      const char *kinds = options_kinds(tag);
      for (k = 0; kinds[k]; k++) {
        if (kinds[k] == 'b') lay_scalar(m, &q, (int)k, 1);
        if (kinds[k] == 'i') lay_scalar(m, &q, (int)k, 4);
        if (kinds[k] == 'v') lay_vector(m, &q, (int)k, 4, 4);
      }
    }
  }
  /* The file is padded to the largest alignment used. */
  CHECK(m->size % (g_any_data ? 16 : 4) == 0);
}

/* Finish w, load the result into m (bytes owned by *bytes), check layout. */
static int finish_load(tflw_model *w, const char *name, unsigned char **bytes,
                       tml_model *m) {
  size_t size = 0;
  tml_error err;
  tml_status s;
  *bytes = NULL;
  CHECK_EQ(tflw_finish(w, bytes, &size), 0);
  if (!*bytes) {
    fprintf(stderr, "%s: tflw_finish: %s\n", name, tflw_error(w));
    return -1;
  }
  dump(name, *bytes, size);
  CHECK(((uintptr_t)*bytes % 16) == 0); /* malloc'd: data then aligned too */
  CHECK_EQ(size % 4, 0);
  s = tml_model_load(m, *bytes, size, &err);
  CHECK_EQ(s, TML_OK);
  if (s != TML_OK) {
    fprintf(stderr, "%s: tml_model_load: %s\n", name, err.message);
    return -1;
  }
  check_layout(m);
  return 0;
}

static void check_tensor(const tml_model *m, int index, const char *name,
                         int type, int rank, const int32_t *dims,
                         const void *data, uint32_t data_size) {
  tml_tensor_view t;
  int i;
  CHECK_EQ(tml_model_tensor(m, index, &t, NULL), TML_OK);
  CHECK_EQ(t.name_len, strlen(name));
  CHECK(t.name_len == strlen(name) && memcmp(t.name, name, t.name_len) == 0);
  CHECK_EQ(t.type, type);
  CHECK_EQ(t.rank, rank);
  for (i = 0; i < rank && i < t.rank; i++) CHECK_EQ(t.dims[i], dims[i]);
  CHECK_EQ(t.data_size, data_size);
  if (data) {
    CHECK(t.data != NULL);
    if (t.data) {
      CHECK(memcmp(t.data, data, data_size) == 0);
      CHECK_EQ((t.data - m->data) % 16, 0);
    }
  } else {
    CHECK(t.data == NULL);
  }
}

static void check_quant(const tml_model *m, int index, const float *scales,
                        const int64_t *zps, int n, int quant_dim) {
  tml_tensor_view t;
  int i;
  CHECK_EQ(tml_model_tensor(m, index, &t, NULL), TML_OK);
  CHECK_EQ(t.n_scale, n);
  CHECK_EQ(t.n_zp, n);
  CHECK_EQ(t.quant_dim, quant_dim);
  for (i = 0; i < n && (uint32_t)i < t.n_scale; i++) {
    float got = tml_tensor_scale(m, &t, (uint32_t)i);
    CHECK(memcmp(&got, &scales[i], sizeof got) == 0);
    CHECK_EQ(tml_rd_i64(m, t.zp_pos + 8 * (uint32_t)i), zps[i]);
    CHECK_EQ(tml_tensor_zp(m, &t, (uint32_t)i), zps[i]);
  }
  if (n) CHECK_EQ(t.zp_pos % 8, 0);
  if (n) CHECK_EQ(t.scale_pos % 4, 0);
}

static void check_op(const tml_model *m, int index, int builtin, int version,
                     const int32_t *in, int n_in, const int32_t *out,
                     int n_out, int tag, tml_op_view *op) {
  int i;
  CHECK_EQ(tml_model_op(m, index, op, NULL), TML_OK);
  CHECK_EQ(op->builtin, builtin);
  CHECK_EQ(op->version, version);
  CHECK_EQ(op->n_inputs, n_in);
  CHECK_EQ(op->n_outputs, n_out);
  for (i = 0; i < n_in; i++) CHECK_EQ(tml_op_input(m, op, (uint32_t)i), in[i]);
  for (i = 0; i < n_out; i++)
    CHECK_EQ(tml_op_output(m, op, (uint32_t)i), out[i]);
  CHECK_EQ(op->options_type, tag);
  CHECK_EQ(op->has_options, tag ? 1 : 0);
}

/* ------------------------------------------------------------ tests */

/* int8 FULLY_CONNECTED (fused RELU) + SOFTMAX. */
static void test_fc_softmax(void) {
  static const int8_t weights[12] = {1, -2, 3,  -4,  5,  -6,
                                     7, -8, 9, -10, 11, -12};
  static const int32_t bias[3] = {100, -200, 300000};
  const int32_t d_in[2] = {1, 4}, d_w[2] = {3, 4}, d_b[1] = {3},
                d_out[2] = {1, 3};
  const float s_in = 0.5f, s_w = 0.25f, s_b = 0.125f, s_fc = 0.1f,
              s_sm = 1.0f / 256.0f;
  const int64_t z_in = -3, z_w = 0, z_b = 0, z_fc = 7, z_sm = -128;
  tflw_model *w = tflw_new();
  unsigned char *bytes;
  tml_model m;
  tml_op_view op;
  int bw, bb, tin, tw, tb, tfc, tsm, o_fc, o_sm;
  int32_t fc_in[3], fc_out[1], sm_in[1], sm_out[1];
  tml_fb_table root;
  uint32_t pos, n;

  CHECK(w != NULL);
  bw = tflw_buffer(w, weights, sizeof weights);
  bb = tflw_buffer(w, bias, sizeof bias);
  CHECK_EQ(bw, 1);
  CHECK_EQ(bb, 2);
  tin = tflw_tensor(w, "input", TML_INT8, 2, d_in, 0, &s_in, &z_in, 1, 0, 0);
  tw = tflw_tensor(w, "weights", TML_INT8, 2, d_w, bw, &s_w, &z_w, 1, 0, 0);
  tb = tflw_tensor(w, "bias", TML_INT32, 1, d_b, bb, &s_b, &z_b, 1, 0, 0);
  tfc = tflw_tensor(w, "fc", TML_INT8, 2, d_out, 0, &s_fc, &z_fc, 1, 0, 0);
  tsm = tflw_tensor(w, "probs", TML_INT8, 2, d_out, 0, &s_sm, &z_sm, 1, 0, 0);
  CHECK_EQ(tin, 0);
  CHECK_EQ(tsm, 4);
  o_fc = tflw_opt_begin(w, TFLW_OPT_FULLY_CONNECTED);
  CHECK_EQ(tflw_opt_u8(w, o_fc, 0, 1), 0); /* fused RELU */
  CHECK_EQ(tflw_opt_u8(w, o_fc, 2, 1), 0); /* keep_num_dims */
  o_sm = tflw_opt_begin(w, TFLW_OPT_SOFTMAX);
  CHECK_EQ(tflw_opt_f32(w, o_sm, 0, 1.5f), 0); /* beta */
  fc_in[0] = tin;
  fc_in[1] = tw;
  fc_in[2] = tb;
  fc_out[0] = tfc;
  sm_in[0] = tfc;
  sm_out[0] = tsm;
  CHECK_EQ(tflw_op(w, TML_OP_FULLY_CONNECTED, 4, fc_in, 3, fc_out, 1, o_fc,
                   NULL, 0), 0);
  CHECK_EQ(tflw_op(w, TML_OP_SOFTMAX, 2, sm_in, 1, sm_out, 1, o_sm, NULL, 0),
           1);
  CHECK_EQ(tflw_io(w, &fc_in[0], 1, &sm_out[0], 1), 0);
  CHECK(tflw_error(w) == NULL);

  if (finish_load(w, "fc_softmax", &bytes, &m) == 0) {
    CHECK_EQ(m.version, 3);
    CHECK_EQ(m.n_subgraphs, 1);
    CHECK_EQ(m.n_tensors, 5);
    CHECK_EQ(m.n_ops, 2);
    CHECK_EQ(m.n_buffers, 3);
    CHECK_EQ(m.n_opcodes, 2);
    CHECK_EQ(m.n_inputs, 1);
    CHECK_EQ(m.n_outputs, 1);
    CHECK_EQ(tml_model_input(&m, 0), 0);
    CHECK_EQ(tml_model_output(&m, 0), 4);
    check_tensor(&m, 0, "input", TML_INT8, 2, d_in, NULL, 0);
    check_tensor(&m, 1, "weights", TML_INT8, 2, d_w, weights, sizeof weights);
    check_tensor(&m, 2, "bias", TML_INT32, 1, d_b, bias, sizeof bias);
    check_tensor(&m, 3, "fc", TML_INT8, 2, d_out, NULL, 0);
    check_tensor(&m, 4, "probs", TML_INT8, 2, d_out, NULL, 0);
    check_quant(&m, 0, &s_in, &z_in, 1, 0);
    check_quant(&m, 1, &s_w, &z_w, 1, 0);
    check_quant(&m, 2, &s_b, &z_b, 1, 0);
    check_quant(&m, 3, &s_fc, &z_fc, 1, 0);
    check_quant(&m, 4, &s_sm, &z_sm, 1, 0);

    check_op(&m, 0, TML_OP_FULLY_CONNECTED, 4, fc_in, 3, fc_out, 1,
             TFLW_OPT_FULLY_CONNECTED, &op);
    CHECK_EQ(tml_fb_u8(&m, &op.options, 0, -1), 1);
    CHECK_EQ(tml_fb_u8(&m, &op.options, 1, -1), -1); /* absent: default */
    CHECK_EQ(tml_fb_u8(&m, &op.options, 2, -1), 1);
    CHECK_EQ(op.n_intermediates, 0);
    check_op(&m, 1, TML_OP_SOFTMAX, 2, sm_in, 1, sm_out, 1, TFLW_OPT_SOFTMAX,
             &op);
    CHECK(tml_fb_f32(&m, &op.options, 0, 0.0f) == 1.5f);

    /* The buffer vector: sentinel first, then the two constant buffers. */
    CHECK(root_table(&m, &root) == 1);
    CHECK(tml_fb_vector(&m, &root, 4, 4, &pos, &n) == 1);
    CHECK_EQ(n, 3);
    CHECK(tml_fb_field(&m, &root, 3, 4) == 0); /* no description */

    /* Finishing again gives the same bytes. */
    {
      unsigned char *again = NULL;
      size_t size2 = 0;
      CHECK_EQ(tflw_finish(w, &again, &size2), 0);
      CHECK_EQ(size2, m.size);
      CHECK(again && size2 == m.size && memcmp(again, bytes, size2) == 0);
      free(again);
    }
  }
  free(bytes);
  tflw_free(w);
}

/* Float CONV_2D with every Conv2DOptions field; a float tensor with an empty
** quantization table as converters write them; shared vtables. */
static void test_conv_float(void) {
  float filt[2 * 3 * 3 * 1], bias[2] = {0.5f, -1.25f};
  const int32_t d_in[4] = {1, 5, 5, 1}, d_f[4] = {2, 3, 3, 1}, d_b[1] = {2},
                d_out[4] = {1, 1, 2, 2}; /* VALID, strides 2x1, dilation 1x2 */
  tflw_model *w = tflw_new();
  unsigned char *bytes;
  tml_model m;
  tml_op_view op;
  tml_tensor_view tv;
  int i, o, bf, bbias;
  int32_t in[3], out[1];
  tml_fb_table t0, t1, t3;

  for (i = 0; i < 18; i++) filt[i] = (float)i * 0.5f - 3.0f;
  bf = tflw_buffer(w, filt, sizeof filt);
  bbias = tflw_buffer(w, bias, sizeof bias);
  in[0] = tflw_tensor(w, "x", TML_FLOAT32, 4, d_in, 0, NULL, NULL, 0, 0, 0);
  in[1] = tflw_tensor(w, "filter", TML_FLOAT32, 4, d_f, bf, NULL, NULL, 0, 0,
                      0);
  in[2] = tflw_tensor(w, "bias", TML_FLOAT32, 1, d_b, bbias, NULL, NULL, 0, 0,
                      0);
  out[0] = tflw_tensor(w, "y", TML_FLOAT32, 4, d_out, 0, NULL, NULL, 0, 0, 0);
  CHECK_EQ(tflw_tensor_quant(w, out[0], NULL, 0, NULL, 0, 0), 0);
  o = tflw_opt_begin(w, TFLW_OPT_CONV_2D);
  tflw_opt_u8(w, o, 0, 1);   /* padding VALID */
  tflw_opt_i32(w, o, 1, 2);  /* stride_w */
  tflw_opt_i32(w, o, 2, 1);  /* stride_h */
  tflw_opt_u8(w, o, 3, 3);   /* RELU6 */
  tflw_opt_i32(w, o, 4, 1);  /* dilation_w */
  tflw_opt_i32(w, o, 5, 99); /* dilation_h, overwritten below */
  tflw_opt_i32(w, o, 5, 2);
  tflw_opt_u8(w, o, 6, TML_INT32); /* quantized_bias_type */
  CHECK_EQ(tflw_op(w, TML_OP_CONV_2D, 1, in, 3, out, 1, o, NULL, 0), 0);
  tflw_io(w, in, 1, out, 1);
  tflw_description(w, "conv test");
  tflw_subgraph_name(w, "main");
  CHECK(tflw_error(w) == NULL);

  if (finish_load(w, "conv_float", &bytes, &m) == 0) {
    char s[64];
    tml_fb_table root, sg;
    check_tensor(&m, 0, "x", TML_FLOAT32, 4, d_in, NULL, 0);
    check_tensor(&m, 1, "filter", TML_FLOAT32, 4, d_f, filt, sizeof filt);
    check_tensor(&m, 2, "bias", TML_FLOAT32, 1, d_b, bias, sizeof bias);
    check_tensor(&m, 3, "y", TML_FLOAT32, 4, d_out, NULL, 0);
    check_op(&m, 0, TML_OP_CONV_2D, 1, in, 3, out, 1, TFLW_OPT_CONV_2D, &op);
    CHECK_EQ(tml_fb_u8(&m, &op.options, 0, -1), 1);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 1, -1), 2);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 2, -1), 1);
    CHECK_EQ(tml_fb_u8(&m, &op.options, 3, -1), 3);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 4, -1), 1);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 5, -1), 2);
    CHECK_EQ(tml_fb_i8(&m, &op.options, 6, -1), TML_INT32);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 7, -1), -1); /* beyond the vtable */

    /* No quantization table on x; an empty one on y. */
    CHECK(tml_fb_vector_table(&m, m.tensors, 0, &t0) == 1);
    CHECK(tml_fb_vector_table(&m, m.tensors, 1, &t1) == 1);
    CHECK(tml_fb_vector_table(&m, m.tensors, 3, &t3) == 1);
    CHECK(tml_fb_field(&m, &t0, 4, 4) == 0);
    CHECK(tml_fb_field(&m, &t3, 4, 4) != 0);
    CHECK_EQ(tml_model_tensor(&m, 3, &tv, NULL), TML_OK);
    CHECK_EQ(tv.n_scale, 0);
    CHECK_EQ(tv.n_zp, 0);
    /* Identical field sets share one vtable. */
    CHECK_EQ(t0.vtab, t1.vtab);
    CHECK(t0.vtab != t3.vtab);

    CHECK(root_table(&m, &root) == 1);
    CHECK_EQ(strcmp(str_field(&m, &root, 3, s, sizeof s), "conv test"), 0);
    CHECK(subgraph_table(&m, &sg) == 1);
    CHECK_EQ(strcmp(str_field(&m, &sg, 4, s, sizeof s), "main"), 0);
  }
  free(bytes);
  tflw_free(w);
}

/* Per-channel int8 DEPTHWISE_CONV_2D weights, quantized_dimension 3. */
static void test_per_channel(void) {
  int8_t wdata[3 * 3 * 4];
  int32_t bdata[4] = {1, 2, 3, -4};
  const int32_t d_in[4] = {1, 4, 4, 4}, d_w[4] = {1, 3, 3, 4}, d_b[1] = {4},
                d_out[4] = {1, 2, 2, 4};
  const float s_w[4] = {0.01f, 0.02f, 0.5f, 1e-7f};
  const int64_t z_w[4] = {0, 0, 0, 0};
  const float s_b[4] = {0.001f, 0.002f, 0.05f, 1e-8f};
  const int64_t z_b[4] = {0, 1, -1, 0x7fffffffLL};
  const float s_io = 0.1f;
  const int64_t z_io = 5;
  tflw_model *w = tflw_new();
  unsigned char *bytes;
  tml_model m;
  tml_op_view op;
  int i, o;
  int32_t in[3], out[1];

  for (i = 0; i < 36; i++) wdata[i] = (int8_t)(i * 7 - 100);
  in[0] = tflw_tensor(w, "in", TML_INT8, 4, d_in, 0, &s_io, &z_io, 1, 0, 0);
  in[1] = tflw_tensor(w, "dw_weights", TML_INT8, 4, d_w,
                      tflw_buffer(w, wdata, sizeof wdata), s_w, z_w, 4, 3, 0);
  in[2] = tflw_tensor(w, "dw_bias", TML_INT32, 1, d_b,
                      tflw_buffer(w, bdata, sizeof bdata), s_b, z_b, 4, 0, 0);
  out[0] = tflw_tensor(w, "out", TML_INT8, 4, d_out, 0, &s_io, &z_io, 1, 0, 0);
  o = tflw_opt_begin(w, TFLW_OPT_DEPTHWISE_CONV_2D);
  tflw_opt_u8(w, o, 0, 1);
  tflw_opt_i32(w, o, 1, 1);
  tflw_opt_i32(w, o, 2, 1);
  tflw_opt_i32(w, o, 3, 1);
  tflw_op(w, TML_OP_DEPTHWISE_CONV_2D, 3, in, 3, out, 1, o, NULL, 0);
  tflw_io(w, in, 1, out, 1);
  /* Zero points left out: written as zeros, as many as scales. */
  CHECK_EQ(tflw_tensor(w, "sym", TML_INT8, 1, d_b, 0, s_w, NULL, 4, 0, 0), 4);
  CHECK(tflw_error(w) == NULL);

  if (finish_load(w, "per_channel", &bytes, &m) == 0) {
    check_tensor(&m, 1, "dw_weights", TML_INT8, 4, d_w, wdata, sizeof wdata);
    check_tensor(&m, 2, "dw_bias", TML_INT32, 1, d_b, bdata, sizeof bdata);
    check_quant(&m, 0, &s_io, &z_io, 1, 0);
    check_quant(&m, 1, s_w, z_w, 4, 3);
    check_quant(&m, 2, s_b, z_b, 4, 0);
    check_quant(&m, 3, &s_io, &z_io, 1, 0);
    check_quant(&m, 4, s_w, z_w, 4, 0);
    check_op(&m, 0, TML_OP_DEPTHWISE_CONV_2D, 3, in, 3, out, 1,
             TFLW_OPT_DEPTHWISE_CONV_2D, &op);
    CHECK_EQ(tml_fb_i32(&m, &op.options, 3, -1), 1);
  }
  free(bytes);
  tflw_free(w);
}

/* Operator codes: dedup, codes above 127, custom codes; intermediates,
** omitted inputs, variable tensors, [int] and int64 options, options shared
** by two operators, rank-0 and shapeless tensors. */
static void test_opcodes_and_more(void) {
  const int32_t d[2] = {2, 3}, new_shape[2] = {3, 2};
  tflw_model *w = tflw_new();
  unsigned char *bytes;
  tml_model m;
  tml_op_view op;
  int c_add, c_gelu, c_gelu2, c_add2, c_custom, c_custom2, o_rs, o_i64, o_pad;
  int32_t t[8], in[3], out[2], inter[2];
  tml_fb_table oc;
  uint32_t pos, n;

  c_add = tflw_opcode(w, TML_OP_ADD, 1);
  c_gelu = tflw_opcode(w, 150, 2); /* GELU */
  c_gelu2 = tflw_opcode(w, 150, 2);
  c_add2 = tflw_opcode(w, TML_OP_ADD, 2);
  c_custom = tflw_custom_opcode(w, "MyOp", 1);
  c_custom2 = tflw_custom_opcode(w, "MyOp", 1);
  CHECK_EQ(c_add, 0);
  CHECK_EQ(c_gelu, 1);
  CHECK_EQ(c_gelu2, 1);
  CHECK_EQ(c_add2, 2);
  CHECK_EQ(c_custom, 3);
  CHECK_EQ(c_custom2, 3);
  CHECK_EQ(tflw_opcode(w, TML_OP_CUSTOM, 1), 4); /* not the named one */

  t[0] = tflw_tensor(w, "a", TML_FLOAT32, 2, d, 0, NULL, NULL, 0, 0, 0);
  t[1] = tflw_tensor(w, "state", TML_FLOAT32, 2, d, 0, NULL, NULL, 0, 0, 1);
  t[2] = tflw_tensor(w, "b", TML_FLOAT32, 2, d, 0, NULL, NULL, 0, 0, 0);
  t[3] = tflw_tensor(w, "scalar", TML_INT32, 0, NULL, 0, NULL, NULL, 0, 0, 0);
  t[4] = tflw_tensor(w, NULL, TML_FLOAT32, -1, NULL, 0, NULL, NULL, 0, 0, 0);
  t[5] = tflw_tensor(w, "c", TML_FLOAT32, 2, new_shape, 0, NULL, NULL, 0, 0, 0);
  t[6] = tflw_tensor(w, "d", TML_FLOAT32, 2, d, 0, NULL, NULL, 0, 0, 0);

  o_rs = tflw_opt_begin(w, TFLW_OPT_RESHAPE);
  tflw_opt_vec_i32(w, o_rs, 0, new_shape, 2);
  o_i64 = tflw_opt_begin(w, 200); /* any tag: raw fields */
  tflw_opt_u8(w, o_i64, 0, 0xab);
  tflw_opt_i64(w, o_i64, 1, -1234567890123LL);
  tflw_opt_f32(w, o_i64, 2, -0.0f);
  tflw_opt_vec_i32(w, o_i64, 3, NULL, 0);
  o_pad = tflw_opt_begin(w, TFLW_OPT_PAD); /* empty table */

  in[0] = t[0];
  in[1] = -1; /* omitted optional input */
  in[2] = t[1];
  out[0] = t[2];
  inter[0] = t[3];
  inter[1] = t[4];
  CHECK_EQ(tflw_op(w, 150, 2, in, 3, out, 1, o_i64, inter, 2), 0);
  in[0] = t[2];
  out[0] = t[5];
  CHECK_EQ(tflw_op(w, TML_OP_RESHAPE, 1, in, 1, out, 1, o_rs, NULL, 0), 1);
  in[0] = t[5];
  out[0] = t[6];
  CHECK_EQ(tflw_op(w, TML_OP_RESHAPE, 1, in, 1, out, 1, o_rs, NULL, 0), 2);
  CHECK_EQ(tflw_op_opcode(w, c_custom, in, 1, out, 1, TFLW_NO_OPTIONS, NULL,
                          0), 3);
  CHECK_EQ(tflw_op(w, TML_OP_PAD, 1, in, 1, out, 1, o_pad, NULL, 0), 4);
  CHECK_EQ(tflw_op(w, TML_OP_ADD, 1, in, 0, out, 0, TFLW_NO_OPTIONS, NULL,
                   0), 5);
  out[0] = t[6];
  out[1] = t[2];
  tflw_io(w, t, 2, out, 2);
  CHECK(tflw_error(w) == NULL);

  if (finish_load(w, "opcodes", &bytes, &m) == 0) {
    tml_tensor_view tv;
    CHECK_EQ(m.n_opcodes, 7); /* + RESHAPE v1, PAD v1 */
    CHECK_EQ(m.n_inputs, 2);
    CHECK_EQ(m.n_outputs, 2);
    CHECK_EQ(tml_model_input(&m, 1), t[1]);
    CHECK_EQ(tml_model_output(&m, 1), t[2]);
    /* Raw opcode fields. */
    CHECK(tml_fb_vector_table(&m, m.opcodes, 0, &oc) == 1);
    CHECK_EQ(tml_fb_i8(&m, &oc, 0, -1), 0);
    CHECK_EQ(tml_fb_i32(&m, &oc, 3, -1), 0);
    CHECK_EQ(tml_fb_i32(&m, &oc, 2, -1), 1);
    CHECK(tml_fb_vector_table(&m, m.opcodes, 1, &oc) == 1);
    CHECK_EQ(tml_fb_i8(&m, &oc, 0, -1), 127);
    CHECK_EQ(tml_fb_i32(&m, &oc, 3, -1), 150);
    CHECK_EQ(tml_fb_i32(&m, &oc, 2, -1), 2);
    CHECK(tml_fb_vector_table(&m, m.opcodes, 3, &oc) == 1);
    CHECK_EQ(tml_fb_i8(&m, &oc, 0, -1), 32);
    CHECK_EQ(tml_fb_i32(&m, &oc, 3, -1), 32);
    CHECK(tml_fb_vector(&m, &oc, 1, 1, &pos, &n) == 1);
    CHECK(n == 4 && memcmp(m.data + pos, "MyOp", 4) == 0);
    CHECK(tml_fb_vector_table(&m, m.opcodes, 4, &oc) == 1);
    CHECK(tml_fb_field(&m, &oc, 1, 4) == 0);

    CHECK_EQ(tml_model_op(&m, 0, &op, NULL), TML_OK);
    CHECK_EQ(op.builtin, 150);
    CHECK_EQ(op.version, 2);
    CHECK_EQ(op.n_inputs, 3);
    CHECK_EQ(tml_op_input(&m, &op, 0), t[0]);
    CHECK_EQ(tml_op_input(&m, &op, 1), -1);
    CHECK_EQ(tml_op_input(&m, &op, 2), t[1]);
    CHECK_EQ(op.n_intermediates, 2);
    CHECK_EQ(tml_op_intermediate(&m, &op, 0), t[3]);
    CHECK_EQ(tml_op_intermediate(&m, &op, 1), t[4]);
    CHECK_EQ(op.options_type, 200);
    CHECK_EQ(tml_fb_u8(&m, &op.options, 0, 0), 0xab);
    pos = tml_fb_field(&m, &op.options, 1, 8);
    CHECK(pos != 0 && pos % 8 == 0);
    if (pos) CHECK_EQ(tml_rd_i64(&m, pos), -1234567890123LL);
    CHECK_EQ(tml_fb_u32(&m, &op.options, 2, 0), 0x80000000u);
    CHECK(tml_fb_vector(&m, &op.options, 3, 4, &pos, &n) == 1);
    CHECK_EQ(n, 0);

    {
      tml_op_view op2;
      CHECK_EQ(tml_model_op(&m, 1, &op, NULL), TML_OK);
      CHECK_EQ(tml_model_op(&m, 2, &op2, NULL), TML_OK);
      CHECK_EQ(op.builtin, TML_OP_RESHAPE);
      CHECK_EQ(op.options_type, TFLW_OPT_RESHAPE);
      CHECK_EQ(op.options.pos, op2.options.pos); /* one shared table */
      CHECK(tml_fb_vector(&m, &op.options, 0, 4, &pos, &n) == 1);
      CHECK_EQ(n, 2);
      CHECK_EQ(tml_rd_i32(&m, pos), 3);
      CHECK_EQ(tml_rd_i32(&m, pos + 4), 2);
    }
    CHECK_EQ(tml_model_op(&m, 3, &op, NULL), TML_OK);
    CHECK_EQ(op.builtin, TML_OP_CUSTOM);
    CHECK_EQ(op.has_options, 0);
    CHECK_EQ(op.options_type, 0);
    CHECK_EQ(tml_model_op(&m, 4, &op, NULL), TML_OK);
    CHECK_EQ(op.builtin, TML_OP_PAD);
    CHECK_EQ(op.has_options, 1);
    CHECK_EQ(op.options.vt_size, 4);
    CHECK_EQ(op.options.tb_size, 4);
    CHECK_EQ(tml_model_op(&m, 5, &op, NULL), TML_OK);
    CHECK_EQ(op.n_inputs, 0);
    CHECK_EQ(op.n_outputs, 0);

    CHECK_EQ(tml_model_tensor(&m, t[1], &tv, NULL), TML_OK);
    CHECK_EQ(tv.is_variable, 1);
    CHECK_EQ(tml_model_tensor(&m, t[0], &tv, NULL), TML_OK);
    CHECK_EQ(tv.is_variable, 0);
    CHECK_EQ(tml_model_tensor(&m, t[3], &tv, NULL), TML_OK);
    CHECK_EQ(tv.rank, 0);
    CHECK_EQ(tv.elements, 1);
    CHECK_EQ(tv.type, TML_INT32);
    CHECK_EQ(tml_model_tensor(&m, t[4], &tv, NULL), TML_OK);
    CHECK_EQ(tv.rank, 0);
    CHECK_EQ(tv.name_len, 0);
    {
      tml_fb_table tt;
      CHECK(tml_fb_vector_table(&m, m.tensors, (uint32_t)t[3], &tt) == 1);
      CHECK(tml_fb_field(&m, &tt, 0, 4) != 0); /* empty shape written */
      CHECK(tml_fb_vector_table(&m, m.tensors, (uint32_t)t[4], &tt) == 1);
      CHECK(tml_fb_field(&m, &tt, 0, 4) == 0); /* no shape field */
      CHECK(tml_fb_field(&m, &tt, 3, 4) == 0); /* no name field */
    }
  }
  free(bytes);
  tflw_free(w);
}

/* Bad references are written as given (for hostile-model tests) and the
** reader rejects them; bad arguments make calls and tflw_finish fail. */
static void test_bad_inputs(void) {
  const int32_t d[1] = {4}, neg[2] = {2, -1};
  const float sc[2] = {1.0f, 2.0f};
  const int64_t zp[1] = {0};
  tflw_model *w;
  unsigned char *bytes = NULL;
  size_t size = 0;
  tml_model m;
  tml_error err;
  int32_t in[1], out[1];

  /* A tensor pointing at a buffer that does not exist. */
  w = tflw_new();
  in[0] = tflw_tensor(w, "x", TML_INT8, 1, d, 7, NULL, NULL, 0, 0, 0);
  out[0] = tflw_tensor(w, "y", TML_INT8, 1, d, 0, NULL, NULL, 0, 0, 0);
  tflw_op(w, TML_OP_RELU, 1, in, 1, out, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, in, 1, out, 1);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  dump("bad_buffer_index", bytes, size);
  CHECK_EQ(tml_model_load(&m, bytes, size, &err), TML_ERR_TENSOR_INDEX);
  free(bytes);
  tflw_free(w);

  /* A negative dimension. */
  w = tflw_new();
  in[0] = tflw_tensor(w, "x", TML_INT8, 2, neg, 0, NULL, NULL, 0, 0, 0);
  out[0] = 9;
  tflw_op(w, TML_OP_RELU, 1, in, 1, out, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, in, 1, in, 1);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  dump("bad_negative_dim", bytes, size);
  CHECK_EQ(tml_model_load(&m, bytes, size, &err), TML_ERR_SHAPE);
  free(bytes);
  tflw_free(w);

  /* Mismatched quantization counts. */
  w = tflw_new();
  in[0] = tflw_tensor(w, "x", TML_INT8, 1, d, 0, NULL, NULL, 0, 0, 0);
  CHECK_EQ(tflw_tensor_quant(w, in[0], sc, 2, zp, 1, 0), 0);
  tflw_op(w, TML_OP_RELU, 1, in, 1, in, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, in, 1, in, 1);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  dump("bad_quant_counts", bytes, size);
  CHECK_EQ(tml_model_load(&m, bytes, size, &err), TML_ERR_QUANT);
  free(bytes);
  /* Opcode index out of range via tflw_op_opcode. */
  tflw_op_opcode(w, 5, in, 1, in, 1, TFLW_NO_OPTIONS, NULL, 0);
  CHECK_EQ(tflw_finish(w, &bytes, &size), 0);
  CHECK(tml_model_load(&m, bytes, size, &err) != TML_OK);
  free(bytes);
  tflw_free(w);

  /* Argument errors are sticky. */
  w = tflw_new();
  CHECK(tflw_error(w) == NULL);
  CHECK_EQ(tflw_tensor(w, "x", 300, 1, d, 0, NULL, NULL, 0, 0, 0), -1);
  CHECK(tflw_error(w) != NULL);
  CHECK_EQ(tflw_tensor(w, "y", TML_INT8, 1, d, 0, NULL, NULL, 0, 0, 0), 0);
  CHECK_EQ(tflw_finish(w, &bytes, &size), -1);
  CHECK(bytes == NULL);
  CHECK_EQ(size, 0);
  tflw_free(w);

  w = tflw_new();
  CHECK_EQ(tflw_opt_begin(w, 0), -1);
  tflw_free(w);
  w = tflw_new();
  CHECK_EQ(tflw_opt_i32(w, 3, 0, 1), -1); /* no such handle */
  tflw_free(w);
  w = tflw_new();
  CHECK_EQ(tflw_opt_i32(w, tflw_opt_begin(w, 1), TFLW_MAX_FIELD_ID + 1, 1),
           -1);
  tflw_free(w);
  w = tflw_new();
  CHECK_EQ(tflw_op(w, TML_OP_ADD, 1, NULL, 2, NULL, 0, TFLW_NO_OPTIONS, NULL,
                   0), -1);
  tflw_free(w);
  w = tflw_new();
  CHECK_EQ(tflw_op(w, TML_OP_ADD, 1, NULL, 0, NULL, 0, 4, NULL, 0), -1);
  tflw_free(w);
  w = tflw_new();
  CHECK_EQ(tflw_buffer(w, NULL, 4), -1);
  CHECK_EQ(tflw_tensor_quant(w, 0, NULL, 0, NULL, 0, 0), -1);
  tflw_free(w);
  CHECK_EQ(tflw_buffer(NULL, NULL, 0), -1);
  CHECK_EQ(tflw_finish(NULL, &bytes, &size), -1);
  tflw_free(NULL);
}

/* A model with many large buffers forces the builder to grow several times;
** data must stay 16-aligned whatever the odd sizes. */
static void test_many_buffers(void) {
  tflw_model *w = tflw_new();
  unsigned char *bytes, *blob = (unsigned char *)malloc(70001);
  tml_model m;
  int i, k;
  int32_t ids[40];
  for (i = 0; i < 70001; i++) blob[i] = (unsigned char)(i * 31 + 7);
  for (k = 0; k < 40; k++) {
    int32_t d[1];
    int n = 1 + (k * 1733) % 70001;
    d[0] = n;
    ids[k] = tflw_tensor(w, "c", TML_UINT8, 1, d,
                         tflw_buffer(w, blob + k, (size_t)n), NULL, NULL, 0,
                         0, 0);
  }
  tflw_op(w, TML_OP_ADD, 1, ids, 2, ids + 2, 1, TFLW_NO_OPTIONS, NULL, 0);
  tflw_io(w, ids, 1, ids + 2, 1);
  if (finish_load(w, "many_buffers", &bytes, &m) == 0) {
    CHECK_EQ(m.n_buffers, 41);
    for (k = 0; k < 40; k++) {
      tml_tensor_view t;
      int n = 1 + (k * 1733) % 70001;
      CHECK_EQ(tml_model_tensor(&m, k, &t, NULL), TML_OK);
      CHECK_EQ(t.data_size, n);
      CHECK(t.data != NULL);
      if (!t.data) continue;
      CHECK(memcmp(t.data, blob + k, (size_t)n) == 0);
      CHECK_EQ((t.data - m.data) % 16, 0);
    }
  }
  free(bytes);
  free(blob);
  tflw_free(w);
}

/* ------------------------------------------------------------ mirror */

/* Re-write model `a` with the writer: every buffer, tensor, operator code,
** operator (with its options copied field by field) and the subgraph I/O. */
static tflw_model *mirror(const tml_model *a) {
  tflw_model *w = tflw_new();
  tml_fb_table t, q;
  uint32_t i, pos, n;
  int32_t *tmp = (int32_t *)malloc(4 * 4096);

  for (i = 1; i < a->n_buffers; i++) {
    CHECK(tml_fb_vector_table(a, a->buffers, i, &t) == 1);
    if (tml_fb_vector(a, &t, 0, 1, &pos, &n) > 0)
      CHECK_EQ(tflw_buffer(w, a->data + pos, n), (int)i);
    else
      CHECK_EQ(tflw_buffer(w, NULL, 0), (int)i);
  }
  for (i = 0; i < a->n_opcodes; i++) {
    CHECK(tml_fb_vector_table(a, a->opcodes, i, &t) == 1);
    {
      int32_t dep = tml_fb_i8(a, &t, 0, 0), code = tml_fb_i32(a, &t, 3, 0);
      CHECK_EQ(tflw_opcode(w, code > dep ? code : dep,
                           tml_fb_i32(a, &t, 2, 1)), (int)i);
    }
  }
  for (i = 0; i < a->n_tensors; i++) {
    tml_tensor_view tv;
    char name[1024];
    int k;
    CHECK_EQ(tml_model_tensor(a, (int32_t)i, &tv, NULL), TML_OK);
    CHECK(tml_fb_vector_table(a, a->tensors, i, &t) == 1);
    CHECK(tv.name_len < sizeof name);
    k = tv.name_len < sizeof name ? (int)tv.name_len : (int)sizeof name - 1;
    memcpy(name, tv.name, (size_t)k);
    name[k] = 0;
    CHECK_EQ(tflw_tensor(w, name, tv.type, tv.rank, tv.dims,
                         (int)tml_fb_u32(a, &t, 2, 0), NULL, NULL, 0, 0,
                         tv.is_variable), (int)i);
    if (tml_fb_subtable(a, &t, 4, &q) > 0) {
      float sc[1024];
      int64_t zp[1024];
      CHECK(tv.n_scale <= 1024 && tv.n_zp <= 1024);
      if (tv.n_scale > 1024) tv.n_scale = 1024;
      if (tv.n_zp > 1024) tv.n_zp = 1024;
      for (k = 0; k < (int)tv.n_scale; k++)
        sc[k] = tml_rd_f32(a, tv.scale_pos + 4 * (uint32_t)k);
      for (k = 0; k < (int)tv.n_zp; k++)
        zp[k] = tml_rd_i64(a, tv.zp_pos + 8 * (uint32_t)k);
      CHECK_EQ(tflw_tensor_quant(w, (int)i, sc, (int)tv.n_scale, zp,
                                 (int)tv.n_zp, tv.quant_dim), 0);
    }
  }
  for (i = 0; i < a->n_ops; i++) {
    tml_op_view op;
    int opt = TFLW_NO_OPTIONS, k;
    int32_t ins[64], outs[64], inter[64];
    CHECK_EQ(tml_model_op(a, (int32_t)i, &op, NULL), TML_OK);
    CHECK(tml_fb_vector_table(a, a->ops, i, &t) == 1);
    for (k = 0; k < (int)op.n_inputs; k++)
      ins[k] = tml_op_input(a, &op, (uint32_t)k);
    for (k = 0; k < (int)op.n_outputs; k++)
      outs[k] = tml_op_output(a, &op, (uint32_t)k);
    for (k = 0; k < (int)op.n_intermediates; k++)
      inter[k] = tml_op_intermediate(a, &op, (uint32_t)k);
    if (op.has_options > 0) {
      const char *kinds = options_kinds(op.options_type);
      CHECK(kinds != NULL);
      opt = tflw_opt_begin(w, op.options_type);
      for (k = 0; kinds && kinds[k]; k++) {
        if (!tml_fb_field(a, &op.options, k, 1)) continue;
        if (kinds[k] == 'b')
          tflw_opt_u8(w, opt, k, tml_fb_u8(a, &op.options, k, 0));
        if (kinds[k] == 'i')
          tflw_opt_i32(w, opt, k, (int32_t)tml_fb_u32(a, &op.options, k, 0));
        if (kinds[k] == 'v' &&
            tml_fb_vector(a, &op.options, k, 4, &pos, &n) > 0) {
          uint32_t j;
          CHECK(n <= 4096);
          for (j = 0; j < n && j < 4096; j++)
            tmp[j] = tml_rd_i32(a, pos + 4 * j);
          tflw_opt_vec_i32(w, opt, k, tmp, (int)n);
        }
      }
    }
    CHECK_EQ(tflw_op_opcode(w, (int)tml_fb_u32(a, &t, 0, 0), ins,
                            (int)op.n_inputs, outs, (int)op.n_outputs, opt,
                            inter, (int)op.n_intermediates), (int)i);
  }
  for (i = 0; i < a->n_inputs; i++) tmp[i] = tml_model_input(a, i);
  for (i = 0; i < a->n_outputs; i++)
    tmp[a->n_inputs + i] = tml_model_output(a, i);
  tflw_io(w, tmp, (int)a->n_inputs, tmp + a->n_inputs, (int)a->n_outputs);
  free(tmp);
  return w;
}

/* Every field TML reads, equal in a and b. */
static void compare(const tml_model *a, const tml_model *b) {
  uint32_t i, k;
  CHECK_EQ(a->n_buffers, b->n_buffers);
  CHECK_EQ(a->n_tensors, b->n_tensors);
  CHECK_EQ(a->n_ops, b->n_ops);
  CHECK_EQ(a->n_opcodes, b->n_opcodes);
  CHECK_EQ(a->n_inputs, b->n_inputs);
  CHECK_EQ(a->n_outputs, b->n_outputs);
  if (a->n_buffers != b->n_buffers || a->n_tensors != b->n_tensors ||
      a->n_ops != b->n_ops)
    return;
  for (i = 0; i < a->n_inputs; i++)
    CHECK_EQ(tml_model_input(a, i), tml_model_input(b, i));
  for (i = 0; i < a->n_outputs; i++)
    CHECK_EQ(tml_model_output(a, i), tml_model_output(b, i));
  for (i = 0; i < a->n_buffers; i++) {
    tml_fb_table ta, tb;
    uint32_t pa, na, pb, nb;
    CHECK(tml_fb_vector_table(a, a->buffers, i, &ta) == 1);
    CHECK(tml_fb_vector_table(b, b->buffers, i, &tb) == 1);
    if (tml_fb_vector(a, &ta, 0, 1, &pa, &na) <= 0) na = 0;
    if (tml_fb_vector(b, &tb, 0, 1, &pb, &nb) <= 0) nb = 0;
    CHECK_EQ(na, nb);
    if (na == nb && na) CHECK(memcmp(a->data + pa, b->data + pb, na) == 0);
  }
  for (i = 0; i < a->n_tensors; i++) {
    tml_tensor_view ta, tb;
    tml_fb_table xa, xb, qa, qb;
    CHECK_EQ(tml_model_tensor(a, (int32_t)i, &ta, NULL), TML_OK);
    CHECK_EQ(tml_model_tensor(b, (int32_t)i, &tb, NULL), TML_OK);
    CHECK(tml_fb_vector_table(a, a->tensors, i, &xa) == 1);
    CHECK(tml_fb_vector_table(b, b->tensors, i, &xb) == 1);
    CHECK_EQ(tml_fb_u32(a, &xa, 2, 0), tml_fb_u32(b, &xb, 2, 0));
    CHECK(ta.name_len == tb.name_len &&
          memcmp(ta.name, tb.name, ta.name_len) == 0);
    CHECK_EQ(ta.type, tb.type);
    CHECK_EQ(ta.rank, tb.rank);
    CHECK_ARRAY_EQ(tb.dims, ta.dims, ta.rank);
    CHECK_EQ(ta.is_variable, tb.is_variable);
    CHECK_EQ(ta.data_size, tb.data_size);
    CHECK_EQ(ta.n_scale, tb.n_scale);
    CHECK_EQ(ta.n_zp, tb.n_zp);
    CHECK_EQ(ta.quant_dim, tb.quant_dim);
    CHECK_EQ(tml_fb_subtable(a, &xa, 4, &qa), tml_fb_subtable(b, &xb, 4, &qb));
    for (k = 0; k < ta.n_scale && k < tb.n_scale; k++)
      CHECK_EQ(tml_rd_u32(a, ta.scale_pos + 4 * k),
               tml_rd_u32(b, tb.scale_pos + 4 * k));
    for (k = 0; k < ta.n_zp && k < tb.n_zp; k++)
      CHECK_EQ(tml_rd_i64(a, ta.zp_pos + 8 * k),
               tml_rd_i64(b, tb.zp_pos + 8 * k));
    if (ta.data && tb.data) CHECK_EQ((tb.data - b->data) % 16, 0);
  }
  for (i = 0; i < a->n_ops; i++) {
    tml_op_view oa, ob;
    tml_fb_table xa, xb;
    const char *kinds;
    CHECK_EQ(tml_model_op(a, (int32_t)i, &oa, NULL), TML_OK);
    CHECK_EQ(tml_model_op(b, (int32_t)i, &ob, NULL), TML_OK);
    CHECK(tml_fb_vector_table(a, a->ops, i, &xa) == 1);
    CHECK(tml_fb_vector_table(b, b->ops, i, &xb) == 1);
    CHECK_EQ(tml_fb_u32(a, &xa, 0, 0), tml_fb_u32(b, &xb, 0, 0));
    CHECK_EQ(oa.builtin, ob.builtin);
    CHECK_EQ(oa.version, ob.version);
    CHECK_EQ(oa.n_inputs, ob.n_inputs);
    CHECK_EQ(oa.n_outputs, ob.n_outputs);
    CHECK_EQ(oa.n_intermediates, ob.n_intermediates);
    for (k = 0; k < oa.n_inputs; k++)
      CHECK_EQ(tml_op_input(a, &oa, k), tml_op_input(b, &ob, k));
    for (k = 0; k < oa.n_outputs; k++)
      CHECK_EQ(tml_op_output(a, &oa, k), tml_op_output(b, &ob, k));
    for (k = 0; k < oa.n_intermediates; k++)
      CHECK_EQ(tml_op_intermediate(a, &oa, k), tml_op_intermediate(b, &ob, k));
    CHECK_EQ(oa.options_type, ob.options_type);
    CHECK_EQ(oa.has_options, ob.has_options);
    kinds = options_kinds(oa.options_type);
    if (oa.has_options > 0 && ob.has_options > 0 && kinds) {
      for (k = 0; kinds[k]; k++) {
        uint32_t fa = tml_fb_field(a, &oa.options, (int)k, 1);
        uint32_t fb = tml_fb_field(b, &ob.options, (int)k, 1);
        CHECK_EQ(fa != 0, fb != 0);
        if (!fa || !fb) continue;
        if (kinds[k] == 'b') CHECK_EQ(a->data[fa], b->data[fb]);
        if (kinds[k] == 'i')
          CHECK_EQ(tml_fb_u32(a, &oa.options, (int)k, 0),
                   tml_fb_u32(b, &ob.options, (int)k, 0));
        if (kinds[k] == 'v') {
          uint32_t pa, na, pb, nb, j;
          CHECK(tml_fb_vector(a, &oa.options, (int)k, 4, &pa, &na) == 1);
          CHECK(tml_fb_vector(b, &ob.options, (int)k, 4, &pb, &nb) == 1);
          CHECK_EQ(na, nb);
          for (j = 0; j < na && j < nb; j++)
            CHECK_EQ(tml_rd_i32(a, pa + 4 * j), tml_rd_i32(b, pb + 4 * j));
        }
      }
    }
  }
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  unsigned char *d;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  d = (unsigned char *)malloc(n > 0 ? (size_t)n : 1);
  if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
    free(d);
    d = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return d;
}

static void test_mirror_shared(void) {
  static const char *const models[] = {
    "tflite_micro/hello_world_int8", "tflite_micro/hello_world_float",
    "tflite_micro/micro_speech_quantized", "mlcommons_tiny/ad01_int8",
    "mlcommons_tiny/ad01_fp32", "mlcommons_tiny/kws_ref_model",
    "mlcommons_tiny/kws_ref_model_float32", "mlcommons_tiny/vww_96_int8",
    "mlcommons_tiny/vww_96_float", "mlcommons_tiny/pretrainedResnet",
    "mlcommons_tiny/pretrainedResnet_quant", "mlcommons_tiny/str_ww_ref_model"
  };
  const char *dir = getenv("TML_SHARED");
  size_t i;
  int found = 0;
  if (!dir) dir = TML_SHARED_DIR;
  for (i = 0; i < sizeof models / sizeof models[0]; i++) {
    char path[1024], name[128];
    size_t size;
    unsigned char *orig, *bytes;
    tml_model a, b;
    tflw_model *w;
    const char *slash;
    snprintf(path, sizeof path, "%s/models/%s.tflite", dir, models[i]);
    orig = read_file(path, &size);
    if (!orig) continue;
    found++;
    CHECK_EQ(tml_model_load(&a, orig, size, NULL), TML_OK);
    w = mirror(&a);
    CHECK(tflw_error(w) == NULL);
    slash = strchr(models[i], '/');
    snprintf(name, sizeof name, "mirror_%s", slash ? slash + 1 : models[i]);
    if (finish_load(w, name, &bytes, &b) == 0) compare(&a, &b);
    free(bytes);
    free(orig);
    tflw_free(w);
  }
  if (!found)
    printf("test_mirror_shared: skipped, no models under %s\n", dir);
  else
    CHECK_EQ(found, (int)(sizeof models / sizeof models[0]));
}

int main(void) {
  test_fc_softmax();
  test_conv_float();
  test_per_channel();
  test_opcodes_and_more();
  test_bad_inputs();
  test_many_buffers();
  test_mirror_shared();
  return TEST_REPORT();
}
