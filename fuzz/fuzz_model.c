/*
** Fuzz target: hostile .tflite bytes through the whole runtime: the reader
** (tml_model_load), the planner (tml_arena_size), prepare (tml_init) and
** tml_set_input/tml_invoke. The checks are in fuzz_runtime.h.
*/
#include "fuzz_runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *model = fuzz_aligned_copy(data, size);
  fuzz_runtime(model, data, size, data, size);
  free(model);
  return 0;
}
