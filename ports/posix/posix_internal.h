/* Pieces of the POSIX port shared between its files. */
#ifndef TERN_POSIX_INTERNAL_H
#define TERN_POSIX_INTERNAL_H

#include <sys/socket.h>

#include "tern/posix.h"

int tern_posix_net_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer);
int tern_posix_net_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data,
                        size_t len);
int tern_posix_net_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap);
void tern_posix_net_close(void *ctx, int conn);
int tern_posix_config_write(void *ctx, size_t offset, const uint8_t *data, size_t len, bool last);
const uint8_t *tern_posix_config_read(void *ctx, size_t *len);
tern_time_t tern_posix_net_deadline(void *ctx, int conn);

/* The port's random source and log, for the other files of the port. */
int tern_posix_random(void *ctx, uint8_t *buf, size_t len);
void tern_posix_log(const tern_posix_t *px, tern_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Converts between a socket address and the port's tern_addr_t layout:
 * family (4 or 6), port (big-endian), address bytes. */
void tern_posix_addr_from_sockaddr(tern_addr_t *addr, const struct sockaddr *sa);
socklen_t tern_posix_addr_to_sockaddr(const tern_addr_t *addr, struct sockaddr_storage *ss);

/*
 * posix_dtls.c: DTLS over the UDP socket fd of slot conn, to peer.
 * tern_posix_dtls_open connects fd to peer and starts the handshake; on
 * success px->dtls[conn] is set, on failure nothing is kept (the caller
 * closes fd). The others implement the port functions for that slot.
 */
int tern_posix_dtls_open(tern_posix_t *px, int conn, int fd, const tern_addr_t *peer,
                         const tern_net_security_t *sec);
int tern_posix_dtls_send(tern_posix_t *px, int conn, const tern_addr_t *to, const uint8_t *data,
                         size_t len);
int tern_posix_dtls_recv(tern_posix_t *px, int conn, tern_addr_t *from, uint8_t *buf, size_t cap);
void tern_posix_dtls_close(tern_posix_t *px, int conn);
tern_time_t tern_posix_dtls_deadline(const tern_posix_t *px, int conn);
/* Frees the DRBG and the sessions kept for resumption. */
void tern_posix_dtls_deinit(tern_posix_t *px);

#endif
