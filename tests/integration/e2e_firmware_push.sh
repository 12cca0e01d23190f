#!/usr/bin/env bash
# End to end, firmware update by push (issue 7): tern-server's push-firmware
# writes tern-fwpack packages to /5/0/0 of tern-lightbulb --firmware-dir
# block by block (Block1), and the POSIX port stores and checks them:
#   - an empty package cancels a downloaded one: Idle, result 0;
#   - a package with a flipped image byte: "integrity check failure" (5),
#     Idle, the bulb keeps 1.0.0; an unknown package type: 6; a package
#     over the port's 1 MiB: 4.13 on the first block and result 2;
#   - the bulb killed mid-push and started again: "connection lost" (4);
#   - block-size negotiation: the server starts with 1024-byte blocks, the
#     bulb's 512-byte buffer answers 4.13 naming 256, and the push goes on
#     in 256-byte blocks;
#   - a 200 KB package: Downloaded (2) with its name and version, Execute
#     /5/0/2 restarts the bulb, which registers again running 1.1.0
#     (/3/0/3), with State 0 and Update Result 1 (success).
# Usage: e2e_firmware_push.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_firmware.sh"

make_package "$WORK/ok.pkg" bulb 1.1.0 200K
make_package "$WORK/bad.pkg" bulb 1.1.0 200K
corrupt "$WORK/bad.pkg" 100000
make_package "$WORK/alien.pkg" bulb 1.1.0 4K
corrupt "$WORK/alien.pkg" 6 # TERNFW1 -> TERNFW\316: not a package type the bulb knows
make_package "$WORK/huge.pkg" bulb 9.9.9 1100K
make_package "$WORK/slow.pkg" bulb 1.0.1 300K
: >"$WORK/empty.pkg"

start_server srv
srvlog=$WORK/srv.log
bulb_args=(--lifetime 60 --firmware-dir "$WORK/fw" --state-file "$WORK/bulb.state")
start_bulb bulb b1 "${PORT[srv]}" "${bulb_args[@]}"
srv srv "wait-registered b1"
grep -F '{"event":"registered","ep":"b1",' "$srvlog" | grep -qF '"/5/0"' ||
    fail "the bulb's object list has no /5/0"
expect_eq "State at start" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "Update Result at start" 0 "$(value_of srv b1 /5/0/5)"
expect_eq "built-in firmware version" 1.0.0 "$(value_of srv b1 /3/0/3)"

# --- cancel: an empty package after a complete one ---
srv srv "push-firmware b1 $WORK/ok.pkg 256"
expect_eq "a pushed package is Downloaded" 2 "$(value_of srv b1 /5/0/3)"
srv srv "push-firmware b1 $WORK/empty.pkg"
expect_eq "an empty package cancels: State" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "an empty package cancels: Update Result" 0 "$(value_of srv b1 /5/0/5)"
[ ! -e "$WORK/fw/download.part" ] || fail "the cancelled package is still stored"
pass "the cancelled package is gone from the bulb's storage"

# --- packages the bulb refuses ---
srv srv "push-firmware b1 $WORK/bad.pkg 256"
expect_eq "corrupt package: the transfer itself completes" 2.04 \
    "$(field "$(last_event "$srvlog" '"op":"push-firmware"')" code)"
expect_eq "corrupt package: Update Result 5 (integrity check failure)" 5 "$(value_of srv b1 /5/0/5)"
expect_eq "corrupt package: State Idle" 0 "$(value_of srv b1 /5/0/3)"
grep -qF 'refused: SHA-256 digest mismatch' "$WORK/bulb.log" || fail "no digest mismatch in the bulb's log"
pass "the port logged the digest mismatch"
srv srv "push-firmware b1 $WORK/alien.pkg 256"
expect_eq "unknown package type: Update Result 6" 6 "$(value_of srv b1 /5/0/5)"
srv srv "push-firmware b1 $WORK/huge.pkg 256 expect 4.13"
ev=$(last_event "$srvlog" '"op":"push-firmware"')
expect_eq "a package over 1 MiB: refused at the first block" 0 "$(field "$ev" bytes)"
expect_eq "a package over 1 MiB: Update Result 2 (not enough storage)" 2 "$(value_of srv b1 /5/0/5)"
expect_eq "after the refused packages the bulb still runs" 1.0.0 "$(value_of srv b1 /3/0/3)"

# --- the bulb restarts in the middle of a push ---
n=$(count "$srvlog" '"event":"push-progress"')
printf 'push-firmware b1 %s 16 timeout 2s\n' "$WORK/slow.pkg" >&"${FD[srv]}"
wait_for_count "$srvlog" '"event":"push-progress"' $((n + 1)) 30
kill_wait bulb
wait_for_line "$srvlog" '"op":"push-firmware","ep":"b1","path":"/5/0/0","code":null' 20
wait_for_count "$srvlog" '^\{"event":"error"' 1 # srv() counts only the errors after it
pushed=$(field "$(last_event "$srvlog" '"op":"push-firmware"')" bytes)
pass "push interrupted by the bulb's end after $pushed bytes"
start_bulb bulb2 b1 "${PORT[srv]}" "${bulb_args[@]}"
srv srv "wait-registered b1 20s"
expect_eq "restart mid-push: Update Result 4 (connection lost)" 4 "$(value_of srv b1 /5/0/5)"
expect_eq "restart mid-push: State Idle" 0 "$(value_of srv b1 /5/0/3)"
expect_eq "restart mid-push: the old firmware runs" 1.0.0 "$(value_of srv b1 /3/0/3)"

# --- block-size negotiation, then the update ---
srv srv "push-firmware b1 $WORK/ok.pkg 1024"
ev=$(last_event "$srvlog" '"op":"push-firmware"')
expect_eq "the push started with 1024-byte blocks" 1024 "$(field "$ev" first_block_size)"
expect_eq "...and finished in the bulb's 256-byte blocks" 256 "$(field "$ev" block_size)"
expect_eq "...all of it" "$(stat -c %s "$WORK/ok.pkg")" "$(field "$ev" bytes)"
expect_eq "...in 1 refused block and ceil(size / 256) more" \
    $((1 + ($(stat -c %s "$WORK/ok.pkg") + 255) / 256)) "$(field "$ev" blocks)"
ev=$(last_event "$srvlog" '"event":"push-block-size"')
expect_eq "the bulb answered 4.13 with Block1 naming 256" "1024 256 4.13" \
    "$(field "$ev" from) $(field "$ev" to) $(field "$ev" code)"
grep -qE 'coap: [0-9]+-byte datagram exceeds the 512-byte buffer' "$WORK/bulb2.log" ||
    fail "the bulb did not log the oversized block"
pass "the bulb logged the oversized block"
grep -qE 'firmware: [0-9]+ of [0-9]+ bytes \(50%\)' "$WORK/bulb2.log" || fail "no progress in the bulb's log"
[ "$(count "$srvlog" '"event":"push-progress".*"percent":50,')" -ge 1 ] || fail "no progress in tern-server's events"
pass "progress logged on both sides"
expect_eq "Downloaded" 2 "$(value_of srv b1 /5/0/3)"
expect_eq "PkgName" bulb "$(value_of srv b1 /5/0/6)"
expect_eq "PkgVersion" 1.1.0 "$(value_of srv b1 /5/0/7)"
srv srv "exec b1 /5/0/2"
wait_for_line "$WORK/bulb2.log" '^bulb: firmware update, restarting' 10
srv srv "wait-registered b1 20s"
expect_eq "after the update: /3/0/3" 1.1.0 "$(value_of srv b1 /3/0/3)"
expect_eq "after the update: Update Result 1 (success)" 1 "$(value_of srv b1 /5/0/5)"
expect_eq "after the update: State Idle" 0 "$(value_of srv b1 /5/0/3)"
grep -qF "tern-lightbulb 'b1' firmware 1.1.0" "$WORK/bulb2.log" || fail "the restarted bulb did not say 1.1.0"
pass "the restarted bulb runs 1.1.0"
cmp -s "$WORK/ok.pkg" "$WORK/fw/firmware.pkg" || fail "the installed package differs from the pushed one"
pass "the installed package is the pushed one, byte for byte"

no_sanitizer_reports
pass "no sanitizer reports"
