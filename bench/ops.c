/*
** Per-operator profile firmware: the model of tt_golden (its first case as
** input), planned by tml_init, then every kernel record run on its own
** between perf markers, in order, as tml_invoke would. Under the insncount
** plugin region k + 1 is op k's instruction count; the firmware prints which
** op each region is. bench/run.sh --ops prints the table.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"
#include "tml_runtime.h"
#include "tt_data.h"

static uint8_t arena[TT_ARENA_SIZE]
    __attribute__((aligned(16), section(".arena")));

__attribute__((noinline)) static void run_op(const tml_rec *r) {
  perf_begin();
  r->eval(r);
  perf_end();
}

int main(void) {
  const tt_data *d = &tt_golden;
  tml_model model;
  tml_interp it;
  tml_error err;
  tml_tensor t;
  const uint8_t *p;
  uint32_t k;
  size_t off = 0;
  int i;
  if (tml_model_load(&model, d->model, d->model_size, &err) != TML_OK ||
      tml_init(&it, &model, arena, sizeof arena, &err) != TML_OK) {
    printf("FAIL %s: %s\n", d->model_name, tml_status_name(err.status));
    return 1;
  }
  for (i = 0; tml_input(&it, i, &t) == TML_OK; i++) {
    memcpy(t.data, d->cases[0].in + off, t.bytes);
    off += t.bytes;
  }
  for (k = 0, p = it.records; k < it.n_ops; k++) {
    const tml_rec *r = (const tml_rec *)(const void *)p;
    tml_op_view op;
    tml_model_op(&model, (int32_t)k, &op, NULL);
    printf("op %u %s\n", (unsigned)k, tml_op_name(op.builtin));
    run_op(r);
    p += r->size;
  }
  return 0;
}
