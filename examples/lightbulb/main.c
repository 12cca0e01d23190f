/*
 * tern-lightbulb: the paper's scenario. A bulb behind an IPSO Light
 * Control object (3311) that an LwM2M server reads, switches and observes.
 * Local commands on standard input play the wall switch: each produces
 * a notification to observers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "credentials.h"
#include "tern/objects/device.h"
#include "tern/objects/firmware.h"
#include "tern/objects/light_control.h"
#include "tern/posix.h"
#include "tern/tern.h"

#define FIRMWARE_VERSION "1.0.0"
#define SHUTDOWN_LIMIT_MS 10000

typedef struct bulb {
    tern_client_t client;
    tern_posix_t px;
    tern_port_t port;
    tern_device_t device;
    tern_light_t light;
    tern_firmware_t firmware; /* with --firmware-dir */
    char **argv;              /* to restart into new firmware */
    int reset;                /* 1 reboot, 2 factory reset */
    tern_reg_state_t shown;   /* last registration state printed */
} bulb_t;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    (void)sig;
    stop_signal = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tern-lightbulb --endpoint NAME [--server coap://HOST:PORT]\n"
            "                      [--bootstrap coap://HOST:PORT [--holdoff SECONDS]]\n"
            "                      [--state-file PATH] [--lifetime SECONDS] [--port LOCAL_PORT]\n"
            "                      [--firmware-dir DIR]\n"
            "\n"
            "An LwM2M light bulb (objects 1, 3 and 3311) that registers with the\n"
            "server and serves it. With --bootstrap it asks that Bootstrap-Server\n"
            "for its servers (after --holdoff seconds in which the server may start\n"
            "the bootstrap itself), and falls back to it when no server takes it.\n"
            "--state-file keeps the bootstrapped configuration across restarts\n"
            "(a damaged file is refused, and the bulb bootstraps again).\n"
            "--firmware-dir adds the Firmware Update object (5): packages made by\n"
            "tern-fwpack, pushed to /5/0/0 or pulled from the URI in /5/0/1, are\n"
            "checked and kept in DIR; Execute /5/0/2 installs one and restarts the\n"
            "bulb, which then reports its version in /3/0/3 (built-in: " FIRMWARE_VERSION ").\n"
            "The outcome (/5/0/3, /5/0/5) survives the restart only with --state-file.\n"
            "Commands on standard input: on, off, dim N (0..100), status, quit.\n"
            "SIGINT/SIGTERM and quit de-register first. TERN_DEBUG=1 in the\n"
            "environment shows the engine's debug log.\n");
    bulb_creds_usage(out);
}

/* Prints lamp iid's state: the bulb itself is lamp 0, others "lamp N". */
static void print_lamp_iid(bulb_t *b, uint16_t iid, const char *why)
{
    const tern_lamp_t *lamp = tern_light_lamp(&b->light, iid);
    if (lamp == NULL)
        return;
    printf("%s%.0u: %s, dimmer %u%%%s%s (%s)\n", iid == 0 ? "bulb" : "lamp ", iid,
           lamp->on ? "ON" : "OFF", lamp->dimmer, lamp->colour[0] ? ", colour " : "", lamp->colour,
           why);
    fflush(stdout);
}

static void print_lamp(bulb_t *b, const char *why)
{
    print_lamp_iid(b, 0, why);
}

static void on_server_change(tern_light_t *light, uint16_t iid, void *user)
{
    (void)light;
    print_lamp_iid(user, iid, "set by the server");
}

static void on_reboot(void *user)
{
    ((bulb_t *)user)->reset = 1;
}

static void on_factory_reset(void *user)
{
    ((bulb_t *)user)->reset = 2;
}

/* The port installed new firmware: run it. Returns only on failure. */
static void on_firmware_restart(void *user)
{
    printf("bulb: firmware update, restarting\n");
    fflush(stdout);
    execv("/proc/self/exe", ((bulb_t *)user)->argv);
    fprintf(stderr, "tern-lightbulb: restart failed: %s\n", strerror(errno));
}

/* Handles one line from standard input; false on quit. */
static bool command(bulb_t *b, char *line)
{
    int level;
    line[strcspn(line, "\r\n")] = '\0';
    if (strcmp(line, "on") == 0 || strcmp(line, "off") == 0) {
        tern_light_switch(&b->client, &b->light, 0, line[1] == 'n');
        print_lamp(b, "local switch");
    } else if (sscanf(line, "dim %d", &level) == 1 && level >= 0 && level <= 100) {
        tern_light_dim(&b->client, &b->light, 0, (uint8_t)level);
        print_lamp(b, "local dimmer");
    } else if (strcmp(line, "status") == 0) {
        print_lamp(b, "status");
    } else if (strcmp(line, "quit") == 0) {
        return false;
    } else if (line[0] != '\0') {
        printf("unknown command '%s' (on, off, dim N, status, quit)\n", line);
        fflush(stdout);
    }
    return true;
}

static void show_state(bulb_t *b)
{
    static const char *const NAMES[] = { "idle",         "registering",         "registered",
                                         "deregistered", "registration failed", "disabled",
                                         "bootstrapping" }; /* tern_reg_state_t order */
    tern_reg_state_t s = tern_registration_state(&b->client, 0);
    if (s != b->shown) {
        b->shown = s;
        printf("lwm2m: %s\n", NAMES[s]);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    static bulb_t b;
    static bulb_creds_t creds;
    const char *server = NULL;
    const char *bootstrap = NULL;
    const char *state_file = NULL;
    const char *firmware_dir = NULL;
    unsigned long holdoff = 0;
    const char *endpoint = NULL;
    unsigned long lifetime = 300;
    unsigned long local_port = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (v == NULL) {
            usage(stderr);
            return 2;
        }
        if (strcmp(argv[i], "--server") == 0)
            server = v;
        else if (strcmp(argv[i], "--bootstrap") == 0)
            bootstrap = v;
        else if (strcmp(argv[i], "--holdoff") == 0)
            holdoff = strtoul(v, NULL, 10);
        else if (strcmp(argv[i], "--state-file") == 0)
            state_file = v;
        else if (strcmp(argv[i], "--firmware-dir") == 0)
            firmware_dir = v;
        else if (strcmp(argv[i], "--endpoint") == 0)
            endpoint = v;
        else if (strcmp(argv[i], "--lifetime") == 0)
            lifetime = strtoul(v, NULL, 10);
        else if (strcmp(argv[i], "--port") == 0)
            local_port = strtoul(v, NULL, 10);
        else if (!bulb_creds_option(&creds, argv[i], v)) {
            usage(stderr);
            return 2;
        }
        i++;
    }
    if ((server == NULL && bootstrap == NULL) || endpoint == NULL || lifetime == 0
        || local_port > 65535) {
        usage(stderr);
        return 2;
    }
    if (!bulb_creds_load(&creds))
        return 2;

    tern_posix_init(&b.px, &b.port, endpoint);
    tern_posix_set_reset_hooks(&b.px, on_reboot, on_factory_reset, &b);
    const char *version = FIRMWARE_VERSION;
    if (firmware_dir != NULL) {
        b.argv = argv;
        tern_posix_set_firmware(&b.px, firmware_dir, on_firmware_restart, &b);
        if (tern_posix_firmware_version(&b.px) != NULL)
            version = tern_posix_firmware_version(&b.px);
    }
    tern_client_config_t cfg = { .endpoint = endpoint,
                                 .port = &b.port,
                                 .local_port = (uint16_t)local_port };
    static tern_device_info_t info = { .manufacturer = "Tern",
                                       .model = "tern-lightbulb",
                                       .serial = "TB-0001",
                                       .device_type = "light bulb",
                                       .supported_bindings = "U" };
    info.firmware_version = version;
    tern_server_config_t srv = {
        .uri = server, .ssid = 1, .lifetime_s = (uint32_t)lifetime, .mode = TERN_SEC_NOSEC
    };
    tern_server_config_t bs = {
        .uri = bootstrap, .bootstrap = true, .holdoff_s = (uint32_t)holdoff, .mode = TERN_SEC_NOSEC
    };
    if (!bulb_creds_apply(&creds, &srv) || !bulb_creds_apply(&creds, &bs))
        return 2;
    int rc = tern_client_init(&b.client, &cfg);
    if (rc == 0 && server != NULL)
        rc = tern_server_add(&b.client, &srv);
    if (rc == 0 && bootstrap != NULL)
        rc = tern_server_add(&b.client, &bs);
    if (rc != 0) {
        fprintf(stderr, "tern-lightbulb: bad configuration (%d): check the server URIs\n", rc);
        return 2;
    }
    tern_device_init(&b.device, &info);
    tern_light_init(&b.light, 1, 9);
    b.light.on_change = on_server_change;
    b.light.user = &b;
    tern_device_set_time(&b.client, &b.device, (int64_t)time(NULL));
    tern_object_register(&b.client, &b.device.base);
    tern_object_register(&b.client, &b.light.base);
    if (firmware_dir != NULL) {
        tern_firmware_init(&b.firmware);
        tern_object_register(&b.client, &b.firmware.base);
    }
    if (state_file != NULL) {
        static const char *const RESTORED[] = { "none stored, using the command line", "restored" };
        tern_posix_set_state_file(&b.px, state_file);
        rc = tern_config_restore(&b.client);
        printf("config: %s\n", rc >= 0 ? RESTORED[rc] : "corrupt, ignored: bootstrapping");
    }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    printf("tern-lightbulb '%s' firmware %s, %s %s\n", endpoint, version,
           server != NULL ? "server" : "Bootstrap-Server", server != NULL ? server : bootstrap);
    print_lamp(&b, "power on");

    bool running = true;
    bool stdin_open = true;
    tern_time_t stop_deadline = 0;
    char line[128];
    for (;;) {
        tern_time_t now = tern_posix_now();
        uint32_t sleep_ms = tern_step(&b.client, now);
        show_state(&b);
        if (b.reset != 0)
            break;
        if (running && stop_signal)
            running = false;
        if (!running && stop_deadline == 0) {
            tern_shutdown(&b.client);
            stop_deadline = now + SHUTDOWN_LIMIT_MS;
            continue;
        }
        if (!running && (tern_stopped(&b.client) || now >= stop_deadline))
            break;
        int fds[1] = { STDIN_FILENO };
        short revents[1] = { 0 };
        tern_posix_wait(&b.px, now + sleep_ms, fds, revents, stdin_open && running ? 1 : 0);
        if (revents[0] & (POLLIN | POLLHUP)) {
            if (fgets(line, sizeof(line), stdin) == NULL)
                stdin_open = false; /* keep serving: stdin may be /dev/null */
            else if (!command(&b, line))
                running = false;
        }
    }
    tern_posix_deinit(&b.px);
    if (b.reset != 0) {
        printf("bulb: %s, restarting\n", b.reset == 1 ? "reboot" : "factory reset");
        fflush(stdout);
        execv("/proc/self/exe", argv);
        fprintf(stderr, "tern-lightbulb: restart failed: %s\n", strerror(errno));
        return 1;
    }
    printf("bulb: stopped\n");
    return 0;
}
