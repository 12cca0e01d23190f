#!/usr/bin/env bash
# End to end, firmware update by pull (issue 7): the LwM2M server writes a
# Package URI (/5/0/1) on a second tern-server that serves files
# (--files, Block2), and tern-lightbulb --firmware-dir downloads it block
# by block:
#   - block-size negotiation: the bulb asks for 256-byte blocks and gets
#     them from a file server that would serve 1024; from one that serves
#     at most 64 it continues in 64-byte blocks;
#   - a package with a flipped image byte: "integrity check failure" (5);
#     a file the server does not have (4.04): "invalid URI" (7);
#   - an empty URI cancels a download under way: Idle, result 0;
#   - the bulb killed mid-download and started again: "connection lost"
#     (4) after the restart, the old firmware runs;
#   - a 200 KB package: Downloaded; it stays so, intact, across a reboot
#     (/3/0/4); Execute /5/0/2, the bulb restarts and registers again
#     running 1.2.0 with State 0 and Update Result 1;
#   - coaps://: a bulb registered over DTLS (PSK) pulls from a file server
#     with the same PSK.
# (A file server that dies mid-download is e2e_firmware_lost.sh.)
# Usage: e2e_firmware_pull.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_firmware.sh"
source "$(dirname "$0")/lib_dtls.sh"

files=$WORK/files
mkdir -p "$files"
make_package "$files/ok.pkg" bulb 1.2.0 200K
make_package "$files/small.pkg" bulb 1.0.9 20K
make_package "$files/bad.pkg" bulb 1.2.0 200K
corrupt "$files/bad.pkg" 150000
make_package "$files/slow.pkg" bulb 1.0.1 600K

start_server srv
srvlog=$WORK/srv.log
start_files big "$files"        # up to 1024-byte blocks
start_files tiny "$files" 0 --block-size 64
start_files slow "$files" 0 --block-size 16
bulb_args=(--lifetime 60 --firmware-dir "$WORK/fw" --state-file "$WORK/bulb.state")
start_bulb bulb b1 "${PORT[srv]}" "${bulb_args[@]}"
srv srv "wait-registered b1"
expect_eq "built-in firmware version" 1.0.0 "$(value_of srv b1 /3/0/3)"
uri() { echo "coap://127.0.0.1:${PORT[$1]}/$2"; }

# --- negotiation: the server's cap below the bulb's 256 ---
srv srv "write b1 /5/0/1 \"$(uri tiny small.pkg)\""
wait_value srv b1 /5/0/3 2
ev=$(last_event "$WORK/tiny.log" '"event":"file-served"')
expect_eq "a 64-byte server: the bulb followed its block size" 64 "$(field "$ev" block_size)"
expect_eq "...block by block" $((($(stat -c %s "$files/small.pkg") + 63) / 64)) "$(field "$ev" blocks)"
expect_eq "...and has the package" 1.0.9 "$(value_of srv b1 /5/0/7)"

# --- packages and URIs the bulb refuses ---
srv srv "write b1 /5/0/1 \"$(uri big bad.pkg)\""
wait_value srv b1 /5/0/5 5
pass "corrupt package: Update Result 5 (integrity check failure)"
expect_eq "corrupt package: State Idle" 0 "$(value_of srv b1 /5/0/3)"
srv srv "write b1 /5/0/1 \"$(uri big missing.pkg)\""
wait_value srv b1 /5/0/5 7
pass "a file the server does not have: Update Result 7 (invalid URI)"

# --- an empty URI cancels a download under way ---
n=$(count "$WORK/slow.log" '"event":"file-progress"')
srv srv "write b1 /5/0/1 \"$(uri slow slow.pkg)\""
wait_for_count "$WORK/slow.log" '"event":"file-progress"' $((n + 1)) 20
srv srv "write b1 /5/0/1 \"\""
expect_eq "an empty URI cancels: State" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "an empty URI cancels: Update Result" 0 "$(value_of srv b1 /5/0/5)"
expect_eq "an empty URI cancels: the URI" "" "$(value_of srv b1 /5/0/1)"
sleep 0.5
[ "$(count "$WORK/slow.log" '"event":"file-served"')" -eq 0 ] || fail "the cancelled download went on"
[ ! -e "$WORK/fw/download.part" ] || fail "the cancelled package is still stored"
pass "the cancelled download stopped and its part is gone"

# --- the bulb restarts in the middle of a download ---
n=$(count "$WORK/slow.log" '"event":"file-progress"')
srv srv "write b1 /5/0/1 \"$(uri slow slow.pkg)\""
wait_for_count "$WORK/slow.log" '"event":"file-progress"' $((n + 1)) 20
kill_wait bulb
pass "bulb killed after $(field "$(last_event "$WORK/slow.log" '"event":"file-progress"')" bytes) bytes"
start_bulb bulb2 b1 "${PORT[srv]}" "${bulb_args[@]}"
srv srv "wait-registered b1 20s"
expect_eq "restart mid-download: Update Result 4 (connection lost)" 4 "$(value_of srv b1 /5/0/5)"
expect_eq "restart mid-download: State Idle" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "restart mid-download: the old firmware runs" 1.0.0 "$(value_of srv b1 /3/0/3)"
sleep 0.3
[ "$(count "$WORK/slow.log" '"event":"file-start"')" -eq 2 ] || fail "the restarted bulb fetched the URI again"
pass "the restarted bulb did not resume the download by itself"

# --- the update: 256-byte blocks from a server that would give 1024 ---
srv srv "write b1 /5/0/1 \"$(uri big ok.pkg)\""
wait_value srv b1 /5/0/3 2
ev=$(last_event "$WORK/big.log" '"event":"file-served"')
expect_eq "served whole" "$(stat -c %s "$files/ok.pkg")" "$(field "$ev" bytes)"
expect_eq "in the bulb's 256-byte blocks" 256 "$(field "$ev" block_size)"
expect_eq "...block by block" $((($(stat -c %s "$files/ok.pkg") + 255) / 256)) "$(field "$ev" blocks)"
[ "$(count "$WORK/big.log" '"event":"file-progress".*"percent":50,')" -ge 1 ] || fail "no progress from the file server"
grep -qE 'firmware: [0-9]+ of [0-9]+ bytes \(50%\)' "$WORK/bulb2.log" || fail "no progress in the bulb's log"
pass "progress logged on both sides"
expect_eq "PkgVersion" 1.2.0 "$(value_of srv b1 /5/0/7)"
# a reboot in between: the package stays Downloaded (and is not fetched again)
srv srv "exec b1 /3/0/4"
wait_for_line "$WORK/bulb2.log" '^bulb: reboot, restarting' 10
srv srv "wait-registered b1 20s"
expect_eq "after a reboot: still Downloaded" 2 "$(value_of srv b1 /5/0/3)"
expect_eq "after a reboot: the Package URI kept" "$(uri big ok.pkg)" "$(value_of srv b1 /5/0/1)"
cmp -s "$files/ok.pkg" "$WORK/fw/download.part" || fail "the downloaded package changed across the reboot"
pass "the downloaded package is intact after the reboot"
srv srv "exec b1 /5/0/2"
wait_for_line "$WORK/bulb2.log" '^bulb: firmware update, restarting' 10
srv srv "wait-registered b1 20s"
expect_eq "after the update: /3/0/3" 1.2.0 "$(value_of srv b1 /3/0/3)"
expect_eq "after the update: Update Result 1 (success)" 1 "$(value_of srv b1 /5/0/5)"
expect_eq "after the update: State Idle" 0 "$(value_of srv b1 /5/0/3)"
cmp -s "$files/ok.pkg" "$WORK/fw/firmware.pkg" || fail "the installed package differs from the served one"
pass "the installed package is the served one, byte for byte"
sleep 0.3
[ "$(count "$WORK/big.log" '"event":"file-start","file":"ok.pkg"')" -eq 1 ] ||
    fail "the restarted bulb fetched the Package URI again"
pass "the restart did not fetch the Package URI again"

# --- coaps:// (the download uses the credentials of the DTLS account) ---
psk=(--psk-identity sb1 --psk-key "$PSK_KEY")
start_server ssrv "${psk[@]}"
start_files sfiles "$files" 0 "${psk[@]}"
start_sbulb sbulb sb1 "${PORT[ssrv]}" "${psk[@]}" --firmware-dir "$WORK/sfw"
srv ssrv "wait-registered sb1 20s"
srv ssrv "write sb1 /5/0/1 \"coaps://127.0.0.1:${PORT[sfiles]}/small.pkg\""
wait_value ssrv sb1 /5/0/3 2
expect_eq "coaps: the package" 1.0.9 "$(value_of ssrv sb1 /5/0/7)"
grep -qF '"event":"dtls-connected"' "$WORK/sfiles.log" || fail "no DTLS session with the file server"
ev=$(last_event "$WORK/sfiles.log" '"event":"file-served"')
expect_eq "coaps: served whole" "$(stat -c %s "$files/small.pkg")" "$(field "$ev" bytes)"

no_sanitizer_reports
pass "no sanitizer reports"
