/*
 * POSIX port, DTLS with raw public keys: the GnuTLS session of a
 * connection from the credentials of a Security instance in RPK mode.
 *
 * What the Security object holds (LwM2M TS, object 0, Security Mode 1):
 *   Public Key or Identity (3)  our public key, DER SubjectPublicKeyInfo;
 *                               may be left empty: derived from 5
 *   Server Public Key (4)       the server's, DER SubjectPublicKeyInfo
 *   Secret Key (5)              our private key, DER (PKCS #8 or RFC 5915)
 * The server is authenticated by pinning: the key in its Certificate
 * message (RFC 7250: a SubjectPublicKeyInfo) must be exactly the
 * configured one, or the handshake fails. There is no "accept any key".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "posix_dtls_rpk.h"

/*
 * DTLS 1.2 with raw public keys in both directions, ECDHE-ECDSA on
 * secp256r1 with SHA-256 signatures, and TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
 * first: the suite RFC 7252 9.1.3.2 and LwM2M make mandatory for RPK.
 * AES-128-GCM after it, for servers without CCM_8 (same key exchange and
 * strength). Nothing else: a server that takes none of it fails the
 * handshake instead of agreeing on something weaker.
 */
static const char PRIORITIES[] = "NONE:+VERS-DTLS1.2:+ECDHE-ECDSA:+AES-128-CCM-8:+AES-128-GCM:"
                                 "+AEAD:+SIGN-ECDSA-SHA256:+GROUP-SECP256R1:+COMP-NULL:"
                                 "+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK";

static gnutls_datum_t datum(const uint8_t *data, size_t len)
{
    /* GnuTLS only reads these: the cast drops a const it does not declare */
    gnutls_datum_t d = { (unsigned char *)(uintptr_t)data, (unsigned)len };
    return d;
}

/* "SHA256:" and the first 8 bytes of the SHA-256 of the key's DER
 * SubjectPublicKeyInfo, as `openssl pkey -pubin -outform DER | sha256sum`. */
static void fingerprint(gnutls_pubkey_t key, char *out)
{
    unsigned char id[32];
    size_t n = sizeof(id);
    if (gnutls_pubkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, id, &n) < 0 || n < 8) {
        snprintf(out, RPK_FINGERPRINT_SIZE, "SHA256:?");
        return;
    }
    snprintf(out, RPK_FINGERPRINT_SIZE, "SHA256:%02x%02x%02x%02x%02x%02x%02x%02x", id[0], id[1],
             id[2], id[3], id[4], id[5], id[6], id[7]);
}

/* A DER SubjectPublicKeyInfo, imported and exported again (its canonical
 * form, to compare keys byte for byte). Returns 0 or a GnuTLS error. */
static int canonical_pubkey(const gnutls_datum_t *in, gnutls_datum_t *der, char *print)
{
    gnutls_pubkey_t key;
    int ret = gnutls_pubkey_init(&key);
    if (ret < 0)
        return ret;
    ret = gnutls_pubkey_import(key, in, GNUTLS_X509_FMT_DER);
    if (ret >= 0)
        ret = gnutls_pubkey_export2(key, GNUTLS_X509_FMT_DER, der);
    if (ret >= 0 && print != NULL)
        fingerprint(key, print);
    gnutls_pubkey_deinit(key);
    return ret;
}

/*
 * Our public key derived from the private key in sec->secret, DER in
 * *spki (freed by the caller). NULL, or what is wrong.
 */
static const char *own_public_key(struct tern_posix_rpk *r, const tern_net_security_t *sec,
                                  gnutls_datum_t *spki)
{
    gnutls_privkey_t priv;
    gnutls_pubkey_t pub;
    unsigned bits = 0;
    const char *problem = NULL;
    gnutls_datum_t secret = datum(sec->secret, sec->secret_len);
    if (sec->secret_len == 0)
        return "no private key (Secret Key)";
    if (gnutls_privkey_init(&priv) < 0)
        return "out of memory";
    if (gnutls_pubkey_init(&pub) < 0) {
        gnutls_privkey_deinit(priv);
        return "out of memory";
    }
    if (gnutls_privkey_import_x509_raw(priv, &secret, GNUTLS_X509_FMT_DER, NULL, 0) < 0)
        problem = "unusable private key (Secret Key: DER, PKCS #8 or RFC 5915, expected)";
    else if (gnutls_privkey_get_pk_algorithm(priv, &bits) != GNUTLS_PK_ECDSA || bits != 256)
        problem = "the private key is not an EC P-256 key (secp256r1, RFC 7925)";
    else if (gnutls_pubkey_import_privkey(pub, priv, 0, 0) < 0
             || gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, spki) < 0)
        problem = "cannot derive the public key from the private key";
    else
        fingerprint(pub, r->own_print);
    gnutls_pubkey_deinit(pub);
    gnutls_privkey_deinit(priv);
    return problem;
}

/* Checks the given public key (Public Key or Identity), if any, against
 * the one the private key has. NULL, or what is wrong. */
static const char *check_identity(const tern_net_security_t *sec, const gnutls_datum_t *spki)
{
    gnutls_datum_t given = datum(sec->identity, sec->identity_len), der = { NULL, 0 };
    const char *problem = NULL;
    if (sec->identity_len == 0)
        return NULL;
    if (canonical_pubkey(&given, &der, NULL) < 0)
        problem = "unusable public key (Public Key or Identity: DER SubjectPublicKeyInfo expected)";
    else if (der.size != spki->size || memcmp(der.data, spki->data, der.size) != 0)
        problem = "the public key (Public Key or Identity) does not belong to the private key";
    gnutls_free(der.data);
    return problem;
}

static const char *load_server_key(struct tern_posix_rpk *r, const tern_net_security_t *sec)
{
    gnutls_datum_t given = datum(sec->server_key, sec->server_key_len);
    if (sec->server_key_len == 0)
        return "no server public key to authenticate the server with (Server Public Key)";
    if (canonical_pubkey(&given, &r->server_key, r->server_print) < 0)
        return "unusable server public key (Server Public Key: DER SubjectPublicKeyInfo "
               "expected)";
    return NULL;
}

/*
 * The pin: called by GnuTLS once the server's Certificate message is in.
 * Any other key, or an X.509 certificate, fails the handshake (GnuTLS
 * then reports GNUTLS_E_CERTIFICATE_ERROR).
 */
static int verify_pinned(gnutls_session_t session)
{
    struct tern_posix_rpk *r = gnutls_session_get_ptr(session);
    unsigned n = 0;
    const gnutls_datum_t *list = gnutls_certificate_get_peers(session, &n);
    gnutls_datum_t der = { NULL, 0 };
    r->peer_check = RPK_PEER_NOT_RAW;
    if (gnutls_certificate_type_get2(session, GNUTLS_CTYPE_PEERS) != GNUTLS_CRT_RAWPK
        || list == NULL || n == 0)
        return -1;
    r->peer_check = RPK_PEER_MISMATCH;
    snprintf(r->seen_print, sizeof(r->seen_print), "(unreadable)");
    if (canonical_pubkey(&list[0], &der, r->seen_print) >= 0 && der.size == r->server_key.size
        && memcmp(der.data, r->server_key.data, der.size) == 0)
        r->peer_check = RPK_PEER_PINNED;
    gnutls_free(der.data);
    return r->peer_check == RPK_PEER_PINNED ? 0 : -1;
}

static int make_session(struct tern_posix_rpk *r, const gnutls_datum_t *spki,
                        const tern_net_security_t *sec)
{
    const char *where = NULL;
    gnutls_datum_t secret = datum(sec->secret, sec->secret_len);
    if (gnutls_certificate_allocate_credentials(&r->cred) < 0)
        return TERN_ERR_NO_SPACE;
    if (gnutls_certificate_set_rawpk_key_mem(r->cred, spki, &secret, GNUTLS_X509_FMT_DER, NULL,
                                             GNUTLS_KEY_DIGITAL_SIGNATURE, NULL, 0, 0)
        < 0) {
        tern_posix_log(r->px, TERN_LOG_ERROR, "dtls: RPK mode: GnuTLS refused our key pair");
        return TERN_ERR_ARG;
    }
    /* no session tickets (RFC 5077), as in mbed TLS's set-up: bytes on
     * every handshake for a resumption we do not offer */
    unsigned flags =
        GNUTLS_CLIENT | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK | GNUTLS_ENABLE_RAWPK | GNUTLS_NO_TICKETS;
    if (gnutls_init(&r->session, flags) < 0)
        return TERN_ERR_NO_SPACE;
    if (gnutls_priority_set_direct(r->session, PRIORITIES, &where) < 0) {
        tern_posix_log(r->px, TERN_LOG_ERROR, "dtls: GnuTLS does not take our priorities at '%s'",
                       where != NULL ? where : "?");
        return TERN_ERR_ARG;
    }
    if (gnutls_credentials_set(r->session, GNUTLS_CRD_CERTIFICATE, r->cred) < 0)
        return TERN_ERR_NO_SPACE;
    gnutls_session_set_ptr(r->session, r);
    gnutls_session_set_verify_function(r->session, verify_pinned);
    return 0;
}

int tern_posix_rpk_configure(struct tern_posix_rpk *r, const tern_net_security_t *sec)
{
    gnutls_datum_t spki = { NULL, 0 };
    const char *problem = own_public_key(r, sec, &spki);
    if (problem == NULL)
        problem = check_identity(sec, &spki);
    if (problem == NULL)
        problem = load_server_key(r, sec);
    int rc = TERN_ERR_ARG;
    if (problem != NULL)
        tern_posix_log(r->px, TERN_LOG_ERROR, "dtls: RPK mode: %s", problem);
    else
        rc = make_session(r, &spki, sec);
    gnutls_free(spki.data);
    return rc;
}

void tern_posix_rpk_unconfigure(struct tern_posix_rpk *r)
{
    if (r->session != NULL)
        gnutls_deinit(r->session); /* before the credentials it uses */
    if (r->cred != NULL)
        gnutls_certificate_free_credentials(r->cred);
    gnutls_free(r->server_key.data);
    r->session = NULL;
    r->cred = NULL;
    r->server_key.data = NULL;
}
