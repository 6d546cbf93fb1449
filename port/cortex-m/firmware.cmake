# Firmware builds for Cortex-M under QEMU (included by the top-level
# CMakeLists.txt when configured with cmake/arm-none-eabi.cmake).
#
# Provides:
#   tml_port             object library: startup (vectors, reset, semihosting
#                        exit, fault report, perf markers) and stack painting
#   tml_add_firmware(NAME SOURCES ... [LIBS ...] [DEFINES ...]
#                    [INCLUDES ...] [STACK bytes])
#                        NAME.elf (+ NAME.map) linked for the board of TML_CPU
#   insncount            BUILD/insncount.so, the instruction-counting QEMU
#                        plugin (port/qemu-plugin), built with the host compiler
#   TML_RUN              port/cortex-m/run.sh (QEMU runner)
#   TML_BOARD            mps2-an386 (cortex-m4) or mps3-an547 (cortex-m55)
#   TML_HOST_CC          the host C compiler, for build-time generators

set(TML_PORT_DIR ${CMAKE_CURRENT_LIST_DIR})
get_filename_component(TML_SOURCE_DIR ${TML_PORT_DIR}/../.. ABSOLUTE)
set(TML_RUN ${TML_PORT_DIR}/run.sh)

# -O2 by default (the project's flag); -Os trades speed for flash, see
# docs/cortex-m.md for the measured difference.
set(TML_FIRMWARE_OPT "-O2" CACHE STRING "Optimisation flags of the firmware build")
set(CMAKE_C_FLAGS_RELEASE "${TML_FIRMWARE_OPT}")

# The toolchain file puts the core flags in CMAKE_C_FLAGS_INIT, which a
# -DCMAKE_C_FLAGS=... on the command line replaces: put them back.
if(NOT " ${CMAKE_C_FLAGS} " MATCHES " -mcpu=")
  string(PREPEND CMAKE_C_FLAGS "${TML_CPU_FLAGS} -ffunction-sections -fdata-sections ")
endif()
if(NOT " ${CMAKE_EXE_LINKER_FLAGS} " MATCHES " -mcpu=")
  string(PREPEND CMAKE_EXE_LINKER_FLAGS "${TML_CPU_FLAGS} ")
endif()

if(TML_CPU STREQUAL "cortex-m55")
  set(TML_BOARD mps3-an547)
else()
  set(TML_BOARD mps2-an386)
endif()

find_program(TML_HOST_CC NAMES cc gcc clang)
if(NOT TML_HOST_CC)
  message(FATAL_ERROR "no host C compiler (cc) for the build-time generators: "
          "run scripts/deps.sh build")
endif()

add_library(tml_port OBJECT ${TML_PORT_DIR}/startup.c ${TML_PORT_DIR}/stack.c)
target_include_directories(tml_port PUBLIC ${TML_PORT_DIR})
target_compile_options(tml_port PRIVATE ${TML_WARNINGS})

set(TML_INSNCOUNT ${CMAKE_BINARY_DIR}/insncount.so)
add_custom_command(
  OUTPUT ${TML_INSNCOUNT}
  COMMAND ${TML_HOST_CC} -std=c99 -O2 -Wall -Wextra -Werror -pedantic -shared
          -fPIC -fvisibility=hidden -o ${TML_INSNCOUNT}
          ${TML_SOURCE_DIR}/port/qemu-plugin/insncount.c
  DEPENDS ${TML_SOURCE_DIR}/port/qemu-plugin/insncount.c
          ${TML_SOURCE_DIR}/port/qemu-plugin/qemu-plugin-api.h
  COMMENT "Building the QEMU plugin insncount.so (host)" VERBATIM)
add_custom_target(insncount ALL DEPENDS ${TML_INSNCOUNT})

function(tml_add_firmware name)
  cmake_parse_arguments(FW "" "STACK" "SOURCES;LIBS;DEFINES;INCLUDES" ${ARGN})
  if(NOT FW_STACK)
    set(FW_STACK 8192)
  endif()
  add_executable(${name} ${FW_SOURCES} $<TARGET_OBJECTS:tml_port>)
  set_target_properties(${name} PROPERTIES SUFFIX .elf)
  target_include_directories(${name} PRIVATE ${TML_PORT_DIR} ${FW_INCLUDES})
  target_compile_definitions(${name} PRIVATE ${FW_DEFINES})
  target_compile_options(${name} PRIVATE ${TML_WARNINGS})
  target_link_options(${name} PRIVATE
    --specs=nano.specs --specs=rdimon.specs -nostartfiles -Wl,--gc-sections
    -L${TML_PORT_DIR} -T ${TML_BOARD}.ld -Wl,--defsym=__stack_size=${FW_STACK}
    -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map)
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
    ${TML_PORT_DIR}/sections.ld ${TML_PORT_DIR}/${TML_BOARD}.ld)
  target_link_libraries(${name} PRIVATE ${FW_LIBS})
endfunction()
