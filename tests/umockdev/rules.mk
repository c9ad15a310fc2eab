# tests/umockdev/rules.mk - the emulated-USB (umockdev) test and benchmark.
#
# Include from the top Makefile (after BUILD, CC, CFLAGS, LDFLAGS, LDLIBS, PKG_CONFIG are
# set):   include tests/umockdev/rules.mk
# or use standalone:  make -f Makefile -f tests/umockdev/rules.mk SAN=1 BUILD=build/san umockdev
#
# Everything that needs umockdev/glib is compiled here, into $(BUILD)/umockdev/, with
# -DDIALBACK_UMOCKDEV (sim/umockdev_*.c are empty without it).  The objects the test
# needs from libdialback are compiled again here so that a half-finished file elsewhere
# in host/ cannot break this build.
# The binaries must run under `umockdev-wrapper` (tests/system/test_usb_loopback.sh,
# tests/bench/bench_usb.sh do that).

UMOCKDEV_PKGS   := umockdev-1.0 glib-2.0
UMOCKDEV_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(UMOCKDEV_PKGS) 2>/dev/null) -DDIALBACK_UMOCKDEV
UMOCKDEV_LIBS   := $(shell $(PKG_CONFIG) --libs $(UMOCKDEV_PKGS) 2>/dev/null)
UMOCKDEV_OUT    := $(BUILD)/umockdev
UMOCKDEV_SRCS   := sim/umockdev_ft232h.c sim/ft232h_usb.c sim/ft232h.c drivers/card_usb.c drivers/card.c \
		   drivers/card_msg.c host/evloop.c host/log.c
UMOCKDEV_OBJS   := $(patsubst %.c,$(UMOCKDEV_OUT)/obj/%.o,$(UMOCKDEV_SRCS))
UMOCKDEV_BINS   := $(UMOCKDEV_OUT)/test_usb_e2e $(UMOCKDEV_OUT)/bench_usb $(UMOCKDEV_OUT)/dialback-sim
# dialback-sim with `--transport usb` (sim/umockdev_cosim.c instead of the stub
# sim/cosim_usb.c that libsim.a holds: the objects come first, so the stub is not
# pulled from the archive).  The Verilated card and the other objects are the top
# Makefile's ($(SIMBIN)'s), named by path here because this file is read first.
UMOCKDEV_SIM_OBJS := $(UMOCKDEV_OUT)/obj/sim/umockdev_cosim.o $(UMOCKDEV_OUT)/obj/sim/umockdev_ft232h.o

.PHONY: umockdev
.SECONDARY: $(UMOCKDEV_OBJS)
umockdev: $(UMOCKDEV_BINS)

$(UMOCKDEV_OUT)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(UMOCKDEV_CFLAGS) -c -o $@ $<

$(UMOCKDEV_OUT)/%: tests/umockdev/%.c $(UMOCKDEV_OBJS)
	@mkdir -p $(@D)/obj/tests
	$(CC) $(CFLAGS) $(UMOCKDEV_CFLAGS) -MF $(UMOCKDEV_OUT)/obj/tests/$*.d -o $@ $< \
		$(UMOCKDEV_OBJS) $(LDFLAGS) $(UMOCKDEV_LIBS) $(LDLIBS) -lcmocka -lpthread

$(UMOCKDEV_OUT)/dialback-sim: $(UMOCKDEV_SIM_OBJS) $(BUILD)/obj/sim/dialback_sim.o $(BUILD)/obj/sim/vcard.o \
		$(BUILD)/libsim.a $(BUILD)/libdialback.a $(BUILD)/vcard/Vcard_top__ALL.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $(BUILD)/obj/sim/dialback_sim.o $(UMOCKDEV_SIM_OBJS) $(SIM_CXXOBJS) \
		$(BUILD)/libsim.a $(BUILD)/libdialback.a $(VCARD_LIB) $(VCARD_DIR)/verilated.o \
		$(VCARD_DIR)/verilated_fst_c.o $(VCARD_DIR)/verilated_threads.o \
		$(UMOCKDEV_LIBS) $(LDLIBS) -lz -lpthread

-include $(shell find $(UMOCKDEV_OUT)/obj -name '*.d' 2>/dev/null)
