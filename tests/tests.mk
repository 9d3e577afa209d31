# Test targets; included by the top-level Makefile. Filled in as suites are added.
.PHONY: test
test:
	@echo "no tests yet"
