# Load benchmarks (throughput and latency through a veth pair); included by the top-level Makefile.
#
#   make bench-throughput   highest zero-loss message rate of feedsieve's consumer and of a UDP
#                           socket baseline at 100, 10 and 1 % subscribed: bench/out/throughput.json
#   make bench-latency      one-way latency percentiles of both at fixed frame rates:
#                           bench/out/latency.json, bench/out/latency.png (gnuplot)
#   QUICK=1                 a short run of each (under a minute each); LOAD_ARGS=... passes
#                           options to bench/load.sh (bench/load.sh --help). As root.

LOAD_BUILD   := $(BUILD)/bench
INJECT_OBJ   := $(LOAD_BUILD)/inject.bpf.o
INJECT_SKEL  := $(LOAD_BUILD)/inject.skel.h
INJECTOR     := $(LOAD_BUILD)/injector
RX_FEEDSIEVE := $(LOAD_BUILD)/rx_feedsieve
RX_SOCKET    := $(LOAD_BUILD)/rx_socket
CPU_NOISE    := $(LOAD_BUILD)/cpu_noise
LOAD_BINS    := $(INJECTOR) $(RX_FEEDSIEVE) $(RX_SOCKET) $(CPU_NOISE)
LOAD_OBJS    := $(addprefix $(LOAD_BUILD)/,injector.o rx_feedsieve.o rx_socket.o rx.o hist.o \
		  cpu_noise.o)
LOAD_ARGS    ?=

$(INJECT_OBJ): bench/inject.bpf.c bench/injector.h $(SHARED_HDRS) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(INJECT_SKEL): $(INJECT_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name inject_bpf > $@

# The generic $(BUILD)/%.o rule compiles them; the injector also needs its skeleton.
$(LOAD_OBJS): CPPFLAGS += -I$(LOAD_BUILD) $(OPTS_CFLAGS)
$(LOAD_BUILD)/injector.o: $(INJECT_SKEL)

$(INJECTOR): $(LOAD_BUILD)/injector.o $(OPTS_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(RX_FEEDSIEVE): $(LOAD_BUILD)/rx_feedsieve.o $(LOAD_BUILD)/rx.o $(LOAD_BUILD)/hist.o $(OPTS_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(RX_SOCKET): $(LOAD_BUILD)/rx_socket.o $(LOAD_BUILD)/rx.o $(LOAD_BUILD)/hist.o $(OPTS_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(CPU_NOISE): $(LOAD_BUILD)/cpu_noise.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

.PHONY: bench-load-bins bench-throughput bench-latency
bench-load-bins: $(LOAD_BINS) $(CLI)

bench-throughput: bench-load-bins
	$(Q)bench/load.sh $(if $(QUICK),--quick) $(LOAD_ARGS) throughput

bench-latency: bench-load-bins
	$(Q)bench/load.sh $(if $(QUICK),--quick) $(LOAD_ARGS) latency

-include $(LOAD_OBJS:.o=.d)
