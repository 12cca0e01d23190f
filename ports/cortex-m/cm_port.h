/*
 * Tern's port for the LM3S6965 (QEMU lm3s6965evb): the tern_port_ops_t
 * of a device whose only interface is UART0, framed with SLIP towards
 * tools/slip-bridge on the host (slip_link.h).
 *
 *   now_ms      SysTick milliseconds (clock.h)
 *   random      xorshift128 seeded by the host and by timing jitter
 *               (random.h): NOT cryptographically secure
 *   log         LOG frames, which the bridge prints; lines above the
 *               level the bridge configured are dropped here
 *   net_open    numeric IPv4 addresses only ("192.0.2.1"; no names, no
 *               IPv6); plain UDP only: security gives TERN_ERR_ARG,
 *               since there is no DTLS on this port
 *   net_send    a DATA frame; TERN_ERR_WOULD_BLOCK while the UART's
 *               transmit ring is full
 *   net_recv    the DATA frame waiting for this connection, if any;
 *               net_recv_inplace lends it where the link decoded it
 *               (so the client needs no receive buffer of its own)
 *   reboot      flags the request; the application resets the chip
 *               (tern_cm_port_restart) after the response has left
 *
 * The application also gets from the bridge its configuration (server
 * URI, endpoint name, lifetime: tern_cm_port_config) and command lines
 * typed on the bridge's standard input (tern_cm_port_command), and
 * prints lines there (tern_cm_port_print).
 *
 * Typical main loop:
 *   tern_cm_clock_init(); tern_cm_uart_init();
 *   tern_cm_port_init(&cm, &port, "my-device 1.0");
 *   const tern_cm_config_t *cfg = tern_cm_port_wait_config(&cm);
 *   ... tern_client_init(), tern_server_add(), objects ...
 *   for (;;) {
 *       uint32_t sleep_ms = tern_step(&client, tern_cm_now_ms());
 *       <handle tern_cm_port_command(&cm), then tern_cm_port_command_done()>
 *       tern_cm_port_wait(&cm, tern_cm_now_ms() + sleep_ms);
 *   }
 */
#ifndef TERN_CM_PORT_H
#define TERN_CM_PORT_H

#include "link.h"
#include "random.h"
#include "tern/port.h"

/* UDP connections at once (one per server, plus a bootstrap server). */
#ifndef TERN_CM_MAX_CONNS
#define TERN_CM_MAX_CONNS 2
#endif

#define TERN_CM_ENDPOINT_MAX 32

/* What the bridge configured (CONFIG frame, see slip_link.h). */
typedef struct tern_cm_config {
    char endpoint[TERN_CM_ENDPOINT_MAX];
    char uri[TERN_MAX_URI];
    uint32_t lifetime_s;
    uint8_t log_level;   /* TERN_LOG_*: lines up to this level are sent */
    int64_t unix_time_s; /* the host's clock when the CONFIG arrived, 0: unknown */
} tern_cm_config_t;

typedef struct tern_cm_conn {
    bool used;
    uint8_t error; /* the bridge reported a socket error (errno), 0: none */
    tern_addr_t peer;
} tern_cm_conn_t;

enum { TERN_CM_RESET_NONE = 0, TERN_CM_RESET_REBOOT = 1, TERN_CM_RESET_FACTORY = 2 };

typedef struct tern_cm_port {
    tern_cm_link_t link;
    tern_cm_random_t rng;
    tern_cm_conn_t conns[TERN_CM_MAX_CONNS];
    tern_cm_config_t config;
    bool configured;
    bool command_ready;
    bool lent;              /* the frame in link was lent by net_recv_inplace */
    uint8_t reset;          /* TERN_CM_RESET_* asked by the server */
    uint32_t dropped_lines; /* log lines lost to a full transmit ring */
    const char *banner;
    char command[TERN_LINK_TEXT_MAX + 1];
    char line[TERN_LINK_TEXT_MAX + 1]; /* formatting of LOG and PRINT */
} tern_cm_port_t;

/*
 * Sets up cm and points port at it. The hardware (tern_cm_clock_init,
 * tern_cm_uart_init) must be initialised first. banner (not copied)
 * goes to the bridge in HELLO.
 */
void tern_cm_port_init(tern_cm_port_t *cm, tern_port_t *port, const char *banner);

/* Says HELLO until the bridge answers with CONFIG, and returns it. */
const tern_cm_config_t *tern_cm_port_wait_config(tern_cm_port_t *cm);

/*
 * Handles the frames that arrived (configuration, commands, socket
 * errors) and returns true when something waits for the engine (a
 * datagram) or the application (a command). Never waits.
 */
bool tern_cm_port_poll(tern_cm_port_t *cm);

/* Sleeps (WFI) until `until` on tern_cm_now_ms() or until
 * tern_cm_port_poll() would return true. */
void tern_cm_port_wait(tern_cm_port_t *cm, tern_time_t until);

/* The command line that arrived, NUL-terminated, or NULL. It stays until
 * tern_cm_port_command_done(); frames behind it wait meanwhile. */
const char *tern_cm_port_command(tern_cm_port_t *cm);
void tern_cm_port_command_done(tern_cm_port_t *cm);

/* Prints one line on the bridge's output (a PRINT frame). Waits up to a
 * few milliseconds for room in the transmit ring, then drops the line. */
void tern_cm_port_print(tern_cm_port_t *cm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Tells the bridge the application stopped (BYE) and waits until the
 * UART has sent everything. */
void tern_cm_port_bye(tern_cm_port_t *cm, const char *text);

/* TERN_CM_RESET_* when the server executed Reboot or Factory Reset. */
int tern_cm_port_reset_requested(const tern_cm_port_t *cm);

/* Waits until the UART has sent everything, then resets the chip
 * (SYSRESETREQ; QEMU reloads the image and starts again). */
void tern_cm_port_restart(tern_cm_port_t *cm) __attribute__((noreturn));

/* Fault handler (startup.c's weak tern_cm_fault_handler): reports the
 * exception and the faulting address on UART0 and stops. */
void tern_cm_fault_handler(void);

#endif
