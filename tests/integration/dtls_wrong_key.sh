#!/usr/bin/env bash
# Wrong credentials are refused (issue 6): no request is served, each side
# says why in one line per attempt, and the bulb backs off instead of
# spinning.
#   - a wrong key for a known identity: OpenSSL drops the Finished it
#     cannot decrypt (RFC 6347 4.1.2.7) and repeats its flight; the bulb
#     gives up after three repeats ("wrong PSK?"), tern-server reports the
#     stalled handshake;
#   - an unknown identity: refused at once (alert unknown_psk_identity);
#     the attempts follow the back-off (4 s, then 8 s, ...);
#   - nothing listening: the ICMP port unreachable ends each attempt.
# Usage: dtls_wrong_key.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
source "$(dirname "$0")/lib_dtls.sh"

start_server srv --psk-identity bulb1 --psk-key "$PSK_KEY"
log=$WORK/srv.log
wrong=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

# ---- wrong key ----
start=$SECONDS
start_sbulb bad bulb1 "${PORT[srv]}" --psk-identity bulb1 --psk-key "$wrong"
blog=$WORK/bad.log
wait_for_count "$blog" "dtls: handshake with .* failed: .*wrong PSK" 2 40
elapsed=$((SECONDS - start))
wait_for_count "$log" '"event":"dtls-failed".*wrong PSK' 2 10
kill "${PID[bad]}"
grep -m1 'dtls: handshake with' "$blog"
grep -m1 '"event":"dtls-failed"' "$log"
expect_eq "a wrong key: no registration" 0 "$(count "$log" '"event":"(registered|updated)"')"
expect_eq "a wrong key: the bulb never registered" 0 "$(count "$blog" '^lwm2m: registered')"
attempts=$(count "$blog" 'registering with server')
expect_eq "a wrong key: one failure line per attempt on the bulb" "$attempts" \
    "$(count "$blog" 'dtls: handshake with .* failed')"
expect_eq "a wrong key: one line per attempt on the server" "$attempts" \
    "$(count "$log" '"event":"dtls-failed"')"
[ "$attempts" -le 2 ] || fail "a wrong key: $attempts attempts in ${elapsed}s, expected 2 (7 s each, 4 s back-off)"
pass "a wrong key: 2 attempts in ${elapsed}s, each refused once on both sides"

# ---- unknown identity ----
start_sbulb stranger nobody "${PORT[srv]}" --psk-identity nobody --psk-key "$PSK_KEY"
slog=$WORK/stranger.log
sleep 14
kill "${PID[stranger]}"
attempts=$(count "$slog" 'registering with server')
failures=$(count "$slog" "dtls: handshake with .* failed: the server does not know PSK identity 'nobody' \(alert unknown_psk_identity\)")
server_lines=$(count "$log" '"event":"dtls-failed".*unknown PSK identity')
grep -m1 'dtls: handshake with' "$slog"
grep -m1 '"event":"dtls-failed".*unknown' "$log"
expect_eq "an unknown identity: one failure line per attempt on the bulb" "$attempts" "$failures"
expect_eq "an unknown identity: one line per attempt on the server" "$attempts" "$server_lines"
# attempts at 0 s, 4 s and 12 s, the next one at 28 s: three in 14 s
[ "$attempts" -ge 2 ] && [ "$attempts" -le 3 ] ||
    fail "an unknown identity: $attempts attempts in 14 s, expected 3 (back-off 4 s, 8 s)"
gaps=$(grep 'registering with server' "$slog" | awk '{ split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; if (NR > 1) printf "%.0f ", s - prev; prev = s }')
echo "seconds between attempts: $gaps"
set -- $gaps
[ "${1:-0}" -ge 3 ] && { [ -z "${2:-}" ] || [ "$2" -ge 7 ]; } ||
    fail "an unknown identity: attempts $gaps s apart, expected the 4 s, 8 s back-off"
expect_eq "an unknown identity: no registration" 0 "$(count "$log" '"event":"(registered|updated)"')"
pass "an unknown identity: $attempts attempts in 14 s with back-off, each refused once on both sides"

# ---- nothing listening ----
nowhere=$(free_udp_port)
start_sbulb lonely bulb1 "$nowhere" --psk-identity bulb1 --psk-key "$PSK_KEY"
llog=$WORK/lonely.log
sleep 6
kill "${PID[lonely]}"
attempts=$(count "$llog" 'registering with server')
expect_eq "nothing listening: one failure line per attempt" "$attempts" \
    "$(count "$llog" 'dtls: handshake with .* failed: server unreachable')"
[ "$attempts" -ge 1 ] && [ "$attempts" -le 2 ] || fail "nothing listening: $attempts attempts in 6 s"
pass "nothing listening: $attempts attempts in 6 s, each ended by the ICMP port unreachable"

no_sanitizer_reports
