/*
 * POSIX port, DTLS: the mbed TLS configuration of a connection from the
 * credentials of a Security instance (PSK or certificates; raw public
 * keys are posix_dtls_rpk_setup.c's), the random generator, and the
 * sessions kept for resumption.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "posix_dtls.h"

/*
 * The suites LwM2M 1.0 and 1.1 make mandatory for each mode (after RFC
 * 7252 9.1.3.1 and 9.1.3.3, and RFC 7925), and nothing else: a server that
 * offers none of them fails the handshake instead of agreeing on
 * something weaker. CCM_8 first, the AEAD suite CoAP names; CBC_SHA256 for
 * PSK servers without CCM.
 */
static const int PSK_SUITES[] = { MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8,
                                  MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256, 0 };
static const int CERT_SUITES[] = { MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, 0 };
/* secp256r1, the curve RFC 7925 has constrained devices implement */
static const mbedtls_ecp_group_id CURVES[] = { MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE };

static int entropy(void *ctx, unsigned char *out, size_t len)
{
    return tern_posix_random(ctx, out, len) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

struct tern_posix_dtls_shared *tern_posix_dtls_shared_get(tern_posix_t *px)
{
    static const char PERSONALISATION[] = "tern posix dtls";
    if (px->dtls_shared != NULL)
        return px->dtls_shared;
    struct tern_posix_dtls_shared *sh = calloc(1, sizeof(*sh));
    if (sh == NULL)
        return NULL;
    mbedtls_ctr_drbg_init(&sh->drbg);
    for (int i = 0; i < TERN_POSIX_DTLS_SESSIONS; i++)
        mbedtls_ssl_session_init(&sh->sessions[i].session);
    if (mbedtls_ctr_drbg_seed(&sh->drbg, entropy, px, (const unsigned char *)PERSONALISATION,
                              sizeof(PERSONALISATION) - 1)
        != 0) {
        mbedtls_ctr_drbg_free(&sh->drbg);
        free(sh);
        return NULL;
    }
    px->dtls_shared = sh;
    return sh;
}

void tern_posix_dtls_deinit(tern_posix_t *px)
{
    struct tern_posix_dtls_shared *sh = px->dtls_shared;
    if (sh == NULL)
        return;
    for (int i = 0; i < TERN_POSIX_DTLS_SESSIONS; i++)
        mbedtls_ssl_session_free(&sh->sessions[i].session);
    mbedtls_ctr_drbg_free(&sh->drbg);
    free(sh);
    px->dtls_shared = NULL;
}

/* Printable form of a PSK identity for log lines. */
static void identity_text(char *out, size_t cap, const uint8_t *id, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 4 < cap; i++)
        out[n++] = id[i] >= 0x20 && id[i] < 0x7f ? (char)id[i] : '?';
    if (len > 0 && n < len && n + 3 < cap) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* The session cache key: a session is offered only to the same server
 * with the same credentials. */
static void cache_key(struct tern_posix_dtls *d, const tern_net_security_t *sec)
{
    mbedtls_sha256_context sha;
    const uint8_t mode = sec->mode;
    const uint32_t lens[3] = { (uint32_t)sec->identity_len, (uint32_t)sec->secret_len,
                               (uint32_t)sec->server_key_len };
    mbedtls_sha256_init(&sha);
    mbedtls_sha256_starts_ret(&sha, 0);
    mbedtls_sha256_update_ret(&sha, &d->peer.len, 1);
    mbedtls_sha256_update_ret(&sha, d->peer.bytes, d->peer.len);
    mbedtls_sha256_update_ret(&sha, &mode, 1);
    mbedtls_sha256_update_ret(&sha, (const unsigned char *)lens, sizeof(lens));
    if (sec->identity_len > 0)
        mbedtls_sha256_update_ret(&sha, sec->identity, sec->identity_len);
    if (sec->secret_len > 0)
        mbedtls_sha256_update_ret(&sha, sec->secret, sec->secret_len);
    if (sec->server_key_len > 0)
        mbedtls_sha256_update_ret(&sha, sec->server_key, sec->server_key_len);
    mbedtls_sha256_finish_ret(&sha, d->cache_key);
    mbedtls_sha256_free(&sha);
}

static int configure_psk(struct tern_posix_dtls *d, const tern_net_security_t *sec)
{
    identity_text(d->who, sizeof(d->who), sec->identity, sec->identity_len);
    if (sec->identity_len == 0 || sec->secret_len == 0) {
        tern_posix_log(d->px, TERN_LOG_ERROR, "dtls: PSK mode needs an identity and a key");
        return TERN_ERR_ARG;
    }
    mbedtls_ssl_conf_ciphersuites(&d->conf, PSK_SUITES);
    if (mbedtls_ssl_conf_psk(&d->conf, sec->secret, sec->secret_len, sec->identity,
                             sec->identity_len)
        != 0) {
        tern_posix_log(d->px, TERN_LOG_ERROR,
                       "dtls: PSK of %u bytes or identity of %u bytes too long (key at most %u)",
                       (unsigned)sec->secret_len, (unsigned)sec->identity_len,
                       (unsigned)MBEDTLS_PSK_MAX_LEN);
        return TERN_ERR_ARG;
    }
    return 0;
}

static bool self_signed(const mbedtls_x509_crt *crt)
{
    return crt->subject_raw.len == crt->issuer_raw.len
           && memcmp(crt->subject_raw.p, crt->issuer_raw.p, crt->subject_raw.len) == 0;
}

/*
 * Pinning: when the Security object holds the server's own certificate
 * (not a CA, not self-signed), the server must present exactly that
 * certificate; its chain is not evaluated. mbed TLS calls this for each
 * certificate of the chain, root first; the flags of all are OR-ed.
 */
static int verify_pinned(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    const struct tern_posix_dtls *d = ctx;
    if (depth > 0) {
        *flags = 0;
    } else if (crt->raw.len == d->trust.raw.len
               && memcmp(crt->raw.p, d->trust.raw.p, crt->raw.len) == 0) {
        *flags = 0;
    } else {
        *flags |= MBEDTLS_X509_BADCERT_NOT_TRUSTED;
    }
    return 0;
}

static int configure_cert(struct tern_posix_dtls *d, const tern_net_security_t *sec)
{
    const char *what = "own certificate";
    int rc = sec->identity_len > 0
                 ? mbedtls_x509_crt_parse_der(&d->own_cert, sec->identity, sec->identity_len)
                 : -1;
    if (rc == 0) {
        what = "private key";
        rc = sec->secret_len > 0
                 ? mbedtls_pk_parse_key(&d->own_key, sec->secret, sec->secret_len, NULL, 0)
                 : -1;
    }
    if (rc == 0 && sec->server_key_len > 0) {
        what = "server certificate";
        rc = mbedtls_x509_crt_parse_der(&d->trust, sec->server_key, sec->server_key_len);
    }
    if (rc == 0) {
        what = "private key for this certificate";
        rc = mbedtls_pk_check_pair(&d->own_cert.pk, &d->own_key);
    }
    if (rc != 0) {
        tern_posix_log(d->px, TERN_LOG_ERROR, "dtls: certificate mode: unusable %s (DER expected)",
                       what);
        return TERN_ERR_ARG;
    }
    if (mbedtls_x509_dn_gets(d->who, sizeof(d->who), &d->own_cert.subject) < 0)
        d->who[0] = '\0';
    mbedtls_ssl_conf_ciphersuites(&d->conf, CERT_SUITES);
    mbedtls_ssl_conf_curves(&d->conf, CURVES);
    if (mbedtls_ssl_conf_own_cert(&d->conf, &d->own_cert, &d->own_key) != 0)
        return TERN_ERR_ARG;
    if (sec->server_key_len == 0) {
        tern_posix_log(d->px, TERN_LOG_WARN,
                       "dtls: no server certificate or CA: the server is not authenticated");
        mbedtls_ssl_conf_authmode(&d->conf, MBEDTLS_SSL_VERIFY_NONE);
        return 0;
    }
    /* The server is known by its certificate or CA, not by a host name
     * (LwM2M URIs often hold a bare address), so no name check. */
    mbedtls_ssl_conf_authmode(&d->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&d->conf, &d->trust, NULL);
    d->pinned = !d->trust.ca_istrue && !self_signed(&d->trust);
    if (d->pinned)
        mbedtls_ssl_conf_verify(&d->conf, verify_pinned, d);
    return 0;
}

int tern_posix_dtls_configure(struct tern_posix_dtls *d, const tern_net_security_t *sec)
{
    struct tern_posix_dtls_shared *sh = d->px->dtls_shared;
    d->mode = sec->mode;
    if (sec->mode != TERN_NET_PSK && sec->mode != TERN_NET_CERT) {
        tern_posix_log(d->px, TERN_LOG_ERROR, "dtls: unknown security mode %u", sec->mode);
        return TERN_ERR_ARG;
    }
    if (mbedtls_ssl_config_defaults(&d->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT)
        != 0)
        return TERN_ERR_ARG;
    mbedtls_ssl_conf_rng(&d->conf, mbedtls_ctr_drbg_random, &sh->drbg);
    /* DTLS 1.2 only: TLS minor version 3 is DTLS 1.2 */
    mbedtls_ssl_conf_min_version(&d->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_handshake_timeout(&d->conf, DTLS_HS_TIMEOUT_MIN_MS, DTLS_HS_TIMEOUT_MAX_MS);
    /* Resumption by session id (RFC 5246 7.3), not tickets (RFC 5077): a
     * ticket travels in both ClientHellos of the cookie exchange and in a
     * NewSessionTicket, ~190 bytes more per full handshake and ~360 per
     * resumed one against OpenSSL, and not every LwM2M server takes them */
    mbedtls_ssl_conf_session_tickets(&d->conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    cache_key(d, sec);
    return sec->mode == TERN_NET_PSK ? configure_psk(d, sec) : configure_cert(d, sec);
}

static dtls_cached_session_t *find_session(struct tern_posix_dtls_shared *sh, const uint8_t *key)
{
    for (int i = 0; i < TERN_POSIX_DTLS_SESSIONS; i++) {
        if (sh->sessions[i].used && memcmp(sh->sessions[i].key, key, 32) == 0)
            return &sh->sessions[i];
    }
    return NULL;
}

void tern_posix_dtls_offer_session(struct tern_posix_dtls *d)
{
    dtls_cached_session_t *c = find_session(d->px->dtls_shared, d->cache_key);
    if (c == NULL || mbedtls_ssl_set_session(&d->ssl, &c->session) != 0)
        return;
    /* a resumed session keeps its master secret: that is how
     * established() tells resumption from a full handshake */
    d->offered = true;
    memcpy(d->offered_master, c->session.master, sizeof(d->offered_master));
}

void tern_posix_dtls_save_session(struct tern_posix_dtls *d)
{
    struct tern_posix_dtls_shared *sh = d->px->dtls_shared;
    dtls_cached_session_t *c = find_session(sh, d->cache_key);
    if (c == NULL) {
        /* a free entry, else the oldest */
        c = &sh->sessions[0];
        for (int i = 0; i < TERN_POSIX_DTLS_SESSIONS && c->used; i++) {
            if (!sh->sessions[i].used || sh->sessions[i].stored_at < c->stored_at)
                c = &sh->sessions[i];
        }
    }
    mbedtls_ssl_session_free(&c->session);
    mbedtls_ssl_session_init(&c->session);
    c->used = mbedtls_ssl_get_session(&d->ssl, &c->session) == 0;
    memcpy(c->key, d->cache_key, sizeof(c->key));
    c->stored_at = tern_posix_now();
}

void tern_posix_dtls_forget_session(struct tern_posix_dtls *d)
{
    dtls_cached_session_t *c = find_session(d->px->dtls_shared, d->cache_key);
    if (c != NULL) {
        mbedtls_ssl_session_free(&c->session);
        mbedtls_ssl_session_init(&c->session);
        c->used = false;
    }
}
