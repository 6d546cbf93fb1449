/*
** Runs models compiled by `tml compile` next to the interpreter on the same
** random inputs and compares every output byte. Built by test_compile_ops
** together with the generated files and `cases.h`, which includes every
** generated header and lists the models:
**   #define CASES(X) X(relu_s8, RELU_S8, 1) X(svdf_s8, SVDF_S8, 4) ...
** (prefix, macro prefix, invokes per round).
**
** Each model runs two rounds of `invokes` invokes. The built-in arena and a
** caller's arena of exactly NAME_ARENA_SIZE bytes alternate, so recurrent
** state must carry over between the two entry points. Between the rounds
** both sides reset; the second round repeats the first round's inputs, so
** its outputs must repeat too.
** usage: ops_driver DIR (where DIR/NAME.tflite are the models)
*/
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml.h"
#include "cases.h"

typedef struct compiled {
  const char *name;
  int (*invoke)(void);
  int (*invoke_arena)(void *arena);
  void *(*input)(int k);
  size_t (*input_size)(int k);
  size_t (*input_offset)(int k);
  void *(*output)(int k);
  size_t (*output_size)(int k);
  size_t (*output_offset)(int k);
  void (*reset)(void);
  size_t arena_size;
  int n_inputs, n_outputs;
  int invokes;
} compiled;

#define ROW(p, P, n)                                                       \
  {#p, p##_invoke, p##_invoke_arena, p##_input, p##_input_size,            \
   p##_input_offset, p##_output, p##_output_size, p##_output_offset,      \
   p##_reset, P##_ARENA_SIZE, P##_NUM_INPUTS, P##_NUM_OUTPUTS, n},
static const compiled models[] = {CASES(ROW)};

static unsigned rng;

static unsigned next(void) {
  rng = rng * 1103515245u + 12345u;
  return (rng >> 8) & 0xffffu;
}

/* Random bytes for a tensor; floats in [-4, 4), bools 0 or 1. */
static void fill(unsigned char *p, size_t bytes, int32_t type) {
  size_t i;
  if (type == TML_FLOAT32) {
    for (i = 0; i + 4 <= bytes; i += 4) {
      const float v = (float)next() / 8192.0f - 4.0f;
      memcpy(p + i, &v, 4);
    }
  } else {
    for (i = 0; i < bytes; i++)
      p[i] = (unsigned char)(type == TML_BOOL ? next() & 1 : next() & 0xff);
  }
}

static unsigned char *read_all(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  void *p = NULL;
  long n;
  if (!fp) return NULL;
  if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
      fseek(fp, 0, SEEK_SET) != 0 || posix_memalign(&p, 16, (size_t)n + 1)) {
    fclose(fp);
    return NULL;
  }
  if (fread(p, 1, (size_t)n, fp) != (size_t)n) {
    free(p);
    p = NULL;
  }
  *size = (size_t)n;
  fclose(fp);
  return p;
}

/* One model: 0 if the compiled code matched the interpreter throughout. */
static int check(const compiled *c, const char *dir) {
  char path[1024];
  unsigned char *model, *arena, *mine, *first[8] = {0};
  size_t model_size, arena_size;
  tml_model m;
  tml_interp it;
  tml_error err;
  int round, i, k, bad = 0;
  void *ap;

  snprintf(path, sizeof path, "%s/%s.tflite", dir, c->name);
  model = read_all(path, &model_size);
  if (!model || tml_model_load(&m, model, model_size, &err) != TML_OK ||
      tml_arena_size(&m, &arena_size, &err) != TML_OK ||
      posix_memalign(&ap, 16, arena_size) != 0 ||
      tml_init(&it, &m, (arena = ap), arena_size, &err) != TML_OK) {
    printf("FAIL %s: the interpreter cannot run %s\n", c->name, path);
    return 1;
  }
  /* Exactly the advertised size: a sanitizer sees any access beyond it. */
  mine = malloc(c->arena_size ? c->arena_size : 1);
  if (!mine || tml_num_inputs(&it) != c->n_inputs ||
      tml_num_outputs(&it) != c->n_outputs || c->n_outputs > 8) {
    printf("FAIL %s: input/output counts differ\n", c->name);
    return 1;
  }
  for (round = 0; round < 2 && !bad; round++) {
    rng = 1234u;
    if (round) {
      c->reset();
      tml_reset(&it);
    }
    for (i = 0; i < c->invokes && !bad; i++) {
      const int own = i & 1; /* the caller's arena on odd invokes */
      for (k = 0; k < c->n_inputs; k++) {
        tml_tensor t;
        unsigned char *in;
        tml_input(&it, k, &t);
        if (c->input_size(k) != t.bytes ||
            c->input_offset(k) + t.bytes > c->arena_size) {
          printf("FAIL %s: input %d size or offset\n", c->name, k);
          return 1;
        }
        in = own ? mine + c->input_offset(k) : c->input(k);
        fill(in, t.bytes, t.type);
        if (tml_set_input(&it, k, in, t.bytes) != TML_OK) return 1;
      }
      if ((own ? c->invoke_arena(mine) : c->invoke()) != 0 ||
          tml_invoke(&it) != TML_OK) {
        printf("FAIL %s: invoke failed\n", c->name);
        return 1;
      }
      for (k = 0; k < c->n_outputs; k++) {
        tml_tensor t;
        const unsigned char *got =
            own ? mine + c->output_offset(k) : c->output(k);
        tml_output(&it, k, &t);
        if (c->output_size(k) != t.bytes ||
            c->output_offset(k) + t.bytes > c->arena_size) {
          printf("FAIL %s: output %d size or offset\n", c->name, k);
          return 1;
        }
        if (memcmp(got, t.data, t.bytes) != 0) {
          printf("FAIL %s: invoke %d of round %d (%s arena): output %d "
                 "differs from the interpreter's\n",
                 c->name, i, round, own ? "caller's" : "built-in", k);
          bad = 1;
        }
        /* Only the first invoke's outputs are kept across rounds. */
        if (i == 0 && round == 0) {
          first[k] = malloc(t.bytes ? t.bytes : 1);
          if (first[k]) memcpy(first[k], got, t.bytes);
        } else if (i == 0 && first[k] && memcmp(first[k], got, t.bytes)) {
          printf("FAIL %s: output %d after reset differs from the first "
                 "invoke's\n", c->name, k);
          bad = 1;
        }
      }
    }
  }
  for (k = 0; k < 8; k++) free(first[k]);
  free(mine);
  free(arena);
  free(model);
  return bad;
}

int main(int argc, char **argv) {
  const int n = (int)(sizeof models / sizeof models[0]);
  int i, failed = 0;
  if (argc < 2) return 2;
  for (i = 0; i < n; i++) failed += check(&models[i], argv[1]);
  printf("%d compiled models, %d differ from the interpreter\n", n, failed);
  return failed ? 1 : 0;
}
