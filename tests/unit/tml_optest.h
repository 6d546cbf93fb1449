/*
** tml_optest.h — run small models written with the .tflite writer through
** the whole runtime (load, arena size, init, invoke) in operator tests.
*/
#ifndef TML_OPTEST_H
#define TML_OPTEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tflite_writer.h"
#include "tml.h"
#include "tml_test.h"

typedef struct optest {
  unsigned char *bytes;
  size_t size;
  tml_model model;
  tml_interp it;
  void *arena;
  size_t arena_size;
  tml_error err;
} optest;

/* A tensor with per-tensor quantization (scale 0: none). */
static inline int optest_tensor(tflw_model *w, const char *name, int type,
                                int rank, const int32_t *dims, int buffer,
                                float scale, int64_t zp) {
  return tflw_tensor(w, name, type, rank, dims, buffer, &scale, &zp,
                     scale > 0.0f ? 1 : 0, 0, 0);
}

/* Serialise w (then freed), load, size the arena and init. tml_arena_size
** and tml_init must agree on the status, operator and tensor of an error.
** Returns that status (or the load status). */
static inline tml_status optest_build(optest *t, tflw_model *w) {
  tml_error e1;
  tml_status s1, s2;
  memset(t, 0, sizeof *t);
  CHECK_EQ(tflw_finish(w, &t->bytes, &t->size), 0);
  if (tflw_error(w)) fprintf(stderr, "writer: %s\n", tflw_error(w));
  tflw_free(w);
  if (!t->bytes) return TML_ERR_ARG;
  s1 = tml_model_load(&t->model, t->bytes, t->size, &t->err);
  if (s1 != TML_OK) return s1;
  memset(&e1, 0, sizeof e1);
  s1 = tml_arena_size(&t->model, &t->arena_size, &e1);
  /* On failure tml_init still gets an arena, so that it gets as far as
  ** preparing the operators. */
  if (s1 != TML_OK) t->arena_size = 1 << 16;
  t->arena = malloc(t->arena_size);
  s2 = tml_init(&t->it, &t->model, t->arena, t->arena_size, &t->err);
  CHECK_EQ(s1, s2);
  if (s1 != TML_OK && s2 != TML_OK) {
    CHECK_EQ(e1.op, t->err.op);
    CHECK_EQ(e1.tensor, t->err.tensor);
  }
  return s2;
}

static inline void optest_free(optest *t) {
  free(t->arena);
  free(t->bytes);
  memset(t, 0, sizeof *t);
}

/* Set input 0, invoke, copy output 0 (bytes of it) to out. */
static inline void optest_run(optest *t, const void *in, size_t in_bytes,
                              void *out, size_t out_bytes) {
  tml_tensor o;
  CHECK_EQ(tml_set_input(&t->it, 0, in, in_bytes), TML_OK);
  CHECK_EQ(tml_invoke(&t->it), TML_OK);
  CHECK_EQ(tml_output(&t->it, 0, &o), TML_OK);
  CHECK_EQ(o.bytes, out_bytes);
  if (o.bytes == out_bytes) memcpy(out, o.data, out_bytes);
}

/* Whether output 0 took input 0's bytes (in-place execution). */
static inline int optest_in_place(const optest *t) {
  tml_tensor i, o;
  if (tml_input(&t->it, 0, &i) != TML_OK || tml_output(&t->it, 0, &o) != TML_OK)
    return -1;
  return i.data == o.data;
}

#endif
