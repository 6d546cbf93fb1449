/*
** Fuzz target: `tml compile` on hostile models, in-process (cli_compile, the
** command's work without its argument parsing). A model TML cannot prepare
** must fail cleanly; one it prepares must compile to C (or fail with "no
** emitter yet") without a crash or a sanitizer report in the emitters. The
** files go to a private temporary folder, rewritten by every input.
*/
#include "fuzz_common.h"
#include "tml_cli.h"
#include "tml_kernels.h"

static char dir[512];

static void cleanup(void) {
  char path[600];
  snprintf(path, sizeof path, "%s/m.c", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/m.h", dir);
  unlink(path);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  /* fuzz/run.sh points TMPDIR into the build folder: a crash leaves its
  ** files there, not in /tmp. */
  snprintf(dir, sizeof dir, "%s/tml-fuzz-compile-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) abort();
  atexit(cleanup);
  fuzz_quiet();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *model = fuzz_aligned_copy(data, size);
  tml_model m;
  tml_error err;
  size_t need;
  if (tml_model_load(&m, model, size, &err) == TML_OK &&
      tml_arena_size(&m, &need, &err) == TML_OK && need <= FUZZ_MAX_INIT_ARENA) {
    const int rc = cli_compile(&m, "fuzz", dir, "m", TML_KSET_ANY);
    FUZZ_ASSERT(rc == 0 || rc == 1);
    if (rc == 0) {
      char path[600];
      FILE *fp;
      snprintf(path, sizeof path, "%s/m.c", dir);
      fp = fopen(path, "r");
      FUZZ_ASSERT(fp != NULL);
      fclose(fp);
    }
  }
  FUZZ_ASSERT(size == 0 || memcmp(model, data, size) == 0);
  free(model);
  return 0;
}
