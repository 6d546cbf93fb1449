# TML — thin driver over CMake. `make` builds build/tml and build/libtml.a;
# `make test` runs every test; `make demo` shows what TML does.
BUILD      ?= build
BUILD_ASAN ?= build-asan
TML_SHARED ?= $(abspath ../shared)
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
export TML_SHARED

.PHONY: all deps test test-host test-asan demo clean

all: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh build

# Every test: the unit and golden tests, then the same again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
test: test-host test-asan

test-host: all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTML_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

demo: all
	@scripts/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
