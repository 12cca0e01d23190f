/*
 * Fuzz target: the Bootstrap-Server's operations. A client waiting for
 * its bootstrap (Bootstrap-Request answered) takes arbitrary datagrams
 * from the Bootstrap-Server (a length byte, then the bytes): Bootstrap-
 * Write/Delete/Discover/Read/Finish with hostile payloads. Whatever was
 * written, the configuration it leaves must be consistent enough to
 * save, and the saved image must restore.
 */
#include <stdlib.h>
#include <string.h>

#include "coap/coap_msg.h"
#include "fake_port.h"
#include "lwm2m/lwm2m.h"
#include "tern/objects/device.h"
#include "tern/tern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tern_device_info_t INFO = { .manufacturer = "Tern", .model = "fuzz" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_port_t fp;
    static tern_client_t client;
    static tern_device_t device;
    tern_port_t port;
    fake_port_init(&fp, &port);
    fp.log_to_stderr = getenv("TERN_DEBUG") != NULL; /* to read a crash's story */
    tern_client_config_t cfg = { .endpoint = "fuzz", .port = &port };
    tern_server_config_t bs = { .uri = "coap://10.0.0.9",
                                .bootstrap = true,
                                .mode = TERN_SEC_NOSEC };
    tern_client_init(&client, &cfg);
    tern_server_add(&client, &bs);
    tern_device_init(&device, &INFO);
    tern_object_register(&client, &device.base);
    tern_addr_t server = fake_addr(1);

    /* the Bootstrap-Request, answered 2.04 */
    tern_step(&client, fp.now);
    tern_coap_msg_t req;
    if (fp.n_sent != 1 || tern_coap_parse(&req, fp.sent[0].data, fp.sent[0].len) != 0)
        abort();
    uint8_t ack[12] = { (uint8_t)(0x60 | req.token_len), TERN_COAP_CHANGED, (uint8_t)(req.mid >> 8),
                        (uint8_t)req.mid };
    memcpy(ack + 4, req.token, req.token_len);
    fake_port_push(&fp, 0, &server, ack, 4u + req.token_len);
    tern_step(&client, fp.now);

    while (size > 0) {
        size_t len = data[0];
        data++;
        size--;
        if (len > size)
            len = size;
        fake_port_clear_sent(&fp);
        fake_port_push(&fp, client.bs.conn >= 0 ? client.bs.conn : 0, &server, data, len);
        fp.now += 50;
        tern_step(&client, fp.now);
        data += len;
        size -= len;
    }
    /* whatever it holds now is saved and must read back */
    if (tern_config_save(&client) == 0 && fp.image_len > 0 && tern_config_restore(&client) != 1)
        abort();
    return 0;
}
