/*
** fuzz_runtime.h — the model target's checks, shared with the writer target:
** a model's bytes through tml_model_load, tml_arena_size, tml_init (with the
** arena asked for and one byte less), tml_set_input and tml_invoke.
**
** Properties checked beyond "no crash, no sanitizer report":
**   - every failure returns a status, fills err with it and a message;
**   - tml_arena_size and tml_init agree: the size asked for is enough, one
**     byte less is TML_ERR_ARENA_TOO_SMALL, and a failure of one is a
**     failure of the other with the same code;
**   - init and invoke write nowhere outside the arena: guard bytes around it
**     and the model's own bytes stay unchanged; inputs and outputs lie in it;
**   - tml_set_input refuses a wrong size and NaN/Inf in float inputs.
*/
#ifndef FUZZ_RUNTIME_H
#define FUZZ_RUNTIME_H

#include "fuzz_common.h"

#define GUARD 64

static void fill_guard(uint8_t *p) {
  size_t i;
  for (i = 0; i < GUARD; i++) p[i] = (uint8_t)(0xa5 ^ i);
}

static int guard_intact(const uint8_t *p) {
  size_t i;
  for (i = 0; i < GUARD; i++)
    if (p[i] != (uint8_t)(0xa5 ^ i)) return 0;
  return 1;
}

/* Input bytes from the fuzz data: finite floats for float inputs. */
static void make_input(const tml_tensor *t, const uint8_t *seed, size_t n,
                       uint8_t *out) {
  size_t i;
  if (t->type == TML_FLOAT32) {
    for (i = 0; i + 4 <= t->bytes; i += 4) {
      const float v = (float)(int8_t)(n ? seed[(i / 4) % n] : 0) / 16.0f;
      memcpy(out + i, &v, 4);
    }
  } else {
    for (i = 0; i < t->bytes; i++) out[i] = n ? seed[i % n] : 0;
  }
}

static int inside(const uint8_t *lo, size_t n, const void *p, size_t bytes) {
  const uint8_t *b = (const uint8_t *)p;
  return b >= lo && bytes <= n && (size_t)(b - lo) <= n - bytes;
}

static void run(const tml_model *m, size_t need, const uint8_t *data,
                size_t size) {
  uint8_t *block = NULL, *arena;
  tml_interp it;
  tml_error err;
  tml_status s;
  int k, pass;

  if (posix_memalign((void **)&block, 16, need + 2 * GUARD) != 0) abort();
  arena = block + GUARD;
  fill_guard(block);
  fill_guard(arena + need);

  if (need > 0) {
    s = tml_init(&it, m, arena, need - 1, &err);
    FUZZ_ASSERT(s == TML_ERR_ARENA_TOO_SMALL);
    fuzz_check_error(s, &err);
  }
  memset(arena, 0xcd, need);
  s = tml_init(&it, m, arena, need, &err);
  if (s != TML_OK) fprintf(stderr, "tml_init: %s\n", err.message);
  FUZZ_ASSERT(s == TML_OK);
  FUZZ_ASSERT(it.arena_used == need);
  FUZZ_ASSERT(guard_intact(block) && guard_intact(arena + need));

  for (k = 0; k < tml_num_inputs(&it) + tml_num_outputs(&it); k++) {
    tml_tensor t;
    if (k < tml_num_inputs(&it))
      FUZZ_ASSERT(tml_input(&it, k, &t) == TML_OK);
    else
      FUZZ_ASSERT(tml_output(&it, k - tml_num_inputs(&it), &t) == TML_OK);
    /* A model output may be a constant: it is then read from the model. */
    FUZZ_ASSERT(inside(arena, need, t.data, t.bytes) ||
                (k >= tml_num_inputs(&it) &&
                 inside(m->data, m->size, t.data, t.bytes)));
  }
  if (need > FUZZ_MAX_ARENA || fuzz_work(m) > FUZZ_MAX_WORK) goto done;

  /* Twice: recurrent state carries over from the first invoke. */
  for (pass = 0; pass < 2; pass++) {
    for (k = 0; k < tml_num_inputs(&it); k++) {
      tml_tensor t;
      uint8_t *buf;
      tml_input(&it, k, &t);
      buf = (uint8_t *)malloc(t.bytes + 4);
      if (!buf) abort();
      make_input(&t, data, size, buf);
      FUZZ_ASSERT(tml_set_input(&it, k, buf, t.bytes + 1) == TML_ERR_INPUT_SIZE);
      if (t.type == TML_FLOAT32 && t.bytes >= 4) {
        const uint8_t nan[4] = {0, 0, 0xc0, 0x7f};
        uint8_t saved[4];
        const size_t at = (t.bytes / 4 - 1) * 4;
        memcpy(saved, buf + at, 4);
        memcpy(buf + at, nan, 4);
        FUZZ_ASSERT(tml_set_input(&it, k, buf, t.bytes) == TML_ERR_NONFINITE);
        memcpy(buf + at, saved, 4);
      }
      FUZZ_ASSERT(tml_set_input(&it, k, buf, t.bytes) == TML_OK);
      free(buf);
    }
    FUZZ_ASSERT(tml_invoke(&it) == TML_OK);
    FUZZ_ASSERT(guard_intact(block) && guard_intact(arena + need));
  }
  FUZZ_ASSERT(tml_reset(&it) == TML_OK);
done:
  free(block);
}

/* The checks on a model held in `model` (16-aligned; `copy` holds the same
** bytes, to see that TML changed nothing); `seed` fills the inputs. */
static void fuzz_runtime(const uint8_t *model, const uint8_t *copy,
                         size_t size, const uint8_t *seed, size_t seed_size) {
  tml_model m;
  tml_error err;
  size_t need;
  tml_status s = tml_model_load(&m, model, size, &err);
  if (s != TML_OK) {
    fuzz_check_error(s, &err);
  } else if ((s = tml_arena_size(&m, &need, &err)) != TML_OK) {
    fuzz_check_error(s, &err);
    if (s != TML_ERR_LIMIT) {
      /* tml_init fails the same way (or earlier, planning in the arena). */
      static uint8_t arena[1 << 16] __attribute__((aligned(16)));
      tml_interp it;
      tml_status s2 = tml_init(&it, &m, arena, sizeof arena, &err);
      FUZZ_ASSERT(s2 == s || s2 == TML_ERR_ARENA_TOO_SMALL);
      fuzz_check_error(s2, &err);
    }
  } else if (need <= FUZZ_MAX_INIT_ARENA) {
    run(&m, need, seed, seed_size);
  }
  FUZZ_ASSERT(size == 0 || memcmp(model, copy, size) == 0);
}

#endif
