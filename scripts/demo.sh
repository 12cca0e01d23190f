#!/usr/bin/env bash
# The main job: builds Tern and plays a real CoAP exchange on loopback
# between two processes, Tern's CoAP server and libcoap's client, and then
# Tern's own client. (The light-bulb LwM2M scenario replaces this once the
# engine and tern-server exist.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build >/dev/null

TERN_COAP=build/tools/tern-coap/tern-coap
log=$(mktemp)
"$TERN_COAP" serve -p 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q "serving on UDP port" "$log" && break; sleep 0.05; done
port=$(sed -n 's/serving on UDP port //p' "$log")
[ -n "$port" ] || { echo "demo: the server did not start" >&2; exit 1; }

say() { printf '\n>>> %s\n' "$*"; }
say "Tern CoAP server listening on udp/$port; libcoap's coap-client-notls asks it:"
say "GET /hello";                 coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/hello"; echo
say "PUT /store lamp=on";         coap-client-notls -B 5 -m put -e "lamp=on" "coap://127.0.0.1:$port/store"
say "GET /store";                 coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/store"; echo
say "GET /slow (separate response)"; coap-client-notls -B 5 -m get "coap://127.0.0.1:$port/slow"; echo
say "Tern's own client, over IPv6: GET /hello"
"$TERN_COAP" -T 5 get "coap://[::1]:$port/hello"
say "server log:"
cat "$log"
echo
echo "demo: done"
