/*
 * The memory of large results: relu(x), relu_grad(x) and relu_backward(dout, x)
 * keep the memory of a freed result of 32 MiB or more and give it to the
 * next result of the same size. Included once, by _native.c.
 *
 * Why: glibc's malloc takes an allocation of 32 MiB or more (its largest
 * mmap threshold on 64-bit, mallopt(3)) straight from the kernel and hands
 * it back on free(). The kernel then zeroes every page of the next such
 * result when it is first written, and at these sizes that page-faulting
 * costs about as long as the ReLU itself. Below 32 MiB glibc keeps freed
 * memory for reuse on its own, so nothing is done there.
 *
 * How: a result's memory is a Block, a small object that exports a writable
 * buffer and is the result's `base`. When the last array using it goes, the
 * Block's dealloc puts its mapping on a short list instead of unmapping it,
 * with madvise(MADV_FREE): the pages stay mapped and are written again
 * without a fault, but the kernel may take them back when memory runs short
 * (a page it took reads as zeros, which no caller sees: a result is written
 * whole before it is returned). The list holds at most KEEP_BLOCKS mappings
 * and keep_max_bytes in all (RELU_KEEP_MIB, read at import: a sixteenth of
 * the physical memory unless set; 0 keeps nothing); the oldest go first,
 * and all of it when the kernel refuses a new mapping. relu.release_memory()
 * gives it all back. Kept memory counts in the process's resident size until
 * the kernel takes it, and tools that trace NumPy's allocations (tracemalloc)
 * do not see these results.
 * Everything here runs with the GIL held (a Block is created and freed like
 * any Python object), which is the list's lock; a fork() child inherits the
 * list with its mappings, which stay valid there.
 *
 * Linux only (mmap, MADV_FREE); elsewhere every result comes from
 * numpy.empty_like as before.
 */
#include <errno.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif
#if defined(__linux__) && defined(MADV_FREE)
#define RELU_KEEP 1
#endif

#define KEEP_MIN_BYTES ((Py_ssize_t)32 << 20) /* glibc's largest mmap threshold */
#define KEEP_BLOCKS 4
#define HUGE_BYTES ((size_t)2 << 20)          /* one huge page on x86-64 and arm64 */

typedef struct {
    PyObject_HEAD
    char *data;     /* a mapping of `mapped` bytes, HUGE_BYTES-aligned */
    size_t mapped;
    Py_ssize_t len; /* the bytes the buffer exports */
} block_t;

static size_t keep_max_bytes = 0;
#ifdef RELU_KEEP
static char *kept_data[KEEP_BLOCKS];
static size_t kept_mapped[KEEP_BLOCKS];
static int kept_count = 0;
#endif
static size_t kept_bytes = 0;
static unsigned long long block_counts[2]; /* results given kept memory, new mappings */

#ifdef RELU_KEEP
/* A new mapping of `mapped` bytes (a multiple of HUGE_BYTES) on a huge-page
 * boundary, so that transparent huge pages can back all of it; NULL if the
 * kernel refuses. */
static char *
map_block(size_t mapped)
{
    size_t extra = mapped + HUGE_BYTES;
    char *raw = mmap(NULL, extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uintptr_t start = ((uintptr_t)raw + HUGE_BYTES - 1) & ~(uintptr_t)(HUGE_BYTES - 1);
    size_t head = start - (uintptr_t)raw, tail = extra - head - mapped;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap((char *)start + mapped, tail);
    madvise((void *)start, mapped, MADV_HUGEPAGE); /* a hint: ignored where unsupported */
    return (char *)start;
}

static void
drop_oldest(void)
{
    munmap(kept_data[0], kept_mapped[0]);
    kept_bytes -= kept_mapped[0];
    kept_count--;
    memmove(kept_data, kept_data + 1, kept_count * sizeof kept_data[0]);
    memmove(kept_mapped, kept_mapped + 1, kept_count * sizeof kept_mapped[0]);
}
#endif

static void
block_dealloc(PyObject *self)
{
#ifdef RELU_KEEP
    block_t *b = (block_t *)self;
    if (b->data != NULL) {
        if (b->mapped <= keep_max_bytes) {
            while (kept_count == KEEP_BLOCKS || kept_bytes + b->mapped > keep_max_bytes)
                drop_oldest();
            madvise(b->data, b->mapped, MADV_FREE);
            kept_data[kept_count] = b->data;
            kept_mapped[kept_count++] = b->mapped;
            kept_bytes += b->mapped;
        }
        else {
            munmap(b->data, b->mapped);
        }
    }
#endif
    Py_TYPE(self)->tp_free(self);
}

static int
block_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    block_t *b = (block_t *)self;
    return PyBuffer_FillInfo(view, self, b->data, b->len, 0, flags);
}

static PyBufferProcs block_as_buffer = {block_getbuffer, NULL};

static PyTypeObject block_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "relu._native.Block",
    .tp_basicsize = sizeof(block_t),
    .tp_dealloc = block_dealloc,
    .tp_as_buffer = &block_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The memory of a large result of relu, kept for the next one when freed.",
};

static void drop_kept(void);

/* A Block of at least `len` bytes: kept memory of the same mapped size, or a
 * new mapping. NULL, with no error set, when no block is to be had (too
 * small, nothing kept and none allowed, or the kernel refused): the caller
 * then allocates as usual. */
static PyObject *
block_new(Py_ssize_t len)
{
#ifdef RELU_KEEP
    size_t mapped = ((size_t)len + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1);
    if (len < KEEP_MIN_BYTES || mapped > keep_max_bytes)
        return NULL; /* too small to need it, or too large ever to be kept */
    char *data = NULL;
    for (int i = kept_count - 1; i >= 0 && data == NULL; i--) {
        if (kept_mapped[i] == mapped) {
            data = kept_data[i];
            kept_bytes -= mapped;
            kept_count--;
            memmove(kept_data + i, kept_data + i + 1, (kept_count - i) * sizeof kept_data[0]);
            memmove(kept_mapped + i, kept_mapped + i + 1,
                    (kept_count - i) * sizeof kept_mapped[0]);
            block_counts[0]++;
        }
    }
    if (data == NULL) {
        data = map_block(mapped);
        if (data == NULL && kept_count > 0) { /* what is kept may be what is missing */
            drop_kept();
            data = map_block(mapped);
        }
        if (data == NULL)
            return NULL;
        block_counts[1]++;
    }
    block_t *b = PyObject_New(block_t, &block_type);
    if (b == NULL) {
        munmap(data, mapped);
        PyErr_Clear();
        return NULL;
    }
    b->data = data;
    b->mapped = mapped;
    b->len = len;
    return (PyObject *)b;
#else
    (void)len;
    return NULL;
#endif
}

/* Unmap every kept mapping. */
static void
drop_kept(void)
{
#ifdef RELU_KEEP
    while (kept_count > 0)
        drop_oldest();
#endif
}

/* RELU_KEEP_MIB: the most memory of freed results kept, in MiB, as decimal
 * digits (0: none); unset or empty: a sixteenth of the physical memory.
 * Anything else is an error at import. A result larger than this is never
 * kept, so it gets no Block either. */
static int
configure_blocks(void)
{
    if (PyType_Ready(&block_type) < 0)
        return -1;
    const char *env = getenv("RELU_KEEP_MIB");
    if (env != NULL && *env != '\0') {
        char *end;
        errno = 0;
        long long mib = strtoll(env, &end, 10);
        if (*env < '0' || *env > '9' || *end != '\0' || errno != 0 || mib > (1LL << 40)) {
            PyErr_Format(PyExc_ValueError,
                         "RELU_KEEP_MIB=%s: expected a whole number of MiB, 0 or more", env);
            return -1;
        }
        keep_max_bytes = (size_t)mib << 20;
    }
    else {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        keep_max_bytes = pages > 0 && page > 0 ? (size_t)pages / 16 * (size_t)page : 0;
#endif
    }
#ifndef RELU_KEEP
    keep_max_bytes = 0;
#endif
    return 0;
}
