/*
 * dtls_probe: the POSIX port's DTLS client on its own, against a DTLS
 * server (tern-server, i.e. libcoap with OpenSSL, or tern-server-gnutls
 * for raw public keys), for dtls_port.sh, dtls_rpk_port.sh and
 * tests/bench/bench_dtls.sh. It talks CoAP only as far as one request (a
 * GET of /x, answered 4.04) to see application data pass.
 *
 *   dtls_probe check HOST PORT CREDS      the port's contract, step by step
 *   dtls_probe hello HOST PORT CREDS      a handshake alone; prints the suite
 *   dtls_probe bench HOST PORT CREDS [N]  N full and N resumed handshakes,
 *                                         time and bytes of each, medians
 *   dtls_probe fail HOST PORT CREDS SECS  the handshake must fail, reported
 *                                         once, within SECS seconds
 *   dtls_probe closed HOST PORT CREDS     connect, then a request every
 *                                         200 ms until the port reports the
 *                                         session lost (the caller stops
 *                                         the server meanwhile)
 * CREDS: --psk-identity ID --psk-key HEX, --cert F --key F
 * [--server-cert F], or --rpk-key F --server-rpk F, as for tern-lightbulb. Exit status 0 when all
 * went as expected, 1 otherwise (with "FAIL: ..." on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "credentials.h"
#include "tern/posix.h"

typedef struct probe {
    tern_posix_t px;
    tern_port_t port;
    tern_net_params_t params;
    tern_net_security_t sec;
    uint16_t mid;
} probe_t;

static int failures;

static void check(bool ok, const char *what)
{
    if (ok) {
        printf("ok: %s\n", what);
    } else {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
    fflush(stdout);
}

static int port_open(probe_t *p)
{
    tern_addr_t peer;
    return p->port.ops->net_open(p->port.ctx, &p->params, &peer);
}

static int port_recv(probe_t *p, int conn, uint8_t *buf, size_t cap)
{
    tern_addr_t from;
    return p->port.ops->net_recv(p->port.ctx, conn, &from, buf, cap);
}

static int dtls_state(probe_t *p, int conn)
{
    tern_posix_dtls_info_t info;
    return tern_posix_dtls_info(&p->px, conn, &info) == 0 ? info.state : -1;
}

/* Runs the port as the engine would: wait for a datagram or the port's
 * deadline, then net_recv, until the handshake ends or `limit_ms` passes.
 * Returns the first net_recv error other than WOULD_BLOCK, else 0. */
static int drive(probe_t *p, int conn, tern_time_t limit_ms, uint8_t *buf, size_t cap, int *got)
{
    uint8_t scratch[64];
    bool handshake_only = buf == NULL;
    tern_time_t end = tern_posix_now() + limit_ms;
    *got = 0;
    if (handshake_only) {
        buf = scratch;
        cap = sizeof(scratch);
    }
    while (tern_posix_now() < end) {
        if (handshake_only && dtls_state(p, conn) != 0)
            return 0; /* done, maybe inside net_open already */
        tern_time_t next = p->port.ops->net_deadline(p->port.ctx, conn);
        if (next > end)
            next = end;
        tern_posix_wait(&p->px, next, NULL, NULL, 0);
        int rc = port_recv(p, conn, buf, cap);
        if (rc >= 0) {
            *got = rc;
            return 0;
        }
        if (rc != TERN_ERR_WOULD_BLOCK)
            return rc;
        if (handshake_only && dtls_state(p, conn) != 0)
            return 0; /* only the handshake was asked for */
    }
    return TERN_ERR_TIMEOUT;
}

/* A confirmable GET of /x (RFC 7252 3: header, Uri-Path option 11), which
 * libcoap answers with a piggybacked 4.04: more dependable than a ping,
 * which it answers only now and then. */
#define REQ_LEN 6

static size_t make_request(probe_t *p, uint8_t *msg)
{
    p->mid++;
    msg[0] = 0x40; /* version 1, CON, no token */
    msg[1] = 0x01; /* GET */
    msg[2] = (uint8_t)(p->mid >> 8);
    msg[3] = (uint8_t)p->mid;
    msg[4] = 0xb1; /* option delta 11 (Uri-Path), length 1 */
    msg[5] = 'x';
    return REQ_LEN;
}

/* The response to msg: an ACK with its message ID (cap < 4 checks only
 * the length, for the truncation contract). */
static bool is_answer(const uint8_t *buf, size_t cap, int got, const uint8_t *msg)
{
    if (got < 4)
        return false;
    return cap < 4 || ((buf[0] & 0x30) == 0x20 && memcmp(buf + 2, msg + 2, 2) == 0);
}

/* A request and its response over conn; cap < 4 checks the truncation
 * contract. Sent again like CoAP would, should one get lost. */
static bool ping(probe_t *p, int conn, size_t cap)
{
    uint8_t msg[REQ_LEN], buf[64];
    for (int attempt = 0; attempt < 5; attempt++) {
        int got = 0;
        make_request(p, msg);
        if (p->port.ops->net_send(p->port.ctx, conn, NULL, msg, sizeof(msg)) != 0)
            return false;
        int rc = drive(p, conn, 1000, buf, cap, &got);
        if (rc == 0 && is_answer(buf, cap, got, msg))
            return true;
        if (rc != TERN_ERR_TIMEOUT)
            return false;
    }
    return false;
}

/* ---- check ---- */

static void check_contract(probe_t *p)
{
    uint8_t msg[REQ_LEN], buf[64];
    int got;
    int conn = port_open(p);
    check(conn >= 0, "net_open with the credentials");
    if (conn < 0)
        return;
    if (dtls_state(p, conn) == 0) {
        tern_time_t dl = p->port.ops->net_deadline(p->port.ctx, conn);
        check(dl != INT64_MAX && dl > tern_posix_now() - 1000,
              "net_deadline reports the retransmission timer while handshaking");
        make_request(p, msg);
        check(p->port.ops->net_send(p->port.ctx, conn, NULL, msg, sizeof(msg)) == 0,
              "net_send during the handshake queues the datagram");
        check(port_recv(p, conn, buf, sizeof(buf)) == TERN_ERR_WOULD_BLOCK,
              "net_recv during the handshake returns WOULD_BLOCK");
        int rc = drive(p, conn, 10000, buf, sizeof(buf), &got);
        check(rc == 0 && is_answer(buf, sizeof(buf), got, msg),
              "the queued request went out once the handshake completed, and was answered");
    } else {
        /* on loopback the server may answer each flight before mbed TLS
         * looks for it, so the whole handshake can happen in net_open */
        printf("info: the handshake completed inside net_open; queueing not exercised\n");
    }
    check(dtls_state(p, conn) == 1, "the session is established");
    check(p->port.ops->net_deadline(p->port.ctx, conn) == INT64_MAX,
          "no deadline once established");
    check(ping(p, conn, sizeof(buf)), "a request over the established session");
    check(ping(p, conn, 2), "a datagram longer than the buffer: net_recv returns its full length");

    /* a datagram from some other address to our port is dropped */
    int other = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = { .sin_family = AF_INET,
                              .sin_port = htons(tern_posix_local_port(&p->px, conn)) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sendto(other, "\x40\x01\x00\x01", 4, 0, (struct sockaddr *)&to, sizeof(to));
    close(other);
    usleep(100000);
    check(port_recv(p, conn, buf, sizeof(buf)) == TERN_ERR_WOULD_BLOCK,
          "a datagram from another peer is not delivered");
    tern_addr_t elsewhere = { .len = 7, .bytes = { 4, 0, 1, 127, 0, 0, 2 } };
    check(p->port.ops->net_send(p->port.ctx, conn, &elsewhere, msg, 4) == TERN_ERR_ARG,
          "net_send to another address than the server is refused");
    p->port.ops->net_close(p->port.ctx, conn);

    /* the same server again: the session is offered for resumption */
    conn = port_open(p);
    int rc = drive(p, conn, 10000, NULL, 0, &got);
    tern_posix_dtls_info_t info;
    tern_posix_dtls_info(&p->px, conn, &info);
    check(rc == 0 && info.state == 1, "a second handshake with the same server");
    printf("info: second handshake %s, %ld ms, out %u/%u in %u/%u datagrams/bytes\n",
           info.resumed ? "resumed the session" : "was a full one (no session resumed)",
           (long)info.elapsed_ms, info.datagrams_out, info.bytes_out, info.datagrams_in,
           info.bytes_in);
    check(ping(p, conn, sizeof(buf)), "a request over the second session");
    p->port.ops->net_close(p->port.ctx, conn);
}

/* ---- bench ---- */

static int compare(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static double median_ms(long long *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), compare);
    if (n == 0)
        return -1;
    return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One handshake (and a request); fills info and *us, the handshake's time in
 * microseconds (the port's own figure is in milliseconds). */
static bool one_handshake(probe_t *p, tern_posix_dtls_info_t *info, long long *us)
{
    int got;
    long long start = now_us();
    int conn = port_open(p);
    if (conn < 0)
        return false;
    bool ok = drive(p, conn, 20000, NULL, 0, &got) == 0;
    *us = now_us() - start;
    ok = ok && tern_posix_dtls_info(&p->px, conn, info) == 0 && info->state == 1
         && ping(p, conn, 64);
    p->port.ops->net_close(p->port.ctx, conn);
    return ok;
}

static void bench(probe_t *p, int n, const char *label)
{
    long long full_us[64], res_us[64];
    tern_posix_dtls_info_t full = { 0 }, res = { 0 };
    int nf = 0, nr = 0;
    const char *suite = "";
    for (int i = 0; i < n && i < 64; i++) {
        tern_posix_dtls_info_t info;
        long long us;
        /* a fresh port instance forgets the session: a full handshake */
        tern_posix_deinit(&p->px);
        tern_posix_init(&p->px, &p->port, "probe");
        p->px.log_level = TERN_LOG_WARN;
        if (!one_handshake(p, &info, &us) || info.resumed) {
            check(false, "full handshake");
            continue;
        }
        full_us[nf++] = us;
        full = info;
        suite = info.ciphersuite;
        if (one_handshake(p, &info, &us) && info.resumed) {
            res_us[nr++] = us;
            res = info;
        }
    }
    printf("%s: %s, full handshake: median %.2f ms of %d; out %u datagrams %u bytes, in %u "
           "datagrams %u bytes\n",
           label, suite, median_ms(full_us, nf), nf, full.datagrams_out, full.bytes_out,
           full.datagrams_in, full.bytes_in);
    if (nr > 0)
        printf("%s: %s, resumed session: median %.2f ms of %d; out %u datagrams %u bytes, in %u "
               "datagrams %u bytes\n",
               label, suite, median_ms(res_us, nr), nr, res.datagrams_out, res.bytes_out,
               res.datagrams_in, res.bytes_in);
    else
        printf("%s: no session resumed (full handshakes every time)\n", label);
}

/* ---- hello ---- */

static void hello(probe_t *p)
{
    int got;
    tern_posix_dtls_info_t info;
    int conn = port_open(p);
    check(conn >= 0 && drive(p, conn, 10000, NULL, 0, &got) == 0
              && tern_posix_dtls_info(&p->px, conn, &info) == 0 && info.state == 1,
          "handshake");
    if (conn >= 0 && tern_posix_dtls_info(&p->px, conn, &info) == 0)
        printf("suite: %s\n", info.ciphersuite);
    if (conn >= 0)
        p->port.ops->net_close(p->port.ctx, conn);
}

/* ---- fail, closed ---- */

static void expect_failure(probe_t *p, int secs)
{
    uint8_t buf[64];
    int got;
    tern_time_t start = tern_posix_now();
    int conn = port_open(p);
    check(conn >= 0, "net_open");
    if (conn < 0)
        return;
    int rc = drive(p, conn, (tern_time_t)secs * 1000, buf, sizeof(buf), &got);
    printf("info: net_recv returned %d after %ld ms\n", rc, (long)(tern_posix_now() - start));
    check(rc == TERN_ERR_HANDSHAKE, "the handshake failed with TERN_ERR_HANDSHAKE in time");
    check(port_recv(p, conn, buf, sizeof(buf)) == TERN_ERR_WOULD_BLOCK,
          "the failure is reported once");
    check(p->port.ops->net_deadline(p->port.ctx, conn) == INT64_MAX,
          "no deadline after the failure");
    p->port.ops->net_close(p->port.ctx, conn);
}

static void expect_closed(probe_t *p)
{
    uint8_t buf[64];
    int got;
    int conn = port_open(p);
    check(conn >= 0 && drive(p, conn, 10000, NULL, 0, &got) == 0 && dtls_state(p, conn) == 1,
          "session established");
    printf("established\n");
    fflush(stdout);
    /* a request every 200 ms for 20 s; the caller stops the server meanwhile */
    int rc = TERN_ERR_WOULD_BLOCK;
    tern_time_t end = tern_posix_now() + 20000;
    while (rc != TERN_ERR_CLOSED && tern_posix_now() < end) {
        uint8_t msg[REQ_LEN];
        tern_time_t next = tern_posix_now() + 200;
        make_request(p, msg);
        p->port.ops->net_send(p->port.ctx, conn, NULL, msg, sizeof(msg));
        while (rc != TERN_ERR_CLOSED && tern_posix_now() < next) {
            rc = drive(p, conn, next - tern_posix_now(), buf, sizeof(buf), &got);
            if (rc == TERN_ERR_TIMEOUT)
                break;
        }
    }
    check(rc == TERN_ERR_CLOSED, "a lost session is reported as TERN_ERR_CLOSED");
    p->port.ops->net_close(p->port.ctx, conn);
}

int main(int argc, char **argv)
{
    static probe_t p;
    static bulb_creds_t creds;
    if (argc < 4) {
        fprintf(stderr,
                "usage: dtls_probe check|hello|bench|fail|closed HOST PORT CREDS [N|SECS]\n");
        return 2;
    }
    const char *mode = argv[1];
    int extra = 0;
    for (int i = 4; i < argc; i++) {
        if (i + 1 < argc && bulb_creds_option(&creds, argv[i], argv[i + 1]))
            i++;
        else
            extra = atoi(argv[i]);
    }
    if (!bulb_creds_load(&creds) || creds.mode == TERN_SEC_NOSEC)
        return 2;
    p.sec = (tern_net_security_t){ (uint8_t)creds.mode, creds.identity,   creds.identity_len,
                                   creds.secret,        creds.secret_len, creds.server_key,
                                   creds.server_key_len };
    p.params = (tern_net_params_t){ argv[2], (uint16_t)atoi(argv[3]), 0, &p.sec };
    tern_posix_init(&p.px, &p.port, "probe");
    if (strcmp(mode, "check") == 0)
        check_contract(&p);
    else if (strcmp(mode, "bench") == 0)
        bench(&p, extra > 0 ? extra : 10,
              creds.mode == TERN_SEC_PSK   ? "PSK"
              : creds.mode == TERN_SEC_RPK ? "raw public keys"
                                           : "certificates");
    else if (strcmp(mode, "hello") == 0)
        hello(&p);
    else if (strcmp(mode, "fail") == 0)
        expect_failure(&p, extra > 0 ? extra : 30);
    else if (strcmp(mode, "closed") == 0)
        expect_closed(&p);
    else
        return 2;
    tern_posix_deinit(&p.px);
    return failures == 0 ? 0 : 1;
}
