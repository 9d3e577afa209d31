# Benchmarks; included by the top-level Makefile.
#
#   make bench-filter   what the XDP program costs per frame, next to an empty XDP program and
#                       a parse-only one (BPF_PROG_TEST_RUN, as root): bench/out/filter_cost.json,
#                       a table on stdout, and bench/out/filter_cost.svg when gnuplot is there.
#                       BENCH_ARGS=--quick for a short run; build/bench/filter_cost --help.

BENCH_BUILD := $(BUILD)/bench
BENCH_OUT   := bench/out
FLOORS_OBJ  := $(BENCH_BUILD)/floors.bpf.o
FLOORS_SKEL := $(BENCH_BUILD)/floors.skel.h
FILTER_COST := $(BENCH_BUILD)/filter_cost
BENCH_ARGS  ?=

$(FLOORS_OBJ): bench/floors.bpf.c $(SHARED_HDRS) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(FLOORS_SKEL): $(FLOORS_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floors_bpf > $@

# Both skeletons embed their objects: the binary runs from anywhere.
$(FILTER_COST): $(wildcard bench/*.c bench/*.h) $(SHARED_HDRS) $(SKEL) $(FLOORS_SKEL)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -I$(BENCH_BUILD) $(USER_CFLAGS) -o $@ \
		$(filter-out %.bpf.c,$(filter %.c,$^)) $(LIBS)

.PHONY: bench-filter
bench-filter: $(FILTER_COST)
	$(Q)mkdir -p $(BENCH_OUT)
	$(Q)$(FILTER_COST) $(BENCH_ARGS) --json $(BENCH_OUT)/filter_cost.json \
		--tsv $(BENCH_OUT)/filter_cost.tsv
	$(Q)if command -v gnuplot >/dev/null; then \
		gnuplot -e "data='$(BENCH_OUT)/filter_cost.tsv'; out='$(BENCH_OUT)/filter_cost.svg'" \
			bench/filter_cost.gp && echo "  wrote $(BENCH_OUT)/filter_cost.svg"; \
	else echo "  gnuplot not installed (make deps): no plot"; fi
