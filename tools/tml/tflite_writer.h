/*
** tflite_writer.h — write TensorFlow Lite models (.tflite flatbuffers).
**
** Host code: builds a model in memory and serialises it as a flatbuffer of
** tensorflow/lite/schema/schema.fbs (identifier "TFL3", schema version 3),
** with one subgraph. Buffer 0 is the empty sentinel TFLite expects.
**
**   tflw_model *m = tflw_new();
**   int b = tflw_buffer(m, weights, sizeof weights);
**   int32_t ins[3], out;
**   ins[0] = tflw_tensor(m, "in", TML_INT8, 2, in_dims, 0, &s, &zp, 1, 0, 0);
**   ins[1] = tflw_tensor(m, "w", TML_INT8, 2, w_dims, b, &ws, NULL, 1, 0, 0);
**   ...
**   int o = tflw_opt_begin(m, TFLW_OPT_FULLY_CONNECTED);
**   tflw_opt_u8(m, o, 0, 1);                  (fused_activation_function RELU)
**   tflw_op(m, TML_OP_FULLY_CONNECTED, 1, ins, 3, &out, 1, o, NULL, 0);
**   tflw_io(m, ins, 1, &out, 1);
**   tflw_finish(m, &bytes, &size);  ...  free(bytes);  tflw_free(m);
**
** Layout rules followed: the root offset is at byte 0 and the identifier at
** byte 4; every scalar is aligned to its size and every vector's elements to
** theirs, relative to the start of the file; Buffer.data (force_align: 16)
** starts 16-aligned and the file size is a multiple of 16 once any buffer
** holds data; uoffsets always point forward; identical vtables are shared.
** Alignment in memory follows when the bytes sit at a 16-aligned address, as
** tflw_finish's malloc'd result does on common hosts.
**
** Errors are sticky: a call that fails returns -1 and records a message
** (tflw_error); tflw_finish then fails too, so callers may check only that.
** Indices given to the writer (tensor, buffer, opcode) are NOT checked
** against what exists: tests can write models with bad references on purpose.
*/
#ifndef TFLITE_WRITER_H
#define TFLITE_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct tflw_model tflw_model;

/* No options for tflw_op. */
#define TFLW_NO_OPTIONS (-1)

/* BuiltinOptions union tags (schema.fbs) of the operators TML knows. */
enum {
  TFLW_OPT_NONE = 0,
  TFLW_OPT_CONV_2D = 1,                        /* Conv2DOptions */
  TFLW_OPT_DEPTHWISE_CONV_2D = 2,              /* DepthwiseConv2DOptions */
  TFLW_OPT_POOL_2D = 5,                        /* Pool2DOptions */
  TFLW_OPT_SVDF = 6,                           /* SVDFOptions */
  TFLW_OPT_FULLY_CONNECTED = 8,                /* FullyConnectedOptions */
  TFLW_OPT_SOFTMAX = 9,                        /* SoftmaxOptions */
  TFLW_OPT_CONCATENATION = 10,                 /* ConcatenationOptions */
  TFLW_OPT_ADD = 11,                           /* AddOptions */
  TFLW_OPT_LSTM = 14,                          /* LSTMOptions */
  TFLW_OPT_RESHAPE = 17,                       /* ReshapeOptions */
  TFLW_OPT_MUL = 21,                           /* MulOptions */
  TFLW_OPT_PAD = 22,                           /* PadOptions */
  TFLW_OPT_TRANSPOSE = 26,                     /* TransposeOptions */
  TFLW_OPT_REDUCER = 27,                       /* ReducerOptions (MEAN) */
  TFLW_OPT_SUB = 28,                           /* SubOptions */
  TFLW_OPT_SQUEEZE = 30,                       /* SqueezeOptions */
  TFLW_OPT_STRIDED_SLICE = 32,                 /* StridedSliceOptions */
  TFLW_OPT_DEQUANTIZE = 38,                    /* DequantizeOptions */
  TFLW_OPT_PADV2 = 43,                         /* PadV2Options */
  TFLW_OPT_EXPAND_DIMS = 52,                   /* ExpandDimsOptions */
  TFLW_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM = 71,  /* UnidirectionalSequence... */
  TFLW_OPT_LEAKY_RELU = 75,                    /* LeakyReluOptions */
  TFLW_OPT_QUANTIZE = 89,                      /* QuantizeOptions */
  TFLW_OPT_HARD_SWISH = 91                     /* HardSwishOptions */
};

tflw_model *tflw_new(void);
void tflw_free(tflw_model *m);

/* First error recorded, or NULL if every call so far succeeded. */
const char *tflw_error(const tflw_model *m);

/* Optional strings: Model.description and SubGraph.name (copied). */
int tflw_description(tflw_model *m, const char *text);
int tflw_subgraph_name(tflw_model *m, const char *name);

/* A constant buffer holding a copy of data[0..n). Returns its index (>= 1;
** index 0 is the empty sentinel). n == 0 makes a buffer without data. */
int tflw_buffer(tflw_model *m, const void *data, size_t n);

/* A tensor. name may be NULL (no name field). rank < 0 writes no shape field,
** rank 0 an empty shape (a scalar). type is a tml_type / TensorType (a byte).
** buffer: 0 for activations, else an index from tflw_buffer. With
** n_quant > 0 a QuantizationParameters table is written with n_quant scales
** (none if scales is NULL), n_quant zero points (zeros if zero_points is
** NULL) and quantized_dimension = quant_dim; n_quant 0 writes no table.
** Returns the tensor index. */
int tflw_tensor(tflw_model *m, const char *name, int type, int rank,
                const int32_t *dims, int buffer, const float *scales,
                const int64_t *zero_points, int n_quant, int quant_dim,
                int is_variable);

/* Replace tensor t's quantization: always writes a QuantizationParameters
** table (even an empty one, as converters do for float tensors), with
** independent counts so tests can write mismatched ones. */
int tflw_tensor_quant(tflw_model *m, int t, const float *scales, int n_scale,
                      const int64_t *zero_points, int n_zp, int quant_dim);

/* Operator code (builtin, version), deduplicated; returns its index. Codes
** above 127 go in builtin_code with deprecated_builtin_code = 127, as TFLite
** writes them; smaller ones in both fields. */
int tflw_opcode(tflw_model *m, int builtin, int version);
/* A CUSTOM (32) operator code named `name`. */
int tflw_custom_opcode(tflw_model *m, const char *name, int version);

/* Builtin options: begin a table for a BuiltinOptions union tag (1..255),
** then add fields by their id in the options table of schema.fbs. Returns a
** handle for tflw_op; one handle may serve several operators (the table is
** then shared). Adding a field id twice keeps the last value. Field ids are
** 0..TFLW_MAX_FIELD_ID. */
#define TFLW_MAX_FIELD_ID 63
int tflw_opt_begin(tflw_model *m, int tag);
/* Scalars: u8 for byte, ubyte, bool and enum fields (the low 8 bits). */
int tflw_opt_u8(tflw_model *m, int opt, int id, int value);
int tflw_opt_i32(tflw_model *m, int opt, int id, int32_t value);
int tflw_opt_f32(tflw_model *m, int opt, int id, float value);
int tflw_opt_i64(tflw_model *m, int opt, int id, int64_t value);
int tflw_opt_vec_i32(tflw_model *m, int opt, int id, const int32_t *values,
                     int n);

/* An operator of builtin code `builtin` (its opcode made by tflw_opcode).
** Input -1 marks an omitted optional input. options: a tflw_opt_begin handle
** or TFLW_NO_OPTIONS. intermediates may be NULL with n_inter 0 (then no
** intermediates field is written). Returns the operator index. */
int tflw_op(tflw_model *m, int builtin, int version, const int32_t *inputs,
            int n_in, const int32_t *outputs, int n_out, int options,
            const int32_t *intermediates, int n_inter);
/* The same with an explicit opcode index (custom ops, bad indices). */
int tflw_op_opcode(tflw_model *m, int opcode_index, const int32_t *inputs,
                   int n_in, const int32_t *outputs, int n_out, int options,
                   const int32_t *intermediates, int n_inter);

/* Subgraph inputs and outputs (tensor indices); replaces earlier ones. */
int tflw_io(tflw_model *m, const int32_t *inputs, int n_in,
            const int32_t *outputs, int n_out);

/* Serialise. *out is malloc'd (the caller frees it), *size its length.
** Returns 0, or -1 on any error (see tflw_error). The model is unchanged and
** may be modified and finished again. */
int tflw_finish(tflw_model *m, unsigned char **out, size_t *size);

#endif
