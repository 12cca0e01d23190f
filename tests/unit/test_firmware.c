/*
 * Block-wise transfers (RFC 7959) and the Firmware Update object (TS
 * E.6): Block2 responses and their negotiation, Block1 pushes with
 * 2.31/4.08/4.13, pulls with Block2 as a client, every Update Result the
 * storage and the network can cause, and the state across a restart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coap/coap_block.h"
#include "core/crc32.h"
#include "lwm2m/lwm2m.h"
#include "lwm2m_fixture.h"
#include "tern/objects/firmware.h"

typedef struct fw_fixture {
    fixture_t f;
    tern_firmware_t fw;
} fw_fixture_t;

static int setup(void **state)
{
    static fw_fixture_t x;
    fixture_init(&x.f);
    tern_firmware_init(&x.fw);
    assert_int_equal(tern_object_register(&x.f.client, &x.fw.base), 0);
    fixture_register(&x.f);
    *state = &x;
    return 0;
}

/* A package of n bytes: pattern, then the CRC-32 the fake port checks. */
static size_t make_package(uint8_t *buf, size_t n, bool corrupt)
{
    for (size_t i = 0; i < n - 4; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    uint32_t crc = tern_crc32(0, buf, n - 4) ^ (corrupt ? 1u : 0u);
    for (int i = 0; i < 4; i++)
        buf[n - 4 + i] = (uint8_t)(crc >> (8 * i));
    return n;
}

static int64_t read_int(fixture_t *f, const char *path)
{
    req_opts_t o = { 0, -1, TERN_FORMAT_TEXT, { NULL }, NULL, 0, false };
    request(f, TERN_COAP_GET, path, &o);
    expect_code(f, TERN_COAP_CONTENT);
    char text[24];
    snprintf(text, sizeof(text), "%.*s", (int)f->msg.payload_len, (const char *)f->msg.payload);
    return (int64_t)atoll(text);
}

/* Sends n bytes as block num (Size1 len on block 0) to /5/iid/rid; the reply is in f->msg. */
static void push_piece_to(fixture_t *f, const char *iid, const char *rid, const uint8_t *piece,
                          size_t n, size_t len, uint32_t num, bool more, uint8_t szx)
{
    uint8_t buf[1400];
    tern_coap_writer_t w;
    f->last_token[0] = (uint8_t)(f->next_mid >> 8);
    f->last_token[1] = (uint8_t)f->next_mid;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_PUT, f->next_mid++, f->last_token, 2);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "5");
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, iid);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, rid);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_OPAQUE);
    tern_coap_block_t b = { num, more, szx };
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK1, &b);
    if (num == 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_SIZE1, (uint32_t)len);
    tern_coap_write_payload(&w, piece, n);
    int total = tern_coap_writer_finish(&w);
    assert_true(total > 0);
    fake_port_push(&f->fp, f->conn, &f->server, buf, (size_t)total);
    fixture_step(f);
    expect_sent(f);
}

/* The same to /5/0/0, the Package. */
static void push_piece(fixture_t *f, const uint8_t *piece, size_t n, size_t len, uint32_t num,
                       bool more, uint8_t szx)
{
    push_piece_to(f, "0", "0", piece, n, len, num, more, szx);
}

/* Sends block num of data (size per szx) to /5/0/0; the reply is in f->msg. */
static void push_block(fixture_t *f, const uint8_t *data, size_t len, uint32_t num, uint8_t szx)
{
    size_t size = TERN_COAP_BLOCK_BYTES(szx);
    size_t off = (size_t)num * size;
    size_t n = len - off < size ? len - off : size;
    push_piece(f, data + off, n, len, num, off + n < len, szx);
}

static void push_all(fixture_t *f, const uint8_t *data, size_t len, uint8_t szx)
{
    size_t size = TERN_COAP_BLOCK_BYTES(szx);
    uint32_t blocks = (uint32_t)((len + size - 1) / size);
    for (uint32_t num = 0; num < blocks; num++) {
        push_block(f, data, len, num, szx);
        tern_coap_block_t b;
        assert_int_equal(tern_coap_get_block(&f->msg, TERN_COAP_OPT_BLOCK1, &b), 1);
        assert_int_equal(b.num, num);
        if (num + 1 < blocks) {
            expect_code(f, TERN_COAP_CONTINUE);
            assert_int_equal(b.more, 1);
        } else {
            expect_code(f, TERN_COAP_CHANGED);
            assert_int_equal(b.more, 0);
        }
    }
}

static void test_push(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[5000];
    size_t n = make_package(pkg, sizeof(pkg), false);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    push_all(f, pkg, n, 4);
    assert_int_equal(f->fp.fw_len, n);
    assert_memory_equal(f->fp.fw, pkg, n);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADED);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_INITIAL);
    /* smaller blocks than ours work too */
    push_all(f, pkg, n, 2);
    assert_int_equal(f->fp.fw_len, n);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADED);
}

static void test_push_errors(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[2000];
    size_t n = make_package(pkg, sizeof(pkg), false);
    /* a block out of order: 4.08 */
    push_block(f, pkg, n, 0, 4);
    expect_code(f, TERN_COAP_CONTINUE);
    push_block(f, pkg, n, 2, 4);
    expect_code(f, TERN_COAP_REQUEST_ENTITY_INCOMPLETE);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADING);
    /* a block too big for our buffer: 4.13 naming our block size */
    push_block(f, pkg, n, 0, 5);
    expect_code(f, TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    tern_coap_block_t b;
    assert_int_equal(tern_coap_get_block(&f->msg, TERN_COAP_OPT_BLOCK1, &b), 1);
    assert_int_equal(TERN_COAP_BLOCK_BYTES(b.szx), TERN_COAP_BLOCK_SIZE);
    uint32_t size1;
    assert_true(tern_coap_get_uint(&f->msg, TERN_COAP_OPT_SIZE1, &size1));
    /* a corrupt package: transfer fine, Update Result 5, back to Idle */
    make_package(pkg, n, true);
    push_all(f, pkg, n, 4);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_INTEGRITY);
    /* a package type the device cannot install: 6 */
    make_package(pkg, n, false);
    pkg[0] = 'X';
    uint32_t crc = tern_crc32(0, pkg, n - 4);
    for (int i = 0; i < 4; i++)
        pkg[n - 4 + i] = (uint8_t)(crc >> (8 * i));
    push_all(f, pkg, n, 4);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_UNSUPPORTED_TYPE);
    /* storage too small: 4.13 at once, Update Result 2 */
    f->fp.fw_capacity = 1000;
    make_package(pkg, n, false);
    push_block(f, pkg, n, 0, 4);
    expect_code(f, TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_NO_STORAGE);
    f->fp.fw_capacity = 0;
    /* a push that stalls is abandoned: connection lost */
    push_block(f, pkg, n, 0, 4);
    expect_code(f, TERN_COAP_CONTINUE);
    f->fp.now += tern_coap_exchange_lifetime_ms(&f->client.coap);
    fixture_step(f);
    fake_port_clear_sent(&f->fp);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_CONNECTION_LOST);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    /* a short block that is not the last (RFC 7959 2.2): 4.00, the push is abandoned */
    push_block(f, pkg, n, 0, 4);
    expect_code(f, TERN_COAP_CONTINUE);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADING);
    push_piece(f, pkg + 256, 100, n, 1, true, 4);
    expect_code(f, TERN_COAP_BAD_REQUEST);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_CONNECTION_LOST);
    push_piece(f, pkg + 512, 256, n, 2, true, 4);
    expect_code(f, TERN_COAP_REQUEST_ENTITY_INCOMPLETE);
}

/* A first block of 16 bytes, more to come, to /5/iid/rid; the reply is in f->msg. */
static void push_first_block_to(fixture_t *f, const char *iid, const char *rid)
{
    static const uint8_t piece[16] = { 0 };
    push_piece_to(f, iid, rid, piece, sizeof(piece), 2 * sizeof(piece), 0, true, 0);
}

/* Block1 to what is not a writable Opaque resource of a streaming object:
 * a missing instance is 4.04, a string resource or a read-only one 4.13. */
static void test_push_elsewhere(void **state)
{
    fixture_t *f = *state;
    push_first_block_to(f, "1", "0");
    expect_code(f, TERN_COAP_NOT_FOUND);
    push_first_block_to(f, "0", "1"); /* Package URI */
    expect_code(f, TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
    push_first_block_to(f, "0", "3"); /* State */
    expect_code(f, TERN_COAP_REQUEST_ENTITY_TOO_LARGE);
}

static void test_cancel_and_update(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[600];
    size_t n = make_package(pkg, sizeof(pkg), false);
    /* Update with nothing downloaded: 4.05 */
    request(f, TERN_COAP_POST, "/5/0/2", NULL);
    expect_code(f, TERN_COAP_METHOD_NOT_ALLOWED);
    push_all(f, pkg, n, 4);
    /* an empty package cancels */
    req_opts_t empty = { 0, TERN_FORMAT_OPAQUE, -1, { NULL }, (const uint8_t *)"", 0, false };
    request(f, TERN_COAP_PUT, "/5/0/0", &empty);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    /* Update: the port's apply runs after the 2.04; here it fails */
    push_all(f, pkg, n, 4);
    f->fp.fw_apply_result = TERN_ERR_IO;
    request(f, TERN_COAP_POST, "/5/0/2", NULL);
    expect_code(f, TERN_COAP_CHANGED);
    assert_int_equal(f->fp.fw_applies, 1);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADED);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_UPDATE_FAILED);
}

/* Answers the client's Block2 GET with the block it asked for (in szx). */
static void serve_block(fixture_t *f, const uint8_t *data, size_t len, uint8_t szx)
{
    tern_coap_block_t asked;
    assert_int_equal(tern_coap_get_block(&f->msg, TERN_COAP_OPT_BLOCK2, &asked), 1);
    size_t size = TERN_COAP_BLOCK_BYTES(szx);
    size_t off = (size_t)asked.num * TERN_COAP_BLOCK_BYTES(asked.szx);
    size_t n = len - off < size ? len - off : size;
    uint8_t buf[1400];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_CONTENT, f->msg.mid, f->msg.token,
                           f->msg.token_len);
    tern_coap_block_t b = { (uint32_t)(off / size), off + n < len, szx };
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &b);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_SIZE2, (uint32_t)len);
    tern_coap_write_payload(&w, data + off, n);
    fake_port_push(&f->fp, f->sent.conn, &f->server, buf, (size_t)tern_coap_writer_finish(&w));
    fixture_step(f);
}

static void write_uri(fixture_t *f, const char *uri)
{
    req_opts_t o = { 0, TERN_FORMAT_TEXT, -1, { NULL }, (const uint8_t *)uri, strlen(uri), false };
    request(f, TERN_COAP_PUT, "/5/0/1", &o);
    expect_code(f, TERN_COAP_CHANGED);
}

static void test_pull(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[3000];
    size_t n = make_package(pkg, sizeof(pkg), false);
    write_uri(f, "coap://10.0.0.5:5683/fw/image.bin?v=2");
    /* the first GET, sent right away, asks for block 0 in our size, on
     * its own connection */
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_GET);
    assert_true(msg_path_is(&f->msg, TERN_COAP_OPT_URI_PATH, "/fw/image.bin"));
    assert_true(msg_has_query(&f->msg, "v=2"));
    assert_int_not_equal(f->sent.conn, 0);
    int blocks = 0;
    for (;;) {
        tern_coap_block_t asked;
        assert_int_equal(tern_coap_get_block(&f->msg, TERN_COAP_OPT_BLOCK2, &asked), 1);
        assert_int_equal(x->fw.state, TERN_FW_DOWNLOADING);
        /* the server answers in smaller blocks (128): the client follows */
        serve_block(f, pkg, n, 3);
        blocks++;
        if (f->fp.n_sent == 0)
            break;
        expect_sent(f);
    }
    assert_int_equal(blocks, (int)((n + 127) / 128));
    assert_int_equal(f->fp.fw_len, n);
    assert_memory_equal(f->fp.fw, pkg, n);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADED);
}

static void test_pull_errors(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    write_uri(f, "http://10.0.0.5/fw.bin");
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_UNSUPPORTED_PROTOCOL);
    write_uri(f, "coap://[bad");
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_INVALID_URI);
    /* the file server does not know the file: invalid URI */
    write_uri(f, "coap://10.0.0.5/missing");
    expect_sent(f);
    uint8_t nf[16];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, nf, sizeof(nf));
    tern_coap_write_header(&w, TERN_COAP_ACK, TERN_COAP_NOT_FOUND, f->msg.mid, f->msg.token,
                           f->msg.token_len);
    fake_port_push(&f->fp, f->sent.conn, &f->server, nf, (size_t)tern_coap_writer_finish(&w));
    fixture_step(f);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_INVALID_URI);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    /* the file server goes away mid-download: connection lost */
    static uint8_t pkg[1000];
    size_t n = make_package(pkg, sizeof(pkg), false);
    write_uri(f, "coap://10.0.0.5/fw.bin");
    expect_sent(f);
    serve_block(f, pkg, n, 4);
    for (int i = 0; i < 120; i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    fake_port_clear_sent(&f->fp);
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_CONNECTION_LOST);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_IDLE);
    /* an empty URI resets */
    write_uri(f, "");
    assert_int_equal(read_int(f, "/5/0/5"), TERN_FW_RESULT_INITIAL);
}

/* After a restart: what was going on when the device went down. */
static void test_state_across_restart(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[600];
    size_t n = make_package(pkg, sizeof(pkg), false);
    push_block(f, pkg, n, 0, 4); /* Downloading, saved */
    fixture_step(f);
    static fake_port_t saved;
    saved = f->fp;
    assert_true(saved.image_len > 0);
    setup(state);
    x = *state;
    f = &x->f;
    memcpy(f->fp.image, saved.image, saved.image_len);
    f->fp.image_len = saved.image_len;
    /* restore needs every object registered: it was, in setup() */
    assert_int_equal(tern_config_restore(&f->client), 1);
    assert_int_equal(x->fw.state, TERN_FW_IDLE);
    assert_int_equal(x->fw.result, TERN_FW_RESULT_CONNECTION_LOST);
    /* the restored account registers afresh, on a new connection */
    fixture_step(f);
    expect_sent(f);
    f->conn = f->sent.conn;
    answer(f, TERN_COAP_CREATED, "rd/abc");

    /* an update that restarted the device: success per fw_applied */
    push_all(f, pkg, n, 4);
    f->fp.fw_apply_result = 0; /* "restarts": returns nothing useful */
    x->fw.state = TERN_FW_UPDATING;
    f->client.config_dirty = 1;
    fixture_step(f);
    saved = f->fp;
    setup(state);
    x = *state;
    f = &x->f;
    memcpy(f->fp.image, saved.image, saved.image_len);
    f->fp.image_len = saved.image_len;
    f->fp.fw_applied_ok = true;
    assert_int_equal(tern_config_restore(&f->client), 1);
    assert_int_equal(x->fw.state, TERN_FW_IDLE);
    assert_int_equal(x->fw.result, TERN_FW_RESULT_SUCCESS);
}

/*
 * A pulled package survives a restart: restoring the configuration
 * writes the Package URI back, which must neither fetch it again nor
 * reopen (and so empty) the storage holding the downloaded package.
 */
static void test_pull_across_restart(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    static uint8_t pkg[1000];
    size_t n = make_package(pkg, sizeof(pkg), false);
    write_uri(f, "coap://10.0.0.5/fw.bin");
    expect_sent(f);
    while (x->fw.state == TERN_FW_DOWNLOADING) {
        serve_block(f, pkg, n, 4);
        if (x->fw.state == TERN_FW_DOWNLOADING)
            expect_sent(f);
    }
    assert_int_equal(x->fw.state, TERN_FW_DOWNLOADED);
    fixture_step(f); /* saved */
    static fake_port_t saved;
    saved = f->fp;
    setup(state);
    x = *state;
    f = &x->f;
    memcpy(f->fp.image, saved.image, saved.image_len);
    f->fp.image_len = saved.image_len;
    memcpy(f->fp.fw, saved.fw, saved.fw_len);
    f->fp.fw_len = saved.fw_len;
    fake_port_clear_sent(&f->fp);
    int opened = f->fp.opened;
    assert_int_equal(tern_config_restore(&f->client), 1);
    assert_int_equal(f->fp.opened, opened); /* no connection to the file server */
    assert_int_equal(x->fw.state, TERN_FW_DOWNLOADED);
    assert_string_equal(x->fw.uri, "coap://10.0.0.5/fw.bin");
    assert_false(f->fp.fw_opened);
    assert_int_equal(f->fp.fw_len, n);
    /* the restored account registers; nothing is fetched */
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    f->conn = f->sent.conn;
    answer(f, TERN_COAP_CREATED, "rd/abc");
    for (int i = 0; i < 5; i++) {
        f->fp.now += 1000;
        fixture_step(f);
    }
    expect_nothing_sent(f);
    assert_int_equal(read_int(f, "/5/0/3"), TERN_FW_DOWNLOADED);
    assert_int_equal(f->fp.fw_len, n);
}

/* Block2 responses: a Discover bigger than the buffer, and negotiation. */
static void test_block2_responses(void **state)
{
    fw_fixture_t *x = *state;
    fixture_t *f = &x->f;
    for (uint16_t i = 1; i < TEST_MAX_INST; i++)
        assert_int_equal(tern_instance_add(&f->client, &f->obj.base, i), 0);
    fixture_step(f);
    fake_port_clear_sent(&f->fp);
    char whole[4096] = "";
    size_t got = 0;
    uint32_t size2 = 0;
    for (uint32_t num = 0;; num++) {
        req_opts_t o = { 0, -1, TERN_FORMAT_LINK, { NULL }, NULL, 0, false };
        if (num == 0) {
            request(f, TERN_COAP_GET, "/9000", &o); /* no Block2: the server picks */
        } else {
            uint8_t buf[64];
            tern_coap_writer_t w;
            tern_coap_writer_init(&w, buf, sizeof(buf));
            tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, f->next_mid++, NULL, 0);
            tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "9000");
            tern_coap_write_option_uint(&w, TERN_COAP_OPT_ACCEPT, TERN_FORMAT_LINK);
            /* ask in 1024-byte blocks: answered in ours, at the same offset */
            tern_coap_block_t b = { num * TERN_COAP_BLOCK_SIZE / 1024, 0, 6 };
            if ((num * TERN_COAP_BLOCK_SIZE) % 1024 != 0)
                b = (tern_coap_block_t){ num, 0, tern_coap_block_szx(TERN_COAP_BLOCK_SIZE) };
            tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &b);
            fake_port_push(&f->fp, 0, &f->server, buf, (size_t)tern_coap_writer_finish(&w));
            fixture_step(f);
            expect_sent(f);
        }
        expect_code(f, TERN_COAP_CONTENT);
        tern_coap_block_t b;
        assert_int_equal(tern_coap_get_block(&f->msg, TERN_COAP_OPT_BLOCK2, &b), 1);
        assert_int_equal(b.num, num);
        assert_int_equal(TERN_COAP_BLOCK_BYTES(b.szx), TERN_COAP_BLOCK_SIZE);
        assert_true(tern_coap_get_uint(&f->msg, TERN_COAP_OPT_SIZE2, &size2));
        memcpy(whole + got, f->msg.payload, f->msg.payload_len);
        got += f->msg.payload_len;
        if (!b.more)
            break;
    }
    assert_int_equal(got, size2);
    assert_true(got > 512);
    whole[got] = '\0';
    assert_memory_equal(whole, "</9000>,</9000/0>,</9000/0/0>", 29);
    assert_non_null(strstr(whole, "</9000/3>,</9000/3/0>"));
    /* a block past the end */
    uint8_t buf[64];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, TERN_COAP_GET, f->next_mid++, NULL, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "9000");
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_ACCEPT, TERN_FORMAT_LINK);
    tern_coap_block_t past = { 99, 0, 4 };
    tern_coap_write_block(&w, TERN_COAP_OPT_BLOCK2, &past);
    fake_port_push(&f->fp, 0, &f->server, buf, (size_t)tern_coap_writer_finish(&w));
    fixture_step(f);
    expect_sent(f);
    expect_code(f, TERN_COAP_BAD_OPTION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_push, setup),
        cmocka_unit_test_setup(test_push_errors, setup),
        cmocka_unit_test_setup(test_push_elsewhere, setup),
        cmocka_unit_test_setup(test_cancel_and_update, setup),
        cmocka_unit_test_setup(test_pull, setup),
        cmocka_unit_test_setup(test_pull_errors, setup),
        cmocka_unit_test_setup(test_state_across_restart, setup),
        cmocka_unit_test_setup(test_pull_across_restart, setup),
        cmocka_unit_test_setup(test_block2_responses, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
