/*
 * Fuzz target: block options and the Block1 write path. A registered
 * client with the Firmware Update object (over the fake port's firmware
 * storage) takes arbitrary datagrams from its server; the inputs' seeds
 * are PUTs to /5/0/0 with Block1, and GETs with Block2. The engine must
 * answer or drop each, and the firmware state must stay one of the four
 * the specification defines.
 */
#include <stdlib.h>
#include <string.h>

#include "coap/coap_msg.h"
#include "fake_port.h"
#include "tern/objects/firmware.h"
#include "tern/tern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_port_t fp;
    static tern_client_t client;
    static tern_firmware_t fw;
    tern_port_t port;
    fake_port_init(&fp, &port);
    fp.log_to_stderr = getenv("TERN_DEBUG") != NULL; /* to read a crash's story */
    tern_client_config_t cfg = { .endpoint = "fuzz", .port = &port };
    tern_server_config_t srv = {
        .uri = "coap://10.0.0.1", .ssid = 1, .lifetime_s = 3600, .mode = TERN_SEC_NOSEC
    };
    tern_client_init(&client, &cfg);
    tern_server_add(&client, &srv);
    tern_firmware_init(&fw);
    tern_object_register(&client, &fw.base);
    tern_addr_t server = fake_addr(1);

    tern_step(&client, fp.now);
    tern_coap_msg_t reg;
    if (fp.n_sent != 1 || tern_coap_parse(&reg, fp.sent[0].data, fp.sent[0].len) != 0)
        abort();
    uint8_t created[24] = { (uint8_t)(0x60 | reg.token_len), TERN_COAP_CREATED,
                            (uint8_t)(reg.mid >> 8), (uint8_t)reg.mid };
    memcpy(created + 4, reg.token, reg.token_len);
    size_t n = 4u + reg.token_len;
    created[n++] = 0x82;
    created[n++] = 'r';
    created[n++] = 'd';
    fake_port_push(&fp, 0, &server, created, n);
    tern_step(&client, fp.now);

    while (size > 2) {
        /* two length bytes: Block1 payloads can be long */
        size_t len = (size_t)data[0] << 8 | data[1];
        data += 2;
        size -= 2;
        if (len > size)
            len = size;
        fake_port_clear_sent(&fp);
        fake_port_push(&fp, 0, &server, data, len);
        fp.now += 1000;
        tern_step(&client, fp.now);
        if (fw.state > TERN_FW_UPDATING || fw.result > TERN_FW_RESULT_UNSUPPORTED_PROTOCOL)
            abort();
        data += len;
        size -= len;
    }
    return 0;
}
