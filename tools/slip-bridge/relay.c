/* slip-bridge: the serial line, the device's frames and the UDP sockets. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"
#include "slip_link.h"

/* ---- the serial line ---------------------------------------------------- */

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int connect_tcp(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (colon == NULL || (size_t)(colon - hostport) >= sizeof(host)) {
        errno = EINVAL;
        return -1;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0) {
        errno = EINVAL;
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    freeaddrinfo(ai);
    return fd;
}

int bridge_connect_serial(const bridge_t *b)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int fd;
        if (strncmp(b->serial_spec, "unix:", 5) == 0)
            fd = connect_unix(b->serial_spec + 5);
        else if (strncmp(b->serial_spec, "tcp:", 4) == 0)
            fd = connect_tcp(b->serial_spec + 4);
        else {
            errno = EINVAL;
            return -1;
        }
        if (fd >= 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            return fd;
        }
        if (errno != ENOENT && errno != ECONNREFUSED)
            return -1;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (waited >= b->wait_s)
            return -1;
        usleep(50000);
    }
}

/* ---- frames to the device ----------------------------------------------- */

static bool reserve(bridge_t *b, size_t more)
{
    if (b->out_len + more > BRIDGE_OUT_MAX)
        return false;
    if (b->out_len + more > b->out_cap) {
        size_t cap = b->out_cap != 0 ? b->out_cap : 4096;
        while (cap < b->out_len + more)
            cap *= 2;
        uint8_t *p = realloc(b->out, cap);
        if (p == NULL)
            return false;
        b->out = p;
        b->out_cap = cap;
    }
    return true;
}

static void put_escaped(bridge_t *b, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        b->out_len += tern_slip_escape(data[i], b->out + b->out_len);
}

bool bridge_send(bridge_t *b, uint8_t type, const uint8_t *head, size_t head_len,
                 const uint8_t *body, size_t body_len)
{
    if (!reserve(b, 2 + 2 * (1 + head_len + body_len)))
        return false;
    b->out[b->out_len++] = TERN_SLIP_END;
    put_escaped(b, &type, 1);
    put_escaped(b, head, head_len);
    put_escaped(b, body, body_len);
    b->out[b->out_len++] = TERN_SLIP_END;
    return true;
}

bool bridge_flush(bridge_t *b)
{
    while (b->out_len > 0) {
        ssize_t n = write(b->serial, b->out, b->out_len);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        memmove(b->out, b->out + n, b->out_len - (size_t)n);
        b->out_len -= (size_t)n;
    }
    return true;
}

static void send_config(bridge_t *b)
{
    uint8_t seed[16];
    if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
        memset(seed, 0, sizeof(seed)); /* the device still has its jitter */
    char hex[2 * sizeof(seed) + 1];
    for (size_t i = 0; i < sizeof(seed); i++)
        snprintf(hex + 2 * i, 3, "%02x", seed[i]);
    char text[TERN_LINK_TEXT_MAX + 1];
    int n =
        snprintf(text, sizeof(text), "ep=%s uri=%s lt=%lu log=%d time=%lld seed=%s", b->endpoint,
                 b->server_uri, b->lifetime_s, b->log_level, (long long)time(NULL), hex);
    if (n < 0 || (size_t)n >= sizeof(text)) {
        printf("slip-bridge: the configuration is longer than %d bytes\n", TERN_LINK_TEXT_MAX);
        return;
    }
    bridge_send(b, TERN_LINK_CONFIG, NULL, 0, (const uint8_t *)text, (size_t)n);
    printf("slip-bridge: configured the device: ep=%s uri=%s lt=%lu\n", b->endpoint, b->server_uri,
           b->lifetime_s);
}

/* ---- UDP ------------------------------------------------------------------ */

static void report_error(bridge_t *b, int conn, int err)
{
    uint8_t head[2] = { (uint8_t)conn, (uint8_t)(err > 0 && err < 256 ? err : EIO) };
    bridge_send(b, TERN_LINK_ERROR, head, sizeof(head), NULL, 0);
}

static void close_conn(bridge_t *b, int conn)
{
    if (b->udp[conn] >= 0) {
        close(b->udp[conn]);
        b->udp[conn] = -1;
    }
}

void bridge_close_all(bridge_t *b)
{
    for (int i = 0; i < BRIDGE_MAX_CONNS; i++)
        close_conn(b, i);
}

static void open_conn(bridge_t *b, int conn, uint16_t local_port)
{
    close_conn(b, conn); /* a handle the device reuses without CLOSE */
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_port = htons(local_port),
                              .sin_addr = b->bind_addr };
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        int e = errno;
        printf("slip-bridge: connection %d: cannot bind udp port %u: %s\n", conn, local_port,
               strerror(e));
        if (fd >= 0)
            close(fd);
        report_error(b, conn, e);
        return;
    }
    socklen_t len = sizeof(sa);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    b->udp[conn] = fd;
    char ip[INET_ADDRSTRLEN];
    printf("slip-bridge: connection %d: udp %s:%u\n", conn,
           inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip)), ntohs(sa.sin_port));
}

static void addr_from_bytes(struct sockaddr_in *sa, const uint8_t *p)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    memcpy(&sa->sin_addr, p, 4);
    memcpy(&sa->sin_port, p + 4, 2);
}

static void send_datagram(bridge_t *b, const uint8_t *f, size_t len)
{
    int conn = f[1];
    if (conn >= BRIDGE_MAX_CONNS) {
        printf("slip-bridge: datagram on connection %d, beyond %d: dropped\n", conn,
               BRIDGE_MAX_CONNS - 1);
        return;
    }
    if (b->udp[conn] < 0) {
        /* opened before this bridge started (it was restarted): from a new port */
        printf("slip-bridge: connection %d was not open here\n", conn);
        open_conn(b, conn, 0);
        if (b->udp[conn] < 0)
            return;
    }
    struct sockaddr_in to;
    addr_from_bytes(&to, f + 2);
    const uint8_t *payload = f + TERN_LINK_DATA_HEADER;
    size_t n = len - TERN_LINK_DATA_HEADER;
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &to.sin_addr, ip, sizeof(ip));
    if (sendto(b->udp[conn], payload, n, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
        printf("slip-bridge: connection %d: send to %s:%u failed: %s\n", conn, ip,
               ntohs(to.sin_port), strerror(errno));
    else if (b->verbose)
        printf("slip-bridge: connection %d -> %s:%u, %zu bytes\n", conn, ip, ntohs(to.sin_port), n);
}

void bridge_udp_input(bridge_t *b, int conn)
{
    uint8_t buf[TERN_LINK_DATA_HEADER + 65536];
    for (;;) {
        struct sockaddr_in from;
        socklen_t flen = sizeof(from);
        ssize_t n =
            recvfrom(b->udp[conn], buf + TERN_LINK_DATA_HEADER, sizeof(buf) - TERN_LINK_DATA_HEADER,
                     0, (struct sockaddr *)&from, &flen);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
                && errno != ECONNREFUSED) {
                printf("slip-bridge: connection %d: receive failed: %s\n", conn, strerror(errno));
                report_error(b, conn, errno);
            }
            return;
        }
        if (from.sin_family != AF_INET)
            continue;
        buf[0] = TERN_LINK_DATA_IN;
        buf[1] = (uint8_t)conn;
        memcpy(buf + 2, &from.sin_addr, 4);
        memcpy(buf + 6, &from.sin_port, 2);
        if (!bridge_send(b, buf[0], buf + 1, TERN_LINK_DATA_HEADER - 1, buf + TERN_LINK_DATA_HEADER,
                         (size_t)n))
            b->dropped++;
        else if (b->verbose) {
            char ip[INET_ADDRSTRLEN];
            printf("slip-bridge: connection %d <- %s:%u, %zd bytes\n", conn,
                   inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)), ntohs(from.sin_port), n);
        }
    }
}

/* ---- frames from the device --------------------------------------------- */

static void device_frame(bridge_t *b, const uint8_t *f, size_t len)
{
    const char *text = (const char *)f + 1;
    int text_len = (int)(len - 1);
    switch (f[0]) {
    case TERN_LINK_HELLO:
        if (len < 2)
            break;
        bridge_close_all(b);
        printf("slip-bridge: the device started: %.*s\n", text_len - 1, text + 1);
        send_config(b);
        return;
    case TERN_LINK_OPEN:
        if (len >= 4 && f[1] < BRIDGE_MAX_CONNS) {
            open_conn(b, f[1], (uint16_t)(f[2] << 8 | f[3]));
            return;
        }
        break;
    case TERN_LINK_CLOSE:
        if (len >= 2 && f[1] < BRIDGE_MAX_CONNS) {
            close_conn(b, f[1]);
            printf("slip-bridge: connection %d closed\n", f[1]);
            return;
        }
        break;
    case TERN_LINK_DATA:
        if (len >= TERN_LINK_DATA_HEADER) {
            send_datagram(b, f, len);
            return;
        }
        break;
    case TERN_LINK_LOG:
        if (len >= 2) {
            printf("device: %c %.*s\n", f[1] <= 3 ? "EWID"[f[1]] : '?', text_len - 1, text + 1);
            return;
        }
        break;
    case TERN_LINK_PRINT:
        printf("%.*s\n", text_len, text);
        return;
    case TERN_LINK_BYE:
        printf("slip-bridge: the device stopped (%.*s)\n", text_len, text);
        b->device_said_bye = true;
        return;
    default:
        break;
    }
    printf("slip-bridge: unexpected frame type 0x%02x, %zu bytes: dropped\n", f[0], len);
}

void bridge_serial_input(bridge_t *b, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        size_t n = tern_slip_decode(&b->decoder, data[i]);
        if (n > sizeof(b->frame))
            printf("slip-bridge: %zu-byte frame from the device is too long: dropped\n", n);
        else if (n > 0)
            device_frame(b, b->frame, n);
    }
}
