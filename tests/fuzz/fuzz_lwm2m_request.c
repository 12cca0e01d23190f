/*
 * Fuzz target: the engine's packet input. A registered client with the
 * Device and Light Control objects takes arbitrary datagrams from its
 * server (a length byte, then the bytes; the byte after the length moves
 * the clock) and must answer or drop each without crashing, reading out
 * of bounds or leaking state: afterwards it still answers a plain Read.
 */
#include <stdlib.h>
#include <string.h>

#include "coap/coap_msg.h"
#include "fake_port.h"
#include "tern/objects/device.h"
#include "tern/objects/light_control.h"
#include "tern/tern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tern_device_info_t INFO = { .manufacturer = "Tern", .model = "fuzz" };

/* Sends GET /3/0/0 and checks the client answers it with 2.05 "Tern". */
static void still_serving(fake_port_t *fp, tern_client_t *c, const tern_addr_t *server)
{
    const uint8_t get[] = { 0x40, 0x01, 0xfe, 0xed, 0xb1, '3', 0x01, '0', 0x01, '0' };
    fake_port_clear_sent(fp);
    fake_port_push(fp, 0, server, get, sizeof(get));
    tern_step(c, fp->now);
    for (size_t i = 0; i < fp->n_sent; i++) {
        tern_coap_msg_t m;
        if (tern_coap_parse(&m, fp->sent[i].data, fp->sent[i].len) == 0 && m.mid == 0xfeed
            && m.type == TERN_COAP_ACK) {
            if (m.code != TERN_COAP_CONTENT || m.payload_len != 4
                || memcmp(m.payload, "Tern", 4) != 0)
                abort();
            return;
        }
    }
    /* an earlier datagram may have used MID 0xfeed: then it is a duplicate */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_port_t fp;
    static tern_client_t client;
    static tern_device_t device;
    static tern_light_t light;
    tern_port_t port;
    fake_port_init(&fp, &port);
    fp.log_to_stderr = getenv("TERN_DEBUG") != NULL; /* to read a crash's story */
    tern_client_config_t cfg = { .endpoint = "fuzz", .port = &port };
    tern_server_config_t srv = {
        .uri = "coap://10.0.0.1", .ssid = 1, .lifetime_s = 60, .mode = TERN_SEC_NOSEC
    };
    tern_client_init(&client, &cfg);
    tern_server_add(&client, &srv);
    tern_device_init(&device, &INFO);
    tern_light_init(&light, 1, 9);
    tern_object_register(&client, &device.base);
    tern_object_register(&client, &light.base);
    tern_addr_t server = fake_addr(1);

    /* register: answer the Register with 2.01 rd/x */
    tern_step(&client, fp.now);
    tern_coap_msg_t reg;
    if (fp.n_sent != 1 || tern_coap_parse(&reg, fp.sent[0].data, fp.sent[0].len) != 0)
        abort();
    uint8_t created[32] = { 0x60 | reg.token_len, TERN_COAP_CREATED, (uint8_t)(reg.mid >> 8),
                            (uint8_t)reg.mid };
    memcpy(created + 4, reg.token, reg.token_len);
    size_t n = 4 + reg.token_len;
    created[n++] = 0x82; /* Location-Path "rd" */
    created[n++] = 'r';
    created[n++] = 'd';
    created[n++] = 0x01; /* Location-Path "x" */
    created[n++] = 'x';
    fake_port_push(&fp, 0, &server, created, n);
    tern_step(&client, fp.now);
    if (tern_registration_state(&client, 0) != TERN_REG_REGISTERED)
        abort();

    while (size > 1) {
        size_t len = data[0];
        fp.now += (tern_time_t)data[1] * 97;
        data += 2;
        size -= 2;
        if (len > size)
            len = size;
        fake_port_clear_sent(&fp);
        fake_port_push(&fp, 0, &server, data, len);
        tern_step(&client, fp.now);
        data += len;
        size -= len;
    }
    still_serving(&fp, &client, &server);
    return 0;
}
