/*
 * Fuzz target: restoring the stored configuration (tern_config_restore),
 * which reads what a flash page or a state file holds after a restart.
 * The first input byte picks the mode: odd, the rest is the body of an
 * image (records: object id, length, TLV of its instances) that the
 * harness frames with a valid header and CRC, so that the records are
 * explored; even, the rest is the whole image as stored (header, length
 * and CRC checks). Whatever it holds, the client keeps running, and a
 * configuration it restored saves and restores again.
 */
#include <stdlib.h>
#include <string.h>

#include "core/crc32.h"
#include "fake_port.h"
#include "lwm2m/lwm2m.h"
#include "tern/objects/firmware.h"
#include "tern/tern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_port_t fp;
    static tern_client_t client;
    static tern_firmware_t fw;
    if (size == 0)
        return 0;
    tern_port_t port;
    fake_port_init(&fp, &port);
    fp.log_to_stderr = getenv("TERN_DEBUG") != NULL; /* to read a crash's story */
    tern_client_config_t cfg = { .endpoint = "fuzz", .port = &port };
    tern_server_config_t srv = {
        .uri = "coap://10.0.0.1", .ssid = 1, .lifetime_s = 60, .mode = TERN_SEC_NOSEC
    };
    tern_server_config_t bs = { .uri = "coap://10.0.0.9",
                                .bootstrap = true,
                                .mode = TERN_SEC_NOSEC };
    tern_client_init(&client, &cfg);
    tern_server_add(&client, &srv);
    tern_server_add(&client, &bs);
    tern_firmware_init(&fw);
    tern_object_register(&client, &fw.base);

    bool framed = data[0] & 1;
    data++;
    size--;
    if (framed) {
        if (size > sizeof(fp.image) - 16)
            size = sizeof(fp.image) - 16;
        memcpy(fp.image, "TRNC\x01\x00\x00\x00", 8);
        put_le32(fp.image + 8, (uint32_t)size);
        memcpy(fp.image + 12, data, size);
        put_le32(fp.image + 12 + size, tern_crc32(0, fp.image, 12 + size));
        fp.image_len = 12 + size + 4;
    } else {
        if (size > sizeof(fp.image))
            size = sizeof(fp.image);
        memcpy(fp.image, data, size);
        fp.image_len = size;
    }
    int rc = tern_config_restore(&client);
    if (rc != 0 && rc != 1 && rc != TERN_ERR_CORRUPT)
        abort();
    for (int i = 0; i < 4; i++) {
        fp.now += 1000;
        tern_step(&client, fp.now);
    }
    if (rc == 1) {
        fp.image_len = 0;
        if (tern_config_save(&client) != 0 || fp.image_len == 0
            || tern_config_restore(&client) != 1)
            abort();
    }
    return 0;
}
