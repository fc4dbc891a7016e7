/*
 * relu._native: the compiled loops behind relu.relu, relu.relu_grad,
 * relu.relu_backward and the two-slope variants (leaky_relu, prelu with one
 * weight, piecewise_linear, and their derivatives), for float32 and float64.
 *
 * Optional: when this file cannot be compiled, the package falls back to its
 * NumPy paths (relu/_kernel.py), which give the same bits. It needs only
 * CPython's C API (no NumPy headers) and POSIX threads: arrays arrive
 * through the buffer protocol, and every loop runs with the GIL released,
 * on as many threads as the caller asks for.
 *
 * The loops compute, element by element:
 *
 *   relu:          y = (x <= 0) ? +0 : x       NaN and its payload stay,
 *                                               -0.0 and -inf give +0
 *   relu_grad:     y = (x > 0) ? 1 : 0         NaN gives 0
 *   relu_backward: y = (x > 0) ? g : +0        g's bits where x > 0
 *   two_slopes:    see its section below
 *
 * which is bit for bit what np.maximum(x, 0), (x > 0).astype(dtype),
 * np.where(x > 0, g, 0) and the NumPy path of two_slopes give. On x86-64
 * the first three are written with SSE2 (part of every x86-64 CPU) and
 * again with AVX2, chosen at import when the CPU has it: a comparison gives
 * an all-ones or all-zeros mask per element and a bitwise AND picks the
 * result, with no branches.
 *
 * relu can also write with non-temporal ("streaming") stores. When the
 * output is larger than the caches, an ordinary store first reads each
 * destination cache line from memory, only to overwrite it; a streaming store
 * skips that read, so out-of-place ReLU moves two bytes per result byte
 * instead of three. For outputs that fit in the cache it is slower (the
 * result is pushed out to memory), so the caller decides by size.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* Threads need POSIX threads and GCC's atomics. Elsewhere (MSVC on Windows),
 * or when built with -DRELU_NO_THREADS, the compiled loops run on the calling
 * thread only: the same results, one core. */
#if !defined(RELU_NO_THREADS) && (defined(_WIN32) || !defined(__GNUC__))
#define RELU_NO_THREADS 1
#endif
#ifndef RELU_NO_THREADS
#include <pthread.h>
#endif

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define RELU_SSE2 1
#else
#define RELU_SSE2 0
#endif

/* ---- scalar loops: the tails of the SIMD loops, and other CPUs ---------- */

#define SCALAR_LOOPS(T, NAME)                                                   \
    static void NAME##_relu_scalar(const T *s, T *d, Py_ssize_t n)             \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++) {                                    \
            T v = s[i];                                                         \
            d[i] = v <= (T)0 ? (T)0 : v;                                        \
        }                                                                       \
    }                                                                           \
    static void NAME##_grad_scalar(const T *s, T *d, Py_ssize_t n)             \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++)                                      \
            d[i] = s[i] > (T)0 ? (T)1 : (T)0;                                   \
    }                                                                           \
    static void NAME##_backward_scalar(const T *g, const T *x, T *d,           \
                                       Py_ssize_t n)                            \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++)                                      \
            d[i] = x[i] > (T)0 ? g[i] : (T)0;                                   \
    }

SCALAR_LOOPS(float, f32)
SCALAR_LOOPS(double, f64)

/* ---- two slopes: leaky ReLU, PReLU with one weight, piecewise_linear ------
 *
 *   y = x * (x > t ? hi : lo)                      both slopes nonzero
 *   y = x > t ? (hi ? x * hi : +0) : (lo ? x * lo : +0), NaN kept as it is
 *                                                  a slope of zero
 *   y = x > t ? hi : lo                            the derivative
 *
 * bit for bit what relu._kernel.two_slopes computes with NumPy. `t` arrives
 * as the float64 threshold and is replaced by the largest value of the
 * array's type that is not above it, so that comparing in that type gives
 * exactly `x > t`. The loops are plain C, vectorized by the compiler (-O3);
 * the ATTR argument compiles a second copy for AVX2.
 */
#define TWO_SLOPE_LOOPS(T, NAME, SUFFIX, ATTR)                                  \
    ATTR static void NAME##_two_slopes##SUFFIX(const T *s, T *d, Py_ssize_t n,   \
                                               T t, T lo, T hi, int deriv)      \
    {                                                                           \
        if (deriv) {                                                            \
            for (Py_ssize_t i = 0; i < n; i++)                                  \
                d[i] = s[i] > t ? hi : lo;                                      \
        }                                                                       \
        else if (lo != (T)0 && hi != (T)0) {                                    \
            for (Py_ssize_t i = 0; i < n; i++) {                                \
                T v = s[i];                                                     \
                d[i] = v * (v > t ? hi : lo);                                   \
            }                                                                   \
        }                                                                       \
        else {                                                                  \
            for (Py_ssize_t i = 0; i < n; i++) {                                \
                T v = s[i];                                                     \
                T up = hi != (T)0 ? v * hi : (T)0;                              \
                T down = lo != (T)0 ? v * lo : (T)0;                            \
                T r = v > t ? up : down;                                        \
                d[i] = v != v ? v : r;                                          \
            }                                                                   \
        }                                                                       \
    }

TWO_SLOPE_LOOPS(float, f32, , )
TWO_SLOPE_LOOPS(double, f64, , )

static float
f32_threshold(double t)
{
    float f = (float)t;
    return (double)f > t ? nextafterf(f, -INFINITY) : f;
}

static double
f64_threshold(double t)
{
    return t;
}

/* ---- SSE2 loops ---------------------------------------------------------
 * One macro writes the float32 (ps, 4 lanes) and float64 (pd, 2 lanes)
 * versions. Loads are unaligned (any NumPy array); streaming stores need a
 * 16-byte aligned destination, so a scalar head runs until it is.
 */
#if RELU_SSE2

#define SSE2_LOOPS(T, NAME, V, SFX, LANES)                                      \
    static void NAME##_relu(const T *s, T *d, Py_ssize_t n, int stream)        \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm_setzero_##SFX();                                     \
        if (stream) {                                                           \
            while (i < n && ((uintptr_t)(d + i) & 15u)) {                       \
                NAME##_relu_scalar(s + i, d + i, 1);                            \
                i++;                                                            \
            }                                                                   \
            for (; i + LANES <= n; i += LANES) {                                \
                V v = _mm_loadu_##SFX(s + i);                                   \
                _mm_stream_##SFX(d + i,                                         \
                                 _mm_andnot_##SFX(_mm_cmple_##SFX(v, zero), v)); \
            }                                                                   \
            _mm_sfence(); /* order the streamed stores before returning */     \
        }                                                                       \
        else {                                                                  \
            for (; i + LANES <= n; i += LANES) {                                \
                V v = _mm_loadu_##SFX(s + i);                                   \
                _mm_storeu_##SFX(d + i,                                         \
                                 _mm_andnot_##SFX(_mm_cmple_##SFX(v, zero), v)); \
            }                                                                   \
        }                                                                       \
        NAME##_relu_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    static void NAME##_grad(const T *s, T *d, Py_ssize_t n)                    \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm_setzero_##SFX(), one = _mm_set1_##SFX((T)1);         \
        for (; i + LANES <= n; i += LANES) {                                    \
            V v = _mm_loadu_##SFX(s + i);                                       \
            _mm_storeu_##SFX(d + i, _mm_and_##SFX(_mm_cmpgt_##SFX(v, zero), one)); \
        }                                                                       \
        NAME##_grad_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    static void NAME##_backward(const T *g, const T *x, T *d, Py_ssize_t n)    \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm_setzero_##SFX();                                     \
        for (; i + LANES <= n; i += LANES) {                                    \
            V m = _mm_cmpgt_##SFX(_mm_loadu_##SFX(x + i), zero);                \
            _mm_storeu_##SFX(d + i, _mm_and_##SFX(m, _mm_loadu_##SFX(g + i)));  \
        }                                                                       \
        NAME##_backward_scalar(g + i, x + i, d + i, n - i);                     \
    }

SSE2_LOOPS(float, f32, __m128, ps, 4)
SSE2_LOOPS(double, f64, __m128d, pd, 2)

#else /* other CPUs: the compiler vectorizes the scalar loops as it can */

static void f32_relu(const float *s, float *d, Py_ssize_t n, int stream)
{ (void)stream; f32_relu_scalar(s, d, n); }
static void f64_relu(const double *s, double *d, Py_ssize_t n, int stream)
{ (void)stream; f64_relu_scalar(s, d, n); }
#define f32_grad f32_grad_scalar
#define f64_grad f64_grad_scalar
#define f32_backward f32_backward_scalar
#define f64_backward f64_backward_scalar

#endif

/* ---- AVX2 loops: the same, 32 bytes at a time, two vectors per step -------
 * Compiled for AVX2 whatever the build's flags, and chosen at import on CPUs
 * that have it (set RELU_NATIVE_SIMD=sse2 to keep the SSE2 loops). In the
 * cache they run about twice as fast as the SSE2 ones; from memory the two
 * are the same, since there the bandwidth is the limit.
 */
#if RELU_SSE2 && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define RELU_AVX2 1
#include <immintrin.h>

#define AVX2_LOOPS(T, NAME, V, SFX, LANES)                                      \
    __attribute__((target("avx2"))) static void                                 \
    NAME##_relu_avx2(const T *s, T *d, Py_ssize_t n, int stream)               \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm256_setzero_##SFX();                                  \
        if (stream) {                                                           \
            while (i < n && ((uintptr_t)(d + i) & 31u)) {                       \
                NAME##_relu_scalar(s + i, d + i, 1);                            \
                i++;                                                            \
            }                                                                   \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                        \
                V a = _mm256_loadu_##SFX(s + i);                                \
                V b = _mm256_loadu_##SFX(s + i + LANES);                        \
                _mm256_stream_##SFX(d + i, _mm256_andnot_##SFX(                 \
                    _mm256_cmp_##SFX(a, zero, _CMP_LE_OQ), a));                 \
                _mm256_stream_##SFX(d + i + LANES, _mm256_andnot_##SFX(         \
                    _mm256_cmp_##SFX(b, zero, _CMP_LE_OQ), b));                 \
            }                                                                   \
            _mm_sfence();                                                       \
        }                                                                       \
        else {                                                                  \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                        \
                V a = _mm256_loadu_##SFX(s + i);                                \
                V b = _mm256_loadu_##SFX(s + i + LANES);                        \
                _mm256_storeu_##SFX(d + i, _mm256_andnot_##SFX(                 \
                    _mm256_cmp_##SFX(a, zero, _CMP_LE_OQ), a));                 \
                _mm256_storeu_##SFX(d + i + LANES, _mm256_andnot_##SFX(         \
                    _mm256_cmp_##SFX(b, zero, _CMP_LE_OQ), b));                 \
            }                                                                   \
        }                                                                       \
        NAME##_relu_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    __attribute__((target("avx2"))) static void                                 \
    NAME##_grad_avx2(const T *s, T *d, Py_ssize_t n)                           \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm256_setzero_##SFX(), one = _mm256_set1_##SFX((T)1);   \
        for (; i + LANES <= n; i += LANES) {                                    \
            V m = _mm256_cmp_##SFX(_mm256_loadu_##SFX(s + i), zero, _CMP_GT_OQ); \
            _mm256_storeu_##SFX(d + i, _mm256_and_##SFX(m, one));               \
        }                                                                       \
        NAME##_grad_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    __attribute__((target("avx2"))) static void                                 \
    NAME##_backward_avx2(const T *g, const T *x, T *d, Py_ssize_t n)           \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm256_setzero_##SFX();                                  \
        for (; i + LANES <= n; i += LANES) {                                    \
            V m = _mm256_cmp_##SFX(_mm256_loadu_##SFX(x + i), zero, _CMP_GT_OQ); \
            _mm256_storeu_##SFX(d + i, _mm256_and_##SFX(m, _mm256_loadu_##SFX(g + i))); \
        }                                                                       \
        NAME##_backward_scalar(g + i, x + i, d + i, n - i);                     \
    }

AVX2_LOOPS(float, f32, __m256, ps, 8)
AVX2_LOOPS(double, f64, __m256d, pd, 4)
TWO_SLOPE_LOOPS(float, f32, _avx2, __attribute__((target("avx2"))))
TWO_SLOPE_LOOPS(double, f64, _avx2, __attribute__((target("avx2"))))

#else
#define RELU_AVX2 0
#endif

/* ---- dispatch: the loops this CPU runs, chosen once at import ------------ */

static void (*run_f32_relu)(const float *, float *, Py_ssize_t, int) = f32_relu;
static void (*run_f64_relu)(const double *, double *, Py_ssize_t, int) = f64_relu;
static void (*run_f32_grad)(const float *, float *, Py_ssize_t) = f32_grad;
static void (*run_f64_grad)(const double *, double *, Py_ssize_t) = f64_grad;
static void (*run_f32_backward)(const float *, const float *, float *, Py_ssize_t) = f32_backward;
static void (*run_f64_backward)(const double *, const double *, double *, Py_ssize_t) = f64_backward;
static void (*run_f32_two_slopes)(const float *, float *, Py_ssize_t, float, float, float, int) = f32_two_slopes;
static void (*run_f64_two_slopes)(const double *, double *, Py_ssize_t, double, double, double, int) = f64_two_slopes;
static const char *simd_name = RELU_SSE2 ? "sse2" : "none";

static void
choose_loops(void)
{
#if RELU_AVX2
    const char *wanted = getenv("RELU_NATIVE_SIMD");
    if (wanted != NULL && strcmp(wanted, "sse2") == 0)
        return;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) {
        run_f32_relu = f32_relu_avx2;
        run_f64_relu = f64_relu_avx2;
        run_f32_grad = f32_grad_avx2;
        run_f64_grad = f64_grad_avx2;
        run_f32_backward = f32_backward_avx2;
        run_f64_backward = f64_backward_avx2;
        run_f32_two_slopes = f32_two_slopes_avx2;
        run_f64_two_slopes = f64_two_slopes_avx2;
        simd_name = "avx2";
    }
#endif
}

/* ---- argument handling ---------------------------------------------------
 *
 * Each function takes its arrays through the buffer protocol and returns
 * True when it computed the result, or False, having written nothing, when
 * the arrays are valid but not laid out for a flat loop: not contiguous,
 * contiguous in different orders, not aligned to their item size, or an
 * output that partially overlaps an input. The caller (relu/_kernel.py) then
 * takes its NumPy path. Arguments that can never be right raise: a buffer
 * that is not float32 or float64, mixed dtypes or shapes, a read-only output.
 */

/* 'f' (float32) or 'd' (float64) for a native-order format string, else 0. */
static char
float_kind(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '@' || *f == '=' || (*f == '<' && PY_LITTLE_ENDIAN) ||
        (*f == '>' && !PY_LITTLE_ENDIAN))
        f++;
    if ((f[0] == 'f' && b->itemsize == 4) || (f[0] == 'd' && b->itemsize == 8))
        return f[1] == '\0' ? f[0] : 0;
    return 0;
}

static void
release(Py_buffer *views, int count)
{
    for (int i = 0; i < count; i++)
        PyBuffer_Release(&views[i]);
}

/* Fill views[0..count-1] (the last one writable), all of one float dtype and
 * one shape. Returns the dtype's kind, or 0 with an exception set and
 * nothing held. */
static char
get_buffers(PyObject *const *objs, Py_buffer *views, int count)
{
    char kind = 0;
    for (int i = 0; i < count; i++) {
        int flags = PyBUF_STRIDES | PyBUF_FORMAT | (i == count - 1 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objs[i], &views[i], flags) < 0) {
            release(views, i);
            return 0;
        }
        char k = float_kind(&views[i]);
        int same = i == 0 || (k == kind && views[i].ndim == views[0].ndim);
        for (int d = 0; same && d < views[i].ndim; d++)
            same = views[i].shape[d] == views[0].shape[d];
        if (k == 0 || !same) {
            release(views, i + 1);
            if (k == 0)
                PyErr_SetString(PyExc_TypeError,
                                "relu._native works on float32 and float64 buffers only");
            else
                PyErr_SetString(PyExc_ValueError,
                                "relu._native needs buffers of one dtype and one shape");
            return 0;
        }
        kind = k;
    }
    return kind;
}

/* True when [a, a+len) and [b, b+len) overlap without being the same range:
 * the loops read each element before writing it, but only at one offset. */
static int
partial_overlap(const Py_buffer *a, const Py_buffer *b)
{
    const char *x = a->buf, *y = b->buf;
    if (x == y)
        return 0;
    return x < y + b->len && y < x + a->len;
}

/* True when the views can be walked as one flat array each: all contiguous
 * in one order (C, or else Fortran), aligned, and the output (the last view)
 * either the same memory as an input or apart from all of them. */
static int
flat_loop_fits(const Py_buffer *views, int count)
{
    char order = 'C';
    for (int i = 0; i < count; i++)
        if (!PyBuffer_IsContiguous(&views[i], 'C'))
            order = 'F';
    for (int i = 0; i < count; i++) {
        if (order == 'F' && !PyBuffer_IsContiguous(&views[i], 'F'))
            return 0;
        if ((uintptr_t)views[i].buf % (uintptr_t)views[i].itemsize)
            return 0;
        if (i < count - 1 && partial_overlap(&views[i], &views[count - 1]))
            return 0;
    }
    return 1;
}

/* ---- threads --------------------------------------------------------------
 * A call with threads > 1 hands pieces of the work (starting on 64-byte
 * cache lines, so no two threads write to one line) to threads - 1 helper
 * threads and works beside them, then waits for them. The GIL is released
 * throughout. Waking a helper costs tens of microseconds, which is why the
 * caller asks for threads only for large arrays. If a helper cannot be
 * started, the others take its pieces.
 */

enum { OP_RELU, OP_GRAD, OP_BACKWARD, OP_TWO_SLOPES };
#define MAX_THREADS 256

typedef struct {
    int op, stream;
    char kind;
    const void *a, *b; /* inputs: x; or dout and x */
    void *d;           /* output */
    Py_ssize_t n;
    double t, lo, hi;  /* two slopes: threshold and slopes */
    int deriv;         /* two slopes: the derivative instead */
} job_t;

static void
run_job(const job_t *j)
{
    if (j->kind == 'f') {
        if (j->op == OP_RELU)
            run_f32_relu(j->a, j->d, j->n, j->stream);
        else if (j->op == OP_GRAD)
            run_f32_grad(j->a, j->d, j->n);
        else if (j->op == OP_BACKWARD)
            run_f32_backward(j->a, j->b, j->d, j->n);
        else
            run_f32_two_slopes(j->a, j->d, j->n, f32_threshold(j->t), (float)j->lo,
                               (float)j->hi, j->deriv);
    }
    else {
        if (j->op == OP_RELU)
            run_f64_relu(j->a, j->d, j->n, j->stream);
        else if (j->op == OP_GRAD)
            run_f64_grad(j->a, j->d, j->n);
        else if (j->op == OP_BACKWARD)
            run_f64_backward(j->a, j->b, j->d, j->n);
        else
            run_f64_two_slopes(j->a, j->d, j->n, f64_threshold(j->t), j->lo, j->hi, j->deriv);
    }
}

/* The work is cut into pieces which the threads take in turn from a shared
 * counter until none is left: the calling thread starts at once, and a
 * thread that the system starts late simply takes fewer pieces instead of
 * finishing last. Large outputs are cut at multiples of PIECE_BYTES in
 * memory, so each 2 MiB huge page of a freshly allocated result is first
 * touched (page-faulted) by one thread only; smaller ones get one piece per
 * thread, starting on cache lines. */
#define PIECE_BYTES ((Py_ssize_t)1 << 21)

typedef struct {
    const job_t *whole;
    Py_ssize_t first, per, pieces, size; /* piece 0 has `first` elements, the others `per` */
    Py_ssize_t next;                     /* the next piece to take; atomic */
} pieces_t;

static void *
take_pieces(void *arg)
{
    pieces_t *p = arg;
    for (;;) {
#ifdef RELU_NO_THREADS
        Py_ssize_t k = p->next++;
#else
        Py_ssize_t k = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
#endif
        if (k >= p->pieces)
            return NULL;
        Py_ssize_t start = k == 0 ? 0 : p->first + (k - 1) * p->per;
        Py_ssize_t len = k == 0 ? p->first : p->per;
        Py_ssize_t offset = start * p->size;
        job_t part = *p->whole;
        part.n = p->whole->n - start < len ? p->whole->n - start : len;
        part.a = (const char *)p->whole->a + offset;
        part.b = p->whole->b ? (const char *)p->whole->b + offset : NULL;
        part.d = (char *)p->whole->d + offset;
        run_job(&part);
    }
}

#ifndef RELU_NO_THREADS
/* Helpers kept between calls, so that a call wakes threads instead of
 * starting them (starting one cost ~50 us on the 2-core machine we measured,
 * waking one much less). Started on the first threaded call, never at
 * import; they sleep on a condition variable between calls and use no CPU.
 * One call at a time uses them: a call that finds them busy (another Python
 * thread is in a threaded call) starts threads of its own, as does a call
 * that cannot start a helper. A fork() child starts with no helpers. */

static pthread_mutex_t pool_call = PTHREAD_MUTEX_INITIALIZER; /* held by the call using the pool */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER; /* guards the fields below */
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;   /* a new call for the helpers */
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;   /* the helpers are done */
static int pool_helpers = 0;        /* helpers started */
static unsigned long pool_gen = 0;  /* calls handed to the helpers so far */
static int pool_wanted = 0;         /* helpers wanted by the current call */
static int pool_busy = 0;           /* of those, still taking pieces */
static pieces_t *pool_pieces = NULL;
static int pool_atfork = 0;         /* the fork handlers are registered */

typedef struct {
    int index;
    unsigned long seen; /* the last call before this helper started */
} helper_t;

static void *
helper_main(void *arg)
{
    helper_t me = *(helper_t *)arg;
    free(arg);
    pthread_mutex_lock(&pool_lock);
    for (;;) {
        while (pool_gen == me.seen)
            pthread_cond_wait(&pool_wake, &pool_lock);
        me.seen = pool_gen;
        if (me.index >= pool_wanted)
            continue; /* this call needs fewer helpers */
        pieces_t *p = pool_pieces;
        pthread_mutex_unlock(&pool_lock);
        take_pieces(p);
        pthread_mutex_lock(&pool_lock);
        if (--pool_busy == 0)
            pthread_cond_signal(&pool_done);
    }
    return NULL;
}

/* fork(): the child has no helpers (threads do not survive a fork), and the
 * locks are taken across the fork so that the child's copies are free. */
static void
pool_prepare(void)
{
    pthread_mutex_lock(&pool_call);
    pthread_mutex_lock(&pool_lock);
}

static void
pool_parent(void)
{
    pthread_mutex_unlock(&pool_lock);
    pthread_mutex_unlock(&pool_call);
}

static void
pool_child(void)
{
    /* The only thread left is this one: fresh locks and conditions, no helpers. */
    pool_helpers = pool_wanted = pool_busy = 0;
    pool_pieces = NULL;
    pthread_mutex_init(&pool_call, NULL);
    pthread_mutex_init(&pool_lock, NULL);
    pthread_cond_init(&pool_wake, NULL);
    pthread_cond_init(&pool_done, NULL);
}

/* Start helpers until there are `wanted`; returns how many there are. */
static int
grow_pool(int wanted)
{
    while (pool_helpers < wanted) {
        helper_t *h = malloc(sizeof *h);
        if (h == NULL)
            break;
        h->index = pool_helpers;
        h->seen = pool_gen;
        pthread_t tid;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&tid, &attr, helper_main, h);
        pthread_attr_destroy(&attr);
        if (failed) {
            free(h);
            break;
        }
        pool_helpers++;
    }
    return pool_helpers;
}

/* Threads started for this call only: when the pool is busy or short. */
static void
run_with_new_threads(pieces_t *p, int threads)
{
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int k = 1; k < threads; k++)
        started[k] = pthread_create(&tids[k], NULL, take_pieces, p) == 0;
    take_pieces(p);
    for (int k = 1; k < threads; k++)
        if (started[k])
            pthread_join(tids[k], NULL);
}

static void
run_threads(const job_t *whole, int threads)
{
    pieces_t p = {whole, 0, 0, 0, whole->kind == 'f' ? (Py_ssize_t)sizeof(float) : (Py_ssize_t)sizeof(double), 0};
    Py_ssize_t n = whole->n;
    if (n * p.size >= 4 * (Py_ssize_t)threads * PIECE_BYTES) {
        p.per = PIECE_BYTES / p.size;
        p.first = (PIECE_BYTES - (Py_ssize_t)((uintptr_t)whole->d % (uintptr_t)PIECE_BYTES)) / p.size;
        p.pieces = 1 + (n - p.first + p.per - 1) / p.per;
    }
    else {
        Py_ssize_t line = 64 / p.size;
        p.per = (n + threads - 1) / threads;
        p.per = p.per < line ? line : (p.per + line - 1) / line * line;
        p.first = p.per;
        p.pieces = (n + p.per - 1) / p.per; /* 0 for an empty array */
    }
    if (threads > p.pieces)
        threads = (int)p.pieces;
    if (threads <= 1) {
        take_pieces(&p);
        return;
    }
    if (pthread_mutex_trylock(&pool_call) != 0) {
        run_with_new_threads(&p, threads);
        return;
    }
    pthread_mutex_lock(&pool_lock);
    if (!pool_atfork)
        pool_atfork = pthread_atfork(pool_prepare, pool_parent, pool_child) == 0;
    int helpers = grow_pool(threads - 1);
    if (helpers > threads - 1)
        helpers = threads - 1;
    pool_pieces = &p;
    pool_wanted = pool_busy = helpers;
    pool_gen++;
    pthread_cond_broadcast(&pool_wake);
    pthread_mutex_unlock(&pool_lock);
    take_pieces(&p); /* with the helpers; if none started, all of it */
    pthread_mutex_lock(&pool_lock);
    while (pool_busy > 0)
        pthread_cond_wait(&pool_done, &pool_lock);
    pool_pieces = NULL;
    pthread_mutex_unlock(&pool_lock);
    pthread_mutex_unlock(&pool_call);
}

#else /* RELU_NO_THREADS: one piece, on the calling thread */

static void
run_threads(const job_t *whole, int threads)
{
    (void)threads;
    pieces_t p = {whole, whole->n, whole->n, whole->n > 0,
                  whole->kind == 'f' ? (Py_ssize_t)sizeof(float) : (Py_ssize_t)sizeof(double), 0};
    take_pieces(&p);
}
#endif

/* ---- the Python functions ------------------------------------------------ */

/* Get the buffers of `arrays` arguments (inputs, then the output), check
 * them, run `job` on them with `threads` threads and return True; or return
 * False, writing nothing, when a flat loop does not fit; or NULL on error. */
static PyObject *
run_on_buffers(job_t *job, int arrays, PyObject *const *args, long threads)
{
    Py_buffer v[3];
    char kind = get_buffers(args, v, arrays);
    if (kind == 0)
        return NULL;
    int fits = flat_loop_fits(v, arrays);
    if (fits) {
        job->kind = kind;
        job->stream = job->stream && v[0].buf != v[arrays - 1].buf;
        job->a = v[0].buf;
        job->b = arrays == 3 ? v[1].buf : NULL;
        job->d = v[arrays - 1].buf;
        job->n = v[0].len / v[0].itemsize;
        int t = threads > MAX_THREADS ? MAX_THREADS : (int)threads;
        Py_BEGIN_ALLOW_THREADS
        if (t > 1)
            run_threads(job, t);
        else
            run_job(job);
        Py_END_ALLOW_THREADS
    }
    release(v, arrays);
    return PyBool_FromLong(fits);
}

static long
threads_arg(PyObject *obj, const char *usage)
{
    long threads = PyLong_AsLong(obj);
    if (threads == -1 && PyErr_Occurred())
        return -1;
    if (threads < 1) {
        PyErr_Format(PyExc_ValueError, "%s: threads must be at least 1", usage);
        return -1;
    }
    return threads;
}

/* Shared by relu, relu_grad and relu_backward: take `arrays` buffers (inputs, then the output), then
 * the optional arguments (relu: stream, threads; the others: threads). */
static PyObject *
call_loop(int op, int arrays, PyObject *const *args, Py_ssize_t nargs, const char *usage)
{
    int optional = op == OP_RELU ? 2 : 1;
    if (nargs < arrays || nargs > arrays + optional) {
        PyErr_Format(PyExc_TypeError, "%s: wrong number of arguments", usage);
        return NULL;
    }
    int stream = 0;
    long threads = 1;
    Py_ssize_t next = arrays;
    if (op == OP_RELU && nargs > next && (stream = PyObject_IsTrue(args[next++])) < 0)
        return NULL;
    if (nargs > next && (threads = threads_arg(args[next], usage)) < 0)
        return NULL;
    job_t job = {op, stream, 0, NULL, NULL, NULL, 0, 0.0, 0.0, 0.0, 0};
    return run_on_buffers(&job, arrays, args, threads);
}

PyDoc_STRVAR(relu_doc,
"relu(src, dst, stream=False, threads=1, /)\n--\n\n"
"dst[...] = max(src, 0) for float32/float64 buffers of one dtype and shape;\n"
"dst may be src. stream=True writes with non-temporal stores; threads > 1\n"
"splits the work across that many threads. Returns False, writing nothing,\n"
"when the layout does not fit a flat loop.");

static PyObject *
native_relu(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    return call_loop(OP_RELU, 2, args, nargs, "relu(src, dst, stream=False, threads=1)");
}

PyDoc_STRVAR(grad_doc,
"relu_grad(src, dst, threads=1, /)\n--\n\n"
"dst[...] = 1 where src > 0 else 0, for float32/float64 buffers of one dtype\n"
"and shape. Returns False, writing nothing, when the layout does not fit.");

static PyObject *
native_grad(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    return call_loop(OP_GRAD, 2, args, nargs, "relu_grad(src, dst, threads=1)");
}

PyDoc_STRVAR(backward_doc,
"relu_backward(dout, x, dst, threads=1, /)\n--\n\n"
"dst[...] = dout where x > 0 else +0, for float32/float64 buffers of one\n"
"dtype and shape. Returns False, writing nothing, when the layout does not fit.");

static PyObject *
native_backward(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    return call_loop(OP_BACKWARD, 3, args, nargs, "relu_backward(dout, x, dst, threads=1)");
}

PyDoc_STRVAR(two_slopes_doc,
"two_slopes(src, dst, threshold, below, above, derivative=False, threads=1, /)\n--\n\n"
"dst[...] = above * x where x > threshold else below * x (a zero slope gives\n"
"+0, NaN stays); with derivative=True, above or below themselves. For\n"
"float32/float64 buffers of one dtype and shape; returns False, writing\n"
"nothing, when the layout does not fit a flat loop.");

static PyObject *
native_two_slopes(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    const char *usage = "two_slopes(src, dst, threshold, below, above, derivative=False, threads=1)";
    if (nargs < 5 || nargs > 7) {
        PyErr_Format(PyExc_TypeError, "%s: wrong number of arguments", usage);
        return NULL;
    }
    job_t job = {OP_TWO_SLOPES, 0, 0, NULL, NULL, NULL, 0, 0.0, 0.0, 0.0, 0};
    job.t = PyFloat_AsDouble(args[2]);
    job.lo = PyFloat_AsDouble(args[3]);
    job.hi = PyFloat_AsDouble(args[4]);
    if (PyErr_Occurred())
        return NULL;
    if (job.t != job.t) {
        PyErr_Format(PyExc_ValueError, "%s: threshold is NaN", usage);
        return NULL;
    }
    if (nargs > 5 && (job.deriv = PyObject_IsTrue(args[5])) < 0)
        return NULL;
    long threads = 1;
    if (nargs > 6 && (threads = threads_arg(args[6], usage)) < 0)
        return NULL;
    return run_on_buffers(&job, 2, args, threads);
}

static PyMethodDef native_methods[] = {
    {"relu", (PyCFunction)(void (*)(void))native_relu, METH_FASTCALL, relu_doc},
    {"relu_grad", (PyCFunction)(void (*)(void))native_grad, METH_FASTCALL, grad_doc},
    {"relu_backward", (PyCFunction)(void (*)(void))native_backward, METH_FASTCALL, backward_doc},
    {"two_slopes", (PyCFunction)(void (*)(void))native_two_slopes, METH_FASTCALL, two_slopes_doc},
    {NULL, NULL, 0, NULL},
};

static int
native_exec(PyObject *module)
{
    choose_loops();
    /* Which loops run: "avx2", "sse2", or "none" (plain C on other CPUs). */
    if (PyModule_AddStringConstant(module, "SIMD", simd_name) < 0)
        return -1;
    /* Large threaded outputs are cut at multiples of this many bytes. */
#ifdef RELU_NO_THREADS
    if (PyModule_AddIntConstant(module, "THREADED", 0) < 0)
        return -1;
#else
    if (PyModule_AddIntConstant(module, "THREADED", 1) < 0)
        return -1;
#endif
    return PyModule_AddIntConstant(module, "PIECE_BYTES", (long)PIECE_BYTES);
}

static PyModuleDef_Slot native_slots[] = {
    {Py_mod_exec, (void *)native_exec},
    /* No Py_mod_gil slot: the helper pool is guarded by its own mutexes, but
     * running without the GIL has not been tested on a free-threaded build,
     * so there the interpreter keeps the GIL on while this module is loaded. */
    {0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    "relu._native",
    "Compiled ReLU loops for float32 and float64 (optional; see relu._kernel).",
    0,
    native_methods,
    native_slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    return PyModuleDef_Init(&native_module);
}
