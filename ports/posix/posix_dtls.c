/*
 * POSIX port, DTLS 1.2 client over a connection's UDP socket (mbed TLS).
 * Raw public keys, which mbed TLS does not have, go to posix_dtls_rpk.c
 * (GnuTLS): each port function below hands such a connection over first.
 *
 * Nothing blocks: mbed TLS reads and writes the socket through
 * non-blocking callbacks and keeps its retransmission timer in callbacks
 * on the monotonic clock, so the handshake advances whenever the engine
 * calls net_recv (a datagram arrived, or net_deadline said the timer is
 * due):
 *
 *   net_open: connect the socket, ClientHello ----------------> HANDSHAKE
 *   net_recv: advance; done -> send the queued datagram ------> OPEN
 *             failed -> one log line, TERN_ERR_HANDSHAKE once -> FAILED
 *   net_recv in OPEN: decrypt one record; close_notify, fatal alert or
 *             ICMP unreachable -> one log line, TERN_ERR_CLOSED once -> CLOSED
 *
 * The socket is connected to the server, so the kernel drops datagrams
 * from anyone else and reports an ICMP port unreachable (the server
 * process is gone, and its session with it) as ECONNREFUSED.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/net_sockets.h>

#include "posix_dtls.h"

static struct tern_posix_dtls *dtls_of(const tern_posix_t *px, int conn)
{
    return conn >= 0 && conn < TERN_POSIX_MAX_CONNS ? px->dtls[conn] : NULL;
}

/* ---- callbacks of mbed TLS ---- */

/*
 * Our last flight of a full handshake starts with a ClientKeyExchange
 * (PSK) or Certificate record (record header 13 bytes, then the handshake
 * type). When mbed TLS sends it again right after receiving something,
 * the server has repeated its own flight: it did not accept our Finished.
 * A server that cannot decrypt it drops it silently (RFC 6347 4.1.2.7),
 * so with a wrong PSK this is the only sign there is.
 */
static void note_final_flight(struct tern_posix_dtls *d, const unsigned char *buf, size_t len)
{
    bool final =
        len > 13 && buf[0] == MBEDTLS_SSL_MSG_HANDSHAKE
        && (buf[13] == MBEDTLS_SSL_HS_CLIENT_KEY_EXCHANGE || buf[13] == MBEDTLS_SSL_HS_CERTIFICATE);
    if (final) {
        /* one count per repeat of the server's flight, which may come in
         * several datagrams and meet our own timer's resend */
        tern_time_t now = tern_posix_now();
        if (d->final_sent && d->rx_since_send && now - d->repeat_at >= 500) {
            d->peer_repeats++;
            d->repeat_at = now;
        }
        d->final_sent = true;
    }
    d->rx_since_send = false;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct tern_posix_dtls *d = ctx;
    ssize_t n = send(d->fd, buf, len, 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return MBEDTLS_ERR_SSL_WANT_WRITE;
        if (errno == ECONNREFUSED) /* an ICMP port unreachable came back */
            return MBEDTLS_ERR_NET_CONN_RESET;
        return MBEDTLS_ERR_NET_SEND_FAILED;
    }
    if (d->state == DTLS_HANDSHAKE) {
        d->info.datagrams_out++;
        d->info.bytes_out += (uint32_t)n;
        note_final_flight(d, buf, (size_t)n);
    }
    return (int)n;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct tern_posix_dtls *d = ctx;
    ssize_t n = recv(d->fd, buf, len, 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return MBEDTLS_ERR_SSL_WANT_READ;
        if (errno == ECONNREFUSED) /* an ICMP port unreachable came back */
            return MBEDTLS_ERR_NET_CONN_RESET;
        return MBEDTLS_ERR_NET_RECV_FAILED;
    }
    if (n == 0)
        return MBEDTLS_ERR_SSL_WANT_READ; /* an empty datagram is no record: drop it */
    if (d->state == DTLS_HANDSHAKE) {
        d->info.datagrams_in++;
        d->info.bytes_in += (uint32_t)n;
        d->rx_since_send = true;
    }
    return (int)n;
}

static void set_timer(void *ctx, uint32_t int_ms, uint32_t fin_ms)
{
    struct tern_posix_dtls *d = ctx;
    d->timer_start = tern_posix_now();
    d->timer_int_ms = int_ms;
    d->timer_fin_ms = fin_ms;
}

/* -1 stopped, 0 running, 1 intermediate delay passed, 2 final delay passed */
static int get_timer(void *ctx)
{
    const struct tern_posix_dtls *d = ctx;
    if (d->timer_fin_ms == 0)
        return -1;
    tern_time_t elapsed = tern_posix_now() - d->timer_start;
    if (elapsed >= d->timer_fin_ms)
        return 2;
    return elapsed >= d->timer_int_ms ? 1 : 0;
}

/* ---- state changes ---- */

static void free_dtls(struct tern_posix_dtls *d)
{
    mbedtls_ssl_free(&d->ssl);
    mbedtls_ssl_config_free(&d->conf);
    mbedtls_x509_crt_free(&d->own_cert);
    mbedtls_x509_crt_free(&d->trust);
    mbedtls_pk_free(&d->own_key);
    free(d);
}

static void handshake_failed(struct tern_posix_dtls *d, int ret)
{
    char reason[256];
    tern_posix_dtls_handshake_error(d, ret, reason, sizeof(reason));
    d->state = DTLS_FAILED;
    d->info.state = DTLS_FAILED;
    d->info.elapsed_ms = tern_posix_now() - d->opened_at;
    d->timer_fin_ms = 0;
    d->queued_len = 0;
    tern_posix_dtls_forget_session(d); /* the next attempt starts afresh */
    tern_posix_log(d->px, TERN_LOG_ERROR, "dtls: handshake with %s failed: %s", d->peer_text,
                   reason);
}

static void session_ended(struct tern_posix_dtls *d, int ret)
{
    char reason[256];
    tern_posix_dtls_session_error(d, ret, reason, sizeof(reason));
    d->state = DTLS_CLOSED;
    d->info.state = DTLS_CLOSED;
    tern_posix_dtls_forget_session(d);
    tern_posix_log(d->px, TERN_LOG_WARN, "dtls: session with %s ended: %s", d->peer_text, reason);
}

static void established(struct tern_posix_dtls *d)
{
    d->state = DTLS_OPEN;
    d->info.state = DTLS_OPEN;
    d->info.elapsed_ms = tern_posix_now() - d->opened_at;
    d->info.ciphersuite = mbedtls_ssl_get_ciphersuite(&d->ssl);
    d->info.resumed =
        d->offered && d->ssl.session != NULL
        && memcmp(d->ssl.session->master, d->offered_master, sizeof(d->offered_master)) == 0;
    tern_posix_dtls_save_session(d);
    tern_posix_log(d->px, TERN_LOG_INFO,
                   "dtls: secure session with %s in %ld ms (%s, %s handshake, out %u datagrams %u "
                   "bytes, in %u datagrams %u bytes)",
                   d->peer_text, (long)d->info.elapsed_ms, d->info.ciphersuite,
                   d->info.resumed ? "resumed" : "full", (unsigned)d->info.datagrams_out,
                   (unsigned)d->info.bytes_out, (unsigned)d->info.datagrams_in,
                   (unsigned)d->info.bytes_in);
    if (d->queued_len > 0) {
        /* lost if the socket is full: the engine's retransmission covers it */
        (void)mbedtls_ssl_write(&d->ssl, d->queued, d->queued_len);
        d->queued_len = 0;
    }
}

/* Lets the handshake take its next steps. */
static void advance(struct tern_posix_dtls *d)
{
    int ret = mbedtls_ssl_handshake(&d->ssl);
    if (ret == 0)
        established(d);
    else if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE)
        handshake_failed(d, ret);
    else if (d->mode == TERN_NET_PSK && d->peer_repeats >= DTLS_MAX_PEER_REPEATS)
        handshake_failed(d, DTLS_ERR_FINISHED_REFUSED);
}

/* ---- the port functions ---- */

int tern_posix_dtls_open(tern_posix_t *px, int conn, int fd, const tern_addr_t *peer,
                         const tern_net_security_t *sec)
{
    if (sec->mode == TERN_NET_RPK)
        return tern_posix_rpk_open(px, conn, fd, peer, sec);
    if (peer->len == 0)
        return TERN_ERR_ARG; /* no peer: DTLS servers are not offered */
    if (tern_posix_dtls_shared_get(px) == NULL) {
        tern_posix_log(px, TERN_LOG_ERROR, "dtls: cannot seed the random generator");
        return TERN_ERR_IO;
    }
    int rc = tern_posix_connect(px, fd, peer);
    if (rc != 0)
        return rc;
    struct tern_posix_dtls *d = calloc(1, sizeof(*d));
    if (d == NULL)
        return TERN_ERR_NO_SPACE;
    mbedtls_ssl_init(&d->ssl);
    mbedtls_ssl_config_init(&d->conf);
    mbedtls_x509_crt_init(&d->own_cert);
    mbedtls_x509_crt_init(&d->trust);
    mbedtls_pk_init(&d->own_key);
    d->px = px;
    d->fd = fd;
    d->peer = *peer;
    d->opened_at = tern_posix_now();
    d->info.ciphersuite = "";
    tern_posix_addr_str(peer, d->peer_text, sizeof(d->peer_text));
    rc = tern_posix_dtls_configure(d, sec);
    if (rc == 0 && mbedtls_ssl_setup(&d->ssl, &d->conf) != 0)
        rc = TERN_ERR_NO_SPACE;
    if (rc != 0) {
        free_dtls(d);
        return rc;
    }
    mbedtls_ssl_set_bio(&d->ssl, d, bio_send, bio_recv, NULL);
    mbedtls_ssl_set_timer_cb(&d->ssl, d, set_timer, get_timer);
    mbedtls_ssl_set_mtu(&d->ssl, DTLS_MTU);
    tern_posix_dtls_offer_session(d);
    px->dtls[conn] = d;
    tern_posix_log(px, TERN_LOG_DEBUG, "dtls: handshake with %s as '%s'%s", d->peer_text, d->who,
                   d->offered ? ", offering the last session" : "");
    advance(d); /* the ClientHello; a failure is reported by net_recv */
    return 0;
}

static bool same_addr(const tern_addr_t *a, const tern_addr_t *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

int tern_posix_dtls_send(tern_posix_t *px, int conn, const tern_addr_t *to, const uint8_t *data,
                         size_t len)
{
    struct tern_posix_dtls *d = dtls_of(px, conn);
    if (d == NULL && tern_posix_is_secure(px, conn))
        return tern_posix_rpk_send(px, conn, to, data, len);
    if (d == NULL || (to != NULL && !same_addr(to, &d->peer)))
        return TERN_ERR_ARG; /* a DTLS connection talks to its server only */
    if (d->state == DTLS_HANDSHAKE) {
        if (len > sizeof(d->queued))
            return TERN_ERR_WOULD_BLOCK;
        memcpy(d->queued, data, len); /* replaces an earlier one: the engine retransmits */
        d->queued_len = len;
        return 0;
    }
    if (d->state != DTLS_OPEN)
        return TERN_ERR_WOULD_BLOCK; /* net_recv reports why, once */
    int ret = mbedtls_ssl_write(&d->ssl, data, len);
    if (ret >= 0 || ret == MBEDTLS_ERR_SSL_WANT_WRITE || ret == MBEDTLS_ERR_SSL_WANT_READ)
        return ret >= 0 ? 0 : TERN_ERR_WOULD_BLOCK;
    if (ret == MBEDTLS_ERR_NET_CONN_RESET) {
        session_ended(d, ret);
        return TERN_ERR_WOULD_BLOCK;
    }
    return ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ? TERN_ERR_ARG : TERN_ERR_IO;
}

/* Throws away what arrives on a connection that failed or ended, so the
 * application's poll() does not keep waking up for it. */
static void drain(const struct tern_posix_dtls *d)
{
    uint8_t scrap[64];
    while (recv(d->fd, scrap, sizeof(scrap), MSG_TRUNC) >= 0) {
    }
}

/* One application-data record, cut to cap with its full length returned
 * as net_recv's contract says. */
static int read_record(struct tern_posix_dtls *d, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    int ret = mbedtls_ssl_read(&d->ssl, buf, cap);
    if (ret > 0) {
        size_t total = (size_t)ret;
        while (mbedtls_ssl_get_bytes_avail(&d->ssl) > 0) {
            uint8_t rest[128];
            int n = mbedtls_ssl_read(&d->ssl, rest, sizeof(rest));
            if (n <= 0)
                break;
            total += (size_t)n;
        }
        *from = d->peer;
        return total > INT32_MAX ? INT32_MAX : (int)total;
    }
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
        return TERN_ERR_WOULD_BLOCK;
    session_ended(d, ret);
    d->reported = true;
    return TERN_ERR_CLOSED;
}

int tern_posix_dtls_recv(tern_posix_t *px, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    struct tern_posix_dtls *d = dtls_of(px, conn);
    if (d == NULL && tern_posix_is_secure(px, conn))
        return tern_posix_rpk_recv(px, conn, from, buf, cap);
    if (d == NULL)
        return TERN_ERR_ARG;
    if (d->state == DTLS_HANDSHAKE)
        advance(d);
    if (d->state == DTLS_FAILED || d->state == DTLS_CLOSED) {
        drain(d);
        if (d->reported)
            return TERN_ERR_WOULD_BLOCK;
        d->reported = true;
        return d->state == DTLS_FAILED ? TERN_ERR_HANDSHAKE : TERN_ERR_CLOSED;
    }
    if (d->state == DTLS_HANDSHAKE)
        return TERN_ERR_WOULD_BLOCK;
    return read_record(d, from, buf, cap);
}

void tern_posix_dtls_close(tern_posix_t *px, int conn)
{
    struct tern_posix_dtls *d = dtls_of(px, conn);
    if (d == NULL && tern_posix_is_secure(px, conn))
        tern_posix_rpk_close(px, conn);
    if (d == NULL)
        return;
    if (d->state == DTLS_OPEN)
        (void)mbedtls_ssl_close_notify(&d->ssl); /* best effort, lets the server free it */
    px->dtls[conn] = NULL;
    free_dtls(d);
}

tern_time_t tern_posix_dtls_deadline(const tern_posix_t *px, int conn)
{
    const struct tern_posix_dtls *d = dtls_of(px, conn);
    if (d == NULL && tern_posix_is_secure(px, conn))
        return tern_posix_rpk_deadline(px, conn);
    if (d == NULL)
        return INT64_MAX;
    if ((d->state == DTLS_FAILED || d->state == DTLS_CLOSED) && !d->reported)
        return tern_posix_now(); /* failed inside net_open or net_send: report it */
    if (d->state == DTLS_OPEN && mbedtls_ssl_check_pending(&d->ssl))
        return tern_posix_now(); /* more records of a datagram already read */
    if (d->state != DTLS_HANDSHAKE && d->state != DTLS_OPEN)
        return INT64_MAX;
    return d->timer_fin_ms != 0 ? d->timer_start + d->timer_fin_ms : INT64_MAX;
}

int tern_posix_dtls_info(const tern_posix_t *px, int conn, tern_posix_dtls_info_t *info)
{
    const struct tern_posix_dtls *d = dtls_of(px, conn);
    if (d == NULL && tern_posix_is_secure(px, conn)) {
        tern_posix_rpk_info(px, conn, info);
        return 0;
    }
    if (d == NULL)
        return TERN_ERR_ARG;
    *info = d->info;
    if (d->state == DTLS_HANDSHAKE)
        info->elapsed_ms = tern_posix_now() - d->opened_at;
    return 0;
}
