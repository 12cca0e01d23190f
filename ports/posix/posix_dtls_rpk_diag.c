/*
 * POSIX port, DTLS with raw public keys: what went wrong, in one readable
 * line. A server key that is not the pinned one, a server that refuses
 * ours or takes no raw public keys, a time-out and an unreachable server
 * each get their own wording; the rest falls back on GnuTLS's text.
 */
#include <stdio.h>

#include "posix_dtls_rpk.h"

/* The alert's name as RFC 5246 7.2 spells it. */
static const char *alert_name(gnutls_alert_description_t alert)
{
    switch (alert) {
    case GNUTLS_A_CLOSE_NOTIFY:
        return "close_notify";
    case GNUTLS_A_UNEXPECTED_MESSAGE:
        return "unexpected_message";
    case GNUTLS_A_BAD_RECORD_MAC:
        return "bad_record_mac";
    case GNUTLS_A_HANDSHAKE_FAILURE:
        return "handshake_failure";
    case GNUTLS_A_BAD_CERTIFICATE:
        return "bad_certificate";
    case GNUTLS_A_UNSUPPORTED_CERTIFICATE:
        return "unsupported_certificate";
    case GNUTLS_A_CERTIFICATE_UNKNOWN:
        return "certificate_unknown";
    case GNUTLS_A_ILLEGAL_PARAMETER:
        return "illegal_parameter";
    case GNUTLS_A_UNKNOWN_CA:
        return "unknown_ca";
    case GNUTLS_A_ACCESS_DENIED:
        return "access_denied";
    case GNUTLS_A_DECODE_ERROR:
        return "decode_error";
    case GNUTLS_A_DECRYPT_ERROR:
        return "decrypt_error";
    case GNUTLS_A_PROTOCOL_VERSION:
        return "protocol_version";
    case GNUTLS_A_INSUFFICIENT_SECURITY:
        return "insufficient_security";
    case GNUTLS_A_INTERNAL_ERROR:
        return "internal_error";
    case GNUTLS_A_UNSUPPORTED_EXTENSION:
        return "unsupported_extension";
    default:
        return "?";
    }
}

static void alert_reason(const struct tern_posix_rpk *r, char *buf, size_t cap)
{
    gnutls_alert_description_t alert = gnutls_alert_get(r->session);
    const char *name = alert_name(alert);
    switch (alert) {
    case GNUTLS_A_BAD_CERTIFICATE:
    case GNUTLS_A_CERTIFICATE_UNKNOWN:
    case GNUTLS_A_UNKNOWN_CA:
    case GNUTLS_A_ACCESS_DENIED:
        snprintf(buf, cap, "the server refused our raw public key %s (alert %s)", r->own_print,
                 name);
        return;
    case GNUTLS_A_UNSUPPORTED_CERTIFICATE:
    case GNUTLS_A_UNSUPPORTED_EXTENSION:
        snprintf(buf, cap, "the server does not take raw public keys (RFC 7250) (alert %s)", name);
        return;
    case GNUTLS_A_HANDSHAKE_FAILURE:
    case GNUTLS_A_INSUFFICIENT_SECURITY:
        snprintf(buf, cap,
                 "no cipher suite or credentials in common with the server: does it take raw "
                 "public keys? (alert %s)",
                 name);
        return;
    default:
        snprintf(buf, cap, "the server sent fatal alert %s (%u)", name, (unsigned)alert);
        return;
    }
}

void tern_posix_rpk_handshake_error(const struct tern_posix_rpk *r, int ret, char *buf, size_t cap)
{
    if (r->peer_check == RPK_PEER_MISMATCH) {
        snprintf(buf, cap,
                 "server key mismatch: the server presented raw public key %s, not the "
                 "configured %s",
                 r->seen_print, r->server_print);
        return;
    }
    if (r->peer_check == RPK_PEER_NOT_RAW) {
        snprintf(buf, cap,
                 "the server presented no raw public key (RFC 7250) but an X.509 certificate "
                 "or nothing: does it take raw public keys?");
        return;
    }
    if (r->refused) {
        snprintf(buf, cap, "server unreachable (ICMP port unreachable)");
        return;
    }
    switch (ret) {
    case GNUTLS_E_TIMEDOUT:
        snprintf(buf, cap, "timed out%s",
                 r->info.datagrams_in == 0 ? ", no answer from the server" : "");
        return;
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
        alert_reason(r, buf, cap);
        return;
    case GNUTLS_E_UNSUPPORTED_CERTIFICATE_TYPE:
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
        snprintf(buf, cap, "the server does not offer raw public keys (RFC 7250)");
        return;
    case GNUTLS_E_NO_CIPHER_SUITES:
    case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
        snprintf(buf, cap, "no cipher suite in common with the server");
        return;
    default:
        snprintf(buf, cap, "%s (GnuTLS %d)", gnutls_strerror(ret), ret);
        return;
    }
}

void tern_posix_rpk_session_error(const struct tern_posix_rpk *r, int ret, char *buf, size_t cap)
{
    if (r->refused) {
        snprintf(buf, cap, "the server is gone (ICMP port unreachable): the session is lost");
        return;
    }
    switch (ret) {
    case 0:
        snprintf(buf, cap, "the server closed the session (close_notify)");
        return;
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
        snprintf(buf, cap, "the server ended the session (alert %s)",
                 alert_name(gnutls_alert_get(r->session)));
        return;
    default:
        snprintf(buf, cap, "%s (GnuTLS %d)", gnutls_strerror(ret), ret);
        return;
    }
}
