/*
 * The thread pool of relu._native: how a call is cut into pieces, the helper
 * threads that take them, and the fork handlers that keep a child process
 * safe. Included once, by _native.c, after loops.h (run_job calls its loops).
 */

/* Threads need POSIX threads and GCC's atomics. Elsewhere (MSVC on Windows),
 * or when built with -DRELU_NO_THREADS, the compiled loops run on the calling
 * thread only: the same results, one core. */
#if !defined(RELU_NO_THREADS) && (defined(_WIN32) || !defined(__GNUC__))
#define RELU_NO_THREADS 1
#endif
#ifndef RELU_NO_THREADS
#include <pthread.h>
#endif


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
 * thread, starting on cache lines. The Python pool (relu/_kernel.py, cut())
 * follows the same rule with the same PIECE_BYTES, which a test compares. */
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
