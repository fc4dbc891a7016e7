/*
 * The loops of relu._native, and the choice among them at import.
 *
 * relu (and the benchmark's copy) are written with AVX2 and AVX-512
 * intrinsics, for their streaming stores and aligned heads; relu_grad,
 * relu_backward and the two-slope loops are plain C that the compiler
 * vectorizes (-O3), compiled once per level with a target attribute. The
 * baseline is plain C too: SSE2 on every x86-64 CPU, and whatever other CPUs
 * have. choose_loops() points the run_* function pointers at the widest
 * level this CPU runs. Included once, by _native.c: every function is static.
 */
#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define RELU_SSE2 1
#else
#define RELU_SSE2 0
#endif

/* ---- scalar relu: the tails of the SIMD loops, and the baseline --------- */

#define SCALAR_RELU(T, NAME)                                                    \
    static void NAME##_relu_scalar(const T *s, T *d, Py_ssize_t n)             \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++) {                                    \
            T v = s[i];                                                         \
            d[i] = v <= (T)0 ? (T)0 : v;                                        \
        }                                                                       \
    }

SCALAR_RELU(float, f32)
SCALAR_RELU(double, f64)

/* ---- the benchmark's all-core floor: a plain copy ------------------------
 * d[i] = s[i], with ordinary or streaming stores, through the same pool as
 * ReLU: the least any out-of-place pass over memory costs on every core.
 * With d == s it reads and rewrites every element (the in-place floor). The
 * vector versions load and store explicitly, which a compiler may not drop
 * even when it could prove d == s; this byte loop is for other CPUs. */
static void
bytes_copy_scalar(const char *s, char *d, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = s[i];
#if defined(__GNUC__)
        __asm__ __volatile__("" : "+r"(c)); /* keep each store */
#endif
        d[i] = c;
    }
}

/* ---- plain loops: relu_grad, relu_backward and the two slopes --------------
 *
 * The two slopes (leaky ReLU, PReLU with one weight, piecewise_linear):
 *
 *   y = x * (x > t ? hi : lo)                      both slopes nonzero
 *   y = x > t ? (hi ? x * hi : +0) : (lo ? x * lo : +0), NaN kept as it is
 *                                                  a slope of zero
 *   y = x > t ? hi : lo                            the derivative
 *
 * bit for bit what relu._kernel.two_slopes computes with NumPy. `t` arrives
 * as the float64 threshold and is replaced by the largest value of the
 * array's type that is not above it, so that comparing in that type gives
 * exactly `x > t`. ATTR compiles a copy for a wider level (SUFFIX).
 */
#define PLAIN_LOOPS(T, NAME, SUFFIX, ATTR)                                      \
    ATTR static void NAME##_grad##SUFFIX(const T *s, T *d, Py_ssize_t n)         \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++)                                      \
            d[i] = s[i] > (T)0 ? (T)1 : (T)0;                                   \
    }                                                                           \
    ATTR static void NAME##_backward##SUFFIX(const T *g, const T *x, T *d,       \
                                             Py_ssize_t n)                      \
    {                                                                           \
        for (Py_ssize_t i = 0; i < n; i++) {                                    \
            T v = g[i]; /* read whatever x is: a select, which vectorizes */    \
            d[i] = x[i] > (T)0 ? v : (T)0;                                      \
        }                                                                       \
    }                                                                           \
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

PLAIN_LOOPS(float, f32, , )
PLAIN_LOOPS(double, f64, , )

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

/* ---- the baseline: plain C, which -O3 vectorizes with SSE2 on x86-64 (bit
 * for bit the same: each element's result depends on it alone) and with what
 * other CPUs have. No streaming stores at this level. */
static void f32_relu(const float *s, float *d, Py_ssize_t n, int stream)
{ (void)stream; f32_relu_scalar(s, d, n); }
static void f64_relu(const double *s, double *d, Py_ssize_t n, int stream)
{ (void)stream; f64_relu_scalar(s, d, n); }
static void f32_copy(const float *s, float *d, Py_ssize_t n, int stream)
{ (void)stream; bytes_copy_scalar((const char *)s, (char *)d, n * 4); }
static void f64_copy(const double *s, double *d, Py_ssize_t n, int stream)
{ (void)stream; bytes_copy_scalar((const char *)s, (char *)d, n * 8); }

/* ---- AVX2 loops: the same, 32 bytes at a time, two vectors per step -------
 * Compiled for AVX2 whatever the build's flags, and chosen at import on CPUs
 * that have it (RELU_NATIVE_SIMD=sse2 keeps the baseline): about twice as
 * fast as the baseline in the cache, the same from memory (bandwidth). */
#if RELU_SSE2 && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define RELU_AVX2 1
#include <immintrin.h>

/* Two vectors a step, each stored with STORE: ordinary or streaming. */
#define AVX2_RELU_STEPS(V, SFX, LANES, STORE)                                   \
    for (; i + 2 * LANES <= n; i += 2 * LANES) {                                \
        V a = _mm256_loadu_##SFX(s + i), b = _mm256_loadu_##SFX(s + i + LANES); \
        STORE(d + i, _mm256_andnot_##SFX(_mm256_cmp_##SFX(a, zero, _CMP_LE_OQ), a)); \
        STORE(d + i + LANES, _mm256_andnot_##SFX(_mm256_cmp_##SFX(b, zero, _CMP_LE_OQ), b)); \
    }

#define AVX2_LOOPS(T, NAME, V, SFX, LANES)                                      \
    __attribute__((target("avx2"))) static void                                 \
    NAME##_relu_avx2(const T *s, T *d, Py_ssize_t n, int stream)               \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm256_setzero_##SFX();                                  \
        while (i < n && ((uintptr_t)(d + i) & 31u)) { /* no store splits a line */ \
            NAME##_relu_scalar(s + i, d + i, 1);                                \
            i++;                                                                \
        }                                                                       \
        if (stream) {                                                           \
            AVX2_RELU_STEPS(V, SFX, LANES, _mm256_stream_##SFX)                 \
            _mm_sfence();                                                       \
        }                                                                       \
        else {                                                                  \
            AVX2_RELU_STEPS(V, SFX, LANES, _mm256_storeu_##SFX)                 \
        }                                                                       \
        NAME##_relu_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    __attribute__((target("avx2"))) static void                                 \
    NAME##_copy_avx2(const T *s, T *d, Py_ssize_t n, int stream)               \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        if (stream) {                                                           \
            while (i < n && ((uintptr_t)(d + i) & 31u)) {                       \
                d[i] = s[i];                                                    \
                i++;                                                            \
            }                                                                   \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                        \
                _mm256_stream_##SFX(d + i, _mm256_loadu_##SFX(s + i));          \
                _mm256_stream_##SFX(d + i + LANES, _mm256_loadu_##SFX(s + i + LANES)); \
            }                                                                   \
            _mm_sfence();                                                       \
        }                                                                       \
        else {                                                                  \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                        \
                _mm256_storeu_##SFX(d + i, _mm256_loadu_##SFX(s + i));          \
                _mm256_storeu_##SFX(d + i + LANES, _mm256_loadu_##SFX(s + i + LANES)); \
            }                                                                   \
        }                                                                       \
        bytes_copy_scalar((const char *)(s + i), (char *)(d + i),               \
                          (n - i) * (Py_ssize_t)sizeof(T));                     \
    }

AVX2_LOOPS(float, f32, __m256, ps, 8)
AVX2_LOOPS(double, f64, __m256d, pd, 4)
PLAIN_LOOPS(float, f32, _avx2, __attribute__((target("avx2"))))
PLAIN_LOOPS(double, f64, _avx2, __attribute__((target("avx2"))))

#else
#define RELU_AVX2 0
#endif

/* ---- AVX-512 loops: 64 bytes at a time, masks instead of blends -----------
 * AVX-512F only (every AVX-512 CPU has it), compiled with a target attribute
 * and chosen at import where the CPU and the OS support it. A comparison
 * gives a bit mask, and a zero-masked move keeps the lanes it selects and
 * writes +0 to the others: relu keeps x where !(x <= 0), so NaN stays. A
 * scalar head aligns the destination (streaming stores need it). The
 * attribute, RELU_AVX512_TARGET, is emptied by tests/avx512_emulated.c to run
 * these bodies through SIMDe's portable AVX-512 on any CPU. */
#if RELU_AVX2
#define RELU_AVX512 1
#ifndef RELU_AVX512_TARGET
#define RELU_AVX512_TARGET __attribute__((target("avx512f")))
#endif

/* K vectors a step, all loaded before any is stored: one Zen 5 thread, float64
 * 3e6 out=, same build: four 1.00-1.01x torch.clamp_min, two 1.04-1.07x. */
#define AVX512_RELU_STEPS(V, SFX, LANES, K, STORE)                              \
    for (; i + K * LANES <= n; i += K * LANES) {                                \
        V v[K];                                                                 \
        for (int j = 0; j < K; j++)                                             \
            v[j] = _mm512_loadu_##SFX(s + i + j * LANES);                       \
        for (int j = 0; j < K; j++)                                             \
            STORE(d + i + j * LANES, _mm512_maskz_mov_##SFX(                    \
                      _mm512_cmp_##SFX##_mask(v[j], zero, _CMP_NLE_UQ), v[j])); \
    }

#define AVX512_LOOPS(T, NAME, V, SFX, LANES)                                    \
    RELU_AVX512_TARGET static void                                              \
    NAME##_relu_avx512(const T *s, T *d, Py_ssize_t n, int stream)             \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        const V zero = _mm512_setzero_##SFX();                                  \
        while (i < n && ((uintptr_t)(d + i) & 63u)) { /* no store splits a line */ \
            NAME##_relu_scalar(s + i, d + i, 1);                                \
            i++;                                                                \
        }                                                                       \
        if (stream) {                                                           \
            AVX512_RELU_STEPS(V, SFX, LANES, 4, _mm512_stream_##SFX)            \
            AVX512_RELU_STEPS(V, SFX, LANES, 1, _mm512_stream_##SFX)            \
            _mm_sfence();                                                       \
        }                                                                       \
        else {                                                                  \
            AVX512_RELU_STEPS(V, SFX, LANES, 4, _mm512_storeu_##SFX)            \
            AVX512_RELU_STEPS(V, SFX, LANES, 1, _mm512_storeu_##SFX)            \
        }                                                                       \
        NAME##_relu_scalar(s + i, d + i, n - i);                                \
    }                                                                           \
    RELU_AVX512_TARGET static void                                              \
    NAME##_copy_avx512(const T *s, T *d, Py_ssize_t n, int stream)             \
    {                                                                           \
        Py_ssize_t i = 0;                                                       \
        if (stream) {                                                           \
            while (i < n && ((uintptr_t)(d + i) & 63u)) {                       \
                d[i] = s[i];                                                    \
                i++;                                                            \
            }                                                                   \
            for (; i + LANES <= n; i += LANES)                                  \
                _mm512_stream_##SFX(d + i, _mm512_loadu_##SFX(s + i));          \
            _mm_sfence();                                                       \
        }                                                                       \
        else {                                                                  \
            for (; i + LANES <= n; i += LANES)                                  \
                _mm512_storeu_##SFX(d + i, _mm512_loadu_##SFX(s + i));          \
        }                                                                       \
        bytes_copy_scalar((const char *)(s + i), (char *)(d + i),               \
                          (n - i) * (Py_ssize_t)sizeof(T));                     \
    }

AVX512_LOOPS(float, f32, __m512, ps, 16)
AVX512_LOOPS(double, f64, __m512d, pd, 8)
PLAIN_LOOPS(float, f32, _avx512, RELU_AVX512_TARGET)
PLAIN_LOOPS(double, f64, _avx512, RELU_AVX512_TARGET)

#else
#define RELU_AVX512 0
#endif

/* ---- dispatch: the loops this CPU runs, chosen once at import ------------ */

static void (*run_f32_relu)(const float *, float *, Py_ssize_t, int) = f32_relu;
static void (*run_f64_relu)(const double *, double *, Py_ssize_t, int) = f64_relu;
static void (*run_f32_grad)(const float *, float *, Py_ssize_t) = f32_grad;
static void (*run_f64_grad)(const double *, double *, Py_ssize_t) = f64_grad;
static void (*run_f32_backward)(const float *, const float *, float *, Py_ssize_t) = f32_backward;
static void (*run_f64_backward)(const double *, const double *, double *, Py_ssize_t) = f64_backward;
static void (*run_f32_copy)(const float *, float *, Py_ssize_t, int) = f32_copy;
static void (*run_f64_copy)(const double *, double *, Py_ssize_t, int) = f64_copy;
static void (*run_f32_two_slopes)(const float *, float *, Py_ssize_t, float, float, float, int) = f32_two_slopes;
static void (*run_f64_two_slopes)(const double *, double *, Py_ssize_t, double, double, double, int) = f64_two_slopes;
static const char *simd_name = RELU_SSE2 ? "sse2" : "none";

/* ASCII case-insensitive equality, without strings.h (not on MSVC). */
static int
same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

/* The levels, narrowest first: 0 sse2, 1 avx2, 2 avx512 (x86-64); or the one
 * level "none" elsewhere. */
static const char *const level_names[] = {"sse2", "avx2", "avx512"};

static void
use_level(int level)
{
    (void)level;
#if RELU_AVX2
    if (level >= 1) {
        run_f32_relu = f32_relu_avx2;
        run_f64_relu = f64_relu_avx2;
        run_f32_grad = f32_grad_avx2;
        run_f64_grad = f64_grad_avx2;
        run_f32_backward = f32_backward_avx2;
        run_f64_backward = f64_backward_avx2;
        run_f32_copy = f32_copy_avx2;
        run_f64_copy = f64_copy_avx2;
        run_f32_two_slopes = f32_two_slopes_avx2;
        run_f64_two_slopes = f64_two_slopes_avx2;
        simd_name = "avx2";
    }
#endif
#if RELU_AVX512
    if (level >= 2) {
        run_f32_relu = f32_relu_avx512;
        run_f64_relu = f64_relu_avx512;
        run_f32_grad = f32_grad_avx512;
        run_f64_grad = f64_grad_avx512;
        run_f32_backward = f32_backward_avx512;
        run_f64_backward = f64_backward_avx512;
        run_f32_copy = f32_copy_avx512;
        run_f64_copy = f64_copy_avx512;
        run_f32_two_slopes = f32_two_slopes_avx512;
        run_f64_two_slopes = f64_two_slopes_avx512;
        simd_name = "avx512";
    }
#endif
}

/* Point the run_* loops at the widest level this CPU runs, or at the level
 * RELU_NATIVE_SIMD names (unset or empty: the widest). A value that is not a
 * level of this build, or a level this CPU lacks, is an error at import
 * (ValueError), not quietly ignored. Returns 0, or -1 with the error set. */
static int
choose_loops(void)
{
    const char *wanted = getenv("RELU_NATIVE_SIMD");
    if (wanted != NULL && *wanted == '\0')
        wanted = NULL;
    int widest = 0; /* the widest level this CPU (and OS) runs */
#if RELU_AVX2
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        widest = 1;
#if RELU_AVX512
    if (widest == 1 && __builtin_cpu_supports("avx512f"))
        widest = 2;
#endif
#endif
    if (!RELU_SSE2) {
        if (wanted != NULL && !same_name(wanted, "none")) {
            PyErr_Format(PyExc_ValueError,
                         "RELU_NATIVE_SIMD=%s is not a level of relu's compiled loops: this "
                         "build for a CPU other than x86 has only 'none'",
                         wanted);
            return -1;
        }
        return 0;
    }
    int built = RELU_AVX512 ? 2 : RELU_AVX2 ? 1 : 0; /* the widest level compiled */
    int level = widest;
    if (wanted != NULL) {
        level = -1;
        for (int k = 0; k <= built; k++)
            if (same_name(wanted, level_names[k]))
                level = k;
        if (level < 0) {
            PyErr_Format(PyExc_ValueError,
                         "RELU_NATIVE_SIMD=%s is not a level of relu's compiled loops: use %s, "
                         "or leave it unset for the widest this CPU runs (%s)",
                         wanted,
                         built == 2 ? "'sse2', 'avx2' or 'avx512'"
                                    : built == 1 ? "'sse2' or 'avx2'" : "'sse2'",
                         level_names[widest]);
            return -1;
        }
        if (level > widest) {
            PyErr_Format(PyExc_ValueError,
                         "RELU_NATIVE_SIMD=%s, but this CPU (or its operating system) does not "
                         "run %s: use %s, or leave it unset",
                         wanted, level == 2 ? "AVX-512" : "AVX2",
                         widest == 1 ? "'sse2' or 'avx2'" : "'sse2'");
            return -1;
        }
    }
    use_level(level);
    return 0;
}
