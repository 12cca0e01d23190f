/* POSIX port: non-blocking UDP sockets over IPv4 and IPv6; a connection
 * with security goes through posix_dtls.c. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "posix_internal.h"

void tern_posix_addr_from_sockaddr(tern_addr_t *addr, const struct sockaddr *sa)
{
    memset(addr, 0, sizeof(*addr));
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        addr->bytes[0] = 4;
        memcpy(addr->bytes + 1, &in->sin_port, 2);
        memcpy(addr->bytes + 3, &in->sin_addr, 4);
        addr->len = 7;
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        /* An IPv4-mapped sender on a dual-stack socket is an IPv4 peer. */
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            addr->bytes[0] = 4;
            memcpy(addr->bytes + 1, &in6->sin6_port, 2);
            memcpy(addr->bytes + 3, in6->sin6_addr.s6_addr + 12, 4);
            addr->len = 7;
            return;
        }
        addr->bytes[0] = 6;
        memcpy(addr->bytes + 1, &in6->sin6_port, 2);
        memcpy(addr->bytes + 3, &in6->sin6_addr, 16);
        addr->len = 19;
    }
}

socklen_t tern_posix_addr_to_sockaddr(const tern_addr_t *addr, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (addr->len == 7 && addr->bytes[0] == 4) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        memcpy(&in->sin_port, addr->bytes + 1, 2);
        memcpy(&in->sin_addr, addr->bytes + 3, 4);
        return sizeof(*in);
    }
    if (addr->len == 19 && addr->bytes[0] == 6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        memcpy(&in6->sin6_port, addr->bytes + 1, 2);
        memcpy(&in6->sin6_addr, addr->bytes + 3, 16);
        return sizeof(*in6);
    }
    return 0;
}

/* A socket that wants to talk to an IPv4 peer from a dual-stack socket
 * needs the mapped form of the address. */
static socklen_t sockaddr_for_socket(int fd, const tern_addr_t *addr, struct sockaddr_storage *ss)
{
    struct sockaddr_storage local;
    socklen_t local_len = sizeof(local);
    socklen_t len = tern_posix_addr_to_sockaddr(addr, ss);
    if (len == 0 || ss->ss_family != AF_INET
        || getsockname(fd, (struct sockaddr *)&local, &local_len) != 0
        || local.ss_family != AF_INET6)
        return len;
    struct sockaddr_in v4 = *(struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    memset(ss, 0, sizeof(*ss));
    v6->sin6_family = AF_INET6;
    v6->sin6_port = v4.sin_port;
    v6->sin6_addr.s6_addr[10] = 0xff;
    v6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(v6->sin6_addr.s6_addr + 12, &v4.sin_addr, 4);
    return sizeof(*v6);
}

const char *tern_posix_addr_str(const tern_addr_t *addr, char *buf, size_t cap)
{
    struct sockaddr_storage ss;
    char ip[INET6_ADDRSTRLEN] = "?";
    if (tern_posix_addr_to_sockaddr(addr, &ss) == 0) {
        snprintf(buf, cap, "(none)");
    } else if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
        snprintf(buf, cap, "%s:%u", ip, ntohs(in->sin_port));
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
        snprintf(buf, cap, "[%s]:%u", ip, ntohs(in6->sin6_port));
    }
    return buf;
}

int tern_posix_connect(tern_posix_t *px, int fd, const tern_addr_t *peer)
{
    struct sockaddr_storage ss;
    socklen_t ss_len = tern_posix_addr_to_sockaddr(peer, &ss);
    if (ss_len == 0)
        return TERN_ERR_ARG;
    if (connect(fd, (struct sockaddr *)&ss, ss_len) != 0) {
        tern_posix_log(px, TERN_LOG_ERROR, "dtls: cannot connect a socket to the server: %s",
                       strerror(errno));
        return TERN_ERR_IO;
    }
    return 0;
}

static int free_slot(const tern_posix_t *px)
{
    for (int i = 0; i < TERN_POSIX_MAX_CONNS; i++) {
        if (px->fds[i] < 0)
            return i;
    }
    return -1;
}

/* Opens a non-blocking UDP socket of `family` bound to local_port. */
static int open_socket(int family, uint16_t local_port)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (family == AF_INET6) {
        int off = 0;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(local_port);
        in6->sin6_addr = in6addr_any;
        len = sizeof(*in6);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(local_port);
        in->sin_addr.s_addr = htonl(INADDR_ANY);
        len = sizeof(*in);
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int tern_posix_net_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    tern_posix_t *px = ctx;
    int slot = free_slot(px);
    memset(peer, 0, sizeof(*peer));
    if (slot < 0)
        return TERN_ERR_NO_SPACE;
    int family = AF_INET6;
    if (params->host != NULL) {
        char service[8];
        struct addrinfo hints;
        struct addrinfo *res = NULL;
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_DGRAM;
        hints.ai_flags = AI_NUMERICSERV;
        snprintf(service, sizeof(service), "%u", params->port);
        if (getaddrinfo(params->host, service, &hints, &res) != 0 || res == NULL)
            return TERN_ERR_IO;
        tern_posix_addr_from_sockaddr(peer, res->ai_addr);
        family = res->ai_family;
        freeaddrinfo(res);
    }
    int fd = open_socket(family, params->local_port);
    if (fd < 0) {
        memset(peer, 0, sizeof(*peer));
        return TERN_ERR_IO;
    }
    if (params->security != NULL) {
        int rc = params->host != NULL ? tern_posix_dtls_open(px, slot, fd, peer, params->security)
                                      : TERN_ERR_ARG;
        if (rc < 0) {
            close(fd);
            memset(peer, 0, sizeof(*peer));
            return rc;
        }
    }
    px->fds[slot] = fd;
    return slot;
}

static int conn_fd(const tern_posix_t *px, int conn)
{
    return conn >= 0 && conn < TERN_POSIX_MAX_CONNS ? px->fds[conn] : -1;
}

int tern_posix_net_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len)
{
    tern_posix_t *px = ctx;
    if (conn_fd(px, conn) >= 0 && tern_posix_is_secure(px, conn))
        return tern_posix_dtls_send(px, conn, to, data, len);
    int fd = conn_fd(px, conn);
    struct sockaddr_storage ss;
    socklen_t ss_len;
    if (fd < 0 || to == NULL || (ss_len = sockaddr_for_socket(fd, to, &ss)) == 0)
        return TERN_ERR_ARG;
    if (sendto(fd, data, len, 0, (struct sockaddr *)&ss, ss_len) >= 0)
        return 0;
    return errno == EAGAIN || errno == EWOULDBLOCK ? TERN_ERR_WOULD_BLOCK : TERN_ERR_IO;
}

int tern_posix_net_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    tern_posix_t *px = ctx;
    if (conn_fd(px, conn) >= 0 && tern_posix_is_secure(px, conn))
        return tern_posix_dtls_recv(px, conn, from, buf, cap);
    int fd = conn_fd(px, conn);
    if (fd < 0)
        return TERN_ERR_ARG;
    struct sockaddr_storage ss;
    socklen_t ss_len = sizeof(ss);
    /* MSG_TRUNC makes Linux return the datagram's full length. */
    ssize_t n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&ss, &ss_len);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return TERN_ERR_WOULD_BLOCK;
        /* ICMP errors (e.g. port unreachable) surface here; nothing is lost. */
        return errno == ECONNREFUSED ? TERN_ERR_WOULD_BLOCK : TERN_ERR_IO;
    }
    tern_posix_addr_from_sockaddr(from, (struct sockaddr *)&ss);
    return n > INT32_MAX ? INT32_MAX : (int)n;
}

void tern_posix_net_close(void *ctx, int conn)
{
    tern_posix_t *px = ctx;
    int fd = conn_fd(px, conn);
    if (fd >= 0) {
        tern_posix_dtls_close(px, conn);
        close(fd);
        px->fds[conn] = -1;
    }
}

tern_time_t tern_posix_net_deadline(void *ctx, int conn)
{
    const tern_posix_t *px = ctx;
    return conn_fd(px, conn) >= 0 ? tern_posix_dtls_deadline(px, conn) : INT64_MAX;
}

uint16_t tern_posix_local_port(const tern_posix_t *px, int conn)
{
    int fd = conn_fd(px, conn);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}
