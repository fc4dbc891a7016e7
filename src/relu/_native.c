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
 *
 * Layout, one concern per file (included into this one translation unit, so
 * every function stays static): _csrc/loops.h holds the SIMD loops and their
 * choice at import; _csrc/pool.h the thread pool (pieces, helpers, fork
 * handling); this file the argument checks and the module's functions.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

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
    if (choose_loops() < 0)
        return -1;
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
