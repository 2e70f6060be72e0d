// Debian's libopenblas-dev installs cblas.h under the openblas-pthread include directory,
// which Package.swift reaches through the package's openblas.pc (pkg-config).
#include <cblas.h>
