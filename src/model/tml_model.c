/*
** Bounds-checked, zero-copy reader of TFLite flatbuffers.
**
** Positions are uint32 byte offsets; a model is at most 2^31 - 1 bytes. Every
** read is preceded by a range check, every uoffset is followed only after
** checking its target, and every vector length is checked against the bytes
** that remain, so a hostile file can neither read out of bounds nor make a
** loop run longer than its own size allows.
*/
#include <stdarg.h>
#include <string.h>

#include "tml_reader.h"

/* Field ids from schema.fbs. */
enum { MODEL_VERSION = 0, MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3 };
enum { OPC_DEPRECATED_CODE = 0, OPC_CUSTOM = 1, OPC_VERSION = 2, OPC_CODE = 3 };
enum {
  OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3,
  OP_OPTIONS = 4, OP_INTERMEDIATES = 8
};
enum {
  T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4,
  T_IS_VARIABLE = 5, T_SPARSITY = 6
};
enum { Q_SCALE = 2, Q_ZERO_POINT = 3, Q_DETAILS_TYPE = 4, Q_DIM = 6 };
enum { BUF_DATA = 0, BUF_OFFSET = 1, BUF_SIZE = 2 };

static int in_bounds(const tml_model *m, uint32_t pos, uint32_t n) {
  return pos <= m->size && n <= m->size - pos;
}

uint32_t tml_rd_u32(const tml_model *m, uint32_t pos) {
  const uint8_t *p = m->data + pos;
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

int32_t tml_rd_i32(const tml_model *m, uint32_t pos) {
  return (int32_t)tml_rd_u32(m, pos);
}

int64_t tml_rd_i64(const tml_model *m, uint32_t pos) {
  uint64_t lo = tml_rd_u32(m, pos), hi = tml_rd_u32(m, pos + 4);
  return (int64_t)(lo | hi << 32);
}

float tml_rd_f32(const tml_model *m, uint32_t pos) {
  uint32_t u = tml_rd_u32(m, pos);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static uint32_t rd_u16(const tml_model *m, uint32_t pos) {
  return (uint32_t)m->data[pos] | (uint32_t)m->data[pos + 1] << 8;
}

/* Follow the uoffset stored at pos. Returns 0 on failure (0 is never a valid
** target: the root offset occupies it). */
static uint32_t follow(const tml_model *m, uint32_t pos) {
  uint32_t off;
  if (!in_bounds(m, pos, 4)) return 0;
  off = tml_rd_u32(m, pos);
  if (off == 0 || off > m->size - pos) return 0;
  return pos + off;
}

static int table_at(const tml_model *m, uint32_t pos, tml_fb_table *t) {
  int64_t vt;
  if (pos == 0 || !in_bounds(m, pos, 4) || (pos & 3)) return -1;
  vt = (int64_t)pos - (int64_t)tml_rd_i32(m, pos);
  if (vt < 0 || vt > (int64_t)m->size || !in_bounds(m, (uint32_t)vt, 4))
    return -1;
  t->pos = pos;
  t->vtab = (uint32_t)vt;
  t->vt_size = rd_u16(m, t->vtab);
  t->tb_size = rd_u16(m, t->vtab + 2);
  if (t->vt_size < 4 || (t->vt_size & 1) || !in_bounds(m, t->vtab, t->vt_size))
    return -1;
  if (t->tb_size < 4 || !in_bounds(m, pos, t->tb_size)) return -1;
  return 1;
}

uint32_t tml_fb_field(const tml_model *m, const tml_fb_table *t, int id,
                      uint32_t size) {
  uint32_t slot = 4 + 2 * (uint32_t)id, off;
  if (id < 0 || slot + 2 > t->vt_size) return 0;
  off = rd_u16(m, t->vtab + slot);
  if (off == 0 || off + size > t->tb_size) return 0;
  return t->pos + off;
}

int32_t tml_fb_i32(const tml_model *m, const tml_fb_table *t, int id,
                   int32_t def) {
  uint32_t p = tml_fb_field(m, t, id, 4);
  return p ? tml_rd_i32(m, p) : def;
}

uint32_t tml_fb_u32(const tml_model *m, const tml_fb_table *t, int id,
                    uint32_t def) {
  uint32_t p = tml_fb_field(m, t, id, 4);
  return p ? tml_rd_u32(m, p) : def;
}

int32_t tml_fb_i8(const tml_model *m, const tml_fb_table *t, int id,
                  int32_t def) {
  uint32_t p = tml_fb_field(m, t, id, 1);
  return p ? (int32_t)(int8_t)m->data[p] : def;
}

int32_t tml_fb_u8(const tml_model *m, const tml_fb_table *t, int id,
                  int32_t def) {
  uint32_t p = tml_fb_field(m, t, id, 1);
  return p ? (int32_t)m->data[p] : def;
}

float tml_fb_f32(const tml_model *m, const tml_fb_table *t, int id, float def) {
  uint32_t p = tml_fb_field(m, t, id, 4);
  return p ? tml_rd_f32(m, p) : def;
}

int tml_fb_subtable(const tml_model *m, const tml_fb_table *t, int id,
                    tml_fb_table *out) {
  uint32_t p = tml_fb_field(m, t, id, 4);
  if (!p) return 0;
  return table_at(m, follow(m, p), out);
}

int tml_fb_vector(const tml_model *m, const tml_fb_table *t, int id,
                  uint32_t elem, uint32_t *pos, uint32_t *len) {
  uint32_t p = tml_fb_field(m, t, id, 4), v, n;
  *pos = 0;
  *len = 0;
  if (!p) return 0;
  v = follow(m, p);
  if (!v || !in_bounds(m, v, 4)) return -1;
  n = tml_rd_u32(m, v);
  if (elem && n > (m->size - v - 4) / elem) return -1;
  *pos = v + 4;
  *len = n;
  return 1;
}

int tml_fb_vector_table(const tml_model *m, uint32_t vec_pos, uint32_t k,
                        tml_fb_table *out) {
  return table_at(m, follow(m, vec_pos + 4 * k), out);
}

static int read_string(const tml_model *m, const tml_fb_table *t, int id,
                       const char **s, uint32_t *len) {
  uint32_t pos, n;
  int r = tml_fb_vector(m, t, id, 1, &pos, &n);
  *s = r > 0 ? (const char *)m->data + pos : "";
  *len = r > 0 ? n : 0;
  return r;
}

/* ------------------------------------------------------------ errors */

tml_status tml_fail_code(tml_error *err, tml_status s, int32_t op,
                         int32_t tensor) {
  if (!err) return s;
  err->status = s;
  err->op = op;
  err->tensor = tensor;
  return s;
}

#if TML_ERROR_MESSAGES
static char *put_str(char *p, char *end, const char *s, size_t n) {
  while (n-- && *s && p < end) *p++ = *s++;
  return p;
}

static char *put_num(char *p, char *end, unsigned long long v, int neg) {
  char tmp[24];
  int k = 0;
  if (neg && p < end) *p++ = '-';
  do {
    tmp[k++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  while (k && p < end) *p++ = tmp[--k];
  return p;
}

size_t tml_vformat(char *buf, size_t n, const char *fmt, va_list ap) {
  char *p = buf, *end;
  if (n == 0) return 0;
  end = buf + n - 1;
  while (*fmt && p < end) {
    if (*fmt != '%') {
      *p++ = *fmt++;
      continue;
    }
    fmt++;
    if (*fmt == 'd') {
      int v = va_arg(ap, int);
      p = put_num(p, end, v < 0 ? 0ull - (unsigned long long)v
                                : (unsigned long long)v, v < 0);
    } else if (*fmt == 'u') {
      p = put_num(p, end, va_arg(ap, unsigned), 0);
    } else if (*fmt == 'l' && fmt[1] == 'd') {
      long v = va_arg(ap, long);
      fmt++;
      p = put_num(p, end, v < 0 ? 0ull - (unsigned long long)v
                                : (unsigned long long)v, v < 0);
    } else if (*fmt == 'l' && fmt[1] == 'u') {
      fmt++;
      p = put_num(p, end, va_arg(ap, unsigned long), 0);
    } else if (*fmt == 'z' && fmt[1] == 'u') {
      fmt++;
      p = put_num(p, end, va_arg(ap, size_t), 0);
    } else if (*fmt == 's') {
      const char *str = va_arg(ap, const char *);
      p = put_str(p, end, str ? str : "(null)", (size_t)-1);
    } else if (*fmt == '.' && fmt[1] == '*' && fmt[2] == 's') {
      int len = va_arg(ap, int);
      const char *str = va_arg(ap, const char *);
      fmt += 2;
      p = put_str(p, end, str, len > 0 ? (size_t)len : 0);
    } else if (*fmt == 'c') {
      *p++ = (char)va_arg(ap, int);
    } else if (*fmt == '%') {
      *p++ = '%';
    } else {
      break;
    }
    if (*fmt) fmt++;
  }
  *p = '\0';
  return (size_t)(p - buf);
}

size_t tml_format(char *buf, size_t n, const char *fmt, ...) {
  size_t r;
  va_list ap;
  va_start(ap, fmt);
  r = tml_vformat(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

tml_status tml_vfail(tml_error *err, tml_status s, int32_t op, int32_t tensor,
                     const char *prefix, const char *fmt, va_list ap) {
  size_t k;
  if (!err) return s;
  tml_fail_code(err, s, op, tensor);
  k = tml_format(err->message, TML_ERROR_MESSAGE_SIZE, "%s",
                 prefix ? prefix : "");
  tml_vformat(err->message + k, TML_ERROR_MESSAGE_SIZE - k, fmt, ap);
  return s;
}

tml_status tml_fail(tml_error *err, tml_status s, int32_t op, int32_t tensor,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tml_vfail(err, s, op, tensor, NULL, fmt, ap);
  va_end(ap);
  return s;
}
#endif

/* ------------------------------------------------------------ model */

static const char *const op_names[] = {
  "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
  "DEPTH_TO_SPACE", "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR",
  "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
  "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM",
  "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE",
  "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
  "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM",
  "EMBEDDING_LOOKUP_SPARSE", "PAD", "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER",
  "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB", "DIV",
  "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE",
  "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX",
  "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM",
  "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL",
  "LESS_EQUAL", "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE",
  "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT",
  "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK",
  "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK",
  "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL",
  "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU",
  "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL",
  "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU",
  "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND",
  "HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4",
  "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY",
  "SEGMENT_SUM", "BATCH_MATMUL", "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM",
  "CALL_ONCE", "BROADCAST_TO", "RFFT2D", "CONV_3D", "IMAG", "REAL",
  "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT",
  "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE",
  "READ_VARIABLE", "ASSIGN_VARIABLE", "BROADCAST_ARGS",
  "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL",
  "GELU", "DYNAMIC_UPDATE_SLICE", "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD",
  "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM", "ATAN2",
  "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT"
};

const char *tml_op_name(int32_t builtin) {
  if (builtin < 0 ||
      builtin >= (int32_t)(sizeof op_names / sizeof op_names[0]))
    return "UNKNOWN";
  return op_names[builtin];
}

const char *tml_type_name(int32_t type) {
  static const char *const names[] = {
    "float32", "float16", "int32", "uint8", "int64", "string", "bool",
    "int16", "complex64", "int8", "float64", "complex128", "uint64",
    "resource", "variant", "uint32", "uint16", "int4"
  };
  if (type < 0 || type >= (int32_t)(sizeof names / sizeof names[0]))
    return "unknown";
  return names[type];
}

size_t tml_type_size(int32_t type) {
  switch (type) {
    case TML_FLOAT32: case TML_INT32: return 4;
    case TML_INT64: return 8;
    case TML_INT16: case TML_FLOAT16: return 2;
    case TML_INT8: case TML_UINT8: case TML_BOOL: return 1;
    default: return 0;
  }
}

const char *tml_status_name(tml_status s) {
  static const char *const names[] = {
    "TML_OK", "TML_ERR_ARG", "TML_ERR_TRUNCATED", "TML_ERR_IDENTIFIER",
    "TML_ERR_OFFSET", "TML_ERR_SCHEMA", "TML_ERR_TENSOR_INDEX",
    "TML_ERR_SHAPE", "TML_ERR_TYPE", "TML_ERR_QUANT", "TML_ERR_BUFFER",
    "TML_ERR_UNSUPPORTED_OP", "TML_ERR_OP_VERSION", "TML_ERR_OPTIONS",
    "TML_ERR_LIMIT", "TML_ERR_ARENA_TOO_SMALL", "TML_ERR_INPUT_SIZE",
    "TML_ERR_NONFINITE", "TML_ERR_STATE", "TML_ERR_GRAPH", "TML_ERR_CANARY"
  };
  if ((unsigned)s >= sizeof names / sizeof names[0]) return "TML_ERR_?";
  return names[s];
}

static int subgraph0(const tml_model *m, tml_fb_table *sg) {
  tml_fb_table root;
  uint32_t pos, n;
  if (table_at(m, follow(m, 0), &root) < 0) return -1;
  if (tml_fb_vector(m, &root, MODEL_SUBGRAPHS, 4, &pos, &n) <= 0 || n == 0)
    return -1;
  return tml_fb_vector_table(m, pos, 0, sg);
}

int32_t tml_model_input(const tml_model *m, uint32_t k) {
  return tml_rd_i32(m, m->inputs + 4 * k);
}

int32_t tml_model_output(const tml_model *m, uint32_t k) {
  return tml_rd_i32(m, m->outputs + 4 * k);
}

tml_status tml_model_tensor(const tml_model *m, int32_t index,
                            tml_tensor_view *t, tml_error *err) {
  tml_fb_table tb, q, buf;
  uint32_t pos, n, i, buffer;
  uint64_t elements = 1;
  size_t esize;
  int r;

  memset(t, 0, sizeof *t);
  t->index = index;
  if (index < 0 || (uint32_t)index >= m->n_tensors)
    return tml_fail(err, TML_ERR_TENSOR_INDEX, -1, index,
                    "tensor index %d out of range (model has %u tensors)",
                    (int)index, (unsigned)m->n_tensors);
  if (tml_fb_vector_table(m, m->tensors, (uint32_t)index, &tb) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, index,
                    "tensor %d: table offset outside the model", (int)index);
  if (read_string(m, &tb, T_NAME, &t->name, &t->name_len) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, index,
                    "tensor %d: name outside the model", (int)index);
  r = tml_fb_vector(m, &tb, T_SHAPE, 4, &pos, &n);
  if (r < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, index,
                    "tensor %d '%.*s': shape outside the model", (int)index,
                    (int)t->name_len, t->name);
  if (n > TML_MAX_RANK)
    return tml_fail(err, TML_ERR_LIMIT, -1, index,
                    "tensor %d '%.*s': rank %u exceeds TML_MAX_RANK %d",
                    (int)index, (int)t->name_len, t->name, (unsigned)n,
                    TML_MAX_RANK);
  t->rank = (int32_t)n;
  t->type = tml_fb_i8(m, &tb, T_TYPE, TML_FLOAT32);
  esize = tml_type_size(t->type);
  for (i = 0; i < n; i++) {
    int32_t d = tml_rd_i32(m, pos + 4 * i);
    if (d <= 0)
      return tml_fail(err, TML_ERR_SHAPE, -1, index,
                      "tensor %d '%.*s': dimension %u is %d", (int)index,
                      (int)t->name_len, t->name, (unsigned)i, (int)d);
    t->dims[i] = d;
    elements *= (uint64_t)d;
    if (elements * (esize ? esize : 1) > 0x7fffffffu)
      return tml_fail(err, TML_ERR_SHAPE, -1, index,
                      "tensor %d '%.*s': size overflows 2^31 bytes",
                      (int)index, (int)t->name_len, t->name);
  }
  t->elements = (int32_t)elements;
  t->bytes = (uint32_t)(elements * esize);
  t->is_variable = tml_fb_u8(m, &tb, T_IS_VARIABLE, 0) != 0;
  if (tml_fb_field(m, &tb, T_SPARSITY, 4))
    return tml_fail(err, TML_ERR_TYPE, -1, index,
                    "tensor %d '%.*s': sparse tensors are not supported",
                    (int)index, (int)t->name_len, t->name);

  buffer = tml_fb_u32(m, &tb, T_BUFFER, 0);
  /* Buffer 0 means "no data" even in a model without a buffers vector. */
  if (buffer > 0 && buffer >= m->n_buffers)
    return tml_fail(err, TML_ERR_TENSOR_INDEX, -1, index,
                    "tensor %d '%.*s': buffer %u out of range (%u buffers)",
                    (int)index, (int)t->name_len, t->name, (unsigned)buffer,
                    (unsigned)m->n_buffers);
  if (buffer > 0) {
    if (tml_fb_vector_table(m, m->buffers, buffer, &buf) < 0)
      return tml_fail(err, TML_ERR_OFFSET, -1, index,
                      "buffer %u: table offset outside the model",
                      (unsigned)buffer);
    r = tml_fb_vector(m, &buf, BUF_DATA, 1, &pos, &n);
    if (r < 0)
      return tml_fail(err, TML_ERR_OFFSET, -1, index,
                      "buffer %u: data outside the model", (unsigned)buffer);
    if (r == 0) {
      /* Models over 2 GB keep data outside the flatbuffer (offset > 1). */
      uint32_t op = tml_fb_field(m, &buf, BUF_OFFSET, 8);
      uint32_t sp = tml_fb_field(m, &buf, BUF_SIZE, 8);
      if (op && sp) {
        int64_t off = tml_rd_i64(m, op), size = tml_rd_i64(m, sp);
        if (off > 1) {
          if (size < 0 || off > (int64_t)m->size ||
              size > (int64_t)m->size - off)
            return tml_fail(err, TML_ERR_OFFSET, -1, index,
                            "buffer %u: external data outside the model",
                            (unsigned)buffer);
          pos = (uint32_t)off;
          n = (uint32_t)size;
        }
      }
    }
    if (n > 0) {
      t->data = m->data + pos;
      t->data_size = n;
    }
  }

  r = tml_fb_subtable(m, &tb, T_QUANT, &q);
  if (r < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, index,
                    "tensor %d '%.*s': quantization outside the model",
                    (int)index, (int)t->name_len, t->name);
  if (r > 0) {
    if (tml_fb_vector(m, &q, Q_SCALE, 4, &t->scale_pos, &t->n_scale) < 0 ||
        tml_fb_vector(m, &q, Q_ZERO_POINT, 8, &t->zp_pos, &t->n_zp) < 0)
      return tml_fail(err, TML_ERR_OFFSET, -1, index,
                      "tensor %d '%.*s': quantization arrays outside the "
                      "model", (int)index, (int)t->name_len, t->name);
    if (tml_fb_u8(m, &q, Q_DETAILS_TYPE, 0) != 0)
      return tml_fail(err, TML_ERR_QUANT, -1, index,
                      "tensor %d '%.*s': custom quantization is not supported",
                      (int)index, (int)t->name_len, t->name);
    t->quant_dim = tml_fb_i32(m, &q, Q_DIM, 0);
    if (t->n_scale > 0) {
      if (t->n_zp != t->n_scale && t->n_zp != 0)
        return tml_fail(err, TML_ERR_QUANT, -1, index,
                        "tensor %d '%.*s': %u scales but %u zero points",
                        (int)index, (int)t->name_len, t->name,
                        (unsigned)t->n_scale, (unsigned)t->n_zp);
      if (t->n_scale > 1 &&
          (t->quant_dim < 0 || t->quant_dim >= t->rank ||
           (uint32_t)t->dims[t->quant_dim] != t->n_scale))
        return tml_fail(err, TML_ERR_QUANT, -1, index,
                        "tensor %d '%.*s': %u scales do not match dimension "
                        "%d", (int)index, (int)t->name_len, t->name,
                        (unsigned)t->n_scale, (int)t->quant_dim);
    }
  }
  return TML_OK;
}

float tml_tensor_scale(const tml_model *m, const tml_tensor_view *t,
                       uint32_t k) {
  return k < t->n_scale ? tml_rd_f32(m, t->scale_pos + 4 * k) : 0.0f;
}

int32_t tml_tensor_zp(const tml_model *m, const tml_tensor_view *t,
                      uint32_t k) {
  int64_t z;
  if (k >= t->n_zp) return 0;
  z = tml_rd_i64(m, t->zp_pos + 8 * k);
  /* Zero points beyond int32 are meaningless; clamp so they fail range
  ** checks at prepare instead of wrapping. */
  if (z > INT32_MAX) return INT32_MAX;
  if (z < INT32_MIN) return INT32_MIN;
  return (int32_t)z;
}

tml_status tml_model_op(const tml_model *m, int32_t index, tml_op_view *op,
                        tml_error *err) {
  tml_fb_table tb, oc;
  uint32_t opcode, n;
  int32_t dep, code;

  memset(op, 0, sizeof *op);
  op->index = index;
  if (index < 0 || (uint32_t)index >= m->n_ops)
    return tml_fail(err, TML_ERR_ARG, index, -1, "op %d out of range",
                    (int)index);
  if (tml_fb_vector_table(m, m->ops, (uint32_t)index, &tb) < 0)
    return tml_fail(err, TML_ERR_OFFSET, index, -1,
                    "op %d: table offset outside the model", (int)index);
  opcode = tml_fb_u32(m, &tb, OP_OPCODE, 0);
  if (opcode >= m->n_opcodes)
    return tml_fail(err, TML_ERR_TENSOR_INDEX, index, -1,
                    "op %d: opcode index %u out of range (%u opcodes)",
                    (int)index, (unsigned)opcode, (unsigned)m->n_opcodes);
  if (tml_fb_vector_table(m, m->opcodes, opcode, &oc) < 0)
    return tml_fail(err, TML_ERR_OFFSET, index, -1,
                    "opcode %u: table offset outside the model",
                    (unsigned)opcode);
  /* builtin_code superseded the byte-sized deprecated field; old writers
  ** only set the latter, so take the larger (TFLite's GetBuiltinCode). */
  dep = tml_fb_i8(m, &oc, OPC_DEPRECATED_CODE, 0);
  code = tml_fb_i32(m, &oc, OPC_CODE, 0);
  op->builtin = code > dep ? code : dep;
  op->version = tml_fb_i32(m, &oc, OPC_VERSION, 1);

  if (tml_fb_vector(m, &tb, OP_INPUTS, 4, &op->inputs_pos, &op->n_inputs) < 0 ||
      tml_fb_vector(m, &tb, OP_OUTPUTS, 4, &op->outputs_pos,
                    &op->n_outputs) < 0 ||
      tml_fb_vector(m, &tb, OP_INTERMEDIATES, 4, &op->intermediates_pos,
                    &op->n_intermediates) < 0)
    return tml_fail(err, TML_ERR_OFFSET, index, -1,
                    "op %d (%s): tensor lists outside the model", (int)index,
                    tml_op_name(op->builtin));
  if (op->n_inputs > TML_MAX_OP_INPUTS || op->n_outputs > TML_MAX_OP_OUTPUTS ||
      op->n_intermediates > TML_MAX_OP_INPUTS)
    return tml_fail(err, TML_ERR_LIMIT, index, -1,
                    "op %d (%s): %u inputs, %u outputs, %u intermediates "
                    "exceed the limits", (int)index, tml_op_name(op->builtin),
                    (unsigned)op->n_inputs, (unsigned)op->n_outputs,
                    (unsigned)op->n_intermediates);
  for (n = 0; n < op->n_inputs + op->n_outputs + op->n_intermediates; n++) {
    int32_t t;
    if (n < op->n_inputs)
      t = tml_rd_i32(m, op->inputs_pos + 4 * n);
    else if (n < op->n_inputs + op->n_outputs)
      t = tml_rd_i32(m, op->outputs_pos + 4 * (n - op->n_inputs));
    else
      t = tml_rd_i32(m, op->intermediates_pos +
                            4 * (n - op->n_inputs - op->n_outputs));
    if (t < -1 || t >= (int32_t)m->n_tensors ||
        (t == -1 && n >= op->n_inputs))
      return tml_fail(err, TML_ERR_TENSOR_INDEX, index, t,
                      "op %d (%s): tensor index %d out of range (%u tensors)",
                      (int)index, tml_op_name(op->builtin), (int)t,
                      (unsigned)m->n_tensors);
  }
  op->options_type = tml_fb_u8(m, &tb, OP_OPTIONS_TYPE, 0);
  op->has_options = tml_fb_subtable(m, &tb, OP_OPTIONS, &op->options);
  if (op->has_options < 0)
    return tml_fail(err, TML_ERR_OFFSET, index, -1,
                    "op %d (%s): options outside the model", (int)index,
                    tml_op_name(op->builtin));
  return TML_OK;
}

int32_t tml_op_input(const tml_model *m, const tml_op_view *op, uint32_t k) {
  return k < op->n_inputs ? tml_rd_i32(m, op->inputs_pos + 4 * k) : -1;
}

int32_t tml_op_output(const tml_model *m, const tml_op_view *op, uint32_t k) {
  return k < op->n_outputs ? tml_rd_i32(m, op->outputs_pos + 4 * k) : -1;
}

int32_t tml_op_intermediate(const tml_model *m, const tml_op_view *op,
                            uint32_t k) {
  return k < op->n_intermediates
             ? tml_rd_i32(m, op->intermediates_pos + 4 * k)
             : -1;
}

tml_status tml_model_load(tml_model *m, const void *data, size_t size,
                          tml_error *err) {
  tml_fb_table root, sg;
  uint32_t i, pos, n;
  tml_status s;

  if (err) tml_fail(err, TML_OK, -1, -1, "");
  if (!m || (!data && size))
    return tml_fail(err, TML_ERR_ARG, -1, -1, "NULL model or data");
  memset(m, 0, sizeof *m);
  m->data = (const uint8_t *)data;
  m->size = size;
  if (size < 8)
    return tml_fail(err, TML_ERR_TRUNCATED, -1, -1,
                    "model is %zu bytes; a TFLite file has at least 8", size);
  if (size > 0x7fffffffu)
    return tml_fail(err, TML_ERR_LIMIT, -1, -1,
                    "model of %zu bytes exceeds 2 GB", size);
  if (memcmp(m->data + 4, "TFL3", 4) != 0)
    return tml_fail(err, TML_ERR_IDENTIFIER, -1, -1,
                    "not a TFLite model: file identifier is not \"TFL3\"");
  if (table_at(m, follow(m, 0), &root) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, -1,
                    "root table offset outside the model");
  m->version = tml_fb_u32(m, &root, MODEL_VERSION, 0);
  if (m->version != 3)
    return tml_fail(err, TML_ERR_SCHEMA, -1, -1,
                    "schema version %u; TML reads version 3",
                    (unsigned)m->version);
  if (tml_fb_vector(m, &root, MODEL_OPCODES, 4, &m->opcodes, &m->n_opcodes) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, -1,
                    "operator_codes outside the model");
  if (tml_fb_vector(m, &root, MODEL_BUFFERS, 4, &m->buffers, &m->n_buffers) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, -1, "buffers outside the model");
  if (tml_fb_vector(m, &root, MODEL_SUBGRAPHS, 4, &pos, &n) <= 0 || n == 0)
    return tml_fail(err, TML_ERR_SCHEMA, -1, -1, "model has no subgraph");
  m->n_subgraphs = n;
  if (subgraph0(m, &sg) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, -1,
                    "subgraph 0 offset outside the model");
  if (tml_fb_vector(m, &sg, SG_TENSORS, 4, &m->tensors, &m->n_tensors) < 0 ||
      tml_fb_vector(m, &sg, SG_INPUTS, 4, &m->inputs, &m->n_inputs) < 0 ||
      tml_fb_vector(m, &sg, SG_OUTPUTS, 4, &m->outputs, &m->n_outputs) < 0 ||
      tml_fb_vector(m, &sg, SG_OPERATORS, 4, &m->ops, &m->n_ops) < 0)
    return tml_fail(err, TML_ERR_OFFSET, -1, -1,
                    "subgraph 0: vectors outside the model");
  if (m->n_tensors > TML_MAX_TENSORS || m->n_ops > TML_MAX_OPS ||
      m->n_inputs > TML_MAX_OP_INPUTS || m->n_outputs > TML_MAX_OP_INPUTS)
    return tml_fail(err, TML_ERR_LIMIT, -1, -1,
                    "model has %u tensors, %u ops, %u inputs, %u outputs; "
                    "limits are %d, %d, %d, %d",
                    (unsigned)m->n_tensors, (unsigned)m->n_ops,
                    (unsigned)m->n_inputs, (unsigned)m->n_outputs,
                    TML_MAX_TENSORS, TML_MAX_OPS, TML_MAX_OP_INPUTS,
                    TML_MAX_OP_INPUTS);
  if (m->n_ops == 0 || m->n_inputs == 0 || m->n_outputs == 0)
    return tml_fail(err, TML_ERR_SCHEMA, -1, -1,
                    "subgraph 0 has %u ops, %u inputs, %u outputs",
                    (unsigned)m->n_ops, (unsigned)m->n_inputs,
                    (unsigned)m->n_outputs);
  for (i = 0; i < m->n_inputs + m->n_outputs; i++) {
    int32_t t = i < m->n_inputs ? tml_model_input(m, i)
                                : tml_model_output(m, i - m->n_inputs);
    if (t < 0 || (uint32_t)t >= m->n_tensors)
      return tml_fail(err, TML_ERR_TENSOR_INDEX, -1, t,
                      "subgraph %s %u: tensor index %d out of range",
                      i < m->n_inputs ? "input" : "output",
                      (unsigned)(i < m->n_inputs ? i : i - m->n_inputs),
                      (int)t);
  }
  for (i = 0; i < m->n_tensors; i++) {
    tml_tensor_view t;
    s = tml_model_tensor(m, (int32_t)i, &t, err);
    if (s != TML_OK) return s;
    if (t.data && t.bytes && t.data_size != t.bytes)
      return tml_fail(err, TML_ERR_BUFFER, -1, (int32_t)i,
                      "tensor %u '%.*s': buffer holds %u bytes, shape needs "
                      "%u", (unsigned)i, (int)t.name_len, t.name,
                      (unsigned)t.data_size, (unsigned)t.bytes);
  }
  for (i = 0; i < m->n_ops; i++) {
    tml_op_view op;
    s = tml_model_op(m, (int32_t)i, &op, err);
    if (s != TML_OK) return s;
  }
  return TML_OK;
}
