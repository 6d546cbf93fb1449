/*
** tml info MODEL [--json]: what a model holds and what it costs.
*/
#include <stdlib.h>
#include <string.h>

#include "tml_cli.h"
#include "tml_reader.h"

/* How to print the builtin options of each options table (schema.fbs). */
enum { K_I32, K_U8, K_BOOL, K_F32, K_PAD, K_ACT, K_VEC };
typedef struct opt_field {
  int id;
  const char *name;
  int kind;
  int32_t def;
} opt_field;
typedef struct opt_table {
  int tag;
  const opt_field *fields;
} opt_table;

static const opt_field conv_f[] = {
  { 0, "padding", K_PAD, 0 }, { 1, "stride_w", K_I32, 0 },
  { 2, "stride_h", K_I32, 0 }, { 3, "activation", K_ACT, 0 },
  { 4, "dilation_w", K_I32, 1 }, { 5, "dilation_h", K_I32, 1 }, { -1, 0, 0, 0 }
};
static const opt_field dw_f[] = {
  { 0, "padding", K_PAD, 0 }, { 1, "stride_w", K_I32, 0 },
  { 2, "stride_h", K_I32, 0 }, { 3, "depth_multiplier", K_I32, 0 },
  { 4, "activation", K_ACT, 0 }, { 5, "dilation_w", K_I32, 1 },
  { 6, "dilation_h", K_I32, 1 }, { -1, 0, 0, 0 }
};
static const opt_field pool_f[] = {
  { 0, "padding", K_PAD, 0 }, { 1, "stride_w", K_I32, 0 },
  { 2, "stride_h", K_I32, 0 }, { 3, "filter_w", K_I32, 0 },
  { 4, "filter_h", K_I32, 0 }, { 5, "activation", K_ACT, 0 }, { -1, 0, 0, 0 }
};
static const opt_field svdf_f[] = {
  { 0, "rank", K_I32, 0 }, { 1, "activation", K_ACT, 0 },
  { 2, "asymmetric_quantize_inputs", K_BOOL, 0 }, { -1, 0, 0, 0 }
};
static const opt_field fc_f[] = {
  { 0, "activation", K_ACT, 0 }, { 1, "weights_format", K_U8, 0 },
  { 2, "keep_num_dims", K_BOOL, 0 },
  { 3, "asymmetric_quantize_inputs", K_BOOL, 0 }, { -1, 0, 0, 0 }
};
static const opt_field softmax_f[] = { { 0, "beta", K_F32, 0 }, { -1, 0, 0, 0 } };
static const opt_field concat_f[] = {
  { 0, "axis", K_I32, 0 }, { 1, "activation", K_ACT, 0 }, { -1, 0, 0, 0 }
};
static const opt_field add_f[] = {
  { 0, "activation", K_ACT, 0 }, { 1, "pot_scale_int16", K_BOOL, 1 },
  { -1, 0, 0, 0 }
};
static const opt_field act_f[] = { { 0, "activation", K_ACT, 0 }, { -1, 0, 0, 0 } };
static const opt_field reshape_f[] = { { 0, "new_shape", K_VEC, 0 }, { -1, 0, 0, 0 } };
static const opt_field reducer_f[] = { { 0, "keep_dims", K_BOOL, 0 }, { -1, 0, 0, 0 } };
static const opt_field squeeze_f[] = { { 0, "squeeze_dims", K_VEC, 0 }, { -1, 0, 0, 0 } };
static const opt_field slice_f[] = {
  { 0, "begin_mask", K_I32, 0 }, { 1, "end_mask", K_I32, 0 },
  { 2, "ellipsis_mask", K_I32, 0 }, { 3, "new_axis_mask", K_I32, 0 },
  { 4, "shrink_axis_mask", K_I32, 0 }, { 5, "offset", K_BOOL, 0 },
  { -1, 0, 0, 0 }
};
static const opt_field lstm_f[] = {
  { 0, "activation", K_ACT, 0 }, { 1, "cell_clip", K_F32, 0 },
  { 2, "proj_clip", K_F32, 0 }, { 3, "time_major", K_BOOL, 0 },
  { 4, "asymmetric_quantize_inputs", K_BOOL, 0 }, { -1, 0, 0, 0 }
};
static const opt_field leaky_f[] = { { 0, "alpha", K_F32, 0 }, { -1, 0, 0, 0 } };

static const opt_table tables[] = {
  { 1, conv_f }, { 2, dw_f }, { 5, pool_f }, { 6, svdf_f }, { 8, fc_f },
  { 9, softmax_f }, { 10, concat_f }, { 11, add_f }, { 17, reshape_f },
  { 21, act_f }, { 27, reducer_f }, { 28, add_f }, { 30, squeeze_f },
  { 32, slice_f }, { 71, lstm_f }, { 75, leaky_f }
};

static const char *const act_names[] = { "NONE", "RELU", "RELU_N1_TO_1",
                                          "RELU6", "TANH", "SIGN_BIT" };

static void print_options(FILE *out, const tml_model *m, const tml_op_view *op,
                          int json) {
  size_t t;
  const opt_field *f = NULL;
  int first = 1;
  if (json) fputc('{', out);
  if (!op->has_options) goto done;
  for (t = 0; t < sizeof tables / sizeof tables[0]; t++)
    if (tables[t].tag == op->options_type) f = tables[t].fields;
  for (; f && f->id >= 0; f++) {
    const tml_fb_table *tb = &op->options;
    if (json)
      fprintf(out, "%s\"%s\": ", first ? "" : ", ", f->name);
    else
      fprintf(out, " %s=", f->name);
    first = 0;
    switch (f->kind) {
      case K_I32:
        fprintf(out, "%d", (int)tml_fb_i32(m, tb, f->id, f->def));
        break;
      case K_U8:
        fprintf(out, "%d", (int)tml_fb_u8(m, tb, f->id, f->def));
        break;
      case K_BOOL:
        fputs(tml_fb_u8(m, tb, f->id, f->def) ? "true" : "false", out);
        break;
      case K_F32:
        fprintf(out, "%g", (double)tml_fb_f32(m, tb, f->id, 0.0f));
        break;
      case K_PAD: {
        int32_t v = tml_fb_u8(m, tb, f->id, 0);
        const char *s = v == 0 ? "SAME" : v == 1 ? "VALID" : "?";
        fprintf(out, json ? "\"%s\"" : "%s", s);
        break;
      }
      case K_ACT: {
        int32_t v = tml_fb_u8(m, tb, f->id, 0);
        fprintf(out, json ? "\"%s\"" : "%s", v >= 0 && v < 6 ? act_names[v] : "?");
        break;
      }
      case K_VEC: {
        uint32_t pos, n, i;
        fputc('[', out);
        if (tml_fb_vector(m, tb, f->id, 4, &pos, &n) > 0)
          for (i = 0; i < n && i < 64; i++)
            fprintf(out, "%s%d", i ? "," : "", (int)tml_rd_i32(m, pos + 4 * i));
        fputc(']', out);
        break;
      }
    }
  }
done:
  if (json) fputc('}', out);
}

/* Multiply-accumulates of one op, from its tensors' shapes. */
static uint64_t op_macs(const tml_model *m, const tml_op_view *op) {
  tml_tensor_view a, w, o;
  int32_t ia = tml_op_input(m, op, 0), iw = tml_op_input(m, op, 1),
          io = tml_op_output(m, op, 0);
  if (ia < 0 || iw < 0 || io < 0) return 0;
  if (tml_model_tensor(m, ia, &a, NULL) || tml_model_tensor(m, iw, &w, NULL) ||
      tml_model_tensor(m, io, &o, NULL))
    return 0;
  switch (op->builtin) {
    case TML_OP_CONV_2D:
      if (w.rank != 4) return 0;
      return (uint64_t)o.elements * (uint64_t)(w.dims[1] * w.dims[2] * w.dims[3]);
    case TML_OP_DEPTHWISE_CONV_2D:
      if (w.rank != 4) return 0;
      return (uint64_t)o.elements * (uint64_t)(w.dims[1] * w.dims[2]);
    case TML_OP_FULLY_CONNECTED:
      if (w.rank != 2) return 0;
      return (uint64_t)o.elements * (uint64_t)w.dims[1];
    case TML_OP_SVDF: {
      tml_tensor_view wt;
      int32_t it = tml_op_input(m, op, 2);
      if (w.rank != 2 || it < 0 || tml_model_tensor(m, it, &wt, NULL) ||
          wt.rank != 2)
        return 0;
      return (uint64_t)(a.elements / w.dims[1]) *
             ((uint64_t)w.dims[0] * (uint64_t)w.dims[1] +
              (uint64_t)wt.dims[0] * (uint64_t)wt.dims[1]);
    }
    case TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM: {
      /* Four gates, each an input and a recurrent matrix per time step. */
      tml_tensor_view r;
      int32_t ir = tml_op_input(m, op, 6);
      uint64_t steps;
      if (w.rank != 2 || ir < 0 || tml_model_tensor(m, ir, &r, NULL) ||
          r.rank != 2)
        return 0;
      steps = (uint64_t)(a.elements / w.dims[1]);
      return steps * 4 * ((uint64_t)w.dims[0] * (uint64_t)w.dims[1] +
                          (uint64_t)r.dims[0] * (uint64_t)r.dims[1]);
    }
    default:
      return 0;
  }
}

uint64_t cli_model_macs(const tml_model *m) {
  uint64_t total = 0;
  uint32_t k;
  for (k = 0; k < m->n_ops; k++) {
    tml_op_view op;
    if (tml_model_op(m, (int32_t)k, &op, NULL) == TML_OK)
      total += op_macs(m, &op);
  }
  return total;
}

static void print_shape(FILE *out, const tml_tensor_view *t) {
  int32_t i;
  fputc('[', out);
  for (i = 0; i < t->rank; i++) fprintf(out, "%s%d", i ? "," : "", (int)t->dims[i]);
  fputc(']', out);
}

static void print_index_list(FILE *out, const tml_model *m,
                             const tml_op_view *op, int outputs) {
  uint32_t i, n = outputs ? op->n_outputs : op->n_inputs;
  fputc('[', out);
  for (i = 0; i < n; i++)
    fprintf(out, "%s%d", i ? "," : "",
            (int)(outputs ? tml_op_output(m, op, i) : tml_op_input(m, op, i)));
  fputc(']', out);
}

int cmd_info(int argc, char **argv) {
  const char *path = NULL;
  int json = 0, ops_flags = 0, i, rc = 0;
  cli_file f;
  tml_model m;
  tml_error err;
  size_t arena = 0;
  uint64_t params = 0, macs = 0;
  uint32_t k;
  FILE *out = stdout;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json"))
      json = 1;
    else if (!strcmp(argv[i], "--ops"))
      ops_flags = 1;
    else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("info: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path) {
    cli_errorf("usage: tml info MODEL [--json | --ops]");
    return 2;
  }
  if (cli_load_model(path, &f, &m) != 0) return 1;
  if (ops_flags) {
    /* Compiler flags that link only this model's operators. */
    printf("-DTML_OP_SELECT");
    for (k = 0; k < m.n_ops; k++) {
      tml_op_view op, prev;
      uint32_t j;
      int seen = 0;
      tml_model_op(&m, (int32_t)k, &op, NULL);
      for (j = 0; j < k && !seen; j++) {
        tml_model_op(&m, (int32_t)j, &prev, NULL);
        seen = prev.builtin == op.builtin;
      }
      if (!seen) printf(" -DTML_OP_USE_%s", tml_op_name(op.builtin));
    }
    putchar('\n');
    cli_free_file(&f);
    return 0;
  }
  if (tml_arena_size(&m, &arena, &err) != TML_OK) rc = 1;

  for (k = 0; k < m.n_tensors; k++) {
    tml_tensor_view t;
    tml_model_tensor(&m, (int32_t)k, &t, NULL);
    if (t.data && !t.is_variable) params += (uint64_t)t.elements;
  }

  if (json) {
    fputs("{\"model\": ", out);
    cli_json_string(out, path, strlen(path));
    fprintf(out, ", \"bytes\": %zu, \"schema_version\": %u,\n \"ops\": [",
            m.size, (unsigned)m.version);
    for (k = 0; k < m.n_ops; k++) {
      tml_op_view op;
      tml_model_op(&m, (int32_t)k, &op, NULL);
      fprintf(out, "%s\"%s\"", k ? ", " : "", tml_op_name(op.builtin));
    }
    fputs("],\n \"operators\": [", out);
  } else {
    fprintf(out, "model: %s (%zu bytes, schema %u)\n", path, m.size,
            (unsigned)m.version);
    fprintf(out, "operators (%u):\n", (unsigned)m.n_ops);
  }
  for (k = 0; k < m.n_ops; k++) {
    tml_op_view op;
    uint64_t mc;
    tml_model_op(&m, (int32_t)k, &op, NULL);
    mc = op_macs(&m, &op);
    macs += mc;
    if (json) {
      fprintf(out, "%s\n  {\"index\": %u, \"op\": \"%s\", \"version\": %d, "
              "\"inputs\": ", k ? "," : "", (unsigned)k,
              tml_op_name(op.builtin), (int)op.version);
      print_index_list(out, &m, &op, 0);
      fputs(", \"outputs\": ", out);
      print_index_list(out, &m, &op, 1);
      fputs(", \"options\": ", out);
      print_options(out, &m, &op, 1);
      fprintf(out, ", \"macs\": %llu}", (unsigned long long)mc);
    } else {
      fprintf(out, "  %3u %-18s v%d ", (unsigned)k, tml_op_name(op.builtin),
              (int)op.version);
      print_index_list(out, &m, &op, 0);
      fputs(" -> ", out);
      print_index_list(out, &m, &op, 1);
      print_options(out, &m, &op, 0);
      if (mc) fprintf(out, " macs=%llu", (unsigned long long)mc);
      fputc('\n', out);
    }
  }
  if (json)
    fputs("],\n \"tensors\": [", out);
  else
    fprintf(out, "tensors (%u):\n", (unsigned)m.n_tensors);
  for (k = 0; k < m.n_tensors; k++) {
    tml_tensor_view t;
    uint32_t q;
    tml_model_tensor(&m, (int32_t)k, &t, NULL);
    if (json) {
      fprintf(out, "%s\n  {\"index\": %u, \"name\": ", k ? "," : "",
              (unsigned)k);
      cli_json_string(out, t.name, t.name_len);
      fprintf(out, ", \"type\": \"%s\", \"shape\": ", tml_type_name(t.type));
      print_shape(out, &t);
      fprintf(out, ", \"bytes\": %u, \"constant\": %s, \"variable\": %s",
              (unsigned)t.bytes, t.data ? "true" : "false",
              t.is_variable ? "true" : "false");
      if (t.n_scale) {
        fputs(", \"scale\": [", out);
        for (q = 0; q < t.n_scale; q++)
          fprintf(out, "%s%.9g", q ? "," : "",
                  (double)tml_tensor_scale(&m, &t, q));
        fputs("], \"zero_point\": [", out);
        for (q = 0; q < t.n_zp; q++)
          fprintf(out, "%s%d", q ? "," : "", (int)tml_tensor_zp(&m, &t, q));
        fprintf(out, "], \"quantized_dimension\": %d", (int)t.quant_dim);
      }
      fputc('}', out);
    } else {
      fprintf(out, "  %3u %-7s ", (unsigned)k, tml_type_name(t.type));
      print_shape(out, &t);
      fprintf(out, " %s", t.is_variable ? "variable" : t.data ? "const" : "act");
      if (t.n_scale == 1)
        fprintf(out, " scale=%.6g zp=%d", (double)tml_tensor_scale(&m, &t, 0),
                (int)tml_tensor_zp(&m, &t, 0));
      else if (t.n_scale > 1)
        fprintf(out, " scale[%u]=%.6g.. (per channel, dim %d)",
                (unsigned)t.n_scale, (double)tml_tensor_scale(&m, &t, 0),
                (int)t.quant_dim);
      fprintf(out, " '%.*s'\n", (int)(t.name_len > 60 ? 60 : t.name_len),
              t.name);
    }
  }
  if (json) {
    fputs("],\n \"inputs\": [", out);
    for (k = 0; k < m.n_inputs; k++)
      fprintf(out, "%s%d", k ? ", " : "", (int)tml_model_input(&m, k));
    fputs("], \"outputs\": [", out);
    for (k = 0; k < m.n_outputs; k++)
      fprintf(out, "%s%d", k ? ", " : "", (int)tml_model_output(&m, k));
    fprintf(out, "],\n \"params\": %llu, \"macs\": %llu, \"arena_bytes\": ",
            (unsigned long long)params, (unsigned long long)macs);
    if (rc == 0) {
      fprintf(out, "%zu", arena);
    } else {
      fputs("null, \"error\": ", out);
#if TML_ERROR_MESSAGES
      cli_json_string(out, err.message, strlen(err.message));
#else
      cli_json_string(out, tml_status_name(err.status),
                      strlen(tml_status_name(err.status)));
#endif
    }
    fputs("}\n", out);
  } else {
    fprintf(out, "inputs:");
    for (k = 0; k < m.n_inputs; k++)
      fprintf(out, " %d", (int)tml_model_input(&m, k));
    fprintf(out, "\noutputs:");
    for (k = 0; k < m.n_outputs; k++)
      fprintf(out, " %d", (int)tml_model_output(&m, k));
    fprintf(out, "\nparams: %llu\nMACs: %llu\n", (unsigned long long)params,
            (unsigned long long)macs);
    if (rc == 0)
      fprintf(out, "arena: %zu bytes\n", arena);
    else
      fprintf(out, "arena: unavailable (the model cannot run, see below)\n");
  }
  if (rc != 0) cli_report(path, &err);
  cli_free_file(&f);
  return rc;
}
