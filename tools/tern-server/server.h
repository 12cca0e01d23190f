/* tern-server: an LwM2M server for Tern's tests and demos, built on
 * libcoap so that Tern's client is checked against a CoAP implementation
 * it does not share code with.
 *
 * Modules, one job each:
 *   main.c      options, start-up, the event loop, signals
 *   registry.c  the registration interface (/rd) and the client table
 *   ops.c       device-management requests, responses, observations
 *   cmd.c       the command language (stdin or --script): parsing, running
 *   cmd_ops.c   device-management commands and their expectations
 *   cmd_wait.c  wait-registered, wait-update, wait-deregistered, wait-notify
 *   out.c       events, human-readable or one JSON object per line
 *   values.c    decoded values, user input, comparisons
 *   encode.c    request payloads from command arguments
 *   tlv.c       OMA-TLV codec (own, independent of src/format)
 *   linkfmt.c   CoRE link format parser
 *   objects.c   the built-in resource table
 *   json.c      JSON writer
 *   util.c      time, durations, paths, strings
 *   dtls.c      coaps://: PSK and certificate credentials, handshake reports
 *   dtls_rpk.c  coaps:// with raw public keys (tern-server-gnutls)
 *   push.c      push-firmware: a file to /5/0/0 in Block1 blocks, progress
 *   files.c     --files: files served to GET in Block2 blocks, progress
 *   bootstrap.c --bootstrap: the LwM2M Bootstrap-Server (POST /bs, the
 *               Bootstrap-Delete/Write/Discover/Finish sequence, commands)
 *   bs_config.c the --bootstrap configuration file
 *   rawsend.c   requests sent past libcoap (Cancel-Observation)
 */
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <coap3/coap.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

#define SRV_DEFAULT_ADDRESS "127.0.0.1"
#define SRV_DEFAULT_PORT 5683
#define SRV_DEFAULT_COAPS_PORT 5684
#define SRV_DEFAULT_TIMEOUT_MS 10000
#define SRV_DEFAULT_BLOCK_SIZE 1024

typedef struct srv_options {
    const char *address;
    int port;           /* 0 = any free port */
    const char *script; /* NULL: commands from stdin */
    bool json;
    bool quiet;
    int verbose;        /* 0 libcoap warnings, 1 info, 2 debug with packets */
    int64_t timeout_ms; /* default for requests and waits */
    bool port_given;    /* --port was given (the default differs for coaps) */
    /* coaps:// (dtls.c): any of these makes the endpoint DTLS */
    const char *psk_identity, *psk_key; /* one client */
    const char *psk_file;               /* several: IDENTITY HEXKEY per line */
    const char *cert, *key, *ca;        /* PEM files */
    const char *rpk_key;                /* raw public keys (dtls_rpk.c): our key pair, PEM */
    const char *client_rpk[8];          /* the client public keys accepted */
    int n_client_rpk;
    const char *files_dir; /* --files: served to GET (files.c) */
    const char *bootstrap; /* --bootstrap CONFIG (bootstrap.c) */
    int block_size;        /* largest block push-firmware and --files use (16..1024) */
} srv_options_t;

typedef struct srv_out {
    bool json;
    bool quiet;
} srv_out_t;

struct srv_client;
struct srv_request;
struct srv_observation;
struct srv_dtls;
struct srv_files;
struct srv_bs;
struct srv_raw;

typedef struct srv {
    srv_options_t opt;
    srv_out_t out;
    coap_context_t *ctx;
    char listen_addr[80];
    int listen_port;

    struct srv_client *clients;           /* registry.c */
    unsigned next_generation;             /* registry.c: one per registration */
    struct srv_request *requests;         /* ops.c: outstanding requests */
    struct srv_observation *observations; /* ops.c */
    uint8_t token_prefix[4];              /* ops.c: random per run */
    uint32_t token_seq;
    struct srv_dtls *dtls; /* dtls.c: NULL for plain coap:// */
    /* registry.c: libcoap's resource for unknown paths (/rd/<id>; with
     * --files also GET of a file) */
    coap_resource_t *unknown;
    struct srv_files *files; /* files.c: transfers in progress */
    struct srv_bs *bs;       /* bootstrap.c: NULL without --bootstrap */
    struct srv_raw *raw;     /* rawsend.c: requests sent past libcoap */
    int refuse_code;         /* registry.c: refuse-registration (0: accept) */
} srv_t;

/* The server a libcoap callback belongs to. */
srv_t *srv_from_session(const coap_session_t *session);

#endif
