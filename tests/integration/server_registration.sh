#!/usr/bin/env bash
# tern-server's registration interface against libcoap's coap-client-notls:
# Register, Update, De-register, lifetime expiry, 4.04 for an unknown
# location, 4.00 without an endpoint name; then a device-management round
# trip with libcoap's coap-server-notls standing in for the device, and a
# --script whose expectation fails must exit non-zero, naming the line.
# Usage: server_registration.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
SERVER=$1/tools/tern-server/tern-server

# coap ARGS...: coap-client-notls, its output and errors (libcoap prints the
# code of a 4.xx response on stderr) on stdout
coap() {
    coap-client-notls -B 5 "$@" 2>&1 || true
}

# location_of LOG EP: the location of EP's last registration in a --json log
location_of() {
    grep -o "\"event\":\"registered\",\"ep\":\"$2\",\"location\":\"[^\"]*\"" "$1" | tail -1 |
        sed 's/.*"location":"//; s/"$//'
}

# listening_port LOG: the port tern-server --port 0 chose
listening_port() {
    wait_for_line "$1" 'listening'
    grep -m1 -oE '("port":|:)[0-9]+}?$' "$1" | tr -dc '0-9'
}

# --- the registration interface, checked by tern-server's own script ---
cat >"$WORK/registration.script" <<'SCRIPT'
# each wait consumes one event of its endpoint
wait-registered alpha 20s
wait-update alpha 20s
wait-deregistered alpha 20s
wait-registered beta 20s
wait-deregistered beta 20s
list
SCRIPT
start_bg registration "$SERVER" --json --port 0 --script "$WORK/registration.script"
server_pid=${PIDS[-1]}
log=$WORK/registration.log
port=$(listening_port "$log")
[ -n "$port" ] && [ "$port" -gt 0 ] || fail "no port in the listening event"
pass "--port 0 listens on free port $port"

coap -m post -t 40 -e '</>;rt="oma.lwm2m",</1/0>,</3/0>,</3311/0>' \
    "coap://127.0.0.1:$port/rd?ep=alpha&lt=60&lwm2m=1.0&b=U" >/dev/null
wait_for_line "$log" '"event":"registered","ep":"alpha"'
loc=$(location_of "$log" alpha)
[[ "$loc" =~ ^/rd/[0-9a-f]+$ ]] || fail "Register: location '$loc'"
grep -q '"objects":\["/1/0","/3/0","/3311/0"\]' "$log" || fail "Register: object list not decoded"
pass "Register -> 2.01, Location-Path $loc, objects decoded"

coap -m post "coap://127.0.0.1:$port$loc?lt=30" >/dev/null
wait_for_line "$log" "\"event\":\"updated\",\"ep\":\"alpha\",\"location\":\"$loc\",\"lifetime\":30"
pass "Update -> 2.04 with the new lifetime"

out=$(coap -m post "coap://127.0.0.1:$port/rd/0000cafe?lt=30")
echo "$out" | grep -q "4.04" || fail "Update of an unknown location: expected 4.04, got '$out'"
out=$(coap -m delete "coap://127.0.0.1:$port/rd/0000cafe")
echo "$out" | grep -q "4.04" || fail "De-register of an unknown location: expected 4.04, got '$out'"
wait_for_line "$log" '"event":"rejected","request":"de-register","code":"4.04"'
pass "Update and De-register of an unknown location -> 4.04"

out=$(coap -m post -t 40 -e '</3/0>' "coap://127.0.0.1:$port/rd?lt=60")
echo "$out" | grep -q "4.00" || fail "Register without ep: expected 4.00, got '$out'"
wait_for_line "$log" '"event":"rejected","request":"register","code":"4.00"'
pass "Register without an endpoint name -> 4.00"

coap -m delete "coap://127.0.0.1:$port$loc" >/dev/null
wait_for_line "$log" '"event":"deregistered","ep":"alpha"'
out=$(coap -m post "coap://127.0.0.1:$port$loc")
echo "$out" | grep -q "4.04" || fail "Update after De-register: expected 4.04, got '$out'"
pass "De-register -> 2.02; the location is gone afterwards"

coap -m post -t 40 -e '</3/0>' "coap://127.0.0.1:$port/rd?ep=beta&lt=60" >/dev/null
wait_for_line "$log" '"event":"registered","ep":"beta"'
first=$(location_of "$log" beta)
coap -m post -t 40 -e '</3/0>' "coap://127.0.0.1:$port/rd?ep=beta&lt=1" >/dev/null
wait_for_line "$log" "\"replaces\":\"$first\""
pass "registering the same endpoint again replaces the registration"
wait_for_line "$log" '"event":"expired","ep":"beta"' 10
pass "a registration without Update expires after its lifetime"

set +e
wait "$server_pid"
rc=$?
set -e
expect_eq "the registration script exits 0" 0 "$rc"

# --- a device-management round trip and a failing expectation ---
# coap-server-notls plays the device: coap-client-notls registers from a
# fixed local port, then the server takes that port over, so tern-server's
# requests (sent where the registration came from) reach it.
cat >"$WORK/dm.script" <<'SCRIPT'
wait-registered dev 20s
sleep 300ms
write dev /3/0/0 hello
read dev /3/0/0 expect 2.05 expect-value hello
read dev /3/0/0 expect 4.04
echo not reached
SCRIPT
start_bg dm "$SERVER" --port 0 --script "$WORK/dm.script"
server_pid=${PIDS[-1]}
port=$(listening_port "$WORK/dm.log")
dev_port=$(free_udp_port)
coap -p "$dev_port" -m post -t 40 -e '</3/0>' "coap://127.0.0.1:$port/rd?ep=dev&lt=60" >/dev/null
start_bg device coap-server-notls -A 127.0.0.1 -p "$dev_port" -d 10
set +e
wait "$server_pid"
rc=$?
set -e
expect_eq "a script with a failing expectation exits 1" 1 "$rc"
grep -q 'read dev /3/0/0: 2.05 Content' "$WORK/dm.log" || fail "the device did not answer the read"
grep -q 'error: line 5: read dev /3/0/0 expect 4.04: expected 4.04, got 2.05 Content' \
    "$WORK/dm.log" || fail "the failure does not name line 5 with expected and actual"
! grep -q 'not reached' "$WORK/dm.log" || fail "the script went on after the failure"
pass "write/read round trip; the failed expectation names the line, expected and actual"
