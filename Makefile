# feedsieve: XDP pre-filter for ITCH/MoldUDP64 market data feeding AF_XDP consumers.
#
#   make          build the XDP object, its skeleton, libfeedsieve, the feedsieve CLI and feedgen
#   make deps     install the Debian packages the project needs (only the missing ones)
#   make check    deps + build + every test (unit, BPF_PROG_TEST_RUN fixtures, netns integration)
#   make demo     deps + build + an end-to-end run in two network namespaces
#   make soak     build + the 60 s gap recovery soak (check runs an 8 s one); prints its figures
#   make bench    deps + build + the benchmarks (not part of check): bench/results.json,
#                 docs/benchmarks.md and plots; QUICK=1 for a short run
#   make lint     cppcheck and clang-tidy (.clang-tidy) over the user-space C
#   make vmlinux  regenerate vmlinux/vmlinux.h from the running kernel's BTF
#   make install  PREFIX=/usr/local DESTDIR=: CLI, libfeedsieve (.a, .so), headers, .pc, man page,
#                 completion, example unit (packaging/install.mk); make uninstall removes them
#   V=1           show the commands

.DELETE_ON_ERROR:
.SUFFIXES:

BUILD   ?= build
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
ARCH    := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CPPFLAGS += -Iinclude -Iuser/lib -Itools/lib -I$(BUILD)
USER_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -MMD -MP
# Evaluated when used, so a make that just installed the packages still finds them.
LIBS     = $(shell pkg-config --libs libxdp libbpf 2>/dev/null || echo -lxdp -lbpf) -lelf -lz -lpthread
# The kernel inlines a bpf_loop() call only when that call instruction always gets the same
# callback. clang merges the protocols' identical-looking bpf_loop() calls into one instruction
# with a callback chosen by a phi (sinking common code, tail merging), which the kernel then
# calls through the helper once per message: ITCH's match pass cost 1.8x its inlined self.
BPF_NO_MERGE := -mllvm -simplifycfg-sink-common=false -mllvm -enable-tail-merge=false
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) $(WARN) -Iinclude -Ivmlinux \
	$(BPF_NO_MERGE)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_OBJ  := $(BUILD)/feedsieve.bpf.o
SKEL     := $(BUILD)/feedsieve.skel.h
LIB      := $(BUILD)/libfeedsieve.a
CLI      := $(BUILD)/feedsieve
FEEDGEN  := $(BUILD)/feedgen

LIB_SRCS     := $(wildcard user/lib/*.c)
LIB_OBJS     := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
# The option engine and its error printer, linked by the CLI and the bench tools alike.
OPTS_SRCS    := user/cli/options.c user/cli/report.c
OPTS_HDRS    := user/cli/options.h user/cli/report.h
OPTS_CFLAGS  := -Iuser/cli
OPTS_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(OPTS_SRCS))
CLI_SRCS     := $(wildcard user/cli/*.c)
CLI_OBJS     := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRCS))
FEEDGEN_SRCS := $(wildcard tools/feedgen/*.c)
FEEDGEN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(FEEDGEN_SRCS))
SHARED_HDRS  := $(wildcard include/feedsieve/*.h)

.PHONY: all deps check test demo soak bench bench-report lint vmlinux clean install uninstall
all: $(BPF_OBJ) $(SKEL) $(LIB) $(CLI) $(FEEDGEN)

$(BPF_OBJ): bpf/feedsieve.bpf.c $(wildcard bpf/*.h) $(SHARED_HDRS) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SKEL): $(BPF_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name feedsieve_bpf > $@

# Library objects include the skeleton (the XDP object is embedded in libfeedsieve).
$(BUILD)/user/lib/%.o: user/lib/%.c | $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(CLI): $(CLI_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LIBS) -lpcap

$(FEEDGEN): $(FEEDGEN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lm -lpcap

deps:
	$(Q)tools/deps.sh

# Static analysis of the user-space C with the checked-in .clang-tidy. The generated skeleton is a
# system header here; the malloc checker still follows its error path into bpftool's code and
# reports a leak that bpf_object__destroy_skeleton() frees, so that one check is off for its two
# includers, attach.c and replay.c (which test_leaks.sh runs under LeakSanitizer).
LINT_SRCS := $(LIB_SRCS) $(CLI_SRCS) $(FEEDGEN_SRCS)
lint: $(SKEL)
	$(call msg,CPPCHECK,user tools)
	$(Q)cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
		--enable=warning,performance,portability --suppress=missingIncludeSystem \
		-Iinclude -Iuser/lib -I$(BUILD) -Itools/feedgen -Itools/lib user/lib user/cli tools/feedgen
	$(Q)for f in $(LINT_SRCS); do \
		printf '  %-8s %s\n' TIDY $$f; \
		case $$f in */attach.c | */replay.c) only=--checks=-clang-analyzer-unix.Malloc ;; \
		*) only= ;; esac; \
		clang-tidy --quiet $$only $$f -- -std=gnu11 -Iinclude -Iuser/lib -isystem $(BUILD) \
			-Itools/feedgen -Itools/lib || exit 1; \
	done

vmlinux:
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

include tests/tests.mk
include bench/bench.mk
-include bench/load.mk
include packaging/install.mk

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory test

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh

# Each benchmark writes bench/out/*.json; the report merges what ran.
BENCH_TARGETS := bench-filter $(if $(wildcard bench/load.mk),bench-throughput bench-latency)
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory $(BENCH_TARGETS)
	$(Q)tools/bench_report.py

# docs/benchmarks.md and the README's summary again from the committed bench/results.json.
bench-report:
	$(Q)tools/bench_report.py --from bench/results.json

clean:
	$(Q)rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(FEEDGEN_OBJS:.o=.d)
