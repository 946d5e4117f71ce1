# Makefile: builds the broker (capbox), the in-guest shim, the guest SDK and the tests.
#
#   make            release build in build/release
#   make demo       README command 1: build and run the sandboxed hello program
#   make check      README command 2: the whole suite on the sanitizer build
#                   (ASan+UBSan) and on the release build
#   make conformance  the conformance suite alone (tests named conformance*),
#                   release build; part of make check (docs/CONFORMANCE.md)
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS (60) each (docs/FUZZING.md)
#   make format     lays out every C file as .clang-format says (clang-format-14;
#                   make check fails on a file laid out otherwise: tests/cli/format.sh)
#
# Layout of a build directory ($(BUILD)):
#   capbox            the broker and launcher, with the shim embedded
#   capbox-shim       the freestanding static-PIE shim loaded into every guest
#   capbox-oci        the OCI runtime for container engines (docs/CONTAINERS.md)
#   sdk/              the guest SDK sysroot: bin/capbox-cc, include/, lib/
#   unit/             host unit-test programs
#   preload/          libraries tests preload into capbox (tests/preload)
#   guest/            guest test programs built with the SDK
#   examples/         the example programs (examples/NAME/NAME.c)

VERSION  := 0.1.0
BUILD    ?= build/release
SANITIZE ?= 0
# TRACE=0 builds capbox without tracing (--trace and friends refused; no
# hook left in broker or shim): make bench compares against it.
TRACE    ?= 1
CC       ?= cc
GUEST_CC ?= clang-14
V        ?= 0

ifeq ($(V),0)
Q := @
else
Q :=
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
	-Wimplicit-fallthrough -Wno-missing-field-initializers

# Host side: the broker and the unit tests.
HOST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) -Iinclude -Isrc -MMD -MP \
	-DCAPBOX_VERSION='"$(VERSION)"' -DCAPBOX_TRACE=$(TRACE)
HOST_LDFLAGS :=
HOST_LIBS := -lseccomp -lyaml -ljson-c
ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
HOST_LDFLAGS += -fsanitize=address,undefined
endif

# Guest-process side: the shim is freestanding (no libc, no TLS, raw system
# calls) and position independent with no dynamic relocations at all.
SHIM_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -Isrc -MMD -MP \
	-ffreestanding -fpie -fno-plt -fvisibility=hidden \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fcf-protection=none -fno-tree-loop-distribute-patterns \
	-mgeneral-regs-only -DCAPBOX_FREESTANDING=1 -DCAPBOX_TRACE=$(TRACE)
SHIM_LDFLAGS := -static-pie -nostdlib -Wl,--no-dynamic-linker \
	-Wl,-z,noexecstack -Wl,-z,norelro -Wl,--gc-sections -Wl,--build-id=none

# Guest programs: Debian's clang-14 with the CloudABI target and lld.
GUEST_CFLAGS := --target=x86_64-unknown-cloudabi -std=gnu11 -O2 -g $(WARN) \
	-nostdlibinc -isystem sdk/include -isystem include -isystem src/common -Isrc \
	-ffreestanding -fno-sanitize=safe-stack -fno-use-init-array -MMD -MP \
	-DCAPBOX_FREESTANDING=1

COMMON_SRC := $(wildcard src/common/*.c) $(wildcard src/loader/*.c)
# The host program: command line, configuration, confinement, broker and
# its hypercall handlers (src/README.md says what each folder may include).
BROKER_SRC := $(wildcard src/cli/*.c src/config/*.c src/confine/*.c \
	src/broker/*.c src/broker/calls/*.c src/broker/inflight/*.c src/broker/spawn/*.c src/limits/*.c \
	src/trace/*.c)
# The OCI runtime: its own executable, which runs capbox (src/oci/README.md).
OCI_SRC    := $(wildcard src/oci/*.c)
SHIM_SRC   := $(wildcard src/shim/*.c src/shim/*.S src/shim/*/*.c src/shim/*/*.S)
SDK_CRT    := crt0 crtbegin crtend
SDK_LIBC   := $(wildcard sdk/libc/*.c)
SDK_COMMON := $(wildcard src/common/argdata*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
GUEST_SRC  := $(wildcard tests/guest/*.c)
TOOL_SRC   := $(wildcard tests/tools/*.c)
PRELOAD_SRC := $(wildcard tests/preload/*.c)
PROG_SRC   := $(wildcard tests/programs/*.c)
EXAMPLE_SRC := $(wildcard examples/*/*.c)

HOST_OBJ  = $(patsubst %.c,$(BUILD)/host/%.o,$(COMMON_SRC) $(BROKER_SRC))
OCI_OBJ   = $(patsubst %.c,$(BUILD)/host/%.o,$(OCI_SRC))
COMMON_HOST_OBJ = $(patsubst %.c,$(BUILD)/host/%.o,$(COMMON_SRC))
SHIM_OBJ  = $(patsubst %,$(BUILD)/shim/%.o,$(SHIM_SRC) $(COMMON_SRC))
SDK_OBJ   = $(patsubst %.c,$(BUILD)/sdkobj/%.o,$(SDK_LIBC) $(SDK_COMMON))
UNIT_BIN  = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
TOOL_BIN  = $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
PRELOAD_LIB = $(patsubst tests/preload/%.c,$(BUILD)/preload/%.so,$(PRELOAD_SRC))
EXAMPLE_BIN = $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_SRC))
PROG_BIN  = $(patsubst tests/programs/%.c,$(BUILD)/programs/%,$(PROG_SRC))
GUEST_BIN = $(patsubst tests/guest/%.c,$(BUILD)/guest/%,$(GUEST_SRC))
SDK_DIR   = $(BUILD)/sdk
SDK_LIBS  = $(SDK_DIR)/lib/libc.a $(SDK_DIR)/lib/libcompiler_rt.a \
	$(patsubst %,$(SDK_DIR)/lib/%.o,$(SDK_CRT))
SDK_STAMP = $(SDK_DIR)/.headers
SDK_FILES = $(SDK_LIBS) $(SDK_STAMP) $(SDK_DIR)/bin/capbox-cc

COMPILER_RT := $(shell $(GUEST_CC) --print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.builtins-x86_64.a

.PHONY: all sdk tests demo check conformance deps clean bench fuzz format
# Keep intermediate objects (the SDK crt files) between runs.
.SECONDARY:
all: $(BUILD)/capbox $(BUILD)/capbox-oci sdk $(EXAMPLE_BIN)
sdk: $(SDK_FILES)
tests: all $(UNIT_BIN) $(TOOL_BIN) $(PRELOAD_LIB) $(GUEST_BIN) $(PROG_BIN) $(BUILD)/guest/hello-separate $(BUILD)/guest/hello-defaultlayout

# tools/install-deps is the one list of Debian packages, in groups.
deps:
	$(Q)tools/install-deps build

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)examples/hello/run $(BUILD)

# Both builds: they behave differently (uninitialised bytes, timing), and
# CI must see what users run as well as what the sanitizers check.
check:
	$(Q)tools/install-deps build test oci
	$(Q)$(MAKE) --no-print-directory BUILD=build/sanitize SANITIZE=1 tests
	$(Q)$(MAKE) --no-print-directory BUILD=build/release tests
	$(Q)tests/run build/sanitize build/release

conformance: deps
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)tests/run $(BUILD) '*/conformance*'

clean:
	rm -rf build

format:
	$(Q)tools/install-deps test
	$(Q)tools/check-format --fix

# ---- broker -------------------------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

# Hypercall handlers share one signature (broker/dispatch.h); a handler
# that needs no tail or no result leaves those parameters unused.
HANDLER_CFLAGS := -Wno-unused-parameter
$(BUILD)/host/src/broker/calls/%.o: HOST_CFLAGS += $(HANDLER_CFLAGS)

$(BUILD)/host/shim_blob.o: src/broker/spawn/shim_blob.S $(BUILD)/capbox-shim
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c -DCAPBOX_SHIM_PATH='"$(BUILD)/capbox-shim"' $< -o $@

$(BUILD)/capbox: $(HOST_OBJ) $(BUILD)/host/shim_blob.o
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LIBS)
	@echo "  built $@"

$(BUILD)/capbox-oci: $(OCI_OBJ)
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljson-c
	@echo "  built $@"

# ---- shim ---------------------------------------------------------------
$(BUILD)/shim/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SHIM_CFLAGS) -c $< -o $@

$(BUILD)/shim/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SHIM_CFLAGS) -c $< -o $@

$(BUILD)/capbox-shim: $(SHIM_OBJ) tools/check-shim
	$(Q)$(CC) $(SHIM_CFLAGS) $(SHIM_LDFLAGS) -o $@.debug $(SHIM_OBJ) -lgcc
	$(Q)tools/check-shim $@.debug
	@# Every sandbox copies the embedded shim: keep symbols out of it.
	$(Q)strip --strip-all -o $@ $@.debug

# ---- guest SDK ----------------------------------------------------------
$(BUILD)/sdkobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/sdkobj/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(SDK_DIR)/lib/%.o: $(BUILD)/sdkobj/sdk/crt/%.o
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(SDK_DIR)/lib/libc.a: $(SDK_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && llvm-ar-14 rcs $@ $^

$(SDK_DIR)/lib/libcompiler_rt.a:
	@mkdir -p $(dir $@)
	$(Q)cp $(COMPILER_RT) $@

$(SDK_STAMP): $(wildcard sdk/include/*.h sdk/include/*/*.h include/cloudabi/*.h) src/common/argdata.h
	@mkdir -p $(SDK_DIR)/include
	$(Q)cp -R sdk/include/. include/. $(SDK_DIR)/include/
	$(Q)cp src/common/argdata.h $(SDK_DIR)/include/argdata.h
	@touch $@

$(SDK_DIR)/bin/capbox-cc: sdk/bin/capbox-cc
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# ---- tests --------------------------------------------------------------
$(BUILD)/unit/%: tests/unit/%.c $(COMMON_HOST_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -Itests/lib $(HOST_LDFLAGS) -o $@ $(filter %.c %.o,$^) $(HOST_LIBS)

# Unit tests of broker parts link those parts too.
$(BUILD)/unit/test_mailbox: $(BUILD)/host/src/broker/mailbox.o $(BUILD)/host/src/confine/confine_limits.o
# The guest SDK's printf engine, built for the host so that glibc can judge it.
$(BUILD)/unit/test_sdk_format: $(BUILD)/host/sdk/libc/format.o $(BUILD)/host/sdk/libc/decimal.o

$(BUILD)/tools/%: tests/tools/%.c $(COMMON_HOST_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -Itests/lib $(HOST_LDFLAGS) -o $@ $(filter %.c %.o,$^) $(HOST_LIBS)

# Libraries a test preloads into capbox to make one call fail; built
# without the sanitizer (capbox's runtime comes first either way).
$(BUILD)/preload/%.so: tests/preload/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) -shared -fPIC -o $@ $< -ldl

GUEST_TEST_CFLAGS := -O2 -g $(WARN) -Itests/lib -MMD -MP

$(BUILD)/guest/%: tests/guest/%.c $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc $(GUEST_TEST_CFLAGS) -o $@ $<

$(BUILD)/examples/%: examples/%.c $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc $(GUEST_TEST_CFLAGS) -o $@ $<

$(BUILD)/programs/%: tests/programs/%.c $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc $(GUEST_TEST_CFLAGS) -o $@ $<

# The same hello program in lld's two segment layouts.
$(BUILD)/guest/hello-separate: examples/hello/hello.c $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc $(GUEST_TEST_CFLAGS) -Wl,-z,separate-loadable-segments -o $@ $<

$(BUILD)/guest/hello-defaultlayout: examples/hello/hello.c $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc $(GUEST_TEST_CFLAGS) -Wl,-z,noseparate-code -o $@ $<

# ---- benchmarks: make bench (never part of make check) --------------------
# Each workload is compiled twice from one source: natively (bench-native)
# and as a capbox guest (bench-capbox); bench/run compares them.
BENCH_DIR := $(BUILD)/bench
BENCH_SHARED := bench/driver.c bench/wl_files.c bench/wl_ipc.c bench/wl_proc.c
BENCH_HDR := $(wildcard bench/*.h)
BENCH_NATIVE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN)
BENCH_BIN := $(BENCH_DIR)/bench-native $(BENCH_DIR)/bench-capbox \
	$(BENCH_DIR)/hello-native $(BENCH_DIR)/timeit $(BENCH_DIR)/fleet \
	$(BENCH_DIR)/cgroup_floor

# The same tree built without tracing, for bench/run's tracing table.
BENCH_NOTRACE := build/bench-notrace

bench: all $(BENCH_BIN)
	$(Q)tools/install-deps build bench oci
	$(Q)$(MAKE) --no-print-directory BUILD=$(BENCH_NOTRACE) TRACE=0 \
		$(BENCH_NOTRACE)/capbox
	$(Q)BENCH_NOTRACE=$(BENCH_NOTRACE)/capbox bench/run $(BUILD)

$(BENCH_DIR)/bench-native: $(BENCH_SHARED) bench/plat_linux.c $(BENCH_HDR)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ $(filter %.c,$^) -lpthread

$(BENCH_DIR)/bench-capbox: $(BENCH_SHARED) bench/plat_capbox.c \
		bench/plat_capbox_sync.c $(BENCH_HDR) $(SDK_FILES)
	@mkdir -p $(dir $@)
	$(Q)$(SDK_DIR)/bin/capbox-cc -O2 -g $(WARN) -o $@ $(filter %.c,$^)

$(BENCH_DIR)/hello-native: bench/tools/hello_native.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ $<

$(BENCH_DIR)/timeit: bench/tools/timeit.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ $<

$(BENCH_DIR)/cgroup_floor: bench/tools/cgroup_floor.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ $<

$(BENCH_DIR)/fleet: bench/tools/fleet.c bench/tools/procmem.c bench/tools/procmem.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ $(filter %.c,$^)

# ---- fuzzing: make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS=...] ------------
# (never part of make check; docs/FUZZING.md).  Each tests/fuzz/fuzz_NAME.c
# is linked with the broker's and the common code (without the launcher:
# main, cmd_run, spawn and the embedded shim), all compiled with clang-14,
# libFuzzer, ASan and UBSan into $(BUILD)/fuzz/.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_DIR     = $(BUILD)/fuzz
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=gnu11 -D_GNU_SOURCE -O1 -g $(WARN) -Iinclude -Isrc -MMD -MP
FUZZ_LIB_SRC := $(COMMON_SRC) $(filter-out src/cli/main.c \
	src/cli/cmd_run.c src/broker/spawn/spawn.c src/broker/spawn/shim_image.c,$(BROKER_SRC))
FUZZ_OBJ      = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRC))

fuzz: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))
	$(Q)tests/fuzz/run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ_DIR)/obj/src/broker/calls/%.o: FUZZ_CFLAGS += $(HANDLER_CFLAGS)
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(HOST_LIBS)
	@echo "  built $@"

# ---- install: make install PREFIX=/usr/local [DESTDIR=...] ---------------
#   bin/capbox                 the broker (the shim is embedded in it)
#   bin/capbox-oci             the OCI runtime; it runs the capbox beside it
#   lib/capbox/sdk/            the guest SDK; bin/capbox-cc links to its wrapper
#   share/man/man1/            capbox.1 and capbox-cc.1
#   share/bash-completion/completions/capbox   (dist/capbox.bash)
#   lib/pkgconfig/capbox-sdk.pc                (dist/capbox-sdk.pc.in)
# install-files copies an existing build without rebuilding anything;
# uninstall removes exactly what install-files puts there.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_ROOT = $(DESTDIR)$(PREFIX)
INSTALLED_FILES = bin/capbox bin/capbox-oci bin/capbox-cc share/man/man1/capbox.1 \
	share/man/man1/capbox-cc.1 share/bash-completion/completions/capbox \
	lib/pkgconfig/capbox-sdk.pc

.PHONY: install install-files uninstall
install: all
	$(Q)$(MAKE) --no-print-directory install-files

install-files:
	@test -x $(BUILD)/capbox -a -x $(BUILD)/capbox-oci -a -x $(SDK_DIR)/bin/capbox-cc || \
		{ echo "install: $(BUILD) is not built (run make first)" >&2; exit 1; }
	$(Q)install -d $(INSTALL_ROOT)/bin $(INSTALL_ROOT)/lib/capbox/sdk/bin \
		$(INSTALL_ROOT)/lib/capbox/sdk/lib $(INSTALL_ROOT)/lib/capbox/sdk/include \
		$(INSTALL_ROOT)/share/man/man1 $(INSTALL_ROOT)/lib/pkgconfig \
		$(INSTALL_ROOT)/share/bash-completion/completions
	$(Q)install -m 755 $(BUILD)/capbox $(INSTALL_ROOT)/bin/capbox
	$(Q)install -m 755 $(BUILD)/capbox-oci $(INSTALL_ROOT)/bin/capbox-oci
	$(Q)install -m 755 $(SDK_DIR)/bin/capbox-cc $(INSTALL_ROOT)/lib/capbox/sdk/bin/capbox-cc
	$(Q)install -m 644 $(SDK_LIBS) $(INSTALL_ROOT)/lib/capbox/sdk/lib/
	$(Q)cp -R $(SDK_DIR)/include/. $(INSTALL_ROOT)/lib/capbox/sdk/include/
	$(Q)ln -sf ../lib/capbox/sdk/bin/capbox-cc $(INSTALL_ROOT)/bin/capbox-cc
	$(Q)install -m 644 docs/capbox.1 docs/capbox-cc.1 $(INSTALL_ROOT)/share/man/man1/
	$(Q)install -m 644 dist/capbox.bash $(INSTALL_ROOT)/share/bash-completion/completions/capbox
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		dist/capbox-sdk.pc.in >$(INSTALL_ROOT)/lib/pkgconfig/capbox-sdk.pc
	@echo "  installed capbox, capbox-oci, capbox-cc, their manual pages, bash completion and capbox-sdk.pc under $(INSTALL_ROOT)"

# Only what install-files made: the SDK's own folder whole, the other files
# one by one, then the folders install-files made if they are left empty.
uninstall:
	$(Q)rm -rf $(INSTALL_ROOT)/lib/capbox
	$(Q)rm -f $(addprefix $(INSTALL_ROOT)/,$(INSTALLED_FILES))
	$(Q)for d in lib/pkgconfig share/bash-completion/completions share/bash-completion \
		share/man/man1 share/man share lib bin; do \
		rmdir $(INSTALL_ROOT)/$$d 2>/dev/null || true; done
	@echo "  removed capbox from $(INSTALL_ROOT)"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
