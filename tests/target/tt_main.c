/*
** Target test harness: run every golden case of tt_golden (tt_data.h) through
** the model under test (tt_model.h) on the device and check the output bytes:
** integer outputs identical, float32 within 1e-4 relative / 1e-5 absolute of
** the reference, as tests/golden/test_golden.c does on the host.
**
** Each invoke runs between perf_begin()/perf_end(): under the insncount
** plugin (port/cortex-m/run.sh -p) region k is case k's instruction count.
** The stack below the harness is painted before each setup and invoke, and
** the deepest use of each is reported. Exit status 0 when every case passes.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"
#include "stack.h"
#include "tt_data.h"
#include "tt_model.h"

/* Mismatching elements of output k against `want`. */
static long compare(int k, const unsigned char *got, const unsigned char *want,
                    size_t bytes, double *max_err) {
  long bad = 0;
  size_t i;
  if (tt_model_output_is_float(k)) {
    for (i = 0; i + 4 <= bytes; i += 4) {
      float g, w;
      double d;
      memcpy(&g, got + i, 4);
      memcpy(&w, want + i, 4);
      d = fabs((double)g - (double)w);
      if (d > *max_err) *max_err = d;
      if (!(d <= 1e-5 + 1e-4 * fabs((double)w))) bad++;
    }
  } else {
    for (i = 0; i < bytes; i++)
      if (got[i] != want[i]) bad++;
  }
  return bad;
}

/* x as "d.dde-N" into buf: newlib-nano's printf has no %g (unless linked
** with _printf_float, which costs flash). */
static const char *fmt_err(double x, char *buf, size_t n) {
  int e = 0;
  long m;
  if (!(x > 0) || x > 1e30) {
    snprintf(buf, n, x > 0 ? "huge" : "0");
    return buf;
  }
  while (x >= 10) x /= 10, e++;
  while (x < 1) x *= 10, e--;
  m = (long)(x * 100 + 0.5);
  if (m >= 1000) m /= 10, e++;
  snprintf(buf, n, "%ld.%02lde%d", m / 100, m % 100, e);
  return buf;
}

/* Keep the invoke a call between the markers. */
__attribute__((noinline)) static int timed_invoke(void) {
  int rc;
  perf_begin();
  rc = tt_model_invoke();
  perf_end();
  return rc;
}

typedef struct stack_report {
  size_t setup, invoke;
} stack_report;

static int run_case(const tt_data *d, const tt_case *c, stack_report *stack) {
  size_t off, n, used;
  char num[24];
  double max_err = 0;
  long bad = 0;
  uintptr_t top;
  int k, rc;

  top = stack_paint();
  rc = tt_model_setup(d);
  used = stack_used(top);
  if (used > stack->setup) stack->setup = used;
  if (rc != 0) return 0;
  for (k = 0, off = 0; off < c->in_bytes; k++) {
    void *p = tt_model_input(k);
    n = tt_model_input_size(k);
    if (!p || n == 0 || off + n > c->in_bytes) {
      printf("FAIL %s: input %d does not fit the case\n", c->name, k);
      return 0;
    }
    memcpy(p, c->in + off, n);
    off += n;
  }
  if (tt_model_input(k)) {
    printf("FAIL %s: the case has bytes for %d input(s), the model more\n",
           c->name, k);
    return 0;
  }

  top = stack_paint();
  rc = timed_invoke();
  used = stack_used(top);
  if (used > stack->invoke) stack->invoke = used;
  if (rc != 0) {
    printf("FAIL %s: invoke returned %d\n", c->name, rc);
    return 0;
  }

  for (k = 0, off = 0; off < c->out_bytes; k++) {
    const unsigned char *p = tt_model_output(k);
    n = tt_model_output_size(k);
    if (!p || n == 0 || off + n > c->out_bytes) {
      printf("FAIL %s: output %d does not fit the reference\n", c->name, k);
      return 0;
    }
    bad += compare(k, p, c->out + off, n, &max_err);
    off += n;
  }
  if (tt_model_output(k)) {
    printf("FAIL %s: the model has more outputs than the reference\n", c->name);
    return 0;
  }
  if (bad) {
    if (max_err > 0)
      printf("FAIL %s: %ld element(s) differ (max abs error %s)\n", c->name,
             bad, fmt_err(max_err, num, sizeof num));
    else
      printf("FAIL %s: %ld byte(s) differ\n", c->name, bad);
    return 0;
  }
  if (max_err > 0)
    printf("ok   %s (float within tolerance, max abs error %s)\n", c->name,
           fmt_err(max_err, num, sizeof num));
  else
    printf("ok   %s (bit-exact)\n", c->name);
  return 1;
}

int main(void) {
  const tt_data *d = &tt_golden;
  stack_report stack = {0, 0};
  int k, passed = 0;

  printf("%s: %d golden case(s), %s, model %lu bytes\n", d->model_name,
         d->n_cases, tt_model_kind(), (unsigned long)d->model_size);
  for (k = 0; k < d->n_cases; k++) passed += run_case(d, &d->cases[k], &stack);
  printf("arena_used: %lu bytes\n", (unsigned long)tt_model_arena_used());
  printf("stack: invoke used %lu bytes, setup %lu bytes (of %lu)\n",
         (unsigned long)stack.invoke, (unsigned long)stack.setup,
         (unsigned long)stack_size());
  printf("golden: %d/%d cases pass\n", passed, d->n_cases);
  return passed == d->n_cases ? 0 : 1;
}
