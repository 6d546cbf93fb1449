/*
** tml run MODEL --input IN --output OUT [--repeat N] [--batch N]
**         [--threads T]
** IN holds every model input's raw bytes, concatenated in input order; OUT
** receives every output's raw bytes, concatenated in output order. A batch
** of N items is N such input records one after the other (--batch N, or an
** input file of N whole records); OUT then holds the N output records in the
** same order. Threads split the batch into contiguous runs of items, each
** with its own interpreter and arena (an interpreter is not shared).
*/
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tml_cli.h"

static size_t io_bytes(const tml_interp *it, int outputs) {
  int k, n = outputs ? tml_num_outputs(it) : tml_num_inputs(it);
  size_t total = 0;
  for (k = 0; k < n; k++) {
    tml_tensor t;
    if (outputs)
      tml_output(it, k, &t);
    else
      tml_input(it, k, &t);
    total += t.bytes;
  }
  return total;
}

/* One thread's share of the batch. */
typedef struct run_job {
  const tml_model *m;
  size_t arena_size;
  const unsigned char *in; /* the first item's input record */
  unsigned char *out;      /* the first item's output record */
  size_t in_bytes, out_bytes;
  long count, repeat;
  int rc;
} run_job;

static int run_items(run_job *j) {
  tml_interp it;
  tml_error err;
  unsigned char *arena = cli_alloc(j->arena_size);
  long item, r;
  int k, rc = 1;
  if (!arena) return 1;
  if (tml_init(&it, j->m, arena, j->arena_size, &err) != TML_OK) {
    cli_report("run", &err);
    goto done;
  }
  for (item = 0; item < j->count; item++) {
    const unsigned char *in = j->in + (size_t)item * j->in_bytes;
    unsigned char *out = j->out + (size_t)item * j->out_bytes;
    size_t off;
    for (r = 0; r < j->repeat; r++) {
      tml_status s = TML_OK;
      /* Invoke may reuse an input's bytes once its last reader has run, so
      ** every repetition starts from the file's input again. */
      for (k = 0, off = 0; k < tml_num_inputs(&it) && s == TML_OK; k++) {
        tml_tensor t;
        tml_input(&it, k, &t);
        s = tml_set_input(&it, k, in + off, t.bytes);
        if (s != TML_OK)
          cli_errorf("run: item %ld, input %d: %s%s", item, k,
                     tml_status_name(s),
                     s == TML_ERR_NONFINITE ? " (NaN or Inf in float input)"
                                            : "");
        off += t.bytes;
      }
      if (s == TML_OK && (s = tml_invoke(&it)) != TML_OK)
        cli_errorf("run: invoke failed: %s", tml_status_name(s));
      if (s != TML_OK) goto done;
    }
    for (k = 0, off = 0; k < tml_num_outputs(&it); k++) {
      tml_tensor t;
      tml_output(&it, k, &t);
      memcpy(out + off, t.data, t.bytes);
      off += t.bytes;
    }
  }
  rc = 0;
done:
  free(arena);
  return rc;
}

static void *run_thread(void *arg) {
  run_job *j = arg;
  j->rc = run_items(j);
  return NULL;
}

/* Runs the batch on `threads` threads (the calling one when 1). */
static int run_batch(const run_job *whole, long threads) {
  run_job *jobs = calloc((size_t)threads, sizeof *jobs);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  long t, started = 0, first = 0;
  int rc = 0;
  if (!jobs || !ids) {
    free(jobs);
    free(ids);
    return 1;
  }
  for (t = 0; t < threads; t++) {
    const long end = whole->count * (t + 1) / threads;
    jobs[t] = *whole;
    jobs[t].in += (size_t)first * whole->in_bytes;
    jobs[t].out += (size_t)first * whole->out_bytes;
    jobs[t].count = end - first;
    first = end;
  }
  if (threads == 1) {
    rc = run_items(&jobs[0]);
  } else {
    for (t = 0; t < threads; t++, started++)
      if (pthread_create(&ids[t], NULL, run_thread, &jobs[t]) != 0) {
        cli_errorf("run: cannot start thread %ld", t + 1);
        rc = 1;
        break;
      }
    for (t = 0; t < started; t++) {
      pthread_join(ids[t], NULL);
      rc |= jobs[t].rc;
    }
  }
  free(jobs);
  free(ids);
  return rc;
}

static int parse_count(const char *opt, const char *s, long *v) {
  char *end;
  *v = strtol(s, &end, 10);
  if (*end || *v < 1) {
    cli_errorf("run: %s needs a positive count, not '%s'", opt, s);
    return -1;
  }
  return 0;
}

int cmd_run(int argc, char **argv) {
  const char *path = NULL, *in_path = NULL, *out_path = NULL;
  long repeat = 1, batch = 0, threads = 1;
  cli_file f, in = {NULL, 0};
  tml_model m;
  tml_interp it;
  tml_error err;
  run_job job;
  size_t arena_size;
  unsigned char *arena = NULL, *outbuf = NULL;
  int i, rc = 1;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--input") && i + 1 < argc)
      in_path = argv[++i];
    else if (!strcmp(argv[i], "--output") && i + 1 < argc)
      out_path = argv[++i];
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
      if (parse_count("--repeat", argv[++i], &repeat)) return 2;
    } else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
      if (parse_count("--batch", argv[++i], &batch)) return 2;
    } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      if (parse_count("--threads", argv[++i], &threads)) return 2;
    } else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("run: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path || !in_path || !out_path) {
    cli_errorf(
        "usage: tml run MODEL --input IN --output OUT [--repeat N] "
        "[--batch N] [--threads T]");
    return 2;
  }
  if (cli_load_model(path, &f, &m) != 0) return 1;
  if (tml_arena_size(&m, &arena_size, &err) != TML_OK) {
    cli_report(path, &err);
    goto done;
  }
  /* An interpreter of our own tells the record sizes. */
  arena = cli_alloc(arena_size);
  if (!arena || tml_init(&it, &m, arena, arena_size, &err) != TML_OK) {
    if (arena) cli_report(path, &err);
    goto done;
  }
  if (cli_read_file(in_path, &in) != 0) {
    cli_errorf("run: cannot read input '%s'", in_path);
    goto done;
  }
  job.m = &m;
  job.arena_size = arena_size;
  job.in_bytes = io_bytes(&it, 0);
  job.out_bytes = io_bytes(&it, 1);
  job.repeat = repeat;
  job.count = batch ? batch
              : job.in_bytes && in.size % job.in_bytes == 0
                  ? (long)(in.size / job.in_bytes)
                  : 1;
  if (job.count < 1 || in.size != (size_t)job.count * job.in_bytes) {
    cli_errorf(
        "run: input file '%s' has %zu bytes; the model's %d input(s) "
        "take %zu%s",
        in_path, in.size, tml_num_inputs(&it), job.in_bytes,
        batch ? " per item" : "");
    goto done;
  }
  outbuf = malloc(job.out_bytes * (size_t)job.count + 1);
  if (!outbuf) goto done;
  job.in = in.data;
  job.out = outbuf;
  if (run_batch(&job, threads < job.count ? threads : job.count) != 0)
    goto done;
  if (cli_write_file(out_path, outbuf, job.out_bytes * (size_t)job.count) !=
      0) {
    cli_errorf("run: cannot write output '%s'", out_path);
    goto done;
  }
  rc = 0;
done:
  cli_free_file(&in);
  free(outbuf);
  free(arena);
  cli_free_file(&f);
  return rc;
}
