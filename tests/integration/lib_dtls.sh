# shellcheck shell=bash
# Helpers for the DTLS tests (sourced after lib.sh and lib_lwm2m.sh).
#
#   PROBE                          dtls_probe (the port's DTLS client alone)
#   PSK_KEY                        a fresh random 16-byte key, in hex
#   start_sbulb NAME EP PORT [ARGS...]  tern-lightbulb with coaps://127.0.0.1:PORT
#                                  (ARGS carry the credentials)
#   make_certs                     a throwaway EC P-256 CA, server and client
#                                  certificate, and a rogue CA with its own
#                                  client certificate, in $WORK/pki (removed
#                                  with $WORK; no key is kept anywhere else)
#   make_rpk_keys                  throwaway EC P-256 key pairs for raw public
#                                  keys (RFC 7250) in $WORK/rpk: server, bulb1,
#                                  rogue; NAME.key (SEC1 PEM), NAME.pub (PEM),
#                                  NAME.pub.der, NAME.p8.der (PKCS #8 DER)
#   key_print FILE.pub             the key's fingerprint as the port logs it
#                                  (SHA256: and 16 hex digits)
#   start_gnutls_server NAME [ARGS...]  tern-server-gnutls (libcoap's GnuTLS
#                                  backend, the one with raw public keys), as
#                                  start_server does tern-server
#   client_lines LOG PATTERN       count of the bulb's log lines matching PATTERN

PROBE=$1/tests/integration/dtls_probe
[ -x "$PROBE" ] || fail "no dtls_probe in $1 (build first)"
SERVER_GNUTLS_BIN=$1/tools/tern-server/tern-server-gnutls
PSK_KEY=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

start_sbulb() {
    local name=$1 ep=$2 port=$3
    shift 3
    open_fifo "$name"
    start_bg "$name" "$BULB_BIN" --server "coaps://127.0.0.1:$port" --endpoint "$ep" "$@" \
        <"$WORK/$name.in"
    PID[$name]=${PIDS[-1]}
}

# cert NAME SUBJECT ISSUER: an EC P-256 key and a certificate signed by ISSUER
# (self-signed CA when ISSUER is "self")
cert() {
    local d=$WORK/pki name=$1 subject=$2 issuer=$3
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/$name.key" 2>/dev/null
    if [ "$issuer" = self ]; then
        openssl req -x509 -new -key "$d/$name.key" -subj "$subject" -days 2 -out "$d/$name.pem" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
            2>/dev/null
    else
        openssl req -new -key "$d/$name.key" -subj "$subject" -out "$d/$name.csr" 2>/dev/null
        openssl x509 -req -in "$d/$name.csr" -CA "$d/$issuer.pem" -CAkey "$d/$issuer.key" \
            -CAcreateserial -days 2 -out "$d/$name.pem" 2>/dev/null
    fi
    [ -s "$d/$name.pem" ] || fail "openssl could not make the $name certificate"
}

make_certs() {
    command -v openssl >/dev/null || fail "the openssl command is needed (scripts/install-deps.sh)"
    mkdir -p "$WORK/pki"
    cert ca "/CN=Tern Test CA" self
    cert server "/CN=tern-server" ca
    cert bulb1 "/CN=bulb1" ca
    cert rogue-ca "/CN=Rogue CA" self
    cert rogue "/CN=rogue" rogue-ca
    # the client takes DER as well as PEM: give it DER for its own key
    openssl pkey -in "$WORK/pki/bulb1.key" -outform DER -out "$WORK/pki/bulb1.der" 2>/dev/null
}

client_lines() {
    count "$1" "$2"
}

make_rpk_keys() {
    command -v openssl >/dev/null || fail "the openssl command is needed (scripts/install-deps.sh)"
    local d=$WORK/rpk name
    mkdir -p "$d"
    for name in server bulb1 rogue; do
        openssl ecparam -name prime256v1 -genkey -noout -out "$d/$name.key" 2>/dev/null
        openssl pkey -in "$d/$name.key" -pubout -out "$d/$name.pub" 2>/dev/null
        openssl pkey -in "$d/$name.key" -pubout -outform DER -out "$d/$name.pub.der" 2>/dev/null
        openssl pkcs8 -topk8 -nocrypt -in "$d/$name.key" -outform DER -out "$d/$name.p8.der" 2>/dev/null
        [ -s "$d/$name.p8.der" ] || fail "openssl could not make the $name key pair"
    done
}

key_print() {
    echo "SHA256:$(openssl pkey -pubin -in "$1" -outform DER 2>/dev/null | sha256sum | cut -c1-16)"
}

start_gnutls_server() {
    [ -x "$SERVER_GNUTLS_BIN" ] || fail "no tern-server-gnutls (libcoap-3-gnutls missing at build time?)"
    local SERVER_BIN=$SERVER_GNUTLS_BIN
    start_server "$@"
}
