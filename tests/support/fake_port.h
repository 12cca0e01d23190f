/*
 * A port for unit tests: a clock the test moves, a scripted random source,
 * datagrams captured on send and queued for receive. No sockets, no
 * sleeping, fully deterministic.
 */
#ifndef TERN_FAKE_PORT_H
#define TERN_FAKE_PORT_H

#include "tern/port.h"

#define FAKE_MAX_DGRAMS 32
#define FAKE_DGRAM_SIZE 1400

typedef struct fake_dgram {
    int conn;
    tern_addr_t addr;
    size_t len;
    uint8_t data[FAKE_DGRAM_SIZE];
} fake_dgram_t;

typedef struct fake_port {
    tern_time_t now;
    uint8_t random_byte; /* every random byte returned has this value */
    bool random_fails;
    int send_result;             /* returned by net_send (0 by default) */
    int open_result;             /* returned by net_open when < 0 */
    int opened;                  /* net_open calls so far */
    int closed;                  /* net_close calls so far */
    uint32_t closed_conns;       /* bit n: connection n was closed (n < 32) */
    int recv_on_closed;          /* net_recv calls on a closed connection */
    tern_net_params_t last_open; /* its security points to last_security or is NULL */
    char last_host[64];
    /* a copy of the credentials of the last net_open that had some */
    tern_net_security_t last_security;
    uint8_t last_identity[1024], last_secret[1024], last_server_key[1024];
    int secure_opens; /* net_open calls with credentials so far */
    fake_dgram_t sent[FAKE_MAX_DGRAMS];
    size_t n_sent;
    fake_dgram_t inbox[FAKE_MAX_DGRAMS];
    size_t n_inbox;
    size_t inbox_pos;
    uint8_t lent[FAKE_DGRAM_SIZE]; /* the datagram net_recv_inplace lent */
    int lends;                     /* net_recv_inplace calls so far */
    bool log_to_stderr;
    char last_log[256];
    int n_logs;
    /* configuration storage (config_write / config_read) */
    uint8_t image[8192];
    size_t image_len; /* committed image, 0: none */
    uint8_t pending[8192];
    size_t pending_len;
    int saves; /* committed images so far */
    /* firmware storage: an image is good when its last 4 bytes are the
     * CRC-32 (little-endian) of the rest; a leading 'X' is a package type
     * the device cannot install */
    uint8_t fw[65536];
    size_t fw_len;
    size_t fw_capacity; /* fw_open refuses more; 0: sizeof(fw) */
    bool fw_opened;
    bool fw_finished;
    int fw_aborts;
    int fw_applies;
    int fw_apply_result; /* what fw_apply returns (it "restarts" otherwise) */
    bool fw_applied_ok;  /* what fw_applied answers */
} fake_port_t;

/* Resets fp and points port at it. */
void fake_port_init(fake_port_t *fp, tern_port_t *port);

/* A distinct test address for peer number n. */
tern_addr_t fake_addr(uint8_t n);

/* Queues a datagram that net_recv() on conn will return from addr. */
void fake_port_push(fake_port_t *fp, int conn, const tern_addr_t *from, const void *data,
                    size_t len);

/* Removes and returns the oldest sent datagram into *out; false if none. */
bool fake_port_pop_sent(fake_port_t *fp, fake_dgram_t *out);

/* Forgets every sent datagram. */
void fake_port_clear_sent(fake_port_t *fp);

#endif
