/*
 * Tern compile-time configuration.
 *
 * Every option has a default here. To change them, put your own values in
 * a header and compile everything (library and application) with
 * -DTERN_CONFIG_FILE='"my_tern_config.h"'; it is included first, so
 * anything it defines wins. Ready profiles live in include/tern/profiles/.
 *
 * Each option says what it costs. RAM figures are per client
 * (tern_client_t), since Tern keeps no globals.
 */
#ifndef TERN_CONFIG_H
#define TERN_CONFIG_H

#ifdef TERN_CONFIG_FILE
#include TERN_CONFIG_FILE
#endif

/* ---- CoAP message layer (RFC 7252) ---------------------------------- */

/*
 * Largest CoAP message (header, token, options, payload) sent or
 * received. The client holds 2 + TERN_COAP_MAX_PENDING buffers of this
 * size (receive unless TERN_COAP_RX_BUFFER is 0, response/duplicate
 * cache, one per outstanding request).
 * 64..65507.
 */
#ifndef TERN_COAP_BUFFER_SIZE
#define TERN_COAP_BUFFER_SIZE 512
#endif

/*
 * 1: the client has its own receive buffer of TERN_COAP_BUFFER_SIZE.
 * 0: it reads each datagram where the port keeps it (the port must offer
 * net_recv_inplace, or tern_client_init fails), which saves that buffer
 * on a device whose network driver holds a frame buffer anyway.
 */
#ifndef TERN_COAP_RX_BUFFER
#define TERN_COAP_RX_BUFFER 1
#endif

/*
 * Outstanding outgoing messages (confirmable, or awaiting a response),
 * all peers together: a registration update and a confirmable
 * notification each hold one until answered. Each costs a
 * TERN_COAP_BUFFER_SIZE buffer plus about 40 bytes. With 1, they take
 * turns.
 */
#ifndef TERN_COAP_MAX_PENDING
#define TERN_COAP_MAX_PENDING 2
#endif

/*
 * Recently received confirmable message IDs remembered for duplicate
 * detection (RFC 7252 4.5). About 32 bytes each with TERN_ADDR_SIZE 20.
 * The response to the most recent request is cached in full and resent
 * for its duplicates; duplicates of older ones are dropped unprocessed.
 */
#ifndef TERN_COAP_DEDUP_SLOTS
#define TERN_COAP_DEDUP_SLOTS 4
#endif

/*
 * Block-wise transfers (RFC 7959): large reads and discovers go out in
 * blocks (Block2), firmware packages come in pushed (Block1) or pulled
 * (Block2 as a client). About 2 KB of flash.
 */
#ifndef TERN_WITH_BLOCK
#define TERN_WITH_BLOCK 1
#endif

/*
 * Largest block Tern sends or asks for, a power of two in 16..1024; it
 * must leave room for the header and options in TERN_COAP_BUFFER_SIZE.
 * A peer proposing bigger blocks is negotiated down to this.
 */
#ifndef TERN_COAP_BLOCK_SIZE
#define TERN_COAP_BLOCK_SIZE 256
#endif

/* Length of the tokens Tern generates, 1..8 bytes (RFC 7252 5.3.1). */
#ifndef TERN_COAP_TOKEN_SIZE
#define TERN_COAP_TOKEN_SIZE 4
#endif

/* Transmission parameters (RFC 7252 4.8); tern_coap_params_t can change
 * them at run time. */
#ifndef TERN_COAP_ACK_TIMEOUT_MS
#define TERN_COAP_ACK_TIMEOUT_MS 2000
#endif
#ifndef TERN_COAP_ACK_RANDOM_FACTOR_PERMILLE
#define TERN_COAP_ACK_RANDOM_FACTOR_PERMILLE 1500
#endif
#ifndef TERN_COAP_MAX_RETRANSMIT
#define TERN_COAP_MAX_RETRANSMIT 4
#endif
/* MAX_LATENCY, used to derive EXCHANGE_LIFETIME (RFC 7252 4.8.2). */
#ifndef TERN_COAP_MAX_LATENCY_MS
#define TERN_COAP_MAX_LATENCY_MS 100000
#endif

/* ---- LwM2M engine ------------------------------------------------------ */

/*
 * LwM2M servers the client can register with at once (Server object
 * instances). About 100 bytes each plus TERN_MAX_URI, TERN_MAX_LOCATION
 * and the credential sizes below for its Security instance.
 */
#ifndef TERN_MAX_SERVERS
#define TERN_MAX_SERVERS 2
#endif

/*
 * Bootstrap (client- and server-initiated, TS 5.2): one more Security
 * instance and about 2.5 KB of flash.
 */
#ifndef TERN_WITH_BOOTSTRAP
#define TERN_WITH_BOOTSTRAP 1
#endif

/* Seconds to wait for Bootstrap-Finish once the Bootstrap-Request is
 * answered, before giving up and trying again. */
#ifndef TERN_BOOTSTRAP_TIMEOUT_S
#define TERN_BOOTSTRAP_TIMEOUT_S 120
#endif

/*
 * Failed registration attempts in a row, with every server, after which
 * the client goes back to bootstrap (when it has a bootstrap account).
 * A server that refuses with 4.xx counts as failed at once.
 */
#ifndef TERN_REG_FALLBACK_ATTEMPTS
#define TERN_REG_FALLBACK_ATTEMPTS 4
#endif

/*
 * Access Control object (2), enforced when more than one server is
 * configured. TERN_MAX_ACL instances with TERN_MAX_ACL_ENTRIES server
 * entries each, about 8 + 3 * entries bytes per instance.
 */
#ifndef TERN_WITH_ACL
#define TERN_WITH_ACL 1
#endif
#ifndef TERN_MAX_ACL
#define TERN_MAX_ACL 8
#endif
#ifndef TERN_MAX_ACL_ENTRIES
#define TERN_MAX_ACL_ENTRIES 4
#endif

/* Saving and restoring the configuration through the port's
 * config_write/config_read hooks. */
#ifndef TERN_WITH_PERSISTENCE
#define TERN_WITH_PERSISTENCE 1
#endif

/* Longest server URI, with its NUL (Security resource 0). */
#ifndef TERN_MAX_URI
#define TERN_MAX_URI 48
#endif

/* Longest registration location ("rd/abcd"), with its NUL. */
#ifndef TERN_MAX_LOCATION
#define TERN_MAX_LOCATION 24
#endif

/*
 * Credential sizes kept per Security instance: resource 3 (PSK identity,
 * own public key or certificate), 5 (PSK or private key), 4 (server's
 * public key or certificate). 0 leaves the field out. The defaults hold
 * an X.509 certificate with a P-256 key; a PSK-only device needs
 * 32 / 16 / 0.
 */
#ifndef TERN_MAX_IDENTITY
#define TERN_MAX_IDENTITY 640
#endif
#ifndef TERN_MAX_SECRET
#define TERN_MAX_SECRET 160
#endif
#ifndef TERN_MAX_SERVER_KEY
#define TERN_MAX_SERVER_KEY 640
#endif

/* Observe/Notify (RFC 7641) and Write-Attributes. */
#ifndef TERN_WITH_OBSERVE
#define TERN_WITH_OBSERVE 1
#endif

/* Observations at once, all servers together: about 70 bytes each. */
#ifndef TERN_MAX_OBSERVATIONS
#define TERN_MAX_OBSERVATIONS 4
#endif

/* Paths with Write-Attributes set, all servers together: ~50 bytes each. */
#ifndef TERN_MAX_ATTRS
#define TERN_MAX_ATTRS 4
#endif

/*
 * A notification is sent confirmable when the last confirmable one to
 * that observer is older than this (RFC 7641 4.5: at least every 24 h),
 * so an observer that has gone away is detected. 0: always confirmable.
 */
#ifndef TERN_NOTIFY_CON_INTERVAL_S
#define TERN_NOTIFY_CON_INTERVAL_S 86400
#endif

/* Content formats the engine encodes and decodes (text, opaque and
 * CoRE link format are always in). */
#ifndef TERN_WITH_TLV
#define TERN_WITH_TLV 1
#endif

/* Registration retries back off from this to TERN_REG_RETRY_MAX_S. */
#ifndef TERN_REG_RETRY_MIN_S
#define TERN_REG_RETRY_MIN_S 4
#endif
#ifndef TERN_REG_RETRY_MAX_S
#define TERN_REG_RETRY_MAX_S 600
#endif

/* ---- Data model ------------------------------------------------------- */

/*
 * Float resources as double (1) or float (0). 0 keeps soft-double code
 * out of an FPU-less image; values then carry about 7 significant digits.
 */
#ifndef TERN_WITH_DOUBLE
#define TERN_WITH_DOUBLE 1
#endif

/* ---- Port ------------------------------------------------------------ */

/*
 * Bytes the port may use for a transport address (tern_addr_t). 20 holds
 * an IPv6 address, a port number and a family tag; an IPv4-only device can
 * use 8.
 */
#ifndef TERN_ADDR_SIZE
#define TERN_ADDR_SIZE 20
#endif

/* ---- Diagnostics ----------------------------------------------------- */

/* Log lines through the port's log hook. 0 removes every log call and
 * its format strings from the image (saves flash). */
#ifndef TERN_WITH_LOG
#define TERN_WITH_LOG 1
#endif

#include "tern/config_check.h"

#endif /* TERN_CONFIG_H */
