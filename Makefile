# dialback - top-level build.  Outputs go under $(BUILD); nothing is written elsewhere.
#
#   make run      build everything, run the seed's callback end to end (co-simulation)
#   make test     every test, C under ASan+UBSan (build/san/)
#   make deps     install missing Debian packages (as root), else print the apt-get line
#   make lint     verilator --lint-only -Wall on the RTL, cppcheck on the C
#   make bench    benchmarks (figures, no assertions)
#   make synth    Yosys + nextpnr-ice40 for the card
#   make fuzz     libFuzzer targets, FUZZ_SECONDS each
#   make clean
#
# Sources are discovered by convention, so adding a module needs no edit here:
#   host/*.c drivers/*.c   -> libdialback.a (minus the mains listed in HOST_MAINS)
#   sim/*.c                -> libsim.a (C11 telco and subscriber models)
#   sim/*.cpp              -> build/dialback-sim, with the Verilated card (rtl/card.f)
#   tests/{host,drivers,sim}/test_*.c   -> cmocka unit tests
#   tests/rtl/<name>/tb.f  -> a Verilator testbench (verilator args, paths from the top)
#   tests/fuzz/fuzz_*.c    -> libFuzzer targets (clang)
#   tests/system/test_*.sh -> system tests, run with BUILD set

BUILD     ?= build
SAN       ?= 0
CC        ?= gcc
CXX       ?= g++
CLANG     ?= clang
VERILATOR ?= verilator
YOSYS     ?= yosys
NEXTPNR   ?= nextpnr-ice40
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 20000
JOBS      ?= 2

# `make` alone
all: build

.PHONY: all build run test test-build deps lint bench synth fuzz clean unit-tests rtl-tests \
	system-tests fuzz-smoke formal

PKGS      := nettle libusb-1.0 libpcap
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Werror
INCLUDES  := -Ihost -Idrivers/include -Isim
ifeq ($(SAN),1)
  OPT      := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else
  OPT      := -O2 -g
  SANFLAGS :=
endif
CFLAGS    ?=
CFLAGS    += -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(SANFLAGS) $(INCLUDES) $(PKG_CFLAGS) -MMD -MP
CXXFLAGS  ?=
CXXFLAGS  += -std=c++17 -D_GNU_SOURCE -Wall -Wextra $(OPT) $(SANFLAGS) $(INCLUDES) -MMD -MP
LDFLAGS   += $(SANFLAGS)
LDLIBS    += $(PKG_LIBS) -lm

HOST_MAINS := host/main.c host/dialbackctl.c
LIB_SRCS   := $(filter-out $(HOST_MAINS),$(wildcard host/*.c)) $(wildcard drivers/*.c)
LIB_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB        := $(BUILD)/libdialback.a

SIM_MAINS  := sim/dialback_sim.c
# sim/umockdev_*.c need umockdev and GLib: built by their own rules (tests/umockdev/rules.mk)
SIM_CSRCS  := $(filter-out $(SIM_MAINS) sim/umockdev_%.c,$(wildcard sim/*.c))
SIM_COBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(SIM_CSRCS))
SIMLIB     := $(if $(SIM_COBJS),$(BUILD)/libsim.a)
SIM_CXXSRCS := $(wildcard sim/*.cpp)

UNIT_SRCS  := $(wildcard tests/host/test_*.c tests/drivers/test_*.c tests/sim/test_*.c)
UNIT_BINS  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TEST_SUPPORT_SRCS := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SUPPORT_SRCS))

RTL_SRCS   := $(wildcard rtl/*.v)
RTL_TBS    := $(patsubst tests/rtl/%/tb.f,%,$(wildcard tests/rtl/*/tb.f))
RTL_TB_BINS := $(patsubst %,$(BUILD)/rtl/%/tb,$(RTL_TBS))

FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))

SYSTEM_TESTS := $(sort $(wildcard tests/system/test_*.sh))

INTEROP_SRCS := $(wildcard tests/interop/*.c)
INTEROP_BINS := $(patsubst tests/interop/%.c,$(BUILD)/interop/%,$(INTEROP_SRCS))

BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

DAEMON     := $(BUILD)/dialbackd
CTL        := $(BUILD)/dialbackctl
SIMBIN     := $(BUILD)/dialback-sim

build: deps $(DAEMON) $(CTL) $(if $(SIM_CXXSRCS),$(SIMBIN))

# the emulated-USB (umockdev) test and benchmark: their own objects under $(BUILD)/umockdev
include tests/umockdev/rules.mk

# --- dependencies -------------------------------------------------------------------
deps:
	@bash .ci/deps.sh

# --- C ------------------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(SIMLIB): $(SIM_COBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(DAEMON): $(BUILD)/obj/host/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CTL): $(BUILD)/obj/host/dialbackctl.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJS) $(SIMLIB) $(LIB)
	@mkdir -p $(@D) $(dir $(BUILD)/obj/tests/$*)
	$(CC) $(CFLAGS) -Itests/support -MF $(BUILD)/obj/tests/$*.d -o $@ $< $(TEST_SUPPORT_OBJS) \
		$(SIMLIB) $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/interop/%: tests/interop/%.c $(SIMLIB) $(LIB)
	@mkdir -p $(@D) $(BUILD)/obj/tests/interop
	$(CC) $(CFLAGS) -MF $(BUILD)/obj/tests/interop/$*.d -o $@ $< $(SIMLIB) $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(SIMLIB) $(LIB)
	@mkdir -p $(@D) $(BUILD)/obj/tests/bench
	$(CC) $(CFLAGS) -Itests/support -MF $(BUILD)/obj/tests/bench/$*.d -o $@ $< $(SIMLIB) $(LIB) $(LDFLAGS) $(LDLIBS)

# --- Verilated card and the co-simulation --------------------------------------------
# rtl/card.f lists the card's RTL (top module card_top).  Two models are built once per
# flavour and linked into dialback-sim and the system tests, which picks one by --spans:
# VCARD_SPANS (2) spans at 3.088 MHz, and VCARD_WIDE_SPANS (28) at 24.704 MHz (prefix
# Vcard28) for more spans (at 12.352 MHz 672 busy channels would overrun the card's
# emitter: see docs/cosim.md).  The Verilated code is compiled without sanitizers.
VCARD_DIR  := $(BUILD)/vcard
VCARD_NARROW_LIB := $(VCARD_DIR)/Vcard_top__ALL.a
VCARD_WIDE_DIR := $(BUILD)/vcard28
VCARD_WIDE_LIB := $(VCARD_WIDE_DIR)/Vcard28__ALL.a
VCARD_LIB  := $(VCARD_NARROW_LIB) $(VCARD_WIDE_LIB)
VERILATOR_ROOT := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
VCARD_SPANS ?= 2
VCARD_WIDE_SPANS ?= 28
VCARD_WIDE_SPAN_W ?= 5
VCARD_WIDE_HZ ?= 24704000
VTRACE     := --trace-fst

# vcard_model PREFIX DIR VERILATOR-PARAMETERS EXTRA-RUNTIME-OBJECTS: one Verilated card
define vcard_model
$(2)/$(1)__ALL.a: rtl/card.f $$(RTL_SRCS)
	@mkdir -p $(2)
	$$(VERILATOR) --cc $$(VTRACE) -Wall -O3 --x-assign fast --x-initial fast -f rtl/card.f \
		--top-module card_top --prefix $(1) $(3) -Mdir $(2)
	$$(MAKE) -s -C $(2) -f $(1).mk $(1)__ALL.a $(4) \
		OPT_FAST="-O2" OPT_SLOW="-O1" OPT_GLOBAL="-O2"
endef
$(eval $(call vcard_model,Vcard_top,$(VCARD_DIR),-GSPANS=$(VCARD_SPANS),\
	verilated.o verilated_fst_c.o verilated_threads.o))
$(eval $(call vcard_model,Vcard28,$(VCARD_WIDE_DIR),-GSPANS=$(VCARD_WIDE_SPANS) \
	-GSPAN_W=$(VCARD_WIDE_SPAN_W) -GCORE_HZ=$(VCARD_WIDE_HZ)))

SIM_CXXOBJS := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(SIM_CXXSRCS))
$(BUILD)/obj/sim/%.o: sim/%.cpp $(VCARD_LIB)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -DVCARD_SPANS=$(VCARD_SPANS) -DVCARD_WIDE_SPANS=$(VCARD_WIDE_SPANS) \
		-DVCARD_WIDE_HZ=$(VCARD_WIDE_HZ) -DVCARD_TRACE -I$(VCARD_DIR) -I$(VCARD_WIDE_DIR) \
		-I$(VERILATOR_ROOT)/include -I$(VERILATOR_ROOT)/include/vltstd -c -o $@ $<

$(SIMBIN): $(BUILD)/obj/sim/dialback_sim.o $(SIM_CXXOBJS) $(SIMLIB) $(LIB) $(VCARD_LIB)
	$(CXX) $(LDFLAGS) -o $@ $(BUILD)/obj/sim/dialback_sim.o $(SIM_CXXOBJS) $(SIMLIB) $(LIB) $(VCARD_LIB) \
		$(VCARD_DIR)/verilated.o $(VCARD_DIR)/verilated_fst_c.o $(VCARD_DIR)/verilated_threads.o \
		$(LDLIBS) -lz -lpthread

# --- RTL testbenches ---------------------------------------------------------------
# Each tests/rtl/<name>/tb.f holds verilator arguments (top module, RTL and C++ files).
.SECONDEXPANSION:
$(BUILD)/rtl/%/tb: tests/rtl/%/tb.f $(RTL_SRCS) $$(wildcard tests/rtl/$$*/*) $(wildcard tests/rtl/common/*)
	@mkdir -p $(@D)
	$(VERILATOR) --cc --exe --build -j $(JOBS) -Wall -O3 --x-assign fast --x-initial unique \
		$(VTRACE) -CFLAGS "-O2 -std=c++17 -I$(CURDIR)/drivers/include -I$(CURDIR)/tests/rtl/common" \
		-f $< -Mdir $(@D) -o tb >$(@D)/build.log 2>&1 || { cat $(@D)/build.log; exit 1; }

# --- fuzz targets ------------------------------------------------------------------
# The library is compiled once with clang's coverage instrumentation; each target links it.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	$(INCLUDES) $(PKG_CFLAGS) -MMD -MP
FUZZ_LIB    := $(BUILD)/fuzzobj/libdialback-fuzz.a
FUZZ_OBJS   := $(patsubst %.c,$(BUILD)/fuzzobj/%.o,$(LIB_SRCS) $(SIM_CSRCS))
$(BUILD)/fuzzobj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_LIB): $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/support -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -lm

# --- top-level flows -----------------------------------------------------------------
# make run: the seed's callback, end to end, in the co-simulation
RUN_SCENARIO ?= seed
run: deps
	$(MAKE) --no-print-directory build
	$(SIMBIN) --config examples/seed.cfg --scenario $(RUN_SCENARIO)

# make test: everything, C under sanitizers, in build/san.
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=1 BUILD=build/san test-build
	@$(MAKE) --no-print-directory SAN=1 BUILD=build/san -k check

test-build: $(LIB) $(SIMLIB) $(UNIT_BINS) $(RTL_TB_BINS) $(DAEMON) $(CTL) \
	$(if $(SIM_CXXSRCS),$(SIMBIN)) $(FUZZ_BINS) $(BENCH_BINS) $(INTEROP_BINS) $(UMOCKDEV_BINS)

check:
	@BUILD=$(BUILD) UNIT_BINS="$(UNIT_BINS)" RTL_TB_BINS="$(RTL_TB_BINS)" \
		FUZZ_BINS="$(FUZZ_BINS)" FUZZ_RUNS=$(FUZZ_RUNS) SYSTEM_TESTS="$(SYSTEM_TESTS)" \
		bash tests/run-all.sh

lint: deps
	$(VERILATOR) --lint-only -Wall -f rtl/card.f --top-module card_top
	@for f in $(RTL_SRCS); do m=$$(basename $$f .v); \
		$(VERILATOR) --lint-only -Wall -Irtl $$f --top-module $$m || exit 1; done
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
		--inline-suppr --suppress=missingIncludeSystem $(INCLUDES) -D__GNUC__ host drivers sim tests/host
	@$(MAKE) --no-print-directory formal

formal:
	@if [ -f rtl/formal/run.sh ]; then bash rtl/formal/run.sh $(BUILD)/formal; fi

synth: deps
	bash constraints/synth.sh $(BUILD)/synth

bench: deps
	@$(MAKE) --no-print-directory build $(BENCH_BINS)
	BUILD=$(BUILD) BENCH_BINS="$(BENCH_BINS)" bash tests/bench/run.sh

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus-$$n; \
		c=tests/fuzz/corpus/$$n; [ -d $$c ] || c=; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(BUILD)/fuzz/corpus-$$n \
			$$c 2>&1 | tail -n 12 || exit 1; done

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/fuzzobj -name '*.d' 2>/dev/null)
