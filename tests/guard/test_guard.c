/*
** TML touches only the memory it is given: every golden case runs with the
** model in read-only pages, the input right before an inaccessible page, and
** the arena twice, once ending right before an inaccessible page and once
** starting right after one. Any write to the model, any access past the
** arena's ends or past the input segfaults the test.
**
** usage: test_guard [SHARED_DIR]
*/
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tml.h"

static size_t page;

/* At least n bytes between two inaccessible pages: [lo, end). */
typedef struct guarded {
  unsigned char *map;
  size_t map_size;
  unsigned char *lo, *end;
} guarded;

static int guarded_alloc(guarded *g, size_t n) {
  const size_t body = (n + page - 1) / page * page;
  g->map_size = body + 2 * page;
  g->map = mmap(NULL, g->map_size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (g->map == MAP_FAILED) return -1;
  if (mprotect(g->map, page, PROT_NONE) != 0 ||
      mprotect(g->map + page + body, page, PROT_NONE) != 0)
    return -1;
  g->lo = g->map + page;
  g->end = g->lo + body;
  return 0;
}

static void guarded_free(guarded *g) { munmap(g->map, g->map_size); }

static unsigned char *read_all(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  unsigned char *buf;
  long n;
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  buf = malloc(n > 0 ? (size_t)n : 1);
  if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(fp);
  *size = (size_t)n;
  return buf;
}

static int run_case(const char *shared, const char *model_path,
                    const char *case_name) {
  char path[1024];
  unsigned char *model_bytes, *in_bytes;
  size_t model_size = 0, in_size = 0, need, off;
  guarded gm, gi, ga;
  tml_model m;
  tml_interp it;
  tml_error err;
  int pass, k, ok = 1;

  snprintf(path, sizeof path, "%s/%s", shared, model_path);
  model_bytes = read_all(path, &model_size);
  snprintf(path, sizeof path, "%s/golden/%s.in", shared, case_name);
  in_bytes = read_all(path, &in_size);
  if (!model_bytes || !in_bytes) {
    printf("FAIL %s: cannot read the model or the input\n", case_name);
    return 0;
  }
  /* The model read-only at a page start (16-aligned, as TML wants). */
  if (guarded_alloc(&gm, model_size) != 0 || guarded_alloc(&gi, in_size) != 0)
    return 0;
  memcpy(gm.lo, model_bytes, model_size);
  mprotect(gm.lo, (size_t)(gm.end - gm.lo), PROT_READ);
  memcpy(gi.end - in_size, in_bytes, in_size);

  if (tml_model_load(&m, gm.lo, model_size, &err) != TML_OK ||
      tml_arena_size(&m, &need, &err) != TML_OK) {
    printf("FAIL %s: %s\n", case_name, err.message);
    return 0;
  }
  for (pass = 0; pass < 2 && ok; pass++) {
    unsigned char *arena;
    if (guarded_alloc(&ga, need) != 0) return 0;
    /* Pass 0: the arena ends at the guard; pass 1: it starts after one. */
    arena = pass ? ga.lo
                 : (unsigned char *)((uintptr_t)(ga.end - need) & ~(uintptr_t)7);
    if (tml_init(&it, &m, arena, need, &err) != TML_OK) {
      printf("FAIL %s: init: %s\n", case_name, err.message);
      ok = 0;
    }
    for (k = 0, off = 0; ok && k < tml_num_inputs(&it); k++) {
      tml_tensor t;
      tml_input(&it, k, &t);
      if (off + t.bytes > in_size ||
          tml_set_input(&it, k, gi.end - in_size + off, t.bytes) != TML_OK)
        ok = 0;
      off += t.bytes;
    }
    if (ok && tml_invoke(&it) != TML_OK) {
      printf("FAIL %s: invoke\n", case_name);
      ok = 0;
    }
    guarded_free(&ga);
  }
  if (ok) printf("ok   %s (arena %zu B)\n", case_name, need);
  guarded_free(&gm);
  guarded_free(&gi);
  free(model_bytes);
  free(in_bytes);
  return ok;
}

int main(int argc, char **argv) {
  const char *shared = argc > 1 ? argv[1] : getenv("TML_SHARED");
  char path[1024], line[2048];
  int total = 0, passed = 0;
  FILE *fp;

  page = (size_t)sysconf(_SC_PAGESIZE);
  if (!shared) shared = "../shared";
  snprintf(path, sizeof path, "%s/golden/MANIFEST.tsv", shared);
  fp = fopen(path, "r");
  if (!fp) {
    fprintf(stderr, "test_guard: cannot open %s (set TML_SHARED)\n", path);
    return 1;
  }
  while (fgets(line, sizeof line, fp)) {
    char model[512], name[512];
    if (sscanf(line, "%511s %511s", model, name) != 2 || !strcmp(model, "model"))
      continue;
    total++;
    passed += run_case(shared, model, name);
  }
  fclose(fp);
  printf("guard: %d/%d cases pass\n", passed, total);
  return total > 0 && passed == total ? 0 : 1;
}
