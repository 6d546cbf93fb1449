/*
** tml_runtime.h — the runtime's internals: how an operator is prepared into a
** kernel record, how the arena is laid out, and the op table.
**
** Arena layout (all offsets from the 8-aligned arena start):
**   [records: one per op, in order][I/O pointers][variable table][variables]
**   [planned region: activations and scratch, reused over the schedule]
** During tml_init the planned region first holds the planner's work items;
** they are dead before the first invoke.
*/
#ifndef TML_RUNTIME_H
#define TML_RUNTIME_H

#include "tml.h"
#include "tml_kernels.h"
#include "tml_reader.h"

#define TML_ALIGN_UP(x, a) (((x) + ((a)-1)) & ~(size_t)((a)-1))

/* Every kernel record starts with this header: invoke calls eval(record). */
typedef struct tml_rec tml_rec;
typedef void (*tml_eval_fn)(const tml_rec *r);
struct tml_rec {
  tml_eval_fn eval;
  uint32_t size; /* bytes of this record, a multiple of 8 */
  uint32_t op;   /* operator index */
};

/* A planner item: a tensor's bytes or an op's scratch, live over the ops
** [first, last]. Items sharing a base address form a group: `rep` leads to
** the group's root (whose `offset` is the group's), `next` lists members. */
typedef struct tml_plan_item {
  uint32_t size;
  uint32_t offset; /* roots: in the planned region; persistent items: from
                      the arena start */
  int16_t first, last; /* TML_UNSET: never written */
  int16_t rep;   /* parent in the group, or -1 for a root */
  int16_t next;  /* next member of the group, or -1 */
  /* op items only */
  int16_t share; /* +(t+1): output 0 aliases input t; -(t+1): output 0 may
                    be written over input t where t dies */
  uint16_t flags;
  uint32_t scratch, scratch_inplace; /* scratch bytes, normal / in place */
} tml_plan_item;

/* `first` of an item kept outside the planned region (variable tensors),
** and of a tensor no op writes. Items are int16: models stay below 32767
** tensors and ops (tml_config.h limits them further). */
#define TML_PERSISTENT (-2)
#define TML_UNSET INT16_MAX

/* What prepare works with and reports. The same prepare function runs twice:
** the measure pass (record == NULL) validates the op and reports sizes and
** aliasing; the fill pass writes the record with final data pointers. */
typedef struct tml_prep {
  const tml_model *m;
  tml_op_view op;
  tml_error *err;
  int kset; /* TML_KSET_*: whose kernels' scratch the plan reserves */
  /* measure results */
  uint32_t record_bytes;
  uint32_t scratch_bytes;
  int32_t alias;       /* output 0 is input 0's bytes, reinterpreted */
  int32_t inplace;     /* input (inplace - 1) may share output 0's bytes */
  /* Scratch the op needs when it runs in place; 0 if in place needs no other
  ** kernel (elementwise ops). Non-zero marks an in-place kernel that is
  ** slower, which the planner uses only where it lowers the peak. In the
  ** fill pass an op runs in place when its input and output data pointers
  ** are equal. */
  uint32_t inplace_scratch_bytes;
  /* fill pass */
  uint8_t *record;
  uint8_t *base; /* arena start (persistent items) */
  uint8_t *acts; /* planned region */
  const tml_plan_item *items;
  uint32_t n_tensors;
} tml_prep;

typedef tml_status (*tml_prepare_fn)(tml_prep *p);

typedef struct tml_op_impl {
  int32_t builtin;
  int32_t max_version;
  tml_prepare_fn prepare;
} tml_op_impl;

/* The op table (tml_ops.c); NULL when the op is not supported. */
const tml_op_impl *tml_find_op(int32_t builtin);

/* ------------------------------------------------------ prepare helpers */

#if TML_ERROR_MESSAGES
tml_status tml_prep_fail(tml_prep *p, tml_status s, int32_t tensor,
                         const char *fmt, ...);
#else
#define tml_prep_fail(p, s, tensor, ...)                   \
  ((void)sizeof(tml_message_args(__VA_ARGS__)),            \
   tml_fail_code((p)->err, s, (p)->op.index, tensor))
#endif
/* Input/output k as a tensor view; errors if absent. */
tml_status tml_prep_input(tml_prep *p, uint32_t k, tml_tensor_view *t);
tml_status tml_prep_output(tml_prep *p, uint32_t k, tml_tensor_view *t);
/* Optional input k: 0 if absent (index -1 or beyond the list), 1 if present. */
int tml_prep_has_input(const tml_prep *p, uint32_t k);
/* Require the operator to have between lo and hi inputs and exactly n_out
** outputs. */
tml_status tml_prep_arity(tml_prep *p, uint32_t lo, uint32_t hi,
                          uint32_t n_out);
tml_status tml_prep_type(tml_prep *p, const tml_tensor_view *t, int32_t type);
/* Same type, shape check helpers. */
tml_status tml_prep_same_shape(tml_prep *p, const tml_tensor_view *a,
                               const tml_tensor_view *b);
/* Per-tensor quantization (one scale > 0, finite; zero point within the
** type's range). */
tml_status tml_prep_quant(tml_prep *p, const tml_tensor_view *t, float *scale,
                          int32_t *zp);
/* The tensor's quantization scales, read in place. */
tml_status tml_prep_scales(tml_prep *p, const tml_tensor_view *t,
                           const float **scales);
/* Constant input: data must be present (and aligned for its type). */
tml_status tml_prep_const(tml_prep *p, const tml_tensor_view *t);
/* Builtin options: checks the union tag when options are present. */
tml_status tml_prep_options(tml_prep *p, int32_t tag);
int32_t tml_prep_opt_i32(const tml_prep *p, int field, int32_t def);
int32_t tml_prep_opt_u8(const tml_prep *p, int field, int32_t def);
float tml_prep_opt_f32(const tml_prep *p, int field, float def);
/* Fused activation option: TML_ERR_OPTIONS if not one TML implements. */
tml_status tml_prep_activation(tml_prep *p, int field, tml_activation *act);
/* Reserve the record: sets record_bytes; returns the record (zeroed) in the
** fill pass and NULL in the measure pass. */
void *tml_prep_record(tml_prep *p, size_t bytes, tml_eval_fn eval);
/* Data pointer of a tensor: constant data, or its planned place in the
** arena (fill pass); NULL in the measure pass. */
void *tml_prep_data(const tml_prep *p, const tml_tensor_view *t);
/* The op's scratch buffer (fill pass), NULL if none. */
void *tml_prep_scratch(const tml_prep *p);
/* Sliding-window geometry (conv, depthwise, pooling): checks the options
** and the output's spatial size, and computes TFLite's top/left padding. */
tml_status tml_prep_window(tml_prep *p, int32_t padding, int32_t stride_h,
                           int32_t stride_w, int32_t dil_h, int32_t dil_w,
                           int32_t fh, int32_t fw, const tml_shape4 *in,
                           const tml_shape4 *out, int32_t *pad_h,
                           int32_t *pad_w);
/* NHWC view of a rank-4 tensor. */
tml_shape4 tml_prep_shape4(const tml_tensor_view *t);

/* ------------------------------------------------------ op preparers */

tml_status tml_prepare_conv2d(tml_prep *p);
tml_status tml_prepare_depthwise_conv2d(tml_prep *p);
tml_status tml_prepare_fully_connected(tml_prep *p);
tml_status tml_prepare_pool(tml_prep *p);
tml_status tml_prepare_reshape(tml_prep *p);
tml_status tml_prepare_softmax(tml_prep *p);
tml_status tml_prepare_add_sub(tml_prep *p);
tml_status tml_prepare_concat(tml_prep *p);
tml_status tml_prepare_pad(tml_prep *p);
tml_status tml_prepare_transpose(tml_prep *p);
tml_status tml_prepare_strided_slice(tml_prep *p);
tml_status tml_prepare_mean(tml_prep *p);
tml_status tml_prepare_svdf(tml_prep *p);
tml_status tml_prepare_lstm(tml_prep *p);
tml_status tml_prepare_mul(tml_prep *p);
tml_status tml_prepare_relu(tml_prep *p);
tml_status tml_prepare_leaky_relu(tml_prep *p);
tml_status tml_prepare_hard_swish(tml_prep *p);
tml_status tml_prepare_logistic_tanh(tml_prep *p);
tml_status tml_prepare_quantize(tml_prep *p);
tml_status tml_prepare_dequantize(tml_prep *p);

/* ------------------------------------------------------ planning */

/* Work items needed to plan model m. */
uint32_t tml_plan_items(const tml_model *m);

/* The planned layout of a model. */
typedef struct tml_layout {
  size_t records;    /* kernel records start at 0 */
  size_t io;         /* offset of the I/O pointer table */
  size_t vars;       /* offset of the variable table */
  size_t persistent; /* end of persistent data = start of planned region */
  size_t planned;    /* activations and scratch */
  size_t work;       /* planner work items */
  size_t lower_bound; /* largest sum of live activation bytes at any op */
  uint32_t n_vars;
} tml_layout;

/* Entry of the variable table: what tml_reset restores. */
typedef struct tml_var {
  uint32_t offset; /* from the arena start */
  uint32_t bytes;
  int32_t value;   /* byte every element is set to (int8: zero point) */
} tml_var;

/* Measure every op and plan the arena in items[0 .. tml_plan_items(m)).
** inplace: let convolutions run in place where that lowers the peak; kset
** (TML_KSET_*): the kernel set whose scratch to reserve. */
tml_status tml_plan(const tml_model *m, tml_plan_item *items, tml_layout *l,
                    int inplace, int kset, tml_error *err);

/* tml_arena_size and tml_init with the in-place choice and the kernel set
** made by the caller (they use TML_PLAN_INPLACE and the build's TML_KSET):
** `tml compile` plans for a device. */
tml_status tml_arena_size_ex(const tml_model *m, int inplace, int kset,
                             size_t *bytes, tml_error *err);
tml_status tml_init_ex(tml_interp *it, const tml_model *m, void *arena,
                       size_t arena_size, int inplace, int kset,
                       tml_error *err);

#endif
