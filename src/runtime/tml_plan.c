/*
** Planning: measure every operator, derive tensor lifetimes over the
** schedule, group tensors that share a base address, and give every group an
** offset so that no two tensors live at the same time overlap.
**
** Groups. A RESHAPE-like alias always joins its input's group; an op that can
** write its output over an input that dies there (elementwise ops, and the
** in-place depthwise and pointwise convolutions) joins the output to that
** input's group. Members of a group start at the group's offset and keep
** their own sizes and lifetimes, so a group is only as large as its largest
** member at each op.
**
** Placement. Groups are placed one by one at the lowest offset where none of
** their members overlaps, in time and bytes, a member of a group already
** placed. Several orders are tried (largest first, earliest first, longest
** first) and the one with the smallest peak is kept.
**
** In-place convolutions cost speed (they process one channel or one pixel at
** a time), so they are used only where they lower the peak: first all of
** them, then only those at ops whose live bytes exceed the peak that all of
** them reach.
**
** Everything works in the caller's item array: no other memory.
*/
#include <string.h>

#include "tml_runtime.h"

#define UNSET TML_UNSET

/* Every arena offset stays below 2^31, so sums of two fit 32 bits even on a
** 32-bit core. */
#define MAX_ARENA 0x7fffffffu

#if TML_MAX_TENSORS + TML_MAX_OPS > 32000
#error "planner items count in int16: lower TML_MAX_TENSORS or TML_MAX_OPS"
#endif
#define N_ORDERS 3

enum {
  F_PLACED = 1,        /* group root: offset is final for this round */
  F_WANT_INPLACE = 2,  /* op item: use its in-place kernel if valid */
  F_INPLACE = 4,       /* op item: its output joined its input's group */
  F_TRIED = 8,         /* op item: out of place on trial */
  F_NEEDED = 16        /* op item: its tensors alone pass the peak apart */
};

uint32_t tml_plan_items(const tml_model *m) {
  return m->n_tensors + m->n_ops;
}

static int32_t root(const tml_plan_item *items, int32_t i) {
  while (items[i].rep >= 0) i = items[i].rep;
  return i;
}

static int overlap(const tml_plan_item *a, const tml_plan_item *b) {
  return a->first <= b->last && b->first <= a->last;
}

/* An item takes part in placement: it has bytes in the planned region. */
static int planned(const tml_plan_item *it) {
  return it->size > 0 && it->first >= 0 && it->first != UNSET;
}

static tml_status measure_op(const tml_model *m, int32_t k, int kset,
                             tml_plan_item *it, size_t *records,
                             tml_error *err) {
  const tml_op_impl *impl;
  tml_prep p;
  tml_status s;
  memset(&p, 0, sizeof p);
  p.m = m;
  p.err = err;
  p.kset = kset;
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
  if (p.record_bytes > MAX_ARENA - *records)
    return tml_prep_fail(&p, TML_ERR_LIMIT, -1,
                         "kernel records need more than 2 GB");
  *records += p.record_bytes;
  it->scratch = (uint32_t)TML_ALIGN_UP(p.scratch_bytes, TML_TENSOR_ALIGN);
  it->scratch_inplace =
      (uint32_t)TML_ALIGN_UP(p.inplace_scratch_bytes, TML_TENSOR_ALIGN);
  it->first = it->last = (int16_t)k;
  it->share = (int16_t)(p.alias ? tml_op_input(m, &p.op, 0) + 1
                        : p.inplace > 0
                            ? -(tml_op_input(m, &p.op, (uint32_t)p.inplace - 1) + 1)
                            : 0);
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
    /* tml_set_input would write into the model, which may be in flash. */
    if (v.data && !v.is_variable)
      return tml_fail(err, TML_ERR_GRAPH, -1, t,
                      "model input %u (tensor %d '%.*s') is a constant",
                      (unsigned)i, (int)t, (int)v.name_len, v.name);
    if (!v.is_variable) items[t].first = 0;
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
      if (items[t].last < k) items[t].last = (int16_t)k;
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
      items[t].first = (int16_t)k;
      items[t].last = (int16_t)k;
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
    items[t].last = (int16_t)no;
  }
  return TML_OK;
}

/* Largest sum of live tensor bytes at any op, with every tensor apart. */
static size_t lower_bound(const tml_model *m, const tml_plan_item *items,
                          int32_t k_only, int32_t n) {
  size_t best = 0;
  int32_t k, i;
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    size_t live = 0;
    if (k_only >= 0 && k != k_only) continue;
    for (i = 0; i < n; i++) {
      const tml_plan_item *it = &items[i];
      if ((uint32_t)i < m->n_tensors && planned(it) && it->first <= k &&
          k <= it->last)
        live += it->size;
    }
    if (live > best) best = live;
  }
  return best;
}

/* Group of a's root absorbs group of b's root. */
static void join(tml_plan_item *items, int32_t a, int32_t b) {
  int32_t ra = root(items, a), rb = root(items, b), t = ra;
  if (ra == rb) return;
  while (items[t].next >= 0) t = items[t].next;
  items[t].next = (int16_t)rb;
  items[rb].rep = (int16_t)ra;
}

static int32_t group_last(const tml_plan_item *items, int32_t r) {
  int32_t last = -1;
  for (; r >= 0; r = items[r].next)
    if (items[r].last > last) last = items[r].last;
  return last;
}

/* Form the groups for one configuration of in-place ops. */
static void group(const tml_model *m, tml_plan_item *items, int32_t n) {
  const int32_t nt = (int32_t)m->n_tensors;
  int32_t i, k;
  for (i = 0; i < n; i++) {
    items[i].rep = -1;
    items[i].next = -1;
    items[i].flags &= (uint16_t)~(F_PLACED | F_INPLACE);
  }
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    tml_plan_item *op = &items[nt + k];
    const int32_t share = op->share;
    int32_t in, out;
    tml_op_view v;
    op->size = op->scratch;
    if (share == 0) continue;
    tml_model_op(m, k, &v, NULL);
    in = (share > 0 ? share : -share) - 1;
    out = tml_op_output(m, &v, 0);
    if (in < 0 || out < 0 || !planned(&items[in]) || !planned(&items[out]) ||
        items[out].rep >= 0 || items[out].next >= 0)
      continue;
    if (share < 0) {
      /* In place: the input's bytes must be dead after this op. */
      if (op->scratch_inplace > 0 && !(op->flags & F_WANT_INPLACE)) continue;
      if (group_last(items, root(items, in)) != k) continue;
      if (op->scratch_inplace > 0) {
        op->flags |= F_INPLACE;
        op->size = op->scratch_inplace;
      }
    }
    join(items, in, out);
  }
}

/* Lowest offset for group g among the groups placed so far. Each member of
** g that overlaps a placed member b in time forbids the offsets where their
** bytes would meet; an offset inside such a range moves to b's end, since
** every offset below that end is forbidden too. So the offset only grows,
** and stops at the lowest one that fits: one pass per distinct end at worst,
** usually a few, instead of testing every end (which made planning cubic
** in the model's size). */
static uint32_t lowest_fit(const tml_plan_item *items, int32_t n, int32_t g) {
  uint32_t off = 0;
  int moved = 1;
  while (moved) {
    int32_t h, a, b;
    moved = 0;
    for (h = 0; h < n; h++) {
      if (!(items[h].flags & F_PLACED)) continue;
      for (a = g; a >= 0; a = items[a].next) {
        if (!planned(&items[a])) continue;
        for (b = h; b >= 0; b = items[b].next) {
          if (!planned(&items[b]) || !overlap(&items[a], &items[b])) continue;
          if (off < items[h].offset + items[b].size &&
              items[h].offset < off + items[a].size) {
            off = items[h].offset + items[b].size;
            moved = 1;
          }
        }
      }
    }
  }
  return off;
}

/* Ordering key of a group under order `o`: larger places first. */
static uint64_t key(const tml_plan_item *items, int32_t g, int o) {
  uint32_t size = 0;
  int32_t first = INT16_MAX, last = -1, a;
  for (a = g; a >= 0; a = items[a].next) {
    if (!planned(&items[a])) continue;
    if (items[a].size > size) size = items[a].size;
    if (items[a].first < first) first = items[a].first;
    if (items[a].last > last) last = items[a].last;
  }
  if (o == 0) return (uint64_t)size << 16 | (uint32_t)(0xffff - (first & 0xffff));
  if (o == 1) return (uint64_t)(uint32_t)(0xffff - (first & 0xffff)) << 32 | size;
  return (uint64_t)(last - first + 1) << 32 | size;
}

/* Returns the peak, or SIZE_MAX once it would pass MAX_ARENA. */
static size_t place(tml_plan_item *items, int32_t n, int o) {
  size_t end = 0;
  int32_t g, a;
  for (g = 0; g < n; g++) items[g].flags &= (uint16_t)~F_PLACED;
  for (;;) {
    int32_t pick = -1;
    uint64_t best = 0;
    for (g = 0; g < n; g++) {
      uint64_t kv;
      if (items[g].rep >= 0 || (items[g].flags & F_PLACED)) continue;
      for (a = g; a >= 0 && !planned(&items[a]); a = items[a].next) {}
      if (a < 0) continue;
      kv = key(items, g, o);
      if (pick < 0 || kv > best) {
        pick = g;
        best = kv;
      }
    }
    if (pick < 0) break;
    items[pick].offset = lowest_fit(items, n, pick);
    items[pick].flags |= F_PLACED;
    for (a = pick; a >= 0; a = items[a].next) {
      const uint64_t top = (uint64_t)items[pick].offset + items[a].size;
      if (!planned(&items[a])) continue;
      if (top > MAX_ARENA) return SIZE_MAX;
      if (top > end) end = (size_t)top;
    }
  }
  return end;
}

/* Group and place for the current in-place wishes; returns the peak and
** leaves the items placed by the best order. */
static size_t plan_config(const tml_model *m, tml_plan_item *items,
                          int32_t n) {
  size_t best = SIZE_MAX;
  int o, best_o = 0;
  group(m, items, n);
  for (o = 0; o < N_ORDERS; o++) {
    size_t peak = place(items, n, o);
    if (peak < best) {
      best = peak;
      best_o = o;
    }
  }
  return place(items, n, best_o);
}

static void want_inplace(const tml_model *m, tml_plan_item *items,
                         size_t above) {
  const int32_t nt = (int32_t)m->n_tensors;
  int32_t k;
  for (k = 0; k < (int32_t)m->n_ops; k++) {
    tml_plan_item *op = &items[nt + k];
    op->flags &= (uint16_t)~F_WANT_INPLACE;
    if (op->scratch_inplace > 0 &&
        (above == 0 || lower_bound(m, items, k, nt) > above))
      op->flags |= F_WANT_INPLACE;
  }
}

/* Plans tried below: a bound on the work, so that a model of many
** convolutions costs at most a few times a plan more. */
#define REFINE_ITEMS 16384

static int candidate(const tml_plan_item *op) {
  return (op->flags & (F_WANT_INPLACE | F_NEEDED)) == F_WANT_INPLACE;
}

/* The in-place kernels are slower, and a peak they lower at some ops does
** not need them at every other. The ops lo .. hi - 1 that wish to run in
** place try to run out of place together; if the peak grows past `best`,
** each half of them tries on its own, down to single ops (a few needed ops
** among many cost a few plans per needed op, not one per op). */
static void keep_needed_inplace(const tml_model *m, tml_plan_item *items,
                                int32_t n, int32_t lo, int32_t hi,
                                size_t best, int32_t *tries) {
  const int32_t nt = (int32_t)m->n_tensors;
  int32_t k, count = 0, half = 0, mid = lo;
  for (k = lo; k < hi; k++) count += candidate(&items[nt + k]);
  if (count == 0 || *tries <= 0) return;
  (*tries)--;
  for (k = lo; k < hi; k++)
    if (candidate(&items[nt + k]))
      items[nt + k].flags = (uint16_t)((items[nt + k].flags & ~F_WANT_INPLACE) |
                                       F_TRIED);
  if (plan_config(m, items, n) <= best) {
    for (k = lo; k < hi; k++) items[nt + k].flags &= (uint16_t)~F_TRIED;
    return;
  }
  for (k = lo; k < hi; k++) {
    if (!(items[nt + k].flags & F_TRIED)) continue;
    items[nt + k].flags = (uint16_t)((items[nt + k].flags & ~F_TRIED) |
                                     F_WANT_INPLACE);
    if (half++ < count / 2) mid = k + 1;
  }
  if (count == 1) return;
  keep_needed_inplace(m, items, n, lo, mid, best, tries);
  keep_needed_inplace(m, items, n, mid, hi, best, tries);
}

tml_status tml_plan(const tml_model *m, tml_plan_item *items, tml_layout *l,
                    int inplace, int kset, tml_error *err) {
  const int32_t nt = (int32_t)m->n_tensors, n = (int32_t)tml_plan_items(m);
  size_t var_bytes = 0, none, all, some;
  int32_t i;
  tml_status s;

  memset(l, 0, sizeof *l);
  memset(items, 0, sizeof *items * (size_t)n);
  for (i = 0; i < n; i++) {
    items[i].first = UNSET;
    items[i].last = -1;
    items[i].rep = -1;
    items[i].next = -1;
  }
  for (i = 0; i < (int32_t)m->n_ops; i++) {
    s = measure_op(m, i, kset, &items[nt + i], &l->records, err);
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
      if (v.bytes > MAX_ARENA - var_bytes - 8)
        return tml_fail(err, TML_ERR_LIMIT, -1, i,
                        "recurrent state needs more than 2 GB");
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
  l->lower_bound = lower_bound(m, items, -1, nt);

  if (inplace) {
    want_inplace(m, items, 0);
    all = plan_config(m, items, n);
  } else {
    all = SIZE_MAX;
  }
  for (i = nt; i < n; i++) items[i].flags &= (uint16_t)~F_WANT_INPLACE;
  none = plan_config(m, items, n);
  if (all < none) {
    want_inplace(m, items, all);
    some = plan_config(m, items, n);
    if (some > all) want_inplace(m, items, 0);
    {
      const size_t best = some > all ? all : some;
      int32_t tries = REFINE_ITEMS / n, k;
      for (k = 0; k < (int32_t)m->n_ops; k++)
        if (lower_bound(m, items, k, nt) > best)
          items[nt + k].flags |= F_NEEDED;
      keep_needed_inplace(m, items, n, 0, (int32_t)m->n_ops, best, &tries);
      for (k = 0; k < (int32_t)m->n_ops; k++)
        items[nt + k].flags &= (uint16_t)~F_NEEDED;
    }
    plan_config(m, items, n);
  }
  if (none == SIZE_MAX && all == SIZE_MAX)
    return tml_fail(err, TML_ERR_LIMIT, -1, -1,
                    "the model's activations need more than 2 GB");
  for (i = 0, l->planned = 0; i < n; i++) {
    const tml_plan_item *it = &items[i];
    const uint32_t off = items[root(items, i)].offset;
    if (planned(it) && off + it->size > l->planned) l->planned = off + it->size;
  }
  l->planned = TML_ALIGN_UP(l->planned, 8);
  l->work = sizeof(tml_plan_item) * (size_t)n;
  if (l->records > MAX_ARENA || l->persistent > MAX_ARENA ||
      l->persistent > MAX_ARENA - (l->planned > l->work ? l->planned : l->work))
    return tml_fail(err, TML_ERR_LIMIT, -1, -1,
                    "the arena would exceed 2 GB");
  return TML_OK;
}
