/*
 * Tern south-side API: what a platform port provides.
 *
 * A port is a table of functions plus a context pointer handed to each of
 * them. The table is constant (it can live in flash); the context is the
 * port's own state, owned by the application. The engine never calls an
 * OS directly, only these functions, always from the thread that calls
 * the step function, and never expects one of them to block.
 *
 * Return values follow the library's convention (tern/common.h): >= 0 is
 * success, TERN_ERR_WOULD_BLOCK means "nothing now, try again", other
 * negative values are errors.
 */
#ifndef TERN_PORT_H
#define TERN_PORT_H

#include <stdarg.h>

#include "tern/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Secure-transport modes (the Security object's resource 2). */
enum { TERN_NET_PSK = 0, TERN_NET_RPK = 1, TERN_NET_CERT = 2 };

/*
 * Credentials of a DTLS connection, from a Security object instance. The
 * port copies what it needs during net_open(); nothing is kept.
 *   PSK:  identity = PSK identity, secret = the key.
 *   RPK:  identity = own public key, secret = own private key, server_key
 *         = the server's public key (RFC 7250 raw public keys; DER
 *         SubjectPublicKeyInfo, the private key DER PKCS #8 or RFC 5915).
 *         The server must present exactly server_key: a port refuses the
 *         handshake otherwise, and refuses RPK without a server_key.
 *   CERT: identity = own certificate, secret = own private key,
 *         server_key = the server's certificate or its CA (DER); empty
 *         means the server is not authenticated (discouraged).
 */
typedef struct tern_net_security {
    uint8_t mode; /* TERN_NET_PSK, _RPK, _CERT */
    const uint8_t *identity;
    size_t identity_len;
    const uint8_t *secret;
    size_t secret_len;
    const uint8_t *server_key;
    size_t server_key_len;
} tern_net_security_t;

/* What the engine asks for when it opens a connection to a peer. */
typedef struct tern_net_params {
    /*
     * Host name or numeric address, NUL-terminated; not kept. NULL opens
     * a listening connection with no peer: it receives from anyone on
     * local_port and sends only to explicit addresses.
     */
    const char *host;
    /* Peer's UDP port. */
    uint16_t port;
    /* Local UDP port to bind, 0 for any. */
    uint16_t local_port;
    /* DTLS credentials for coaps://, NULL for plain UDP. Not kept. */
    const tern_net_security_t *security;
} tern_net_params_t;

typedef struct tern_port_ops {
    /*
     * Milliseconds on a monotonic clock: never goes back, unaffected by
     * wall-clock changes. The engine itself takes "now" as an argument
     * of its step function; this is for the application's loop.
     */
    tern_time_t (*now_ms)(void *ctx);

    /*
     * Fills buf with len random bytes. Must be cryptographically secure
     * when DTLS is in use (tokens and message IDs rely on it). Returns 0
     * or a negative error.
     */
    int (*random)(void *ctx, uint8_t *buf, size_t len);

    /*
     * Writes one log line (no trailing newline in fmt). fmt uses only
     * %d %u %ld %lu %x %s %c and %%. May be NULL: no logging.
     */
    void (*log)(void *ctx, tern_log_level_t level, const char *fmt, va_list ap);

    /*
     * Opens a datagram connection to params->host:params->port and writes
     * the peer's address to *peer (len 0 for a listening connection).
     * Returns a handle >= 0, or a negative error (TERN_ERR_IO when the
     * name does not resolve or the socket cannot be bound, TERN_ERR_ARG
     * for security the port does not offer). Must not block for long: a
     * port without name resolution accepts numeric addresses only.
     *
     * With params->security the connection is DTLS: the handshake starts
     * here and proceeds inside net_send/net_recv (and net_deadline), never
     * blocking. Until it completes, net_send may queue the datagram or
     * return TERN_ERR_WOULD_BLOCK and net_recv returns
     * TERN_ERR_WOULD_BLOCK; a failed handshake makes net_recv return
     * TERN_ERR_HANDSHAKE once, and a session the peer closed or lost
     * TERN_ERR_CLOSED. The engine then closes the connection and opens a
     * new one after a back-off.
     */
    int (*net_open)(void *ctx, const tern_net_params_t *params, tern_addr_t *peer);

    /*
     * Sends one datagram on conn to `to` (the connection's peer when
     * NULL). Returns 0, TERN_ERR_WOULD_BLOCK when the datagram could not
     * be queued now (the engine's retransmission covers it), or an error.
     */
    int (*net_send)(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len);

    /*
     * Receives one datagram from conn without waiting. Stores at most cap
     * bytes in buf and the sender in *from, and returns the datagram's
     * full length, which is larger than cap when it was truncated.
     * Returns TERN_ERR_WOULD_BLOCK when nothing is waiting.
     */
    int (*net_recv)(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap);

    /*
     * Optional zero-copy receive, used instead of net_recv when not NULL:
     * like net_recv, but points *data at the port's own copy of the
     * datagram, stores how many of its bytes are there in *stored (at
     * most the returned full length) and copies nothing. The bytes must
     * stay unchanged until the next net_recv_inplace or net_recv call.
     * A port whose driver keeps a frame buffer anyway offers this and
     * saves the client's receive buffer (TERN_COAP_RX_BUFFER 0).
     */
    int (*net_recv_inplace)(void *ctx, int conn, tern_addr_t *from, const uint8_t **data,
                            size_t *stored);

    /* Closes conn. The handle may be reused by a later net_open. */
    void (*net_close)(void *ctx, int conn);

    /*
     * When the port next needs net_recv() called on conn without a
     * datagram having arrived (a DTLS handshake retransmission timer), or
     * INT64_MAX. May be NULL: never.
     */
    tern_time_t (*net_deadline)(void *ctx, int conn);

    /*
     * Device hooks (object 3). reboot is called once the response to the
     * Execute has been sent; it may return (e.g. to let the application
     * restart cleanly) or never return. factory_reset restores the
     * device's factory configuration, then behaves like reboot. Either may
     * be NULL: the Execute is then answered 4.05.
     */
    void (*reboot)(void *ctx);
    void (*factory_reset)(void *ctx);

    /*
     * Persistent storage of the client's configuration (the Security,
     * Server and Access Control objects as bootstrapped). Both may be
     * NULL: nothing survives a restart.
     *
     * config_write() stores a new image in pieces, in order: offset 0
     * starts it, and the piece with `last` set commits it atomically,
     * replacing the previous image only then (a crash in between leaves
     * the old one). Returns 0 or a negative error.
     *
     * config_read() returns the stored image and its length, or NULL when
     * there is none. The engine checks its integrity itself. The memory
     * stays valid until the next config_write() (on a microcontroller it
     * can point straight into flash).
     */
    int (*config_write)(void *ctx, size_t offset, const uint8_t *data, size_t len, bool last);
    const uint8_t *(*config_read)(void *ctx, size_t *len);

    /*
     * Firmware image storage (Firmware Update object 5). All NULL: the
     * device cannot be updated.
     *   fw_open:   starts a new image of `size` bytes (0: not known yet);
     *              TERN_ERR_NO_SPACE when it cannot hold that much.
     *   fw_write:  stores the next piece at `offset` (pieces come in order);
     *              TERN_ERR_NO_SPACE when storage runs out.
     *   fw_finish: the image is complete: checks it. 0, TERN_ERR_CORRUPT
     *              (integrity check failed), or
     *              -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT (a package type the
     *              device cannot install). May fill name/version (NUL-
     *              terminated, cap bytes each) from the package.
     *   fw_abort:  drops a partial or unwanted image.
     *   fw_apply:  installs the checked image and restarts into it; returns
     *              (an error) only when that failed and the old firmware
     *              still runs.
     *   fw_applied: after the restart that followed fw_apply, whether the
     *              new firmware is the one running.
     */
    int (*fw_open)(void *ctx, size_t size);
    int (*fw_write)(void *ctx, size_t offset, const uint8_t *data, size_t len);
    int (*fw_finish)(void *ctx, char *name, char *version, size_t cap);
    void (*fw_abort)(void *ctx);
    int (*fw_apply)(void *ctx);
    bool (*fw_applied)(void *ctx);
} tern_port_ops_t;

/* A port instance: its function table and its state. */
typedef struct tern_port {
    const tern_port_ops_t *ops;
    void *ctx;
} tern_port_t;

#ifdef __cplusplus
}
#endif

#endif /* TERN_PORT_H */
