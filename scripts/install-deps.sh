#!/usr/bin/env bash
# Installs the Debian packages Tern needs, and nothing when they are all
# present. Run by every make target that builds; safe to run by hand.
set -euo pipefail

PACKAGES=(
    make gcc pkg-config cmake python3       # build and scripts
    clang libclang-rt-dev clang-format      # fuzzing, sanitizers, formatting
    libcmocka-dev                           # unit tests
    libcoap3-dev libcoap3-bin               # tern-server, interop peers
    libmbedtls-dev                          # DTLS in the POSIX port (PSK, certificates)
    libgnutls28-dev                         # DTLS with raw public keys in the POSIX port
    openssl                                 # throwaway certificates in the DTLS tests
    gcc-arm-none-eabi libnewlib-arm-none-eabi  # Cortex-M3 footprint build
    qemu-system-arm                         # the emulated device
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
