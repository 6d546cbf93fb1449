/*
** Bad input to the tml command, in-process: `tml run` input files of the
** wrong size or with NaN/Inf, bad options; `tml eval` on a model with a
** scalar output and with --scale nan (both found by fuzz/fuzz_cli.c);
** `tml compile` on a model whose output is a constant (fuzz/compiled.sh).
** Exit codes: 0 success, 1 bad data, 2 bad usage.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_models.h"
#include "tml_cli.h"
#include "tml_test.h"

static char dir[] = "/tmp/tml-test-cli-XXXXXX";
static char model_add[96], model_scalar[96], model_const_out[96],
    in_path[96], out_path[96];

static void write_model(int which, const char *path) {
  size_t size = 0;
  unsigned char *bytes = cli_model(which, &size);
  CHECK(bytes != NULL);
  CHECK_EQ(cli_write_file(path, bytes, size), 0);
  free(bytes);
}

static int run(const char *model, const void *in, size_t n, const char *opt,
               const char *val) {
  char *argv[10];
  int argc = 0;
  CHECK_EQ(cli_write_file(in_path, in, n), 0);
  argv[argc++] = "run";
  argv[argc++] = (char *)model;
  argv[argc++] = "--input";
  argv[argc++] = in_path;
  argv[argc++] = "--output";
  argv[argc++] = out_path;
  if (opt) argv[argc++] = (char *)opt;
  if (val) argv[argc++] = (char *)val;
  argv[argc] = NULL;
  return cmd_run(argc, argv);
}

static int eval(const char *model, const void *images, size_t n,
                const char *scale) {
  char *argv[10];
  int argc = 0;
  CHECK_EQ(cli_write_file(in_path, images, n), 0);
  argv[argc++] = "eval";
  argv[argc++] = (char *)model;
  argv[argc++] = "--images";
  argv[argc++] = in_path;
  argv[argc++] = "--labels";
  argv[argc++] = in_path;
  if (scale) {
    argv[argc++] = "--scale";
    argv[argc++] = (char *)scale;
  }
  argv[argc] = NULL;
  return cmd_eval(argc, argv);
}

int main(void) {
  float in[13] = {0}; /* 12 used: two [2,3] inputs; one more for a longer file */
  const unsigned char images[4] = {0, 1, 2, 255};
  cli_file out;

  if (!mkdtemp(dir)) return 1;
  snprintf(model_add, sizeof model_add, "%s/add.tflite", dir);
  snprintf(model_scalar, sizeof model_scalar, "%s/scalar.tflite", dir);
  snprintf(model_const_out, sizeof model_const_out, "%s/const_out.tflite",
           dir);
  snprintf(in_path, sizeof in_path, "%s/in", dir);
  snprintf(out_path, sizeof out_path, "%s/out", dir);
  write_model(CLI_MODEL_ADD, model_add);
  write_model(CLI_MODEL_SCALAR, model_scalar);
  write_model(CLI_MODEL_CONST_OUT, model_const_out);

  CHECK_EQ(run(model_add, in, 48, NULL, NULL), 0);
  CHECK_EQ(cli_read_file(out_path, &out), 0);
  CHECK_EQ(out.size, 24);
  cli_free_file(&out);
  CHECK_EQ(run(model_add, in, 48 - 1, NULL, NULL), 1);
  CHECK_EQ(run(model_add, in, 52, NULL, NULL), 1);
  CHECK_EQ(run(model_add, in, 0, NULL, NULL), 1);
  in[7] = NAN; /* the second input's second element */
  CHECK_EQ(run(model_add, in, 48, NULL, NULL), 1);
  in[7] = -INFINITY;
  CHECK_EQ(run(model_add, in, 48, NULL, NULL), 1);
  in[7] = 0;
  CHECK_EQ(run(model_add, in, 48, "--repeat", "3"), 0);
  CHECK_EQ(run(model_add, in, 48, "--repeat", "0"), 2);
  CHECK_EQ(run(model_add, in, 48, "--repeat", "2x"), 2);
  CHECK_EQ(run(model_add, in, 48, "--repeat", NULL), 2);
  CHECK_EQ(run(model_add, in, 48, "--bogus", NULL), 2);
  CHECK_EQ(run(in_path, in, sizeof in, NULL, NULL), 1); /* not a model */
  /* fuzz: a folder as a file made cli_read_file allocate LONG_MAX bytes */
  CHECK_EQ(run(dir, in, sizeof in, NULL, NULL), 1);
  {
    char *argv[7];
    argv[0] = "run";
    argv[1] = model_add;
    argv[2] = "--input";
    argv[3] = dir;
    argv[4] = "--output";
    argv[5] = out_path;
    argv[6] = NULL;
    CHECK_EQ(cmd_run(6, argv), 1);
  }

  /* fuzz: a scalar output read dims[-1]; --scale nan converted NaN to int */
  CHECK_EQ(eval(model_scalar, images, sizeof images, NULL), 0);
  CHECK_EQ(eval(model_scalar, images, sizeof images, "nan"), 0);
  CHECK_EQ(eval(model_scalar, images, sizeof images, "inf"), 0);
  CHECK_EQ(eval(model_add, images, sizeof images, NULL), 1); /* 2 inputs */

  /* compile: a constant output has no place in the generated arena */
  {
    char *argv[6];
    argv[0] = "compile";
    argv[1] = model_const_out;
    argv[2] = "-o";
    argv[3] = dir;
    argv[4] = "--name";
    argv[5] = "m";
    CHECK_EQ(cmd_compile(6, argv), 1);
    argv[1] = model_add;
    CHECK_EQ(cmd_compile(6, argv), 0);
    snprintf(out_path, sizeof out_path, "%s/m.c", dir);
    unlink(out_path);
    snprintf(out_path, sizeof out_path, "%s/m.h", dir);
    unlink(out_path);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
  }

  unlink(model_const_out);
  unlink(model_add);
  unlink(model_scalar);
  unlink(in_path);
  unlink(out_path);
  rmdir(dir);
  return TEST_REPORT();
}
