/*
** tml eval MODEL --images FILE --labels FILE [--scale S] [--count N]
**                [--classes FILE]
** Classification accuracy over a data set of uint8 samples (one label byte
** each). A sample value v becomes the real input v * S, quantized with the
** model's input scale and zero point (or passed as float). Gray samples for
** a 3-channel input are replicated to RGB.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tml_cli.h"

#define MAX_CLASSES 1000

static int fill_input(const tml_tensor *t, const unsigned char *sample,
                      size_t n, int replicate, double scale) {
  size_t i;
  for (i = 0; i < n; i++) {
    const double real = sample[replicate ? i / 3 : i] * scale;
    if (t->type == TML_FLOAT32) {
      ((float *)t->data)[i] = (float)real;
    } else {
      double q = floor(real / (double)t->scale + 0.5) + t->zero_point;
      const double lo = t->type == TML_INT8 ? -128 : t->type == TML_INT16 ? -32768 : 0;
      const double hi = t->type == TML_INT8 ? 127 : t->type == TML_INT16 ? 32767 : 255;
      /* NaN (--scale nan, or an input without quantization) clamps low:
      ** converting it to an integer is undefined. */
      q = !(q >= lo) ? lo : q > hi ? hi : q;
      if (t->type == TML_INT8)
        ((int8_t *)t->data)[i] = (int8_t)q;
      else if (t->type == TML_INT16)
        ((int16_t *)t->data)[i] = (int16_t)q;
      else
        return -1;
    }
  }
  return 0;
}

static int argmax(const tml_tensor *t, int32_t n) {
  int32_t i, best = 0;
  for (i = 1; i < n; i++) {
    double a, b;
    if (t->type == TML_FLOAT32) {
      a = ((const float *)t->data)[i];
      b = ((const float *)t->data)[best];
    } else if (t->type == TML_INT8) {
      a = ((const int8_t *)t->data)[i];
      b = ((const int8_t *)t->data)[best];
    } else {
      a = ((const int16_t *)t->data)[i];
      b = ((const int16_t *)t->data)[best];
    }
    if (a > b) best = i;
  }
  return (int)best;
}

int cmd_eval(int argc, char **argv) {
  const char *path = NULL, *images_path = NULL, *labels_path = NULL,
             *classes_path = NULL;
  double scale = 1.0;
  long count = -1, i, correct = 0;
  long *per_total = NULL, *per_ok = NULL;
  cli_file f, images, labels, classes;
  tml_model m;
  tml_interp it;
  tml_error err;
  tml_tensor tin, tout;
  size_t arena_size, sample;
  unsigned char *arena = NULL;
  int rc = 1, replicate = 0, k;
  int32_t n_classes;

  memset(&images, 0, sizeof images);
  memset(&labels, 0, sizeof labels);
  memset(&classes, 0, sizeof classes);
  for (k = 1; k < argc; k++) {
    if (!strcmp(argv[k], "--images") && k + 1 < argc)
      images_path = argv[++k];
    else if (!strcmp(argv[k], "--labels") && k + 1 < argc)
      labels_path = argv[++k];
    else if (!strcmp(argv[k], "--classes") && k + 1 < argc)
      classes_path = argv[++k];
    else if (!strcmp(argv[k], "--scale") && k + 1 < argc)
      scale = atof(argv[++k]);
    else if (!strcmp(argv[k], "--count") && k + 1 < argc)
      count = atol(argv[++k]);
    else if (!path && argv[k][0] != '-')
      path = argv[k];
    else {
      cli_errorf("eval: unexpected argument '%s'", argv[k]);
      return 2;
    }
  }
  if (!path || !images_path || !labels_path) {
    cli_errorf("usage: tml eval MODEL --images FILE --labels FILE [--scale S] "
               "[--count N] [--classes FILE]");
    return 2;
  }
  if (cli_load_model(path, &f, &m) != 0) return 1;
  if (tml_arena_size(&m, &arena_size, &err) != TML_OK ||
      !(arena = cli_alloc(arena_size)) ||
      tml_init(&it, &m, arena, arena_size, &err) != TML_OK) {
    cli_report(path, &err);
    goto done;
  }
  if (tml_num_inputs(&it) != 1 || tml_num_outputs(&it) != 1) {
    cli_errorf("eval: the model must have one input and one output");
    goto done;
  }
  tml_input(&it, 0, &tin);
  tml_output(&it, 0, &tout);
  n_classes = tout.rank > 0 ? tout.dims[tout.rank - 1] : 1; /* scalar: 1 */
  if (tin.type != TML_FLOAT32 && tin.type != TML_INT8 && tin.type != TML_INT16) {
    cli_errorf("eval: input type %s is not supported", tml_type_name(tin.type));
    goto done;
  }
  if (n_classes < 1 || n_classes > MAX_CLASSES) {
    cli_errorf("eval: %ld classes; eval handles 1 to %d", (long)n_classes,
               MAX_CLASSES);
    goto done;
  }
  if (cli_read_file(images_path, &images) != 0 ||
      cli_read_file(labels_path, &labels) != 0) {
    cli_errorf("eval: cannot read '%s' or '%s'", images_path, labels_path);
    goto done;
  }
  sample = tin.bytes / tml_type_size(tin.type);
  if (labels.size && images.size == labels.size * sample) {
    replicate = 0;
  } else if (tin.rank == 4 && tin.dims[3] == 3 &&
             images.size == labels.size * (sample / 3)) {
    replicate = 1;
  } else {
    cli_errorf("eval: %zu image bytes for %zu labels; the model's input takes "
               "%zu values per sample", images.size, labels.size, sample);
    goto done;
  }
  if (count < 0 || (size_t)count > labels.size) count = (long)labels.size;
  per_total = calloc((size_t)n_classes, sizeof *per_total);
  per_ok = calloc((size_t)n_classes, sizeof *per_ok);
  if (!per_total || !per_ok) goto done;
  for (i = 0; i < count; i++) {
    const unsigned char *s =
        images.data + (size_t)i * (replicate ? sample / 3 : sample);
    int label = labels.data[i], pred;
    if (fill_input(&tin, s, sample, replicate, scale) != 0 ||
        tml_invoke(&it) != TML_OK) {
      cli_errorf("eval: sample %ld failed", i);
      goto done;
    }
    pred = argmax(&tout, n_classes);
    if (label < n_classes) {
      per_total[label]++;
      per_ok[label] += pred == label;
    }
    correct += pred == label;
  }
  if (classes_path) cli_read_file(classes_path, &classes);
  printf("accuracy: %.2f%% (%ld of %ld samples%s)\n",
         count ? 100.0 * (double)correct / (double)count : 0.0, correct,
         count, replicate ? ", gray replicated to RGB" : "");
  for (k = 0; k < n_classes; k++) {
    const char *name = NULL;
    int len = 0;
    if (!per_total[k]) continue;
    if (classes.data) {
      /* classes.txt: "INDEX NAME" per line. */
      const char *p = (const char *)classes.data,
                 *end = p + classes.size;
      int line = 0;
      while (p < end && line < k) {
        if (*p++ == '\n') line++;
      }
      while (p < end && *p != ' ' && *p != '\n') p++;
      if (p < end && *p == ' ') {
        name = ++p;
        while (p < end && *p != '\n' && *p != '\r') p++;
        len = (int)(p - name);
      }
    }
    printf("  class %d%s%.*s: %.1f%% of %ld\n", k, name ? " " : "", len,
           name ? name : "", 100.0 * (double)per_ok[k] / (double)per_total[k],
           per_total[k]);
  }
  rc = 0;
done:
  free(per_total);
  free(per_ok);
  free(arena);
  cli_free_file(&images);
  cli_free_file(&labels);
  cli_free_file(&classes);
  cli_free_file(&f);
  return rc;
}
