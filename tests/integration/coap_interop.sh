#!/usr/bin/env bash
# Tern's CoAP layer against libcoap's independent implementation, both
# ways, on loopback: libcoap's coap-client-notls talks to tern-coap serve,
# and tern-coap's client talks to libcoap's coap-server-notls.
# Usage: coap_interop.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
TERN_COAP=$1/tools/tern-coap/tern-coap

# --- libcoap client -> Tern server ---
port=$(free_udp_port)
start_bg tern-server "$TERN_COAP" serve -p "$port"
wait_for_line "$WORK/tern-server.log" "serving on UDP port $port"

expect_eq "GET /hello (libcoap -> Tern)" "Hello from Tern" \
    "$(coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/hello")"
coap-client-notls -B 5 -m put -e "lamp=on" "coap://127.0.0.1:$port/store" >/dev/null
expect_eq "PUT then GET /store" "lamp=on" "$(coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/store")"
expect_eq "POST /echo" "ping" "$(coap-client-notls -B 5 -m post -e ping "coap://127.0.0.1:$port/echo")"
expect_eq "separate response (empty ACK, then CON)" "Sorry for the wait" \
    "$(coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/slow")"
expect_eq "NON request" "Hello from Tern" "$(coap-client-notls -N -B 5 -m get "coap://127.0.0.1:$port/hello")"
expect_eq "IPv6 loopback" "Hello from Tern" "$(coap-client-notls -B 5 -m get "coap://[::1]:$port/hello")"
# libcoap prints the error code of a 4.xx response on stderr
out=$(coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/missing" 2>&1 || true)
echo "$out" | grep -q "4.04" || fail "GET /missing: expected 4.04, got '$out'"
pass "GET /missing answers 4.04"
out=$(coap-client-notls -B 5 -m delete "coap://127.0.0.1:$port/hello" 2>&1 || true)
echo "$out" | grep -q "4.05" || fail "DELETE /hello: expected 4.05, got '$out'"
pass "DELETE /hello answers 4.05"
# a critical option Tern does not know (If-None-Match is known; use option 9)
out=$(coap-client-notls -B 5 -m get -O 9,0x01 "coap://127.0.0.1:$port/hello" 2>&1 || true)
echo "$out" | grep -q "4.02" || fail "unknown critical option: expected 4.02, got '$out'"
pass "unknown critical option answers 4.02"

# --- Tern client -> libcoap server ---
port2=$(free_udp_port)
start_bg libcoap-server coap-server-notls -A 127.0.0.1 -p "$port2"
sleep 0.3
out=$("$TERN_COAP" -T 10 get "coap://127.0.0.1:$port2/time")
echo "$out" | head -1 | grep -q "^2.05$" || fail "GET /time from libcoap: '$out'"
pass "Tern client GET /time from coap-server-notls"
out=$("$TERN_COAP" -T 10 put -e "hello" "coap://127.0.0.1:$port2/example_data")
echo "$out" | head -1 | grep -qE "^2.0[14]$" || fail "PUT to libcoap: '$out'"
out=$("$TERN_COAP" -T 10 get "coap://127.0.0.1:$port2/example_data")
expect_eq "PUT then GET on coap-server-notls" "hello" "$(echo "$out" | sed -n 2p)"
set +e
"$TERN_COAP" -T 10 get "coap://127.0.0.1:$port2/nothing-here" >"$WORK/notfound.out"
rc=$?
set -e
expect_eq "4.04 from coap-server-notls exits 1" "1" "$rc"
expect_eq "4.04 printed" "4.04" "$(head -1 "$WORK/notfound.out")"

# --- Tern client -> Tern server ---
expect_eq "Tern client -> Tern server" "Hello from Tern" \
    "$("$TERN_COAP" -T 10 get "coap://127.0.0.1:$port/hello" | sed -n 2p)"
