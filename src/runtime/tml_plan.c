/*
** Planning: measure every operator, derive tensor lifetimes over the
** schedule, merge tensors that may share bytes, and give every remaining
** item an offset so that no two items live at the same time overlap.
**
** Placement is greedy: largest item first, into the smallest gap that holds
** it among the items already placed that overlap it in time (best fit).
** Everything works in the caller's item array: no other memory.
*/
#include <string.h>

#include "tml_runtime.h"

#define UNSET INT32_MAX

uint32_t tml_plan_items(const tml_model *m) {
  return m->n_tensors + m->n_ops;
}

static int32_t rep(const tml_plan_item *items, int32_t i) {
  while (items[i].rep >= 0) i = items[i].rep;
  return i;
}

static int overlap(const tml_plan_item *a, const tml_plan_item *b) {
  return a->first <= b->last && b->first <= a->last;
}

static tml_status measure_op(const tml_model *m, int32_t k, tml_plan_item *it,
                             size_t *records, tml_error *err) {
  const tml_op_impl *impl;
  tml_prep p;
  tml_status s;
  memset(&p, 0, sizeof p);
  p.m = m;
  p.err = err;
  s = tml_model_op(m, k, &p.op, err);
  if (s != TML_OK) return s;
  impl = tml_find_op(p.op.builtin);
  if (!impl)
    return tml_prep_fail(&p, TML_ERR_UNSUPPORTED_OP, -1,
                         "operator not supported by TML");
  if (p.op.version > impl->max_version)
    return tml_prep_fail(&p, TML_ERR_OP_VERSION, -1,
                         "version %d; TML implements up to version %d",
                         (int)p.op.version, (int)impl->max_version);
  s = impl->prepare(&p);
  if (s != TML_OK) return s;
  *records += p.record_bytes;
  it->size = (uint32_t)TML_ALIGN_UP(p.scratch_bytes, TML_TENSOR_ALIGN);
  it->first = it->last = k;
  it->share = p.alias ? tml_op_input(m, &p.op, 0) + 1
              : p.inplace > 0 ? -(tml_op_input(m, &p.op, (uint32_t)p.inplace - 1) + 1)
                              : 0;
  return TML_OK;
}

/* Lifetimes: first = producing op (0 for model inputs), last = last reader
** (n_ops for model outputs). Constants are not planned. */
static tml_status lifetimes(const tml_model *m, tml_plan_item *items,
                            tml_error *err) {
  const int32_t no = (int32_t)m->n_ops;
  uint32_t i, j;
  int32_t k;
  for (i = 0; i < m->n_inputs; i++) {
    int32_t t = tml_model_input(m, i);
    tml_tensor_view v;
    tml_model_tensor(m, t, &v, NULL);
    if (!v.data && !v.is_variable) items[t].first = 0;
  }
  for (k = 0; k < no; k++) {
    tml_op_view op;
    tml_model_op(m, k, &op, NULL);
    for (j = 0; j < op.n_inputs; j++) {
      int32_t t = tml_op_input(m, &op, j);
      tml_tensor_view v;
      if (t < 0) continue;
      tml_model_tensor(m, t, &v, NULL);
      if (v.is_variable || v.data) continue;
      if (items[t].first == UNSET)
        return tml_fail(err, TML_ERR_GRAPH, k, t,
                        "op %d (%s) reads tensor %d '%.*s' before any op "
                        "writes it", (int)k, tml_op_name(op.builtin), (int)t,
                        (int)v.name_len, v.name);
      if (items[t].last < k) items[t].last = k;
    }
    for (j = 0; j < op.n_outputs; j++) {
      int32_t t = tml_op_output(m, &op, j);
      tml_tensor_view v;
      tml_model_tensor(m, t, &v, NULL);
      if (v.is_variable) continue;
      if (items[t].first != UNSET)
        return tml_fail(err, TML_ERR_GRAPH, k, t,
                        "op %d (%s) writes tensor %d '%.*s', which is "
                        "already written", (int)k, tml_op_name(op.builtin),
                        (int)t, (int)v.name_len, v.name);
      items[t].first = k;
      items[t].last = k;
    }
  }
  for (i = 0; i < m->n_outputs; i++) {
    int32_t t = tml_model_output(m, i);
    tml_tensor_view v;
    tml_model_tensor(m, t, &v, NULL);
    if (v.data || v.is_variable) continue;
    if (items[t].first == UNSET)
      return tml_fail(err, TML_ERR_GRAPH, -1, t,
                      "model output %u (tensor %d '%.*s') is never written",
                      (unsigned)i, (int)t, (int)v.name_len, v.name);
    items[t].last = no;
  }
  return TML_OK;
}

/* Aliases (reshape) always share; in-place candidates share when the input
** dies at that op and is large enough. */
static void merge(const tml_model *m, tml_plan_item *items) {
  const int32_t nt = (int32_t)m->n_tensors;
  int32_t k;
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    const int32_t share = items[nt + k].share;
    int32_t in, out, r;
    tml_op_view op;
    if (share == 0) continue;
    tml_model_op(m, k, &op, NULL);
    in = (share > 0 ? share : -share) - 1;
    out = tml_op_output(m, &op, 0);
    if (in < 0 || out < 0 || items[in].first == UNSET ||
        items[in].first == TML_PERSISTENT || items[out].first != k ||
        items[out].rep >= 0)
      continue;
    r = rep(items, in);
    if (share < 0 && (items[r].last != k || items[r].size < items[out].size))
      continue;
    items[out].rep = r;
    if (items[r].last < items[out].last) items[r].last = items[out].last;
    if (items[r].size < items[out].size) items[r].size = items[out].size;
  }
}

static void place(tml_plan_item *items, int32_t n, size_t *planned) {
  int32_t head = -1, i, j;
  size_t end = 0;
  for (;;) {
    int32_t pick = -1;
    uint32_t pos = 0, best = 0, best_gap = UINT32_MAX;
    for (i = 0; i < n; i++) {
      const tml_plan_item *c = &items[i];
      if (c->rep >= 0 || c->size == 0 || c->next != -1 || c->first < 0)
        continue;
      if (pick < 0 || c->size > items[pick].size ||
          (c->size == items[pick].size && c->first < items[pick].first))
        pick = i;
    }
    if (pick < 0) break;
    /* Walk placed items by offset; gaps between overlapping ones are the
    ** candidate places. */
    for (j = head; j >= 0; j = items[j].next) {
      if (!overlap(&items[j], &items[pick])) continue;
      if (items[j].offset >= pos + items[pick].size &&
          items[j].offset - pos < best_gap) {
        best_gap = items[j].offset - pos;
        best = pos;
      }
      if (items[j].offset + items[j].size > pos)
        pos = items[j].offset + items[j].size;
    }
    if (best_gap == UINT32_MAX) best = pos;
    items[pick].offset = best;
    /* Insert into the offset-ordered list; -2 terminates it so that
    ** next == -1 keeps meaning "not placed". */
    if (head < 0 || items[head].offset > best) {
      items[pick].next = head < 0 ? -2 : head;
      head = pick;
    } else {
      j = head;
      while (items[j].next >= 0 && items[items[j].next].offset <= best)
        j = items[j].next;
      items[pick].next = items[j].next;
      items[j].next = pick;
    }
    if (best + items[pick].size > end) end = best + items[pick].size;
  }
  *planned = end;
}

static size_t lower_bound(const tml_model *m, const tml_plan_item *items) {
  size_t best = 0;
  int32_t k, i;
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    size_t live = 0;
    for (i = 0; i < (int32_t)m->n_tensors; i++) {
      const tml_plan_item *it = &items[i];
      if (it->first >= 0 && it->first != UNSET && it->first <= k &&
          k <= it->last)
        live += it->size;
    }
    if (live > best) best = live;
  }
  return best;
}

tml_status tml_plan(const tml_model *m, tml_plan_item *items, tml_layout *l,
                    tml_error *err) {
  const int32_t nt = (int32_t)m->n_tensors, n = (int32_t)tml_plan_items(m);
  size_t var_bytes = 0;
  int32_t i;
  tml_status s;

  memset(l, 0, sizeof *l);
  for (i = 0; i < n; i++) {
    items[i].size = 0;
    items[i].offset = 0;
    items[i].first = UNSET;
    items[i].last = -1;
    items[i].rep = -1;
    items[i].next = -1;
    items[i].share = 0;
  }
  for (i = 0; i < (int32_t)m->n_ops; i++) {
    s = measure_op(m, i, &items[nt + i], &l->records, err);
    if (s != TML_OK) return s;
  }
  s = lifetimes(m, items, err);
  if (s != TML_OK) return s;

  l->io = l->records;
  l->vars = TML_ALIGN_UP(l->io + sizeof(uint8_t *) * (m->n_inputs + m->n_outputs), 8);
  for (i = 0; i < nt; i++) {
    tml_tensor_view v;
    tml_model_tensor(m, i, &v, NULL);
    if (v.is_variable) {
      items[i].first = TML_PERSISTENT;
      items[i].size = (uint32_t)TML_ALIGN_UP(v.bytes, 8);
      items[i].offset = (uint32_t)var_bytes; /* rebased below */
      var_bytes += items[i].size;
      l->n_vars++;
    } else if (items[i].first != UNSET) {
      items[i].size = (uint32_t)TML_ALIGN_UP(v.bytes, TML_TENSOR_ALIGN);
    }
  }
  {
    const size_t var_data = TML_ALIGN_UP(l->vars + sizeof(tml_var) * l->n_vars, 8);
    for (i = 0; i < nt; i++)
      if (items[i].first == TML_PERSISTENT) items[i].offset += (uint32_t)var_data;
    l->persistent = TML_ALIGN_UP(var_data + var_bytes, 8);
  }
  l->lower_bound = lower_bound(m, items);
  merge(m, items);
  place(items, n, &l->planned);
  l->planned = TML_ALIGN_UP(l->planned, 8);
  l->work = sizeof(tml_plan_item) * (size_t)n;
  return TML_OK;
}
