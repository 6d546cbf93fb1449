/*
** cli_models.h — small models for the tml command's bad-input test and for
** its fuzz target (fuzz/fuzz_cli.c).
*/
#ifndef CLI_MODELS_H
#define CLI_MODELS_H

#include <stdlib.h>

#include "tflite_writer.h"
#include "tml_reader.h"

enum {
  CLI_MODEL_ADD,       /* float [2,3] + float [2,3] -> float [2,3] */
  CLI_MODEL_SCALAR,    /* int8 [1] reshaped to an int8 scalar output */
  CLI_MODEL_CONST_OUT  /* the ADD, with a constant as its second output */
};

/* The model's bytes (malloc'd), or NULL if the writer fails. */
static unsigned char *cli_model(int which, size_t *size) {
  const int32_t d23[2] = {2, 3}, d1[1] = {1}, io01[2] = {0, 1}, io2[1] = {2},
                io23[2] = {2, 3}, io0[1] = {0}, io1[1] = {1};
  const float c[6] = {1, 2, 3, 4, 5, 6}, scale = 0.5f;
  const int64_t zp = 3;
  unsigned char *bytes = NULL;
  tflw_model *w = tflw_new();
  if (which == CLI_MODEL_SCALAR) {
    tflw_tensor(w, "x", TML_INT8, 1, d1, 0, &scale, &zp, 1, 0, 0);
    tflw_tensor(w, "scalar", TML_INT8, 0, NULL, 0, &scale, &zp, 1, 0, 0);
    tflw_op(w, TML_OP_RESHAPE, 1, io0, 1, io1, 1, TFLW_NO_OPTIONS, NULL, 0);
    tflw_io(w, io0, 1, io1, 1);
  } else {
    tflw_tensor(w, "a", TML_FLOAT32, 2, d23, 0, NULL, NULL, 0, 0, 0);
    tflw_tensor(w, "b", TML_FLOAT32, 2, d23, 0, NULL, NULL, 0, 0, 0);
    tflw_tensor(w, "sum", TML_FLOAT32, 2, d23, 0, NULL, NULL, 0, 0, 0);
    if (which == CLI_MODEL_CONST_OUT)
      tflw_tensor(w, "c", TML_FLOAT32, 2, d23, tflw_buffer(w, c, sizeof c),
                  NULL, NULL, 0, 0, 0);
    tflw_op(w, TML_OP_ADD, 1, io01, 2, io2, 1, TFLW_NO_OPTIONS, NULL, 0);
    tflw_io(w, io01, 2, which == CLI_MODEL_CONST_OUT ? io23 : io2,
            which == CLI_MODEL_CONST_OUT ? 2 : 1);
  }
  if (tflw_finish(w, &bytes, size) != 0) bytes = NULL;
  tflw_free(w);
  return bytes;
}

#endif
