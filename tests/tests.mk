# Test suites; included by the top-level Makefile. 'make test' builds and runs them all through
# tests/run.sh, which prints one line per suite and a closing "N passed, N failed" line.

TEST_BUILD := $(BUILD)/tests
# Unit tests and the library code they call run under AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LIB := $(TEST_BUILD)/libfeedsieve-san.a
SAN_LIB_OBJS := $(patsubst %.c,$(TEST_BUILD)/san/%.o,$(LIB_SRCS))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(TEST_BUILD)/%,$(wildcard tests/unit/test_*.c))
FIXTURE_TEST := $(TEST_BUILD)/test_xdp_fixtures
TEST_BINS := $(UNIT_TESTS) $(FIXTURE_TEST)

$(TEST_BUILD)/san/%.o: %.c | $(SKEL)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) $(SAN) -c $< -o $@

$(SAN_LIB): $(SAN_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

# feedgen's encoder is tested from its own sources.
$(TEST_BUILD)/test_itch_encode: tests/unit/test_itch_encode.c $(filter-out %/feedgen.c,$(FEEDGEN_SRCS))
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -Itools/feedgen $(USER_CFLAGS) $(SAN) -o $@ $^ -lcriterion -lm

$(TEST_BUILD)/test_%: tests/unit/test_%.c $(SAN_LIB)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) $(SAN) -o $@ $< $(SAN_LIB) $(LIBS) -lcriterion

$(FIXTURE_TEST): $(wildcard tests/bpf/*.c tests/bpf/*.h) $(SKEL) $(BPF_OBJ)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -o $@ $(filter %.c,$^) $(LIBS) -lcriterion

# Programs the integration scripts drive (they use the library as an application would).
INTEGRATION_TOOLS := $(patsubst tests/integration/%.c,$(TEST_BUILD)/%,$(wildcard tests/integration/*.c))

$(TEST_BUILD)/%: tests/integration/%.c $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -o $@ $< $(LIB) $(LIBS)

.PHONY: test test-build
test-build: all $(TEST_BINS) $(INTEGRATION_TOOLS)

test: test-build
	$(Q)tests/run.sh $(UNIT_TESTS) $(FIXTURE_TEST) tests/tools/test_*.sh tests/integration/test_*.sh

-include $(SAN_LIB_OBJS:.o=.d)

# The CLI, library included, under AddressSanitizer/LeakSanitizer and UBSan: test_leaks.sh runs
# it through a whole netns scenario with detect_leaks=1.
SAN_CLI := $(TEST_BUILD)/feedsieve-san
SAN_CLI_OBJS := $(patsubst %.c,$(TEST_BUILD)/san/%.o,$(CLI_SRCS))

$(SAN_CLI): $(SAN_CLI_OBJS) $(SAN_LIB)
	$(call msg,LINK-SAN,$@)
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS)

test-build: $(SAN_CLI)
-include $(SAN_CLI_OBJS:.o=.d)

# Differential fuzzing of the XDP program: make fuzz, and the deterministic pass make check runs.
include tests/fuzz/fuzz.mk
