/*
 * Footprint image of an LwM2M application: the paper's light bulb with
 * objects 0, 1, 3 and 3311 over a stub port. Every public entry point an
 * application uses is called, so the linker keeps exactly what a real
 * firmware would. Profiles with more features get them exercised too: a
 * Bootstrap-Server account, the stored configuration, the Firmware
 * Update object (5).
 */
#include "stub_port.h"
#include "tern/objects/device.h"
#if TERN_WITH_BLOCK
#include "tern/objects/firmware.h"
#endif
#include "tern/objects/light_control.h"
#include "tern/tern.h"

static volatile tern_time_t clock_ms;
static tern_client_t client;
static tern_device_t device;
static tern_light_t light;
#if TERN_WITH_BLOCK
static tern_firmware_t firmware;
#endif

static const tern_device_info_t INFO = {
    .manufacturer = "Tern",
    .model = "bulb",
    .serial = "1",
    .firmware_version = "1.0",
};

int main(void)
{
    tern_port_t port = { &TERN_STUB_PORT_OPS, (void *)&clock_ms };
    tern_client_config_t cfg = { .endpoint = "bulb", .port = &port };
    tern_server_config_t srv = {
        .uri = "coap://[fd00::1]:5683", .ssid = 1, .lifetime_s = 300, .mode = TERN_SEC_NOSEC
    };
    tern_client_init(&client, &cfg);
    tern_server_add(&client, &srv);
#if TERN_WITH_BOOTSTRAP
    tern_server_config_t bs = { .uri = "coap://[fd00::2]:5683", .bootstrap = true };
    tern_server_add(&client, &bs);
#endif
#if TERN_WITH_PERSISTENCE
    tern_config_restore(&client);
#endif
    tern_device_init(&device, &INFO);
    tern_light_init(&light, 1, 9);
    tern_object_register(&client, &device.base);
    tern_object_register(&client, &light.base);
#if TERN_WITH_BLOCK
    tern_firmware_init(&firmware);
    tern_object_register(&client, &firmware.base);
#endif
    for (;;) {
        uint32_t sleep_ms = tern_step(&client, clock_ms);
        if (sleep_ms == 0)
            tern_light_switch(&client, &light, 0, !light.lamps[0].on);
        if (clock_ms < 0)
            tern_shutdown(&client);
        clock_ms = clock_ms + sleep_ms;
    }
}
