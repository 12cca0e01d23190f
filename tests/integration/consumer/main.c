/* The smallest application of an installed Tern: a client on the POSIX
 * port with the Device object, stepped once. */
#include <stdio.h>

#include "tern/objects/device.h"
#include "tern/posix.h"
#include "tern/tern.h"

int main(void)
{
    static tern_posix_t px;
    static tern_client_t client;
    static tern_device_t device;
    static const tern_device_info_t info = { .manufacturer = "consumer" };
    tern_port_t port;
    tern_posix_init(&px, &port, "consumer");
    tern_client_config_t cfg = { .endpoint = "consumer", .port = &port };
    tern_server_config_t srv = { .uri = "coap://127.0.0.1:9", .ssid = 1, .mode = TERN_SEC_NOSEC };
    if (tern_client_init(&client, &cfg) != 0 || tern_server_add(&client, &srv) != 0)
        return 1;
    tern_device_init(&device, &info);
    if (tern_object_register(&client, &device.base) != 0)
        return 1;
    (void)tern_step(&client, tern_posix_now());
    printf("consumer: %s\n", tern_registration_state(&client, 0) == TERN_REG_REGISTERING
                                 ? "registering"
                                 : "unexpected state");
    tern_posix_deinit(&px);
    return 0;
}
