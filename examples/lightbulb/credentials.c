/* tern-lightbulb: DTLS credentials from the command line (credentials.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include <mbedtls/pk.h>

#include "credentials.h"

void bulb_creds_usage(FILE *out)
{
    fprintf(out, "DTLS for a coaps:// server: --psk-identity ID --psk-key HEX (PSK mode), or\n"
                 "--cert FILE --key FILE [--server-cert FILE] (certificate mode; PEM or DER;\n"
                 "--server-cert is the server's certificate or its CA), or\n"
                 "--rpk-key FILE --server-rpk FILE (raw public key mode, RFC 7250: our EC P-256\n"
                 "private key, our public key derived from it, and the server's public key,\n"
                 "the only one accepted; PEM or DER).\n");
}

bool bulb_creds_option(bulb_creds_t *c, const char *arg, const char *value)
{
    const char **slot = strcmp(arg, "--psk-identity") == 0  ? &c->psk_identity
                        : strcmp(arg, "--psk-key") == 0     ? &c->psk_key
                        : strcmp(arg, "--cert") == 0        ? &c->cert
                        : strcmp(arg, "--key") == 0         ? &c->key
                        : strcmp(arg, "--server-cert") == 0 ? &c->server_cert
                        : strcmp(arg, "--rpk-key") == 0     ? &c->rpk_key
                        : strcmp(arg, "--server-rpk") == 0  ? &c->server_rpk
                                                            : NULL;
    if (slot == NULL)
        return false;
    *slot = value;
    return true;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static bool decode_hex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(hex);
    if (n == 0 || n % 2 != 0 || n / 2 > cap)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return true;
}

static int base64_value(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/* Decodes base64 text in [p, end), skipping white space, up to '='. */
static bool decode_base64(const char *p, const char *end, uint8_t *out, size_t cap, size_t *len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    for (; p < end && *p != '='; p++) {
        if (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
            continue;
        int v = base64_value(*p);
        if (v < 0)
            return false;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= cap)
                return false;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    *len = n;
    return n > 0;
}

/*
 * The DER of the first PEM block whose label contains `label` (a key file
 * from openssl may start with an "EC PARAMETERS" block), or the file as it
 * is when it is DER already (starts with a SEQUENCE).
 */
static bool pem_or_der(const char *text, size_t size, const char *label, uint8_t *out, size_t cap,
                       size_t *len)
{
    if (size > 0 && (uint8_t)text[0] == 0x30) {
        if (size > cap)
            return false;
        memcpy(out, text, size);
        *len = size;
        return true;
    }
    const char *p = text;
    while ((p = strstr(p, "-----BEGIN ")) != NULL) {
        const char *name = p + 11;
        const char *name_end = strstr(name, "-----");
        if (name_end == NULL)
            return false;
        const char *body = name_end + 5;
        const char *end = strstr(body, "-----END ");
        if (end == NULL)
            return false;
        if (memmem(name, (size_t)(name_end - name), label, strlen(label)) != NULL)
            return decode_base64(body, end, out, cap, len);
        p = end + 9;
    }
    return false;
}

static bool load_file(const char *path, const char *label, const char *what, uint8_t *out,
                      size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tern-lightbulb: cannot open %s '%s': %s\n", what, path, strerror(errno));
        return false;
    }
    static char text[16384];
    size_t size = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[size] = '\0';
    if (!pem_or_der(text, size, label, out, cap, len)) {
        fprintf(stderr, "tern-lightbulb: %s '%s': no %s in PEM or DER, or too large\n", what, path,
                label);
        return false;
    }
    return true;
}

static bool load_psk(bulb_creds_t *c)
{
    if (c->psk_identity == NULL || c->psk_key == NULL) {
        fprintf(stderr, "tern-lightbulb: PSK mode needs --psk-identity and --psk-key\n");
        return false;
    }
    c->identity_len = strlen(c->psk_identity);
    if (c->identity_len == 0 || c->identity_len > sizeof(c->identity)) {
        fprintf(stderr, "tern-lightbulb: bad --psk-identity\n");
        return false;
    }
    memcpy(c->identity, c->psk_identity, c->identity_len);
    if (!decode_hex(c->psk_key, c->secret, sizeof(c->secret), &c->secret_len)) {
        fprintf(stderr, "tern-lightbulb: --psk-key takes the key in hex, e.g. 0011aabb\n");
        return false;
    }
    c->mode = TERN_SEC_PSK;
    return true;
}

static bool load_cert(bulb_creds_t *c)
{
    if (c->cert == NULL || c->key == NULL) {
        fprintf(stderr, "tern-lightbulb: certificate mode needs --cert and --key\n");
        return false;
    }
    if (!load_file(c->cert, "CERTIFICATE", "certificate", c->identity, sizeof(c->identity),
                   &c->identity_len)
        || !load_file(c->key, "PRIVATE KEY", "private key", c->secret, sizeof(c->secret),
                      &c->secret_len)
        || (c->server_cert != NULL
            && !load_file(c->server_cert, "CERTIFICATE", "server certificate", c->server_key,
                          sizeof(c->server_key), &c->server_key_len)))
        return false;
    c->mode = TERN_SEC_CERT;
    return true;
}

/* Our public key (DER SubjectPublicKeyInfo, what the Security object's
 * Public Key or Identity holds in RPK mode) from the private key. */
static bool derive_public_key(bulb_creds_t *c)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int n = -1;
    if (mbedtls_pk_parse_key(&pk, c->secret, c->secret_len, NULL, 0) == 0
        && mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY)
        n = mbedtls_pk_write_pubkey_der(&pk, c->identity, sizeof(c->identity)); /* at the end */
    mbedtls_pk_free(&pk);
    if (n <= 0) {
        fprintf(stderr, "tern-lightbulb: --rpk-key '%s': not an EC private key\n", c->rpk_key);
        return false;
    }
    memmove(c->identity, c->identity + sizeof(c->identity) - (size_t)n, (size_t)n);
    c->identity_len = (size_t)n;
    return true;
}

static bool load_rpk(bulb_creds_t *c)
{
    if (c->rpk_key == NULL || c->server_rpk == NULL) {
        fprintf(stderr, "tern-lightbulb: raw public key mode needs --rpk-key and --server-rpk (the "
                        "server is known by its key)\n");
        return false;
    }
    if (!load_file(c->rpk_key, "PRIVATE KEY", "private key", c->secret, sizeof(c->secret),
                   &c->secret_len)
        || !derive_public_key(c)
        || !load_file(c->server_rpk, "PUBLIC KEY", "server public key", c->server_key,
                      sizeof(c->server_key), &c->server_key_len))
        return false;
    c->mode = TERN_SEC_RPK;
    return true;
}

bool bulb_creds_load(bulb_creds_t *c)
{
    bool psk = c->psk_identity != NULL || c->psk_key != NULL;
    bool cert = c->cert != NULL || c->key != NULL || c->server_cert != NULL;
    bool rpk = c->rpk_key != NULL || c->server_rpk != NULL;
    c->mode = TERN_SEC_NOSEC;
    if (psk + cert + rpk > 1) {
        fprintf(stderr, "tern-lightbulb: choose PSK (--psk-*), certificates (--cert, --key) or raw "
                        "public keys (--rpk-key, --server-rpk)\n");
        return false;
    }
    if ((psk && !load_psk(c)) || (cert && !load_cert(c)) || (rpk && !load_rpk(c)))
        return false;
    /* what the Security object's resources hold (include/tern/config.h) */
    if (c->identity_len > TERN_MAX_IDENTITY || c->secret_len > TERN_MAX_SECRET
        || c->server_key_len > TERN_MAX_SERVER_KEY) {
        fprintf(stderr,
                "tern-lightbulb: credentials too large for this build (identity or public key "
                "%u/%u, key %u/%u, server key %u/%u bytes; TERN_MAX_IDENTITY etc.)\n",
                (unsigned)c->identity_len, (unsigned)TERN_MAX_IDENTITY, (unsigned)c->secret_len,
                (unsigned)TERN_MAX_SECRET, (unsigned)c->server_key_len,
                (unsigned)TERN_MAX_SERVER_KEY);
        return false;
    }
    return true;
}

bool bulb_creds_apply(const bulb_creds_t *c, tern_server_config_t *srv)
{
    if (srv->uri == NULL || strncmp(srv->uri, "coaps://", 8) != 0) {
        srv->mode = TERN_SEC_NOSEC;
        return true;
    }
    if (c->mode == TERN_SEC_NOSEC) {
        fprintf(stderr,
                "tern-lightbulb: %s needs --psk-identity/--psk-key, --cert/--key or "
                "--rpk-key/--server-rpk\n",
                srv->uri);
        return false;
    }
    srv->mode = c->mode;
    srv->identity = c->identity;
    srv->identity_len = c->identity_len;
    srv->secret = c->secret;
    srv->secret_len = c->secret_len;
    srv->server_key = c->server_key_len > 0 ? c->server_key : NULL;
    srv->server_key_len = c->server_key_len;
    return true;
}
