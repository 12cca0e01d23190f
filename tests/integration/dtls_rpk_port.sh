#!/usr/bin/env bash
# Raw public keys (RFC 7250, LwM2M Security Mode 1; issue 6) in the POSIX
# port on its own: its GnuTLS client driven by dtls_probe as the engine
# would drive it, against tern-server-gnutls (libcoap's GnuTLS backend):
#   - the contract: the handshake runs inside net_recv, the retransmission
#     timer shows in net_deadline, one datagram is queued during the
#     handshake and sent after it, a truncated datagram returns its full
#     length, datagrams from other peers are dropped, sending elsewhere is
#     refused; TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 negotiated; keys as PEM
#     (SEC1) and as DER (PKCS #8 private key, SubjectPublicKeyInfo);
#   - the server pinned: a server key other than the configured one is
#     refused, as TERN_ERR_HANDSHAKE once, with one line naming both keys;
#   - a client key the server does not know: refused by the server, one
#     line on either side;
#   - a server with X.509 certificates only (tern-server, OpenSSL): refused;
#   - nothing listening: TERN_ERR_HANDSHAKE once; a session the server
#     loses: TERN_ERR_CLOSED.
# Usage: dtls_rpk_port.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"
make_rpk_keys
K=$WORK/rpk
RPK=(--rpk-key "$K/bulb1.key" --server-rpk "$K/server.pub")

start_gnutls_server srv --rpk-key "$K/server.key" --client-rpk "$K/bulb1.pub"
port=${PORT[srv]}
log=$WORK/srv.log

# probe NAME ARGS...: dtls_probe, its output in $WORK/NAME.log and on stdout
probe() {
    local name=$1 rc=0
    shift
    "$PROBE" "$@" >"$WORK/$name.log" 2>&1 || rc=$?
    sed 's/^/  /' "$WORK/$name.log"
    return $rc
}

probe check check 127.0.0.1 "$port" "${RPK[@]}" || fail "the port's contract with raw public keys"
grep -qE "dtls: secure session with .*TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8, full handshake.*raw public keys, server key $(key_print "$K/server.pub") as pinned" \
    "$WORK/check.log" || fail "no RPK session with TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8 and the pinned key"
pass "the port's contract with raw public keys; ECDHE-ECDSA AES-128-CCM-8; the server key pinned"
! grep -q '"event":"dtls-failed"' "$log" || fail "tern-server refused the client's key"

probe der hello 127.0.0.1 "$port" --rpk-key "$K/bulb1.p8.der" --server-rpk "$K/server.pub.der" ||
    fail "keys in DER (PKCS #8, SubjectPublicKeyInfo)"
grep -q "^suite: TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8$" "$WORK/der.log" || fail "DER keys: wrong suite"
pass "keys in DER: a PKCS #8 private key and the server's SubjectPublicKeyInfo"

# ---- a server that is not the pinned one ----
probe mismatch fail 127.0.0.1 "$port" --rpk-key "$K/bulb1.key" --server-rpk "$K/rogue.pub" 10 ||
    fail "a server key other than the configured one"
expect_eq "one failure line for the wrong server key" 1 "$(count "$WORK/mismatch.log" 'dtls: handshake with')"
grep -qF "failed: server key mismatch: the server presented raw public key $(key_print "$K/server.pub"), not the configured $(key_print "$K/rogue.pub")" \
    "$WORK/mismatch.log" || fail "the failure line does not name both keys"
grep -m1 'dtls: handshake with' "$WORK/mismatch.log"
wait_for_line "$log" '"event":"dtls-failed".*the client refused our raw public key \(alert bad_certificate\)' 5
pass "a server key other than the pinned one is refused: TERN_ERR_HANDSHAKE once, one line"

# ---- a client the server does not know ----
probe stranger fail 127.0.0.1 "$port" --rpk-key "$K/rogue.key" --server-rpk "$K/server.pub" 10 ||
    fail "a client key the server does not know"
grep -qF "failed: the server refused our raw public key $(key_print "$K/rogue.pub") (alert access_denied)" \
    "$WORK/stranger.log" || fail "the client's line does not say the server refused its key"
wait_for_line "$log" '"event":"dtls-failed".*client key refused: unknown raw public key' 5
pass "a client key the server does not know: refused, one line on either side"

# ---- a server without raw public keys ----
make_certs
start_server x509 --cert "$WORK/pki/server.pem" --key "$WORK/pki/server.key"
probe certonly fail 127.0.0.1 "${PORT[x509]}" "${RPK[@]}" 10 || fail "a server with certificates only"
grep -qF "failed: the server presented no raw public key" "$WORK/certonly.log" ||
    fail "a server with certificates only: not reported as such"
grep -m1 "dtls: handshake with" "$WORK/certonly.log"
pass "a server with X.509 certificates only is refused"

probe nowhere fail 127.0.0.1 "$(free_udp_port)" "${RPK[@]}" 5 || fail "nothing listening"
grep -qF "failed: server unreachable (ICMP port unreachable)" "$WORK/nowhere.log" ||
    fail "nothing listening: not reported as unreachable"
pass "nothing listening: TERN_ERR_HANDSHAKE once"

probe lost closed 127.0.0.1 "$port" "${RPK[@]}" &
probe_pid=$!
wait_for_line "$WORK/lost.log" '^established'
kill -9 "${PID[srv]}"
wait "${PID[srv]}" 2>/dev/null || true
wait "$probe_pid" || fail "a lost session"
pass "a session the server lost: TERN_ERR_CLOSED"

no_sanitizer_reports
