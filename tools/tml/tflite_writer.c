/*
** tflite_writer.c — write TFLite flatbuffers (see tflite_writer.h).
**
** The model is recorded in plain arrays; tflw_finish serialises it with a
** small flatbuffer builder that, like the reference one, fills its buffer
** from the end towards the start. Children are written before their parents,
** so every uoffset (stored in a parent, pointing at a child) points forward.
** Alignment is tracked as distance from the END of the buffer; the finished
** size is padded to a multiple of the largest alignment used, so the same
** alignment then holds from the start.
**
** Field ids below are those of schema.fbs (tensorflow/lite/schema).
*/
#include "tflite_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODEL_VERSION = 0, MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2,
       MODEL_DESCRIPTION = 3, MODEL_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3,
       SG_NAME = 4 };
enum { OPC_DEPRECATED_CODE = 0, OPC_CUSTOM = 1, OPC_VERSION = 2,
       OPC_CODE = 3 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3,
       OP_OPTIONS = 4, OP_INTERMEDIATES = 8 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4,
       T_IS_VARIABLE = 5 };
enum { Q_SCALE = 2, Q_ZERO_POINT = 3, Q_DIM = 6 };
enum { BUF_DATA = 0 };

#define SCHEMA_VERSION 3
#define BUILTIN_CUSTOM 32
#define PLACEHOLDER_FOR_GREATER_OP_CODES 127
#define MAX_SIZE 0x7fffffffu /* TML reads models below 2 GB */
#define MAX_TABLE_FIELDS 64  /* > every field id written */

/* ------------------------------------------------------------ records */

typedef struct wbuffer {
  unsigned char *data;
  size_t n;
} wbuffer;

typedef struct wtensor {
  char *name;
  int type, rank;
  int32_t *dims;
  uint32_t buffer;
  int has_quant;
  float *scales;
  int n_scale;
  int64_t *zps;
  int n_zp;
  int32_t quant_dim;
  int is_variable;
} wtensor;

typedef struct wopcode {
  int32_t builtin, version;
  char *custom;
} wopcode;

enum { F_SCALAR, F_VEC_I32 };
typedef struct wfield {
  int id, kind;
  unsigned size;   /* scalar bytes: 1, 4 or 8 */
  uint64_t bits;   /* scalar value, little-endian order when written */
  int32_t *vec;
  int n;
} wfield;

typedef struct wopts {
  int tag;
  wfield *f;
  int n, cap;
} wopts;

typedef struct wop {
  uint32_t opcode;
  int32_t *in, *out, *inter;
  int n_in, n_out, n_inter;
  int options;
} wop;

struct tflw_model {
  wbuffer *buffers;
  int n_buffers, cap_buffers;
  wtensor *tensors;
  int n_tensors, cap_tensors;
  wopcode *opcodes;
  int n_opcodes, cap_opcodes;
  wopts *opts;
  int n_opts, cap_opts;
  wop *ops;
  int n_ops, cap_ops;
  int32_t *inputs, *outputs;
  int n_inputs, n_outputs;
  char *description, *sg_name;
  int failed;
  char error[160];
};

static int fail(tflw_model *m, const char *fmt, ...) {
  if (m && !m->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->error, sizeof m->error, fmt, ap);
    va_end(ap);
    m->failed = 1;
  }
  return -1;
}

const char *tflw_error(const tflw_model *m) {
  if (!m) return "NULL model";
  return m->failed ? m->error : NULL;
}

/* Make room for one more element of array *p (count n, capacity *cap). */
static int grow(tflw_model *m, void **p, int n, int *cap, size_t elem) {
  void *q;
  int c;
  if (n < *cap) return 0;
  if (*cap > 0x3fffffff / 2) return fail(m, "too many elements");
  c = *cap ? *cap * 2 : 8;
  q = realloc(*p, (size_t)c * elem);
  if (!q) return fail(m, "out of memory");
  *p = q;
  *cap = c;
  return 0;
}

static void *dup_mem(tflw_model *m, const void *src, size_t n, int *err) {
  void *p;
  if (n == 0 || !src) return NULL;
  p = malloc(n);
  if (!p) {
    *err = fail(m, "out of memory");
    return NULL;
  }
  memcpy(p, src, n);
  return p;
}

static char *dup_str(tflw_model *m, const char *s, int *err) {
  return s ? (char *)dup_mem(m, s, strlen(s) + 1, err) : NULL;
}

/* Copy an int32 list given as (pointer, count); count 0 gives NULL. */
static int copy_list(tflw_model *m, const int32_t *src, int n, int32_t **dst,
                     const char *what) {
  int err = 0;
  *dst = NULL;
  if (n < 0 || (n > 0 && !src))
    return fail(m, "%s: bad list (n = %d)", what, n);
  if (n > 0x1fffffff) return fail(m, "%s: list too long", what);
  *dst = (int32_t *)dup_mem(m, src, (size_t)n * sizeof(int32_t), &err);
  return err;
}

tflw_model *tflw_new(void) {
  tflw_model *m = (tflw_model *)calloc(1, sizeof *m);
  if (!m) return NULL;
  if (tflw_buffer(m, NULL, 0) != 0) { /* buffer 0: the empty sentinel */
    tflw_free(m);
    return NULL;
  }
  return m;
}

void tflw_free(tflw_model *m) {
  int i;
  if (!m) return;
  for (i = 0; i < m->n_buffers; i++) free(m->buffers[i].data);
  for (i = 0; i < m->n_tensors; i++) {
    free(m->tensors[i].name);
    free(m->tensors[i].dims);
    free(m->tensors[i].scales);
    free(m->tensors[i].zps);
  }
  for (i = 0; i < m->n_opcodes; i++) free(m->opcodes[i].custom);
  for (i = 0; i < m->n_opts; i++) {
    int k;
    for (k = 0; k < m->opts[i].n; k++) free(m->opts[i].f[k].vec);
    free(m->opts[i].f);
  }
  for (i = 0; i < m->n_ops; i++) {
    free(m->ops[i].in);
    free(m->ops[i].out);
    free(m->ops[i].inter);
  }
  free(m->buffers);
  free(m->tensors);
  free(m->opcodes);
  free(m->opts);
  free(m->ops);
  free(m->inputs);
  free(m->outputs);
  free(m->description);
  free(m->sg_name);
  free(m);
}

static int set_string(tflw_model *m, char **dst, const char *s) {
  int err = 0;
  char *c;
  if (!m) return -1;
  c = dup_str(m, s, &err);
  if (err) return err;
  free(*dst);
  *dst = c;
  return 0;
}

int tflw_description(tflw_model *m, const char *text) {
  return m ? set_string(m, &m->description, text) : -1;
}

int tflw_subgraph_name(tflw_model *m, const char *name) {
  return m ? set_string(m, &m->sg_name, name) : -1;
}

int tflw_buffer(tflw_model *m, const void *data, size_t n) {
  wbuffer *b;
  int err = 0;
  if (!m) return -1;
  if (n > MAX_SIZE || (n && !data))
    return fail(m, "tflw_buffer: bad data (%zu bytes)", n);
  if (grow(m, (void **)&m->buffers, m->n_buffers, &m->cap_buffers,
           sizeof *m->buffers))
    return -1;
  b = &m->buffers[m->n_buffers];
  b->data = (unsigned char *)dup_mem(m, data, n, &err);
  if (err) return -1;
  b->n = n;
  return m->n_buffers++;
}

static int set_quant(tflw_model *m, wtensor *t, const float *scales,
                     int n_scale, const int64_t *zps, int n_zp,
                     int quant_dim) {
  int err = 0;
  float *s;
  int64_t *z;
  if (n_scale < 0 || n_zp < 0 || n_scale > 0x1fffffff || n_zp > 0x0fffffff ||
      (n_scale && !scales) || (n_zp && !zps))
    return fail(m, "tensor quantization: bad arrays");
  s = (float *)dup_mem(m, scales, (size_t)n_scale * sizeof *s, &err);
  if (err) return -1;
  z = (int64_t *)dup_mem(m, zps, (size_t)n_zp * sizeof *z, &err);
  if (err) {
    free(s);
    return -1;
  }
  free(t->scales);
  free(t->zps);
  t->has_quant = 1;
  t->scales = s;
  t->n_scale = n_scale;
  t->zps = z;
  t->n_zp = n_zp;
  t->quant_dim = quant_dim;
  return 0;
}

int tflw_tensor(tflw_model *m, const char *name, int type, int rank,
                const int32_t *dims, int buffer, const float *scales,
                const int64_t *zero_points, int n_quant, int quant_dim,
                int is_variable) {
  wtensor *t;
  int err = 0;
  if (!m) return -1;
  if (type < -128 || type > 127)
    return fail(m, "tensor '%s': type %d is not a byte", name ? name : "",
                type);
  if (buffer < 0 || n_quant < 0 || (rank > 0 && !dims) || rank > 0x1fffffff)
    return fail(m, "tensor '%s': bad arguments", name ? name : "");
  if (grow(m, (void **)&m->tensors, m->n_tensors, &m->cap_tensors,
           sizeof *m->tensors))
    return -1;
  t = &m->tensors[m->n_tensors];
  memset(t, 0, sizeof *t);
  t->type = type;
  t->rank = rank;
  t->buffer = (uint32_t)buffer;
  t->is_variable = is_variable != 0;
  t->name = dup_str(m, name, &err);
  if (err) return -1;
  if (rank > 0) {
    t->dims = (int32_t *)dup_mem(m, dims, (size_t)rank * sizeof *dims, &err);
    if (err) {
      free(t->name);
      return -1;
    }
  }
  if (n_quant > 0) {
    /* Zero points default to 0 (TFLite wants as many as scales). */
    int64_t *zeros = NULL;
    if (!zero_points) {
      zeros = (int64_t *)calloc((size_t)n_quant, sizeof *zeros);
      if (!zeros) err = fail(m, "out of memory");
    }
    if (err || set_quant(m, t, scales, scales ? n_quant : 0,
                         zero_points ? zero_points : zeros, n_quant,
                         quant_dim)) {
      free(zeros);
      free(t->name);
      free(t->dims);
      return -1;
    }
    free(zeros);
  }
  return m->n_tensors++;
}

int tflw_tensor_quant(tflw_model *m, int t, const float *scales, int n_scale,
                      const int64_t *zero_points, int n_zp, int quant_dim) {
  if (!m) return -1;
  if (t < 0 || t >= m->n_tensors)
    return fail(m, "tflw_tensor_quant: no tensor %d", t);
  return set_quant(m, &m->tensors[t], scales, n_scale, zero_points, n_zp,
                   quant_dim);
}

static int opcode(tflw_model *m, int builtin, int version, const char *custom) {
  int i, err = 0;
  wopcode *c;
  if (!m) return -1;
  for (i = 0; i < m->n_opcodes; i++) {
    c = &m->opcodes[i];
    if (c->builtin == builtin && c->version == version &&
        (c->custom == NULL) == (custom == NULL) &&
        (!custom || strcmp(c->custom, custom) == 0))
      return i;
  }
  if (grow(m, (void **)&m->opcodes, m->n_opcodes, &m->cap_opcodes,
           sizeof *m->opcodes))
    return -1;
  c = &m->opcodes[m->n_opcodes];
  c->builtin = builtin;
  c->version = version;
  c->custom = dup_str(m, custom, &err);
  if (err) return -1;
  return m->n_opcodes++;
}

int tflw_opcode(tflw_model *m, int builtin, int version) {
  return opcode(m, builtin, version, NULL);
}

int tflw_custom_opcode(tflw_model *m, const char *name, int version) {
  if (!name) return fail(m, "tflw_custom_opcode: NULL name");
  return opcode(m, BUILTIN_CUSTOM, version, name);
}

int tflw_opt_begin(tflw_model *m, int tag) {
  wopts *o;
  if (!m) return -1;
  if (tag < 1 || tag > 255)
    return fail(m, "tflw_opt_begin: union tag %d not in 1..255", tag);
  if (grow(m, (void **)&m->opts, m->n_opts, &m->cap_opts, sizeof *m->opts))
    return -1;
  o = &m->opts[m->n_opts];
  memset(o, 0, sizeof *o);
  o->tag = tag;
  return m->n_opts++;
}

/* The slot of field `id` in options `opt`, emptied, or NULL. */
static wfield *opt_field(tflw_model *m, int opt, int id) {
  wopts *o;
  int k;
  if (!m) return NULL;
  if (opt < 0 || opt >= m->n_opts) {
    fail(m, "options handle %d does not exist", opt);
    return NULL;
  }
  if (id < 0 || id > TFLW_MAX_FIELD_ID) {
    fail(m, "options field id %d not in 0..%d", id, TFLW_MAX_FIELD_ID);
    return NULL;
  }
  o = &m->opts[opt];
  for (k = 0; k < o->n; k++)
    if (o->f[k].id == id) {
      free(o->f[k].vec);
      memset(&o->f[k], 0, sizeof o->f[k]);
      o->f[k].id = id;
      return &o->f[k];
    }
  if (grow(m, (void **)&o->f, o->n, &o->cap, sizeof *o->f)) return NULL;
  memset(&o->f[o->n], 0, sizeof o->f[o->n]);
  o->f[o->n].id = id;
  return &o->f[o->n++];
}

static int opt_scalar(tflw_model *m, int opt, int id, unsigned size,
                      uint64_t bits) {
  wfield *f = opt_field(m, opt, id);
  if (!f) return -1;
  f->kind = F_SCALAR;
  f->size = size;
  f->bits = bits;
  return 0;
}

int tflw_opt_u8(tflw_model *m, int opt, int id, int value) {
  return opt_scalar(m, opt, id, 1, (uint64_t)(uint8_t)value);
}

int tflw_opt_i32(tflw_model *m, int opt, int id, int32_t value) {
  return opt_scalar(m, opt, id, 4, (uint64_t)(uint32_t)value);
}

int tflw_opt_f32(tflw_model *m, int opt, int id, float value) {
  uint32_t u;
  memcpy(&u, &value, sizeof u);
  return opt_scalar(m, opt, id, 4, u);
}

int tflw_opt_i64(tflw_model *m, int opt, int id, int64_t value) {
  return opt_scalar(m, opt, id, 8, (uint64_t)value);
}

int tflw_opt_vec_i32(tflw_model *m, int opt, int id, const int32_t *values,
                     int n) {
  int32_t *copy;
  wfield *f;
  if (!m) return -1;
  if (copy_list(m, values, n, &copy, "options vector")) return -1;
  f = opt_field(m, opt, id);
  if (!f) {
    free(copy);
    return -1;
  }
  f->kind = F_VEC_I32;
  f->vec = copy;
  f->n = n;
  return 0;
}

int tflw_op_opcode(tflw_model *m, int opcode_index, const int32_t *inputs,
                   int n_in, const int32_t *outputs, int n_out, int options,
                   const int32_t *intermediates, int n_inter) {
  wop *o;
  if (!m) return -1;
  if (opcode_index < 0)
    return fail(m, "tflw_op: opcode index %d", opcode_index);
  if (options != TFLW_NO_OPTIONS && (options < 0 || options >= m->n_opts))
    return fail(m, "tflw_op: options handle %d does not exist", options);
  if (grow(m, (void **)&m->ops, m->n_ops, &m->cap_ops, sizeof *m->ops))
    return -1;
  o = &m->ops[m->n_ops];
  memset(o, 0, sizeof *o);
  o->opcode = (uint32_t)opcode_index;
  o->options = options;
  if (copy_list(m, inputs, n_in, &o->in, "op inputs") ||
      copy_list(m, outputs, n_out, &o->out, "op outputs") ||
      copy_list(m, intermediates, n_inter, &o->inter, "op intermediates")) {
    free(o->in);
    free(o->out);
    free(o->inter);
    return -1;
  }
  o->n_in = n_in;
  o->n_out = n_out;
  o->n_inter = n_inter;
  return m->n_ops++;
}

int tflw_op(tflw_model *m, int builtin, int version, const int32_t *inputs,
            int n_in, const int32_t *outputs, int n_out, int options,
            const int32_t *intermediates, int n_inter) {
  int code = tflw_opcode(m, builtin, version);
  if (code < 0) return -1;
  return tflw_op_opcode(m, code, inputs, n_in, outputs, n_out, options,
                        intermediates, n_inter);
}

int tflw_io(tflw_model *m, const int32_t *inputs, int n_in,
            const int32_t *outputs, int n_out) {
  int32_t *in, *out;
  if (!m) return -1;
  if (copy_list(m, inputs, n_in, &in, "subgraph inputs")) return -1;
  if (copy_list(m, outputs, n_out, &out, "subgraph outputs")) {
    free(in);
    return -1;
  }
  free(m->inputs);
  free(m->outputs);
  m->inputs = in;
  m->outputs = out;
  m->n_inputs = n_in;
  m->n_outputs = n_out;
  return 0;
}

/* ------------------------------------------------------------ builder */

/* Positions ("refs") are distances from the end of the buffer to the start
** of an object: they stay valid as the buffer grows towards the front. */
typedef uint32_t ref;

typedef struct fbb {
  unsigned char *buf;
  size_t cap, used; /* data is buf[cap - used .. cap) */
  size_t minalign;
  int failed;
  /* table under construction */
  size_t table_start;
  ref slots[MAX_TABLE_FIELDS];
  int n_slots;
  /* vtables written so far, for sharing */
  ref *vtables;
  int n_vtables, cap_vtables;
} fbb;

static int reserve(fbb *b, size_t n) {
  unsigned char *nb;
  size_t c;
  if (b->failed) return 0;
  if (n > MAX_SIZE - b->used) {
    b->failed = 1;
    return 0;
  }
  if (b->cap - b->used >= n) return 1;
  c = b->cap ? b->cap : 1024;
  while (c - b->used < n) c *= 2;
  nb = (unsigned char *)malloc(c);
  if (!nb) {
    b->failed = 1;
    return 0;
  }
  if (b->used) memcpy(nb + c - b->used, b->buf + b->cap - b->used, b->used);
  free(b->buf);
  b->buf = nb;
  b->cap = c;
  return 1;
}

/* Claim n bytes at the front; NULL after a failure. */
static unsigned char *claim(fbb *b, size_t n) {
  if (!reserve(b, n)) return NULL;
  b->used += n;
  return b->buf + b->cap - b->used;
}

static void put_le(fbb *b, uint64_t v, unsigned size) {
  unsigned char *p = claim(b, size);
  unsigned i;
  if (!p) return;
  for (i = 0; i < size; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* Pad so that after `extra` more bytes the front is `align`-aligned. */
static void prep(fbb *b, size_t align, size_t extra) {
  size_t pad;
  if (align > b->minalign) b->minalign = align;
  pad = (size_t)(0 - (b->used + extra)) & (align - 1);
  if (pad) {
    unsigned char *p = claim(b, pad);
    if (p) memset(p, 0, pad);
  }
}

static ref here(const fbb *b) { return (ref)b->used; }

/* A vector of n elements of `elem` bytes, already in file (little-endian)
** order, elements aligned to `align`. */
static ref vec_raw(fbb *b, const void *src, size_t n, size_t elem,
                   size_t align) {
  size_t bytes = n * elem;
  unsigned char *p;
  if (n && bytes / n != elem) {
    b->failed = 1;
    return 0;
  }
  prep(b, 4, bytes);
  prep(b, align, bytes);
  p = claim(b, bytes);
  if (p && bytes) memcpy(p, src, bytes);
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

static ref vec_i32(fbb *b, const int32_t *v, size_t n) {
  size_t i;
  prep(b, 4, n * 4);
  for (i = n; i-- > 0;) put_le(b, (uint32_t)v[i], 4);
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

static ref vec_f32(fbb *b, const float *v, size_t n) {
  size_t i;
  prep(b, 4, n * 4);
  for (i = n; i-- > 0;) {
    uint32_t u;
    memcpy(&u, &v[i], sizeof u);
    put_le(b, u, 4);
  }
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

static ref vec_i64(fbb *b, const int64_t *v, size_t n) {
  size_t i;
  prep(b, 4, n * 8);
  prep(b, 8, n * 8);
  for (i = n; i-- > 0;) put_le(b, (uint64_t)v[i], 8);
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

/* A vector of uoffsets to objects already written. */
static ref vec_refs(fbb *b, const ref *r, size_t n) {
  size_t i;
  prep(b, 4, n * 4);
  for (i = n; i-- > 0;) put_le(b, (uint64_t)(b->used + 4 - r[i]), 4);
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

static ref string(fbb *b, const char *s) {
  size_t n = strlen(s);
  unsigned char *p;
  prep(b, 4, n + 1);
  p = claim(b, n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  put_le(b, (uint64_t)n, 4);
  return here(b);
}

static void table_begin(fbb *b) {
  b->table_start = b->used;
  b->n_slots = 0;
  memset(b->slots, 0, sizeof b->slots);
}

static void slot(fbb *b, int id) {
  b->slots[id] = here(b);
  if (id + 1 > b->n_slots) b->n_slots = id + 1;
}

static void add_scalar(fbb *b, int id, uint64_t v, unsigned size) {
  prep(b, size, 0);
  put_le(b, v, size);
  slot(b, id);
}

static void add_ref(fbb *b, int id, ref r) {
  prep(b, 4, 0);
  put_le(b, (uint64_t)(b->used + 4 - r), 4);
  slot(b, id);
}

/* Finish the table: its soffset to a vtable, shared with an identical
** earlier one when possible. */
static ref table_end(fbb *b) {
  unsigned char vt[4 + 2 * MAX_TABLE_FIELDS];
  size_t vt_size, obj, tb_size;
  int i;
  unsigned char *p;
  prep(b, 4, 0);
  put_le(b, 0, 4); /* soffset, patched below */
  obj = b->used;
  tb_size = obj - b->table_start;
  vt_size = 4 + 2 * (size_t)b->n_slots;
  if (tb_size > 0xffff) b->failed = 1;
  vt[0] = (unsigned char)vt_size;
  vt[1] = (unsigned char)(vt_size >> 8);
  vt[2] = (unsigned char)tb_size;
  vt[3] = (unsigned char)(tb_size >> 8);
  for (i = 0; i < b->n_slots; i++) {
    size_t off = b->slots[i] ? obj - b->slots[i] : 0;
    vt[4 + 2 * i] = (unsigned char)off;
    vt[5 + 2 * i] = (unsigned char)(off >> 8);
  }
  if (b->failed) return 0;
  for (i = 0; i < b->n_vtables; i++) {
    const unsigned char *q = b->buf + b->cap - b->vtables[i];
    if (q[0] == vt[0] && q[1] == vt[1] && memcmp(q, vt, vt_size) == 0) break;
  }
  if (i == b->n_vtables) {
    /* New vtable, in front of the table (soffset > 0). */
    p = claim(b, vt_size);
    if (!p) return 0;
    memcpy(p, vt, vt_size);
    if (b->n_vtables == b->cap_vtables) {
      int c = b->cap_vtables ? 2 * b->cap_vtables : 16;
      ref *nv = (ref *)realloc(b->vtables, (size_t)c * sizeof *nv);
      if (!nv) {
        b->failed = 1;
        return 0;
      }
      b->vtables = nv;
      b->cap_vtables = c;
    }
    b->vtables[b->n_vtables++] = here(b);
  }
  /* soffset = table position - vtable position (from the start) */
  {
    int64_t so = (int64_t)b->vtables[i] - (int64_t)obj;
    uint32_t u = (uint32_t)(int32_t)so;
    p = b->buf + b->cap - obj;
    p[0] = (unsigned char)u;
    p[1] = (unsigned char)(u >> 8);
    p[2] = (unsigned char)(u >> 16);
    p[3] = (unsigned char)(u >> 24);
  }
  return (ref)obj;
}

/* ------------------------------------------------------------ serialise */

static ref write_buffer(fbb *b, const wbuffer *w) {
  ref data = 0;
  if (w->n) data = vec_raw(b, w->data, w->n, 1, 16);
  table_begin(b);
  if (w->n) add_ref(b, BUF_DATA, data);
  return table_end(b);
}

static ref write_tensor(fbb *b, const wtensor *t) {
  ref name = 0, shape = 0, quant = 0;
  if (t->name) name = string(b, t->name);
  if (t->rank >= 0) shape = vec_i32(b, t->dims, (size_t)t->rank);
  if (t->has_quant) {
    ref sc = 0, zp = 0;
    if (t->n_scale) sc = vec_f32(b, t->scales, (size_t)t->n_scale);
    if (t->n_zp) zp = vec_i64(b, t->zps, (size_t)t->n_zp);
    table_begin(b);
    if (sc) add_ref(b, Q_SCALE, sc);
    if (zp) add_ref(b, Q_ZERO_POINT, zp);
    add_scalar(b, Q_DIM, (uint32_t)t->quant_dim, 4);
    quant = table_end(b);
  }
  table_begin(b);
  if (t->rank >= 0) add_ref(b, T_SHAPE, shape);
  add_scalar(b, T_BUFFER, t->buffer, 4);
  if (name) add_ref(b, T_NAME, name);
  if (quant) add_ref(b, T_QUANT, quant);
  add_scalar(b, T_TYPE, (uint8_t)(int8_t)t->type, 1);
  if (t->is_variable) add_scalar(b, T_IS_VARIABLE, 1, 1);
  return table_end(b);
}

static ref write_options(fbb *b, const wopts *o) {
  ref vecs[TFLW_MAX_FIELD_ID + 1];
  int k;
  unsigned size;
  for (k = 0; k < o->n; k++)
    if (o->f[k].kind == F_VEC_I32)
      vecs[o->f[k].id] = vec_i32(b, o->f[k].vec, (size_t)o->f[k].n);
  table_begin(b);
  for (k = 0; k < o->n; k++)
    if (o->f[k].kind == F_VEC_I32) add_ref(b, o->f[k].id, vecs[o->f[k].id]);
  for (size = 8; size >= 1; size /= 2) /* largest first: least padding */
    for (k = 0; k < o->n; k++)
      if (o->f[k].kind == F_SCALAR && o->f[k].size == size)
        add_scalar(b, o->f[k].id, o->f[k].bits, size);
  return table_end(b);
}

static ref write_op(fbb *b, const wop *o, const ref *opts, const int *tags) {
  ref in, out, inter = 0;
  if (o->n_inter) inter = vec_i32(b, o->inter, (size_t)o->n_inter);
  out = vec_i32(b, o->out, (size_t)o->n_out);
  in = vec_i32(b, o->in, (size_t)o->n_in);
  table_begin(b);
  add_scalar(b, OP_OPCODE, o->opcode, 4);
  add_ref(b, OP_INPUTS, in);
  add_ref(b, OP_OUTPUTS, out);
  if (o->options != TFLW_NO_OPTIONS) add_ref(b, OP_OPTIONS, opts[o->options]);
  if (inter) add_ref(b, OP_INTERMEDIATES, inter);
  if (o->options != TFLW_NO_OPTIONS)
    add_scalar(b, OP_OPTIONS_TYPE, (uint8_t)tags[o->options], 1);
  return table_end(b);
}

static ref write_opcode(fbb *b, const wopcode *c) {
  ref custom = 0;
  int32_t dep = c->builtin;
  if (dep > PLACEHOLDER_FOR_GREATER_OP_CODES)
    dep = PLACEHOLDER_FOR_GREATER_OP_CODES;
  if (dep < -128) dep = -128;
  if (c->custom) custom = string(b, c->custom);
  table_begin(b);
  if (custom) add_ref(b, OPC_CUSTOM, custom);
  add_scalar(b, OPC_VERSION, (uint32_t)c->version, 4);
  add_scalar(b, OPC_CODE, (uint32_t)c->builtin, 4);
  add_scalar(b, OPC_DEPRECATED_CODE, (uint8_t)(int8_t)dep, 1);
  return table_end(b);
}

/* Room for the largest of the per-kind ref arrays. */
static ref *refs_for(fbb *b, int n) {
  ref *r = (ref *)calloc(n > 0 ? (size_t)n : 1, sizeof *r);
  if (!r) b->failed = 1;
  return r;
}

/* With TFLW_SEED_DIR set, every finished model is also saved there: the
** models the tests build cover every operator and most options, and become
** the fuzzers' seed corpora (fuzz/run.sh). */
static void dump(const unsigned char *bytes, size_t size) {
  const char *dir = getenv("TFLW_SEED_DIR");
  char path[1024];
  uint64_t h = 14695981039346656037u; /* FNV-1a: equal models, one file */
  size_t i;
  FILE *fp;
  if (!dir || !*dir) return;
  for (i = 0; i < size; i++) h = (h ^ bytes[i]) * 1099511628211u;
  snprintf(path, sizeof path, "%s/%016llx.tflite", dir, (unsigned long long)h);
  fp = fopen(path, "wb");
  if (!fp) return;
  fwrite(bytes, 1, size, fp);
  fclose(fp);
}

int tflw_finish(tflw_model *m, unsigned char **out, size_t *size) {
  fbb b;
  ref *r = NULL, *opt_refs = NULL;
  int *tags = NULL;
  ref buffers, tensors, ops, inputs, outputs, sg, subgraphs, opcodes;
  ref sg_name = 0, desc = 0, root;
  int i, n_max, ok;

  if (out) *out = NULL;
  if (size) *size = 0;
  if (!m || !out || !size) return fail(m, "tflw_finish: NULL argument");
  if (m->failed) return -1;
  memset(&b, 0, sizeof b);
  b.minalign = 1;

  n_max = m->n_buffers;
  if (m->n_tensors > n_max) n_max = m->n_tensors;
  if (m->n_ops > n_max) n_max = m->n_ops;
  if (m->n_opcodes > n_max) n_max = m->n_opcodes;
  r = refs_for(&b, n_max);
  opt_refs = refs_for(&b, m->n_opts);
  tags = (int *)calloc(m->n_opts > 0 ? (size_t)m->n_opts : 1, sizeof *tags);
  if (!r || !opt_refs || !tags) goto done;

  /* Written first, so they sit at the end of the file: buffers. */
  for (i = 0; i < m->n_buffers; i++) r[i] = write_buffer(&b, &m->buffers[i]);
  buffers = vec_refs(&b, r, (size_t)m->n_buffers);

  for (i = 0; i < m->n_tensors; i++) r[i] = write_tensor(&b, &m->tensors[i]);
  tensors = vec_refs(&b, r, (size_t)m->n_tensors);

  for (i = 0; i < m->n_opts; i++) {
    opt_refs[i] = write_options(&b, &m->opts[i]);
    tags[i] = m->opts[i].tag;
  }
  for (i = 0; i < m->n_ops; i++)
    r[i] = write_op(&b, &m->ops[i], opt_refs, tags);
  ops = vec_refs(&b, r, (size_t)m->n_ops);

  outputs = vec_i32(&b, m->outputs, (size_t)m->n_outputs);
  inputs = vec_i32(&b, m->inputs, (size_t)m->n_inputs);
  if (m->sg_name) sg_name = string(&b, m->sg_name);
  table_begin(&b);
  add_ref(&b, SG_TENSORS, tensors);
  add_ref(&b, SG_INPUTS, inputs);
  add_ref(&b, SG_OUTPUTS, outputs);
  add_ref(&b, SG_OPERATORS, ops);
  if (sg_name) add_ref(&b, SG_NAME, sg_name);
  sg = table_end(&b);
  subgraphs = vec_refs(&b, &sg, 1);

  for (i = 0; i < m->n_opcodes; i++) r[i] = write_opcode(&b, &m->opcodes[i]);
  opcodes = vec_refs(&b, r, (size_t)m->n_opcodes);

  if (m->description) desc = string(&b, m->description);

  table_begin(&b);
  add_scalar(&b, MODEL_VERSION, SCHEMA_VERSION, 4);
  add_ref(&b, MODEL_OPCODES, opcodes);
  add_ref(&b, MODEL_SUBGRAPHS, subgraphs);
  if (desc) add_ref(&b, MODEL_DESCRIPTION, desc);
  add_ref(&b, MODEL_BUFFERS, buffers);
  root = table_end(&b);

  /* Root offset and identifier; the total becomes a multiple of minalign. */
  prep(&b, b.minalign > 4 ? b.minalign : 4, 8);
  {
    unsigned char *p = claim(&b, 4);
    if (p) memcpy(p, "TFL3", 4);
  }
  prep(&b, 4, 0);
  put_le(&b, (uint64_t)(b.used + 4 - root), 4);

done:
  ok = !b.failed && r && opt_refs && tags;
  free(r);
  free(opt_refs);
  free(tags);
  free(b.vtables);
  if (!ok) {
    free(b.buf);
    return fail(m, "tflw_finish: out of memory or model over 2 GB");
  }
  *out = (unsigned char *)malloc(b.used);
  if (!*out) {
    free(b.buf);
    return fail(m, "tflw_finish: out of memory");
  }
  memcpy(*out, b.buf + b.cap - b.used, b.used);
  *size = b.used;
  free(b.buf);
  dump(*out, *size);
  return 0;
}
