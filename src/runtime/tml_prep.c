/*
** Helpers every operator's prepare uses: fetching and checking tensors,
** reading options, reserving the record, resolving data pointers.
*/
#include <math.h>
#include <string.h>

#include "tml_runtime.h"

#if TML_ERROR_MESSAGES
tml_status tml_prep_fail(tml_prep *p, tml_status s, int32_t tensor,
                         const char *fmt, ...) {
  char prefix[48];
  va_list ap;
  tml_format(prefix, sizeof prefix, "op %d (%s): ", (int)p->op.index,
             tml_op_name(p->op.builtin));
  va_start(ap, fmt);
  tml_vfail(p->err, s, p->op.index, tensor, prefix, fmt, ap);
  va_end(ap);
  return s;
}
#endif

static tml_status get_tensor(tml_prep *p, int32_t index, const char *what,
                             uint32_t k, tml_tensor_view *t) {
  tml_status s;
  if (index < 0)
    return tml_prep_fail(p, TML_ERR_SCHEMA, -1, "%s %u is missing", what,
                         (unsigned)k);
  s = tml_model_tensor(p->m, index, t, NULL);
  if (s != TML_OK)
    return tml_prep_fail(p, s, index, "%s %u (tensor %d) is malformed", what,
                         (unsigned)k, (int)index);
  return TML_OK;
}

tml_status tml_prep_input(tml_prep *p, uint32_t k, tml_tensor_view *t) {
  return get_tensor(p, tml_op_input(p->m, &p->op, k), "input", k, t);
}

tml_status tml_prep_output(tml_prep *p, uint32_t k, tml_tensor_view *t) {
  tml_status s = get_tensor(p, tml_op_output(p->m, &p->op, k), "output", k, t);
  if (s == TML_OK && t->data)
    return tml_prep_fail(p, TML_ERR_GRAPH, t->index,
                         "output %u '%.*s' is a constant tensor", (unsigned)k,
                         (int)t->name_len, t->name);
  return s;
}

int tml_prep_has_input(const tml_prep *p, uint32_t k) {
  return tml_op_input(p->m, &p->op, k) >= 0;
}

tml_status tml_prep_arity(tml_prep *p, uint32_t lo, uint32_t hi,
                          uint32_t n_out) {
  if (p->op.n_inputs < lo || p->op.n_inputs > hi)
    return tml_prep_fail(p, TML_ERR_SCHEMA, -1,
                         "has %u inputs, expected %u..%u",
                         (unsigned)p->op.n_inputs, (unsigned)lo, (unsigned)hi);
  if (p->op.n_outputs != n_out)
    return tml_prep_fail(p, TML_ERR_SCHEMA, -1, "has %u outputs, expected %u",
                         (unsigned)p->op.n_outputs, (unsigned)n_out);
  return TML_OK;
}

tml_status tml_prep_type(tml_prep *p, const tml_tensor_view *t, int32_t type) {
  if (t->type != type)
    return tml_prep_fail(p, TML_ERR_TYPE, t->index,
                         "tensor %d '%.*s' is %s, expected %s", (int)t->index,
                         (int)t->name_len, t->name, tml_type_name(t->type),
                         tml_type_name(type));
  return TML_OK;
}

tml_status tml_prep_same_shape(tml_prep *p, const tml_tensor_view *a,
                               const tml_tensor_view *b) {
  int32_t i;
  int same = a->rank == b->rank;
  for (i = 0; same && i < a->rank; i++) same = a->dims[i] == b->dims[i];
  if (!same)
    return tml_prep_fail(p, TML_ERR_SHAPE, b->index,
                         "tensor %d '%.*s' has a different shape than tensor "
                         "%d", (int)b->index, (int)b->name_len, b->name,
                         (int)a->index);
  return TML_OK;
}

tml_status tml_prep_quant(tml_prep *p, const tml_tensor_view *t, float *scale,
                          int32_t *zp) {
  int32_t lo, hi;
  float s;
  if (t->n_scale == 0)
    return tml_prep_fail(p, TML_ERR_QUANT, t->index,
                         "tensor %d '%.*s' (%s) has no quantization",
                         (int)t->index, (int)t->name_len, t->name,
                         tml_type_name(t->type));
  s = tml_tensor_scale(p->m, t, 0);
  *zp = tml_tensor_zp(p->m, t, 0);
  switch (t->type) {
    case TML_INT8: lo = -128; hi = 127; break;
    case TML_UINT8: lo = 0; hi = 255; break;
    case TML_INT16: lo = -32768; hi = 32767; break;
    default: lo = INT32_MIN; hi = INT32_MAX; break;
  }
  if (!(s > 0.0f) || !isfinite(s) || *zp < lo || *zp > hi)
    return tml_prep_fail(p, TML_ERR_QUANT, t->index,
                         "tensor %d '%.*s': unusable scale or zero point %d",
                         (int)t->index, (int)t->name_len, t->name, (int)*zp);
  *scale = s;
  return TML_OK;
}

tml_status tml_prep_scales(tml_prep *p, const tml_tensor_view *t,
                           const float **scales) {
  const uint8_t *at = p->m->data + t->scale_pos;
  if (t->n_scale == 0)
    return tml_prep_fail(p, TML_ERR_QUANT, t->index,
                         "tensor %d '%.*s' has no quantization",
                         (int)t->index, (int)t->name_len, t->name);
  /* Flatbuffers align float vectors to 4 from the model's start; kernels'
  ** init functions read them in place (TML runs on little-endian cores). */
  if ((uintptr_t)at & 3)
    return tml_prep_fail(p, TML_ERR_BUFFER, t->index,
                         "tensor %d '%.*s': scales misaligned (load the model "
                         "at a 16-byte aligned address)", (int)t->index,
                         (int)t->name_len, t->name);
  *scales = (const float *)(const void *)at;
  return TML_OK;
}

tml_status tml_prep_const(tml_prep *p, const tml_tensor_view *t) {
  size_t esize = tml_type_size(t->type);
  if (!t->data)
    return tml_prep_fail(p, TML_ERR_BUFFER, t->index,
                         "tensor %d '%.*s' must be constant", (int)t->index,
                         (int)t->name_len, t->name);
  if (esize > 1 && ((uintptr_t)t->data & (esize < 4 ? esize - 1 : 3)))
    return tml_prep_fail(p, TML_ERR_BUFFER, t->index,
                         "tensor %d '%.*s': constant data misaligned (load "
                         "the model at a 16-byte aligned address)",
                         (int)t->index, (int)t->name_len, t->name);
  return TML_OK;
}

tml_status tml_prep_options(tml_prep *p, int32_t tag) {
  if (p->op.has_options && p->op.options_type != tag)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "options of type %d, expected %d",
                         (int)p->op.options_type, (int)tag);
  return TML_OK;
}

int32_t tml_prep_opt_i32(const tml_prep *p, int field, int32_t def) {
  return p->op.has_options ? tml_fb_i32(p->m, &p->op.options, field, def)
                           : def;
}

int32_t tml_prep_opt_u8(const tml_prep *p, int field, int32_t def) {
  return p->op.has_options ? tml_fb_u8(p->m, &p->op.options, field, def) : def;
}

float tml_prep_opt_f32(const tml_prep *p, int field, float def) {
  return p->op.has_options ? tml_fb_f32(p->m, &p->op.options, field, def)
                           : def;
}

tml_status tml_prep_activation(tml_prep *p, int field, tml_activation *act) {
  int32_t a = tml_prep_opt_u8(p, field, 0);
  if (a != TML_ACT_NONE && a != TML_ACT_RELU && a != TML_ACT_RELU6 &&
      a != TML_ACT_RELU_N1_TO_1)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "fused activation %d is not supported", (int)a);
  *act = (tml_activation)a;
  return TML_OK;
}

void *tml_prep_record(tml_prep *p, size_t bytes, tml_eval_fn eval) {
  tml_rec *r;
  bytes = TML_ALIGN_UP(bytes, 8);
  p->record_bytes = (uint32_t)bytes;
  if (!p->record) return NULL;
  memset(p->record, 0, bytes);
  r = (tml_rec *)(void *)p->record;
  r->eval = eval;
  r->size = (uint32_t)bytes;
  r->op = (uint32_t)p->op.index;
  return r;
}

static int32_t rep_of(const tml_plan_item *items, int32_t i) {
  while (items[i].rep >= 0) i = items[i].rep;
  return i;
}

void *tml_prep_data(const tml_prep *p, const tml_tensor_view *t) {
  const tml_plan_item *it;
  /* Variable tensors live in the arena even when the model gives them data:
  ** TFLM ignores that data too and starts them from tml_reset's values. */
  if (t->data && !t->is_variable) return (void *)(uintptr_t)t->data;
  if (!p->record) return NULL;
  it = &p->items[rep_of(p->items, t->index)];
  return (it->first == TML_PERSISTENT ? p->base : p->acts) + it->offset;
}

void *tml_prep_scratch(const tml_prep *p) {
  const int32_t k = (int32_t)p->n_tensors + p->op.index;
  if (!p->record || p->items[k].size == 0) return NULL;
  return p->acts + p->items[rep_of(p->items, k)].offset;
}

tml_shape4 tml_prep_shape4(const tml_tensor_view *t) {
  tml_shape4 s;
  s.n = t->dims[0];
  s.h = t->dims[1];
  s.w = t->dims[2];
  s.c = t->dims[3];
  return s;
}
