/*
** fuzz_common.h — pieces the fuzz targets share (host code).
*/
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tml.h"
#include "tml_reader.h"

/* Bounds on what one input may make the model target run, so that a hostile
** but valid model (huge shapes, a 1000x1000 pooling window) costs
** milliseconds, not seconds: models above either bound are loaded, sized and
** prepared, but not invoked (nor prepared above FUZZ_MAX_INIT_ARENA). The
** golden tests invoke the real models. */
#define FUZZ_MAX_INIT_ARENA (16u << 20)
#define FUZZ_MAX_ARENA (1u << 20)
#define FUZZ_MAX_WORK (1u << 20)

/* A violated property: report it the way libFuzzer reports a crash. */
#define FUZZ_ASSERT(cond)                                                  \
  do {                                                                     \
    if (!(cond)) {                                                         \
      dprintf(2, "%s:%d: property failed: %s\n", __FILE__, __LINE__,     \
              #cond);                                                      \
      abort();                                                             \
    }                                                                      \
  } while (0)

/* The CLI reports every error on stderr: millions of lines in a fuzzing
** run. stdio's stderr goes to /dev/null; libFuzzer and the sanitizers write
** to file descriptor 2 (or their own FILE) and still report. */
static inline void fuzz_quiet(void) {
  FILE *null = fopen("/dev/null", "w");
  if (null) stderr = null;
}

/* libFuzzer's data has no particular alignment; TML wants models 16-aligned
** in memory, as the CLI and devices load them. */
static inline uint8_t *fuzz_aligned_copy(const uint8_t *data, size_t size) {
  void *p = NULL;
  if (posix_memalign(&p, 16, size ? size : 1) != 0) abort();
  if (size) memcpy(p, data, size);
  return (uint8_t *)p;
}

/* A failing call must say what failed: the status it returned, and a
** message. */
static inline void fuzz_check_error(tml_status s, const tml_error *err) {
  FUZZ_ASSERT(s != TML_OK);
  FUZZ_ASSERT(err->status == s);
#if TML_ERROR_MESSAGES
  FUZZ_ASSERT(err->message[0] != '\0');
  FUZZ_ASSERT(memchr(err->message, '\0', sizeof err->message) != NULL);
#endif
}

static inline uint64_t fuzz_elements(const tml_model *m, int32_t t) {
  tml_tensor_view v;
  if (t < 0 || tml_model_tensor(m, t, &v, NULL) != TML_OK) return 0;
  return (uint64_t)v.elements;
}

/* Upper bound on the element operations of one invoke of a prepared model:
** every op touches its inputs and outputs once; ops with a reduction window
** multiply the output by the window. Only meaningful after tml_init
** succeeded (shapes are then consistent). */
static inline uint64_t fuzz_work(const tml_model *m) {
  uint64_t total = 0;
  uint32_t k, j;
  for (k = 0; k < m->n_ops; k++) {
    tml_op_view op;
    tml_tensor_view in, w;
    uint64_t out, io = 0;
    if (tml_model_op(m, (int32_t)k, &op, NULL) != TML_OK) return UINT64_MAX;
    for (j = 0; j < op.n_inputs; j++) io += fuzz_elements(m, tml_op_input(m, &op, j));
    for (j = 0; j < op.n_outputs; j++) io += fuzz_elements(m, tml_op_output(m, &op, j));
    total += io;
    out = fuzz_elements(m, tml_op_output(m, &op, 0));
    if (tml_model_tensor(m, tml_op_input(m, &op, 0), &in, NULL) != TML_OK)
      continue;
    switch (op.builtin) {
      case TML_OP_CONV_2D:
      case TML_OP_FULLY_CONNECTED:
        if (tml_model_tensor(m, tml_op_input(m, &op, 1), &w, NULL) == TML_OK &&
            w.rank > 0)
          total += out * ((uint64_t)w.elements / (uint64_t)w.dims[0]);
        break;
      case TML_OP_DEPTHWISE_CONV_2D:
        if (tml_model_tensor(m, tml_op_input(m, &op, 1), &w, NULL) == TML_OK &&
            w.rank == 4)
          total += out * (uint64_t)w.dims[1] * (uint64_t)w.dims[2];
        break;
      case TML_OP_AVERAGE_POOL_2D:
      case TML_OP_MAX_POOL_2D:
        /* The window is clipped to the image. */
        if (in.rank == 4)
          total += out * (uint64_t)in.dims[1] * (uint64_t)in.dims[2];
        break;
      case TML_OP_SVDF:
      case TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM:
        /* Every time step of every batch reads every weight. */
        if (in.rank > 0)
          for (j = 1; j < op.n_inputs; j++)
            total += (uint64_t)(in.elements / in.dims[in.rank - 1]) *
                     fuzz_elements(m, tml_op_input(m, &op, j));
        break;
      default:
        break;
    }
  }
  return total;
}

#endif
