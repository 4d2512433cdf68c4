// OpenBLAS, loaded on first use with one thread of its own.
//
// Why not link it: a linked OpenBLAS starts its worker threads while the program loads,
// and each spins on sched_yield for about a tenth of a second before it sleeps — in every
// attn process, even those that never multiply a matrix. On a two-core machine that took
// about 7% off a 2,000-lesson `attn build` (make bench, "Building pages"; strace counted
// 1,742 sched_yield calls in one build). attn spreads work over the cores itself (lessons,
// heads and Matrix.rowParallelProduct), so OpenBLAS runs one thread per call: the setting
// below, made before any thread exists, means it never starts its own. The variable is
// inherited by the programs attn starts (such as a workbook exercise using NumPy), which
// then also use one BLAS thread.
//
// Its kernels, too, are chosen here when the user has not chosen them. OpenBLAS picks
// the kernels for the processor it recognises, and an OpenBLAS older than the processor
// (Debian 12 ships 0.3.21, from 2022) does not recognise it and falls back to "Prescott",
// its SSE3 kernels: on an Emerald Rapids Xeon (family 6, model 207) that halved the
// product's speed (make bench, attention at L = 512: 0.15 s a pass, 1.9x NumPy; 0.07 s,
// 0.9x, with the AVX-512 kernels). So when OPENBLAS_CORETYPE is unset, it is set from the
// instructions the processor has: AVX-512 (F, CD, BW, DQ, VL) gives SkylakeX, AVX2 with
// FMA gives Haswell; the products' kernels that newer OpenBLAS releases choose for newer
// processors are these same ones. Like the thread count, the variable is inherited.
//
// When no OpenBLAS can be found, attn_blas_available returns 0 and Matrix uses its plain product
// (the same numbers to rounding, slower).
#include "COpenBLAS.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

// The kernels for this processor's vector instructions, or NULL to let OpenBLAS choose.
static const char *core_type(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl")) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}

__attribute__((constructor)) static void blas_settings(void) {
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    const char *core = core_type();
    if (core) setenv("OPENBLAS_CORETYPE", core, 0);      // 0: a user's own choice stays
}

// cblas_dgemm with CBLAS's enum arguments as ints (CblasRowMajor = 101, CblasNoTrans = 111,
// CblasTrans = 112) and 32-bit integers (the LP64 OpenBLAS that Debian's libopenblas0 is).
typedef void (*dgemm_function)(int, int, int, int, int, int, double, const double *, int,
                               const double *, int, double, double *, int);

static dgemm_function dgemm;
static const char *(*corename)(void);
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    static const char *const names[] = {
        "libopenblas.so.0", "libopenblas.so",                        // Debian, Ubuntu
        "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        "/usr/local/opt/openblas/lib/libopenblas.dylib",              // macOS, Homebrew
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0] && !dgemm; i++) {
        void *library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        dgemm = (dgemm_function)dlsym(library, "cblas_dgemm");
        if (dgemm) corename = (const char *(*)(void))dlsym(library, "openblas_get_corename");
    }
}

int attn_blas_available(void) {
    pthread_once(&loaded, load);
    return dgemm != 0;
}

int attn_dgemm(int transposeB, int m, int n, int k, double alpha, const double *a, int lda,
               const double *b, int ldb, double beta, double *c, int ldc) {
    pthread_once(&loaded, load);
    if (!dgemm) return 0;
    dgemm(101, 111, transposeB ? 112 : 111, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return 1;
}

const char *attn_blas_kernels(void) {
    pthread_once(&loaded, load);
    return dgemm && corename ? corename() : "";
}
