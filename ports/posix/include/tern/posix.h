/*
 * Tern POSIX port: UDP over IPv4 and IPv6, DTLS 1.2 over it (coaps://:
 * PSK and X.509 certificates with mbed TLS, raw public keys (RFC 7250)
 * with GnuTLS, which mbed TLS does not offer), the monotonic clock,
 * getrandom(), logging to stderr and a poll()-based wait for the
 * application's loop.
 *
 *   tern_posix_t px;
 *   tern_port_t port;
 *   tern_posix_init(&px, &port, "bulb");
 *   for (;;) {
 *       tern_time_t next = <step the engine with port.ops->now_ms(&px)>;
 *       tern_posix_wait(&px, next, NULL, 0);
 *   }
 */
#ifndef TERN_POSIX_H
#define TERN_POSIX_H

#include <poll.h>

#include "tern/port.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TERN_POSIX_MAX_CONNS
#define TERN_POSIX_MAX_CONNS 8
#endif

/* Sessions kept for resumption (one per server and credentials). */
#ifndef TERN_POSIX_DTLS_SESSIONS
#define TERN_POSIX_DTLS_SESSIONS 4
#endif

struct tern_posix_dtls;        /* posix_dtls.c: one DTLS connection (mbed TLS) */
struct tern_posix_dtls_shared; /* posix_dtls_setup.c: DRBG, sessions to resume */
struct tern_posix_rpk;         /* posix_dtls_rpk.c: one raw-public-key connection (GnuTLS) */

#ifndef TERN_POSIX_CONFIG_MAX
#define TERN_POSIX_CONFIG_MAX 16384 /* largest configuration image read back */
#endif

typedef struct tern_posix {
    tern_port_ops_t ops;           /* this port's table: hooks vary per instance */
    int fds[TERN_POSIX_MAX_CONNS]; /* -1 when the slot is free */
    /* DTLS state of each slot (both NULL: plain UDP), allocated by net_open:
     * dtls for PSK and certificates, rpk for raw public keys */
    struct tern_posix_dtls *dtls[TERN_POSIX_MAX_CONNS];
    struct tern_posix_rpk *rpk[TERN_POSIX_MAX_CONNS];
    /* shared by the DTLS connections; created by the first, freed by deinit */
    struct tern_posix_dtls_shared *dtls_shared;
    tern_log_level_t log_level; /* lines above this level are dropped */
    const char *log_name;       /* prefix of every log line */
    void (*reboot)(void *user); /* set by tern_posix_set_reset_hooks() */
    void (*factory_reset)(void *user);
    void *hook_user;
    const char *state_file; /* set by tern_posix_set_state_file() */
    int state_fd;           /* temporary file being written, or -1 */
    size_t config_len;
    uint8_t config[TERN_POSIX_CONFIG_MAX];
    /* firmware storage (posix_firmware.c), set by tern_posix_set_firmware() */
    const char *fw_dir;
    void (*fw_restart)(void *user);
    void *fw_user;
    int fw_fd;         /* DIR/download.part being written, or -1 */
    size_t fw_written; /* bytes of it so far */
    size_t fw_max;     /* largest package taken; may be changed after set_firmware */
    char fw_name[32];  /* the installed firmware's name and version, "" when none */
    char fw_version[32];
} tern_posix_t;

/*
 * Initialises px and points port at it. log_name (not copied) prefixes
 * log lines. Log level starts at TERN_LOG_INFO, or TERN_LOG_DEBUG when
 * the environment variable TERN_DEBUG is set.
 */
void tern_posix_init(tern_posix_t *px, tern_port_t *port, const char *log_name);

/*
 * Gives the port Device object hooks (port.h reboot / factory_reset):
 * called once the response to the Execute is sent. Without this the
 * port has none and those Executes are answered 4.05.
 */
void tern_posix_set_reset_hooks(tern_posix_t *px, void (*reboot)(void *user),
                                void (*factory_reset)(void *user), void *user);

/*
 * Keeps the client's configuration (port.h config_write / config_read) in
 * the file at path (not copied), replaced atomically: a temporary file
 * next to it, fsync, rename. Without this nothing survives a restart.
 */
void tern_posix_set_state_file(tern_posix_t *px, const char *path);

#ifndef TERN_POSIX_FIRMWARE_MAX
#define TERN_POSIX_FIRMWARE_MAX (1024 * 1024) /* default px->fw_max: largest package */
#endif

/*
 * Firmware storage (port.h fw_open ... fw_applied, the Firmware Update
 * object 5) in the directory dir (not copied; created if missing).
 * Without this the port has no fw_* hooks and the device cannot be
 * updated.
 *
 * A package (tools/tern-fwpack makes them) is, byte by byte:
 *
 *   "TERNFW1 NAME VERSION SIZE\n"   header line, ASCII, at most 128 bytes;
 *                                   NAME and VERSION 1..31 printable
 *                                   characters without blanks, SIZE the
 *                                   image's length in decimal
 *   the image                       SIZE bytes
 *   SHA-256                         32 bytes: the digest of everything
 *                                   before it (header line and image)
 *
 * Files in dir:
 *   download.part  the package being received (fw_open, fw_write), kept
 *                  once checked (fw_finish) until it is installed
 *   firmware.pkg   the installed package: its header names the running
 *                  firmware (tern_posix_firmware_version)
 *   firmware.old   the package it replaced, kept until the new one runs
 *   pending        "NAME VERSION": an update was applied and the device
 *                  restarted into it; fw_applied() compares it with the
 *                  running version, then removes it
 *
 * fw_open refuses packages larger than px->fw_max (TERN_ERR_NO_SPACE).
 * fw_finish checks the header (an unknown magic: -TERN_COAP_UNSUPPORTED_
 * CONTENT_FORMAT, "unsupported package type"), the size and the digest
 * (TERN_ERR_CORRUPT, "integrity check failure") and reports NAME and
 * VERSION. fw_apply checks the package again, records the pending marker,
 * installs it with an atomic rename over firmware.pkg and calls
 * restart(user), which restarts the device into the new firmware (the
 * light bulb re-executes itself) and returns only when that failed; the
 * old package is then put back and fw_apply returns TERN_ERR_IO. Each
 * failure is logged in one line through the port's log.
 */
void tern_posix_set_firmware(tern_posix_t *px, const char *dir, void (*restart)(void *user),
                             void *user);

/*
 * The version of the installed firmware, from the header of
 * dir/firmware.pkg as read by tern_posix_set_firmware(), or NULL when
 * there is none (the device runs its built-in firmware).
 */
const char *tern_posix_firmware_version(const tern_posix_t *px);

/* Closes every connection px still has open and frees the DTLS state. */
void tern_posix_deinit(tern_posix_t *px);

/*
 * Waits until a connection of px or one of extra_fds (may be NULL) is
 * readable, or until the monotonic clock reaches deadline (INT64_MAX:
 * no limit). Fills extra_revents[i] for each extra fd when not NULL.
 * Returns 0 on a timeout or readiness, TERN_ERR_IO when poll() failed
 * (EINTR included, so a signal handler's flag is seen promptly).
 */
int tern_posix_wait(tern_posix_t *px, tern_time_t deadline, const int *extra_fds,
                    short *extra_revents, size_t n_extra);

/* Reads the monotonic clock, in milliseconds. */
tern_time_t tern_posix_now(void);

/*
 * Formats a port address as "IP:PORT" or "[IPv6]:PORT" into buf.
 * Returns buf.
 */
const char *tern_posix_addr_str(const tern_addr_t *addr, char *buf, size_t cap);

/* Returns the local UDP port of connection conn, or 0 when unknown. */
uint16_t tern_posix_local_port(const tern_posix_t *px, int conn);

/*
 * The handshake of a DTLS connection, for tests and benchmarks. Counts are
 * UDP payload bytes and datagrams from net_open() until the handshake
 * completed or failed (IP and UDP headers not included).
 */
typedef struct tern_posix_dtls_info {
    int state;              /* 0 handshaking, 1 established, 2 failed, 3 closed */
    bool resumed;           /* the server resumed the offered session */
    tern_time_t elapsed_ms; /* net_open() to the end of the handshake */
    uint32_t datagrams_out, datagrams_in;
    uint32_t bytes_out, bytes_in;
    /* IANA name with dashes as mbed TLS spells it
     * ("TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8"), whichever backend; "" before.
     * A static string: stays valid after the connection is closed. */
    const char *ciphersuite;
} tern_posix_dtls_info_t;

/* Fills *info for connection conn. Returns 0, or TERN_ERR_ARG when conn is
 * not an open DTLS connection. */
int tern_posix_dtls_info(const tern_posix_t *px, int conn, tern_posix_dtls_info_t *info);

#ifdef __cplusplus
}
#endif

#endif /* TERN_POSIX_H */
