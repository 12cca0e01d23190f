#!/usr/bin/env bash
# End to end, bootstrap (issue 5): tern-server --bootstrap as the
# Bootstrap-Server, two management tern-servers (Short Server IDs 1 and 2)
# and a third that refuses registrations, each its own process and port;
# tern-lightbulbs that know only their Bootstrap-Server:
#   - client-initiated bootstrap (POST /bs; Delete, Discover, Write of
#     Security, Server and Access Control instances in TLV, Finish), then
#     registration with both servers;
#   - the written Access Control: server 1 may write /3311/0 and read /3/0,
#     server 2 may only read /3311/0 (4.01 for a write, for /3/0 and for a
#     Create); server 1 may create /3311 instances;
#   - restart (quit, then SIGTERM) with the same --state-file: "config:
#     restored", registration with both servers, no second Bootstrap-Request,
#     the Access Control still enforced;
#   - a state file with a flipped byte, then a truncated one: "config:
#     corrupt, ignored: bootstrapping" and a new Bootstrap-Request;
#   - server-initiated bootstrap during a 30 s hold-off (the bulb never
#     sends POST /bs), with Bootstrap-Delete of /;
#   - a Security instance without its Server instance: the Finish is
#     answered 4.06 and the bulb does not register;
#   - a PSK account (security=psk, identity, key): the bulb registers over
#     DTLS with the credentials the bootstrap wrote (Security 2, 3, 5);
#   - fallback: the only server refuses the registration (4.03), the bulb
#     goes back to its Bootstrap-Server.
# Usage: e2e_bootstrap.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"

start_server m1
start_server m2
start_server m3
PSK_KEY=00112233445566778899aabbccddeeff
start_server m4 --psk-identity bulb-psk --psk-key "$PSK_KEY"
cat >"$WORK/bs.conf" <<EOF
# the bulb: two servers; its own lamp must survive, so no "delete /"
endpoint bulb
delete /0
delete /1
delete /2
server ssid=1 uri=coap://127.0.0.1:${PORT[m1]} lifetime=60
server ssid=2 uri=coap://127.0.0.1:${PORT[m2]} lifetime=60 binding=U storing=false
acl /3311/0 owner=1 1=RWE 2=R
acl /3/0 owner=1 1=RWE
acl /3311 create 1
discover

endpoint held
delete /
server ssid=1 uri=coap://127.0.0.1:${PORT[m1]} lifetime=60

endpoint bad
server ssid=1 uri=coap://127.0.0.1:${PORT[m1]} lifetime=60 only=security

endpoint psk
delete /0
delete /1
server ssid=4 uri=coaps://127.0.0.1:${PORT[m4]} lifetime=60 security=psk identity=bulb-psk key=$PSK_KEY

endpoint fb
server ssid=3 uri=coap://127.0.0.1:${PORT[m3]} lifetime=60
EOF
start_server bs --bootstrap "$WORK/bs.conf"
bslog=$WORK/bs.log
state=$WORK/bulb.state

# start_bs_bulb NAME EP [ARGS...]: a bulb that knows only the Bootstrap-Server
start_bs_bulb() {
    local name=$1 ep=$2
    shift 2
    open_fifo "$name"
    start_bg "$name" "$BULB_BIN" --bootstrap "coap://127.0.0.1:${PORT[bs]}" --endpoint "$ep" "$@" \
        <"$WORK/$name.in"
    PID[$name]=${PIDS[-1]}
}

# requests EP: how many Bootstrap-Requests the Bootstrap-Server saw from EP
requests() {
    count "$bslog" "^\\{\"event\":\"bootstrap-request\",\"ep\":\"$1\""
}

# stopped NAME: waits for bulb NAME to exit, expects status 0
stopped() {
    local rc=0
    wait "${PID[$1]}" || rc=$?
    [ $rc -eq 0 ] || fail "bulb $1 exited $rc"
}

# registered_both EP: waits until m1 and m2 each saw a new registration of EP
registered_both() {
    srv m1 "wait-registered $1 10s"
    srv m2 "wait-registered $1 10s"
}

# ---- client-initiated bootstrap, two servers ----
start_bs_bulb bulb bulb --state-file "$state"
srv bs "wait-bootstrapped bulb 10s"
registered_both bulb
wait_for_line "$WORK/bulb.log" '^config: none stored'
wait_for_line "$WORK/bulb.log" '^lwm2m: bootstrapping$'
expect_eq "one Bootstrap-Request" 1 "$(requests bulb)"
for step in '"op":"delete","path":"/0","code":"2.02"' \
    '"op":"discover","path":"/","code":"2.05","what":"to choose instance ids"' \
    '"op":"write","path":"/0/1","code":"2.04","what":"security: ssid 1, coap://127.0.0.1:'"${PORT[m1]}"', nosec"' \
    '"op":"write","path":"/0/2","code":"2.04"' \
    '"op":"write","path":"/1/0","code":"2.04","what":"server: ssid 1, lifetime 60s, binding U"' \
    '"op":"write","path":"/1/1","code":"2.04"' \
    '"op":"write","path":"/2/0","code":"2.04","what":"acl: /3311/0 1=RWE 2=R owner=1"' \
    '"op":"write","path":"/2/2","code":"2.04","what":"acl: /3311/65535 1=C owner=65535"' \
    '"op":"finish","path":"/bs","code":"2.04"'; do
    grep -qF "{\"event\":\"bootstrap-op\",\"ep\":\"bulb\",$step" "$bslog" || fail "no bootstrap step $step"
done
grep -F '"event":"bootstrap-op","ep":"bulb","op":"discover","path":"/","code":"2.05","payload"' "$bslog" |
    grep -qF '</0/1>;ssid=1,</0/2>;ssid=2,</1/0>;ssid=1,</1/1>;ssid=2,</2/0>,</2/1>,</2/2>' ||
    fail "the Bootstrap-Discover before the Finish does not show the accounts and ACLs written"
pass "bootstrap: Delete, Discover, TLV writes of /0, /1 and /2, Finish 2.04; registered with servers 1 and 2"

# the Bootstrap-Server's account is still the bulb's; the management
# servers cannot see the Security object
reg=$(grep -F '{"event":"registered","ep":"bulb",' "$WORK/m1.log" | tail -1)
expect_eq "registered objects" "/1/0 /1/1 /2/0 /2/1 /2/2 /3/0 /3311/0" "$(instances_of "$reg")"
! lists_security "$reg" || fail "the registration lists the Security object"

# ---- Access Control written by the bootstrap ----
check_acl() {
    srv m2 "write bulb /3311/0/5850 true expect 4.01"
    srv m1 "write bulb /3311/0/5850 true expect 2.04"
    srv m2 "read bulb /3311/0/5850 expect-value true"
    srv m2 "read bulb /3/0/0 expect 4.01"
    srv m1 "read bulb /3/0/0 expect-value Tern"
    srv m1 "write bulb /3311/0/5850 false expect 2.04"
}
check_acl
srv m2 "create bulb /3311 4 5850=true expect 4.01"
srv m1 "create bulb /3311 4 5850=true expect 2.01"
pass "ACL: server 1 writes /3311/0 and reads /3/0 and creates /3311/4; server 2 reads /3311/0, gets 4.01 otherwise"

# ---- Cancel-Observation by GET with Observe=1 from tern-server ----
srv m1 "observe bulb /3311/0/5850 expect-value false"
srv m1 "cancel-observe bulb /3311/0/5850 expect 2.05"
wait_for_line "$WORK/bulb.log" 'observation cancelled by server 1'
bulb bulb on "^bulb: ON.*local switch"
sleep 0.3
# before the fix the GET carried libcoap's token: the bulb answered it as a
# plain read, kept observing, and its next notification met an RST
expect_eq "cancel-observe: no notification after it" 0 "$(count "$WORK/bulb.log" 'ended by the server')"

# ---- restart with the same state file (quit, then SIGTERM) ----
bulb bulb quit
stopped bulb
srv m1 "wait-deregistered bulb 5s"
srv m2 "wait-deregistered bulb 5s"
start_bs_bulb bulb2 bulb --state-file "$state"
registered_both bulb
wait_for_line "$WORK/bulb2.log" '^config: restored$'
check_acl
kill -TERM "${PID[bulb2]}"
stopped bulb2
srv m1 "wait-deregistered bulb 5s"
start_bs_bulb bulb3 bulb --state-file "$state"
registered_both bulb
wait_for_line "$WORK/bulb3.log" '^config: restored$'
expect_eq "no second Bootstrap-Request after the restarts" 1 "$(requests bulb)"
for b in bulb2 bulb3; do
    [ "$(count "$WORK/$b.log" 'bootstrap')" = 0 ] || fail "$b bootstrapped after its restart"
done
pass "restarted twice with the state file: restored, registered with both servers, ACL enforced"

# ---- a damaged state file: a flipped byte, then a truncated file ----
kill -TERM "${PID[bulb3]}"
stopped bulb3
python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=0x5a; open(p,"wb").write(d)' "$state"
start_bs_bulb bulb4 bulb --state-file "$state"
wait_for_line "$WORK/bulb4.log" '^config: corrupt, ignored: bootstrapping$'
srv bs "wait-bootstrapped bulb 10s"
registered_both bulb
expect_eq "a new Bootstrap-Request after the flipped byte" 2 "$(requests bulb)"
kill -TERM "${PID[bulb4]}"
stopped bulb4
truncate -s $(($(stat -c %s "$state") / 2)) "$state"
start_bs_bulb bulb5 bulb --state-file "$state"
wait_for_line "$WORK/bulb5.log" '^config: corrupt, ignored: bootstrapping$'
srv bs "wait-bootstrapped bulb 10s"
registered_both bulb
expect_eq "a new Bootstrap-Request after the truncation" 3 "$(requests bulb)"
check_acl
pass "damaged state file (flipped byte, truncated): refused, bootstrapped again"
bulb bulb5 quit
stopped bulb5

# ---- server-initiated bootstrap during the hold-off ----
hp=$(free_udp_port)
start_bs_bulb held held --holdoff 30 --port "$hp"
wait_for_line "$WORK/held.log" '^lwm2m: bootstrapping$'
srv bs "bootstrap held 127.0.0.1:$hp 10s"
srv m1 "wait-registered held 10s"
wait_for_line "$WORK/held.log" 'the Bootstrap-Server started a bootstrap'
expect_eq "no Bootstrap-Request from the held bulb" 0 "$(requests held)"
[ "$(count "$WORK/held.log" 'Bootstrap-Request')" = 0 ] || fail "the held bulb sent a Bootstrap-Request"
grep -qF '{"event":"bootstrap-op","ep":"held","op":"delete","path":"/","code":"2.02"}' "$bslog" ||
    fail "no Bootstrap-Delete of /"
reg=$(grep -F '{"event":"registered","ep":"held",' "$WORK/m1.log" | tail -1)
expect_eq "after Bootstrap-Delete of / (the lamp instance implements Delete)" "/1/0 /3/0" \
    "$(instances_of "$reg")"
pass "server-initiated bootstrap in the hold-off time, from the Bootstrap-Server's port"

# ---- inconsistent configuration: the Finish is refused ----
start_bs_bulb bad bad
wait_for_line "$bslog" '^\{"event":"bootstrap-failed","ep":"bad",.*"op":"finish","path":"/bs","code":"4.06"' 10
wait_for_line "$WORK/bad.log" 'Bootstrap-Finish refused: a Security instance has no Server instance'
sleep 1
expect_eq "the bulb with an inconsistent configuration did not register" 0 \
    "$(count "$WORK/m1.log" '^\{"event":"registered","ep":"bad"')"
pass "a Security instance without its Server instance: Finish 4.06, no registration"

# ---- a PSK account ----
start_bs_bulb psk psk
srv m4 "wait-registered psk 10s"
grep -qF '{"event":"bootstrap-op","ep":"psk","op":"write","path":"/0/1","code":"2.04","what":"security: ssid 4, coaps://' "$bslog" ||
    fail "no PSK Security instance written"
grep -qF '{"event":"dtls-connected","peer":' "$WORK/m4.log" || fail "no DTLS session"
grep -F '{"event":"dtls-connected"' "$WORK/m4.log" | grep -qF '"client":"PSK identity '"'bulb-psk'"'"' ||
    fail "the DTLS session does not use the PSK identity written by the bootstrap: $(grep -F dtls-connected "$WORK/m4.log")"
pass "a bootstrapped PSK account: registered over DTLS as bulb-psk"

# ---- fallback: the only server refuses the registration ----
srv m3 "refuse-registration 4.03"
start_bs_bulb fb fb
wait_for_count "$bslog" '^\{"event":"bootstrap-request","ep":"fb"' 2
srv m3 "refuse-registration off"
srv m3 "wait-registered fb 20s"
grep -qF '{"event":"rejected","request":"register","code":"4.03"' "$WORK/m3.log" ||
    fail "server 3 refused nothing"
grep -q 'server 3 refused the registration with 4.03' "$WORK/fb.log" || fail "no refusal in the bulb's log"
# each bootstrap that led to no registration makes the next wait longer
# (4 s, 8 s, ...): a refusing server must not make the bulb spin
[ "$(requests fb)" -le 3 ] || fail "the bulb bootstrapped $(requests fb) times while server 3 refused: no back-off"
pass "registration refused (4.03): the bulb went back to its Bootstrap-Server, then registered"

for s in m1 m2 m3 m4 bs; do
    [ "$(count "$WORK/$s.log" '^\{"event":"error"')" = 0 ] || fail "tern-server $s reported errors"
done
no_sanitizer_reports
pass "no sanitizer reports"
