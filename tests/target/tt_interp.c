/*
** The model under test through TML's interpreter (tt_model.h): load the
** model bytes embedded by tt_gen, plan into a static arena, invoke.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tml.h"
#include "tt_model.h"

/* Upper bound for every model of the firmware; the report gives what the
** model really uses (it.arena_used). Section .arena: kept out of .bss in
** size reports, and not zeroed at reset (setup poisons it instead). */
#ifndef TT_ARENA_SIZE
#define TT_ARENA_SIZE (1024 * 1024)
#endif
static uint8_t arena[TT_ARENA_SIZE]
    __attribute__((aligned(16), section(".arena")));

static tml_model model;
static tml_interp it;

int tt_model_setup(const tt_data *d) {
  tml_error err;
  if (!d->model) {
    printf("FAIL %s: no model bytes in this firmware\n", d->model_name);
    return 1;
  }
  if ((uintptr_t)d->model & 15) {
    printf("FAIL %s: model at %p is not 16-byte aligned\n", d->model_name,
           (const void *)d->model);
    return 1;
  }
  /* Poison the arena: results must not depend on what it held before. */
  memset(arena, 0xa5, sizeof arena);
  if (tml_model_load(&model, d->model, d->model_size, &err) != TML_OK ||
      tml_init(&it, &model, arena, sizeof arena, &err) != TML_OK) {
#if TML_ERROR_MESSAGES
    printf("FAIL %s: %s: %s\n", d->model_name, tml_status_name(err.status),
           err.message);
#else
    printf("FAIL %s: %s\n", d->model_name, tml_status_name(err.status));
#endif
    return 1;
  }
  return 0;
}

int tt_model_invoke(void) { return tml_invoke(&it) != TML_OK; }

void *tt_model_input(int k) {
  tml_tensor t;
  return tml_input(&it, k, &t) == TML_OK ? t.data : NULL;
}

size_t tt_model_input_size(int k) {
  tml_tensor t;
  return tml_input(&it, k, &t) == TML_OK ? t.bytes : 0;
}

void *tt_model_output(int k) {
  tml_tensor t;
  return tml_output(&it, k, &t) == TML_OK ? t.data : NULL;
}

size_t tt_model_output_size(int k) {
  tml_tensor t;
  return tml_output(&it, k, &t) == TML_OK ? t.bytes : 0;
}

int tt_model_output_is_float(int k) {
  tml_tensor t;
  return tml_output(&it, k, &t) == TML_OK && t.type == TML_FLOAT32;
}

size_t tt_model_arena_used(void) { return it.arena_used; }

const char *tt_model_kind(void) { return "interpreter"; }
