# Sourced by the comparison scripts before they run a peer that calls
# OpenBLAS (PyTorch's CPU matrix products go through it, and so does
# bench/openblas_sgemm.c). OpenBLAS picks its kernels from the CPU model;
# a model it does not know (Debian's 0.3.21 on a recent Xeon in a virtual
# machine, which reports itself as "Intel(R) Xeon(R) Processor") makes it
# fall back to its generic SSE3 kernels, "Prescott", 4–5× slower than its
# AVX-512 ones. Measured against that, a peer would look slower than it is.
# So, unless the user has set OPENBLAS_CORETYPE, this asks OpenBLAS which
# kernels it chose and, if they are older than the CPU's instruction set,
# sets OPENBLAS_CORETYPE to the kernels the CPU can run: SkylakeX (AVX-512)
# or Haswell (AVX2). It prints the core in use either way.
openblas_core() {
  local lib chosen flags want=""
  # No early exits in these pipelines: the scripts that source this run
  # with pipefail, and a writer cut off by SIGPIPE would end them.
  lib=$(/sbin/ldconfig -p 2>/dev/null | awk '/libopenblas\.so\.0 / && !found { print $NF; found = 1 }') || true
  if [ -z "$lib" ]; then
    echo "OpenBLAS core: unknown (libopenblas.so.0 not found)"
    return
  fi
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    echo "OpenBLAS core: $OPENBLAS_CORETYPE (OPENBLAS_CORETYPE set by the user)"
    return
  fi
  chosen=$(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c "import ctypes; ctypes.CDLL('$lib')" 2>&1 |
    awk '/^Core: / && !found { sub(/^Core: /, ""); print; found = 1 }') || true
  flags=$(grep -m1 '^flags' /proc/cpuinfo) || true
  case " $flags " in
    *" avx512f "*) want=SkylakeX ;;
    *" avx2 "*) want=Haswell ;;
  esac
  case "$chosen" in
    Prescott | Core2 | Penryn | Dunnington | Nehalem | Atom | Katmai | Coppermine | Northwood | Banias | Opteron | Barcelona)
      if [ -n "$want" ]; then
        export OPENBLAS_CORETYPE=$want
        echo "OpenBLAS core: $want (OpenBLAS took this CPU for $chosen, whose generic kernels leave AVX unused; OPENBLAS_CORETYPE=$want)"
        return
      fi ;;
  esac
  echo "OpenBLAS core: ${chosen:-unknown} (chosen by OpenBLAS)"
}
openblas_core
