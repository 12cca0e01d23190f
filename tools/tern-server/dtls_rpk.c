/* Raw public keys for coaps:// (see dtls_rpk.h). */
#define _GNU_SOURCE
#include "dtls_rpk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#define RPK_FILE_MAX 16384

typedef struct rpk_client {
    struct rpk_client *next;
    char *label; /* the file's name without its directory */
    uint8_t *der;
    size_t len;
} rpk_client_t;

struct srv_rpk {
    char *key_pem; /* --rpk-key as read, NUL-terminated: libcoap reads it */
    size_t key_len;
    rpk_client_t *clients;
};

bool dtls_rpk_wanted(const srv_options_t *opt)
{
    return opt->rpk_key != NULL || opt->n_client_rpk > 0;
}

/* The whole file, NUL-terminated (the caller frees), or NULL with a line
 * on stderr. */
static char *read_small_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tern-server: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    char *text = xmalloc(RPK_FILE_MAX + 1);
    *len = fread(text, 1, RPK_FILE_MAX, f);
    bool bad = ferror(f) || !feof(f) || *len == 0;
    fclose(f);
    if (bad) {
        fprintf(stderr, "tern-server: '%s' is empty, unreadable or larger than %d bytes\n", path,
                RPK_FILE_MAX);
        free(text);
        return NULL;
    }
    text[*len] = '\0';
    return text;
}

/* The DER of a "PUBLIC KEY" PEM block in text, or text itself when it is
 * DER already (a SEQUENCE). False when neither. */
static bool public_key_der(const char *text, size_t len, strbuf_t *der)
{
    static const char BEGIN[] = "-----BEGIN PUBLIC KEY-----", END[] = "-----END PUBLIC KEY-----";
    if (len > 0 && (uint8_t)text[0] == 0x30) {
        sb_append(der, text, len);
        return true;
    }
    const char *body = strstr(text, BEGIN);
    const char *end = body != NULL ? strstr(body, END) : NULL;
    if (end == NULL)
        return false;
    strbuf_t b64;
    sb_init(&b64);
    for (const char *p = body + strlen(BEGIN); p < end; p++) {
        if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
            sb_putc(&b64, *p);
    }
    bool ok = base64_decode((const uint8_t *)b64.s, b64.len, der) && der->len > 0;
    sb_free(&b64);
    return ok;
}

static bool add_client(struct srv_rpk *rpk, const char *path)
{
    size_t len;
    char *text = read_small_file(path, &len);
    if (text == NULL)
        return false;
    strbuf_t der;
    sb_init(&der);
    bool ok = public_key_der(text, len, &der);
    free(text);
    if (!ok) {
        fprintf(stderr, "tern-server: --client-rpk '%s': no PUBLIC KEY in PEM or DER\n", path);
        sb_free(&der);
        return false;
    }
    rpk_client_t *c = xcalloc(1, sizeof(*c));
    const char *slash = strrchr(path, '/');
    c->label = xstrdup(slash != NULL ? slash + 1 : path);
    c->len = der.len;
    c->der = (uint8_t *)sb_take(&der);
    c->next = rpk->clients;
    rpk->clients = c;
    return true;
}

static bool check_options(const srv_options_t *opt)
{
    /* libcoap 4.3.1 has no coap_dtls_rpk_is_supported(); among its
     * backends Debian builds, GnuTLS is the one with RFC 7250 */
    const coap_tls_version_t *tls = coap_get_tls_library_version();
    if (tls == NULL || tls->type != COAP_TLS_LIBRARY_GNUTLS) {
        fprintf(stderr, "tern-server: this libcoap has no raw public keys (RFC 7250): use "
                        "tern-server-gnutls (libcoap's GnuTLS backend)\n");
        return false;
    }
    if (opt->cert != NULL || opt->key != NULL || opt->ca != NULL) {
        fprintf(stderr, "tern-server: --rpk-key and --cert/--key/--ca exclude each other (libcoap "
                        "takes one PKI set-up)\n");
        return false;
    }
    if (opt->rpk_key == NULL || opt->n_client_rpk == 0) {
        fprintf(stderr, "tern-server: raw public keys need --rpk-key and at least one "
                        "--client-rpk (clients are known by their keys)\n");
        return false;
    }
    return true;
}

struct srv_rpk *dtls_rpk_load(const srv_options_t *opt, coap_dtls_pki_t *pki)
{
    if (!check_options(opt))
        return NULL;
    struct srv_rpk *rpk = xcalloc(1, sizeof(*rpk));
    rpk->key_pem = read_small_file(opt->rpk_key, &rpk->key_len);
    bool ok = rpk->key_pem != NULL;
    if (ok && strstr(rpk->key_pem, "PRIVATE KEY-----") == NULL) {
        fprintf(stderr,
                "tern-server: --rpk-key '%s': no PEM private key (EC PRIVATE KEY, or "
                "PRIVATE KEY with PUBLIC KEY)\n",
                opt->rpk_key);
        ok = false;
    }
    for (int i = 0; ok && i < opt->n_client_rpk; i++)
        ok = add_client(rpk, opt->client_rpk[i]);
    if (!ok) {
        dtls_rpk_free(rpk);
        return NULL;
    }
    /* an EC PRIVATE KEY alone gives libcoap both halves; otherwise it
     * takes the PUBLIC KEY block from the "certificate" buffer */
    pki->is_rpk_not_cert = 1;
    pki->pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
    pki->pki_key.key.pem_buf.public_cert = (const uint8_t *)rpk->key_pem;
    pki->pki_key.key.pem_buf.public_cert_len = rpk->key_len + 1;
    pki->pki_key.key.pem_buf.private_key = (const uint8_t *)rpk->key_pem;
    pki->pki_key.key.pem_buf.private_key_len = rpk->key_len + 1;
    return rpk;
}

bool dtls_rpk_check(const struct srv_rpk *rpk, const uint8_t *der, size_t len, char *who,
                    size_t size)
{
    for (const rpk_client_t *c = rpk->clients; c != NULL; c = c->next) {
        if (c->len == len && memcmp(c->der, der, len) == 0) {
            snprintf(who, size, "raw public key '%s'", c->label);
            return true;
        }
    }
    /* the last bytes of the key's point tell keys apart in a log */
    strbuf_t tail;
    sb_init(&tail);
    sb_hex(&tail, der + (len > 8 ? len - 8 : 0), len > 8 ? 8 : len);
    snprintf(who, size, "unknown raw public key ...%s", tail.s);
    sb_free(&tail);
    return false;
}

void dtls_rpk_free(struct srv_rpk *rpk)
{
    if (rpk == NULL)
        return;
    for (rpk_client_t *c = rpk->clients, *next; c != NULL; c = next) {
        next = c->next;
        free(c->label);
        free(c->der);
        free(c);
    }
    free(rpk->key_pem);
    free(rpk);
}
