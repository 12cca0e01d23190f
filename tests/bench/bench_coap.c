/*
 * Benchmark: CoAP parse and serialise speed on this host. Prints figures;
 * never fails on timing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coap/coap_msg.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t build_register(uint8_t *buf, size_t cap)
{
    const uint8_t token[4] = { 1, 2, 3, 4 };
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, cap);
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_POST, 0x1234, token, 4);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "rd");
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_LINK);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_QUERY, "ep=bulb-0001");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_QUERY, "lt=300");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_QUERY, "lwm2m=1.0");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_QUERY, "b=U");
    const char *links = "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3311/0>";
    tern_coap_write_payload(&w, links, strlen(links));
    return (size_t)tern_coap_writer_finish(&w);
}

int main(void)
{
    uint8_t buf[256];
    const int rounds = 2000000;
    size_t len = 0;
    double t0 = now_s();
    for (int i = 0; i < rounds; i++)
        len += build_register(buf, sizeof(buf));
    double t1 = now_s();
    size_t opts = 0;
    for (int i = 0; i < rounds; i++) {
        tern_coap_msg_t m;
        tern_coap_opt_iter_t it;
        tern_coap_option_t o;
        if (tern_coap_parse(&m, buf, len / (size_t)rounds) != 0)
            return 1;
        tern_coap_opt_iter_init(&it, &m);
        while (tern_coap_opt_next(&it, &o))
            opts++;
    }
    double t2 = now_s();
    printf("bench_coap: %zu-byte Register request\n", len / (size_t)rounds);
    printf("  serialise:           %7.1f ns/message\n", (t1 - t0) / rounds * 1e9);
    printf("  parse + walk options: %6.1f ns/message (%zu options each)\n",
           (t2 - t1) / rounds * 1e9, opts / (size_t)rounds);
    return 0;
}
