# Test suites; included by the top-level Makefile. 'make test' builds and runs them all through
# tests/run.sh, which prints one line per suite and a closing "N passed, N failed" line.

TEST_BUILD := $(BUILD)/tests
# Unit tests and the library code they call run under AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LIB := $(TEST_BUILD)/libfeedsieve-san.a
SAN_LIB_OBJS := $(patsubst %.c,$(TEST_BUILD)/san/%.o,$(LIB_SRCS))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(TEST_BUILD)/%,$(wildcard tests/unit/test_*.c))
# The one frame builder of unit tests, BPF fixtures, fuzzer and benchmarks (tests/lib).
FRAME_BUILDER := tests/lib/frame_builder.c
FRAME_BUILDER_HDRS := tests/lib/frame_builder.h tools/lib/byteorder.h
FIXTURE_TEST := $(TEST_BUILD)/test_xdp_fixtures
TEST_BINS := $(UNIT_TESTS) $(FIXTURE_TEST)

$(TEST_BUILD)/san/%.o: %.c | $(SKEL)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) $(SAN) -c $< -o $@

$(SAN_LIB): $(SAN_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

# feedgen's encoders (ITCH, MDP3, NYSE XDP, PITCH) are tested from its own sources.
FEEDGEN_ENCODE_TESTS := $(TEST_BUILD)/test_itch_encode $(TEST_BUILD)/test_mdp3_encode \
	$(TEST_BUILD)/test_nyse_encode $(TEST_BUILD)/test_pitch_encode
$(FEEDGEN_ENCODE_TESTS): $(TEST_BUILD)/test_%: tests/unit/test_%.c $(filter-out %/feedgen.c,$(FEEDGEN_SRCS))
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -Itools/feedgen $(CPPFLAGS) $(USER_CFLAGS) $(SAN) -o $@ $^ -lcriterion -lm -lpcap

$(TEST_BUILD)/test_%: tests/unit/test_%.c $(FRAME_BUILDER) $(FRAME_BUILDER_HDRS) $(SAN_LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -Itests/lib $(USER_CFLAGS) $(SAN) -o $@ $(FRAME_BUILDER) $< $(SAN_LIB) \
		$(LIBS) -lcriterion
# With several sources in one command, -MMD writes the dependencies of the last one to $@.d: the
# test's own source comes last so that what it includes (consume_print.c, say) is tracked.
-include $(UNIT_TESTS:=.d)

$(FIXTURE_TEST): $(wildcard tests/bpf/*.c tests/bpf/*.h) $(FRAME_BUILDER) $(FRAME_BUILDER_HDRS) \
		$(SKEL) $(BPF_OBJ)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -Itests/lib $(USER_CFLAGS) -o $@ $(filter %.c,$^) $(LIBS) -lcriterion

# Programs the integration scripts drive (they use the library as an application would).
INTEGRATION_TOOLS := $(patsubst tests/integration/%.c,$(TEST_BUILD)/%,$(wildcard tests/integration/*.c))

$(TEST_BUILD)/%: tests/integration/%.c $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -o $@ $< $(LIB) $(LIBS)

.PHONY: test test-build
test-build: all $(TEST_BINS) $(INTEGRATION_TOOLS)

# Pure suites need nothing a machine may lack and pass as any user; privileged ones exit 77
# (skipped) without root, AF_XDP or BTF. test_unprivileged.sh gets both lists (FS_PURE_SUITES,
# FS_PRIVILEGED_SUITES) and runs every suite as nobody to prove it.
# A script that needs no privileges says so with a line '# suite: pure'.
INTEGRATION_SCRIPTS := $(sort $(wildcard tests/tools/test_*.sh tests/integration/test_*.sh))
PURE_SCRIPTS := $(shell grep -l '^# suite: pure' $(INTEGRATION_SCRIPTS))
PURE_SUITES := $(UNIT_TESTS) $(PURE_SCRIPTS)
PRIVILEGED_SUITES := $(FIXTURE_TEST) $(filter-out $(PURE_SCRIPTS),$(INTEGRATION_SCRIPTS))

test: test-build
	$(Q)FS_PURE_SUITES="$(PURE_SUITES)" FS_PRIVILEGED_SUITES="$(PRIVILEGED_SUITES)" \
		tests/run.sh $(PURE_SUITES) $(PRIVILEGED_SUITES)

# The two lists, one per line, for test_unprivileged.sh run on its own.
.PHONY: print-suites
print-suites:
	@echo "$(PURE_SUITES)"
	@echo "$(PRIVILEGED_SUITES)"

-include $(SAN_LIB_OBJS:.o=.d)

# The CLI, library included, under AddressSanitizer/LeakSanitizer and UBSan: test_leaks.sh runs
# it through a whole netns scenario with detect_leaks=1.
SAN_CLI := $(TEST_BUILD)/feedsieve-san
SAN_CLI_OBJS := $(patsubst %.c,$(TEST_BUILD)/san/%.o,$(CLI_SRCS))

$(SAN_CLI): $(SAN_CLI_OBJS) $(SAN_LIB)
	$(call msg,LINK-SAN,$@)
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS) -lpcap

test-build: $(SAN_CLI)
-include $(SAN_CLI_OBJS:.o=.d)

# Differential fuzzing of the XDP program: make fuzz, and the deterministic pass make check runs.
include tests/fuzz/fuzz.mk

# The gap recovery soak at full length: 60 s (make check runs it for 8 s); its figures are the
# "recovery-soak: {...}" line. RECOVERY_SOAK_SECONDS and RECOVERY_SOAK_RATE override.
.PHONY: soak
soak: all
	$(Q)RECOVERY_SOAK_SECONDS=$${RECOVERY_SOAK_SECONDS:-60} \
		tests/run.sh tests/integration/test_recovery_soak.sh
