# TML — thin driver over CMake. `make` builds build/tml and build/libtml.a;
# `make test` runs every test; `make demo` shows what TML does.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_CM4  ?= build-cm4
BUILD_CM55 ?= build-cm55
BUILD_VALGRIND ?= build-valgrind
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
TML_SHARED ?= $(abspath ../shared)
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
export TML_SHARED

.PHONY: all deps test test-host test-asan test-valgrind test-target fuzz \
        fuzz-build bench-cortex-m demo clean

all: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh build

# Every test: the unit and golden tests, then the same again under
# AddressSanitizer and UndefinedBehaviorSanitizer and under valgrind, on
# Cortex-M4/M55 (QEMU), and every fuzz target for FUZZ_SECONDS (60) each.
test: test-host test-asan test-valgrind test-target fuzz

test-host: all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTML_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

# The release build's suite with every test run by valgrind memcheck (no
# suppressions): an invalid access, an uninitialised read or a leak fails it.
test-valgrind: deps
	@scripts/deps.sh valgrind
	cmake -S . -B $(BUILD_VALGRIND) -DCMAKE_BUILD_TYPE=Release \
	  "-DCMAKE_CROSSCOMPILING_EMULATOR=valgrind;-q;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite" >/dev/null
	cmake --build $(BUILD_VALGRIND) -j $(JOBS)
	ctest --test-dir $(BUILD_VALGRIND) --output-on-failure -j $(JOBS)

# libFuzzer targets (clang, ASan+UBSan), each run for FUZZ_SECONDS from seeds
# made from ../shared and the unit tests' models: `make fuzz FUZZ_SECONDS=3600`.
# Then the C that `tml compile` makes of up to 100 of those models must build
# and run clean under ASan+UBSan, with the interpreter's output.
fuzz: all fuzz-build
	fuzz/run.sh $(BUILD_FUZZ) $(BUILD) $(FUZZ_SECONDS)
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTML_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target tml
	fuzz/compiled.sh $(BUILD)/tml $(BUILD_ASAN)/libtml.a 100 \
	  $(BUILD_FUZZ)/seeds/models fuzz/corpus-compile

fuzz-build:
	@scripts/deps.sh fuzz
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTML_FUZZ=ON -DTML_TESTS=OFF >/dev/null
	cmake --build $(BUILD_FUZZ) -j $(JOBS)

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
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_VALGRIND) $(BUILD_FUZZ) $(BUILD_CM4) \
	  $(BUILD_CM55)
