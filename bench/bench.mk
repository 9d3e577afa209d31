# Benchmarks; included by the top-level Makefile.
#
#   make bench-filter   what the XDP program costs per frame, next to an empty XDP program and
#                       a parse-only one (BPF_PROG_TEST_RUN, as root), for ITCH, MDP3, NYSE XDP
#                       and PITCH, and the PITCH order map's cost per add/execute/delete:
#                       bench/out/filter_cost.json, a table on stdout, and, when gnuplot is
#                       there, bench/out/filter_cost.png (ITCH) and filter_protocols.png (ns per
#                       key of the four protocols).
#                       QUICK=1 for a short run (49 s for the four protocols here, on a loaded
#                       VM); FILTER_COST_ARGS=... passes options (build/bench/filter_cost --help). As root.

BENCH_BUILD := $(BUILD)/bench
BENCH_OUT   := bench/out
FLOORS_OBJ  := $(BENCH_BUILD)/floors.bpf.o
FLOORS_SKEL := $(BENCH_BUILD)/floors.skel.h
FILTER_COST := $(BENCH_BUILD)/filter_cost
FILTER_COST_ARGS ?=
# Listed, not globbed: other benchmarks share bench/.
FILTER_COST_SRCS := bench/filter_cost.c bench/report.c bench/fixture.c bench/frames.c $(OPTS_SRCS) \
		    $(FRAME_BUILDER)
FILTER_COST_HDRS := bench/bench.h bench/fixture.h bench/frames.h bench/slots.h $(FRAME_BUILDER_HDRS) \
		    $(OPTS_HDRS)
BENCH_TARGETS_H := $(BENCH_BUILD)/targets.h

$(FLOORS_OBJ): bench/floors.bpf.c bench/frames.h bench/slots.h $(SHARED_HDRS) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(FLOORS_SKEL): $(FLOORS_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floors_bpf > $@

# The targets' one source is bench/targets.json; report.c reads them from this header.
$(BENCH_TARGETS_H): bench/targets.json bench/targets.py
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)bench/targets.py header > $@

# Both skeletons embed their objects: the binary runs from anywhere.
$(FILTER_COST): $(FILTER_COST_SRCS) $(FILTER_COST_HDRS) $(SHARED_HDRS) $(SKEL) $(FLOORS_SKEL) \
		$(BENCH_TARGETS_H)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -I$(BENCH_BUILD) -Itests/lib $(OPTS_CFLAGS) $(USER_CFLAGS) -o $@ \
		$(FILTER_COST_SRCS) $(LIBS)

.PHONY: bench-filter
bench-filter: $(FILTER_COST)
	$(Q)mkdir -p $(BENCH_OUT)
	$(Q)$(FILTER_COST) $(if $(QUICK),--quick) $(FILTER_COST_ARGS) \
		--json $(BENCH_OUT)/filter_cost.json --tsv $(BENCH_OUT)/filter_cost.tsv
	$(Q)if command -v gnuplot >/dev/null; then \
		gnuplot -e "data='$(BENCH_OUT)/filter_cost.tsv'; out='$(BENCH_OUT)/filter_cost.png'" \
			bench/filter_cost.gp && echo "  wrote $(BENCH_OUT)/filter_cost.png"; \
		gnuplot -e "data='$(BENCH_OUT)/filter_cost_protocols.tsv'; \
			    out='$(BENCH_OUT)/filter_protocols.png'" \
			bench/filter_protocols.gp && echo "  wrote $(BENCH_OUT)/filter_protocols.png"; \
	else echo "  gnuplot not installed (make deps): no plot"; fi

#   make bench-replay   frames/s of 'feedsieve replay' (BPF_PROG_TEST_RUN per frame, then the
#                       consumer's path) on a generated capture of 4-message ITCH frames:
#                       bench/out/replay.json and a table on stdout. REPLAY_FRAMES=N (default
#                       1000000; QUICK=1: 200000). As root.
REPLAY_CAPTURE := $(BENCH_BUILD)/replay_capture
REPLAY_CAPTURE_SRCS := bench/replay_capture.c tools/feedgen/itch_encode.c tools/feedgen/pcap.c
REPLAY_FRAMES ?= $(if $(QUICK),200000,1000000)

$(REPLAY_CAPTURE): $(REPLAY_CAPTURE_SRCS) $(wildcard tools/feedgen/*.h)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -Itools/feedgen $(USER_CFLAGS) -o $@ $(REPLAY_CAPTURE_SRCS) -lpcap

.PHONY: bench-replay
bench-replay: $(REPLAY_CAPTURE) $(CLI)
	$(Q)mkdir -p $(BENCH_OUT)
	$(Q)bench/replay.sh $(REPLAY_CAPTURE) $(CLI) $(REPLAY_FRAMES) $(BENCH_OUT)
