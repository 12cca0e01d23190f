/*
 * POSIX port, DTLS: what went wrong, in one readable line. Wrong PSK,
 * unknown identity, time-out, unreachable server and certificate problems
 * each get their own wording; the rest falls back on mbed TLS's text.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>

#include "posix_dtls.h"

static const char *alert_name(unsigned alert)
{
    switch (alert) {
    case MBEDTLS_SSL_ALERT_MSG_UNEXPECTED_MESSAGE:
        return "unexpected_message";
    case MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC:
        return "bad_record_mac";
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE:
        return "handshake_failure";
    case MBEDTLS_SSL_ALERT_MSG_BAD_CERT:
        return "bad_certificate";
    case MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT:
        return "unsupported_certificate";
    case MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED:
        return "certificate_revoked";
    case MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED:
        return "certificate_expired";
    case MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN:
        return "certificate_unknown";
    case MBEDTLS_SSL_ALERT_MSG_ILLEGAL_PARAMETER:
        return "illegal_parameter";
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA:
        return "unknown_ca";
    case MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED:
        return "access_denied";
    case MBEDTLS_SSL_ALERT_MSG_DECODE_ERROR:
        return "decode_error";
    case MBEDTLS_SSL_ALERT_MSG_DECRYPT_ERROR:
        return "decrypt_error";
    case MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION:
        return "protocol_version";
    case MBEDTLS_SSL_ALERT_MSG_INSUFFICIENT_SECURITY:
        return "insufficient_security";
    case MBEDTLS_SSL_ALERT_MSG_INTERNAL_ERROR:
        return "internal_error";
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_PSK_IDENTITY:
        return "unknown_psk_identity";
    default:
        return "?";
    }
}

static void alert_reason(const struct tern_posix_dtls *d, unsigned alert, char *buf, size_t cap)
{
    const char *name = alert_name(alert);
    switch (alert) {
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_PSK_IDENTITY:
        snprintf(buf, cap, "the server does not know PSK identity '%s' (alert %s)", d->who, name);
        return;
    case MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC:
    case MBEDTLS_SSL_ALERT_MSG_DECRYPT_ERROR:
        if (d->mode == TERN_NET_PSK) {
            snprintf(buf, cap,
                     "wrong PSK for identity '%s': the server could not verify it (alert %s)",
                     d->who, name);
            return;
        }
        break;
    case MBEDTLS_SSL_ALERT_MSG_BAD_CERT:
    case MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT:
    case MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED:
    case MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED:
    case MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN:
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA:
    case MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED:
        snprintf(buf, cap, "the server refused our certificate '%s' (alert %s)", d->who, name);
        return;
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE:
    case MBEDTLS_SSL_ALERT_MSG_INSUFFICIENT_SECURITY:
        snprintf(buf, cap, "no cipher suite or credentials in common with the server (alert %s)",
                 name);
        return;
    default:
        break;
    }
    snprintf(buf, cap, "the server sent fatal alert %s (%u)", name, alert);
}

/* The first line of mbed TLS's description of failed verification flags. */
static void verify_reason(const struct tern_posix_dtls *d, char *buf, size_t cap)
{
    char info[256];
    uint32_t flags = mbedtls_ssl_get_verify_result(&d->ssl);
    if (d->pinned) {
        snprintf(buf, cap,
                 "certificate verification failed: the server's certificate is not the one "
                 "configured");
        return;
    }
    if (mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags) <= 0)
        snprintf(info, sizeof(info), "flags 0x%x", (unsigned)flags);
    info[strcspn(info, "\n")] = '\0';
    snprintf(buf, cap, "certificate verification failed: %s", info);
}

void tern_posix_dtls_handshake_error(const struct tern_posix_dtls *d, int ret, char *buf,
                                     size_t cap)
{
    switch (ret) {
    case DTLS_ERR_FINISHED_REFUSED:
        snprintf(buf, cap,
                 "the server repeated its flight %u times after our Finished: it does not accept "
                 "the key of PSK identity '%s' (wrong PSK?)",
                 d->peer_repeats, d->who);
        return;
    case MBEDTLS_ERR_SSL_TIMEOUT:
        if (d->info.datagrams_in == 0)
            snprintf(buf, cap, "timed out, no answer from the server");
        else if (d->mode == TERN_NET_PSK && d->ssl.state >= MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC)
            /* DTLS servers drop records they cannot decrypt (RFC 6347
             * 4.1.2.7), so a wrong key shows only as silence after our
             * Finished while the server keeps repeating its own flight */
            snprintf(buf, cap,
                     "timed out after our Finished: the server does not accept the key of PSK "
                     "identity '%s' (wrong PSK?)",
                     d->who);
        else
            snprintf(buf, cap, "timed out");
        return;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
        alert_reason(d, d->ssl.in_msg[1], buf, cap);
        return;
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
        verify_reason(d, buf, cap);
        return;
    case MBEDTLS_ERR_NET_CONN_RESET:
        snprintf(buf, cap, "server unreachable (ICMP port unreachable)");
        return;
    default: {
        char text[160];
        mbedtls_strerror(ret, text, sizeof(text));
        snprintf(buf, cap, "%s (-0x%04x)", text, (unsigned)-ret);
        return;
    }
    }
}

void tern_posix_dtls_session_error(const struct tern_posix_dtls *d, int ret, char *buf, size_t cap)
{
    switch (ret) {
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
        snprintf(buf, cap, "the server closed the session (close_notify)");
        return;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
        snprintf(buf, cap, "the server ended the session (alert %s)", alert_name(d->ssl.in_msg[1]));
        return;
    case MBEDTLS_ERR_NET_CONN_RESET:
        snprintf(buf, cap, "the server is gone (ICMP port unreachable): the session is lost");
        return;
    default: {
        char text[160];
        mbedtls_strerror(ret, text, sizeof(text));
        snprintf(buf, cap, "%s (-0x%04x)", text, (unsigned)-ret);
        return;
    }
    }
}
