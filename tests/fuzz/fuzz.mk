# Differential fuzzing of the XDP program against tests/fuzz/reference.c; included by the
# top-level Makefile after tests/tests.mk.
#
#   make fuzz [FUZZ_SECONDS=60]  libFuzzer (clang -fsanitize=fuzzer) on the seed corpus for N s;
#                                fails on any mismatch or crash (artifacts in build/fuzz/)
#   make fuzz-corpus             regenerate the checked-in seed corpus tests/fuzz/corpus/
#   make check                   runs the deterministic pass (tests/integration/test_fuzz_pass.sh)

FUZZ_SECONDS ?= 60
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_COMMON  := tests/fuzz/reference.c tests/fuzz/reference_nyse.c tests/fuzz/reference_pitch.c \
                tests/fuzz/program.c tests/fuzz/runner.c tests/fuzz/lib_check.c \
                tests/bpf/xdp_harness.c $(FRAME_BUILDER)
# The consumer side is libfeedsieve itself (lib_check.c uses its decoder and internal map view).
FUZZ_LIBS     = $(LIB) $(LIBS) -lpcap
FUZZ_CONSUMER_MUTANT := $(TEST_BUILD)/fuzz_replay_consumer_mutant
FUZZ_HDRS    := $(wildcard tests/fuzz/*.h tests/bpf/*.h) $(FRAME_BUILDER_HDRS) $(SHARED_HDRS)
FUZZ_CPPFLAGS = $(CPPFLAGS) -Itests/bpf -Itests/lib -Itests/fuzz
FUZZ_REPLAY  := $(TEST_BUILD)/fuzz_replay
FUZZ_MUTANT  := $(TEST_BUILD)/fuzz_replay_mutant
FUZZ_XDP     := $(FUZZ_DIR)/fuzz_xdp
FUZZ_GEN     := $(FUZZ_DIR)/gen_corpus

$(FUZZ_REPLAY): tests/fuzz/fuzz_replay.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(SKEL) $(BPF_OBJ) $(LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) $(USER_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The self-tests: a reference with one deliberate mistake, and a consumer decoder with one per
# protocol compared (user/lib/proto_mdp3.c, proto_nyse.c or proto_pitch.c built with
# FEEDSIEVE_CONSUMER_MUTANT, linked ahead of the library's own copy); the pass must catch each.
$(FUZZ_MUTANT): tests/fuzz/fuzz_replay.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(SKEL) $(BPF_OBJ) $(LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) $(USER_CFLAGS) -DREFERENCE_MUTANT -o $@ $(filter %.c,$^) \
		$(FUZZ_LIBS)

$(FUZZ_CONSUMER_MUTANT): tests/fuzz/fuzz_replay.c $(FUZZ_COMMON) user/lib/proto_mdp3.c \
		$(FUZZ_HDRS) $(SKEL) $(BPF_OBJ) $(LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) $(USER_CFLAGS) -DFEEDSIEVE_CONSUMER_MUTANT -o $@ \
		$(filter %.c,$^) $(FUZZ_LIBS)

$(FUZZ_CONSUMER_MUTANT)_%: tests/fuzz/fuzz_replay.c $(FUZZ_COMMON) user/lib/proto_%.c \
		$(FUZZ_HDRS) $(SKEL) $(BPF_OBJ) $(LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) $(USER_CFLAGS) -DFEEDSIEVE_CONSUMER_MUTANT -o $@ \
		$(filter %.c,$^) $(FUZZ_LIBS)

# The harness (whole-map reads and resets) is built without libFuzzer's coverage, which would
# only slow it down; the reference and the program decoder are what coverage should steer.
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
$(FUZZ_DIR)/harness.o: tests/bpf/xdp_harness.c $(FRAME_BUILDER) $(FUZZ_HDRS) $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CPPFLAGS) -std=gnu11 $(WARN) -g -O1 $(FUZZ_SAN) -c tests/bpf/xdp_harness.c -o $@
	$(Q)$(CLANG) $(FUZZ_CPPFLAGS) -std=gnu11 $(WARN) -g -O1 $(FUZZ_SAN) -c $(FRAME_BUILDER) \
		-o $(FUZZ_DIR)/frame_builder.o

$(FUZZ_XDP): tests/fuzz/fuzz_xdp.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(FUZZ_DIR)/harness.o $(BPF_OBJ) \
		$(LIB)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CPPFLAGS) -std=gnu11 $(WARN) -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) \
		-o $@ $(filter tests/fuzz/%.c,$^) $(FUZZ_DIR)/harness.o $(FUZZ_DIR)/frame_builder.o \
		$(FUZZ_LIBS)

$(FUZZ_GEN): tests/fuzz/gen_corpus.c tests/fuzz/program.c $(FRAME_BUILDER) \
		$(wildcard tests/bpf/fixture_rows_*.c) $(FUZZ_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) $(USER_CFLAGS) -o $@ $(filter %.c,$^) -lcriterion

test-build: $(FUZZ_REPLAY) $(FUZZ_MUTANT) $(FUZZ_CONSUMER_MUTANT) $(FUZZ_CONSUMER_MUTANT)_nyse \
	$(FUZZ_CONSUMER_MUTANT)_pitch

.PHONY: fuzz fuzz-corpus
# libFuzzer adds what it finds to the first directory (a scratch copy), reads the second.
fuzz: $(FUZZ_XDP)
	$(Q)mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	$(Q)$(FUZZ_XDP) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=60 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/ \
		$(FUZZ_DIR)/corpus tests/fuzz/corpus

fuzz-corpus: $(FUZZ_GEN)
	$(Q)rm -f tests/fuzz/corpus/*.bin
	$(Q)$(FUZZ_GEN) tests/fuzz/corpus
