#!/usr/bin/env bash
# DTLS with PSK end to end (issue 6): tern-lightbulb, whose DTLS is mbed TLS
# in the POSIX port, against tern-server, whose DTLS is libcoap's OpenSSL
# backend, so each side is checked by an independent stack:
#   - the handshake with a suite LwM2M mandates, one line on each side;
#   - the light-bulb scenario over coaps://: Register, Read, Write, Observe
#     with notifications after the local dimmer and switch, an Update
#     (Registration Update Trigger), De-register and the session's close;
#   - a credentials file: two bulbs with their own identities and keys.
# Usage: dtls_psk.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"

start_server srv --psk-identity bulb1 --psk-key "$PSK_KEY"
log=$WORK/srv.log
grep -q '"event":"listening".*"scheme":"coaps"' "$log" || fail "tern-server does not say coaps"
start_sbulb bulb bulb1 "${PORT[srv]}" --psk-identity bulb1 --psk-key "$PSK_KEY" --lifetime 60
blog=$WORK/bulb.log
srv srv "wait-registered bulb1 20s"
pass "the bulb registered over DTLS"
grep -qF "\"event\":\"dtls-connected\"" "$log" || fail "tern-server reported no DTLS session"
grep -qF "\"client\":\"PSK identity 'bulb1'\"" "$log" || fail "tern-server did not name the identity"
grep -qE "dtls: secure session with 127\.0\.0\.1:${PORT[srv]} in [0-9]+ ms \(TLS-PSK-WITH-AES-128-CCM-8, full handshake" \
    "$blog" || fail "the bulb did not report a full handshake with TLS-PSK-WITH-AES-128-CCM-8"
pass "one line on each side; TLS_PSK_WITH_AES_128_CCM_8 negotiated"

srv srv "read bulb1 /3/0/0 expect-value Tern"
srv srv "read bulb1 /3311/0/5850 expect-value false"
srv srv "write bulb1 /3311/0/5850 true"
wait_for_line "$blog" "^bulb: ON, dimmer 100% \(set by the server\)"
srv srv "read bulb1 /3311/0/5850 expect-value true"
pass "Read and Write over DTLS"

srv srv "observe bulb1 /3311/0/5851 expect-value 100"
srv srv "observe bulb1 /3311/0"
bulb bulb "dim 40" "dimmer 40% \(local dimmer\)"
srv srv "wait-notify bulb1 /3311/0/5851 40 10s"
bulb bulb off "^bulb: OFF.*local switch"
srv srv "wait-notify bulb1 /3311/0 /3311/0/5850=false 10s"
pass "Observe over DTLS: notifications after the local dimmer and switch"

srv srv "exec bulb1 /1/0/8"
srv srv "wait-update bulb1 10s"
pass "Registration Update Trigger: the Update came over the same session"

expect_eq "one handshake for all of it" 1 "$(count "$blog" 'dtls: secure session')"
bulb bulb quit
srv srv "wait-deregistered bulb1 10s"
wait_for_line "$log" '"event":"dtls-closed"'
pass "De-register, then the bulb closed the session (close_notify)"

# ---- several clients from a credentials file ----
ka=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
kb=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
printf '# identity  key (hex)\nbulb-a %s\n\nbulb-b %s\n' "$ka" "$kb" >"$WORK/psk.txt"
start_server srv2 --psk-file "$WORK/psk.txt"
start_sbulb a bulb-a "${PORT[srv2]}" --psk-identity bulb-a --psk-key "$ka"
start_sbulb b bulb-b "${PORT[srv2]}" --psk-identity bulb-b --psk-key "$kb"
srv srv2 "wait-registered bulb-a 20s"
srv srv2 "wait-registered bulb-b 20s"
srv srv2 "read bulb-a /3/0/1 expect-value tern-lightbulb"
srv srv2 "read bulb-b /3/0/1 expect-value tern-lightbulb"
pass "--psk-file: two bulbs with their own identities and keys"

no_sanitizer_reports
