# libmixture: K-means and Gaussian mixture models with a stable C API.
#
#   make            shared and static libraries in lib/, pkgconfig/mixture.pc
#   make demo       the main job on bundled real data (iris)
#   make check      every test: Check suites, examples, ABI list, ctypes
#                   parity with scikit-learn, downstream pkg-config builds
#   make docs       Doxygen HTML into docs/html (warnings are errors)
#   make install    PREFIX, DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR honoured
#   make uninstall  removes exactly what install wrote
#
# Missing system packages are installed with apt-get when running as root;
# otherwise the exact command to run is printed.

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
LIB_CFLAGS = $(STD) $(WARNINGS) $(CFLAGS) $(VECTOR_FLAGS) -fno-math-errno -fPIC \
             -fvisibility=hidden -pthread \
             -Iinclude $(BLAS_CFLAGS) $(EXTRA_CFLAGS)
LIB_LIBS = $(BLAS_LIBS) -lpthread -lm

# ---- installation paths -----------------------------------------------------
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# ---- sources and outputs ----------------------------------------------------
SRCS := $(sort $(wildcard src/*.c))
BUILD := build
OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
SONAME := libmixture.so.$(MAJOR)
SHARED := lib/libmixture.so.$(VERSION)
STATIC := lib/libmixture.a
PC := pkgconfig/mixture.pc

.PHONY: all deps-build deps-check deps-docs demo check check-unit check-examples \
        check-symbols check-python check-downstream docs install install-headers \
        install-shared install-static install-pc uninstall uninstall-headers \
        uninstall-shared uninstall-static uninstall-pc clean bench

all: $(SHARED) lib/$(SONAME) lib/libmixture.so $(STATIC) $(PC)

# ---- system packages --------------------------------------------------------
# install_missing: install the Debian packages named in $$missing, or print
# the command and fail.
define install_missing
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing missing packages:$$missing"; \
    { apt-get install -y -q $$missing >/dev/null 2>&1 || \
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $$missing >/dev/null; }; } \
      || { echo "apt-get could not install:$$missing" >&2; exit 1; }; \
  else \
    echo "Missing system packages. Run:" >&2; \
    echo "  sudo apt-get install -y$$missing" >&2; exit 1; \
  fi; \
fi
endef

deps-build:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists openblas 2>/dev/null || missing="$$missing libopenblas-dev"; \
	pkg-config --exists lapacke 2>/dev/null || missing="$$missing liblapacke-dev"; \
	$(install_missing)

deps-check: deps-build
	@missing=""; \
	pkg-config --exists check 2>/dev/null || missing="$$missing check"; \
	$(install_missing)
	@if ! $(PYTHON) -c 'import sklearn' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing python3-sklearn for the parity tests"; \
	    apt-get install -y -q python3-sklearn >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q python3-sklearn >/dev/null 2>&1; } || \
	      echo "note: python3-sklearn could not be installed; parity tests will be skipped"; \
	  else \
	    echo "note: scikit-learn is absent; parity tests will be skipped." \
	         "To run them: sudo apt-get install -y python3-sklearn"; \
	  fi; \
	fi

deps-docs:
	@missing=""; command -v doxygen >/dev/null 2>&1 || missing=" doxygen"; \
	$(install_missing)

# ---- library ----------------------------------------------------------------
$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) $(HEADER) | deps-build
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(SHARED): $(OBJS) src/libmixture.map
	@mkdir -p lib
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -pthread -Wl,-soname,$(SONAME) \
	  -Wl,--version-script=src/libmixture.map -Wl,--no-undefined \
	  -o $@ $(OBJS) $(LIB_LIBS)

lib/$(SONAME): $(SHARED)
	ln -sf $(notdir $(SHARED)) $@

lib/libmixture.so: lib/$(SONAME)
	ln -sf $(SONAME) $@

$(STATIC): $(OBJS)
	@mkdir -p lib
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

$(TEST_BIN): $(TEST_SRCS) $(wildcard tests/unit/*.h) $(wildcard tests/ref/*.h) $(STATIC) | deps-check
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARNINGS) $(CFLAGS) -pthread -Iinclude -Isrc -Itests $(CHECK_CFLAGS) \
	  $(EXTRA_CFLAGS) -o $@ $(TEST_SRCS) $(STATIC) $(CHECK_LIBS) $(LIB_LIBS)

$(BUILD)/examples/%: examples/%.c $(SHARED) lib/libmixture.so
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $< -Llib -lmixture -Wl,-rpath,'$$ORIGIN/../../lib' -lm

check: all check-unit check-examples check-symbols check-python check-downstream
	@echo "make check: all tests passed"

check-unit: $(TEST_BIN)
	$(TEST_BIN)

check-examples: $(EXAMPLES)
	@for e in $(EXAMPLES); do echo "== $$e"; (cd examples && ../$$e > /dev/null) || exit 1; done
	@echo "examples: $(words $(EXAMPLES)) ran"

check-symbols: $(SHARED)
	sh tests/abi/check_symbols.sh $(SHARED) src/libmixture.map $(HEADER) tests/abi/symbols.txt

check-python: $(SHARED) lib/libmixture.so | deps-check
	MIXTURE_LIB=$(CURDIR)/lib/libmixture.so $(PYTHON) -m unittest discover -s tests/python -t tests/python -v

check-downstream: all
	sh tests/downstream/run.sh "$(CC)" "$(MAKE)"

# ---- benchmarks (not part of check): writes docs/performance.md ---------------
bench: all
	$(PYTHON) tests/bench/run.py $(BENCH_ARGS)

# ---- demo and docs ------------------------------------------------------------
demo: $(BUILD)/examples/demo
	@cd examples && ../$(BUILD)/examples/demo data/iris.csv

docs: | deps-docs
	cd docs && doxygen Doxyfile

# ---- install --------------------------------------------------------------------
install: install-headers install-shared install-static install-pc

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

uninstall: uninstall-headers uninstall-shared uninstall-static uninstall-pc

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
	rm -rf $(BUILD) lib $(PC) docs/html
