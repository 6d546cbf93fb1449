/*
** tml compile: values, arrays and record pointers as C text.
*/
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"

#define CC_WIDTH 79

/* Element type of the arrays a tensor's constant data becomes. Types TML
** computes nothing with stay raw bytes (FLOAT16 its 16-bit patterns). */
static const struct {
  int32_t type;
  const char *c;
  size_t size;
} ctypes[] = {
  { TML_FLOAT32, "float", 4 },  { TML_FLOAT16, "uint16_t", 2 },
  { TML_INT32, "int32_t", 4 },  { TML_UINT8, "uint8_t", 1 },
  { TML_INT64, "int64_t", 8 },  { TML_BOOL, "uint8_t", 1 },
  { TML_INT16, "int16_t", 2 },  { TML_INT8, "int8_t", 1 }
};

static int ctype_index(int32_t type) {
  int i;
  for (i = 0; i < (int)(sizeof ctypes / sizeof ctypes[0]); i++)
    if (ctypes[i].type == type) return i;
  return -1;
}

const char *cc_ctype(int32_t type) {
  const int i = ctype_index(type);
  return i < 0 ? "uint8_t" : ctypes[i].c;
}

void cc_float(char *buf, size_t n, float v) {
  if (isnan(v))
    snprintf(buf, n, "NAN");
  else if (isinf(v))
    snprintf(buf, n, "%sINFINITY", v > 0 ? "" : "-");
  else if (v == FLT_MAX || v == -FLT_MAX)
    snprintf(buf, n, "%sFLT_MAX", v > 0 ? "" : "-");
  else {
    /* 9 significant digits read back as the same float. */
    char num[40];
    snprintf(num, sizeof num, "%.9g", (double)v);
    snprintf(buf, n, "%s%sf", num, strpbrk(num, ".e") ? "" : ".0");
  }
}

void cc_print_float(FILE *out, float v) {
  char buf[48];
  cc_float(buf, sizeof buf, v);
  fputs(buf, out);
}

void cc_i32(char *buf, size_t n, int32_t v) {
  if (v == INT32_MIN)
    snprintf(buf, n, "INT32_MIN");
  else
    snprintf(buf, n, "%ld", (long)v);
}

void cc_comment_text(FILE *out, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    const unsigned char ch = (unsigned char)s[i];
    fputc(ch < 0x20 || ch >= 0x7f || ch == '*' || ch == '?' || ch == '\\'
              ? '_'
              : ch,
          out);
  }
}

static void print_element(FILE *out, int32_t type, const uint8_t *p) {
  char buf[48];
  switch (type) {
    case TML_INT8: fprintf(out, "%d", *(const int8_t *)p); break;
    case TML_INT16: {
      int16_t v;
      memcpy(&v, p, 2);
      fprintf(out, "%d", v);
      break;
    }
    case TML_FLOAT16: {
      uint16_t v;
      memcpy(&v, p, 2);
      fprintf(out, "%u", v);
      break;
    }
    case TML_INT32: {
      int32_t v;
      memcpy(&v, p, 4);
      cc_i32(buf, sizeof buf, v);
      fputs(buf, out);
      break;
    }
    case TML_INT64: {
      int64_t v;
      memcpy(&v, p, 8);
      if (v == INT64_MIN)
        fputs("INT64_MIN", out);
      else
        fprintf(out, "INT64_C(%lld)", (long long)v);
      break;
    }
    case TML_FLOAT32: {
      float v;
      memcpy(&v, p, 4);
      cc_print_float(out, v);
      break;
    }
    default: fprintf(out, "%u", *p); break;
  }
}

void cc_array(FILE *out, const char *ident, int32_t type, const void *data,
              size_t bytes, const char *comment) {
  const int t = ctype_index(type);
  const int32_t et = t < 0 ? TML_UINT8 : type;
  const size_t es = t < 0 ? 1 : ctypes[t].size;
  const size_t n = (bytes + es - 1) / es;
  const size_t per_line = es == 1   ? 16
                          : es == 2 ? 12
                          : et == TML_FLOAT32 ? 5
                          : es == 4 ? 8
                                    : 3;
  const uint8_t *b = (const uint8_t *)data;
  size_t i;
  if (comment) fprintf(out, "/* %s */\n", comment);
  fprintf(out, "static const %s %s[%lu] TML_ALIGNED(16) = {", cc_ctype(type),
          ident, (unsigned long)(n ? n : 1));
  for (i = 0; i < n; i++) {
    /* A last partial element (a buffer that is no whole number of them)
    ** is padded with zeros: the array covers every byte of the data. */
    uint8_t e[8] = {0};
    memcpy(e, b + i * es, i * es + es <= bytes ? es : bytes - i * es);
    fputs(i % per_line ? " " : "\n  ", out);
    print_element(out, et, e);
    if (i + 1 < n) fputc(',', out);
  }
  fputs(n ? "\n};\n\n" : "0};\n\n", out);
}

/* ------------------------------------------------------------ pointers */

/* The constant tensor whose data starts at b: of those (tensors may share
** a buffer, and a hostile model may make buffers overlap) the one with the
** most bytes, so that its array covers whatever a kernel reads from b; then
** one of the element type the kernel reads; then the first. -1 if none. */
static int32_t constant_at(const cctx *c, const uint8_t *b, const char *base) {
  int32_t t, best = -1;
  uint32_t best_size = 0;
  int best_typed = 0;
  for (t = 0; t < (int32_t)c->m->n_tensors; t++) {
    tml_tensor_view v;
    int typed;
    if (tml_model_tensor(c->m, t, &v, NULL) != TML_OK || v.data != b ||
        v.is_variable)
      continue;
    typed = !strcmp(cc_ctype(v.type), base);
    if (best < 0 || v.data_size > best_size ||
        (v.data_size == best_size && typed && !best_typed)) {
      best = t;
      best_size = v.data_size;
      best_typed = typed;
    }
  }
  return best;
}

void cc_ptr(cctx *c, char *buf, size_t n, const void *p, const char *ct) {
  const uint8_t *b = (const uint8_t *)p;
  const uint8_t *base_addr = c->it->arena;
  const int is_const = !strncmp(ct, "const ", 6);
  const char *base = is_const ? ct + 6 : ct;
  int32_t t;
  if (!p) {
    snprintf(buf, n, "NULL");
    return;
  }
  if (b >= c->it->acts && b < c->it->acts + c->planned) {
    snprintf(buf, n, "(%s *)(a + %lu)", ct, (unsigned long)(b - c->it->acts));
    c->uses_arena = 1;
    return;
  }
  if (b >= base_addr + c->state_lo && b < base_addr + c->state_hi) {
    snprintf(buf, n, "(%s *)(%s_state + %lu)", ct, c->name,
             (unsigned long)(b - base_addr - c->state_lo));
    return;
  }
  t = b >= c->m->data && b < c->m->data + c->m->size
          ? constant_at(c, b, base)
          : -1;
  if (t >= 0 && is_const) {
    tml_tensor_view v;
    tml_model_tensor(c->m, t, &v, NULL);
    c->need[t] = 1;
    if (!strcmp(cc_ctype(v.type), base) || !strcmp(base, "void"))
      snprintf(buf, n, "%s_t%ld", c->name, (long)t);
    else
      snprintf(buf, n, "(const %s *)(const void *)%s_t%ld", base, c->name,
               (long)t);
    return;
  }
  if (!c->failed) {
    if (t >= 0)
      snprintf(c->why, sizeof c->why, "writes to constant tensor %ld",
               (long)t);
    else
      snprintf(c->why, sizeof c->why,
               "a data pointer is outside the arena and the state, and "
               "not at the start of a constant tensor");
  }
  c->failed = 1;
  snprintf(buf, n, "NULL");
}

/* ------------------------------------------------------------ initializers */

static void put(cc_init *w, const char *item) {
  const int len = (int)strlen(item);
  if (!w->fresh) {
    fputc(',', w->out);
    w->col++;
  }
  if (w->col + 1 + len > CC_WIDTH) {
    fprintf(w->out, "\n%*s", w->indent + 2, "");
    w->col = w->indent + 2;
  } else if (!w->fresh) {
    fputc(' ', w->out);
    w->col++;
  }
  fputs(item, w->out);
  w->col += len;
  w->fresh = 0;
}

void cc_init_begin(cc_init *w, FILE *out, int indent, const char *head) {
  w->out = out;
  w->indent = indent;
  fprintf(out, "%*s%s {", indent, "", head);
  /* The first field starts a line of its own. */
  w->col = CC_WIDTH;
  w->fresh = 1;
}

void cc_field(cc_init *w, const char *name, const char *fmt, ...) {
  char *item;
  size_t pre = name ? strlen(name) + 4 : 0;
  int n;
  va_list ap;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  item = n < 0 ? NULL : malloc(pre + (size_t)n + 1);
  if (!item) return;
  if (name) snprintf(item, pre + 1, ".%s = ", name);
  va_start(ap, fmt);
  vsnprintf(item + pre, (size_t)n + 1, fmt, ap);
  va_end(ap);
  put(w, item);
  free(item);
}

void cc_field_i32(cc_init *w, const char *name, int32_t v) {
  char buf[24];
  cc_i32(buf, sizeof buf, v);
  cc_field(w, name, "%s", buf);
}

void cc_field_f32(cc_init *w, const char *name, float v) {
  char buf[48];
  cc_float(buf, sizeof buf, v);
  cc_field(w, name, "%s", buf);
}

void cc_field_list(cc_init *w, const char *name, const char *const *items,
                   int n) {
  size_t len = 3;
  char *buf;
  int i;
  for (i = 0; i < n; i++) len += strlen(items[i]) + 2;
  buf = malloc(len);
  if (!buf) {
    cc_field(w, name, "{0} /* out of memory */");
    return;
  }
  strcpy(buf, "{");
  for (i = 0; i < n; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, items[i]);
  }
  strcat(buf, "}");
  cc_field(w, name, "%s", buf);
  free(buf);
}

void cc_field_ints(cc_init *w, const char *name, const int32_t *v, int n) {
  char num[TML_MAX_OP_INPUTS + TML_MAX_RANK][16];
  const char *items[TML_MAX_OP_INPUTS + TML_MAX_RANK];
  int i;
  for (i = 0; i < n && i < (int)(sizeof items / sizeof items[0]); i++) {
    cc_i32(num[i], sizeof num[i], v[i]);
    items[i] = num[i];
  }
  cc_field_list(w, name, items, i);
}

void cc_field_shape(cc_init *w, const char *name, const tml_shape4 *s) {
  const int32_t d[4] = {s->n, s->h, s->w, s->c};
  cc_field_ints(w, name, d, 4);
}

void cc_field_ptr(cc_init *w, cctx *c, const char *name, const void *p,
                  const char *ct) {
  char e[CC_EXPR];
  cc_ptr(c, e, sizeof e, p, ct);
  cc_field(w, name, "%s", e);
}

void cc_init_end(cc_init *w, const char *tail) {
  fprintf(w->out, "\n%*s}%s", w->indent, "", tail);
}
