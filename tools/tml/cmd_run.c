/*
** tml run MODEL --input IN --output OUT [--repeat N]
** IN holds every model input's raw bytes, concatenated in input order; OUT
** receives every output's raw bytes, concatenated in output order.
*/
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

int cmd_run(int argc, char **argv) {
  const char *path = NULL, *in_path = NULL, *out_path = NULL;
  long repeat = 1;
  cli_file f, in;
  tml_model m;
  tml_interp it;
  tml_error err;
  size_t arena_size, need, off;
  unsigned char *arena = NULL, *outbuf = NULL;
  int i, k, rc = 1;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--input") && i + 1 < argc)
      in_path = argv[++i];
    else if (!strcmp(argv[i], "--output") && i + 1 < argc)
      out_path = argv[++i];
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
      char *end;
      repeat = strtol(argv[++i], &end, 10);
      if (*end || repeat < 1) {
        cli_errorf("run: --repeat needs a positive count, not '%s'", argv[i]);
        return 2;
      }
    } else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("run: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path || !in_path || !out_path) {
    cli_errorf("usage: tml run MODEL --input IN --output OUT [--repeat N]");
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
  if (cli_read_file(in_path, &in) != 0) {
    cli_errorf("run: cannot read input '%s'", in_path);
    goto done;
  }
  need = io_bytes(&it, 0);
  if (in.size != need) {
    cli_errorf("run: input file '%s' has %zu bytes; the model's %d input(s) "
               "take %zu", in_path, in.size, tml_num_inputs(&it), need);
    cli_free_file(&in);
    goto done;
  }
  for (i = 0; i < repeat; i++) {
    tml_status s = TML_OK;
    /* Invoke may reuse an input's bytes once its last reader has run, so
    ** every repetition starts from the file's input again. */
    for (k = 0, off = 0; k < tml_num_inputs(&it) && s == TML_OK; k++) {
      tml_tensor t;
      tml_input(&it, k, &t);
      s = tml_set_input(&it, k, in.data + off, t.bytes);
      if (s != TML_OK)
        cli_errorf("run: input %d: %s%s", k, tml_status_name(s),
                   s == TML_ERR_NONFINITE ? " (NaN or Inf in float input)"
                                          : "");
      off += t.bytes;
    }
    if (s == TML_OK && (s = tml_invoke(&it)) != TML_OK)
      cli_errorf("run: invoke failed: %s", tml_status_name(s));
    if (s != TML_OK) {
      cli_free_file(&in);
      goto done;
    }
  }
  cli_free_file(&in);
  need = io_bytes(&it, 1);
  outbuf = malloc(need ? need : 1);
  if (!outbuf) goto done;
  for (k = 0, off = 0; k < tml_num_outputs(&it); k++) {
    tml_tensor t;
    tml_output(&it, k, &t);
    memcpy(outbuf + off, t.data, t.bytes);
    off += t.bytes;
  }
  if (cli_write_file(out_path, outbuf, need) != 0) {
    cli_errorf("run: cannot write output '%s'", out_path);
    goto done;
  }
  rc = 0;
done:
  free(outbuf);
  free(arena);
  cli_free_file(&f);
  return rc;
}
