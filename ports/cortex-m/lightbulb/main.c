/*
 * tern-qemu-bulb: the paper's light bulb as firmware for the TI LM3S6965
 * (QEMU lm3s6965evb). Objects Device (3) and IPSO Light Control (3311),
 * as in examples/lightbulb; the network is UART0 with SLIP to
 * tools/slip-bridge, which relays the datagrams to UDP on the host.
 *
 * The bridge configures the server URI, endpoint name and lifetime at
 * start (nothing is compiled in) and forwards the lines typed on its
 * standard input as commands:
 *   on, off    the wall switch: switches the lamp and notifies observers
 *   dim N      the dimmer, 0..100
 *   status     prints the lamp and the registration state
 *   stack      prints the stack's peak use (stack painting)
 *   quit       de-registers, prints the stack figures, says BYE and halts
 * A server's Execute on /3/0/4 (Reboot) resets the chip; QEMU then boots
 * the image again and the bulb registers anew.
 */
#include <string.h>

#include "clock.h"
#include "cm_port.h"
#include "cortex_m.h"
#include "lm3s6965.h"
#include "tern/objects/device.h"
#include "tern/objects/light_control.h"
#include "tern/tern.h"
#include "uart.h"

#define FIRMWARE_VERSION "1.0.0"
#define SHUTDOWN_LIMIT_MS 10000

typedef struct bulb {
    tern_client_t client;
    tern_cm_port_t cm;
    tern_port_t port;
    tern_device_t device;
    tern_light_t light;
    int shown; /* last registration state printed, -1: print it again */
    bool stopping;
    tern_time_t stop_deadline;
    char serial[20];
} bulb_t;

/* Everything in .bss: the stack holds only call frames. */
static bulb_t bulb;

static void print_lamp(bulb_t *b, const char *why)
{
    const tern_lamp_t *lamp = &b->light.lamps[0];
    tern_cm_port_print(&b->cm, "bulb: %s, dimmer %u%%%s%s (%s)", lamp->on ? "ON" : "OFF",
                       lamp->dimmer, lamp->colour[0] ? ", colour " : "", lamp->colour, why);
}

static void print_stack(bulb_t *b)
{
    tern_cm_port_print(&b->cm, "stack: peak %u B of %u B (painted)", (unsigned)tern_cm_stack_peak(),
                       (unsigned)tern_cm_stack_size());
}

static void on_server_change(tern_light_t *light, uint16_t iid, void *user)
{
    (void)light;
    (void)iid;
    print_lamp(user, "set by the server");
}

static void show_state(bulb_t *b)
{
    static const char *const NAMES[] = { "idle",         "registering",         "registered",
                                         "deregistered", "registration failed", "disabled" };
    tern_reg_state_t s = tern_registration_state(&b->client, 0);
    if ((int)s != b->shown) {
        b->shown = (int)s;
        tern_cm_port_print(&b->cm, "lwm2m: %s", NAMES[s]);
    }
}

/* A decimal 0..100, or -1. */
static int parse_percent(const char *s)
{
    int v = 0;
    if (*s == '\0')
        return -1;
    for (; *s >= '0' && *s <= '9' && v <= 100; s++)
        v = v * 10 + (*s - '0');
    return *s == '\0' && v <= 100 ? v : -1;
}

static void command(bulb_t *b, const char *line)
{
    if (strcmp(line, "on") == 0 || strcmp(line, "off") == 0) {
        tern_light_switch(&b->client, &b->light, 0, line[1] == 'n');
        print_lamp(b, "local switch");
    } else if (strncmp(line, "dim ", 4) == 0 && parse_percent(line + 4) >= 0) {
        tern_light_dim(&b->client, &b->light, 0, (uint8_t)parse_percent(line + 4));
        print_lamp(b, "local dimmer");
    } else if (strcmp(line, "status") == 0) {
        print_lamp(b, "status");
        tern_cm_port_print(&b->cm, "bulb: up %lu ms", (unsigned long)tern_cm_now_ms());
        b->shown = -1;
    } else if (strcmp(line, "stack") == 0) {
        print_stack(b);
    } else if (strcmp(line, "quit") == 0) {
        if (!b->stopping) {
            b->stopping = true;
            b->stop_deadline = tern_cm_now_ms() + SHUTDOWN_LIMIT_MS;
            tern_shutdown(&b->client);
        }
    } else if (line[0] != '\0') {
        tern_cm_port_print(&b->cm, "unknown command '%s' (on, off, dim N, status, stack, quit)",
                           line);
    }
}

__attribute__((noreturn)) static void halt(bulb_t *b)
{
    print_stack(b);
    if (b->cm.dropped_lines != 0)
        tern_cm_port_print(&b->cm, "bulb: %lu log lines dropped",
                           (unsigned long)b->cm.dropped_lines);
    tern_cm_port_print(&b->cm, "bulb: stopped");
    tern_cm_port_bye(&b->cm, "stopped");
    for (;;) {
        uint32_t primask = tern_cm_irq_save();
        tern_cm_wait_for_interrupt();
        tern_cm_irq_restore(primask);
    }
}

static void serial_number(char *out)
{
    /* USER0/USER1 hold the board's MAC address, 3 bytes each */
    static const char HEX[] = "0123456789abcdef";
    uint32_t words[2] = { SYSCTL_USER0, SYSCTL_USER1 };
    size_t n = 0;
    for (int w = 0; w < 2; w++) {
        for (int byte = 0; byte < 3; byte++) {
            uint32_t v = words[w] >> (8 * byte);
            out[n++] = HEX[(v >> 4) & 0xFu];
            out[n++] = HEX[v & 0xFu];
        }
    }
    out[n] = '\0';
}

/* Not inlined: its configuration structs would stay in main's frame,
 * under every request the loop serves. */
__attribute__((noinline)) static int start(bulb_t *b, const tern_cm_config_t *cfg)
{
    static const tern_device_info_t INFO = { .manufacturer = "Tern",
                                             .model = "tern-qemu-bulb (LM3S6965)",
                                             .firmware_version = FIRMWARE_VERSION,
                                             .device_type = "light bulb",
                                             .supported_bindings = "U" };
    static tern_device_info_t info;
    info = INFO;
    serial_number(b->serial);
    info.serial = b->serial;
    tern_client_config_t ccfg = { .endpoint = cfg->endpoint, .port = &b->port };
    tern_server_config_t srv = {
        .uri = cfg->uri, .ssid = 1, .lifetime_s = cfg->lifetime_s, .mode = TERN_SEC_NOSEC
    };
    int rc = tern_client_init(&b->client, &ccfg);
    if (rc == 0)
        rc = tern_server_add(&b->client, &srv);
    if (rc != 0)
        return rc;
    tern_device_init(&b->device, &info);
    tern_light_init(&b->light, 1, 9);
    b->light.on_change = on_server_change;
    b->light.user = b;
    if (cfg->unix_time_s != 0)
        tern_device_set_time(&b->client, &b->device, cfg->unix_time_s);
    tern_object_register(&b->client, &b->device.base);
    tern_object_register(&b->client, &b->light.base);
    return 0;
}

int main(void)
{
    bulb_t *b = &bulb;
    tern_cm_clock_init();
    tern_cm_uart_init();
    tern_cm_port_init(&b->cm, &b->port, "tern-qemu-bulb " FIRMWARE_VERSION " (LM3S6965)");
    const tern_cm_config_t *cfg = tern_cm_port_wait_config(&b->cm);
    tern_cm_port_print(&b->cm, "tern-qemu-bulb '%s' firmware %s, server %s", cfg->endpoint,
                       FIRMWARE_VERSION, cfg->uri);
    int rc = start(b, cfg);
    if (rc != 0) {
        tern_cm_port_print(&b->cm, "bulb: bad configuration (%d), is '%s' a coap:// URI?", rc,
                           cfg->uri);
        halt(b);
    }
    print_lamp(b, "power on");
    for (;;) {
        tern_time_t now = tern_cm_now_ms();
        uint32_t sleep_ms = tern_step(&b->client, now);
        show_state(b);
        if (tern_cm_port_reset_requested(&b->cm) != TERN_CM_RESET_NONE) {
            print_stack(b); /* the painting starts again at reset */
            tern_cm_port_print(&b->cm, "bulb: %s, restarting",
                               tern_cm_port_reset_requested(&b->cm) == TERN_CM_RESET_REBOOT
                                   ? "reboot"
                                   : "factory reset");
            tern_cm_port_restart(&b->cm);
        }
        const char *line = tern_cm_port_command(&b->cm);
        if (line != NULL) {
            command(b, line);
            tern_cm_port_command_done(&b->cm);
            continue; /* step again: a switch may have a notification to send */
        }
        if (b->stopping && (tern_stopped(&b->client) || now >= b->stop_deadline))
            halt(b);
        tern_cm_port_wait(&b->cm, now + sleep_ms);
    }
}
