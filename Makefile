# TML — thin driver over CMake. `make` builds build/tml and build/libtml.a;
# `make test` runs every test; `make demo` shows what TML does.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_CM4  ?= build-cm4
BUILD_CM55 ?= build-cm55
TML_SHARED ?= $(abspath ../shared)
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
export TML_SHARED

.PHONY: all deps test test-host test-asan test-target bench-cortex-m demo clean

all: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh build

# Every test: the unit and golden tests, then the same again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then on Cortex-M (QEMU).
test: test-host test-asan test-target

test-host: all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTML_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

# Firmware under QEMU (docs/cortex-m.md): every golden case on Cortex-M4
# (mps2-an386), the models that fit on Cortex-M55 (mps3-an547).
CM_TOOLCHAIN = --no-warn-unused-cli -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake
test-target: all
	@scripts/deps.sh target
	cmake -S . -B $(BUILD_CM4) $(CM_TOOLCHAIN) -DTML_CPU=cortex-m4 \
	  -DTML_HOST_TOOL=$(abspath $(BUILD))/tml >/dev/null
	cmake --build $(BUILD_CM4) -j $(JOBS)
	ctest --test-dir $(BUILD_CM4) --output-on-failure -j $(JOBS)
	cmake -S . -B $(BUILD_CM55) $(CM_TOOLCHAIN) -DTML_CPU=cortex-m55 \
	  -DTML_HOST_TOOL=$(abspath $(BUILD))/tml >/dev/null
	cmake --build $(BUILD_CM55) -j $(JOBS)
	ctest --test-dir $(BUILD_CM55) --output-on-failure -j $(JOBS)

# Instructions per inference on Cortex-M4, portable vs DSP kernels
# (bench/README.md). Builds quietly (logs in the build folders).
bench-cortex-m: deps
	@scripts/deps.sh target
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target tml_cli >$(BUILD)/bench-build.log 2>&1 || \
	  { cat $(BUILD)/bench-build.log; exit 1; }
	@cmake -S . -B $(BUILD_CM4) $(CM_TOOLCHAIN) -DTML_CPU=cortex-m4 >/dev/null
	@cmake --build $(BUILD_CM4) -j $(JOBS) --target bench-firmware >$(BUILD_CM4)/bench-build.log 2>&1 || \
	  { cat $(BUILD_CM4)/bench-build.log; exit 1; }
	@bench/run.sh $(BUILD)/tml $(BUILD_CM4)

demo: all
	@scripts/deps.sh target
	@BUILD_CM4=$(BUILD_CM4) scripts/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_CM4) $(BUILD_CM55)
