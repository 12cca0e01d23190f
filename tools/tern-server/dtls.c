/* coaps:// through libcoap's OpenSSL backend, or its GnuTLS backend in
 * tern-server-gnutls (see dtls.h). */
#define _GNU_SOURCE
#include "dtls.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtls_rpk.h"
#include "out.h"

/*
 * A PSK handshake whose identity is known but that has not completed this
 * long after the client's key exchange will not: OpenSSL drops a Finished
 * it cannot decrypt (RFC 6347 4.1.2.7), so a wrong key shows as silence.
 */
#define STALL_MS 3000

typedef struct psk_entry {
    struct psk_entry *next;
    char *identity;
    coap_bin_const_t key; /* key.s owned */
} psk_entry_t;

/* What we know of one server session's handshake. */
typedef struct hs_note {
    struct hs_note *next;
    coap_session_t *session; /* compared only, never dereferenced after SESSION_DEL */
    char peer[64];
    char who[96];       /* "PSK identity 'x'" or "certificate 'CN'" */
    int64_t key_at;     /* when a known PSK identity was offered; 0: not */
    bool reported;      /* its one line is out */
    bool refused_ident; /* the identity was unknown */
    bool connected;     /* the handshake completed; "dtls-closed" when it ends */
} hs_note_t;

struct srv_dtls {
    psk_entry_t *psks;
    hs_note_t *notes;
    coap_dtls_spsk_t spsk;
    coap_dtls_pki_t pki;
    struct srv_rpk *rpk; /* raw public keys instead of certificates */
};

/*
 * libcoap reports OpenSSL's handshake errors only in its log, one session
 * per line ("*  SERVER <-> PEER (if1) DTLS: psk identity not found at SSL
 * routines"), and raises COAP_EVENT_DTLS_ERROR only for some of them. The
 * log handler has no context argument, so the server it reports to is
 * kept here (one server per process).
 */
static srv_t *log_srv;
static char verify_detail[160]; /* "self-signed certificate: 'rogue' depth=0" */
static char last_failed_peer[64];

bool dtls_wanted(const srv_options_t *opt)
{
    return opt->psk_identity != NULL || opt->psk_key != NULL || opt->psk_file != NULL
           || opt->cert != NULL || opt->key != NULL || opt->ca != NULL || dtls_rpk_wanted(opt);
}

static void peer_of(const coap_session_t *s, char *buf, size_t size)
{
    buf[0] = '\0';
    coap_print_addr(coap_session_get_addr_remote(s), (uint8_t *)buf, size);
}

static hs_note_t *note_for(srv_t *srv, coap_session_t *s, bool create)
{
    for (hs_note_t *n = srv->dtls->notes; n != NULL; n = n->next) {
        if (n->session == s)
            return n;
    }
    if (!create)
        return NULL;
    hs_note_t *n = xcalloc(1, sizeof(*n));
    n->session = s;
    peer_of(s, n->peer, sizeof(n->peer));
    n->next = srv->dtls->notes;
    srv->dtls->notes = n;
    return n;
}

static void note_drop(srv_t *srv, coap_session_t *s)
{
    for (hs_note_t **p = &srv->dtls->notes; *p != NULL; p = &(*p)->next) {
        if ((*p)->session == s) {
            hs_note_t *n = *p;
            *p = n->next;
            free(n);
            return;
        }
    }
}

static hs_note_t *note_by_peer(srv_t *srv, const char *peer)
{
    for (hs_note_t *n = srv->dtls->notes; n != NULL; n = n->next) {
        if (strcmp(n->peer, peer) == 0)
            return n;
    }
    return NULL;
}

static void printable(char *out, size_t size, const uint8_t *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        out[n++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
    out[n] = '\0';
}

/* libcoap asks for the key of the identity a client offered. */
static const coap_bin_const_t *psk_for_identity(coap_bin_const_t *identity, coap_session_t *session,
                                                void *arg)
{
    srv_t *srv = arg;
    char id[COAP_DTLS_MAX_PSK_IDENTITY + 1];
    printable(id, sizeof(id), identity->s, identity->length);
    hs_note_t *n = note_for(srv, session, true);
    snprintf(n->who, sizeof(n->who), "PSK identity '%s'", id);
    for (psk_entry_t *e = srv->dtls->psks; e != NULL; e = e->next) {
        if (strlen(e->identity) == identity->length
            && memcmp(e->identity, identity->s, identity->length) == 0) {
            n->key_at = now_ms();
            return &e->key;
        }
    }
    n->refused_ident = true;
    n->reported = true;
    out_dtls_failed(srv, n->peer, "unknown PSK identity '%s': handshake refused", id);
    return NULL;
}

/* A client's raw public key (libcoap names it COAP_DTLS_RPK_CERT_CN and
 * hands over its SubjectPublicKeyInfo): one of --client-rpk, or refused. */
static int check_rpk(srv_t *srv, hs_note_t *n, const uint8_t *der, size_t len)
{
    if (dtls_rpk_check(srv->dtls->rpk, der, len, n->who, sizeof(n->who)))
        return 1;
    n->reported = true;
    out_dtls_failed(srv, n->peer, "handshake failed: client key refused: %s (not a --client-rpk)",
                    n->who);
    return 0;
}

/* libcoap has checked a client certificate as configured; we note the
 * name for the log and accept what it accepted. A raw public key is
 * checked here. */
static int check_cn(const char *cn, const uint8_t *cert, size_t cert_len, coap_session_t *session,
                    unsigned depth, int validated, void *arg)
{
    srv_t *srv = arg;
    if (depth != 0)
        return validated;
    hs_note_t *n = note_for(srv, session, true);
    if (srv->dtls->rpk != NULL)
        return strcmp(cn, COAP_DTLS_RPK_CERT_CN) == 0 ? check_rpk(srv, n, cert, cert_len) : 0;
    snprintf(n->who, sizeof(n->who), "certificate '%s'", cn);
    return validated;
}

/* The session's handshake completed: one dtls-connected line. */
static void connected(srv_t *srv, coap_session_t *s, hs_note_t *n)
{
    const coap_bin_const_t *id = coap_session_get_psk_identity(s);
    if (n->who[0] == '\0' && id != NULL && id->length > 0) {
        char text[COAP_DTLS_MAX_PSK_IDENTITY + 1];
        printable(text, sizeof(text), id->s, id->length);
        snprintf(n->who, sizeof(n->who), "PSK identity '%s'", text);
    }
    peer_of(s, n->peer, sizeof(n->peer)); /* libcoap may have filled it in since */
    out_dtls_event(srv, "dtls-connected", n->peer, n->who);
    n->key_at = 0;
    n->reported = true; /* a later failure is a new handshake's */
    n->connected = true;
}

void dtls_session_active(srv_t *srv, coap_session_t *s)
{
    if (srv->dtls == NULL || coap_session_get_type(s) != COAP_SESSION_TYPE_SERVER)
        return;
    hs_note_t *n = note_for(srv, s, true);
    if (!n->connected)
        connected(srv, s, n);
}

static int on_event(coap_session_t *s, const coap_event_t event)
{
    srv_t *srv = srv_from_session(s);
    if (srv->dtls == NULL || coap_session_get_type(s) != COAP_SESSION_TYPE_SERVER)
        return 0;
    hs_note_t *n = note_for(srv, s, event == COAP_EVENT_DTLS_CONNECTED);
    char peer[64];
    switch (event) {
    case COAP_EVENT_DTLS_CONNECTED:
        connected(srv, s, n);
        break;
    case COAP_EVENT_DTLS_ERROR:
        peer_of(s, peer, sizeof(peer));
        /* unless the identity callback, the stall check or the log said it */
        if ((n == NULL || !n->reported) && strcmp(peer, last_failed_peer) != 0)
            out_dtls_failed(srv, peer, "handshake failed%s%s", n != NULL && n->who[0] ? ": " : "",
                            n != NULL ? n->who : "");
        if (n != NULL)
            n->reported = true;
        break;
    case COAP_EVENT_DTLS_CLOSED:
        if (n != NULL && n->connected) {
            n->connected = false;
            out_dtls_event(srv, "dtls-closed", n->peer, n->who);
        }
        break;
    case COAP_EVENT_SERVER_SESSION_DEL:
        note_drop(srv, s);
        break;
    default:
        break;
    }
    return 0;
}

/* OpenSSL's reason, as libcoap logs it, in the words of our other lines. */
static void report_from_log(const char *peer, const char *reason, size_t len)
{
    static const struct {
        const char *openssl, *ours;
    } WORDS[] = {
        { "tlsv1 alert unknown ca", "the client refused our certificate (alert unknown_ca)" },
        { "alert bad certificate", "the client refused our certificate (alert bad_certificate)" },
        { "alert certificate unknown",
          "the client refused our certificate (alert certificate_unknown)" },
        { "no shared cipher",
          "no cipher suite in common: the client's security mode is not set up here" },
        { "alert handshake failure", "the client gave up (alert handshake_failure)" },
        { "alert decrypt error", "the client could not verify us (alert decrypt_error)" },
    };
    srv_t *srv = log_srv;
    hs_note_t *n = note_by_peer(srv, peer);
    if (n != NULL && n->reported)
        return; /* the unknown identity was reported by psk_for_identity */
    if (n != NULL)
        n->reported = true;
    snprintf(last_failed_peer, sizeof(last_failed_peer), "%s", peer);
    const char *who = n != NULL && n->who[0] != '\0' ? n->who : NULL;
    for (size_t i = 0; i < sizeof(WORDS) / sizeof(WORDS[0]); i++) {
        if (memmem(reason, len, WORDS[i].openssl, strlen(WORDS[i].openssl)) != NULL) {
            out_dtls_failed(srv, peer, "handshake failed: %s", WORDS[i].ours);
            return;
        }
    }
    if (memmem(reason, len, "certificate verify failed", 25) != NULL) {
        out_dtls_failed(srv, peer, "handshake failed: client certificate refused: %s",
                        verify_detail[0] ? verify_detail : "not trusted");
        verify_detail[0] = '\0';
        return;
    }
    out_dtls_failed(srv, peer, "handshake failed: %.*s%s%s", (int)len, reason, who ? ", " : "",
                    who ? who : "");
}

/* GnuTLS's alerts, as libcoap logs them ("DTLS: Alert '42': Certificate
 * is bad"), in the words of our other lines. */
static void report_alert(const char *peer, const char *text, size_t len)
{
    static const struct {
        int alert;
        const char *name;
    } REFUSALS[] = { { 42, "bad_certificate" },
                     { 43, "unsupported_certificate" },
                     { 46, "certificate_unknown" },
                     { 48, "unknown_ca" },
                     { 49, "access_denied" } };
    srv_t *srv = log_srv;
    hs_note_t *n = note_by_peer(srv, peer);
    int alert = atoi(text + 7);
    if (n != NULL && n->reported)
        return;
    if (n != NULL)
        n->reported = true;
    snprintf(last_failed_peer, sizeof(last_failed_peer), "%s", peer);
    for (size_t i = 0; i < sizeof(REFUSALS) / sizeof(REFUSALS[0]); i++) {
        if (REFUSALS[i].alert == alert) {
            out_dtls_failed(srv, peer, "handshake failed: the client refused our %s (alert %s)",
                            srv->dtls->rpk != NULL ? "raw public key" : "certificate",
                            REFUSALS[i].name);
            return;
        }
    }
    out_dtls_failed(srv, peer, "handshake failed: the client sent %.*s", (int)len, text);
}

bool dtls_log_filter(const char *message)
{
    if (log_srv == NULL || log_srv->dtls == NULL)
        return false;
    const char *arrow = strstr(message, " <-> ");
    const char *tag = arrow != NULL ? strstr(arrow, " DTLS: ") : NULL;
    if (tag == NULL)
        return false;
    char peer[64];
    const char *p = arrow + 5;
    size_t plen = strcspn(p, " ");
    snprintf(peer, sizeof(peer), "%.*s", (int)(plen < sizeof(peer) ? plen : sizeof(peer) - 1), p);
    const char *text = tag + 7;
    size_t len = strcspn(text, "\r\n");
    if (strncmp(text, "Alert '", 7) == 0 && atoi(text + 7) != 0) { /* GnuTLS; 0 is close_notify */
        report_alert(peer, text, len);
        return true;
    }
    const char *at = strstr(text, " at SSL routines");
    if (strstr(text, "' depth=") != NULL) {
        /* the verify callback's finding; its "certificate verify failed" follows */
        snprintf(verify_detail, sizeof(verify_detail), "%.*s", (int)len, text);
        return true;
    }
    if (at != NULL && at < text + len) {
        report_from_log(peer, text, (size_t)(at - text));
        return true;
    }
    if (strstr(text, " routines:") != NULL)
        /* OpenSSL's error queue of a handshake that went on regardless
         * (with a CA set, each PSK session has "no start line at PEM
         * routines"): noise unless asked for */
        return log_srv->opt.verbose == 0;
    /* "SSL_accept:error in error", "SSL3 alert ...": said by the line above */
    return strstr(text, "SSL_accept:") != NULL || strstr(text, "SSL3 alert") != NULL;
}

void dtls_tick(srv_t *srv, int64_t now)
{
    if (srv->dtls == NULL)
        return;
    for (hs_note_t *n = srv->dtls->notes; n != NULL; n = n->next) {
        if (n->reported || n->key_at == 0 || now - n->key_at < STALL_MS)
            continue;
        n->reported = true;
        out_dtls_failed(srv, n->peer,
                        "handshake with %s stalled after the client's key exchange: its Finished "
                        "does not verify (wrong PSK?)",
                        n->who);
    }
}

int64_t dtls_next_deadline(const srv_t *srv)
{
    int64_t next = INT64_MAX;
    if (srv->dtls == NULL)
        return next;
    for (const hs_note_t *n = srv->dtls->notes; n != NULL; n = n->next) {
        if (!n->reported && n->key_at != 0 && n->key_at + STALL_MS < next)
            next = n->key_at + STALL_MS;
    }
    return next;
}

static bool add_psk(srv_t *srv, const char *identity, const char *hex, const char *where)
{
    uint8_t *key = NULL;
    long n = hex_decode(hex, &key);
    size_t id_len = strlen(identity);
    if (n <= 0 || n > COAP_DTLS_MAX_PSK || id_len == 0 || id_len > COAP_DTLS_MAX_PSK_IDENTITY) {
        fprintf(stderr,
                "tern-server: %s: need an identity of 1..%d bytes and a key of 1..%d bytes in "
                "hex\n",
                where, COAP_DTLS_MAX_PSK_IDENTITY, COAP_DTLS_MAX_PSK);
        free(key);
        return false;
    }
    psk_entry_t *e = xcalloc(1, sizeof(*e));
    e->identity = xstrdup(identity);
    e->key.s = key;
    e->key.length = (size_t)n;
    e->next = srv->dtls->psks;
    srv->dtls->psks = e;
    return true;
}

/* One "IDENTITY HEXKEY" per line; blank lines and # comments skipped. */
static bool load_psk_file(srv_t *srv, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "tern-server: cannot open PSK file '%s': %s\n", path, strerror(errno));
        return false;
    }
    char line[512];
    int no = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f) != NULL) {
        no++;
        char id[256], hex[256], extra[2];
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        char where[300];
        snprintf(where, sizeof(where), "%s:%d", path, no);
        if (sscanf(p, "%255s %255s %1s", id, hex, extra) != 2) {
            fprintf(stderr, "tern-server: %s: expected IDENTITY HEXKEY\n", where);
            ok = false;
        } else {
            ok = add_psk(srv, id, hex, where);
        }
    }
    fclose(f);
    return ok;
}

static bool setup_psk(srv_t *srv)
{
    const srv_options_t *opt = &srv->opt;
    if ((opt->psk_identity == NULL) != (opt->psk_key == NULL)) {
        fprintf(stderr, "tern-server: --psk-identity and --psk-key go together\n");
        return false;
    }
    if (opt->psk_identity != NULL && !add_psk(srv, opt->psk_identity, opt->psk_key, "--psk-key"))
        return false;
    if (opt->psk_file != NULL && !load_psk_file(srv, opt->psk_file))
        return false;
    if (srv->dtls->psks == NULL)
        return true;
    coap_dtls_spsk_t *sp = &srv->dtls->spsk;
    sp->version = COAP_DTLS_SPSK_SETUP_VERSION;
    sp->validate_id_call_back = psk_for_identity;
    sp->id_call_back_arg = srv;
    /* no hint (LwM2M does not use one), and no default key: an identity
     * not in the table is refused */
    if (!coap_context_set_psk2(srv->ctx, sp)) {
        fprintf(stderr, "tern-server: libcoap refused the PSK set-up\n");
        return false;
    }
    return true;
}

/* Raw public keys: libcoap's PKI set-up with is_rpk_not_cert; every
 * client key goes through check_cn, which knows the accepted ones. */
static bool setup_rpk(srv_t *srv)
{
    coap_dtls_pki_t *pk = &srv->dtls->pki;
    srv->dtls->rpk = dtls_rpk_load(&srv->opt, pk);
    if (srv->dtls->rpk == NULL)
        return false;
    pk->version = COAP_DTLS_PKI_SETUP_VERSION;
    pk->verify_peer_cert = 1; /* a client must present its key */
    pk->validate_cn_call_back = check_cn;
    pk->cn_call_back_arg = srv;
    if (!coap_context_set_pki(srv->ctx, pk)) {
        fprintf(stderr, "tern-server: libcoap refused the raw public key set-up (--rpk-key)\n");
        return false;
    }
    return true;
}

static bool setup_pki(srv_t *srv)
{
    const srv_options_t *opt = &srv->opt;
    if (dtls_rpk_wanted(opt))
        return setup_rpk(srv);
    if (opt->cert == NULL && opt->key == NULL && opt->ca == NULL)
        return true;
    if (opt->cert == NULL || opt->key == NULL) {
        fprintf(stderr, "tern-server: certificate mode needs --cert and --key (PEM files)\n");
        return false;
    }
    /* libcoap reads the files only when a client comes */
    const char *files[] = { opt->cert, opt->key, opt->ca };
    for (size_t i = 0; i < 3; i++) {
        FILE *f = files[i] != NULL ? fopen(files[i], "r") : NULL;
        if (files[i] != NULL && f == NULL) {
            fprintf(stderr, "tern-server: cannot read '%s': %s\n", files[i], strerror(errno));
            return false;
        }
        if (f != NULL)
            fclose(f);
    }
    coap_dtls_pki_t *pk = &srv->dtls->pki;
    pk->version = COAP_DTLS_PKI_SETUP_VERSION;
    /* with --ca, a client must present a certificate that chains to it */
    pk->verify_peer_cert = opt->ca != NULL;
    pk->check_common_ca = opt->ca != NULL;
    pk->allow_self_signed = 0;
    pk->allow_expired_certs = 0;
    pk->cert_chain_validation = 1;
    pk->cert_chain_verify_depth = 3;
    pk->validate_cn_call_back = check_cn;
    pk->cn_call_back_arg = srv;
    pk->pki_key.key_type = COAP_PKI_KEY_PEM;
    pk->pki_key.key.pem.public_cert = opt->cert;
    pk->pki_key.key.pem.private_key = opt->key;
    pk->pki_key.key.pem.ca_file = opt->ca;
    if (!coap_context_set_pki(srv->ctx, pk)) {
        fprintf(stderr,
                "tern-server: libcoap refused the certificate set-up (--cert, --key, --ca)\n");
        return false;
    }
    return true;
}

bool dtls_setup(srv_t *srv)
{
    if (!coap_dtls_is_supported()) {
        fprintf(stderr, "tern-server: this libcoap has no DTLS\n");
        return false;
    }
    srv->dtls = xcalloc(1, sizeof(*srv->dtls));
    log_srv = srv;
    /* OpenSSL's handshake errors at warning level: dtls_log_filter turns
     * them into dtls-failed lines */
    coap_dtls_set_log_level(LOG_WARNING);
    coap_register_event_handler(srv->ctx, on_event);
    return setup_psk(srv) && setup_pki(srv);
}

void dtls_free(srv_t *srv)
{
    if (srv->dtls == NULL)
        return;
    for (psk_entry_t *e = srv->dtls->psks, *next; e != NULL; e = next) {
        next = e->next;
        free(e->identity);
        free((uint8_t *)e->key.s);
        free(e);
    }
    for (hs_note_t *n = srv->dtls->notes, *next; n != NULL; n = next) {
        next = n->next;
        free(n);
    }
    dtls_rpk_free(srv->dtls->rpk);
    free(srv->dtls);
    srv->dtls = NULL;
    log_srv = NULL;
}
