/*
** tml bench MODEL [--json] [--repeat N] [--warmup N] [--zero]
** Times N invokes on fixed pseudo-random input (zeros with --zero; float
** inputs uniform in [-1, 1]) and reports the median latency, the model's
** MACs and MACs per second at the median. Inputs are set before each invoke
** (an invoke may reuse their bytes), outside the timed part.
*/
#define _POSIX_C_SOURCE 200112L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tml_cli.h"

static uint32_t next_rand(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void fill_input(const tml_tensor *t, unsigned char *buf, int zero,
                       uint32_t *seed) {
  size_t i;
  if (zero) {
    memset(buf, 0, t->bytes);
  } else if (t->type == TML_FLOAT32) {
    for (i = 0; i + sizeof(float) <= t->bytes; i += sizeof(float)) {
      const float v = (float)(next_rand(seed) % 2001) / 1000.0f - 1.0f;
      memcpy(buf + i, &v, sizeof v);
    }
  } else {
    for (i = 0; i < t->bytes; i++) buf[i] = (unsigned char)next_rand(seed);
  }
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int parse_count(const char *opt, const char *s, long min, long *v) {
  char *end;
  *v = strtol(s, &end, 10);
  if (*end || *v < min) {
    cli_errorf("bench: %s needs a count >= %ld, not '%s'", opt, min, s);
    return -1;
  }
  return 0;
}

int cmd_bench(int argc, char **argv) {
  const char *path = NULL;
  long repeat = 50, warmup = 2, r;
  int json = 0, zero = 0, i, k, n_in, rc = 1;
  uint32_t seed = 0x2545F491u;
  cli_file f;
  tml_model m;
  tml_interp it;
  tml_error err;
  size_t arena_size;
  unsigned char *arena = NULL, **inputs = NULL;
  double *times = NULL, median;
  uint64_t macs;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json"))
      json = 1;
    else if (!strcmp(argv[i], "--zero"))
      zero = 1;
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
      if (parse_count("--repeat", argv[++i], 1, &repeat)) return 2;
    } else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) {
      if (parse_count("--warmup", argv[++i], 0, &warmup)) return 2;
    } else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("bench: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path) {
    cli_errorf(
        "usage: tml bench MODEL [--json] [--repeat N] [--warmup N] [--zero]");
    return 2;
  }
  if (cli_load_model(path, &f, &m) != 0) return 1;
  if (tml_arena_size(&m, &arena_size, &err) != TML_OK) {
    cli_report(path, &err);
    goto done;
  }
  arena = cli_alloc(arena_size);
  if (!arena || tml_init(&it, &m, arena, arena_size, &err) != TML_OK) {
    if (arena) cli_report(path, &err);
    goto done;
  }
  n_in = tml_num_inputs(&it);
  inputs = calloc((size_t)n_in + 1, sizeof *inputs);
  times = malloc(sizeof *times * (size_t)repeat);
  if (!inputs || !times) goto done;
  for (k = 0; k < n_in; k++) {
    tml_tensor t;
    tml_input(&it, k, &t);
    if (!(inputs[k] = malloc(t.bytes + 1))) goto done;
    fill_input(&t, inputs[k], zero, &seed);
  }
  for (r = -warmup; r < repeat; r++) {
    double t0;
    tml_status s = TML_OK;
    for (k = 0; k < n_in && s == TML_OK; k++) {
      tml_tensor t;
      tml_input(&it, k, &t);
      s = tml_set_input(&it, k, inputs[k], t.bytes);
    }
    t0 = now_us();
    if (s == TML_OK) s = tml_invoke(&it);
    if (s != TML_OK) {
      cli_errorf("bench: invoke failed: %s", tml_status_name(s));
      goto done;
    }
    if (r >= 0) times[r] = now_us() - t0;
  }
  qsort(times, (size_t)repeat, sizeof *times, cmp_double);
  median = repeat % 2 ? times[repeat / 2]
                      : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;
  macs = cli_model_macs(&m);
  if (json) {
    printf("{\"model\": ");
    cli_json_string(stdout, path, strlen(path));
    printf(
        ", \"repeat\": %ld, \"median_us\": %.3f, \"min_us\": %.3f, "
        "\"max_us\": %.3f, \"macs\": %llu, \"macs_per_s\": %.0f, "
        "\"arena_bytes\": %zu}\n",
        repeat, median, times[0], times[repeat - 1], (unsigned long long)macs,
        median > 0 ? (double)macs / (median * 1e-6) : 0.0, arena_size);
  } else {
    printf("model:   %s\n", path);
    printf("invokes: %ld (after %ld warm-up)\n", repeat, warmup);
    printf("latency: median %.1f us, min %.1f us, max %.1f us\n", median,
           times[0], times[repeat - 1]);
    printf("MACs:    %llu (%.2f GMAC/s at the median)\n",
           (unsigned long long)macs,
           median > 0 ? (double)macs / (median * 1e3) : 0.0);
  }
  rc = 0;
done:
  if (inputs)
    for (k = 0; inputs[k]; k++) free(inputs[k]);
  free(inputs);
  free(times);
  free(arena);
  cli_free_file(&f);
  return rc;
}
