#!/usr/bin/env bash
# DTLS with X.509 certificates end to end (issue 6): tern-lightbulb (mbed
# TLS) against tern-server (libcoap, OpenSSL), TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
# with EC P-256 certificates made here with the openssl command (a
# throwaway CA; nothing is kept after the test):
#   - mutual authentication, the server trusted through its CA: Register,
#     Read, Write, Observe; the bulb's own key given as DER, its
#     certificate as PEM;
#   - the server pinned by its own certificate (the Security object's
#     Server Public Key holding the server certificate);
#   - a server certificate the bulb does not trust (another CA, or not
#     the pinned one): refused by the bulb, no registration, one line per
#     attempt on each side;
#   - a client certificate from another CA: refused by tern-server, same.
# Raw public keys, which neither mbed TLS 2.28 nor libcoap 4.3.1's OpenSSL
# backend has, are dtls_rpk.sh's (GnuTLS on both sides).
# Usage: dtls_cert.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"
make_certs
P=$WORK/pki
SERVER_PKI=(--cert "$P/server.pem" --key "$P/server.key" --ca "$P/ca.pem")

start_server srv "${SERVER_PKI[@]}"
log=$WORK/srv.log
start_sbulb bulb bulb1 "${PORT[srv]}" --cert "$P/bulb1.pem" --key "$P/bulb1.der" \
    --server-cert "$P/ca.pem" --lifetime 60
blog=$WORK/bulb.log
srv srv "wait-registered bulb1 20s"
grep -qF "\"client\":\"certificate 'bulb1'\"" "$log" || fail "tern-server did not see the client certificate"
grep -qE "dtls: secure session with .*TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8, full handshake" "$blog" ||
    fail "the bulb did not report TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8"
pass "certificates both ways, the server trusted through its CA; ECDHE-ECDSA AES-128-CCM-8"
srv srv "read bulb1 /3/0/0 expect-value Tern"
srv srv "write bulb1 /3311/0/5850 true"
wait_for_line "$blog" "^bulb: ON, dimmer 100% \(set by the server\)"
srv srv "observe bulb1 /3311/0/5851 expect-value 100"
bulb bulb "dim 25" "dimmer 25% \(local dimmer\)"
srv srv "wait-notify bulb1 /3311/0/5851 25 10s"
pass "Read, Write and Observe over the certificate session"
bulb bulb quit
srv srv "wait-deregistered bulb1 10s"

# ---- the server pinned by its own certificate ----
start_sbulb pinned bulb1 "${PORT[srv]}" --cert "$P/bulb1.pem" --key "$P/bulb1.key" \
    --server-cert "$P/server.pem"
srv srv "wait-registered bulb1 20s"
pass "the server pinned by its own certificate"
bulb pinned quit
srv srv "wait-deregistered bulb1 10s"

# ---- a server the bulb does not trust ----
start_server srv2 "${SERVER_PKI[@]}"
log2=$WORK/srv2.log
start_sbulb wary bulb1 "${PORT[srv2]}" --cert "$P/bulb1.pem" --key "$P/bulb1.key" \
    --server-cert "$P/rogue-ca.pem"
wlog=$WORK/wary.log
wait_for_count "$wlog" "dtls: handshake with .* failed: certificate verification failed" 2 20
wait_for_count "$log2" '"event":"dtls-failed".*the client refused our certificate' 2 10
sleep 0.5
expect_eq "no registration with a server the bulb does not trust" 0 "$(count "$log2" '"event":"registered"')"
expect_eq "one failure line per attempt on the bulb" "$(count "$wlog" 'registering with server')" \
    "$(count "$wlog" 'dtls: handshake with .* failed')"
expect_eq "one failure line per attempt on the server" "$(count "$wlog" 'dtls: handshake with .* failed')" \
    "$(count "$log2" '"event":"dtls-failed"')"
grep -m1 'dtls: handshake with' "$wlog"
grep -m1 '"event":"dtls-failed"' "$log2"
kill "${PID[wary]}"
start_sbulb pinwrong bulb1 "${PORT[srv2]}" --cert "$P/bulb1.pem" --key "$P/bulb1.key" \
    --server-cert "$P/bulb1.pem"
wait_for_line "$WORK/pinwrong.log" "certificate verification failed: the server's certificate is not the one configured" 10
kill "${PID[pinwrong]}"
pass "a pinned certificate that is not the server's is refused"

# ---- a client the server does not trust ----
start_sbulb rogue rogue "${PORT[srv2]}" --cert "$P/rogue.pem" --key "$P/rogue.key" \
    --server-cert "$P/ca.pem"
rlog=$WORK/rogue.log
wait_for_count "$rlog" "dtls: handshake with .* failed: the server refused our certificate 'CN=rogue'" 2 20
wait_for_count "$log2" '"event":"dtls-failed".*client certificate refused' 2 10
expect_eq "no registration from a client the server does not trust" 0 \
    "$(count "$log2" '"event":"registered"')"
grep -m1 'dtls: handshake with' "$rlog"
grep -m1 '"event":"dtls-failed".*client certificate' "$log2"
pass "untrusted certificates are refused on either side, with one line each"

no_sanitizer_reports
