/*
** The operators TML implements, by TFLite builtin code, with the highest
** operator version whose semantics the preparer handles.
*/
#include "tml_runtime.h"

static const tml_op_impl ops[] = {
  { TML_OP_ADD, 5, tml_prepare_add_sub },
  { TML_OP_AVERAGE_POOL_2D, 3, tml_prepare_pool },
  { TML_OP_CONCATENATION, 3, tml_prepare_concat },
  { TML_OP_CONV_2D, 8, tml_prepare_conv2d },
  { TML_OP_DEPTHWISE_CONV_2D, 7, tml_prepare_depthwise_conv2d },
  { TML_OP_DEQUANTIZE, 3, tml_prepare_dequantize },
  { TML_OP_FULLY_CONNECTED, 12, tml_prepare_fully_connected },
  { TML_OP_LOGISTIC, 3, tml_prepare_logistic_tanh },
  { TML_OP_MAX_POOL_2D, 3, tml_prepare_pool },
  { TML_OP_MUL, 4, tml_prepare_mul },
  { TML_OP_RELU, 3, tml_prepare_relu },
  { TML_OP_RELU_N1_TO_1, 1, tml_prepare_relu },
  { TML_OP_RELU6, 3, tml_prepare_relu },
  { TML_OP_RESHAPE, 1, tml_prepare_reshape },
  { TML_OP_SOFTMAX, 3, tml_prepare_softmax },
  { TML_OP_SVDF, 4, tml_prepare_svdf },
  { TML_OP_TANH, 3, tml_prepare_logistic_tanh },
  { TML_OP_PAD, 4, tml_prepare_pad },
  { TML_OP_TRANSPOSE, 5, tml_prepare_transpose },
  { TML_OP_MEAN, 3, tml_prepare_mean },
  { TML_OP_SUB, 5, tml_prepare_add_sub },
  { TML_OP_SQUEEZE, 1, tml_prepare_reshape },
  { TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 5, tml_prepare_lstm },
  { TML_OP_STRIDED_SLICE, 3, tml_prepare_strided_slice },
  { TML_OP_PADV2, 4, tml_prepare_pad },
  { TML_OP_EXPAND_DIMS, 1, tml_prepare_reshape },
  { TML_OP_LEAKY_RELU, 2, tml_prepare_leaky_relu },
  { TML_OP_QUANTIZE, 2, tml_prepare_quantize },
  { TML_OP_HARD_SWISH, 1, tml_prepare_hard_swish }
};

const tml_op_impl *tml_find_op(int32_t builtin) {
  size_t i;
  for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (ops[i].builtin == builtin) return &ops[i];
  return 0;
}
