/*
 * relu._native: the compiled loops behind relu.relu, relu.relu_grad,
 * relu.relu_backward and the two-slope variants (leaky_relu, prelu with one
 * weight, piecewise_linear, and their derivatives), for float32 and float64.
 *
 * Optional: when this file cannot be compiled, the package falls back to
 * NumPy (relu/_kernel.py), which gives the same bits. It needs only CPython's
 * C API (no NumPy headers) and POSIX threads. Element by element:
 *
 *   relu:          y = (x <= 0) ? +0 : x       NaN and its payload stay,
 *                                               -0.0 and -inf give +0
 *   relu_grad:     y = (x > 0) ? 1 : 0         NaN gives 0
 *   relu_backward: y = (x > 0) ? g : +0        g's bits where x > 0
 *   two_slopes:    see its section in loops.h
 *
 * bit for bit what np.maximum(x, 0), (x > 0).astype(dtype),
 * np.where(x > 0, g, 0) and the two-slope formula (relu.variants) give.
 * relu can write with non-temporal ("streaming") stores, which skip reading
 * each destination line from memory before overwriting it: for outputs
 * beyond the caches only (stream_min_bytes).
 *
 * Layout, one concern per file (included into this one translation unit, so
 * every function stays static): _csrc/loops.h the loops and their choice at
 * import; _csrc/pool.h the thread pool (the cap, pieces, helpers, fork
 * handling); this file the calls: which inputs the loops take, and the
 * module's functions.
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

/* ---- the calls -------------------------------------------------------------
 *
 * relu, relu_grad, relu_backward, two_slopes and copy (the benchmark's
 * all-core floor) take plain ndarrays of float32 or float64 with at least one
 * dimension, contiguous in one order and aligned, of one dtype and shape; an
 * output, when given, is x itself or apart from every input. Each does the
 * whole call (allocates the result, chooses threads and streaming stores,
 * runs the loop with the GIL released) and returns the result; for any other
 * input it returns None, having written nothing, and the Python function
 * takes its checked path (relu/_kernel.py), which raises the errors and hands
 * what is still declined to NumPy. A layout is judged in one place: here.
 *
 * threads: None chooses by size (every core relu may use once the call
 * touches parallel_min_bytes, else one); an int >= 1 is taken, up to 4 per
 * usable core. stream (relu, copy): None chooses by size (stream_min_bytes),
 * True or False forces it; in place never streams. configure() hands over
 * numpy.ndarray, numpy.empty_like and the machine's cut-offs (relu._hardware)
 * at import; until then every call returns None. */

static PyTypeObject *ndarray_type = NULL;
static PyObject *empty_like = NULL;
static Py_ssize_t stream_min_bytes = PY_SSIZE_T_MAX;
static Py_ssize_t parallel_min_bytes = PY_SSIZE_T_MAX;
static unsigned long long fast_counts[3]; /* calls taken, on threads, streamed (under the GIL) */

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

/* True when views[0..count-1] can be walked as one flat array each: all
 * contiguous in one order (C, or else Fortran), aligned, and the output (the
 * last view) either the same memory as an input or apart from all of them
 * (the loops read each element before writing it, but only at one offset). */
static int
flat_loop_fits(const Py_buffer *views, int count)
{
    char order = 'C';
    const char *d = views[count - 1].buf;
    for (int i = 0; i < count; i++)
        if (!PyBuffer_IsContiguous(&views[i], 'C'))
            order = 'F';
    for (int i = 0; i < count; i++) {
        const char *s = views[i].buf;
        if (order == 'F' && !PyBuffer_IsContiguous(&views[i], 'F'))
            return 0;
        if ((uintptr_t)s % (uintptr_t)views[i].itemsize)
            return 0;
        if (i < count - 1 && s != d && s < d + views[count - 1].len && d < s + views[i].len)
            return 0;
    }
    return 1;
}

/* Hold a view of `obj` if it is a plain ndarray of `kind` (0: float32 or
 * float64) shaped like `like` (NULL: any shape, ndim >= 1); returns its kind,
 * or 0 with nothing held and no error. */
static char
take_view(PyObject *obj, Py_buffer *view, int writable, char kind, const Py_buffer *like)
{
    if (obj == NULL || Py_TYPE(obj) != ndarray_type)
        return 0;
    if (PyObject_GetBuffer(obj, view, PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        PyErr_Clear(); /* read-only, say: the checked path raises the error */
        return 0;
    }
    char got = float_kind(view);
    int ok = got != 0 && (kind == 0 || got == kind) && view->ndim > 0;
    if (ok && like != NULL) {
        ok = view->ndim == like->ndim;
        for (int d = 0; ok && d < view->ndim; d++)
            ok = view->shape[d] == like->shape[d];
    }
    if (!ok) {
        PyBuffer_Release(view);
        return 0;
    }
    return got;
}

static void
release(Py_buffer *views, int count)
{
    for (int i = 0; i < count; i++)
        PyBuffer_Release(&views[i]);
}

/* threads or stream as the caller gave them: -1 for None (by size), else the
 * value; -2 for anything else (the checked path's errors). */
static long
option(PyObject *obj, int is_threads)
{
    if (obj == NULL || obj == Py_None)
        return -1;
    if (!is_threads)
        return obj == Py_True ? 1 : obj == Py_False ? 0 : -2;
    if (!PyLong_CheckExact(obj))
        return -2;
    long n = PyLong_AsLong(obj);
    if (n < 1) {
        PyErr_Clear();
        return -2;
    }
    long most = 4L * usable_threads();
    return n > most ? most : n;
}

/* Run `job` (op and parameters set) on `inputs` arrays and `out` (NULL or
 * None: a new one); see the section's comment. */
static PyObject *
call(job_t *job, PyObject *const *arrays, int inputs, PyObject *out, PyObject *threads_obj,
     PyObject *stream_obj)
{
    long threads = option(threads_obj, 1), stream = option(stream_obj, 0);
    if (threads == -2 || stream == -2 || ndarray_type == NULL)
        Py_RETURN_NONE;
    Py_buffer v[3];
    char kind = take_view(arrays[0], &v[0], 0, 0, NULL);
    if (kind == 0)
        Py_RETURN_NONE;
    if (inputs == 2 && !take_view(arrays[1], &v[1], 0, kind, &v[0])) {
        PyBuffer_Release(&v[0]);
        Py_RETURN_NONE;
    }
    PyObject *result;
    if (out == NULL || out == Py_None) {
        PyObject *make = Py_NewRef(empty_like); /* held across the call */
        result = PyObject_CallOneArg(make, arrays[0]);
        Py_DECREF(make);
    }
    else {
        result = Py_NewRef(out);
    }
    if (result == NULL) {
        release(v, inputs);
        return NULL;
    }
    int held = take_view(result, &v[inputs], 1, kind, &v[0]) != 0;
    if (!held || !flat_loop_fits(v, inputs + 1)) {
        release(v, inputs + held);
        Py_DECREF(result);
        Py_RETURN_NONE;
    }
    job->kind = kind;
    job->a = v[0].buf;
    job->b = inputs == 2 ? v[1].buf : NULL;
    job->d = v[inputs].buf;
    job->n = v[0].len / v[0].itemsize;
    Py_ssize_t nbytes = v[0].len;
    int streams = job->op == OP_RELU || job->op == OP_COPY;
    job->stream = streams && job->d != job->a &&
                  (stream == -1 ? nbytes >= stream_min_bytes : stream == 1);
    /* the bytes this call touches: its inputs, and its output unless in place */
    Py_ssize_t touched = inputs + (job->d != job->a && job->d != job->b); /* arrays */
    /* not a fresh output (in place, or out=), beyond the LLC: contiguous shares (pool.h) */
    job->shares = (job->d == job->a || (out != NULL && out != Py_None)) &&
                  nbytes >= (stream_min_bytes + touched - 1) / touched;
    /* nbytes * touched >= parallel_min_bytes, without overflow */
    int t = threads != -1 ? (int)(threads > MAX_THREADS ? MAX_THREADS : threads)
            : nbytes > (parallel_min_bytes - 1) / touched ? relu_get_num_threads() : 1;
    Py_BEGIN_ALLOW_THREADS
    if (t > 1)
        t = run_threads(job, t);
    else
        run_job(job);
    Py_END_ALLOW_THREADS
    fast_counts[0]++;
    fast_counts[1] += t > 1;
    fast_counts[2] += job->stream != 0;
    release(v, inputs + 1);
    return result;
}

#define ARG(k) (nargs > (k) ? args[k] : NULL)

static int
count_ok(Py_ssize_t nargs, Py_ssize_t least, Py_ssize_t most, const char *usage)
{
    if (nargs >= least && nargs <= most)
        return 1;
    PyErr_Format(PyExc_TypeError, "%s: wrong number of arguments", usage);
    return 0;
}

PyDoc_STRVAR(relu_doc,
"relu(x, out=None, threads=None, stream=None, /)\n--\n\n"
"max(x, 0) into out (or a new array), returned; None, having written\n"
"nothing, for inputs the loops do not take.");

static PyObject *
native_relu(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (!count_ok(nargs, 1, 4, "relu(x, out=None, threads=None, stream=None)"))
        return NULL;
    job_t job = {.op = OP_RELU};
    return call(&job, args, 1, ARG(1), ARG(2), ARG(3));
}

PyDoc_STRVAR(copy_doc,
"copy(x, out, threads=None, stream=None, /)\n--\n\n"
"out[...] = x through the same loops and pool as relu: the benchmark's\n"
"all-core floor (out may be x: every element read and rewritten).");

static PyObject *
native_copy(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (!count_ok(nargs, 2, 4, "copy(x, out, threads=None, stream=None)"))
        return NULL;
    job_t job = {.op = OP_COPY};
    return call(&job, args, 1, args[1], ARG(2), ARG(3));
}

PyDoc_STRVAR(grad_doc,
"relu_grad(x, out=None, threads=None, /)\n--\n\n"
"1 where x > 0 else 0, into out (or a new array); None for other inputs.");

static PyObject *
native_grad(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (!count_ok(nargs, 1, 3, "relu_grad(x, out=None, threads=None)"))
        return NULL;
    job_t job = {.op = OP_GRAD};
    return call(&job, args, 1, ARG(1), ARG(2), NULL);
}

PyDoc_STRVAR(backward_doc,
"relu_backward(dout, x, out=None, threads=None, /)\n--\n\n"
"dout where x > 0 else +0, into out (or a new array); None for other inputs.");

static PyObject *
native_backward(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (!count_ok(nargs, 2, 4, "relu_backward(dout, x, out=None, threads=None)"))
        return NULL;
    job_t job = {.op = OP_BACKWARD};
    return call(&job, args, 2, ARG(2), ARG(3), NULL);
}

PyDoc_STRVAR(two_slopes_doc,
"two_slopes(x, out, threshold, below, above, derivative=False, threads=None, /)\n--\n\n"
"above * x where x > threshold else below * x (a zero slope gives +0, NaN\n"
"stays); with derivative=True, above or below themselves. Into out (or a\n"
"new array), returned; None for inputs the loops do not take.");

static PyObject *
native_two_slopes(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    const char *usage = "two_slopes(x, out, threshold, below, above, derivative=False, threads=None)";
    if (!count_ok(nargs, 5, 7, usage))
        return NULL;
    job_t job = {.op = OP_TWO_SLOPES};
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
    return call(&job, args, 1, args[1], ARG(6), NULL);
}

PyDoc_STRVAR(fast_counts_doc,
"fast_counts()\n--\n\n"
"(calls, threaded, streamed): the calls the loops took since import, those run\n"
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
"Hand the calls numpy.ndarray, numpy.empty_like and the machine's\n"
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
