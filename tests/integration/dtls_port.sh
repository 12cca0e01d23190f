#!/usr/bin/env bash
# The POSIX port's DTLS on its own (issue 6), driven by dtls_probe as the
# engine would drive it (net_recv when a datagram arrives or net_deadline
# passes), against tern-server (libcoap, OpenSSL):
#   - the contract: the handshake runs inside net_recv, the retransmission
#     timer shows in net_deadline, one datagram is queued during the
#     handshake and sent after it, a truncated datagram returns its full
#     length, datagrams from other peers are dropped, sending elsewhere is
#     refused; with PSK and with certificates;
#   - TLS_PSK_WITH_AES_128_CBC_SHA256, against openssl s_server offering
#     only that suite;
#   - session resumption: the second connection to the same server resumes
#     the session (an abbreviated handshake);
#   - failures reported once, as TERN_ERR_HANDSHAKE: unknown identity, wrong
#     key, nothing listening; a session the server loses is reported as
#     TERN_ERR_CLOSED.
# Usage: dtls_port.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"
make_certs
P=$WORK/pki
PSK=(--psk-identity bulb1 --psk-key "$PSK_KEY")
CERT=(--cert "$P/bulb1.pem" --key "$P/bulb1.key" --server-cert "$P/ca.pem")

# PSK and certificates on one endpoint; without --ca, since libcoap 4.3.1's
# OpenSSL backend resumes no session when it verifies client certificates
# (dtls_cert.sh covers that verification)
start_server srv "${PSK[@]}" --cert "$P/server.pem" --key "$P/server.key"
port=${PORT[srv]}

# probe NAME ARGS...: dtls_probe, its output in $WORK/NAME.log and on stdout
probe() {
    local name=$1 rc=0
    shift
    "$PROBE" "$@" >"$WORK/$name.log" 2>&1 || rc=$?
    sed 's/^/  /' "$WORK/$name.log"
    return $rc
}

probe check-psk check 127.0.0.1 "$port" "${PSK[@]}" || fail "the port's contract with PSK"
grep -q "second handshake resumed the session" "$WORK/check-psk.log" ||
    fail "the second PSK connection did not resume the session"
pass "the port's contract with PSK; the session resumed"
probe check-cert check 127.0.0.1 "$port" "${CERT[@]}" || fail "the port's contract with certificates"
grep -q "second handshake resumed the session" "$WORK/check-cert.log" ||
    fail "the second certificate connection did not resume the session"
pass "the port's contract with certificates; the session resumed"

# the other PSK suite, with OpenSSL's own DTLS server offering only it
if command -v openssl >/dev/null; then
    sport=$(free_udp_port)
    open_fifo s_server # its end of input would end the session
    start_bg s_server openssl s_server -dtls1_2 -accept "127.0.0.1:$sport" -nocert -psk "$PSK_KEY" \
        -psk_identity bulb1 -cipher PSK-AES128-CBC-SHA256 -quiet <"$WORK/s_server.in"
    sleep 0.5
    probe cbc hello 127.0.0.1 "$sport" "${PSK[@]}" || fail "a handshake with openssl s_server"
    grep -q "^suite: TLS-PSK-WITH-AES-128-CBC-SHA256$" "$WORK/cbc.log" ||
        fail "TLS_PSK_WITH_AES_128_CBC_SHA256 was not negotiated"
    pass "TLS_PSK_WITH_AES_128_CBC_SHA256 with openssl s_server"
fi

probe unknown fail 127.0.0.1 "$port" --psk-identity nobody --psk-key "$PSK_KEY" 5 ||
    fail "an unknown identity"
probe wrong fail 127.0.0.1 "$port" --psk-identity bulb1 --psk-key 00112233445566778899aabbccddeeff 20 ||
    fail "a wrong key"
probe nowhere fail 127.0.0.1 "$(free_udp_port)" "${PSK[@]}" 5 || fail "nothing listening"
pass "unknown identity, wrong key, nothing listening: TERN_ERR_HANDSHAKE once"

probe lost closed 127.0.0.1 "$port" "${PSK[@]}" &
probe_pid=$!
wait_for_line "$WORK/lost.log" '^established'
kill -9 "${PID[srv]}"
wait "${PID[srv]}" 2>/dev/null || true
wait "$probe_pid" || fail "a lost session"
pass "a session the server lost: TERN_ERR_CLOSED"

no_sanitizer_reports
