// OpenBLAS's CBLAS header (Debian: libopenblas-dev, found through pkg-config "openblas").
#include <cblas.h>
