#!/usr/bin/env bash
# The server loses the DTLS session (issue 6) and the bulb recovers with a
# new handshake:
#   1. tern-server dies and stays away for a while: the bulb's next Update
#      draws an ICMP port unreachable, the port reports the session lost,
#      the engine backs off and retries; once tern-server is back (a new
#      process, no session state) a new handshake and a new registration;
#   2. tern-server dies and is back at once, on the same port: nothing tells
#      the bulb, its Update goes unanswered (the new server drops records
#      of a session it never had), the CoAP exchange times out (62..93 s),
#      the engine closes the connection, and the new handshake (the old
#      session offered, a full handshake done) leads to a new registration.
# Usage: dtls_server_restart.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"

# crash NAME: tern-server NAME dies without a word (no close_notify)
crash() {
    kill -9 "${PID[$1]}"
    wait "${PID[$1]}" 2>/dev/null || true
}

port=$(free_udp_port)
SERVER_ARGS=(--port "$port" --psk-identity bulb1 --psk-key "$PSK_KEY")
start_server srv1 "${SERVER_ARGS[@]}"
# lifetime 20 s: an Update every 10 s
start_sbulb bulb bulb1 "$port" --psk-identity bulb1 --psk-key "$PSK_KEY" --lifetime 20
blog=$WORK/bulb.log
srv srv1 "wait-registered bulb1 20s"
srv srv1 "write bulb1 /3311/0/5851 60"
pass "registered over DTLS"

# ---- 1. the server away for a while ----
crash srv1
wait_for_line "$blog" "dtls: session with 127\.0\.0\.1:$port ended: the server is gone \(ICMP port unreachable\)" 20
pass "the bulb's Update found the server gone: session lost"
start_server srv2 "${SERVER_ARGS[@]}"
srv srv2 "wait-registered bulb1 30s"
srv srv2 "read bulb1 /3311/0/5851 expect-value 60"
expect_eq "two handshakes so far" 2 "$(count "$blog" 'dtls: secure session with')"
pass "tern-server back: a new handshake, registered again, requests served"

# ---- 2. the server restarted at once ----
crash srv2
start_server srv3 "${SERVER_ARGS[@]}"
pass "tern-server restarted on the same port; the bulb's session is gone there"
# the Update 10 s after registering, its CoAP time-out 62..93 s later
wait_for_line "$WORK/srv3.log" '"event":"registered"' 150
grep -qE "lwm2m: server 1 did not answer \(timeout\)" "$blog" ||
    fail "the bulb did not see its Update time out"
expect_eq "three handshakes in all" 3 "$(count "$blog" 'dtls: secure session with')"
grep 'dtls: secure session with' "$blog" | tail -1 | grep -q "full handshake" ||
    fail "the server that lost the session resumed it?"
srv srv3 "read bulb1 /3311/0/5851 expect-value 60"
grep -qF '"event":"dtls-connected"' "$WORK/srv3.log" || fail "no new DTLS session on the restarted server"
pass "Update unanswered, time-out, a new full handshake, registered again, requests served"

no_sanitizer_reports
