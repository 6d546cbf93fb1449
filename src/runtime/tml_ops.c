/*
** The operators TML implements, by TFLite builtin code, with the highest
** operator version whose semantics the preparer handles.
**
** The table is the only reference to each preparer (and through it to its
** kernels), so a firmware that defines TML_OP_SELECT and TML_OP_USE_<OP> for
** the operators it needs links only those (`tml info MODEL --ops` prints the
** flags).
*/
#include "tml_runtime.h"

static const tml_op_impl ops[] = {
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_ADD)
  { TML_OP_ADD, 5, tml_prepare_add_sub },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_AVERAGE_POOL_2D)
  { TML_OP_AVERAGE_POOL_2D, 3, tml_prepare_pool },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_CONCATENATION)
  { TML_OP_CONCATENATION, 3, tml_prepare_concat },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_CONV_2D)
  { TML_OP_CONV_2D, 8, tml_prepare_conv2d },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_DEPTHWISE_CONV_2D)
  { TML_OP_DEPTHWISE_CONV_2D, 7, tml_prepare_depthwise_conv2d },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_DEQUANTIZE)
  { TML_OP_DEQUANTIZE, 3, tml_prepare_dequantize },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_FULLY_CONNECTED)
  { TML_OP_FULLY_CONNECTED, 12, tml_prepare_fully_connected },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_LOGISTIC)
  { TML_OP_LOGISTIC, 3, tml_prepare_logistic_tanh },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_MAX_POOL_2D)
  { TML_OP_MAX_POOL_2D, 3, tml_prepare_pool },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_MUL)
  { TML_OP_MUL, 4, tml_prepare_mul },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_RELU)
  { TML_OP_RELU, 3, tml_prepare_relu },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_RELU_N1_TO_1)
  { TML_OP_RELU_N1_TO_1, 1, tml_prepare_relu },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_RELU6)
  { TML_OP_RELU6, 3, tml_prepare_relu },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_RESHAPE)
  { TML_OP_RESHAPE, 1, tml_prepare_reshape },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_SOFTMAX)
  { TML_OP_SOFTMAX, 3, tml_prepare_softmax },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_SVDF)
  { TML_OP_SVDF, 4, tml_prepare_svdf },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_TANH)
  { TML_OP_TANH, 3, tml_prepare_logistic_tanh },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_PAD)
  { TML_OP_PAD, 4, tml_prepare_pad },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_TRANSPOSE)
  { TML_OP_TRANSPOSE, 5, tml_prepare_transpose },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_MEAN)
  { TML_OP_MEAN, 3, tml_prepare_mean },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_SUB)
  { TML_OP_SUB, 5, tml_prepare_add_sub },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_SQUEEZE)
  { TML_OP_SQUEEZE, 1, tml_prepare_reshape },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_UNIDIRECTIONAL_SEQUENCE_LSTM)
  { TML_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 5, tml_prepare_lstm },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_STRIDED_SLICE)
  { TML_OP_STRIDED_SLICE, 3, tml_prepare_strided_slice },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_PADV2)
  { TML_OP_PADV2, 4, tml_prepare_pad },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_EXPAND_DIMS)
  { TML_OP_EXPAND_DIMS, 1, tml_prepare_reshape },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_LEAKY_RELU)
  { TML_OP_LEAKY_RELU, 2, tml_prepare_leaky_relu },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_QUANTIZE)
  { TML_OP_QUANTIZE, 2, tml_prepare_quantize },
#endif
#if !defined(TML_OP_SELECT) || defined(TML_OP_USE_HARD_SWISH)
  { TML_OP_HARD_SWISH, 1, tml_prepare_hard_swish },
#endif
  { -1, 0, 0 }
};

const tml_op_impl *tml_find_op(int32_t builtin) {
  size_t i;
  for (i = 0; ops[i].prepare; i++)
    if (ops[i].builtin == builtin) return &ops[i];
  return 0;
}
