#!/usr/bin/env bash
# The emulated device: the light-bulb firmware for the TI LM3S6965 on
# QEMU's lm3s6965evb, talking SLIP over UART0 to tools/slip-bridge.
#
#   scripts/qemu.sh build [DIR]   cross-compile the firmware into DIR
#                                 (default build-qemu): image.elf, image.map,
#                                 and per object .su/.ci (stack use, call graph)
#   scripts/qemu.sh stack [DIR]   static stack analysis of that build
#                                 (tools/footprint/stack.py)
#   scripts/qemu.sh demo          build everything and play the paper's
#                                 scenario against tern-server (make qemu-demo)
#   scripts/qemu.sh run --server coap://A.B.C.D:PORT [BRIDGE OPTIONS]
#                                 boot the bulb against a server of your own
#                                 (endpoint qemu-bulb unless --endpoint); type
#                                 on, off, dim N, status, stack, quit
#
# QEMU's serial line is a Unix socket that slip-bridge connects to; QEMU
# waits for that connection before it starts the CPU, so no byte is lost.
set -euo pipefail
cd "$(dirname "$0")/.."

CC=arm-none-eabi-gcc
ARCH=(-mcpu=cortex-m3 -mthumb)
CFLAGS=("${ARCH[@]}" -std=c99 -Os -g -ffunction-sections -fdata-sections -Wall -Wextra -Werror
        -fstack-usage -fcallgraph-info=su
        -DTERN_CONFIG_FILE='"tern/profiles/qemu.h"' -Iinclude -Isrc -Iports/cortex-m)
PORT_SOURCES=(startup.c stack.c clock.c uart.c slip.c link.c fmt.c random.c
              cm_port.c cm_net.c cm_config.c cm_fault.c lightbulb/main.c)
# No heap: every allocator entry point (newlib's reentrant ones too) is
# wrapped, so a reference becomes one to an undefined __wrap_* symbol
# and the link fails.
NO_HEAP=()
for f in malloc free calloc realloc _malloc_r _free_r _calloc_r _realloc_r; do
    NO_HEAP+=("-Wl,--wrap=$f")
done

# qemu_machine_ok: QEMU is installed and emulates the board, or why not.
qemu_machine_ok() {
    if ! command -v qemu-system-arm >/dev/null; then
        echo "qemu-system-arm is not installed (Debian package qemu-system-arm)"
        return 1
    fi
    if ! qemu-system-arm -machine help 2>/dev/null | grep -q '^lm3s6965evb'; then
        echo "this qemu-system-arm does not emulate the lm3s6965evb board"
        return 1
    fi
}

build() {
    local out=${1:-build-qemu}
    command -v $CC >/dev/null || { echo "qemu.sh: $CC is not installed (gcc-arm-none-eabi)" >&2; exit 1; }
    rm -rf "$out/obj"
    mkdir -p "$out/obj"
    local srcs=() objs=() running=0 failed=0 max
    max=$(nproc)
    mapfile -t srcs < <(find src -name '*.c' | sort)
    for f in "${PORT_SOURCES[@]}"; do srcs+=("ports/cortex-m/$f"); done
    for src in "${srcs[@]}"; do
        local obj
        obj=$out/obj/${src//\//__}.o
        if [ $running -ge "$max" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
        $CC "${CFLAGS[@]}" -c "$src" -o "$obj" &
        running=$((running + 1))
        objs+=("$obj")
    done
    for _ in $(seq $running); do wait -n || failed=1; done
    [ $failed -eq 0 ] || { echo "qemu.sh: compilation failed" >&2; exit 1; }
    $CC "${ARCH[@]}" -nostartfiles --specs=nano.specs -Wl,--gc-sections \
        -Wl,-T,ports/cortex-m/lm3s6965.ld -Wl,-Map,"$out/image.map" "${NO_HEAP[@]}" \
        "${objs[@]}" -lc_nano -lgcc -o "$out/image.elf"
    sizes "$out"
}

# sizes DIR: flash and static RAM of DIR/image.elf
sizes() {
    local text data bss
    read -r text data bss _ < <(arm-none-eabi-size -B "$1/image.elf" | awk 'NR==2')
    echo "qemu: firmware $1/image.elf: flash $((text + data)) B, static RAM $((data + bss)) B" \
         "(data $data, bss $bss), stack up to $((64 * 1024 - data - bss)) B"
}

stack() {
    local out=${1:-build-qemu}
    [ -f "$out/image.elf" ] || build "$out"
    python3 tools/footprint/stack.py --elf "$out/image.elf" --objdir "$out/obj" \
        --root main --irq tern_cm_uart0_handler --irq tern_cm_systick_handler \
        --path "request=tern_request_handle" --path "notification=tern_observe_step" "${@:2}"
}

# start_device WORKDIR IMAGE BRIDGE_ARGS...: QEMU and slip-bridge in the
# background; their PIDs in QEMU_PID and BRIDGE_PID, the bridge's output
# in WORKDIR/device.log, its input from the FIFO WORKDIR/device.in
# (keep fd 7 open on it to type commands: echo on >&7).
start_device() {
    local work=$1 image=$2
    shift 2
    local why
    if ! why=$(qemu_machine_ok); then
        echo "qemu.sh: QEMU cannot start: $why" >&2
        return 1
    fi
    local sock=$work/uart0.sock
    qemu-system-arm -M lm3s6965evb -nographic -monitor none -kernel "$image" \
        -serial "unix:$sock,server=on,wait=on" >"$work/qemu.log" 2>&1 </dev/null &
    QEMU_PID=$!
    mkfifo "$work/device.in"
    exec 7<>"$work/device.in"
    "$BRIDGE" --serial "unix:$sock" --wait 10 "$@" <"$work/device.in" >"$work/device.log" 2>&1 &
    BRIDGE_PID=$!
}

demo() {
    scripts/build.sh build >/dev/null
    build build-qemu >/dev/null
    BRIDGE=build/tools/slip-bridge/slip-bridge
    local server=build/tools/tern-server/tern-server
    # globals: the EXIT trap runs after demo() has returned
    work=$(mktemp -d /tmp/tern-qemu-demo.XXXXXX)
    pids=()
    # shellcheck disable=SC2317
    cleanup() {
        local status=$?
        for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
        for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
        if [ $status -ne 0 ]; then
            echo "qemu-demo: FAILED; logs in $work" >&2
        else
            rm -rf "$work"
        fi
        exit $status
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    say() { printf '\n>>> %s\n' "$*"; }
    # waits up to $3 s for a line matching $2 in file $1
    wait_line() {
        local deadline=$((SECONDS + ${3:-20}))
        while [ $SECONDS -lt $deadline ]; do
            grep -qE "$2" "$1" 2>/dev/null && return 0
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.05
        done
        echo "qemu-demo: no /$2/ in $(basename "$1")" >&2
        return 1
    }

    cat >"$work/scenario" <<'SCRIPT'
echo --- 1. the bulb registers (firmware in QEMU, datagrams over SLIP and slip-bridge)
wait-registered qemu-bulb 60s
echo --- 2. the server reads the device and the lamp's state
read qemu-bulb /3/0/0 expect-value Tern
read qemu-bulb /3/0/1
read qemu-bulb /3311/0/5850 expect-value false
echo --- 3. the server switches the bulb on
write qemu-bulb /3311/0/5850 true
read qemu-bulb /3311/0/5850 expect-value true
echo --- 4. the server observes the lamp
observe qemu-bulb /3311/0/5850
echo --- 5. the wall switch: someone turns the bulb off on the device
wait-notify qemu-bulb /3311/0/5850 false 30s
echo --- 6. and on again
wait-notify qemu-bulb /3311/0/5850 true 30s
echo --- 7. the bulb de-registers
wait-deregistered qemu-bulb 30s
SCRIPT
    say "tern-server on udp/127.0.0.1 (a free port), playing:"
    sed 's/^/    /' "$work/scenario"
    "$server" --port 0 --script "$work/scenario" > >(tee "$work/server.log" | sed -u 's/^/  server | /') 2>&1 &
    local server_pid=$!
    pids+=("$server_pid")
    wait_line "$work/server.log" 'listening'
    local port
    port=$(sed -n 's/.*listening on coap:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)
    say "booting the firmware in QEMU (lm3s6965evb), bridge to coap://127.0.0.1:$port"
    start_device "$work" build-qemu/image.elf --server "coap://127.0.0.1:$port" \
        --endpoint qemu-bulb --lifetime 60 --exit-on-bye
    pids+=("$QEMU_PID" "$BRIDGE_PID")
    tail -n +1 -f "$work/device.log" --pid="$BRIDGE_PID" | sed -u 's/^/  device | /' &
    pids+=("$!")
    wait_line "$work/server.log" '^observe qemu-bulb /3311/0/5850: 2.05' 60
    sleep 0.5
    say "local switch: 'off' typed on the bridge"
    echo off >&7
    wait_line "$work/server.log" '^notification qemu-bulb /3311/0/5850.*observe 2' 30
    sleep 0.5
    say "local switch: 'on'"
    echo on >&7
    wait_line "$work/server.log" '^notification qemu-bulb /3311/0/5850.*observe 3' 30
    sleep 0.5
    say "quit: the bulb de-registers and reports its stack"
    echo quit >&7
    local rc=0
    wait "$server_pid" || rc=$?
    wait "$BRIDGE_PID" || rc=$?
    sleep 0.2
    [ $rc -eq 0 ] || { echo "qemu-demo: the scenario failed (status $rc)" >&2; exit 1; }
    grep -q '^stack: peak' "$work/device.log" || { echo "qemu-demo: no stack report" >&2; exit 1; }
    say "static RAM and stack:"
    sizes build-qemu | sed 's/^qemu: /    /'
    echo "    $(grep '^stack: peak' "$work/device.log" | tail -1), during the scenario"
    stack build-qemu | sed 's/^/    /'
    echo
    echo "qemu-demo: every step happened"
}

run() {
    scripts/build.sh build >/dev/null
    build build-qemu
    BRIDGE=build/tools/slip-bridge/slip-bridge
    local why
    if ! why=$(qemu_machine_ok); then
        echo "qemu.sh: QEMU cannot start: $why" >&2
        exit 1
    fi
    # globals: the EXIT trap runs after run() has returned
    run_dir=$(mktemp -d /tmp/tern-qemu-run.XXXXXX)
    # its own session: Ctrl-C goes to the bridge, which asks the bulb to
    # de-register first, and not to QEMU, which would stop at once
    setsid qemu-system-arm -M lm3s6965evb -nographic -monitor none -kernel build-qemu/image.elf \
        -serial "unix:$run_dir/uart0.sock,server=on,wait=on" >"$run_dir/qemu.log" 2>&1 </dev/null &
    qemu_pid=$!
    trap 'kill $qemu_pid 2>/dev/null; wait $qemu_pid 2>/dev/null; rm -rf "$run_dir"' EXIT
    trap 'exit 1' TERM HUP PIPE
    "$BRIDGE" --serial "unix:$run_dir/uart0.sock" --wait 10 --exit-on-bye --endpoint qemu-bulb "$@"
}

cmd=${1:-}
shift || true
case $cmd in
build) build "$@" ;;
stack) stack "$@" ;;
demo) demo ;;
run) run "$@" ;;
*)
    sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
