#!/bin/sh
# Make sure the Debian packages a make target needs are installed.
# usage: scripts/deps.sh GROUP...   (groups: build target fuzz valgrind)
# Installs with apt-get when run as root (or with sudo available without a
# password); otherwise prints the exact command and fails.
set -eu

pkgs=""
need() { # need COMMAND PACKAGE...
  cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 || pkgs="$pkgs $*"
}
for group in "$@"; do
  case $group in
    build)
      need cc gcc libc6-dev
      need make make
      need cmake cmake ;;
    target)
      need arm-none-eabi-gcc gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
      # newlib-nano and its semihosting library ship apart from the compiler.
      command -v arm-none-eabi-gcc >/dev/null 2>&1 &&
        [ -z "$(arm-none-eabi-gcc -mthumb -mcpu=cortex-m4 -mfloat-abi=hard \
                -mfpu=fpv4-sp-d16 -print-file-name=librdimon_nano.a | grep /)" ] &&
        pkgs="$pkgs libnewlib-arm-none-eabi"
      need qemu-system-arm qemu-system-arm ;;
    fuzz)
      need clang clang
      # libFuzzer's runtime ships in libclang-rt-<version>-dev.
      if command -v clang >/dev/null 2>&1; then
        v=$(clang -dumpversion | cut -d. -f1)
        [ -n "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a | grep /)" ] &&
          [ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ] ||
          pkgs="$pkgs libclang-rt-$v-dev"
      else
        pkgs="$pkgs libclang-rt-14-dev"
      fi ;;
    valgrind)
      need valgrind valgrind ;;
    *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
  esac
done
[ -z "$pkgs" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "missing packages:$pkgs" >&2
  echo "install them with: sudo apt-get install -y --no-install-recommends$pkgs" >&2
  exit 1
fi
echo "installing:$pkgs" >&2
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
