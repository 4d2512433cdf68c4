#ifndef ATTN_COPENBLAS_H
#define ATTN_COPENBLAS_H

/// OpenBLAS's row-major dgemm, C = alpha·A·op(B) + beta·C with op(B) = B or Bᵀ, loaded
/// the first time a product needs it (see openblas.c for why it is not linked).
/// Returns 1 when OpenBLAS computed C, 0 when OpenBLAS could not be loaded (C untouched).
int attn_dgemm(int transposeB, int m, int n, int k, double alpha, const double *a, int lda,
               const double *b, int ldb, double beta, double *c, int ldc);

/// 1 when OpenBLAS can be loaded (loading it if it is not yet), else 0.
int attn_blas_available(void);

/// The name of the kernels OpenBLAS runs ("SkylakeX", "Haswell", …; openblas.c says how
/// they are chosen), or "" when OpenBLAS could not be loaded or does not say.
const char *attn_blas_kernels(void);

#endif
