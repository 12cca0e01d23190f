/*
 * Fuzz target: the POSIX port's firmware packages, the bytes a server
 * pushes or a device pulls ("TERNFW1 NAME VERSION SIZE\n", image,
 * SHA-256), stored through fw_open / fw_write / fw_finish in a scratch
 * directory. The first input byte picks the mode: odd, the harness
 * appends the correct digest so that the header and size checks are
 * explored past the digest; even, the bytes are taken as they are. A
 * package is refused or accepted with a name and version the device can
 * show, never anything else.
 */
#define _GNU_SOURCE /* mkdtemp, strnlen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "tern/posix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PACKAGE_MAX 4096

static void no_restart(void *user)
{
    (void)user;
}

/* Printable, no blanks, NUL-terminated within cap: what /5/0/6 shows. */
static int token_ok(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == 0 || n == cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    static tern_posix_t px;
    static uint8_t package[PACKAGE_MAX + 32];
    if (dir[0] == '\0') {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dir, sizeof(dir), "%s/tern-fuzz-fw-XXXXXX", base);
        if (mkdtemp(dir) == NULL)
            abort();
    }
    if (size == 0 || size - 1 > PACKAGE_MAX)
        return 0;
    bool with_digest = data[0] & 1;
    size_t len = size - 1;
    memcpy(package, data + 1, len);
    if (with_digest) {
        (void)mbedtls_sha256_ret(package, len, package + len, 0);
        len += 32;
    }

    tern_port_t port;
    tern_posix_init(&px, &port, "fuzz");
    if (getenv("TERN_DEBUG") == NULL)
        px.log_level = TERN_LOG_ERROR; /* a refusal per run is a warning: keep it quiet */
    tern_posix_set_firmware(&px, dir, no_restart, NULL);
    const tern_port_ops_t *ops = port.ops;
    char name[32] = "", version[32] = "";
    int rc = ops->fw_open(port.ctx, len);
    /* in two pieces, as blocks arrive */
    size_t half = len / 2;
    if (rc == 0)
        rc = ops->fw_write(port.ctx, 0, package, half);
    if (rc == 0)
        rc = ops->fw_write(port.ctx, half, package + half, len - half);
    if (rc == 0) {
        rc = ops->fw_finish(port.ctx, name, version, sizeof(name));
        if (rc == 0
            && (!token_ok(name, sizeof(name)) || !token_ok(version, sizeof(version))
                || memcmp(package, "TERNFW1 ", 8) != 0))
            abort();
        if (rc != 0 && rc != TERN_ERR_CORRUPT && rc != -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT)
            abort();
    }
    ops->fw_abort(port.ctx);
    tern_posix_deinit(&px);
    return 0;
}
