# CMake toolchain file: TML for Arm Cortex-M with arm-none-eabi-gcc.
#
#   cmake -S . -B build-cm4  -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake
#   cmake -S . -B build-cm55 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
#         -DTML_CPU=cortex-m55
#
# TML_CPU picks the core:
#   cortex-m4   (default) -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
#               (Cortex-M4F: DSP extension, single-precision FPU; QEMU mps2-an386)
#   cortex-m55  -mcpu=cortex-m55 -mfloat-abi=hard (Helium/MVE, double FPU;
#               QEMU mps3-an547)
# Only the compiler and the core flags are set here; how a firmware is linked
# (startup, linker script, semihosting) is the port's business:
# port/cortex-m/firmware.cmake. `scripts/deps.sh target` installs the toolchain.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(TML_CPU "cortex-m4" CACHE STRING "Cortex-M core: cortex-m4 or cortex-m55")
set_property(CACHE TML_CPU PROPERTY STRINGS cortex-m4 cortex-m55)
# try_compile projects re-read this file: hand them the core.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TML_CPU)

find_program(TML_ARM_GCC arm-none-eabi-gcc)
if(NOT TML_ARM_GCC)
  message(FATAL_ERROR "arm-none-eabi-gcc not found: install the Cortex-M "
          "toolchain with `scripts/deps.sh target` (Debian: gcc-arm-none-eabi "
          "libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm)")
endif()
get_filename_component(TML_ARM_BIN "${TML_ARM_GCC}" DIRECTORY)
set(CMAKE_C_COMPILER "${TML_ARM_GCC}")
set(CMAKE_ASM_COMPILER "${TML_ARM_GCC}")
set(CMAKE_AR "${TML_ARM_BIN}/arm-none-eabi-ar" CACHE FILEPATH "")
set(CMAKE_RANLIB "${TML_ARM_BIN}/arm-none-eabi-ranlib" CACHE FILEPATH "")
set(CMAKE_SIZE "${TML_ARM_BIN}/arm-none-eabi-size" CACHE FILEPATH "")
set(CMAKE_NM "${TML_ARM_BIN}/arm-none-eabi-nm" CACHE FILEPATH "")
set(CMAKE_OBJDUMP "${TML_ARM_BIN}/arm-none-eabi-objdump" CACHE FILEPATH "")

if(TML_CPU STREQUAL "cortex-m4")
  set(TML_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
elseif(TML_CPU STREQUAL "cortex-m55")
  set(TML_CPU_FLAGS "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
else()
  message(FATAL_ERROR "TML_CPU=${TML_CPU}: use cortex-m4 or cortex-m55")
endif()

# Every function and object in its own section, so the firmware's
# --gc-sections drops what a model does not use.
set(CMAKE_C_FLAGS_INIT "${TML_CPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${TML_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${TML_CPU_FLAGS}")

# Without the port's startup and linker script no test program links: the
# compiler checks build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
