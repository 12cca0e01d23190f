#!/usr/bin/env bash
# cmake --install puts headers, libraries, tern.pc and the CMake package
# in a prefix; a project outside the tree then builds against them, once
# with find_package(tern) and once with pkg-config, and runs.
# Usage: install_package.sh BUILD_DIR
# TERN_CONSUMER_FLAGS: extra compiler flags for the consumer (the
# sanitizers, when the library was built with them).
source "$(dirname "$0")/lib.sh"
BUILD=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$WORK/prefix

cmake --install "$BUILD" --prefix "$prefix" >"$WORK/install.log" 2>&1 || fail "cmake --install failed"
for f in include/tern/tern.h include/tern/port.h include/tern/posix.h lib/libtern.a \
    lib/libtern_posix.a lib/pkgconfig/tern.pc lib/cmake/tern/ternConfig.cmake; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done
pass "headers, libraries, tern.pc and the CMake package are installed"

FLAGS=${TERN_CONSUMER_FLAGS:-}
cmake -S "$SRC/tests/integration/consumer" -B "$WORK/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" \
    >"$WORK/configure.log" 2>&1 || fail "find_package(tern) failed (see configure.log)"
cmake --build "$WORK/consumer" >"$WORK/build.log" 2>&1 || fail "the consumer does not build with find_package"
expect_eq "find_package(tern) consumer runs" "consumer: registering" "$("$WORK/consumer/consumer")"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046,SC2086
cc -std=c99 $FLAGS -o "$WORK/consumer_pc" "$SRC/tests/integration/consumer/main.c" \
    $(pkg-config --cflags --libs tern) >"$WORK/pkgconfig.log" 2>&1 || fail "the consumer does not build with pkg-config"
expect_eq "pkg-config consumer runs" "consumer: registering" "$("$WORK/consumer_pc")"
