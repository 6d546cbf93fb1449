/*
** File I/O and error reporting for the tml command.
*/
#define _POSIX_C_SOURCE 200112L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tml_cli.h"
#include "tml_kernels.h"

void *cli_alloc(size_t size) {
  void *p = NULL;
  if (posix_memalign(&p, 16, size ? size : 1) != 0) return NULL;
  return p;
}

int cli_read_file(const char *path, cli_file *f) {
  FILE *fp = fopen(path, "rb");
  struct stat st;
  long n;
  f->data = NULL;
  f->size = 0;
  if (!fp) return -1;
  /* A folder opens too, and its end is at LONG_MAX. */
  if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) ||
      fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
      fseek(fp, 0, SEEK_SET) != 0) {
    fclose(fp);
    return -1;
  }
  f->data = cli_alloc((size_t)n);
  if (!f->data || fread(f->data, 1, (size_t)n, fp) != (size_t)n) {
    free(f->data);
    f->data = NULL;
    fclose(fp);
    return -1;
  }
  f->size = (size_t)n;
  fclose(fp);
  return 0;
}

void cli_free_file(cli_file *f) {
  free(f->data);
  f->data = NULL;
  f->size = 0;
}

int cli_write_file(const char *path, const void *data, size_t size) {
  FILE *fp = fopen(path, "wb");
  int ok;
  if (!fp) return -1;
  ok = fwrite(data, 1, size, fp) == size;
  ok = (fclose(fp) == 0) && ok;
  return ok ? 0 : -1;
}

void cli_errorf(const char *fmt, ...) {
  va_list ap;
  fputs("tml: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

void cli_report(const char *what, const tml_error *err) {
#if TML_ERROR_MESSAGES
  cli_errorf("%s: %s: %s", what, tml_status_name(err->status), err->message);
#else
  cli_errorf("%s: %s", what, tml_status_name(err->status));
#endif
}

int cli_load_model(const char *path, cli_file *f, tml_model *m) {
  tml_error err;
  if (cli_read_file(path, f) != 0) {
    cli_errorf("cannot read model '%s'", path);
    return -1;
  }
  if (tml_model_load(m, f->data, f->size, &err) != TML_OK) {
    cli_report(path, &err);
    cli_free_file(f);
    return -1;
  }
  return 0;
}

void cli_json_string(FILE *out, const char *s, size_t n) {
  size_t i;
  fputc('"', out);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static const struct {
  const char *name, *macro;
  int kset;
} ksets[] = {{"portable", "TML_KSET_PORTABLE", TML_KSET_PORTABLE},
             {"arm-dsp", "TML_KSET_ARM_DSP", TML_KSET_ARM_DSP},
             {"any", "TML_KSET_ANY", TML_KSET_ANY}};

int cli_kset(const char *name) {
  size_t i;
  for (i = 0; i < sizeof ksets / sizeof ksets[0]; i++)
    if (!strcmp(name, ksets[i].name)) return ksets[i].kset;
  return -1;
}

const char *cli_kset_name(int kset) {
  size_t i;
  for (i = 0; i < sizeof ksets / sizeof ksets[0]; i++)
    if (ksets[i].kset == kset) return ksets[i].name;
  return "?";
}

const char *cli_kset_macro(int kset) {
  size_t i;
  for (i = 0; i < sizeof ksets / sizeof ksets[0]; i++)
    if (ksets[i].kset == kset) return ksets[i].macro;
  return "?";
}
