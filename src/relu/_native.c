/*
 * relu._native: the compiled loops behind relu.relu, relu.relu_grad and
 * relu.relu_backward for float32 and float64.
 *
 * Optional: when this file cannot be compiled, the package falls back to its
 * NumPy paths (relu/_kernel.py), which give the same bits. It needs only
 * CPython's C API (no NumPy headers): arrays arrive through the buffer
 * protocol, and every loop runs with the GIL released, so Python threads can
 * work on disjoint chunks of one array at the same time.
 *
 * The loops compute, element by element:
 *
 *   relu:          y = (x <= 0) ? +0 : x       NaN and its payload stay,
 *                                               -0.0 and -inf give +0
 *   relu_grad:     y = (x > 0) ? 1 : 0         NaN gives 0
 *   relu_backward: y = (x > 0) ? g : +0        g's bits where x > 0
 *
 * which is bit for bit what np.maximum(x, 0), (x > 0).astype(dtype) and
 * np.where(x > 0, g, 0) give. On x86-64 the loops are written with SSE2
 * (part of every x86-64 CPU): a comparison gives an all-ones or all-zeros
 * mask per element and a bitwise AND picks the result, with no branches.
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

PyDoc_STRVAR(relu_doc,
"relu(src, dst, stream=False, /)\n--\n\n"
"dst[...] = max(src, 0) for float32/float64 buffers of one dtype and shape;\n"
"dst may be src. stream=True writes with non-temporal stores. Returns False,\n"
"writing nothing, when the layout does not fit a flat loop.");

static PyObject *
native_relu(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "relu(src, dst, stream=False) takes 2 or 3 arguments");
        return NULL;
    }
    int stream = 0;
    if (nargs == 3 && (stream = PyObject_IsTrue(args[2])) < 0)
        return NULL;
    Py_buffer v[2];
    char kind = get_buffers(args, v, 2);
    if (kind == 0)
        return NULL;
    int fits = flat_loop_fits(v, 2);
    if (fits) {
        Py_ssize_t n = v[0].len / v[0].itemsize;
        stream = stream && v[0].buf != v[1].buf;
        Py_BEGIN_ALLOW_THREADS
        if (kind == 'f')
            run_f32_relu(v[0].buf, v[1].buf, n, stream);
        else
            run_f64_relu(v[0].buf, v[1].buf, n, stream);
        Py_END_ALLOW_THREADS
    }
    release(v, 2);
    return PyBool_FromLong(fits);
}

PyDoc_STRVAR(grad_doc,
"relu_grad(src, dst, /)\n--\n\n"
"dst[...] = 1 where src > 0 else 0, for float32/float64 buffers of one dtype\n"
"and shape. Returns False, writing nothing, when the layout does not fit.");

static PyObject *
native_grad(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "relu_grad(src, dst) takes 2 arguments");
        return NULL;
    }
    Py_buffer v[2];
    char kind = get_buffers(args, v, 2);
    if (kind == 0)
        return NULL;
    int fits = flat_loop_fits(v, 2);
    if (fits) {
        Py_ssize_t n = v[0].len / v[0].itemsize;
        Py_BEGIN_ALLOW_THREADS
        if (kind == 'f')
            run_f32_grad(v[0].buf, v[1].buf, n);
        else
            run_f64_grad(v[0].buf, v[1].buf, n);
        Py_END_ALLOW_THREADS
    }
    release(v, 2);
    return PyBool_FromLong(fits);
}

PyDoc_STRVAR(backward_doc,
"relu_backward(dout, x, dst, /)\n--\n\n"
"dst[...] = dout where x > 0 else +0, for float32/float64 buffers of one\n"
"dtype and shape. Returns False, writing nothing, when the layout does not fit.");

static PyObject *
native_backward(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "relu_backward(dout, x, dst) takes 3 arguments");
        return NULL;
    }
    Py_buffer v[3];
    char kind = get_buffers(args, v, 3);
    if (kind == 0)
        return NULL;
    int fits = flat_loop_fits(v, 3);
    if (fits) {
        Py_ssize_t n = v[0].len / v[0].itemsize;
        Py_BEGIN_ALLOW_THREADS
        if (kind == 'f')
            run_f32_backward(v[0].buf, v[1].buf, v[2].buf, n);
        else
            run_f64_backward(v[0].buf, v[1].buf, v[2].buf, n);
        Py_END_ALLOW_THREADS
    }
    release(v, 3);
    return PyBool_FromLong(fits);
}

static PyMethodDef native_methods[] = {
    {"relu", (PyCFunction)(void (*)(void))native_relu, METH_FASTCALL, relu_doc},
    {"relu_grad", (PyCFunction)(void (*)(void))native_grad, METH_FASTCALL, grad_doc},
    {"relu_backward", (PyCFunction)(void (*)(void))native_backward, METH_FASTCALL, backward_doc},
    {NULL, NULL, 0, NULL},
};

static int
native_exec(PyObject *module)
{
    choose_loops();
    /* Which loops run: "avx2", "sse2", or "none" (plain C on other CPUs). */
    return PyModule_AddStringConstant(module, "SIMD", simd_name);
}

static PyModuleDef_Slot native_slots[] = {
    {Py_mod_exec, (void *)native_exec},
#ifdef Py_mod_gil
    /* No module state and no shared data: safe without the GIL. */
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
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
