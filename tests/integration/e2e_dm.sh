#!/usr/bin/env bash
# End to end, device management: tern-server runs scripts/e2e_dm.script
# against tern-lightbulb on loopback: Read of object, instance, resource and
# resource instance in TLV and text, Write replace and partial update,
# Execute with arguments, Discover with attributes at each level,
# Write-Attributes (and removing one), Create with and without an instance
# id and Delete on /3311, and the error codes 4.04, 4.05, 4.06, 4.15, 4.00,
# 4.01. Payloads tern-server cannot produce (a malformed TLV, an unknown
# content format) come from libcoap's coap-client-notls.
# Usage: e2e_dm.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
SCRIPTS=$(cd "$(dirname "$0")/scripts" && pwd)

start_server srv --script "$SCRIPTS/e2e_dm.script"
bp=$(free_udp_port)
start_bulb bulb dm "${PORT[srv]}" --lifetime 60 --port "$bp"
wait_script srv
log=$WORK/srv.log
pass "tern-server's e2e_dm.script: every expectation held ($(count "$log" '^\{"event":"response"') requests)"

# What the script's expectations do not see: content formats and the
# object list in Register and in the Updates after Create and Delete.
has() {
    grep -qF "$2" "$log" || fail "$1: no '$2' in tern-server's events"
    pass "$1"
}
ev=$(grep -F '{"event":"registered","ep":"dm",' "$log" | head -1)
expect_eq "Register: the object instances" "/1/0 /3/0 /3311/0" "$(instances_of "$ev")"
has "read /3/0/0 in TLV answers TLV" '"op":"read","ep":"dm","path":"/3/0/0","code":"2.05","content_format":11542,'
has "read /3/0/0 in text answers text" '"op":"read","ep":"dm","path":"/3/0/0","code":"2.05","content_format":0,'
has "read /3/0/11/0 in TLV answers TLV" '"op":"read","ep":"dm","path":"/3/0/11/0","code":"2.05","content_format":11542,'
has "read /3/0/11/0 in text answers text" '"op":"read","ep":"dm","path":"/3/0/11/0","code":"2.05","content_format":0,'
has "read /3 without Accept answers TLV" '"op":"read","ep":"dm","path":"/3/0","code":"2.05","content_format":11542,'
has "Create without an id: 2.01 at /3311/1" '"op":"create","ep":"dm","path":"/3311","code":"2.01","location":"/3311/1"'
has "Create with id 7: 2.01 at /3311/7" '"op":"create","ep":"dm","path":"/3311","code":"2.01","location":"/3311/7"'
updates=$(grep -F '{"event":"updated","ep":"dm",' "$log" | while IFS= read -r ev; do
    echo "[$(instances_of "$ev")]"
done | tr '\n' ' ')
expect_eq "the Updates after Create, Delete, Create, Delete" \
    "[/1/0 /3/0 /3311/0 /3311/1] [/1/0 /3/0 /3311/0] [/1/0 /3/0 /3311/0 /3311/7] [/1/0 /3/0 /3311/0] " "$updates"
while IFS= read -r ev; do
    ! lists_security "$ev" || fail "the Security object is listed: $ev"
done < <(grep -E '^\{"event":"(registered|updated)"' "$log")
pass "no Register or Update lists /0"

# --- malformed payloads, straight from libcoap's client ---
B="coap://127.0.0.1:$bp"
# code_of METHOD PATH [ARGS...]: the code of the response (libcoap prints
# 4.xx and 5.xx on stderr), or "2.xx"
code_of() {
    local m=$1 p=$2 out
    shift 2
    out=$(coap-client-notls -B 5 -m "$m" "$@" "$B$p" 2>&1 >/dev/null | grep -oE '[45]\.[0-9]{2}' | head -1 || true)
    echo "${out:-2.xx}"
}
text_of() {
    coap-client-notls -B 5 -m get -A 0 "$B$1"
}
# tlv NAME BYTES: a payload file (\xHH escapes) for coap-client-notls -f
tlv() {
    printf '%b' "$2" >"$WORK/$1.tlv"
    echo "$WORK/$1.tlv"
}
before=$(text_of /3311/0/5851)
# a Resource TLV whose length (4) runs past the end of the payload
expect_eq "Write with a truncated TLV: 4.00" "4.00" "$(code_of put /3311/0 -t 11542 -f "$(tlv short '\xe4\x16\xdb\x01')")"
# an Object Instance TLV (id 0, 3 bytes) whose Resource TLV needs 1 more
expect_eq "partial update with a bad nested TLV: 4.00" "4.00" \
    "$(code_of post /3311/0 -t 11542 -f "$(tlv nested '\x03\x00\xe1\x16\xdb\x05')")"
# a Resource TLV header cut before its identifier
expect_eq "Create with a bad TLV: 4.00" "4.00" "$(code_of post /3311 -t 11542 -f "$(tlv cut '\xc8')")"
expect_eq "the bad TLVs changed nothing" "$before" "$(text_of /3311/0/5851)"
expect_eq "Write in SenML JSON (not built in): 4.15" "4.15" \
    "$(code_of put /3311/0/5851 -t 110 -e '[{"n":"","v":1}]')"
expect_eq "Write in an unknown content format: 4.15" "4.15" "$(code_of put /3311/0/5851 -t 9999 -e 1)"
expect_eq "Read with an unknown Accept: 4.06" "4.06" "$(code_of get /3311/0/5851 -A 9999)"
expect_eq "a good TLV still works afterwards" "2.xx" "$(code_of put /3311/0/5851 -t 11542 -f "$(tlv good '\xe1\x16\xdb\x21')")"
expect_eq "...and was written" "33" "$(text_of /3311/0/5851)"

no_sanitizer_reports
pass "no sanitizer reports"
