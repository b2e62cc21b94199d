# Thin wrapper over CMake for the README's two commands.
#   make demo   install dependencies, build, trace a bundled example with dtrace-lite
#               (its calls, and the writes to one of its variables)
#   make test   install dependencies, build, run every test (unit, integration, VM rig)
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.PHONY: all deps configure build demo test bench format format-check clean

all: build

deps:
	./scripts/deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@$(BUILD_DIR)/cmd/dune-info || { echo; echo "make demo: no backend on this machine (the reason is above):" \
		"nothing can enter Dune here; 'make test' still runs the unit tests and the emulated rigs"; exit 1; }
	$(BUILD_DIR)/examples/hello
	$(BUILD_DIR)/cmd/dtrace-lite -e trace=openat,read,write,close --watch bytes_copied \
		$(BUILD_DIR)/examples/copyfile

test: build format-check
	cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS) $(CTEST_ARGS)

bench: build
	bench/run.sh $(BUILD_DIR)
	bench/workloads.sh $(BUILD_DIR)

format:
	clang-format -i $(C_SOURCES)

format-check:
	clang-format --dry-run --Werror $(C_SOURCES)

clean:
	rm -rf $(BUILD_DIR)
