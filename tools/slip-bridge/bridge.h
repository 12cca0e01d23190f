/* slip-bridge: state and functions shared by main.c and relay.c. */
#ifndef SLIP_BRIDGE_H
#define SLIP_BRIDGE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "slip.h"

/* Device connection handles the bridge keeps a socket for. */
#define BRIDGE_MAX_CONNS 16
/* Bytes queued towards the device before datagrams are dropped. */
#define BRIDGE_OUT_MAX (256 * 1024)

typedef struct bridge {
    /* options */
    const char *serial_spec; /* unix:PATH or tcp:HOST:PORT */
    const char *server_uri;
    const char *endpoint;
    unsigned long lifetime_s;
    int log_level;
    struct in_addr bind_addr;
    double wait_s;
    bool exit_on_bye;
    bool verbose;

    int serial;                /* QEMU's serial line */
    int udp[BRIDGE_MAX_CONNS]; /* one UDP socket per device connection, -1: none */
    tern_slip_decoder_t decoder;
    uint8_t frame[70000]; /* a decoded frame from the device */
    uint8_t *out;         /* SLIP bytes waiting to be written to the device */
    size_t out_len;
    size_t out_cap;
    bool device_said_bye;
    unsigned long dropped; /* datagrams dropped: device not reading */
} bridge_t;

/* Connects to the serial line, retrying for b->wait_s seconds (QEMU may
 * still be starting). Returns the socket or -1 (errno set). */
int bridge_connect_serial(const bridge_t *b);

/* Handles bytes read from the serial line. */
void bridge_serial_input(bridge_t *b, const uint8_t *data, size_t len);

/* Writes what it can of the queue to the device; false on a write error. */
bool bridge_flush(bridge_t *b);

/* Queues one frame (TYPE, head, body) for the device. False when the
 * queue is full and the frame was dropped. */
bool bridge_send(bridge_t *b, uint8_t type, const uint8_t *head, size_t head_len,
                 const uint8_t *body, size_t body_len);

/* Reads every datagram waiting on conn's socket and relays it. */
void bridge_udp_input(bridge_t *b, int conn);

/* Closes every UDP socket (the device restarted). */
void bridge_close_all(bridge_t *b);

#endif
