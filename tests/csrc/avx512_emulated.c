/*
 * The AVX-512 intrinsic loops (relu, copy) of src/relu/_csrc/loops.h,
 * compiled without the avx512f target and run through SIMDe's portable
 * implementation of the same intrinsics
 * (https://github.com/simd-everywhere/simde), on any x86-64 CPU. Each is compared bit for bit with the scalar loop of the same operation on
 * random bit patterns (NaN payloads, signalling NaNs, both zeros, infinities,
 * subnormals), every length up to 200 and every destination offset up to 15
 * elements, so the vector bodies, the masks, the streaming heads and the
 * scalar tails are all exercised. This checks the loops' logic; a CPU with
 * AVX-512 runs the compiled loops themselves (tests/test_native.py).
 *
 * Built and run by tests/test_avx512_emulated.py. Exit status 0: all equal.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <immintrin.h>
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

/* SIMDe has no streaming stores: a streaming store is a store, which must
 * go to a 64-byte aligned address (else the real instruction faults). */
static long misaligned = 0;

static void
stream_ps(float *p, simde__m512 v)
{
    misaligned += ((uintptr_t)p & 63u) != 0;
    simde_mm512_storeu_ps(p, v);
}

static void
stream_pd(double *p, simde__m512d v)
{
    misaligned += ((uintptr_t)p & 63u) != 0;
    simde_mm512_storeu_pd(p, v);
}
#undef _mm512_stream_ps
#undef _mm512_stream_pd
#define _mm512_stream_ps stream_ps
#define _mm512_stream_pd stream_pd

#define RELU_AVX512_TARGET /* no target attribute: SIMDe's portable code */
#include "loops.h"

static uint64_t state = 88172645463325252ULL;

static uint64_t
next_bits(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static long checked = 0, failed = 0;

static void
same(const void *a, const void *b, size_t bytes, const char *what, long n, int offset)
{
    checked++;
    if (memcmp(a, b, bytes) != 0) {
        if (failed++ < 10)
            printf("differs: %s n=%ld offset=%d\n", what, n, offset);
    }
}

#define CHECK_TYPE(T, NAME, BITS)                                               \
    static void check_##NAME(void)                                              \
    {                                                                           \
        enum { MAX = 200, PAD = 16 };                                           \
        static T x[MAX], want[MAX + PAD], got[MAX + PAD];                       \
        for (int round = 0; round < 20; round++)                                \
            for (long n = 0; n <= MAX; n++)                                     \
                for (int offset = 0; offset < PAD; offset++) {                  \
                    for (long i = 0; i < n; i++) {                              \
                        BITS b = (BITS)next_bits();                             \
                        if (i % 7 == 0) b &= ~((BITS)0) >> 1; /* some positives */ \
                        memcpy(&x[i], &b, sizeof b);                            \
                    }                                                           \
                    size_t bytes = (size_t)n * sizeof(T);                       \
                    for (int stream = 0; stream < 2; stream++) {                \
                        NAME##_relu_scalar(x, want + offset, n);                \
                        NAME##_relu_avx512(x, got + offset, n, stream);         \
                        same(want + offset, got + offset, bytes, #NAME " relu", n, offset); \
                        NAME##_copy_avx512(x, got + offset, n, stream);         \
                        same(x, got + offset, bytes, #NAME " copy", n, offset); \
                    }                                                           \
                }                                                               \
    }

CHECK_TYPE(float, f32, uint32_t)
CHECK_TYPE(double, f64, uint64_t)

int
main(void)
{
    check_f32();
    check_f64();
    printf("%ld comparisons, %ld differ, %ld misaligned streaming stores\n", checked, failed,
           misaligned);
    return failed != 0 || misaligned != 0;
}
