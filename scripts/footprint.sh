#!/usr/bin/env bash
# Cross-compiles Tern for a Cortex-M3 (TI LM3S6965) and prints flash and
# RAM per component, like the paper's tables I and II.
#   scripts/footprint.sh               build and print every profile
#   scripts/footprint.sh --build-only  build only (used by make check)
#   scripts/footprint.sh [--build-only] paper   only the profiles named
# TERN_FOOTPRINT_OUT picks the build directory (default build-footprint).
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
[ "${1:-}" = "--build-only" ] && { build_only=1; shift; }
profiles=("${@:-coap paper full}")
profiles=(${profiles[*]})

CC=arm-none-eabi-gcc
ARCH=(-mcpu=cortex-m3 -mthumb)
CFLAGS=("${ARCH[@]}" -std=c99 -Os -ffunction-sections -fdata-sections -Wall -Wextra -Werror
        -Iinclude -Isrc -Iports/cortex-m -Iports/cortex-m/footprint)
out=${TERN_FOOTPRINT_OUT:-build-footprint}
mkdir -p $out

build_profile() {
    local profile=$1 config=$2 main=$3
    local dir=$out/$profile
    rm -rf "$dir"
    mkdir -p "$dir/obj"
    local objs=()
    local defs=(-DTERN_CONFIG_FILE="\"$config\"")
    for src in $(find src -name '*.c' | sort) ports/cortex-m/startup.c ports/cortex-m/stack.c \
        ports/cortex-m/footprint/stub_port.c ports/cortex-m/footprint/$main; do
        local obj=$dir/obj/${src//\//_}.o
        # keep the source path in the object name for the report
        obj=$dir/obj/$(echo "$src" | sed 's|/|__|g').o
        $CC "${CFLAGS[@]}" "${defs[@]}" -c "$src" -o "$obj"
        objs+=("$obj")
    done
    $CC "${CFLAGS[@]}" "${defs[@]}" -Iports/cortex-m/footprint -c ports/cortex-m/footprint/sizes.c -o "$dir/sizes.o"
    arm-none-eabi-nm -S "$dir/sizes.o" > "$dir/sizes.nm"
    # No heap: a reference to malloc & co. becomes one to the undefined
    # __wrap_malloc & co. and fails the link.
    $CC "${ARCH[@]}" -nostartfiles --specs=nano.specs -Wl,--gc-sections \
        -Wl,-T,ports/cortex-m/lm3s6965.ld -Wl,-Map,"$dir/image.map" \
        -Wl,--wrap=malloc -Wl,--wrap=free -Wl,--wrap=calloc -Wl,--wrap=realloc \
        "${objs[@]}" -lc_nano -lgcc -o "$dir/image.elf"
    # map object names back to source paths for the report
    sed -i 's|obj/src__\([a-z0-9_-]*\)__\([a-z_0-9]*\)\.c\.o|/src/\1/\2.c.o|' "$dir/image.map"
    if [ $build_only -eq 0 ]; then
        # the same image with link-time optimisation, for one more line
        $CC "${ARCH[@]}" -Os -flto -ffunction-sections -fdata-sections -std=c99 "${defs[@]}" \
            -Iinclude -Isrc -Iports/cortex-m -Iports/cortex-m/footprint -nostartfiles \
            --specs=nano.specs -Wl,--gc-sections -Wl,-T,ports/cortex-m/lm3s6965.ld \
            -Wl,--wrap=malloc -Wl,--wrap=free -Wl,--wrap=calloc -Wl,--wrap=realloc \
            $(find src -name '*.c' | sort) ports/cortex-m/startup.c ports/cortex-m/stack.c \
            ports/cortex-m/footprint/stub_port.c ports/cortex-m/footprint/$main \
            -lc_nano -lgcc -o "$dir/image-lto.elf"
        local lto
        lto=$(arm-none-eabi-size -A "$dir/image-lto.elf" | awk '$1 ~ /^\.(text|rodata|data|vectors|ARM)/ && $1 != ".ARM.attributes" {s += $2} END {print s}')
        python3 tools/footprint/report.py "$profile" "$dir/image.map" "$dir/sizes.nm" "$lto"
    else
        echo "footprint: profile $profile builds ($(arm-none-eabi-size -B "$dir/image.elf" | awk 'NR==2 {print $1+$2 " B flash"}'))"
    fi
}

for profile in "${profiles[@]}"; do
    case $profile in
    coap) build_profile coap tern/profiles/coap_only.h main_coap.c ;;
    paper) build_profile paper tern/profiles/paper.h main_lwm2m.c ;;
    full) build_profile full tern/profiles/full.h main_lwm2m.c ;;
    *) echo "footprint: unknown profile $profile" >&2; exit 2 ;;
    esac
done
