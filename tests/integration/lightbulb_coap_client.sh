#!/usr/bin/env bash
# The light-bulb client against libcoap's tools (issue 3): coap-rd-notls
# takes the registration, coap-client-notls plays the LwM2M server and
# exercises Read (TLV and text), Write, Discover, Write-Attributes,
# Execute (with the reboot hook), Create/Delete, Observe with a
# notification after a local switch, and the error codes.
# libcoap 4.3.1's coap-rd answers Update with 4.05 and crashes on DELETE,
# so the lifetime is long and the bulb is not asked to de-register here
# (tests/integration/e2e_*.sh cover that against tern-server).
# Usage: lightbulb_coap_client.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
BULB=$1/examples/lightbulb/tern-lightbulb
TLV="python3 $(dirname "$0")/tlv.py"

rd=$(free_udp_port)
start_bg rd coap-rd-notls -A 127.0.0.1 -p "$rd"
sleep 0.2
bp=$(free_udp_port)
mkfifo "$WORK/bulb.in"
exec 7<>"$WORK/bulb.in" # read-write: opening does not wait for the reader
start_bg bulb "$BULB" --server "coap://127.0.0.1:$rd" --endpoint bulb1 --port "$bp" --lifetime 3600 <"$WORK/bulb.in"
wait_for_line "$WORK/bulb.log" "^lwm2m: registered"
pass "bulb registered with coap-rd-notls"
B="coap://127.0.0.1:$bp"

# coap: METHOD PATH [args...] -> stdout payload, stderr error code
coap() {
    local m=$1 p=$2
    shift 2
    coap-client-notls -B 5 -m "$m" "$@" "$B$p"
}
# code_of METHOD PATH [args...]: the error code libcoap printed, or "ok"
code_of() {
    local out
    out=$(coap "$@" 2>&1 >/dev/null | grep -oE '[245]\.[0-9]{2}' | head -1 || true)
    echo "${out:-ok}"
}

# Read: TLV of the Device instance, decoded independently
coap get /3/0 -A 11542 -o "$WORK/dev.tlv"
$TLV /3/0 <"$WORK/dev.tlv" >"$WORK/dev.txt"
hex() { printf '%s' "$1" | xxd -p; }
expect_eq "TLV /3/0/0 manufacturer" "/3/0/0 $(hex Tern)" "$(grep '^/3/0/0 ' "$WORK/dev.txt")"
expect_eq "TLV /3/0/3 firmware version" "/3/0/3 $(hex 1.0.0)" "$(grep '^/3/0/3 ' "$WORK/dev.txt")"
expect_eq "TLV /3/0/11/0 error code" "/3/0/11/0 00" "$(grep '^/3/0/11/0 ' "$WORK/dev.txt")"
expect_eq "TLV /3/0/16 bindings" "/3/0/16 $(hex U)" "$(grep '^/3/0/16 ' "$WORK/dev.txt")"
# Read as text
expect_eq "text /3/0/0" "Tern" "$(coap get /3/0/0 -A 0)"
expect_eq "text /3/0/1" "tern-lightbulb" "$(coap get /3/0/1 -A 0)"
expect_eq "text on an instance is 4.06" "4.06" "$(code_of get /3/0 -A 0)"

# Write and read back
expect_eq "text /3311/0/5850 before" "0" "$(coap get /3311/0/5850 -A 0)"
expect_eq "write /3311/0/5850" "ok" "$(code_of put /3311/0/5850 -t 0 -e 1)"
wait_for_line "$WORK/bulb.log" "bulb: ON, dimmer 100% \(set by the server\)"
pass "the bulb printed its new state"
expect_eq "text /3311/0/5850 after" "1" "$(coap get /3311/0/5850 -A 0)"
expect_eq "write dimmer in TLV" "ok" "$(code_of put /3311/0/5851 -t 11542 -e "$(printf '\xe1\x16\xdb\x28')")"
expect_eq "dimmer read back" "40" "$(coap get /3311/0/5851 -A 0)"
coap get /3311/0 -A 11542 -o "$WORK/light.tlv"
expect_eq "TLV /3311/0/5850 in the instance" "/3311/0/5850 01" "$(grep '^/3311/0/5850 ' <($TLV /3311/0 <"$WORK/light.tlv"))"

# Error codes
expect_eq "unknown object 4.04" "4.04" "$(code_of get /9999)"
expect_eq "unknown instance 4.04" "4.04" "$(code_of get /3311/7)"
expect_eq "write to read-only 4.05" "4.05" "$(code_of put /3311/0/5805 -t 0 -e 1)"
expect_eq "unsupported Accept 4.06" "4.06" "$(code_of get /3311/0/5850 -A 9999)"
expect_eq "unsupported Content-Format 4.15" "4.15" "$(code_of put /3311/0/5850 -t 9999 -e 1)"
expect_eq "bad TLV 4.00" "4.00" "$(code_of put /3311/0 -t 11542 -e "$(printf '\xe4\x16\xda\x01')")"
expect_eq "bad boolean text 4.00" "4.00" "$(code_of put /3311/0/5850 -t 0 -e yes)"
expect_eq "Security object 4.01" "4.01" "$(code_of get /0/0)"
expect_eq "execute a value 4.05" "4.05" "$(code_of post /3/0/0)"
expect_eq "bad execute arguments 4.00" "4.00" "$(code_of post /3/0/12 -e "x")"

# Discover and Write-Attributes
disc=$(coap get /3311/0 -A 40)
echo "$disc" | grep -q "</3311/0/5850>" || fail "discover /3311/0: '$disc'"
pass "discover /3311/0 lists 5850"
expect_eq "write-attributes" "ok" "$(code_of put "/3311/0/5851?pmin=1&pmax=30")"
expect_eq "discover shows attributes" "</3311/0/5851>;pmin=1;pmax=30" "$(coap get /3311/0/5851 -A 40)"
expect_eq "gt on a boolean 4.00" "4.00" "$(code_of put "/3311/0/5850?gt=1")"

# Create and Delete a second lamp
expect_eq "create /3311/1" "ok" "$(code_of post /3311 -t 11542 -e "$(printf '\x04\x01\xe1\x16\xda\x01')")"
expect_eq "new lamp read" "1" "$(coap get /3311/1/5850 -A 0)"
expect_eq "create it again 4.00" "4.00" "$(code_of post /3311 -t 11542 -e "$(printf '\x04\x01\xe1\x16\xda\x01')")"
expect_eq "delete /3311/1" "ok" "$(code_of delete /3311/1)"
expect_eq "deleted lamp 4.04" "4.04" "$(code_of get /3311/1/5850)"

# Observe: a local switch on the device produces notifications
coap get /3311/0/5850 -A 0 -s 6 >"$WORK/observe.out" 2>&1 &
PIDS+=($!)
sleep 1
echo off >&7
wait_for_line "$WORK/bulb.log" "bulb: OFF.*local switch"
sleep 0.5
echo on >&7
wait_for_line "$WORK/bulb.log" "bulb: ON.*local switch"
for _ in $(seq 50); do [ "$(cat "$WORK/observe.out")" = "101" ] && break; sleep 0.1; done
expect_eq "observe: initial value, then two notifications" "101" "$(cat "$WORK/observe.out")"

# Execute Reboot: the port hook restarts the bulb, which registers again.
# (Create and Delete made it re-register already: coap-rd answers their
# Updates with 4.05, which a client must take as "register again".)
before=$(grep -c '^lwm2m: registered' "$WORK/bulb.log")
expect_eq "execute reboot" "ok" "$(code_of post /3/0/4)"
wait_for_line "$WORK/bulb.log" "bulb: reboot, restarting"
for _ in $(seq 100); do
    [ "$(grep -c '^lwm2m: registered' "$WORK/bulb.log")" -gt "$before" ] && break
    sleep 0.1
done
expect_eq "registered again after the reboot" "$((before + 1))" "$(grep -c '^lwm2m: registered' "$WORK/bulb.log")"
expect_eq "the restarted bulb serves" "Tern" "$(coap get /3/0/0 -A 0)"
exec 7>&-
