/*
** tml_reader.h — the only code in TML that touches flatbuffer offsets.
**
** A .tflite file is a flatbuffer (schema: tensorflow/lite/schema/schema.fbs).
** Every position below is a byte offset into the model, already checked to
** lie inside it; readers return defaults for absent fields, as flatbuffers do.
*/
#ifndef TML_READER_H
#define TML_READER_H

#include <stdarg.h>

#include "tml.h"

/* Builtin operator codes (schema.fbs BuiltinOperator) TML knows by name. */
enum {
  TML_OP_ADD = 0,
  TML_OP_AVERAGE_POOL_2D = 1,
  TML_OP_CONCATENATION = 2,
  TML_OP_CONV_2D = 3,
  TML_OP_DEPTHWISE_CONV_2D = 4,
  TML_OP_DEQUANTIZE = 6,
  TML_OP_FULLY_CONNECTED = 9,
  TML_OP_LOGISTIC = 14,
  TML_OP_MAX_POOL_2D = 17,
  TML_OP_MUL = 18,
  TML_OP_RELU = 19,
  TML_OP_RELU_N1_TO_1 = 20,
  TML_OP_RELU6 = 21,
  TML_OP_RESHAPE = 22,
  TML_OP_SOFTMAX = 25,
  TML_OP_SVDF = 27,
  TML_OP_TANH = 28,
  TML_OP_CUSTOM = 32,
  TML_OP_PAD = 34,
  TML_OP_TRANSPOSE = 39,
  TML_OP_MEAN = 40,
  TML_OP_SUB = 41,
  TML_OP_SQUEEZE = 43,
  TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
  TML_OP_STRIDED_SLICE = 45,
  TML_OP_PADV2 = 60,
  TML_OP_EXPAND_DIMS = 70,
  TML_OP_LEAKY_RELU = 98,
  TML_OP_QUANTIZE = 114,
  TML_OP_HARD_SWISH = 117
};

/* Name of a builtin operator code ("CONV_2D"), "UNKNOWN" if out of range. */
const char *tml_op_name(int32_t builtin);

/* A table inside the model. */
typedef struct tml_fb_table {
  uint32_t pos;     /* table start */
  uint32_t vtab;    /* vtable start */
  uint32_t vt_size; /* vtable bytes */
  uint32_t tb_size; /* inline table bytes (from the vtable) */
} tml_fb_table;

/* Position of field `id` of t (0 when absent); `size` bytes there are in
** bounds. */
uint32_t tml_fb_field(const tml_model *m, const tml_fb_table *t, int id,
                      uint32_t size);
int32_t tml_fb_i32(const tml_model *m, const tml_fb_table *t, int id,
                   int32_t def);
uint32_t tml_fb_u32(const tml_model *m, const tml_fb_table *t, int id,
                    uint32_t def);
int32_t tml_fb_i8(const tml_model *m, const tml_fb_table *t, int id,
                  int32_t def);
int32_t tml_fb_u8(const tml_model *m, const tml_fb_table *t, int id,
                  int32_t def);
float tml_fb_f32(const tml_model *m, const tml_fb_table *t, int id, float def);
/* Sub-table field. Returns 0 if absent, 1 if present, -1 if malformed. */
int tml_fb_subtable(const tml_model *m, const tml_fb_table *t, int id,
                    tml_fb_table *out);
/* Vector field of elements of `elem` bytes: *pos = first element, *len =
** count. Returns 0 if absent, 1 if present, -1 if malformed. */
int tml_fb_vector(const tml_model *m, const tml_fb_table *t, int id,
                  uint32_t elem, uint32_t *pos, uint32_t *len);
/* Element k of a vector of tables. Returns 1, or -1 if malformed. */
int tml_fb_vector_table(const tml_model *m, uint32_t vec_pos, uint32_t k,
                        tml_fb_table *out);

/* Little-endian loads at a checked position. */
uint32_t tml_rd_u32(const tml_model *m, uint32_t pos);
int32_t tml_rd_i32(const tml_model *m, uint32_t pos);
int64_t tml_rd_i64(const tml_model *m, uint32_t pos);
float tml_rd_f32(const tml_model *m, uint32_t pos);

/* A tensor of subgraph 0. */
typedef struct tml_tensor_view {
  int32_t index;
  int32_t type;
  int32_t rank;
  int32_t dims[TML_MAX_RANK];
  int32_t elements;
  uint32_t bytes;      /* elements * type size */
  const uint8_t *data; /* constant data, NULL for activations */
  uint32_t data_size;
  const char *name;
  uint32_t name_len;
  uint32_t n_scale, scale_pos;
  uint32_t n_zp, zp_pos;
  int32_t quant_dim;
  int32_t is_variable;
} tml_tensor_view;

tml_status tml_model_tensor(const tml_model *m, int32_t index,
                            tml_tensor_view *t, tml_error *err);
/* Quantization scale / zero point k (0 if absent). */
float tml_tensor_scale(const tml_model *m, const tml_tensor_view *t,
                       uint32_t k);
int32_t tml_tensor_zp(const tml_model *m, const tml_tensor_view *t,
                      uint32_t k);

/* An operator of subgraph 0. */
typedef struct tml_op_view {
  int32_t index;
  int32_t builtin;
  int32_t version;
  uint32_t n_inputs, inputs_pos;
  uint32_t n_outputs, outputs_pos;
  uint32_t n_intermediates, intermediates_pos;
  int32_t options_type; /* BuiltinOptions union tag, 0 = none */
  int32_t has_options;
  tml_fb_table options;
} tml_op_view;

tml_status tml_model_op(const tml_model *m, int32_t index, tml_op_view *op,
                        tml_error *err);
/* Tensor index of input/output k, -1 for an omitted optional input. */
int32_t tml_op_input(const tml_model *m, const tml_op_view *op, uint32_t k);
int32_t tml_op_output(const tml_model *m, const tml_op_view *op, uint32_t k);
int32_t tml_op_intermediate(const tml_model *m, const tml_op_view *op,
                            uint32_t k);

/* Subgraph input/output k: tensor index. */
int32_t tml_model_input(const tml_model *m, uint32_t k);
int32_t tml_model_output(const tml_model *m, uint32_t k);

/* Error reporting without stdio: a printf subset (%d %u %ld %lu %zu %s %.*s
** %c %%), truncating at TML_ERROR_MESSAGE_SIZE. Returns s. With
** TML_ERROR_MESSAGES 0 the macros drop the format and its arguments, so no
** message text reaches the flash. */
tml_status tml_fail_code(tml_error *err, tml_status s, int32_t op,
                         int32_t tensor);
#if TML_ERROR_MESSAGES
tml_status tml_fail(tml_error *err, tml_status s, int32_t op, int32_t tensor,
                    const char *fmt, ...);
tml_status tml_vfail(tml_error *err, tml_status s, int32_t op, int32_t tensor,
                     const char *prefix, const char *fmt, va_list ap);
size_t tml_format(char *buf, size_t n, const char *fmt, ...);
size_t tml_vformat(char *buf, size_t n, const char *fmt, va_list ap);
#else
/* Never defined: it only appears under sizeof, which keeps the message's
** arguments "used" without evaluating them or emitting their strings. */
int tml_message_args(const char *fmt, ...);
#define tml_fail(err, s, op, tensor, ...)             \
  ((void)sizeof(tml_message_args(__VA_ARGS__)),       \
   tml_fail_code(err, s, op, tensor))
#endif

#endif
