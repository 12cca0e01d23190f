#!/usr/bin/env bash
# The emulated device (issue 8): the light-bulb firmware for the TI
# LM3S6965 boots in QEMU (lm3s6965evb), reaches tern-server through
# UART0, SLIP and tools/slip-bridge, and plays the paper's scenario:
# register, reads, a switch by the server, observe, the wall switch on the
# device -> notifications, Execute Reboot (the chip resets and registers
# again), de-register. Also checks the device's clock against the host's
# and its painted stack peak against the 1,024-byte budget.
# Fails, saying why, when QEMU or the cross-compiler cannot run here.
# Usage: qemu_lightbulb.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER=$1/tools/tern-server/tern-server
BRIDGE=$1/tools/slip-bridge/slip-bridge
FIRMWARE=$1/qemu-firmware
STACK_BUDGET=1024

command -v qemu-system-arm >/dev/null ||
    fail "QEMU cannot start: qemu-system-arm is not installed (Debian package qemu-system-arm)"
qemu-system-arm -machine help 2>/dev/null | grep -q '^lm3s6965evb' ||
    fail "QEMU cannot start: this qemu-system-arm has no lm3s6965evb board"
command -v arm-none-eabi-gcc >/dev/null ||
    fail "cannot build the firmware: arm-none-eabi-gcc is not installed (gcc-arm-none-eabi)"
"$ROOT/scripts/qemu.sh" build "$FIRMWARE" >"$WORK/build.log" 2>&1 || fail "the firmware does not build"
pass "firmware built: $(sed -n 's/^qemu: firmware [^:]*: //p' "$WORK/build.log")"
"$ROOT/scripts/qemu.sh" stack "$FIRMWARE" >"$WORK/stack.log" 2>&1 || fail "the static stack analysis failed"
pass "static stack bound (informational): $(grep -E '^  (request|notification) path ' "$WORK/stack.log" |
    sed 's/^  //; s/  */ /g' | paste -sd ';')"

cat >"$WORK/scenario" <<'SCRIPT'
wait-registered qemu-bulb 60s
read qemu-bulb /3/0/0 expect-value Tern
read qemu-bulb /3/0/3 expect-value 1.0.0
read qemu-bulb /3/0 tlv expect-value /3/0/17="light bulb"
read qemu-bulb /3311/0/5850 expect-value false
discover qemu-bulb /3311/0 expect-contains </3311/0/5850>
write qemu-bulb /3311/0/5850 true
read qemu-bulb /3311/0/5850 expect-value true
write qemu-bulb /3311/0/5851 40
read qemu-bulb /3311/0 tlv expect-value /3311/0/5851=40
read qemu-bulb /9999 expect 4.04
write qemu-bulb /3311/0/5805 1 expect 4.05
observe qemu-bulb /3311/0/5850 expect-value true
echo observing
wait-notify qemu-bulb /3311/0/5850 false 30s
wait-notify qemu-bulb /3311/0/5850 true 30s
exec qemu-bulb /3/0/4
wait-registered qemu-bulb 60s
read qemu-bulb /3311/0/5850 expect-value false
echo rebooted
wait-deregistered qemu-bulb 30s
SCRIPT
start_bg server "$SERVER" --port 0 --script "$WORK/scenario"
server_pid=${PIDS[-1]}
wait_for_line "$WORK/server.log" 'listening'
port=$(sed -n 's/.*listening on coap:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)

# QEMU waits for the bridge to connect before it starts the CPU.
sock=$WORK/uart0.sock
start_bg qemu qemu-system-arm -M lm3s6965evb -nographic -monitor none -kernel "$FIRMWARE/image.elf" \
    -serial "unix:$sock,server=on,wait=on" </dev/null
qemu_pid=${PIDS[-1]}
mkfifo "$WORK/device.in"
exec 7<>"$WORK/device.in"
start_bg device "$BRIDGE" --serial "unix:$sock" --wait 20 --server "coap://127.0.0.1:$port" \
    --endpoint qemu-bulb --lifetime 60 --exit-on-bye <"$WORK/device.in"
bridge_pid=${PIDS[-1]}
for _ in $(seq 200); do
    grep -q 'slip-bridge: connected' "$WORK/device.log" 2>/dev/null && break
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU cannot start: it exited: $(tr '\n' ' ' <"$WORK/qemu.log")"
    kill -0 "$bridge_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q 'slip-bridge: connected' "$WORK/device.log" ||
    fail "QEMU cannot start: its serial line never came up: $(tr '\n' ' ' <"$WORK/qemu.log")"
wait_for_line "$WORK/device.log" '^slip-bridge: the device started: tern-qemu-bulb' 20
pass "QEMU boots the firmware; it says hello over SLIP"
wait_for_line "$WORK/device.log" '^lwm2m: registered' 60
pass "the bulb registered with tern-server"

wait_for_line "$WORK/server.log" '^observing' 60
pass "reads, discover, writes, error codes and observe as the script expects"
sleep 0.3
echo off >&7
wait_for_line "$WORK/device.log" 'bulb: OFF.*local switch'
wait_for_line "$WORK/server.log" '^notification qemu-bulb /3311/0/5850.*observe 2' 20
sleep 0.3
echo on >&7
wait_for_line "$WORK/server.log" '^notification qemu-bulb /3311/0/5850.*observe 3' 20
pass "the wall switch on the device: two notifications"

wait_for_line "$WORK/device.log" '^bulb: reboot, restarting' 20
wait_for_line "$WORK/server.log" '^rebooted' 60
expect_eq "hellos: the chip reset on Execute /3/0/4 and booted again" 2 \
    "$(grep -c '^slip-bridge: the device started' "$WORK/device.log")"

# The device's SysTick clock against the host's, over 3 s.
uptime_at() {
    local before
    before=$(grep -c '^bulb: up ' "$WORK/device.log" || true)
    echo status >&7
    for _ in $(seq 100); do
        [ "$(grep -c '^bulb: up ' "$WORK/device.log" || true)" -gt "$before" ] && break
        sleep 0.02
    done
    grep '^bulb: up ' "$WORK/device.log" | tail -1 | tr -dc '0-9'
}
t0=$(date +%s%3N)
d0=$(uptime_at)
sleep 3
t1=$(date +%s%3N)
d1=$(uptime_at)
host=$((t1 - t0))
dev=$((d1 - d0))
# 25 %: catches a wrong clock assumption (QEMU's reset clock is 12.5 MHz,
# the PLL's 50 MHz), not the odd tick a loaded host makes QEMU merge
[ -n "$d0" ] && [ -n "$d1" ] && [ $((dev * 4)) -ge $((host * 3)) ] && [ $((dev * 4)) -le $((host * 5)) ] ||
    fail "device clock: ${dev} ms passed on the device while ${host} ms passed on the host"
pass "device clock: ${dev} ms on the device for ${host} ms on the host"

echo quit >&7
set +e
wait "$server_pid"
server_rc=$?
wait "$bridge_pid"
bridge_rc=$?
set -e
expect_eq "tern-server's script: every step as expected" 0 "$server_rc"
expect_eq "the bridge exits 0 after the device's BYE" 0 "$bridge_rc"
grep -q '^device: I lwm2m: de-registered from server 1 (2.02)' "$WORK/device.log" ||
    fail "the device did not log its de-registration"
! grep -q '^fault:' "$WORK/device.log" || fail "the device faulted: $(grep '^fault:' "$WORK/device.log")"
# one report before the reboot, one at the end
peak=$(sed -n 's/^stack: peak \([0-9]*\) B.*/\1/p' "$WORK/device.log" | sort -n | tail -1)
[ -n "$peak" ] || fail "no stack report from the device"
[ "$peak" -le $STACK_BUDGET ] ||
    fail "painted stack peak $peak B exceeds the budget of $STACK_BUDGET B (issue 8)"
pass "painted stack peak $peak B <= $STACK_BUDGET B"
exec 7>&-
