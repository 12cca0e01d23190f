/*
 * POSIX port, DTLS 1.2 client with raw public keys (RFC 7250, LwM2M
 * Security Mode 1) over a connection's UDP socket, through GnuTLS: mbed
 * TLS 2.28, which does PSK and certificates (posix_dtls.c), has no RFC
 * 7250. The contract and the states are posix_dtls.c's:
 *
 *   net_open: connect the socket, ClientHello ----------------> HANDSHAKE
 *   net_recv: advance; done -> send the queued datagram ------> OPEN
 *             failed (the server's key is not the pinned one, ...) ->
 *             one log line, TERN_ERR_HANDSHAKE once ----------> FAILED
 *   net_recv in OPEN: one record; close_notify, fatal alert or ICMP
 *             unreachable -> one log line, TERN_ERR_CLOSED once -> CLOSED
 *
 * GnuTLS runs non-blocking (GNUTLS_NONBLOCK) over push/pull functions on
 * the connected socket and keeps the retransmission timer itself:
 * gnutls_dtls_get_timeout() says when the handshake wants to be called
 * again, and net_deadline passes that on. Sessions are not resumed: every
 * connection makes a full handshake.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "posix_dtls_rpk.h"

static struct tern_posix_rpk *rpk_of(const tern_posix_t *px, int conn)
{
    return conn >= 0 && conn < TERN_POSIX_MAX_CONNS ? px->rpk[conn] : NULL;
}

/* ---- transport functions for GnuTLS ---- */

/* The errno GnuTLS is told: EAGAIN for "nothing now", the rest as is (an
 * ICMP port unreachable, ECONNREFUSED, becomes a push or pull error). */
static int transport_errno(struct tern_posix_rpk *r, int err)
{
    if (err == ECONNREFUSED)
        r->refused = true;
    return err == EWOULDBLOCK || err == EINTR ? EAGAIN : err;
}

static ssize_t push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
    struct tern_posix_rpk *r = ptr;
    ssize_t n = send(r->fd, buf, len, 0);
    if (n < 0) {
        gnutls_transport_set_errno(r->session, transport_errno(r, errno));
        return -1;
    }
    if (r->state == DTLS_HANDSHAKE) {
        r->info.datagrams_out++;
        r->info.bytes_out += (uint32_t)n;
    }
    return n;
}

static ssize_t pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
    struct tern_posix_rpk *r = ptr;
    ssize_t n = recv(r->fd, buf, len, 0);
    if (n <= 0) {
        /* an empty datagram is no record: dropped */
        gnutls_transport_set_errno(r->session, n == 0 ? EAGAIN : transport_errno(r, errno));
        return -1;
    }
    if (r->state == DTLS_HANDSHAKE) {
        r->info.datagrams_in++;
        r->info.bytes_in += (uint32_t)n;
    }
    return n;
}

/* Whether a datagram (or an ICMP error) is waiting. Never waits, whatever
 * GnuTLS asks for: the application's loop does the waiting. */
static int pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
    const struct tern_posix_rpk *r = ptr;
    struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
    (void)ms;
    int n = poll(&pfd, 1, 0);
    return n < 0 ? -1 : n;
}

/* ---- state changes ---- */

static void free_rpk(struct tern_posix_rpk *r)
{
    tern_posix_rpk_unconfigure(r);
    free(r);
}

/* The suite's IANA name spelt as mbed TLS does (dashes), so that logs and
 * tern_posix_dtls_info read the same whichever backend made the session.
 * A static string: info.ciphersuite outlives the connection. */
static const char *suite_name(gnutls_session_t session)
{
    static const char *const DASHED[] = { "TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8",
                                          "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256" };
    const char *name = gnutls_ciphersuite_get(session);
    if (name == NULL)
        return "?";
    for (size_t i = 0; i < sizeof(DASHED) / sizeof(DASHED[0]); i++) {
        size_t k = 0;
        while (name[k] != '\0'
               && (name[k] == DASHED[i][k] || (name[k] == '_' && DASHED[i][k] == '-')))
            k++;
        if (name[k] == '\0' && DASHED[i][k] == '\0')
            return DASHED[i];
    }
    return name; /* GnuTLS's own, static as well */
}

static void handshake_failed(struct tern_posix_rpk *r, int ret)
{
    char reason[256];
    tern_posix_rpk_handshake_error(r, ret, reason, sizeof(reason));
    r->state = DTLS_FAILED;
    r->info.state = DTLS_FAILED;
    r->info.elapsed_ms = tern_posix_now() - r->opened_at;
    r->timer_at = INT64_MAX;
    r->queued_len = 0;
    /* tell the server why, so that it does not wait for us (best effort;
     * no alert answers an alert, a time-out or a vanished server) */
    if (ret != GNUTLS_E_FATAL_ALERT_RECEIVED && ret != GNUTLS_E_TIMEDOUT && !r->refused)
        (void)gnutls_alert_send_appropriate(r->session, ret);
    tern_posix_log(r->px, TERN_LOG_ERROR, "dtls: handshake with %s failed: %s", r->peer_text,
                   reason);
}

static void session_ended(struct tern_posix_rpk *r, int ret)
{
    char reason[256];
    tern_posix_rpk_session_error(r, ret, reason, sizeof(reason));
    r->state = DTLS_CLOSED;
    r->info.state = DTLS_CLOSED;
    tern_posix_log(r->px, TERN_LOG_WARN, "dtls: session with %s ended: %s", r->peer_text, reason);
}

static void established(struct tern_posix_rpk *r)
{
    r->state = DTLS_OPEN;
    r->info.state = DTLS_OPEN;
    r->info.elapsed_ms = tern_posix_now() - r->opened_at;
    r->timer_at = INT64_MAX;
    r->info.ciphersuite = suite_name(r->session);
    tern_posix_log(
        r->px, TERN_LOG_INFO,
        "dtls: secure session with %s in %ld ms (%s, full handshake, out %u datagrams %u "
        "bytes, in %u datagrams %u bytes); raw public keys, server key %s as pinned",
        r->peer_text, (long)r->info.elapsed_ms, r->info.ciphersuite,
        (unsigned)r->info.datagrams_out, (unsigned)r->info.bytes_out,
        (unsigned)r->info.datagrams_in, (unsigned)r->info.bytes_in, r->server_print);
    if (r->queued_len > 0) {
        /* lost if the socket is full: the engine's retransmission covers it */
        (void)gnutls_record_send(r->session, r->queued, r->queued_len);
        r->queued_len = 0;
    }
}

/* Lets the handshake take its next steps. */
static void advance(struct tern_posix_rpk *r)
{
    int ret = gnutls_handshake(r->session);
    if (ret == GNUTLS_E_SUCCESS)
        established(r);
    else if (!gnutls_error_is_fatal(ret))
        r->timer_at = tern_posix_now() + gnutls_dtls_get_timeout(r->session);
    else
        handshake_failed(r, ret);
}

/* ---- the port functions ---- */

int tern_posix_rpk_open(tern_posix_t *px, int conn, int fd, const tern_addr_t *peer,
                        const tern_net_security_t *sec)
{
    if (peer->len == 0)
        return TERN_ERR_ARG; /* no peer: DTLS servers are not offered */
    int rc = tern_posix_connect(px, fd, peer);
    if (rc != 0)
        return rc;
    struct tern_posix_rpk *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return TERN_ERR_NO_SPACE;
    r->px = px;
    r->fd = fd;
    r->peer = *peer;
    r->opened_at = tern_posix_now();
    r->timer_at = INT64_MAX;
    r->info.ciphersuite = "";
    tern_posix_addr_str(peer, r->peer_text, sizeof(r->peer_text));
    rc = tern_posix_rpk_configure(r, sec);
    if (rc != 0) {
        free_rpk(r);
        return rc;
    }
    gnutls_transport_set_ptr(r->session, r);
    gnutls_transport_set_push_function(r->session, push);
    gnutls_transport_set_pull_function(r->session, pull);
    gnutls_transport_set_pull_timeout_function(r->session, pull_timeout);
    gnutls_dtls_set_mtu(r->session, DTLS_MTU);
    gnutls_dtls_set_timeouts(r->session, DTLS_HS_TIMEOUT_MIN_MS, DTLS_HS_TOTAL_MS);
    px->rpk[conn] = r;
    tern_posix_log(px, TERN_LOG_DEBUG,
                   "dtls: handshake with %s with raw public key %s, expecting server key %s",
                   r->peer_text, r->own_print, r->server_print);
    advance(r); /* the ClientHello; a failure is reported by net_recv */
    return 0;
}

int tern_posix_rpk_send(tern_posix_t *px, int conn, const tern_addr_t *to, const uint8_t *data,
                        size_t len)
{
    struct tern_posix_rpk *r = rpk_of(px, conn);
    if (r == NULL
        || (to != NULL && (to->len != r->peer.len || memcmp(to->bytes, r->peer.bytes, to->len))))
        return TERN_ERR_ARG; /* a DTLS connection talks to its server only */
    if (r->state == DTLS_HANDSHAKE) {
        if (len > sizeof(r->queued))
            return TERN_ERR_WOULD_BLOCK;
        memcpy(r->queued, data, len); /* replaces an earlier one: the engine retransmits */
        r->queued_len = len;
        return 0;
    }
    if (r->state != DTLS_OPEN)
        return TERN_ERR_WOULD_BLOCK; /* net_recv reports why, once */
    ssize_t ret = gnutls_record_send(r->session, data, len);
    if (ret >= 0 || ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        return ret >= 0 ? 0 : TERN_ERR_WOULD_BLOCK;
    if (r->refused) {
        session_ended(r, (int)ret);
        return TERN_ERR_WOULD_BLOCK;
    }
    return ret == GNUTLS_E_LARGE_PACKET ? TERN_ERR_ARG : TERN_ERR_IO;
}

/* Throws away what arrives on a connection that failed or ended, so the
 * application's poll() does not keep waking up for it. */
static void drain(const struct tern_posix_rpk *r)
{
    uint8_t scrap[64];
    while (recv(r->fd, scrap, sizeof(scrap), MSG_TRUNC) >= 0) {
    }
}

/* One application-data record, cut to cap with its full length returned
 * as net_recv's contract says (GnuTLS hands over the whole record). */
static int read_record(struct tern_posix_rpk *r, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    gnutls_packet_t packet = NULL;
    ssize_t ret = gnutls_record_recv_packet(r->session, &packet);
    if (ret > 0 && packet != NULL) {
        gnutls_datum_t data;
        gnutls_packet_get(packet, &data, NULL);
        memcpy(buf, data.data, data.size < cap ? data.size : cap);
        int total = data.size > INT32_MAX ? INT32_MAX : (int)data.size;
        gnutls_packet_deinit(packet);
        *from = r->peer;
        return total;
    }
    if (packet != NULL)
        gnutls_packet_deinit(packet);
    /* a record that does not decrypt is dropped silently (RFC 6347
     * 4.1.2.7): GnuTLS says "again" for it, as for an empty socket */
    if (ret < 0 && !gnutls_error_is_fatal((int)ret))
        return TERN_ERR_WOULD_BLOCK;
    session_ended(r, (int)ret); /* 0: close_notify */
    r->reported = true;
    return TERN_ERR_CLOSED;
}

int tern_posix_rpk_recv(tern_posix_t *px, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    struct tern_posix_rpk *r = rpk_of(px, conn);
    if (r == NULL)
        return TERN_ERR_ARG;
    if (r->state == DTLS_HANDSHAKE)
        advance(r);
    if (r->state == DTLS_FAILED || r->state == DTLS_CLOSED) {
        drain(r);
        if (r->reported)
            return TERN_ERR_WOULD_BLOCK;
        r->reported = true;
        return r->state == DTLS_FAILED ? TERN_ERR_HANDSHAKE : TERN_ERR_CLOSED;
    }
    if (r->state == DTLS_HANDSHAKE)
        return TERN_ERR_WOULD_BLOCK;
    return read_record(r, from, buf, cap);
}

void tern_posix_rpk_close(tern_posix_t *px, int conn)
{
    struct tern_posix_rpk *r = rpk_of(px, conn);
    if (r == NULL)
        return;
    if (r->state == DTLS_OPEN)
        (void)gnutls_bye(r->session, GNUTLS_SHUT_WR); /* best effort, lets the server free it */
    px->rpk[conn] = NULL;
    free_rpk(r);
}

tern_time_t tern_posix_rpk_deadline(const tern_posix_t *px, int conn)
{
    const struct tern_posix_rpk *r = rpk_of(px, conn);
    if (r == NULL)
        return INT64_MAX;
    if ((r->state == DTLS_FAILED || r->state == DTLS_CLOSED) && !r->reported)
        return tern_posix_now(); /* failed inside net_open or net_send: report it */
    if (r->state == DTLS_OPEN && gnutls_record_check_pending(r->session) > 0)
        return tern_posix_now(); /* more records of a datagram already read */
    return r->state == DTLS_HANDSHAKE ? r->timer_at : INT64_MAX;
}

void tern_posix_rpk_info(const tern_posix_t *px, int conn, tern_posix_dtls_info_t *info)
{
    const struct tern_posix_rpk *r = rpk_of(px, conn);
    *info = r->info;
    if (r->state == DTLS_HANDSHAKE)
        info->elapsed_ms = tern_posix_now() - r->opened_at;
}
