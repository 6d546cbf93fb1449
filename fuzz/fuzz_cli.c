/*
** Fuzz target: the tml command's input handling, in-process: `tml run` (input
** file size, NaN/Inf in float inputs, --repeat) and `tml eval` (data set
** files, --scale, --count), each with fuzzed extra arguments.
**
** Input layout: byte 0 picks the model; then NUL-terminated arguments, the
** first of which picks the command ("eval", anything else is "run"), up to
** an empty argument; the rest is the input file (for eval: the images and
** the labels file). The harness supplies the model and file arguments.
**
** Models: the shared hello_world_int8 and hello_world_float (if TML_SHARED
** is set), and two of tests/bad/cli_models.h: two float inputs into ADD, and
** an int8 input reshaped to a scalar output.
*/
#include "fuzz_common.h"
#include "cli_models.h"
#include "tml_cli.h"

#define MAX_ARGS 8

static char dir[512];
static char models[4][600];
static int n_models;

static void path_of(char *out, size_t n, const char *name) {
  snprintf(out, n, "%s/%s", dir, name);
}

static void cleanup(void) {
  static const char *const names[] = {"m0.tflite", "m1.tflite", "m2.tflite",
                                      "m3.tflite", "in", "out"};
  char path[600];
  size_t i;
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    path_of(path, sizeof path, names[i]);
    unlink(path);
  }
  rmdir(dir);
}

static void save(const void *bytes, size_t size) {
  path_of(models[n_models], sizeof models[0], "m0.tflite");
  models[n_models][strlen(models[n_models]) - 8] = (char)('0' + n_models);
  if (cli_write_file(models[n_models], bytes, size) != 0) abort();
  n_models++;
}

static void copy_shared(const char *shared, const char *name) {
  char path[1024];
  cli_file f;
  snprintf(path, sizeof path, "%s/models/tflite_micro/%s.tflite", shared, name);
  if (cli_read_file(path, &f) != 0) return;
  save(f.data, f.size);
  cli_free_file(&f);
}

static void write_models(void) {
  int k;
  for (k = CLI_MODEL_ADD; k <= CLI_MODEL_SCALAR; k++) {
    size_t size;
    unsigned char *bytes = cli_model(k, &size);
    if (!bytes) abort();
    save(bytes, size);
    free(bytes);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *shared = getenv("TML_SHARED");
  (void)argc;
  (void)argv;
  /* fuzz/run.sh points TMPDIR into the build folder: a crash leaves its
  ** files there, not in /tmp. */
  snprintf(dir, sizeof dir, "%s/tml-fuzz-cli-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) abort();
  atexit(cleanup);
  if (shared) {
    copy_shared(shared, "hello_world_int8");
    copy_shared(shared, "hello_world_float");
  }
  write_models();
  fuzz_quiet();
  return 0;
}

/* Whether run may succeed on these input bytes: a whole number of samples
** (tml run takes a batch of them), every float finite. */
static int run_may_succeed(const char *model, const uint8_t *in, size_t n) {
  cli_file f;
  tml_model m;
  tml_interp it;
  size_t need, sample = 0, at;
  uint8_t *arena;
  int k, ok = 1;
  if (cli_read_file(model, &f) != 0) abort();
  if (tml_model_load(&m, f.data, f.size, NULL) != TML_OK ||
      tml_arena_size(&m, &need, NULL) != TML_OK)
    abort();
  arena = cli_alloc(need);
  if (tml_init(&it, &m, arena, need, NULL) != TML_OK) abort();
  for (k = 0; k < tml_num_inputs(&it); k++) {
    tml_tensor t;
    tml_input(&it, k, &t);
    sample += t.bytes;
  }
  if (sample == 0 || n == 0 || n % sample != 0) ok = 0;
  for (at = 0; ok && at < n; at += sample) {
    size_t off = at;
    for (k = 0; k < tml_num_inputs(&it); k++) {
      tml_tensor t;
      size_t i;
      tml_input(&it, k, &t);
      for (i = 0; t.type == TML_FLOAT32 && i + 4 <= t.bytes; i += 4)
        if ((in[off + i + 3] & 0x7f) == 0x7f && (in[off + i + 2] & 0x80))
          ok = 0;
      off += t.bytes;
    }
  }
  free(arena);
  cli_free_file(&f);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *tok[MAX_ARGS], *argv[MAX_ARGS + 8], *copy;
  char in_path[600], out_path[600];
  const char *model;
  size_t pos = 1, n_tok = 0, file_size, k;
  int argc = 0, eval, rc;

  if (size < 1 || n_models == 0) return 0;
  model = models[data[0] % n_models];
  copy = malloc(size + 1);
  memcpy(copy, data, size);
  copy[size] = '\0';
  /* Arguments: NUL-terminated strings up to an empty one. */
  while (pos < size && copy[pos] != '\0' && n_tok < MAX_ARGS) {
    tok[n_tok++] = copy + pos;
    pos += strlen(copy + pos) + 1;
  }
  if (pos < size && copy[pos] == '\0') pos++;
  file_size = pos < size ? size - pos : 0;
  eval = n_tok > 0 && !strcmp(tok[0], "eval");
  /* --repeat N runs the model N times, as asked: not a hang to report. */
  for (k = 1; k + 1 < n_tok; k++)
    if (!strcmp(tok[k], "--repeat") && strtol(tok[k + 1], NULL, 10) > 16) {
      free(copy);
      return 0;
    }

  path_of(in_path, sizeof in_path, "in");
  path_of(out_path, sizeof out_path, "out");
  if (cli_write_file(in_path, data + pos, file_size) != 0) abort();
  unlink(out_path);
  argv[argc++] = eval ? "eval" : "run";
  argv[argc++] = (char *)model;
  argv[argc++] = eval ? "--images" : "--input";
  argv[argc++] = in_path;
  for (k = 1; k < n_tok; k++) argv[argc++] = tok[k];
  argv[argc++] = eval ? "--labels" : "--output";
  argv[argc++] = eval ? in_path : out_path;
  argv[argc] = NULL;

  rc = eval ? cmd_eval(argc, argv) : cmd_run(argc, argv);
  FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
  if (!eval && rc == 0)
    FUZZ_ASSERT(run_may_succeed(model, data + pos, file_size));
  free(copy);
  return 0;
}
