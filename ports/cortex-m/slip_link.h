/*
 * The link between the emulated device and tools/slip-bridge: typed
 * frames in SLIP (slip.h) over the device's UART0. The bridge relays
 * datagrams to and from UDP sockets on the host, one socket per device
 * connection, so an LwM2M server sees an ordinary UDP client: the role
 * of the paper's border router and tunslip, without an IP stack on the
 * device.
 *
 * Every frame is TYPE (1 byte) then a body. Multi-byte numbers are
 * big-endian. CONN is the device's connection handle (0..254). ADDR is
 * an IPv4 peer: 4 address bytes then a 2-byte UDP port, which is also
 * the device's tern_addr_t.
 *
 *   device -> bridge
 *   HELLO    VERSION(1) TEXT   the device (re)started: the bridge closes
 *                              the previous boot's sockets and answers
 *                              CONFIG. Repeated until CONFIG arrives.
 *   OPEN     CONN LPORT(2)     open a UDP socket for CONN, bound to the
 *                              local port LPORT (0: any)
 *   CLOSE    CONN              close it
 *   DATA     CONN ADDR PAYLOAD send PAYLOAD from CONN's socket to ADDR
 *   LOG      LEVEL(1) TEXT     an engine log line (TERN_LOG_*)
 *   PRINT    TEXT              a line of the application's output
 *   BYE      TEXT              the application stopped
 *
 *   bridge -> device
 *   CONFIG   TEXT              "key=value ..." (see TERN_LINK_CONFIG_*)
 *   DATA     CONN ADDR PAYLOAD PAYLOAD arrived on CONN's socket from ADDR
 *   ERROR    CONN CODE(1)      CONN's socket failed (CODE: an errno
 *                              value, truncated); the device's next
 *                              receive on CONN fails with TERN_ERR_IO
 *   COMMAND  TEXT              a command line for the application
 *
 * TEXT is not NUL-terminated: it runs to the end of the frame.
 */
#ifndef TERN_SLIP_LINK_H
#define TERN_SLIP_LINK_H

#define TERN_LINK_VERSION 1

/* device -> bridge */
#define TERN_LINK_HELLO 0x01
#define TERN_LINK_OPEN 0x02
#define TERN_LINK_CLOSE 0x03
#define TERN_LINK_DATA 0x04
#define TERN_LINK_LOG 0x05
#define TERN_LINK_PRINT 0x06
#define TERN_LINK_BYE 0x07

/* bridge -> device */
#define TERN_LINK_CONFIG 0x81
#define TERN_LINK_DATA_IN 0x82
#define TERN_LINK_ERROR 0x83
#define TERN_LINK_COMMAND 0x84

/* Bytes of ADDR, and of the DATA header: TYPE CONN ADDR. */
#define TERN_LINK_ADDR_SIZE 6
#define TERN_LINK_DATA_HEADER (2 + TERN_LINK_ADDR_SIZE)

/*
 * CONFIG keys, space-separated key=value pairs (values without spaces;
 * unknown keys are ignored, so either side can be newer):
 *   ep=NAME     endpoint client name
 *   uri=URI     LwM2M server, coap://A.B.C.D:PORT (numeric IPv4 only)
 *   lt=SECONDS  registration lifetime
 *   log=LEVEL   0 errors .. 3 debug: engine log lines sent as LOG
 *   time=UNIX   the host's clock, for the Device object's Current Time
 *   seed=HEX    up to 32 random bytes from the host, for the device's
 *               random generator (which has no hardware entropy source)
 */

/* Longest TEXT the device sends or accepts in one frame. */
#define TERN_LINK_TEXT_MAX 160

#endif
