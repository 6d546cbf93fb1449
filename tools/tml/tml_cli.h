/*
** tml_cli.h — shared pieces of the `tml` command's subcommands.
*/
#ifndef TML_CLI_H
#define TML_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tml.h"

/* A file read whole into 16-byte aligned memory (models need the alignment
** their flatbuffer promises). */
typedef struct cli_file {
  unsigned char *data;
  size_t size;
} cli_file;

/* 16-byte aligned malloc (free with free()). */
void *cli_alloc(size_t size);
int cli_read_file(const char *path, cli_file *f);
void cli_free_file(cli_file *f);
int cli_write_file(const char *path, const void *data, size_t size);

/* Load and validate a model; prints the error and returns non-zero on
** failure. */
int cli_load_model(const char *path, cli_file *f, tml_model *m);
/* Print "tml: <what>: <status>: <message>" to stderr. */
void cli_report(const char *what, const tml_error *err);
void cli_errorf(const char *fmt, ...);

/* Multiply-accumulates of one invoke (CONV_2D, DEPTHWISE_CONV_2D,
** FULLY_CONNECTED, SVDF, LSTM), as `tml info` counts them. */
uint64_t cli_model_macs(const tml_model *m);

/* The kernel sets `--kernels` names (portable, arm-dsp, any): TML_KSET_*,
** or -1 for an unknown name; and back, to the name or the macro's name. */
int cli_kset(const char *name);
const char *cli_kset_name(int kset);
const char *cli_kset_macro(int kset);

/* JSON string escaping for names (which come from the model). */
void cli_json_string(FILE *out, const char *s, size_t n);

/* tml compile's work, apart from its arguments (the compiler fuzz target
** calls it): write DIR/CNAME.c and DIR/CNAME.h for a loaded model, planned
** for the kernel set kset (TML_KSET_*). `what` names the model in error
** reports. Returns 0, or 1 after printing why. */
int cli_compile(const tml_model *m, const char *what, const char *dir,
                const char *cname, int kset);

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
