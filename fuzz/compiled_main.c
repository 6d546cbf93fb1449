/*
** Runs a model compiled by `tml compile` (built with ASan+UBSan and
** -DMODEL_HEADER, -DMODEL_PREFIX, -DMODEL_UPPER as tests/compile does) next
** to the interpreter on the same input: the generated code must neither
** access memory out of bounds nor differ from the interpreter's bytes.
** usage: compiled_main MODEL.tflite
*/
#define _POSIX_C_SOURCE 200112L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml.h"
#include MODEL_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define M(x) CAT(MODEL_PREFIX, x)
#define U(x) CAT(MODEL_UPPER, x)

/* Equal bytes; for floats, NaN equals any NaN: the generated code writes
** NaN weights as NAN, which keeps neither sign nor payload. */
static int same(int32_t type, const void *a, const void *b, size_t n) {
  size_t i;
  if (type != TML_FLOAT32) return memcmp(a, b, n) == 0;
  for (i = 0; i + 4 <= n; i += 4) {
    float x, y;
    memcpy(&x, (const uint8_t *)a + i, 4);
    memcpy(&y, (const uint8_t *)b + i, 4);
    if (memcmp(&x, &y, 4) != 0 && !(isnan(x) && isnan(y))) return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  unsigned char *model = NULL, *arena = NULL;
  size_t size = 0, need;
  tml_model m;
  tml_interp it;
  int pass, k;
  long n;
  FILE *fp = argc > 1 ? fopen(argv[1], "rb") : NULL;
  if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
      fseek(fp, 0, SEEK_SET) != 0 ||
      posix_memalign((void **)&model, 16, (size_t)n + 1) != 0 ||
      fread(model, 1, (size_t)n, fp) != (size_t)n)
    return 2;
  fclose(fp);
  size = (size_t)n;
  if (tml_model_load(&m, model, size, NULL) != TML_OK ||
      tml_arena_size(&m, &need, NULL) != TML_OK ||
      posix_memalign((void **)&arena, 16, need) != 0 ||
      tml_init(&it, &m, arena, need, NULL) != TML_OK ||
      tml_num_inputs(&it) != U(_NUM_INPUTS) ||
      tml_num_outputs(&it) != U(_NUM_OUTPUTS))
    return 2;
  /* Twice: recurrent state must carry over alike. Inputs: small finite
  ** values of any type (0x11 bytes). */
  for (pass = 0; pass < 2; pass++) {
    for (k = 0; k < U(_NUM_INPUTS); k++) {
      tml_tensor t;
      tml_input(&it, k, &t);
      if (M(_input_size)(k) != t.bytes) return 1;
      memset(M(_input)(k), 0x11, t.bytes);
      memset(t.data, 0x11, t.bytes);
    }
    if (M(_invoke)() != 0 || tml_invoke(&it) != TML_OK) return 1;
    for (k = 0; k < U(_NUM_OUTPUTS); k++) {
      tml_tensor t;
      tml_output(&it, k, &t);
      if (M(_output_size)(k) != t.bytes ||
          !same(t.type, M(_output)(k), t.data, t.bytes)) {
        fprintf(stderr, "%s: output %d differs from the interpreter's\n",
                argv[1], k);
        return 1;
      }
    }
  }
  free(arena);
  free(model);
  return 0;
}
