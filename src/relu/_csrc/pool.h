/*
 * The thread pool of relu._native: how a call is cut into pieces, the helper
 * threads that take them, and the fork handlers that keep a child process
 * safe. Included once, by _native.c, after loops.h (run_job calls its loops).
 * Threads need POSIX threads and GCC's atomics. Elsewhere (MSVC on Windows),
 * or built with -DRELU_NO_THREADS, the loops run on the calling thread only.
 */
#if !defined(RELU_NO_THREADS) && (defined(_WIN32) || !defined(__GNUC__))
#define RELU_NO_THREADS 1
#endif
#ifndef RELU_NO_THREADS
#include <pthread.h>
#endif

/* ---- threads --------------------------------------------------------------
 * A call with threads > 1 hands pieces of the work (starting on 64-byte
 * cache lines, so no two threads write to one line) to threads - 1 helper
 * threads and works beside them, then waits for them, with the GIL released.
 */

enum { OP_RELU, OP_GRAD, OP_BACKWARD, OP_TWO_SLOPES, OP_COPY };
#define MAX_THREADS 256

typedef struct {
    int op, stream;
    char kind;
    const void *a, *b; /* inputs: x; or dout and x */
    void *d;           /* output */
    Py_ssize_t n;
    double t, lo, hi;  /* two slopes: threshold and slopes */
    int deriv;         /* two slopes: the derivative instead */
    int shares;        /* a contiguous share a thread: see the pieces below */
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
        else if (j->op == OP_COPY)
            run_f32_copy(j->a, j->d, j->n, j->stream);
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
        else if (j->op == OP_COPY)
            run_f64_copy(j->a, j->d, j->n, j->stream);
        else
            run_f64_two_slopes(j->a, j->d, j->n, f64_threshold(j->t), j->lo, j->hi, j->deriv);
    }
}

/* ---- the cap ------------------------------------------------------------
 * A call runs on at most thread_cap threads, its own included
 * (RELU_NUM_THREADS, relu.set_num_threads or threadpoolctl; 0: every usable
 * core). One call at a time uses the one pool of helpers; a call that finds
 * it taken runs on its own thread, so concurrent callers share the helpers. */
static int thread_cap = 0;
#ifndef RELU_NO_THREADS
static int helpers_peak = 0; /* the most helpers one call used since peak_helpers(); atomic */
#endif

static int
usable_threads(void)
{
    static int usable = 0; /* the affinity at the first call: a system call costs ~0.4 us */
#if defined(__linux__) && !defined(RELU_NO_THREADS)
    cpu_set_t set;
    if (usable == 0 && sched_getaffinity(0, sizeof set, &set) == 0)
        usable = CPU_COUNT(&set) > MAX_THREADS ? MAX_THREADS : CPU_COUNT(&set);
#endif
    return usable < 1 ? 1 : usable;
}

/* threadpoolctl finds these two in the shared library (relu._threads). */
#if defined(__GNUC__)
#define RELU_EXPORT __attribute__((visibility("default")))
#else
#define RELU_EXPORT
#endif

RELU_EXPORT int
relu_get_num_threads(void)
{
    int cap = thread_cap;
    return cap > 0 ? cap : usable_threads();
}

RELU_EXPORT void
relu_set_num_threads(int n)
{
    thread_cap = n < 1 ? 0 : (n > MAX_THREADS ? MAX_THREADS : n);
}

static int
take_peak(void)
{
#ifdef RELU_NO_THREADS
    return 0;
#else
    return __atomic_exchange_n(&helpers_peak, 0, __ATOMIC_RELAXED);
#endif
}

/* The work is cut into pieces which the threads take in turn from a shared
 * counter until none is left: the calling thread starts at once, and a
 * thread that the system starts late simply takes fewer pieces instead of
 * finishing last. Large new outputs are cut at multiples of PIECE_BYTES, so
 * each 2 MiB huge page of a fresh result is first touched (page-faulted) by
 * one thread only; smaller ones, and outputs not fresh (in place, out=) in
 * calls beyond the last-level cache (job.shares), get one piece per thread,
 * starting on cache lines: from memory, one contiguous share a thread
 * measured 3-7 % faster in place and up to 22 % out= on two cores, while in
 * the cache the shared counter's balance wins. */
#define PIECE_BYTES ((Py_ssize_t)1 << 21)

typedef struct {
    const job_t *whole;
    Py_ssize_t first, per, pieces, size; /* piece 0 has `first` elements, the others `per` */
    Py_ssize_t next;                     /* the next piece to take; atomic */
    unsigned int csr;                    /* x86: the caller's MXCSR, which helpers adopt */
} pieces_t;

static void
run_piece(const pieces_t *p, Py_ssize_t k)
{
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

static Py_ssize_t
next_piece(pieces_t *p)
{
#ifdef RELU_NO_THREADS
    return p->next++;
#else
    return __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
#endif
}

static void *
take_pieces(void *arg)
{
    pieces_t *p = arg;
    for (Py_ssize_t k; (k = next_piece(p)) < p->pieces;)
        run_piece(p, k);
    return NULL;
}

#ifndef RELU_NO_THREADS
#include <time.h>

/* Helpers kept between calls, so that a call hands work to running threads
 * instead of starting them (starting one cost ~50 us on the 2-core machine we
 * measured). Started on the first threaded call, never at import.
 *
 * Waiting, the OpenMP way: after a call a helper spins, watching for the
 * next call, for up to spin_ns (RELU_SPIN_US, read at import: 5000 us unless
 * set; 0 never spins), and only then sleeps on a condition variable, so
 * calls a few ms apart (a network's layers) find their helpers awake: a call
 * is handed over in about a microsecond instead of a wake-up's tens. GNU
 * OpenMP, PyTorch's, spins 300,000 pauses ("3 msec", env.c): 3-7 ms on Zen 5.
 * The price: up to spin_ns of one core per helper (relu-bench --versus).
 *
 * A late helper never holds the caller up: the caller takes pieces from the
 * start, and when none is left it closes the call, so a helper that wakes
 * after that finds nothing to join. The caller then waits only for helpers
 * still inside a piece. One call at a time uses the pool: a call that finds
 * it busy (another Python thread is in a threaded call) runs on its own
 * thread, and one that cannot start as many helpers as it wants runs with
 * those there are. A fork() child starts with no helpers. */

static pthread_mutex_t pool_call = PTHREAD_MUTEX_INITIALIZER; /* held by the call using the pool */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER; /* guards the fields below */
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;   /* a new call for the helpers */
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;   /* the last active helper left */
static int pool_helpers = 0;         /* helpers started */
static unsigned long pool_gen = 0;   /* calls handed to the helpers so far; atomic */
static int pool_wanted = 0;          /* helpers wanted by the current call */
static unsigned long pool_active = 0; /* helpers inside the current call; atomic */
static int pool_sleeping = 0;        /* helpers waiting on pool_wake */
static int pool_waiting = 0;         /* the caller waits on pool_done */
static pieces_t *pool_pieces = NULL; /* the open call, or NULL once closed */
static int pool_atfork = 0;          /* the fork handlers are registered */
static long long spin_ns = 5000000;  /* RELU_SPIN_US, in nanoseconds */

typedef struct {
    int index;
    unsigned long seen; /* the last call this helper saw */
} helper_t;

static long long
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* The SSE control register (rounding, flush-to-zero, denormals-are-zero):
 * a helper runs its pieces with the caller's, so that every piece of a call
 * is computed alike whichever thread takes it. Elsewhere: nothing to do. */
#if RELU_SSE2
#define get_csr() _mm_getcsr()
#define set_csr(csr) _mm_setcsr(csr)
#else
#define get_csr() 0u
#define set_csr(csr) ((void)(csr))
#endif

/* Spin while (*word == value) == still, for at most spin_ns; 1 once it is not. */
static int
spin_while(const unsigned long *word, unsigned long value, int still)
{
    if (spin_ns <= 0)
        return 0;
    long long end = now_ns() + spin_ns;
    for (unsigned k = 1;; k++) {
        if ((__atomic_load_n(word, __ATOMIC_ACQUIRE) == value) != still)
            return 1;
        cpu_relax();
        if ((k & 127u) == 0 && now_ns() >= end)
            return 0;
    }
}

static void *
helper_main(void *arg)
{
    helper_t me = *(helper_t *)arg;
    free(arg);
    for (;;) {
        spin_while(&pool_gen, me.seen, 1); /* for the next call */
        pthread_mutex_lock(&pool_lock);
        while (__atomic_load_n(&pool_gen, __ATOMIC_ACQUIRE) == me.seen) {
            pool_sleeping++;
            pthread_cond_wait(&pool_wake, &pool_lock);
            pool_sleeping--;
        }
        me.seen = __atomic_load_n(&pool_gen, __ATOMIC_ACQUIRE);
        pieces_t *p = pool_pieces;
        /* Join only with a piece in hand, claimed under the lock: a helper
         * that joins is never one that has nothing to do. */
        Py_ssize_t first = p != NULL && me.index < pool_wanted ? next_piece(p) : -1;
        if (first < 0 || first >= p->pieces) {
            pthread_mutex_unlock(&pool_lock); /* closed, not needed, or nothing left */
            continue;
        }
        __atomic_add_fetch(&pool_active, 1, __ATOMIC_ACQ_REL);
        pthread_mutex_unlock(&pool_lock);
        unsigned int own = get_csr();
        set_csr(p->csr); /* the caller's rounding and denormal modes: the same bits */
        run_piece(p, first);
        take_pieces(p);
        set_csr(own);
        pthread_mutex_lock(&pool_lock);
        if (__atomic_sub_fetch(&pool_active, 1, __ATOMIC_ACQ_REL) == 0 && pool_waiting)
            pthread_cond_signal(&pool_done);
        pthread_mutex_unlock(&pool_lock);
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
    pool_helpers = pool_wanted = pool_active = pool_sleeping = pool_waiting = 0;
    pool_pieces = NULL;
    pthread_mutex_unlock(&pool_lock); /* held across the fork by this thread */
    pthread_mutex_unlock(&pool_call);
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
        h->seen = __atomic_load_n(&pool_gen, __ATOMIC_ACQUIRE);
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

/* RELU_SPIN_US: microseconds a helper spins after a call before it sleeps, a
 * whole number from 0 (never spin) to 1000000. Returns 0, or -1 with a
 * ValueError set for any other value. */
static int
configure_pool(void)
{
    const char *cap = getenv("RELU_NUM_THREADS");
    if (cap != NULL && *cap != '\0') {
        long n = 0;
        const char *c = cap;
        for (; *c >= '0' && *c <= '9' && n <= MAX_THREADS; c++)
            n = n * 10 + (*c - '0');
        if (*c != '\0' || n < 1 || n > MAX_THREADS) {
            PyErr_Format(PyExc_ValueError,
                         "RELU_NUM_THREADS=%s: give the most threads relu's calls use at once, "
                         "a whole number from 1 to %d",
                         cap, MAX_THREADS);
            return -1;
        }
        relu_set_num_threads((int)n);
    }
    const char *text = getenv("RELU_SPIN_US");
    if (text == NULL || *text == '\0')
        return 0;
    long long us = 0;
    const char *c = text;
    for (; *c >= '0' && *c <= '9' && us <= 1000000; c++)
        us = us * 10 + (*c - '0');
    if (*c != '\0' || c == text || us > 1000000) {
        PyErr_Format(PyExc_ValueError,
                     "RELU_SPIN_US=%s: give the microseconds a helper thread spins after a "
                     "call before it sleeps, a whole number from 0 (never spin) to 1000000",
                     text);
        return -1;
    }
    spin_ns = us * 1000;
    return 0;
}

/* `whole` on up to `threads` threads (the cap allowing); returns how many ran it. */
static int
run_threads(const job_t *whole, int threads)
{
    int cap = relu_get_num_threads();
    threads = threads < cap ? threads : cap;
    pieces_t p = {whole, 0, 0, 0, whole->kind == 'f' ? (Py_ssize_t)sizeof(float) : (Py_ssize_t)sizeof(double), 0, get_csr()};
    Py_ssize_t n = whole->n;
    if (!whole->shares && n / threads >= 4 * (PIECE_BYTES / p.size)) {
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
    if (threads <= 1 || pthread_mutex_trylock(&pool_call) != 0) { /* or another call has it */
        take_pieces(&p);
        return 1;
    }
    pthread_mutex_lock(&pool_lock);
    if (!pool_atfork)
        pool_atfork = pthread_atfork(pool_prepare, pool_parent, pool_child) == 0;
    if (!pool_atfork) { /* without the fork handlers a child could inherit a held lock */
        pthread_mutex_unlock(&pool_lock);
        pthread_mutex_unlock(&pool_call);
        take_pieces(&p);
        return 1;
    }
    int helpers = grow_pool(threads - 1);
    if (helpers > threads - 1)
        helpers = threads - 1;
    for (int peak = __atomic_load_n(&helpers_peak, __ATOMIC_RELAXED); peak < helpers;)
        if (__atomic_compare_exchange_n(&helpers_peak, &peak, helpers, 0, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED))
            break;
    pool_pieces = &p;
    pool_wanted = helpers;
    __atomic_add_fetch(&pool_gen, 1, __ATOMIC_ACQ_REL);
    if (pool_sleeping > 0)
        pthread_cond_broadcast(&pool_wake);
    pthread_mutex_unlock(&pool_lock);
    take_pieces(&p); /* with the helpers that come; if none does, all of it */
    pthread_mutex_lock(&pool_lock);
    pool_pieces = NULL; /* closed: a helper that wakes from now on finds nothing */
    pthread_mutex_unlock(&pool_lock);
    if (!spin_while(&pool_active, 0, 0)) { /* for the helpers to leave */
        pthread_mutex_lock(&pool_lock);
        pool_waiting = 1;
        while (__atomic_load_n(&pool_active, __ATOMIC_ACQUIRE) > 0)
            pthread_cond_wait(&pool_done, &pool_lock);
        pool_waiting = 0;
        pthread_mutex_unlock(&pool_lock);
    }
    pthread_mutex_unlock(&pool_call);
    return helpers + 1;
}

#else /* RELU_NO_THREADS: one piece, on the calling thread */

static long long spin_ns = 0;

static int
configure_pool(void)
{
    return 0;
}

static int
run_threads(const job_t *whole, int threads)
{
    (void)threads;
    pieces_t p = {whole, whole->n, whole->n, whole->n > 0,
                  whole->kind == 'f' ? (Py_ssize_t)sizeof(float) : (Py_ssize_t)sizeof(double), 0, 0};
    take_pieces(&p);
    return 1;
}
#endif
