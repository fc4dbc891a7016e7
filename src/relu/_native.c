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
 * np.where(x > 0, g, 0) and the two-slope formula (relu.variants) give. On
 * x86-64 the first three are written with AVX2 and AVX-512 above a baseline
 * the compiler vectorizes (SSE2), the widest the CPU has chosen at import: a comparison
 * gives a mask per element and a bitwise AND (AVX-512: a masked move)
 * picks the result, with no branches.
 *
 * relu can also write with non-temporal ("streaming") stores. When the
 * output is larger than the caches, an ordinary store first reads each
 * destination cache line from memory, only to overwrite it; a streaming store
 * skips that read, so out-of-place ReLU moves two bytes per result byte
 * instead of three. For outputs that fit in the cache it is slower (the
 * result is pushed out to memory), so the caller decides by size.
 *
 * Layout, one concern per file (included into this one translation unit, so
 * every function stays static): _csrc/loops.h holds the SIMD loops and their
 * choice at import; _csrc/pool.h the thread pool (the cap, pieces, helpers,
 * fork handling); this file the argument checks and the module's functions.
 */
#define PY_SSIZE_T_CLEAN
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include "_csrc/loops.h"
#include "_csrc/pool.h"

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
    int optional = op == OP_RELU || op == OP_COPY ? 2 : 1;
    if (nargs < arrays || nargs > arrays + optional) {
        PyErr_Format(PyExc_TypeError, "%s: wrong number of arguments", usage);
        return NULL;
    }
    int stream = 0;
    long threads = 1;
    Py_ssize_t next = arrays;
    if ((op == OP_RELU || op == OP_COPY) && nargs > next &&
        (stream = PyObject_IsTrue(args[next++])) < 0)
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

PyDoc_STRVAR(copy_doc,
"copy(src, dst, stream=False, threads=1, /)\n--\n\n"
"dst[...] = src, through the same loops and pool as relu: the benchmark's\n"
"all-core floor. dst may be src (every element read and rewritten).");

static PyObject *
native_copy(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    return call_loop(OP_COPY, 2, args, nargs, "copy(src, dst, stream=False, threads=1)");
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
    if ((job.t = PyFloat_AsDouble(args[2])) == -1.0 && PyErr_Occurred())
        return NULL;
    if ((job.lo = PyFloat_AsDouble(args[3])) == -1.0 && PyErr_Occurred())
        return NULL;
    if ((job.hi = PyFloat_AsDouble(args[4])) == -1.0 && PyErr_Occurred())
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

/* ---- the common call, decided here -----------------------------------------
 *
 * relu(x), relu(x, out=buf), relu_grad(x) and relu_backward(dout, x) with a
 * plain ndarray of float32 or float64, contiguous and aligned, and threads
 * left to the default: the Python functions call these first, and they do
 * the whole call (allocate the result, choose threads and streaming stores,
 * run the loop), which saves the microsecond of Python checks that a small
 * array would otherwise spend. Anything else returns None, having written
 * nothing, and the Python function takes its checked path, which raises the
 * errors and handles every other input. configure() hands over numpy.ndarray,
 * numpy.empty_like and the machine's cut-offs (relu._hardware) at import. */

static PyTypeObject *ndarray_type = NULL;
static PyObject *empty_like = NULL;
static Py_ssize_t stream_min_bytes = PY_SSIZE_T_MAX;
static Py_ssize_t parallel_min_bytes = PY_SSIZE_T_MAX;
static unsigned long long fast_counts[3]; /* calls taken, on threads, streamed (under the GIL) */

/* Get a float32/float64 view of `obj`, a plain ndarray with at least one
 * dimension, contiguous and aligned; 0 (nothing held, no error) otherwise. */
static char
fast_view(PyObject *obj, Py_buffer *view, int writable)
{
    if (Py_TYPE(obj) != ndarray_type)
        return 0;
    if (PyObject_GetBuffer(obj, view, PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        PyErr_Clear(); /* read-only, say: the checked path raises the error */
        return 0;
    }
    char kind = float_kind(view);
    if (kind == 0 || view->ndim == 0 || !flat_loop_fits(view, 1)) {
        PyBuffer_Release(view);
        return 0;
    }
    return kind;
}

/* views[0..inputs-1] are held; add the output: `out`, or a new empty_like of
 * `like`. Returns the output (a new reference), or NULL with nothing more
 * held and no error (Py_None is returned by the caller) or with an error set. */
static PyObject *
fast_output(PyObject *out, PyObject *like, Py_buffer *views, int inputs, char kind)
{
    PyObject *result;
    if (out == NULL || out == Py_None) {
        PyObject *make = Py_NewRef(empty_like); /* held across the call */
        result = PyObject_CallOneArg(make, like);
        Py_DECREF(make);
        if (result == NULL)
            return NULL;
    }
    else {
        result = Py_NewRef(out);
    }
    Py_buffer *v = &views[inputs];
    char got = fast_view(result, v, 1);
    if (got != 0 && got != kind)
        PyBuffer_Release(v); /* held, but of the other dtype */
    int ok = got == kind;
    if (ok) {
        for (int d = 0; ok && d < v->ndim; d++)
            ok = v->ndim == views[0].ndim && v->shape[d] == views[0].shape[d];
        ok = ok && v->ndim == views[0].ndim && flat_loop_fits(views, inputs + 1);
        if (!ok)
            PyBuffer_Release(v);
    }
    if (!ok) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyObject *
fast_call(int op, PyObject *const *arrays, int inputs, PyObject *out, PyObject *asked)
{
    /* asked: the caller's threads, None (by size) or an int from 1 to 4; any
     * other value is left to the checked path (its errors, its cap). */
    long want = 0;
    if (asked != NULL && asked != Py_None) {
        if (!PyLong_CheckExact(asked))
            return Py_NewRef(Py_None);
        want = PyLong_AsLong(asked);
        if (want < 1 || want > 4) {
            PyErr_Clear();
            return Py_NewRef(Py_None);
        }
    }
    if (ndarray_type == NULL)
        return Py_NewRef(Py_None);
    Py_buffer v[3];
    char kind = fast_view(arrays[0], &v[0], 0);
    if (kind == 0)
        return Py_NewRef(Py_None);
    if (inputs == 2) {
        char other = fast_view(arrays[1], &v[1], 0);
        if (other != 0 && other != kind)
            PyBuffer_Release(&v[1]); /* held, but of the other dtype */
        int same = other == kind;
        if (same) {
            same = v[1].ndim == v[0].ndim;
            for (int d = 0; same && d < v[0].ndim; d++)
                same = v[1].shape[d] == v[0].shape[d];
            if (!same)
                PyBuffer_Release(&v[1]);
        }
        if (!same) {
            PyBuffer_Release(&v[0]);
            return Py_NewRef(Py_None);
        }
    }
    PyObject *result = fast_output(out, arrays[0], v, inputs, kind);
    if (result == NULL) {
        release(v, inputs);
        if (PyErr_Occurred())
            return NULL;
        return Py_NewRef(Py_None);
    }
    job_t job = {op, 0, kind, v[0].buf, inputs == 2 ? v[1].buf : NULL, v[inputs].buf,
                 v[0].len / v[0].itemsize, 0.0, 0.0, 0.0, 0};
    Py_ssize_t nbytes = v[0].len;
    job.stream = op == OP_RELU && job.d != job.a && nbytes >= stream_min_bytes;
    job.shares = job.d == job.a && nbytes / 2 >= stream_min_bytes; /* stream_min: half the LLC */
    /* the bytes this call touches: its inputs, and its output unless in place */
    Py_ssize_t touched = inputs + (job.d != job.a && job.d != job.b); /* arrays */
    /* nbytes * touched >= parallel_min_bytes, without overflow */
    int threads = nbytes > (parallel_min_bytes - 1) / touched ? relu_get_num_threads() : 1;
#ifndef RELU_NO_THREADS
    if (want)
        threads = (int)want;
#endif
    Py_BEGIN_ALLOW_THREADS
    if (threads > 1)
        threads = run_threads(&job, threads);
    else
        run_job(&job);
    Py_END_ALLOW_THREADS
    fast_counts[0]++;
    fast_counts[1] += threads > 1;
    fast_counts[2] += job.stream != 0;
    release(v, inputs + 1);
    return result;
}

PyDoc_STRVAR(fast_relu_doc,
"fast_relu(x, out=None, threads=None, /)\n--\n\n"
"relu(x, out=out, threads=threads) for a plain float32/float64 ndarray,\n"
"contiguous and aligned, with threads None or 1 to 4; None, having written\n"
"nothing, for any other input (the caller then takes its checked path).");

static PyObject *
native_fast_relu(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs < 1 || nargs > 3) {
        PyErr_SetString(PyExc_TypeError, "fast_relu(x, out=None, threads=None): wrong arguments");
        return NULL;
    }
    return fast_call(OP_RELU, args, 1, nargs > 1 ? args[1] : NULL, nargs > 2 ? args[2] : NULL);
}

PyDoc_STRVAR(fast_grad_doc,
"fast_grad(x, threads=None, /)\n--\n\nrelu_grad(x) for the inputs fast_relu takes; else None.");

static PyObject *
native_fast_grad(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "fast_grad(x, threads=None): wrong arguments");
        return NULL;
    }
    return fast_call(OP_GRAD, args, 1, NULL, nargs > 1 ? args[1] : NULL);
}

PyDoc_STRVAR(fast_backward_doc,
"fast_backward(dout, x, threads=None, /)\n--\n\nrelu_backward(dout, x) for two arrays of one dtype and\n"
"shape that fast_relu would take; else None.");

static PyObject *
native_fast_backward(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs < 2 || nargs > 3) {
        PyErr_SetString(PyExc_TypeError, "fast_backward(dout, x, threads=None): wrong arguments");
        return NULL;
    }
    return fast_call(OP_BACKWARD, args, 2, NULL, nargs > 2 ? args[2] : NULL);
}

PyDoc_STRVAR(fast_counts_doc,
"fast_counts()\n--\n\n"
"(calls, threaded, streamed): the fast calls taken since import, those run\n"
"on more than one thread, and those written with streaming stores.");

static PyObject *
native_fast_counts(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return Py_BuildValue("(KKK)", fast_counts[0], fast_counts[1], fast_counts[2]);
}

PyDoc_STRVAR(configure_doc,
"configure(ndarray, empty_like, stream_min_bytes, parallel_min_bytes, /)\n--\n\n"
"Hand the fast calls numpy.ndarray, numpy.empty_like and the machine's\n"
"cut-offs (relu._hardware); until then they return None.");

static PyObject *
native_configure(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 4 || !PyType_Check(args[0]) || !PyCallable_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError,
                        "configure(ndarray, empty_like, stream_min_bytes, parallel_min_bytes)");
        return NULL;
    }
    Py_ssize_t stream = PyNumber_AsSsize_t(args[2], PyExc_OverflowError);
    if (stream == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t parallel = PyNumber_AsSsize_t(args[3], PyExc_OverflowError);
    if (parallel == -1 && PyErr_Occurred())
        return NULL;
    Py_XSETREF(ndarray_type, (PyTypeObject *)Py_NewRef(args[0]));
    Py_XSETREF(empty_like, Py_NewRef(args[1]));
    stream_min_bytes = stream;
    parallel_min_bytes = parallel;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(set_num_threads_doc,
"set_num_threads(n, /)\n--\n\nThe most threads relu's calls use at once (0: every usable core).");

static PyObject *
native_set_num_threads(PyObject *self, PyObject *arg)
{
    (void)self;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    relu_set_num_threads(n < 0 ? 0 : (n > MAX_THREADS ? MAX_THREADS : (int)n));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(get_num_threads_doc,
"get_num_threads()\n--\n\nThe most threads relu's calls use at once.");

static PyObject *
native_get_num_threads(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(relu_get_num_threads());
}

PyDoc_STRVAR(peak_helpers_doc,
"peak_helpers()\n--\n\nThe most helper threads at work at once since the last peak_helpers().");

static PyObject *
native_peak_helpers(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(take_peak());
}

static PyMethodDef native_methods[] = {
    {"peak_helpers", native_peak_helpers, METH_NOARGS, peak_helpers_doc},
    {"set_num_threads", native_set_num_threads, METH_O, set_num_threads_doc},
    {"get_num_threads", native_get_num_threads, METH_NOARGS, get_num_threads_doc},
    {"relu", (PyCFunction)(void (*)(void))native_relu, METH_FASTCALL, relu_doc},
    {"relu_grad", (PyCFunction)(void (*)(void))native_grad, METH_FASTCALL, grad_doc},
    {"relu_backward", (PyCFunction)(void (*)(void))native_backward, METH_FASTCALL, backward_doc},
    {"two_slopes", (PyCFunction)(void (*)(void))native_two_slopes, METH_FASTCALL, two_slopes_doc},
    {"copy", (PyCFunction)(void (*)(void))native_copy, METH_FASTCALL, copy_doc},
    {"fast_relu", (PyCFunction)(void (*)(void))native_fast_relu, METH_FASTCALL, fast_relu_doc},
    {"fast_grad", (PyCFunction)(void (*)(void))native_fast_grad, METH_FASTCALL, fast_grad_doc},
    {"fast_backward", (PyCFunction)(void (*)(void))native_fast_backward, METH_FASTCALL,
     fast_backward_doc},
    {"fast_counts", native_fast_counts, METH_NOARGS, fast_counts_doc},
    {"configure", (PyCFunction)(void (*)(void))native_configure, METH_FASTCALL, configure_doc},
    {NULL, NULL, 0, NULL},
};

static int
native_exec(PyObject *module)
{
    if (choose_loops() < 0 || configure_pool() < 0)
        return -1;
    /* Microseconds a helper thread spins after a call before it sleeps. */
    if (PyModule_AddIntConstant(module, "SPIN_US", (long)(spin_ns / 1000)) < 0)
        return -1;
    /* Which loops run: "avx512", "avx2", "sse2", or "none" (plain C on other CPUs). */
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
    if (PyModule_AddIntConstant(module, "PIECE_BYTES", (long)PIECE_BYTES) < 0)
        return -1;
    return 0;
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
