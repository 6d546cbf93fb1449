/*
** The interpreter: plan the arena, write one kernel record per op, then run
** the records in order.
*/
#include <string.h>

#include "tml_runtime.h"

static uint8_t *align8(void *p) {
  return (uint8_t *)(((uintptr_t)p + 7) & ~(uintptr_t)7);
}

#if TML_ARENA_CANARY
static const uint8_t canary[8] = {0x54, 0x4d, 0x4c, 0xc9, 0x3a, 0x0f, 0xe1, 0x7b};
#define CANARY_BYTES sizeof canary
#else
#define CANARY_BYTES 0
#endif

static size_t need_bytes(const tml_layout *l) {
  const size_t run = l->planned + CANARY_BYTES;
  return l->persistent + (run > l->work ? run : l->work);
}

tml_status tml_arena_size_ex(const tml_model *m, int inplace, int kset,
                             size_t *bytes, tml_error *err) {
  tml_plan_item items[TML_ARENA_SIZE_ITEMS];
  tml_layout l;
  tml_status s;
  if (!m || !bytes) return tml_fail(err, TML_ERR_ARG, -1, -1, "NULL argument");
  if (tml_plan_items(m) > TML_ARENA_SIZE_ITEMS)
    return tml_fail(err, TML_ERR_LIMIT, -1, -1,
                    "model has %u tensors and ops; tml_arena_size plans up "
                    "to TML_ARENA_SIZE_ITEMS (%d): call tml_init with a large "
                    "arena and read arena_used",
                    (unsigned)tml_plan_items(m), TML_ARENA_SIZE_ITEMS);
  s = tml_plan(m, items, &l, inplace, kset, err);
  if (s != TML_OK) return s;
  *bytes = need_bytes(&l);
  return TML_OK;
}

tml_status tml_arena_size(const tml_model *m, size_t *bytes, tml_error *err) {
  return tml_arena_size_ex(m, TML_PLAN_INPLACE, TML_KSET, bytes, err);
}

static uint8_t *tensor_data(uint8_t *base, uint8_t *acts,
                            const tml_plan_item *items,
                            const tml_tensor_view *v) {
  int32_t i = v->index;
  if (v->data && !v->is_variable) return (uint8_t *)(uintptr_t)v->data;
  while (items[i].rep >= 0) i = items[i].rep;
  return (items[i].first == TML_PERSISTENT ? base : acts) + items[i].offset;
}

tml_status tml_init_ex(tml_interp *it, const tml_model *m, void *arena,
                       size_t arena_size, int inplace, int kset,
                       tml_error *err) {
  uint8_t *base, *acts, *rec;
  size_t avail, work, need;
  tml_plan_item *items;
  tml_layout l;
  tml_var *vars;
  uint8_t **io;
  uint32_t k, nv = 0;
  tml_status s;

  if (err) tml_fail(err, TML_OK, -1, -1, "");
  if (!it || !m || (!arena && arena_size))
    return tml_fail(err, TML_ERR_ARG, -1, -1, "NULL argument");
  memset(it, 0, sizeof *it);
  base = align8(arena);
  avail = arena_size > (size_t)(base - (uint8_t *)arena)
              ? arena_size - (size_t)(base - (uint8_t *)arena)
              : 0;
  work = sizeof(tml_plan_item) * tml_plan_items(m);
  if (avail < work + 8)
    return tml_fail(err, TML_ERR_ARENA_TOO_SMALL, -1, -1,
                    "arena of %zu bytes is too small even to plan this model "
                    "(%zu bytes); tml_arena_size() gives the size needed",
                    arena_size, work + 8);
  /* The work items sit at the arena's end while records are written at its
  ** start; tml_plan's layout keeps the two apart. */
  items = (tml_plan_item *)(void *)(base + ((avail - work) & ~(size_t)7));
  s = tml_plan(m, items, &l, inplace, kset, err);
  if (s != TML_OK) return s;
  need = need_bytes(&l);
  if (need + (size_t)(base - (uint8_t *)arena) > arena_size ||
      (uint8_t *)items < base + l.persistent)
    return tml_fail(err, TML_ERR_ARENA_TOO_SMALL, -1, -1,
                    "arena of %zu bytes is too small: the model needs %zu",
                    arena_size, need + (size_t)(base - (uint8_t *)arena));

  acts = base + l.persistent;
  rec = base;
  for (k = 0; k < m->n_ops; k++) {
    const tml_op_impl *impl;
    tml_prep p;
    memset(&p, 0, sizeof p);
    p.m = m;
    p.err = err;
    p.kset = kset;
    p.record = rec;
    p.base = base;
    p.acts = acts;
    p.items = items;
    p.n_tensors = m->n_tensors;
    s = tml_model_op(m, (int32_t)k, &p.op, err);
    if (s != TML_OK) return s;
    impl = tml_find_op(p.op.builtin);
    s = impl->prepare(&p);
    if (s != TML_OK) return s;
    rec += p.record_bytes;
  }

  io = (uint8_t **)(void *)(base + l.io);
  for (k = 0; k < m->n_inputs + m->n_outputs; k++) {
    tml_tensor_view v;
    int32_t t = k < m->n_inputs ? tml_model_input(m, k)
                                : tml_model_output(m, k - m->n_inputs);
    tml_model_tensor(m, t, &v, NULL);
    io[k] = tensor_data(base, acts, items, &v);
  }
  vars = (tml_var *)(void *)(base + l.vars);
  for (k = 0; k < m->n_tensors; k++) {
    tml_tensor_view v;
    if (items[k].first != TML_PERSISTENT) continue;
    tml_model_tensor(m, (int32_t)k, &v, NULL);
    vars[nv].offset = items[k].offset;
    vars[nv].bytes = v.bytes;
    vars[nv].value = v.type == TML_INT8 && v.n_zp ? tml_tensor_zp(m, &v, 0) : 0;
    nv++;
  }

  it->model = m;
  it->arena = base;
  it->arena_size = avail;
  it->arena_used = need;
  it->acts = acts;
  it->records = base;
  it->io = io;
  it->vars = vars;
  it->n_vars = nv;
  it->n_ops = m->n_ops;
  it->n_inputs = m->n_inputs;
  it->n_outputs = m->n_outputs;
  it->ready = 1;
#if TML_ARENA_CANARY
  /* The planner's items may have covered these bytes until now. */
  it->canary = acts + l.planned;
  memcpy(it->canary, canary, sizeof canary);
#endif
  return tml_reset(it);
}

tml_status tml_init(tml_interp *it, const tml_model *m, void *arena,
                    size_t arena_size, tml_error *err) {
  return tml_init_ex(it, m, arena, arena_size, TML_PLAN_INPLACE, TML_KSET,
                     err);
}

tml_status tml_reset(tml_interp *it) {
  uint32_t k;
  if (!it || !it->ready) return TML_ERR_STATE;
  for (k = 0; k < it->n_vars; k++)
    memset(it->arena + it->vars[k].offset, it->vars[k].value & 0xff,
           it->vars[k].bytes);
  return TML_OK;
}

tml_status tml_invoke(tml_interp *it) {
  const uint8_t *p;
  uint32_t k;
  if (!it || !it->ready) return TML_ERR_STATE;
  p = it->records;
  for (k = 0; k < it->n_ops; k++) {
    const tml_rec *r = (const tml_rec *)(const void *)p;
    r->eval(r);
    p += r->size;
  }
#if TML_ARENA_CANARY
  if (memcmp(it->canary, canary, sizeof canary) != 0) return TML_ERR_CANARY;
#endif
  return TML_OK;
}

int tml_num_inputs(const tml_interp *it) {
  return it && it->ready ? (int)it->n_inputs : 0;
}

int tml_num_outputs(const tml_interp *it) {
  return it && it->ready ? (int)it->n_outputs : 0;
}

static tml_status describe(const tml_interp *it, int32_t t, uint8_t *data,
                           tml_tensor *out) {
  tml_tensor_view v;
  int32_t i;
  tml_model_tensor(it->model, t, &v, NULL);
  memset(out, 0, sizeof *out);
  out->data = data;
  out->bytes = v.bytes;
  out->type = v.type;
  out->rank = v.rank;
  for (i = 0; i < v.rank; i++) out->dims[i] = v.dims[i];
  out->scale = tml_tensor_scale(it->model, &v, 0);
  out->zero_point = tml_tensor_zp(it->model, &v, 0);
  out->name = v.name;
  out->name_len = v.name_len;
  return TML_OK;
}

tml_status tml_input(const tml_interp *it, int k, tml_tensor *t) {
  if (!it || !it->ready) return TML_ERR_STATE;
  if (!t || k < 0 || (uint32_t)k >= it->n_inputs) return TML_ERR_ARG;
  return describe(it, tml_model_input(it->model, (uint32_t)k), it->io[k], t);
}

tml_status tml_output(const tml_interp *it, int k, tml_tensor *t) {
  if (!it || !it->ready) return TML_ERR_STATE;
  if (!t || k < 0 || (uint32_t)k >= it->n_outputs) return TML_ERR_ARG;
  return describe(it, tml_model_output(it->model, (uint32_t)k),
                  it->io[it->n_inputs + (uint32_t)k], t);
}

tml_status tml_set_input(tml_interp *it, int k, const void *data,
                         size_t bytes) {
  tml_tensor t;
  tml_status s = tml_input(it, k, &t);
  if (s != TML_OK) return s;
  if (!data || bytes != t.bytes) return TML_ERR_INPUT_SIZE;
  if (t.type == TML_FLOAT32) {
    const uint8_t *b = (const uint8_t *)data;
    size_t i;
    for (i = 0; i + 4 <= bytes; i += 4) {
      /* Exponent all ones: Inf or NaN. Checked on the bits so that no
      ** float instruction runs on a device without an FPU. */
      uint32_t u = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
                   (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
      if ((u & 0x7f800000u) == 0x7f800000u) return TML_ERR_NONFINITE;
    }
  }
  memcpy(t.data, data, bytes);
  return TML_OK;
}
