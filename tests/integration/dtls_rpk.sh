#!/usr/bin/env bash
# Raw public keys end to end (RFC 7250, LwM2M Security Mode 1; issue 6):
# tern-lightbulb (the POSIX port's RPK client, GnuTLS) against
# tern-server-gnutls (libcoap's GnuTLS backend), with EC P-256 key pairs
# made here with the openssl command (nothing is kept after the test):
#   - Register, Read, Write and Observe over the session; the server knows
#     the bulb by its key (--client-rpk), the bulb pins the server's key
#     (--server-rpk); TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8; the bulb's key
#     given as DER (PKCS #8), the server's as PEM;
#   - a server whose key is not the pinned one: refused by the bulb, no
#     registration, one line per attempt on each side;
#   - a bulb whose key the server does not know: refused by the server, same.
# Both ends run GnuTLS (the port's RPK backend, libcoap's): among Debian's
# packages neither mbed TLS 2.28 nor OpenSSL 3.0 has RFC 7250.
# Usage: dtls_rpk.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"
make_rpk_keys
K=$WORK/rpk

start_gnutls_server srv --rpk-key "$K/server.key" --client-rpk "$K/bulb1.pub"
log=$WORK/srv.log
start_sbulb bulb bulb1 "${PORT[srv]}" --rpk-key "$K/bulb1.p8.der" --server-rpk "$K/server.pub" \
    --lifetime 60
blog=$WORK/bulb.log
srv srv "wait-registered bulb1 20s"
grep -qF "\"event\":\"dtls-connected\",\"peer\":\"127.0.0.1:" "$log" ||
    fail "tern-server reported no DTLS session"
grep -qF "\"client\":\"raw public key 'bulb1.pub'\"" "$log" || fail "tern-server did not know the bulb's key"
grep -qE "dtls: secure session with .*TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8, full handshake.*raw public keys, server key $(key_print "$K/server.pub") as pinned" \
    "$blog" || fail "the bulb did not report TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8 with the pinned server key"
pass "raw public keys both ways, each side knowing the other's key; ECDHE-ECDSA AES-128-CCM-8"
srv srv "read bulb1 /3/0/0 expect-value Tern"
srv srv "write bulb1 /3311/0/5850 true"
wait_for_line "$blog" "^bulb: ON, dimmer 100% \(set by the server\)"
srv srv "observe bulb1 /3311/0/5851 expect-value 100"
bulb bulb "dim 25" "dimmer 25% \(local dimmer\)"
srv srv "wait-notify bulb1 /3311/0/5851 25 10s"
pass "Read, Write and Observe over the raw-public-key session"
bulb bulb quit
srv srv "wait-deregistered bulb1 10s"

# ---- a server that is not the pinned one ----
start_gnutls_server srv2 --rpk-key "$K/rogue.key" --client-rpk "$K/bulb1.pub"
log2=$WORK/srv2.log
start_sbulb wary bulb1 "${PORT[srv2]}" --rpk-key "$K/bulb1.key" --server-rpk "$K/server.pub"
wlog=$WORK/wary.log
wait_for_count "$wlog" "dtls: handshake with .* failed: server key mismatch: the server presented raw public key $(key_print "$K/rogue.pub"), not the configured $(key_print "$K/server.pub")" 2 20
wait_for_count "$log2" '"event":"dtls-failed".*the client refused our raw public key' 2 10
sleep 0.5
expect_eq "no registration with a server whose key is not the pinned one" 0 \
    "$(count "$log2" '"event":"registered"')"
expect_eq "one failure line per attempt on the bulb" "$(count "$wlog" 'registering with server')" \
    "$(count "$wlog" 'dtls: handshake with .* failed')"
expect_eq "one failure line per attempt on the server" "$(count "$wlog" 'dtls: handshake with .* failed')" \
    "$(count "$log2" '"event":"dtls-failed"')"
grep -m1 'dtls: handshake with' "$wlog"
grep -m1 '"event":"dtls-failed"' "$log2"
kill "${PID[wary]}"
pass "a server key other than the pinned one is refused"

# ---- a bulb the server does not know ----
start_sbulb rogue rogue "${PORT[srv]}" --rpk-key "$K/rogue.key" --server-rpk "$K/server.pub"
rlog=$WORK/rogue.log
wait_for_count "$rlog" "dtls: handshake with .* failed: the server refused our raw public key $(key_print "$K/rogue.pub") \(alert access_denied\)" 2 20
wait_for_count "$log" '"event":"dtls-failed".*client key refused: unknown raw public key' 2 10
sleep 0.5
expect_eq "no registration from a bulb whose key the server does not know" 0 \
    "$(count "$log" '"event":"registered","ep":"rogue"')"
expect_eq "one failure line per attempt on the server" "$(count "$rlog" 'dtls: handshake with .* failed')" \
    "$(count "$log" '"event":"dtls-failed"')"
grep -m1 'dtls: handshake with' "$rlog"
grep -m1 '"event":"dtls-failed"' "$log"
pass "a client key the server does not know is refused, with one line on each side"

no_sanitizer_reports
