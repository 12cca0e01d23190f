/*
 * slip-bridge: the host side of the emulated device's network, the
 * analogue of the paper's border router and tunslip. It connects to
 * QEMU's serial line (UART0 of the lm3s6965evb), decodes SLIP frames
 * (ports/cortex-m/slip_link.h) and relays the device's datagrams to and
 * from UDP sockets on the host, one per device connection, so that an
 * LwM2M server sees an ordinary UDP client. It also configures the
 * device, prints its log and output, and forwards the lines typed on
 * its standard input to the device as commands.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"
#include "slip_link.h"

/* After SIGINT/SIGTERM the device gets "quit" and this long to say BYE. */
#define QUIT_GRACE_S 5

static volatile sig_atomic_t signalled;

static void on_signal(int sig)
{
    (void)sig;
    signalled++;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: slip-bridge --serial unix:PATH|tcp:HOST:PORT --server URI --endpoint NAME\n"
            "                   [--lifetime SECONDS] [--log-level 0..3] [--bind ADDR]\n"
            "                   [--wait SECONDS] [--exit-on-bye] [--verbose]\n"
            "\n"
            "Connects to the emulated device's serial line (QEMU's -serial unix:PATH,server=on\n"
            "or tcp:HOST:PORT,server=on) and relays its datagrams, framed with SLIP (RFC 1055),\n"
            "to and from UDP on the host: one socket per device connection, bound to ADDR.\n"
            "When the device starts (HELLO) it gets its configuration from here.\n"
            "\n"
            "  --serial S        the serial line: unix:PATH or tcp:HOST:PORT\n"
            "  --server URI      the LwM2M server the device registers with,\n"
            "                    coap://A.B.C.D:PORT (the device takes numeric IPv4 only)\n"
            "  --endpoint NAME   the device's endpoint client name\n"
            "  --lifetime S      registration lifetime (default 300)\n"
            "  --log-level N     engine log lines the device sends: 0 errors, 1 warnings,\n"
            "                    2 info (default), 3 debug\n"
            "  --bind ADDR       local IPv4 address of the UDP sockets (default 127.0.0.1)\n"
            "  --wait S          keep trying to connect to the serial line this long\n"
            "                    (default 5; QEMU may still be starting)\n"
            "  --exit-on-bye     exit (status 0) when the device says it stopped\n"
            "  --verbose         a line per datagram relayed\n"
            "  --help            this text\n"
            "\n"
            "Output, one line each: the device's own lines as they are (\"lwm2m: registered\",\n"
            "\"bulb: ON, ...\"), its engine log as \"device: LEVEL text\" and the bridge's\n"
            "events as \"slip-bridge: ...\".\n"
            "\n"
            "Standard input: each line goes to the device as a command. The light bulb\n"
            "knows on, off (the wall switch: observers get a notification), dim N, status,\n"
            "stack (peak stack use) and quit (de-register and stop).\n"
            "SIGINT/SIGTERM send quit and wait up to %d s for the device to stop.\n"
            "\n"
            "Exit status: 0 when the device said it stopped, 1 when the serial line closed\n"
            "or failed first, 2 for bad arguments.\n",
            QUIT_GRACE_S);
}

static int parse_args(bridge_t *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--exit-on-bye") == 0) {
            b->exit_on_bye = true;
            continue;
        }
        if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            b->verbose = true;
            continue;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        char *end = NULL;
        if (v == NULL)
            return -1;
        if (strcmp(a, "--serial") == 0)
            b->serial_spec = v;
        else if (strcmp(a, "--server") == 0)
            b->server_uri = v;
        else if (strcmp(a, "--endpoint") == 0)
            b->endpoint = v;
        else if (strcmp(a, "--lifetime") == 0)
            b->lifetime_s = strtoul(v, &end, 10);
        else if (strcmp(a, "--log-level") == 0)
            b->log_level = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--wait") == 0)
            b->wait_s = strtod(v, &end);
        else if (strcmp(a, "--bind") == 0) {
            if (inet_pton(AF_INET, v, &b->bind_addr) != 1)
                return -1;
        } else
            return -1;
        if (end != NULL && (*end != '\0' || end == v))
            return -1;
    }
    if (b->serial_spec == NULL || b->server_uri == NULL || b->endpoint == NULL || b->lifetime_s == 0
        || b->log_level < 0 || b->log_level > 3 || b->wait_s < 0
        || strchr(b->server_uri, ' ') != NULL || strchr(b->endpoint, ' ') != NULL)
        return -1;
    return 0;
}

/* Forwards the complete lines of standard input as COMMAND frames. */
static bool stdin_input(bridge_t *b, char *line, size_t *len, size_t cap)
{
    ssize_t n = read(STDIN_FILENO, line + *len, cap - *len);
    if (n <= 0)
        return n < 0 && errno == EINTR;
    *len += (size_t)n;
    char *nl;
    while ((nl = memchr(line, '\n', *len)) != NULL) {
        size_t l = (size_t)(nl - line);
        size_t cmd = l > 0 && line[l - 1] == '\r' ? l - 1 : l;
        if (cmd > TERN_LINK_TEXT_MAX)
            printf("slip-bridge: command longer than %d bytes ignored\n", TERN_LINK_TEXT_MAX);
        else if (cmd > 0)
            bridge_send(b, TERN_LINK_COMMAND, NULL, 0, (const uint8_t *)line, cmd);
        memmove(line, nl + 1, *len - l - 1);
        *len -= l + 1;
    }
    if (*len == cap)
        *len = 0; /* a line too long for anything: forget it */
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(bridge_t *b)
{
    char line[512];
    size_t line_len = 0;
    bool stdin_open = true;
    double quit_deadline = 0;
    for (;;) {
        fflush(stdout);
        if (b->device_said_bye && b->exit_on_bye) {
            bridge_flush(b);
            return 0;
        }
        if (signalled && quit_deadline == 0) {
            printf("slip-bridge: stopping: asking the device to quit\n");
            bridge_send(b, TERN_LINK_COMMAND, NULL, 0, (const uint8_t *)"quit", 4);
            quit_deadline = now_s() + QUIT_GRACE_S;
        }
        if (quit_deadline != 0 && (b->device_said_bye || signalled > 1 || now_s() > quit_deadline))
            return b->device_said_bye ? 0 : 1;

        struct pollfd fds[2 + BRIDGE_MAX_CONNS];
        int conn_of[2 + BRIDGE_MAX_CONNS];
        nfds_t n = 0;
        fds[n++] =
            (struct pollfd){ b->serial, (short)(POLLIN | (b->out_len > 0 ? POLLOUT : 0)), 0 };
        if (stdin_open)
            fds[n++] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
        for (int c = 0; c < BRIDGE_MAX_CONNS; c++) {
            if (b->udp[c] >= 0) {
                conn_of[n] = c;
                fds[n++] = (struct pollfd){ b->udp[c], POLLIN, 0 };
            }
        }
        if (poll(fds, n, 100) < 0) {
            if (errno == EINTR)
                continue;
            perror("slip-bridge: poll");
            return 1;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint8_t buf[4096];
            ssize_t r = read(b->serial, buf, sizeof(buf));
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                printf("slip-bridge: the serial line closed (%s)\n",
                       r == 0 ? "QEMU stopped?" : strerror(errno));
                return b->device_said_bye ? 0 : 1;
            }
            if (r > 0)
                bridge_serial_input(b, buf, (size_t)r);
        }
        nfds_t first_udp = 1;
        if (stdin_open) {
            first_udp = 2;
            if ((fds[1].revents & (POLLIN | POLLHUP))
                && !stdin_input(b, line, &line_len, sizeof(line)))
                stdin_open = false; /* keep relaying: stdin may be /dev/null */
        }
        for (nfds_t i = first_udp; i < n; i++) {
            if (fds[i].revents & (POLLIN | POLLERR) && b->udp[conn_of[i]] >= 0)
                bridge_udp_input(b, conn_of[i]);
        }
        if (!bridge_flush(b)) {
            printf("slip-bridge: writing to the serial line failed: %s\n", strerror(errno));
            return 1;
        }
    }
}

int main(int argc, char **argv)
{
    static bridge_t b;
    b.lifetime_s = 300;
    b.log_level = 2;
    b.wait_s = 5;
    b.bind_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (parse_args(&b, argc, argv) != 0) {
        usage(stderr);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < BRIDGE_MAX_CONNS; i++)
        b.udp[i] = -1;
    tern_slip_decoder_init(&b.decoder, b.frame, sizeof(b.frame));
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);

    b.serial = bridge_connect_serial(&b);
    if (b.serial < 0) {
        printf("slip-bridge: cannot connect to the serial line %s: %s\n", b.serial_spec,
               strerror(errno));
        return 1;
    }
    printf("slip-bridge: connected to %s, relaying to udp on %s\n", b.serial_spec,
           inet_ntoa(b.bind_addr));
    /* an END first: whatever the device got before is a frame of its own */
    uint8_t end = TERN_SLIP_END;
    if (write(b.serial, &end, 1) != 1) {
        printf("slip-bridge: writing to the serial line failed: %s\n", strerror(errno));
        return 1;
    }
    int rc = run(&b);
    if (b.dropped > 0)
        printf("slip-bridge: %lu datagrams dropped (the device did not keep up)\n", b.dropped);
    bridge_close_all(&b);
    free(b.out);
    return rc;
}
