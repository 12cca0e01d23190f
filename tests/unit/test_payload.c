/*
 * Response payloads (src/lwm2m/payload.c, RFC 7959 Block2): a payload
 * that fits goes out whole, a larger one as its first block, an asked
 * block as asked, a block larger than the buffer allows as the smaller
 * block at the same offset (RFC 7959 2.4), one past the end as 4.02.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "coap/coap_block.h"
#include "lwm2m/lwm2m.h"

/* A payload of *arg bytes, byte i being (uint8_t)i. */
static int counting_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                        size_t *total, size_t *stored)
{
    (void)c;
    size_t size = *(const size_t *)arg;
    size_t n = 0;
    for (size_t i = skip; i < size && n < cap; i++)
        buf[n++] = (uint8_t)i;
    *total = size;
    *stored = n;
    return 0;
}

/* A GET with a Block2 option of num/szx (szx > 6: none). */
static void get_request(tern_coap_msg_t *m, uint8_t *buf, uint32_t num, uint8_t szx)
{
    tern_coap_writer_t w;
    tern_coap_writer_start(&w, buf, 64, TERN_COAP_CON, TERN_COAP_GET, 1, NULL, 0);
    if (szx <= 6) {
        tern_coap_block_t b = { num, 0, szx };
        tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &b);
    }
    assert_int_equal(tern_coap_parse(m, buf, w.len), 0);
}

/* Writes a response of `size` bytes into a cap-byte message for a GET
 * asking num/szx; returns the code, the message parsed into *out. */
static int respond(size_t size, size_t cap, uint32_t num, uint8_t szx, tern_coap_msg_t *out,
                   uint8_t *msg)
{
    static tern_client_t client;
    uint8_t req_buf[64];
    tern_coap_msg_t req;
    tern_coap_writer_t w;
    get_request(&req, req_buf, num, szx);
    tern_coap_writer_start(&w, msg, cap, TERN_COAP_ACK, TERN_COAP_CONTENT, 1, NULL, 0);
    int rc = tern_payload_write(&client, &w, TERN_FORMAT_OPAQUE, &req, counting_gen, &size);
    if (rc == 0)
        assert_int_equal(tern_coap_parse(out, msg, w.len), 0);
    return rc;
}

static void expect_bytes_from(const tern_coap_msg_t *m, size_t from, size_t n)
{
    assert_int_equal(m->payload_len, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(m->payload[i], (uint8_t)(from + i));
}

static void test_fits_whole(void **state)
{
    (void)state;
    uint8_t msg[256];
    tern_coap_msg_t m;
    tern_coap_block_t b;
    assert_int_equal(respond(100, sizeof(msg), 0, 7, &m, msg), 0);
    assert_int_equal(tern_coap_get_block(&m, TERN_COAP_OPT_BLOCK2, &b), 0);
    expect_bytes_from(&m, 0, 100);
}

static void test_first_block_when_too_large(void **state)
{
    (void)state;
    uint8_t msg[100];
    tern_coap_msg_t m;
    tern_coap_block_t b;
    uint32_t size2;
    assert_int_equal(respond(300, sizeof(msg), 0, 7, &m, msg), 0);
    assert_int_equal(tern_coap_get_block(&m, TERN_COAP_OPT_BLOCK2, &b), 1);
    assert_int_equal(b.num, 0);
    assert_int_equal(b.szx, 2); /* 64 bytes: what fits in 100 */
    assert_true(b.more);
    assert_true(tern_coap_get_uint(&m, TERN_COAP_OPT_SIZE2, &size2));
    assert_int_equal(size2, 300);
    expect_bytes_from(&m, 0, 64);
}

static void test_asked_block(void **state)
{
    (void)state;
    uint8_t msg[256];
    tern_coap_msg_t m;
    tern_coap_block_t b;
    assert_int_equal(respond(300, sizeof(msg), 4, 2, &m, msg), 0); /* the last 44 bytes */
    assert_int_equal(tern_coap_get_block(&m, TERN_COAP_OPT_BLOCK2, &b), 1);
    assert_int_equal(b.num, 4);
    assert_int_equal(b.szx, 2);
    assert_false(b.more);
    expect_bytes_from(&m, 256, 44);
}

static void test_smaller_block_same_offset(void **state)
{
    (void)state;
    uint8_t msg[100];
    tern_coap_msg_t m;
    tern_coap_block_t b;
    /* block 1 of 256 bytes asked, 64 fit: offset 256 is block 4 of 64 */
    assert_int_equal(respond(1000, sizeof(msg), 1, 4, &m, msg), 0);
    assert_int_equal(tern_coap_get_block(&m, TERN_COAP_OPT_BLOCK2, &b), 1);
    assert_int_equal(b.szx, 2);
    assert_int_equal(b.num, 4);
    assert_true(b.more);
    expect_bytes_from(&m, 256, 64);
}

static void test_block_past_the_end(void **state)
{
    (void)state;
    uint8_t msg[256];
    tern_coap_msg_t m;
    assert_int_equal(respond(100, sizeof(msg), 2, 2, &m, msg), -TERN_COAP_BAD_OPTION);
}

/* A writer with a pending error, or without room for a 16-byte block,
 * gets 5.00 for an asked block, and nothing is written past its end. */
static void test_no_room_for_a_block(void **state)
{
    (void)state;
    static tern_client_t client;
    uint8_t req_buf[64];
    uint8_t msg[64];
    tern_coap_msg_t req;
    tern_coap_writer_t w;
    size_t size = 300;
    get_request(&req, req_buf, 1, 2);
    tern_coap_writer_init(&w, msg, sizeof(msg)); /* no header yet: an error */
    assert_int_equal(tern_payload_write(&client, &w, TERN_FORMAT_OPAQUE, &req, counting_gen, &size),
                     -TERN_COAP_INTERNAL_SERVER_ERROR);
    memset(msg, 0xee, sizeof(msg));
    tern_coap_writer_start(&w, msg, 20, TERN_COAP_ACK, TERN_COAP_CONTENT, 1, NULL, 0);
    assert_int_equal(tern_payload_write(&client, &w, TERN_FORMAT_OPAQUE, &req, counting_gen, &size),
                     -TERN_COAP_INTERNAL_SERVER_ERROR);
    for (size_t i = 20; i < sizeof(msg); i++)
        assert_int_equal(msg[i], 0xee);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fits_whole),
        cmocka_unit_test(test_first_block_when_too_large),
        cmocka_unit_test(test_asked_block),
        cmocka_unit_test(test_smaller_block_same_offset),
        cmocka_unit_test(test_block_past_the_end),
        cmocka_unit_test(test_no_room_for_a_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
