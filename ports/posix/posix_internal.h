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

/* Converts between a socket address and the port's tern_addr_t layout:
 * family (4 or 6), port (big-endian), address bytes. */
void tern_posix_addr_from_sockaddr(tern_addr_t *addr, const struct sockaddr *sa);
socklen_t tern_posix_addr_to_sockaddr(const tern_addr_t *addr, struct sockaddr_storage *ss);

#endif
