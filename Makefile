# libmixture: K-means and Gaussian mixture models with a stable C API.
#
#   make            shared and static libraries in lib/, pkgconfig/mixture.pc
#   make demo       the main job on bundled real data (iris), and the two
#                   ways to fit a mixture (EM and Adam) in short
#   make check      every test: Check suites, examples, ABI list and versions,
#                   the Python package against scikit-learn, Node.js through
#                   koffi, downstream pkg-config, CMake and Python installs
#   make python     the Python package usable from the build tree:
#                   PYTHONPATH=python python3 -c 'import mixture'
#   make deps       install (as root) every package make check needs
#   make docs       Doxygen HTML into docs/html (warnings are errors)
#   make install    PREFIX, DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR honoured,
#                   CMAKEDIR and PYTHONDIR for the CMake and Python packages
#   make uninstall  removes exactly what install wrote
#   make bench      benchmarks against scikit-learn and others (docs/performance.md)
#   make check-asan / check-valgrind / check-tsan / check-fault / fuzz / check-abi
#                   reliability checks (docs/reliability.md); all run in CI
#   make check-fresh  (root) `make demo` and `make check` of the committed tree
#                   in a minimal Debian root with only gcc, make and git
#
# The goals that need system packages (demo, check and the other check-*
# targets, docs, fuzz, bench, and an explicit `make deps`) install what is
# missing with apt-get when run as root, and otherwise print the exact
# command. Plain `make` (and install) never installs anything: it names the
# missing packages and stops.

# ---- version: the header is the single source -------------------------------
HEADER := include/mixture.h
version_part = $(shell sed -n 's/^\#define MIX_VERSION_$(1) \([0-9]*\).*/\1/p' $(HEADER))
MAJOR := $(call version_part,MAJOR)
MINOR := $(call version_part,MINOR)
PATCH := $(call version_part,PATCH)
VERSION := $(MAJOR).$(MINOR).$(PATCH)

# ---- tools and flags --------------------------------------------------------
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
STD := -std=c11
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

# BLAS/LAPACKE through pkg-config (Debian: openblas.pc, lapacke.pc); evaluated
# when used, i.e. after the dependency check has had a chance to install them.
BLAS_PKGS ?= openblas lapacke
BLAS_CFLAGS = $(shell pkg-config --cflags $(BLAS_PKGS) 2>/dev/null)
BLAS_LIBS = $(shell pkg-config --libs $(BLAS_PKGS) 2>/dev/null || echo -lopenblas -llapacke)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# GCC's -O2 vectoriser refuses loops with a scalar epilogue (most of the
# library's row loops) and keeps floating-point compares as branches unless
# trapping math is off; the library never reads FP exception flags. Clang
# vectorises these loops at -O2 already.
CC_IS_GCC := $(shell $(CC) --version 2>/dev/null | grep -q 'Free Software Foundation' && echo yes)
VECTOR_FLAGS := $(if $(CC_IS_GCC),-fvect-cost-model=dynamic -fno-trapping-math)
# The library never reads errno after a math call: sqrt becomes one instruction.
# No contraction of a * b + c into a fused multiply-add behind the code's
# back (Clang's default where the target has FMA; GCC's outside ISO C mode):
# the library says where it fuses, so -march alone does not change results.
LIB_CFLAGS = $(STD) $(WARNINGS) $(CFLAGS) $(VECTOR_FLAGS) -fno-math-errno -ffp-contract=off -fPIC \
             -fvisibility=hidden -pthread -MMD -MP \
             -Iinclude -Isrc $(BLAS_CFLAGS) $(EXTRA_CFLAGS)
LIB_LIBS = $(BLAS_LIBS) -lpthread -lm

# ---- installation paths -----------------------------------------------------
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# ---- sources and outputs ----------------------------------------------------
# BUILD holds objects and test programs, OUT the libraries; the sanitizer and
# fault-injection variants are the same rules run with other directories.
SRCS := $(sort $(wildcard src/*/*.c))
BUILD ?= build
OUT ?= lib
OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
SONAME := libmixture.so.$(MAJOR)
SHARED := $(OUT)/libmixture.so.$(VERSION)
STATIC := $(OUT)/libmixture.a
PC := pkgconfig/mixture.pc

.PHONY: all deps deps-build deps-check deps-docs deps-reliability demo check check-unit \
        check-portable check-examples check-symbols check-versions check-python check-downstream check-fault fault-run \
        python check-node install-python install-cmake uninstall-python uninstall-cmake \
        check-asan check-valgrind check-tsan tsan-run fuzz fuzz-run fuzz-replay check-abi \
        docs install install-headers \
        install-shared install-static install-pc uninstall uninstall-headers \
        uninstall-shared uninstall-static uninstall-pc clean bench check-fresh deps-mpi check-mpi

all: $(SHARED) $(OUT)/$(SONAME) $(OUT)/libmixture.so $(STATIC) $(PC)

# ---- system packages --------------------------------------------------------
# install_missing: install the Debian packages named in $$missing (goals that
# need them, as root), or print the command and fail. Which goals may
# install is decided once, from the command line: plain `make` only reports.
INSTALL_GOALS := deps demo check check-% docs fuzz fuzz-% bench figures
DEPS_INSTALL := $(if $(filter $(INSTALL_GOALS),$(MAKECMDGOALS)),yes,$(DEPS_INSTALL_SUBMAKE))
export DEPS_INSTALL_SUBMAKE := $(DEPS_INSTALL)
define install_missing
if [ -n "$$missing" ]; then \
  if [ "$(DEPS_INSTALL)" = yes ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing missing packages:$$missing"; \
    { apt-get install -y -q $$missing >/dev/null 2>&1 || \
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $$missing >/dev/null; }; } \
      || { echo "apt-get could not install:$$missing" >&2; exit 1; }; \
  else \
    echo "Missing system packages. Run \`make deps\` as root, or:" >&2; \
    echo "  sudo apt-get install -y$$missing" >&2; exit 1; \
  fi; \
fi
endef

# optional: something the tests use where it exists (its name, a shell test
# for it, the Debian packages that bring it, what needs it): installed like
# the other packages by the goals that install, otherwise those tests are
# skipped with a note. optional_python (module, packages, what) and
# optional_tool (commands, packages, what) are its two uses.
define optional
if ! ( $(2) ) >/dev/null 2>&1; then \
  if [ "$(DEPS_INSTALL)" = yes ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing $(3) for $(4)"; \
    apt-get install -y -q $(3) >/dev/null 2>&1 || \
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(3) >/dev/null 2>&1; } || \
      echo "note: $(3) could not be installed; $(4) will be skipped"; \
  else \
    echo "note: $(1) is absent; $(4) will be skipped. To run them: sudo apt-get install -y $(3)"; \
  fi; \
fi
endef
optional_python = $(call optional,$(1),$(PYTHON) -c 'import $(1)',$(2),$(3))
optional_tool = $(call optional,$(1),for c in $(1); do command -v $$c || exit 1; done,$(2),$(3))

# Everything `make check` needs, installed up front.
deps: deps-check

# libc6-dev (C headers, crt files, libc.so and libc.a) is only a Recommends
# of Debian's gcc: without Recommends (`apt-get install
# --no-install-recommends gcc`, debootstrap) the compiler cannot build
# anything, hence the test compile.
deps-build:
	@missing=""; \
	printf '#include <stdio.h>\nint main(void) { return 0; }\n' | \
	  $(CC) -x c -o /dev/null - >/dev/null 2>&1 || missing="$$missing libc6-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists openblas 2>/dev/null || missing="$$missing libopenblas-dev"; \
	pkg-config --exists lapacke 2>/dev/null || missing="$$missing liblapacke-dev"; \
	$(install_missing)

# The static downstream build (check-downstream: `cc -static` with
# `pkg-config --static --libs mixture`) links the static archive of every
# library in OpenBLAS's Libs.private. Debian's OpenBLAS contains LAPACK
# compiled from Fortran, so that list has -lgfortran, but libopenblas-dev
# depends only on the shared runtime (libgfortran5), not on the package of
# libgfortran.a. That package's name carries GCC's major version
# (libgfortran-12-dev in bookworm, -14-dev in trixie), so it is derived from
# the compiler in use: its libgcc.a comes from libgcc-N-dev, built from the
# same GCC source as libgfortran-N-dev (`gfortran`, which pulls the default
# GCC's, if dpkg does not know the file). `-print-file-name` prints the bare
# name when the compiler cannot find the archive. The other archives of that
# link come with packages installed anyway: libopenblas.a and liblapack.a
# (OpenBLAS's) with libopenblas-dev, liblapacke.a with liblapacke-dev,
# libm.a, libpthread.a and libc.a with libc6-dev.
deps-check: deps-build
	@missing=""; \
	pkg-config --exists check 2>/dev/null || missing="$$missing check"; \
	if pkg-config --static --libs $(BLAS_PKGS) 2>/dev/null | tr ' ' '\n' | grep -qx -- -lgfortran && \
	   ! $(CC) -print-file-name=libgfortran.a | grep -q /; then \
	  libgcc=$$(readlink -f "$$($(CC) -print-libgcc-file-name)"); \
	  pkg=$$(dpkg -S "$$libgcc" 2>/dev/null | \
	         sed -n 's/^libgcc-\([0-9][0-9]*\)-dev[:,].*/libgfortran-\1-dev/p' | head -n 1); \
	  missing="$$missing $${pkg:-gfortran}"; \
	fi; \
	$(install_missing)
	@$(call optional_python,sklearn,python3-sklearn,the parity tests with scikit-learn)
	@$(call optional_python,torch,python3-torch,the parity tests with PyTorch)
	@$(call optional_python,pytest,python3-pytest,the pytest runner (unittest runs the Python tests instead))
	@$(call optional_python,pip,python3-pip,the pip install test)
	@$(call optional_tool,cmake,cmake,the CMake downstream build)
	@$(call optional_tool,node npm,nodejs npm,the Node.js test)

deps-docs:
	@missing=""; command -v doxygen >/dev/null 2>&1 || missing=" doxygen"; \
	$(install_missing)

# ---- library ----------------------------------------------------------------
# Header dependencies come from the compiler (-MMD -MP): each object is
# rebuilt when a header it includes changes, and only then.
$(BUILD)/obj/%.o: src/%.c | deps-build
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

-include $(OBJS:.o=.d)

$(SHARED): $(OBJS) src/libmixture.map
	@mkdir -p $(OUT)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) -shared -pthread -Wl,-soname,$(SONAME) \
	  -Wl,--version-script=src/libmixture.map -Wl,--no-undefined \
	  -o $@ $(OBJS) $(LIB_LIBS)

$(OUT)/$(SONAME): $(SHARED)
	ln -sf $(notdir $(SHARED)) $@

$(OUT)/libmixture.so: $(OUT)/$(SONAME)
	ln -sf $(SONAME) $@

$(STATIC): $(OBJS)
	@mkdir -p $(OUT)
	rm -f $@
	ar rcs $@ $(OBJS)

# The pkg-config file for the given installation paths. Debian's OpenBLAS
# and LAPACKE ship .pc files: name them in Requires.private so that
# `pkg-config --static` pulls their own dependencies (libgfortran...).
define make_pc
sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
    -e "s|@REQUIRES_PRIVATE@|$$(pkg-config --exists $(BLAS_PKGS) 2>/dev/null && echo '$(BLAS_PKGS)')|" \
    -e "s|@LIBS_PRIVATE@|$$(pkg-config --exists $(BLAS_PKGS) 2>/dev/null || echo '-lopenblas -llapacke') -lpthread -lm|" \
    pkgconfig/mixture.pc.in
endef

$(PC): pkgconfig/mixture.pc.in $(HEADER) | deps-build
	$(make_pc) > $@

# ---- tests --------------------------------------------------------------------
TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
TEST_BIN := $(BUILD)/tests/unit
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(sort $(wildcard examples/*.c)))
EXAMPLE_CFLAGS = $(STD) $(WARNINGS) $(CFLAGS) -Iinclude

$(TEST_BIN): $(TEST_SRCS) $(wildcard tests/unit/*.h) $(wildcard tests/ref/*.h) \
            $(wildcard tests/format/*/*.h) $(STATIC) | deps-check
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARNINGS) $(CFLAGS) -pthread -Iinclude -Isrc -Itests $(CHECK_CFLAGS) \
	  $(EXTRA_CFLAGS) -o $@ $(TEST_SRCS) $(STATIC) $(CHECK_LIBS) $(LIB_LIBS)

$(BUILD)/examples/%: examples/%.c $(SHARED) $(OUT)/libmixture.so
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CFLAGS) $(EXTRA_CFLAGS) -o $@ $< -L$(OUT) -lmixture \
	  -Wl,-rpath,$(abspath $(OUT)) -lm

check: all check-unit check-portable check-examples check-fault check-symbols check-versions \
       check-python check-node check-downstream
	@echo "make check: all tests passed"

check-unit: $(TEST_BIN)
	$(TEST_BIN)

# The Check suites on the portable code paths that CPUs without AVX2/FMA
# take (no register kernels, no AVX2 clones); this machine's CPU otherwise
# never runs them for d <= 64.
check-portable: | deps-check
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/portable OUT=$(BUILD)/portable/lib \
	  EXTRA_CFLAGS="$(EXTRA_CFLAGS) -DMIX_NO_FMA_KERNEL -DMIX_NO_TARGET_CLONES" check-unit

# The arguments the checks give example $$e, into $$a: large_file writes
# 512 MB by default, the checks scale it down.
EXAMPLE_ARGS = case $$e in */large_file) a="--rows 40000";; *) a="";; esac
check-examples: $(EXAMPLES)
	@for e in $(EXAMPLES); do echo "== $$e"; $(EXAMPLE_ARGS); \
	  (cd examples && ../$$e $$a > /dev/null) || exit 1; done
	@echo "examples: $(words $(EXAMPLES)) ran"

check-symbols: $(SHARED)
	sh tests/abi/check_symbols.sh $(SHARED) src/libmixture.map $(HEADER) tests/abi/symbols.txt

# The header's version, CHANGELOG.md, the version script and @since agree.
check-versions:
	sh tests/abi/check_versions.sh $(HEADER) src/libmixture.map CHANGELOG.md

check-downstream: all
	sh tests/downstream/run.sh "$(CC)" "$(MAKE)" "$(PYTHON)"

# ---- doors: the Python package, Node.js, CMake (docs/bindings.md) -------------
# The package in the build tree finds the library next to itself.
python: $(SHARED) $(OUT)/$(SONAME)
	ln -sfn $(abspath $(OUT))/$(SONAME) python/mixture/$(SONAME)

# The Python tests (tests/python, on the package from the build tree) under
# pytest, or unittest where pytest is absent; skipped without NumPy. Builds
# in other directories (check-asan) name their library in MIXTURE_LIBRARY.
PYTHON_RUN = PYTHONPATH=python $(if $(filter-out lib,$(OUT)),MIXTURE_LIBRARY=$(abspath $(OUT))/$(SONAME)) \
             $(PYTHON_PRELOAD) $(PYTHON)
check-python: $(if $(filter lib,$(OUT)),python,$(SHARED)) | deps-check
	@if ! $(PYTHON) -c 'import numpy' >/dev/null 2>&1; then \
	  echo "note: NumPy is absent; the Python tests are skipped (apt-get install python3-numpy)"; \
	elif $(PYTHON) -c 'import pytest' >/dev/null 2>&1; then \
	  echo "$(PYTHON_RUN) -m pytest tests/python"; \
	  $(PYTHON_RUN) -m pytest -p no:cacheprovider -v -s -rs tests/python && \
	  $(PYTHON_RUN) examples/python/iris.py > /dev/null; \
	else \
	  echo "note: pytest is absent; the Python tests run under unittest"; \
	  $(PYTHON_RUN) -m unittest discover -s tests/python -t tests/python -v && \
	  $(PYTHON_RUN) examples/python/iris.py > /dev/null; \
	fi

# Node.js through koffi (examples/node/package.json, from the npm registry,
# into $(BUILD)/node): the test of tests/node and the example.
check-node: $(SHARED) $(OUT)/$(SONAME) | deps-check
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "note: node or npm is absent; the Node.js test is skipped (apt-get install nodejs npm)"; \
	elif ! cmp -s examples/node/package.json $(BUILD)/node/package.json && \
	     ! { mkdir -p $(BUILD)/node && cp examples/node/package.json $(BUILD)/node/ && \
	         npm install --prefix $(BUILD)/node --no-audit --no-fund >/dev/null 2>&1; }; then \
	  rm -f $(BUILD)/node/package.json; \
	  echo "note: koffi could not be installed from the npm registry; the Node.js test is skipped"; \
	else \
	  export MIXTURE_LIBRARY=$(abspath $(OUT))/$(SONAME) NODE_PATH=$(abspath $(BUILD))/node/node_modules; \
	  node --test tests/node/kmeans.test.js && node examples/node/kmeans.js > /dev/null && \
	  echo "check-node: the test and examples/node/kmeans.js ran"; \
	fi

# `make install` puts the package into PREFIX's site directory of Debian's
# python3 (on its sys.path for PREFIX /usr/local and /usr), with a relative
# link to the installed library next to it, and mixtureConfig.cmake with its
# version file into LIBDIR/cmake/mixture (paths relative to it).
PYTHON_SITE = $(shell $(PYTHON) -c 'import sys; print("python%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHONDIR ?= $(if $(PYTHON_SITE),$(PREFIX)/lib/$(PYTHON_SITE)/dist-packages)
CMAKEDIR ?= $(LIBDIR)/cmake/mixture
PY_FILES := $(notdir $(wildcard python/mixture/*.py))
relpath = $(shell realpath -m -s --relative-to=$(1) $(2))

install-python:
	@if [ -z "$(PYTHONDIR)" ]; then echo "note: python3 is absent; the Python package is not installed"; \
	else \
	  install -d $(DESTDIR)$(PYTHONDIR)/mixture && \
	  install -m 644 $(addprefix python/mixture/,$(PY_FILES)) $(DESTDIR)$(PYTHONDIR)/mixture/ && \
	  ln -sfn $(call relpath,$(PYTHONDIR)/mixture,$(LIBDIR)/$(SONAME)) \
	    $(DESTDIR)$(PYTHONDIR)/mixture/$(SONAME); \
	fi

install-cmake: cmake/mixtureConfig.cmake.in cmake/mixtureConfigVersion.cmake.in | deps-build
	install -d $(DESTDIR)$(CMAKEDIR)
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@SONAME@|$(SONAME)|g' \
	    -e 's|@LIBDIR_REL@|$(call relpath,$(CMAKEDIR),$(LIBDIR))|g' \
	    -e 's|@INCLUDEDIR_REL@|$(call relpath,$(CMAKEDIR),$(INCLUDEDIR))|g' \
	    -e "s|@STATIC_LIBS@|$$(echo $$(pkg-config --libs $(BLAS_PKGS) 2>/dev/null || \
	        echo -lopenblas -llapacke) | tr ' ' ';')|g" \
	    cmake/mixtureConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/mixtureConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(MAJOR)|g' \
	    -e "s|@SIZEOF_VOID_P@|$$(echo __SIZEOF_POINTER__ | $(CC) -E -P -x c - | tr -d ' ')|g" \
	    cmake/mixtureConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/mixtureConfigVersion.cmake
	chmod 644 $(DESTDIR)$(CMAKEDIR)/mixtureConfig.cmake $(DESTDIR)$(CMAKEDIR)/mixtureConfigVersion.cmake

uninstall-python:
	@if [ -n "$(PYTHONDIR)" ] && [ -d $(DESTDIR)$(PYTHONDIR)/mixture ]; then \
	  cd $(DESTDIR)$(PYTHONDIR)/mixture && rm -f $(PY_FILES) $(SONAME) && rm -rf __pycache__ && \
	  cd .. && rmdir mixture; \
	fi

uninstall-cmake:
	rm -f $(DESTDIR)$(CMAKEDIR)/mixtureConfig.cmake $(DESTDIR)$(CMAKEDIR)/mixtureConfigVersion.cmake
	rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null || true

# ---- the command-line tool (tools/mixture/, mixture(1); issue 16) -------------
# bin/mixture, linked with the static library (it runs from the build tree
# and installed alike); installed with its man page. check-cli drives it
# through every command and option (tests/cli/test_cli.py) and compares
# its results with the library's own through the Python package of the
# build tree (python/mixture, run as check-python runs it). `make figures`
# regenerates the SVGs of docs/ (examples/plot_*.py, matplotlib).
BIN ?= $(dir $(OUT))bin
TOOL := $(BIN)/mixture
TOOL_SRCS := $(sort $(wildcard tools/mixture/*.c))
TOOL_OBJS := $(patsubst tools/%.c,$(BUILD)/obj/tools/%.o,$(TOOL_SRCS))
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
FIGURES := $(patsubst examples/plot_%.py,docs/figures/%.svg,$(sort $(wildcard examples/plot_*.py)))

all: $(TOOL)
check: check-cli
install: install-tool
uninstall: uninstall-tool
.PHONY: check-cli install-tool uninstall-tool figures deps-figures docs-links

$(BUILD)/obj/tools/%.o: tools/%.c | deps-build
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARNINGS) $(CFLAGS) -MMD -MP -Iinclude $(EXTRA_CFLAGS) -c $< -o $@

-include $(TOOL_OBJS:.o=.d)

$(TOOL): $(TOOL_OBJS) $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) -pthread -o $@ $(TOOL_OBJS) $(STATIC) $(LIB_LIBS)

# Skipped with a note without NumPy, as check-python is: the tests import it
# (and the package, which needs it) to compare results.
check-cli: $(TOOL) $(if $(filter lib,$(OUT)),python,$(SHARED)) | deps-check
	@if ! $(PYTHON) -c 'import numpy' >/dev/null 2>&1; then \
	  echo "note: NumPy is absent; the command-line tool's tests are skipped (apt-get install python3-numpy)"; \
	else \
	  echo "MIXTURE_TOOL=$(abspath $(TOOL)) $(PYTHON_RUN) -m unittest discover -s tests/cli -t tests/cli -v"; \
	  MIXTURE_TOOL=$(abspath $(TOOL)) $(PYTHON_RUN) -m unittest discover -s tests/cli -t tests/cli -v; \
	fi

install-tool: $(TOOL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/mixture
	install -m 644 tools/mixture/mixture.1 $(DESTDIR)$(MANDIR)/man1/mixture.1

uninstall-tool:
	rm -f $(DESTDIR)$(BINDIR)/mixture $(DESTDIR)$(MANDIR)/man1/mixture.1

# The figures are committed; `make figures` redraws them all (matplotlib,
# installed as root where missing) through the Python package of the build
# tree, run as check-python runs it (PYTHONPATH=python, MIXTURE_LIBRARY for
# builds outside lib/). Every SVG depends on figures_common.py: taking it
# as new (-W) redraws them all, where -B would also rebuild the library.
figures: | deps-figures
	@$(MAKE) --no-print-directory -W examples/figures_common.py $(FIGURES)

docs/figures/%.svg: examples/plot_%.py examples/figures_common.py | \
                    $(if $(filter lib,$(OUT)),python,$(SHARED))
	@mkdir -p $(@D)
	$(PYTHON_RUN) $< $@

deps-figures: deps-build
	@missing=""; $(PYTHON) -c 'import matplotlib, numpy' >/dev/null 2>&1 || \
	  missing=" python3-matplotlib python3-numpy"; $(install_missing)

# make docs fails on a relative link or image of README.md and docs/*.md
# whose target is missing (a missing figure included: Doxygen does not
# warn about Markdown images).
docs: docs-links
docs-links:
	$(PYTHON) tests/cli/check_links.py README.md docs/*.md

# ---- reliability (docs/reliability.md) -----------------------------------------
# Allocation-failure injection: a static library built with
# -DMIX_FAULT_INJECTION, whose allocator fails the n-th allocation on demand.
FAULT_BIN := $(BUILD)/tests/alloc_fail
check-fault: | deps-check
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fault OUT=$(BUILD)/fault/lib \
	  EXTRA_CFLAGS="$(EXTRA_CFLAGS) -DMIX_FAULT_INJECTION" fault-run

fault-run: $(STATIC)
	@mkdir -p $(BUILD)/tests
	$(CC) $(STD) $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) -pthread -Iinclude -Isrc $(CHECK_CFLAGS) \
	  -o $(FAULT_BIN) tests/fault/test_alloc_fail.c $(STATIC) $(CHECK_LIBS) $(LIB_LIBS)
	$(FAULT_BIN)

# AddressSanitizer + UndefinedBehaviorSanitizer over every suite, halting on
# the first error: the C suites, the examples, allocation failures (with
# LeakSanitizer), the fuzz corpus, and the ctypes tests with the runtime
# preloaded into Python (whose own allocations are not leak-checked).
SAN_COMMON := -O1 -g -fno-omit-frame-pointer
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all $(SAN_COMMON)
ASAN_ENV := ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
check-asan: | deps-check
	CK_FORK=no $(ASAN_ENV) $(MAKE) --no-print-directory BUILD=$(BUILD)/asan OUT=$(BUILD)/asan/lib \
	  EXTRA_CFLAGS="$(ASAN_FLAGS)" check-unit check-examples check-fault fuzz-replay
	$(ASAN_ENV) ASAN_OPTIONS=halt_on_error=1:detect_leaks=0 \
	  $(MAKE) --no-print-directory BUILD=$(BUILD)/asan OUT=$(BUILD)/asan/lib \
	  EXTRA_CFLAGS="$(ASAN_FLAGS)" PYTHON_PRELOAD="LD_PRELOAD=$$($(CC) -print-file-name=libasan.so)" \
	  check-python check-cli
	@echo "check-asan: no error"

# Valgrind's memcheck over the C suites and the examples: no error, nothing
# definitely lost. The seconds-long recovery test is left out (it would take
# half an hour under valgrind); it runs in every other check.
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite --show-leak-kinds=definite
check-valgrind: $(TEST_BIN) $(EXAMPLES) | deps-reliability
	CK_FORK=no CK_EXCLUDE_TAGS=slow $(VALGRIND) $(TEST_BIN)
	@for e in $(EXAMPLES); do echo "== valgrind $$e"; $(EXAMPLE_ARGS); \
	  (cd examples && $(VALGRIND) ../$$e $$a > /dev/null) || exit 1; done
	@echo "check-valgrind: no error, nothing definitely lost"

# ThreadSanitizer: 8 threads querying one fitted model while 4 fit their own.
TSAN_FLAGS := -fsanitize=thread $(SAN_COMMON)
check-tsan: | deps-check
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(MAKE) --no-print-directory BUILD=$(BUILD)/tsan OUT=$(BUILD)/tsan/lib \
	  EXTRA_CFLAGS="$(TSAN_FLAGS)" tsan-run
	@echo "check-tsan: no data race"

tsan-run: $(STATIC)
	@mkdir -p $(BUILD)/tests
	$(CC) $(STD) $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) -pthread -Iinclude \
	  -o $(BUILD)/tests/concurrency tests/tsan/test_concurrency.c $(STATIC) $(LIB_LIBS)
	$(BUILD)/tests/concurrency

# Fuzzing with libFuzzer (clang): each target runs FUZZ_SECONDS from the
# committed corpus; new inputs stay in $(BUILD)/fuzz, crashes are copied to
# tests/fuzz/crashes/ (replayed by check-asan from then on).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := kmeans gmm bmm metrics load
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all $(SAN_COMMON)
fuzz: | deps-reliability
	$(MAKE) --no-print-directory CC=$(FUZZ_CC) BUILD=$(BUILD)/fuzz OUT=$(BUILD)/fuzz/lib \
	  EXTRA_CFLAGS="$(FUZZ_FLAGS)" fuzz-run

fuzz-run: $(STATIC)
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf $(BUILD)/crashes/$$t; \
	  mkdir -p $(BUILD)/corpus/$$t $(BUILD)/crashes/$$t tests/fuzz/corpus/$$t; \
	  $(CC) $(STD) $(CFLAGS) $(EXTRA_CFLAGS) -fsanitize=fuzzer -Iinclude \
	    -o $(BUILD)/fuzz_$$t tests/fuzz/fuzz_$$t.c $(STATIC) $(LIB_LIBS) || exit 1; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$(BUILD)/crashes/$$t/ \
	    $(BUILD)/corpus/$$t tests/fuzz/corpus/$$t 2>&1 | tail -n 12 | tee $(BUILD)/fuzz_$$t.log; \
	  if ls $(BUILD)/crashes/$$t/* > /dev/null 2>&1; then \
	    mkdir -p tests/fuzz/crashes/$$t; cp $(BUILD)/crashes/$$t/* tests/fuzz/crashes/$$t/; \
	    echo "fuzz $$t: crash reproducers copied to tests/fuzz/crashes/$$t" >&2; exit 1; fi; \
	done
	@echo "fuzz: no crash"

# The committed corpus and crash reproducers through the targets, without
# libFuzzer (any compiler; check-asan runs it under the sanitizers).
fuzz-replay: $(STATIC)
	@mkdir -p $(BUILD)/tests
	@for t in $(FUZZ_TARGETS); do \
	  $(CC) $(STD) $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) -Iinclude -o $(BUILD)/tests/replay_$$t \
	    tests/fuzz/fuzz_$$t.c tests/fuzz/replay.c $(STATIC) $(LIB_LIBS) || exit 1; \
	  echo "== replay $$t"; \
	  $(BUILD)/tests/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/crashes/$$t || exit 1; \
	done

# ABI: the exported-symbol list is compared by check-symbols (make check);
# abidiff compares the library with the ABI dump of the last release.
check-abi: $(SHARED) | deps-reliability
	sh tests/abi/check_abidiff.sh $(SHARED) tests/abi

deps-reliability: deps-check
	@missing=""; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v clang >/dev/null 2>&1 || missing="$$missing clang"; \
	{ echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' | \
	  clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; } || missing="$$missing libclang-rt-dev"; \
	command -v abidiff >/dev/null 2>&1 || missing="$$missing abigail-tools"; \
	$(install_missing)

# ---- MPI (docs/scaling.md) ---------------------------------------------------
# examples/mpi/mpi_fit.c, built with mpicc (Debian's OpenMPI, installed as
# root where missing) against the shared library; check-mpi runs it with 1,
# 2 and 3 ranks, shards in memory and streamed, each rank's model compared
# with the one-process fit of all rows (--check: 1e-10 relative). OpenMPI's
# mpirun refuses root unless told; CI runs as root.
MPICC ?= mpicc
MPIRUN ?= mpirun
MPI_ENV := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
           OMPI_MCA_rmaps_base_oversubscribe=1
MPI_EXAMPLE := $(BUILD)/examples/mpi_fit
deps-mpi:
	@missing=""; command -v $(MPICC) >/dev/null 2>&1 || missing=" libopenmpi-dev openmpi-bin"; \
	$(install_missing)

$(MPI_EXAMPLE): examples/mpi/mpi_fit.c $(SHARED) $(OUT)/libmixture.so | deps-mpi
	@mkdir -p $(@D)
	$(MPICC) $(EXAMPLE_CFLAGS) -o $@ $< -L$(OUT) -lmixture -Wl,-rpath,$(abspath $(OUT)) -lm

check-mpi: $(MPI_EXAMPLE)
	@for np in 1 2 3; do for mode in "" --stream; do \
	  echo "== mpirun -n $$np mpi_fit --n 30000 --check $$mode"; \
	  $(MPI_ENV) $(MPIRUN) -n $$np $(MPI_EXAMPLE) --n 30000 --check $$mode || exit 1; \
	done; done
	@echo "check-mpi: 1, 2 and 3 ranks agree with one process"

# ---- clean-room install test (docs/reliability.md) ---------------------------
# The README's `make demo` and `make check`, run as root in a fresh minimal
# Debian root (debootstrap, cached in /var/tmp/libmixture-fresh) holding only
# gcc, make and git, on a clone of the committed HEAD. Needs root.
# FRESH_KEEP=1 keeps the work root, FRESH_REBUILD=1 rebuilds the cached one.
check-fresh:
	sh tests/fresh/run.sh

# ---- benchmarks (not part of check): writes docs/performance.md ---------------
bench: all
	$(PYTHON) tests/bench/run.py $(BENCH_ARGS)

# ---- demo and docs ------------------------------------------------------------
demo: $(BUILD)/examples/demo $(BUILD)/examples/two_ways $(BUILD)/examples/digits
	@cd examples && ../$(BUILD)/examples/demo data/iris.csv
	@echo
	@cd examples && ../$(BUILD)/examples/two_ways --short
	@echo
	@cd examples && ../$(BUILD)/examples/digits --short

docs: | deps-docs
	cd docs && doxygen Doxyfile

# ---- install --------------------------------------------------------------------
install: install-headers install-shared install-static install-pc install-cmake install-python

install-headers:
	install -d $(DESTDIR)$(INCLUDEDIR)
	install -m 644 $(HEADER) $(DESTDIR)$(INCLUDEDIR)/mixture.h

install-shared: $(SHARED)
	install -d $(DESTDIR)$(LIBDIR)
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHARED)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmixture.so

install-static: $(STATIC)
	install -d $(DESTDIR)$(LIBDIR)
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/

install-pc: pkgconfig/mixture.pc.in | deps-build
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	$(make_pc) > $(DESTDIR)$(PKGCONFIGDIR)/mixture.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/mixture.pc

uninstall: uninstall-headers uninstall-shared uninstall-static uninstall-pc uninstall-cmake \
           uninstall-python

uninstall-headers:
	rm -f $(DESTDIR)$(INCLUDEDIR)/mixture.h

uninstall-shared:
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(SHARED)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libmixture.so

uninstall-static:
	rm -f $(DESTDIR)$(LIBDIR)/libmixture.a

uninstall-pc:
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/mixture.pc

clean:
	rm -rf $(BUILD) lib bin $(PC) docs/html
