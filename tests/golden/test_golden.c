/*
** Golden test: every case of $TML_SHARED/golden/MANIFEST.tsv through the
** interpreter. Integer outputs must equal the reference byte for byte; float
** outputs must lie within 1e-4 relative (1e-5 absolute) of it.
**
** usage: test_golden [SHARED_DIR] [MODEL_FILTER]
*/
#define _POSIX_C_SOURCE 200112L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml.h"

static unsigned char *read_all(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  unsigned char *buf = NULL;
  long n;
  void *p = NULL;
  if (!fp) return NULL;
  if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
      fseek(fp, 0, SEEK_SET) == 0 &&
      posix_memalign(&p, 16, (size_t)n + 1) == 0) {
    buf = p;
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
      free(buf);
      buf = NULL;
    } else {
      *size = (size_t)n;
    }
  }
  fclose(fp);
  return buf;
}

/* Compare one output; returns the number of mismatching elements. */
static long compare(const tml_tensor *t, const unsigned char *want,
                    double *max_err) {
  long bad = 0;
  size_t i;
  if (t->type == TML_FLOAT32) {
    for (i = 0; i < t->bytes / 4; i++) {
      float g, w;
      double d;
      memcpy(&g, (const unsigned char *)t->data + 4 * i, 4);
      memcpy(&w, want + 4 * i, 4);
      d = fabs((double)g - (double)w);
      if (d > *max_err) *max_err = d;
      if (!(d <= 1e-5 + 1e-4 * fabs((double)w))) bad++;
    }
  } else {
    for (i = 0; i < t->bytes; i++)
      if (((const unsigned char *)t->data)[i] != want[i]) bad++;
  }
  return bad;
}

static int run_case(const char *shared, const char *model_path,
                    const char *case_name, long in_bytes, long out_bytes) {
  char path[1024];
  unsigned char *model = NULL, *in = NULL, *want = NULL, *arena = NULL;
  size_t model_size = 0, in_size = 0, want_size = 0, arena_size = 0, off;
  tml_model m;
  tml_interp it;
  tml_error err;
  double max_err = 0;
  long bad = 0;
  int k, ok = 0;
  void *p;

  snprintf(path, sizeof path, "%s/%s", shared, model_path);
  model = read_all(path, &model_size);
  snprintf(path, sizeof path, "%s/golden/%s.in", shared, case_name);
  in = read_all(path, &in_size);
  snprintf(path, sizeof path, "%s/golden/%s.out", shared, case_name);
  want = read_all(path, &want_size);
  if (!model || !in || !want) {
    printf("FAIL %s: cannot read model or case files\n", case_name);
    goto done;
  }
  if ((long)in_size != in_bytes || (long)want_size != out_bytes) {
    printf("FAIL %s: case files do not match the manifest sizes\n", case_name);
    goto done;
  }
  if (tml_model_load(&m, model, model_size, &err) != TML_OK ||
      tml_arena_size(&m, &arena_size, &err) != TML_OK) {
    printf("FAIL %s: %s: %s\n", case_name, tml_status_name(err.status),
           err.message);
    goto done;
  }
  if (posix_memalign(&p, 16, arena_size) != 0) goto done;
  arena = p;
  /* Poison the arena: results must not depend on what it held before. */
  memset(arena, 0xa5, arena_size);
  if (tml_init(&it, &m, arena, arena_size, &err) != TML_OK) {
    printf("FAIL %s: init: %s: %s\n", case_name, tml_status_name(err.status),
           err.message);
    goto done;
  }
  for (k = 0, off = 0; k < tml_num_inputs(&it); k++) {
    tml_tensor t;
    tml_input(&it, k, &t);
    if (off + t.bytes > in_size ||
        tml_set_input(&it, k, in + off, t.bytes) != TML_OK) {
      printf("FAIL %s: input %d does not fit the case\n", case_name, k);
      goto done;
    }
    off += t.bytes;
  }
  if (tml_invoke(&it) != TML_OK) {
    printf("FAIL %s: invoke\n", case_name);
    goto done;
  }
  for (k = 0, off = 0; k < tml_num_outputs(&it); k++) {
    tml_tensor t;
    tml_output(&it, k, &t);
    if (off + t.bytes > want_size) {
      printf("FAIL %s: outputs larger than the reference\n", case_name);
      goto done;
    }
    bad += compare(&t, want + off, &max_err);
    off += t.bytes;
  }
  if (off != want_size) {
    printf("FAIL %s: outputs are %zu bytes, reference %zu\n", case_name, off,
           want_size);
    goto done;
  }
  if (bad) {
    printf("FAIL %s: %ld element(s) differ (max abs error %g)\n", case_name,
           bad, max_err);
    goto done;
  }
  printf("ok   %s (arena %zu B%s)\n", case_name, arena_size,
         max_err > 0 ? ", float within tolerance" : ", bit-exact");
  ok = 1;
done:
  free(model);
  free(in);
  free(want);
  free(arena);
  return ok;
}

int main(int argc, char **argv) {
  const char *shared = argc > 1 ? argv[1] : getenv("TML_SHARED");
  const char *filter = argc > 2 ? argv[2] : NULL;
  char path[1024], line[2048];
  int total = 0, passed = 0;
  FILE *fp;

  if (!shared) shared = "../shared";
  snprintf(path, sizeof path, "%s/golden/MANIFEST.tsv", shared);
  fp = fopen(path, "r");
  if (!fp) {
    fprintf(stderr, "test_golden: cannot open %s (set TML_SHARED)\n", path);
    return 1;
  }
  while (fgets(line, sizeof line, fp)) {
    char model[512], name[512], type[64], sha[64];
    long in_bytes, out_bytes;
    if (sscanf(line, "%511s %511s %63s %ld %ld %63s", model, name, type,
               &in_bytes, &out_bytes, sha) != 6 ||
        !strcmp(model, "model"))
      continue;
    if (filter && !strstr(name, filter)) continue;
    total++;
    passed += run_case(shared, model, name, in_bytes, out_bytes);
  }
  fclose(fp);
  printf("golden: %d/%d cases pass\n", passed, total);
  return total > 0 && passed == total ? 0 : 1;
}
