/*
** tml_config.h — build-time configuration of the TML runtime (like luaconf.h).
** Every setting can be overridden with -D on the compiler command line. The
** ones that shape public structs (TML_MAX_RANK, TML_ERROR_MESSAGES,
** TML_ERROR_MESSAGE_SIZE) must be the same for the library and for every
** file that includes tml.h.
*/
#ifndef TML_CONFIG_H
#define TML_CONFIG_H

/* Largest tensor rank the runtime accepts (TFLite kernels go up to 6). */
#ifndef TML_MAX_RANK
#define TML_MAX_RANK 6
#endif

/* Limits checked when a model is loaded; they bound the work and the stack
** the runtime may need, so a hostile model cannot make it loop for long. */
#ifndef TML_MAX_TENSORS
#define TML_MAX_TENSORS 1024 /* at most 16383: the planner counts in int16 */
#endif
#ifndef TML_MAX_OPS
#define TML_MAX_OPS 1024
#endif
#ifndef TML_MAX_OP_INPUTS
#define TML_MAX_OP_INPUTS 24
#endif
#ifndef TML_MAX_OP_OUTPUTS
#define TML_MAX_OP_OUTPUTS 8
#endif

/* tml_arena_size() plans on the stack: up to this many tensors + ops
** (28 bytes each). tml_init plans inside the arena and has no such limit. */
#ifndef TML_ARENA_SIZE_ITEMS
#define TML_ARENA_SIZE_ITEMS 512
#endif

/* Let the planner run depthwise and pointwise convolutions in place (one
** channel or one pixel at a time) where that lowers the arena's peak. On an
** x86-64 host the vector kernels run out of place, and RAM is plentiful, so
** the interpreter there plans for speed; `tml plan` and `tml compile` plan
** for a device either way. */
#ifndef TML_PLAN_INPLACE
#if defined(__x86_64__) && defined(__GNUC__) && !defined(TML_KERNELS_PORTABLE)
#define TML_PLAN_INPLACE 0
#else
#define TML_PLAN_INPLACE 1
#endif
#endif

/* Alignment (bytes) of every tensor placed in the arena. Kernels only need the
** natural alignment of their element type; 4 keeps int32/float tensors legal. */
#ifndef TML_TENSOR_ALIGN
#define TML_TENSOR_ALIGN 4
#endif

/* Alignment of constant arrays in generated code (tml compile). */
#ifndef TML_ALIGNED
#if defined(__GNUC__) || defined(__clang__)
#define TML_ALIGNED(n) __attribute__((aligned(n)))
#else
#define TML_ALIGNED(n)
#endif
#endif

/* Arena canary: tml_init writes 8 known bytes right after the planned
** region and tml_invoke checks them after the last operator, returning
** TML_ERR_CANARY if a kernel wrote past the tensors it was given. Costs 8
** bytes of arena and one compare per invoke. */
#ifndef TML_ARENA_CANARY
#define TML_ARENA_CANARY 0
#endif

/* Human-readable error messages (tml_interp.error). Disable to save flash on
** a device: the status codes stay. */
#ifndef TML_ERROR_MESSAGES
#define TML_ERROR_MESSAGES 1
#endif
#ifndef TML_ERROR_MESSAGE_SIZE
#define TML_ERROR_MESSAGE_SIZE 128
#endif

/* Kernel variants selected at build time. TML_KERNELS_ARM_DSP picks the
** Cortex-M DSP-extension kernels where they exist (set automatically when the
** compiler targets a core with the DSP extension, unless TML_KERNELS_PORTABLE). */
#if !defined(TML_KERNELS_PORTABLE) && !defined(TML_KERNELS_ARM_DSP) && \
    defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define TML_KERNELS_ARM_DSP 1
#endif

/* TML_KERNELS_ARM_MVE picks the Helium (MVE) kernels where they exist, on a
** core with MVE (Cortex-M55), beside the DSP ones, which every other op and
** the in-place convolutions keep; the plan's scratch stays the DSP set's. */
#if !defined(TML_KERNELS_PORTABLE) && !defined(TML_KERNELS_ARM_MVE) && \
    defined(TML_KERNELS_ARM_DSP) && defined(__ARM_FEATURE_MVE) &&      \
    __ARM_FEATURE_MVE
#define TML_KERNELS_ARM_MVE 1
#endif

#endif
