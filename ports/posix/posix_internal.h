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
 * Shared by the two DTLS backends: mbed TLS for PSK and certificates
 * (posix_dtls*.c), GnuTLS for raw public keys (posix_dtls_rpk*.c).
 *
 * Handshake retransmission (RFC 6347 4.2.4): the first flight is resent
 * after 1 s, then 2, 4, 8 and 16 s; the handshake fails 31 s after the
 * first flight was sent, well before the engine's CoAP exchange that
 * waits for it gives up (MAX_TRANSMIT_WAIT, at least 62 s).
 */
#define DTLS_HS_TIMEOUT_MIN_MS 1000
#define DTLS_HS_TIMEOUT_MAX_MS 16000
#define DTLS_HS_TOTAL_MS 31000

/* Largest datagram sent: the IPv6 minimum MTU less IPv6 and UDP headers. */
#define DTLS_MTU 1232

/* The one datagram the engine may hand over while the handshake runs. */
#define DTLS_QUEUE_SIZE 1232

/* A connection's state, as tern_posix_dtls_info_t reports it. */
enum { DTLS_HANDSHAKE = 0, DTLS_OPEN = 1, DTLS_FAILED = 2, DTLS_CLOSED = 3 };

/* Connects fd to peer (so the kernel drops datagrams from anyone else
 * and reports ICMP errors). Returns 0, TERN_ERR_ARG without a peer, or
 * TERN_ERR_IO with one log line. */
int tern_posix_connect(tern_posix_t *px, int fd, const tern_addr_t *peer);

/* Whether slot conn is a DTLS connection (either backend). */
static inline bool tern_posix_is_secure(const tern_posix_t *px, int conn)
{
    return conn >= 0 && conn < TERN_POSIX_MAX_CONNS
           && (px->dtls[conn] != NULL || px->rpk[conn] != NULL);
}

/*
 * posix_dtls.c: DTLS over the UDP socket fd of slot conn, to peer; raw
 * public keys go to posix_dtls_rpk.c, the rest to mbed TLS.
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

/* posix_dtls_rpk.c: the same functions for a raw-public-key connection
 * (RFC 7250, GnuTLS); px->rpk[conn] is set by tern_posix_rpk_open. */
int tern_posix_rpk_open(tern_posix_t *px, int conn, int fd, const tern_addr_t *peer,
                        const tern_net_security_t *sec);
int tern_posix_rpk_send(tern_posix_t *px, int conn, const tern_addr_t *to, const uint8_t *data,
                        size_t len);
int tern_posix_rpk_recv(tern_posix_t *px, int conn, tern_addr_t *from, uint8_t *buf, size_t cap);
void tern_posix_rpk_close(tern_posix_t *px, int conn);
tern_time_t tern_posix_rpk_deadline(const tern_posix_t *px, int conn);
void tern_posix_rpk_info(const tern_posix_t *px, int conn, tern_posix_dtls_info_t *info);

#endif
