/*
** A model compiled by `tml compile` must give, on every golden case, the
** interpreter's output bytes exactly (and so the reference's).
** Built once per model with MODEL_HEADER, MODEL_PREFIX (the generated
** functions' prefix) and MODEL_UPPER (its macros' prefix) defined.
** usage: test_compiled SHARED_DIR MODEL_PATH (as in MANIFEST.tsv)
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

int main(int argc, char **argv) {
  char path[1024], line[2048];
  unsigned char *model, *arena;
  size_t model_size, arena_size;
  tml_model m;
  tml_interp it;
  tml_error err;
  FILE *fp;
  int cases = 0, failed = 0, k;
  void *ap;

  if (argc < 3) return 2;
  snprintf(path, sizeof path, "%s/%s", argv[1], argv[2]);
  model = read_all(path, &model_size);
  if (!model || tml_model_load(&m, model, model_size, &err) != TML_OK ||
      tml_arena_size(&m, &arena_size, &err) != TML_OK ||
      posix_memalign(&ap, 16, arena_size) != 0) {
    fprintf(stderr, "cannot load %s\n", path);
    return 1;
  }
  arena = ap;
  if (tml_init(&it, &m, arena, arena_size, &err) != TML_OK) return 1;
  if (tml_num_inputs(&it) != U(_NUM_INPUTS) ||
      tml_num_outputs(&it) != U(_NUM_OUTPUTS)) {
    fprintf(stderr, "input/output counts differ from the interpreter's\n");
    return 1;
  }
  snprintf(path, sizeof path, "%s/golden/MANIFEST.tsv", argv[1]);
  fp = fopen(path, "r");
  if (!fp) return 1;
  while (fgets(line, sizeof line, fp)) {
    char mp[512], name[512];
    unsigned char *in, *want;
    size_t in_size, want_size, off, woff;
    if (sscanf(line, "%511s %511s", mp, name) != 2 || strcmp(mp, argv[2]))
      continue;
    snprintf(path, sizeof path, "%s/golden/%s.in", argv[1], name);
    in = read_all(path, &in_size);
    snprintf(path, sizeof path, "%s/golden/%s.out", argv[1], name);
    want = read_all(path, &want_size);
    if (!in || !want) return 1;
    cases++;
    for (k = 0, off = 0; k < U(_NUM_INPUTS); k++) {
      tml_tensor t;
      tml_input(&it, k, &t);
      if (M(_input_size)(k) != t.bytes || off + t.bytes > in_size) return 1;
      memcpy(M(_input)(k), in + off, t.bytes);
      tml_set_input(&it, k, in + off, t.bytes);
      off += t.bytes;
    }
    if (M(_invoke)() != 0 || tml_invoke(&it) != TML_OK) return 1;
    for (k = 0, woff = 0; k < U(_NUM_OUTPUTS); k++) {
      tml_tensor t;
      const unsigned char *got = M(_output)(k);
      size_t i, n = M(_output_size)(k);
      tml_output(&it, k, &t);
      if (n != t.bytes || woff + n > want_size) return 1;
      if (memcmp(got, t.data, n) != 0) {
        printf("FAIL %s: output %d differs from the interpreter's\n", name, k);
        failed++;
      } else if (t.type != TML_FLOAT32 && memcmp(got, want + woff, n) != 0) {
        printf("FAIL %s: output %d differs from the reference\n", name, k);
        failed++;
      } else if (t.type == TML_FLOAT32) {
        for (i = 0; i + 4 <= n; i += 4) {
          float g, w;
          memcpy(&g, got + i, 4);
          memcpy(&w, want + woff + i, 4);
          if (!(fabs((double)g - w) <= 1e-5 + 1e-4 * fabs((double)w))) {
            printf("FAIL %s: output %d element %lu: %g, reference %g\n", name,
                   k, (unsigned long)(i / 4), (double)g, (double)w);
            failed++;
            break;
          }
        }
      }
      woff += n;
    }
    free(in);
    free(want);
  }
  fclose(fp);
  printf("%s: %d cases, %d failed (compiled = interpreter)\n", argv[2], cases,
         failed);
  free(model);
  free(arena);
  return cases > 0 && failed == 0 ? 0 : 1;
}
