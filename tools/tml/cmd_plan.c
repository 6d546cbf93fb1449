/*
** tml plan MODEL [--json] [--svg FILE] [--kernels SET]: where every byte of
** the arena goes, planned for a device with that kernel set.
*/
#include <stdlib.h>
#include <string.h>

#include "tml_cli.h"
#include "tml_runtime.h"

typedef struct plan_view {
  const tml_model *m;
  tml_plan_item *items;
  tml_layout l;
  uint32_t n;
} plan_view;

static int32_t rep_of(const tml_plan_item *items, int32_t i) {
  while (items[i].rep >= 0) i = items[i].rep;
  return i;
}

static void item_name(const plan_view *v, int32_t i, char *buf, size_t n) {
  if ((uint32_t)i >= v->m->n_tensors) {
    tml_op_view op;
    tml_model_op(v->m, i - (int32_t)v->m->n_tensors, &op, NULL);
    snprintf(buf, n, "scratch of op %d (%s)", i - (int)v->m->n_tensors,
             tml_op_name(op.builtin));
  } else {
    tml_tensor_view t;
    tml_model_tensor(v->m, i, &t, NULL);
    snprintf(buf, n, "%.*s", (int)(t.name_len > 48 ? 48 : t.name_len), t.name);
  }
}

static const char *kind(const plan_view *v, int32_t i) {
  if ((uint32_t)i >= v->m->n_tensors) return "scratch";
  if (v->items[i].first == TML_PERSISTENT) return "variable";
  if (v->items[i].rep >= 0) return "shares";
  return "tensor";
}

static void svg_text(FILE *fp, const char *s) {
  for (; *s; s++) {
    if (*s == '<')
      fputs("&lt;", fp);
    else if (*s == '&')
      fputs("&amp;", fp);
    else
      fputc(*s, fp);
  }
}

static int write_svg(const plan_view *v, const char *path) {
  const double W = 960, H = 540, left = 90, top = 40, bottom = 40, right = 20;
  const int32_t n_ops = (int32_t)v->m->n_ops;
  const double peak = v->l.planned ? (double)v->l.planned : 1.0;
  const double xs = (W - left - right) / (n_ops > 0 ? n_ops : 1);
  const double ys = (H - top - bottom) / peak;
  FILE *fp = fopen(path, "w");
  uint32_t i;
  int32_t k;
  if (!fp) return -1;
  fprintf(fp,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
          "height=\"%.0f\" font-family=\"sans-serif\" font-size=\"10\">\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
          "<text x=\"%.0f\" y=\"20\" font-size=\"14\">arena plan: %zu bytes "
          "planned (layer-wise bound %zu), %u ops; dashed: shares its "
          "group's bytes, orange: scratch</text>\n",
          W, H, left, v->l.planned, v->l.lower_bound, (unsigned)n_ops);
  for (k = 0; k <= n_ops; k++)
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" "
            "stroke=\"#eee\"/>\n",
            left + k * xs, top, left + k * xs, H - bottom);
  fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">op index</text>\n",
          W / 2, H - 10);
  fprintf(fp, "<text x=\"10\" y=\"%.0f\">0 B</text>\n", top + 4);
  fprintf(fp, "<text x=\"10\" y=\"%.0f\">%zu B</text>\n", H - bottom,
          v->l.planned);
  for (i = 0; i < v->n; i++) {
    const tml_plan_item *it = &v->items[i];
    char name[64];
    double x, y, w, h;
    int32_t last;
    if (it->size == 0 || it->first < 0 || it->first > n_ops) continue;
    last = it->last < n_ops ? it->last : n_ops - 1;
    x = left + it->first * xs;
    w = (last - it->first + 1) * xs;
    y = top + v->items[rep_of(v->items, (int32_t)i)].offset * ys;
    h = it->size * ys;
    item_name(v, (int32_t)i, name, sizeof name);
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"%s\" fill-opacity=\"0.5\" stroke=\"#333\"%s>"
            "<title>%u: ",
            x, y, w, h < 0.5 ? 0.5 : h,
            i >= v->m->n_tensors ? "#f4a261" : "#5b9bd5",
            it->rep >= 0 ? " stroke-dasharray=\"4 2\"" : "", (unsigned)i);
    svg_text(fp, name);
    fprintf(fp, " (%u B at %u, ops %d..%d)</title></rect>\n",
            (unsigned)it->size, (unsigned)it->offset, (int)it->first,
            (int)it->last);
    if (h > 11 && w > 24)
      fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%u</text>\n", x + 3, y + 11,
              (unsigned)i);
  }
  fputs("</svg>\n", fp);
  return fclose(fp) == 0 ? 0 : -1;
}

int cmd_plan(int argc, char **argv) {
  const char *path = NULL, *svg = NULL;
  int json = 0, i, rc = 1, kset = TML_KSET_ANY;
  cli_file f;
  tml_model m;
  tml_error err;
  plan_view v;
  size_t arena, ram;
  uint32_t k;

  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json"))
      json = 1;
    else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
      svg = argv[++i];
    else if (!strcmp(argv[i], "--kernels") && i + 1 < argc) {
      if ((kset = cli_kset(argv[++i])) < 0) {
        cli_errorf("plan: unknown kernel set '%s' (portable, arm-dsp, any)",
                   argv[i]);
        return 2;
      }
    } else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      cli_errorf("plan: unexpected argument '%s'", argv[i]);
      return 2;
    }
  }
  if (!path) {
    cli_errorf("usage: tml plan MODEL [--json] [--svg FILE] "
               "[--kernels portable|arm-dsp|any]");
    return 2;
  }
  if (cli_load_model(path, &f, &m) != 0) return 1;
  v.m = &m;
  v.n = tml_plan_items(&m);
  v.items = calloc(v.n ? v.n : 1, sizeof *v.items);
  if (!v.items) goto done;
  if (tml_plan(&m, v.items, &v.l, 1, kset, &err) != TML_OK) {
    cli_report(path, &err);
    goto done;
  }
  arena = v.l.persistent + (v.l.planned > v.l.work ? v.l.planned : v.l.work);
  ram = arena + sizeof(tml_interp) + sizeof(tml_model);

  if (json) {
    printf("{\"model\": ");
    cli_json_string(stdout, path, strlen(path));
    printf(", \"kernels\": \"%s\"", cli_kset_name(kset));
    printf(", \"arena_bytes\": %zu, \"ram_bytes\": %zu, "
           "\"lower_bound_bytes\": %zu, \"planned_bytes\": %zu, "
           "\"records_bytes\": %zu, \"persistent_bytes\": %zu, "
           "\"planner_work_bytes\": %zu, \"state_bytes\": %zu,\n \"items\": [",
           arena, ram, v.l.lower_bound, v.l.planned, v.l.records,
           v.l.persistent, v.l.work, sizeof(tml_interp) + sizeof(tml_model));
    for (k = 0, i = 0; k < v.n; k++) {
      const tml_plan_item *it = &v.items[k];
      char name[64];
      if (it->size == 0 && it->rep < 0) continue;
      item_name(&v, (int32_t)k, name, sizeof name);
      printf("%s\n  {\"item\": %u, \"kind\": \"%s\", \"name\": ", i++ ? "," : "",
             (unsigned)k, kind(&v, (int32_t)k));
      cli_json_string(stdout, name, strlen(name));
      printf(", \"offset\": %u, \"size\": %u, \"first\": %d, \"last\": %d",
             (unsigned)v.items[rep_of(v.items, (int32_t)k)].offset,
             (unsigned)it->size, (int)it->first, (int)it->last);
      if (it->rep >= 0) printf(", \"shares\": %d", (int)rep_of(v.items, (int32_t)k));
      putchar('}');
    }
    printf("]}\n");
  } else {
    printf("model: %s (plan for a device, %s kernels: convolutions run in "
           "place where that lowers the peak)\n", path, cli_kset_name(kset));
    printf("arena: %zu bytes = %zu kernel records + %zu I/O and state + %zu "
           "planned%s\n",
           arena, v.l.records, v.l.persistent - v.l.records,
           v.l.planned > v.l.work ? v.l.planned : v.l.work,
           v.l.planned >= v.l.work ? "" : " (planner work items during init)");
    printf("planned activations and scratch: %zu bytes; layer-wise lower "
           "bound %zu bytes\n", v.l.planned, v.l.lower_bound);
    printf("RAM in total: %zu bytes (arena + %zu of tml_interp and tml_model)\n",
           ram, sizeof(tml_interp) + sizeof(tml_model));
    printf("  item   offset     size  ops      kind      name\n");
    for (k = 0; k < v.n; k++) {
      const tml_plan_item *it = &v.items[k];
      char name[64];
      if (it->size == 0 && it->rep < 0) continue;
      item_name(&v, (int32_t)k, name, sizeof name);
      printf("  %4u %8u %8u  %3d..%-3d %-8s  %s\n", (unsigned)k,
             (unsigned)v.items[rep_of(v.items, (int32_t)k)].offset,
             (unsigned)it->size, (int)it->first, (int)it->last,
             kind(&v, (int32_t)k), name);
    }
  }
  if (svg && write_svg(&v, svg) != 0) {
    cli_errorf("plan: cannot write '%s'", svg);
    goto done;
  }
  rc = 0;
done:
  free(v.items);
  cli_free_file(&f);
  return rc;
}
