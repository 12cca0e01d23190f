#!/usr/bin/env bash
# End to end, firmware pull from a file server that dies (issue 7): the
# tern-server serving the Package URI (--files) is killed in the middle
# of the download.
#   - coap://: the bulb retransmits its GET as RFC 7252 says and gives up
#     after MAX_TRANSMIT_WAIT (62..93 s with Tern's defaults: nothing tells
#     a plain-UDP client sooner that the server is gone), ends in Update
#     Result 4 (connection lost) and State Idle, and keeps running its old
#     firmware; with the file server back on the same port, writing the
#     URI again downloads the package.
#   - coaps://: the DTLS socket is connected, the ICMP port unreachable
#     ends the session, and the download ends with it, in seconds: 4.
# Usage: e2e_firmware_lost.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_firmware.sh"
source "$(dirname "$0")/lib_dtls.sh"

files=$WORK/files
mkdir -p "$files"
make_package "$files/fw.pkg" bulb 1.3.0 600K

# --- coaps:// first: quick ---
psk=(--psk-identity sb1 --psk-key "$PSK_KEY")
start_server ssrv "${psk[@]}"
start_files sslow "$files" 0 --block-size 16 "${psk[@]}"
start_sbulb sbulb sb1 "${PORT[ssrv]}" "${psk[@]}" --firmware-dir "$WORK/sfw"
srv ssrv "wait-registered sb1 20s"
srv ssrv "write sb1 /5/0/1 \"coaps://127.0.0.1:${PORT[sslow]}/fw.pkg\""
wait_for_line "$WORK/sslow.log" '"event":"file-progress"' 20
kill_wait sslow
killed_at=$SECONDS
wait_for_line "$WORK/sbulb.log" 'firmware: download failed after [0-9]+ bytes, result 4' 20
expect_eq "coaps: Update Result 4 (connection lost) after $((SECONDS - killed_at)) s" 4 "$(value_of ssrv sb1 /5/0/5)"
expect_eq "coaps: State Idle" 0 "$(value_of ssrv sb1 /5/0/3)"
grep -qE 'dtls: session with .* ended: the server is gone' "$WORK/sbulb.log" || fail "the bulb did not log the lost session"
pass "coaps: the bulb logged the lost session"

# --- coap:// ---
start_server srv
start_files slow "$files" 0 --block-size 16
fport=${PORT[slow]}
uri="coap://127.0.0.1:$fport/fw.pkg"
start_bulb bulb b1 "${PORT[srv]}" --lifetime 120 --firmware-dir "$WORK/fw" --state-file "$WORK/bulb.state"
srv srv "wait-registered b1"

srv srv "write b1 /5/0/1 \"$uri\""
wait_for_line "$WORK/slow.log" '"event":"file-progress"' 20
kill_wait slow
got=$(field "$(last_event "$WORK/slow.log" '"event":"file-progress"')" bytes)
killed_at=$SECONDS
pass "file server killed after it served $got bytes"
expect_eq "while the bulb waits: State Downloading" 1 "$(value_of srv b1 /5/0/3)"
wait_for_line "$WORK/bulb.log" 'firmware: download failed after [0-9]+ bytes, result 4' 110
expect_eq "Update Result 4 (connection lost) after $((SECONDS - killed_at)) s" 4 "$(value_of srv b1 /5/0/5)"
expect_eq "State Idle" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "the old firmware runs" 1.0.0 "$(value_of srv b1 /3/0/3)"
grep -qE 'lwm2m: download stopped after [0-9]+ bytes' "$WORK/bulb.log" || fail "the bulb did not log the lost download"
pass "the bulb logged the lost download"

# the file server is back (same port): a new attempt works
start_files back "$files" "$fport"
srv srv "write b1 /5/0/1 \"$uri\""
wait_value srv b1 /5/0/3 2 30
expect_eq "the new attempt: Update Result" 0 "$(value_of srv b1 /5/0/5)"
expect_eq "the new attempt: PkgVersion" 1.3.0 "$(value_of srv b1 /5/0/7)"
ev=$(last_event "$WORK/back.log" '"event":"file-served"')
expect_eq "the new attempt fetched it whole, from the start" "$(stat -c %s "$files/fw.pkg")" "$(field "$ev" bytes)"

no_sanitizer_reports
pass "no sanitizer reports"
