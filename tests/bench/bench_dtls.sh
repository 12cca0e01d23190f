#!/usr/bin/env bash
# DTLS handshake cost (issue 6): time and bytes on the wire of the POSIX
# port's DTLS client (mbed TLS) against tern-server (libcoap, OpenSSL) on
# loopback, with PSK and with EC P-256 certificates, full handshakes and
# resumed sessions; and with EC P-256 raw public keys (RFC 7250: the
# port's GnuTLS client against tern-server-gnutls, full handshakes only);
# the median of N runs (BENCH_DTLS_RUNS, default 20).
# Bytes are UDP payloads counted by the port from net_open() to the end of
# the handshake; each datagram also costs 28 bytes of IPv4 and UDP header
# (48 with IPv6). Prints figures; never fails on timing (or at all).
# Usage: bench_dtls.sh BUILD_DIR
build=${1:-build}
probe=$build/tests/integration/dtls_probe
server=$build/tools/tern-server/tern-server
server_gnutls=$build/tools/tern-server/tern-server-gnutls
runs=${BENCH_DTLS_RUNS:-20}
if [ ! -x "$probe" ] || [ ! -x "$server" ] || ! command -v openssl >/dev/null; then
    echo "bench_dtls: skipped (needs $probe, $server and openssl)"
    exit 0
fi
work=$(mktemp -d /tmp/tern-bench-dtls.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

key() { openssl ecparam -name prime256v1 -genkey -noout -out "$work/$1.key" 2>/dev/null; }
key ca
openssl req -x509 -new -key "$work/ca.key" -subj "/CN=Bench CA" -days 1 -out "$work/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
for n in server bulb1; do
    key $n
    openssl req -new -key "$work/$n.key" -subj "/CN=$n" -out "$work/$n.csr" 2>/dev/null
    openssl x509 -req -in "$work/$n.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
        -days 1 -out "$work/$n.pem" 2>/dev/null
done
psk=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

# serve NAME ARGS...: tern-server on a free port; its port in $port
serve() {
    local name=$1
    shift
    echo "sleep 3600s" >"$work/serve.script"
    "${server_bin:-$server}" --json --port 0 --script "$work/serve.script" "$@" >"$work/$name.log" 2>&1 </dev/null &
    pids+=($!)
    for _ in $(seq 50); do
        port=$(sed -n 's/^{"event":"listening".*"port":\([0-9]*\)}$/\1/p' "$work/$name.log")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "bench_dtls: tern-server did not start"
    exit 0
}

echo "bench_dtls: $runs runs each, loopback, mbed TLS client / OpenSSL server;" \
    "bytes are UDP payload (add 28 per datagram for IPv4 and UDP headers)"
serve both --psk-identity bulb1 --psk-key "$psk" --cert "$work/server.pem" --key "$work/server.key"
"$probe" bench 127.0.0.1 "$port" --psk-identity bulb1 --psk-key "$psk" "$runs" 2>/dev/null | grep -v '^ok'
"$probe" bench 127.0.0.1 "$port" --cert "$work/bulb1.pem" --key "$work/bulb1.key" \
    --server-cert "$work/ca.pem" "$runs" 2>/dev/null | grep -v '^ok' | sed 's/^certificates/certificates, server authenticated/'
serve mutual --cert "$work/server.pem" --key "$work/server.key" --ca "$work/ca.pem"
"$probe" bench 127.0.0.1 "$port" --cert "$work/bulb1.pem" --key "$work/bulb1.key" \
    --server-cert "$work/ca.pem" "$runs" 2>/dev/null | grep -v '^ok' | sed 's/^certificates/certificates, mutual/'
if [ -x "$server_gnutls" ]; then
    openssl pkey -in "$work/server.key" -pubout -out "$work/server.pub" 2>/dev/null
    openssl pkey -in "$work/bulb1.key" -pubout -out "$work/bulb1.pub" 2>/dev/null
    echo "bench_dtls: raw public keys: GnuTLS client (the port's RPK backend) / GnuTLS server"
    server_bin=$server_gnutls serve rpk --rpk-key "$work/server.key" --client-rpk "$work/bulb1.pub"
    "$probe" bench 127.0.0.1 "$port" --rpk-key "$work/bulb1.key" --server-rpk "$work/server.pub" \
        "$runs" 2>/dev/null | grep -v '^ok' | sed 's/^raw public keys/raw public keys, mutual/'
fi
exit 0
