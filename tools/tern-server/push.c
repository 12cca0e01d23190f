/* push-firmware EP FILE [BLOCK_SIZE]: FILE to /5/0/0 as a block-wise
 * Write (RFC 7959 Block1, Content-Format 42, Size1), one confirmable PUT
 * per block, each sent when the previous one was answered.
 *
 *   2.31 Continue, Block1 NUM, SZX    next block; a smaller SZX than ours
 *                                     means the client took only that much
 *                                     (2.3): continue in its size
 *   4.13, Block1 with a smaller SZX   the block was too large for the
 *                                     client's buffer (2.9.3): send it
 *                                     again in the size it names
 *   2.04 (or 2.01) after the last     done; anything else fails
 *
 * libcoap 4.3.1's own Block1 support (coap_add_data_large_request) does
 * not retry after such a 4.13, so the blocks are built here. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_impl.h"
#include "json.h"
#include "out.h"

struct push_state {
    uint8_t *data;
    size_t len;
    char *file;
    size_t offset;   /* bytes the client has taken */
    size_t sent_len; /* payload of the block in flight */
    unsigned szx;    /* block size 2^(szx+4) */
    unsigned first_szx;
    unsigned blocks;  /* requests answered */
    unsigned resizes; /* block size changes the client asked for */
    int last_tenth;   /* progress printed, in tenths */
    int64_t started;  /* now_ms() */
    srv_client_t *client;
};

void push_free(struct push_state *p)
{
    if (p == NULL)
        return;
    free(p->data);
    free(p->file);
    free(p);
}

static size_t block_bytes(unsigned szx)
{
    return (size_t)1 << (szx + 4);
}

/* 16..1024 and a power of two -> SZX, or -1. */
static int szx_of(long size)
{
    for (int szx = 0; szx <= 6; szx++)
        if (size == (long)block_bytes((unsigned)szx))
            return szx;
    return -1;
}

static void emit(strbuf_t *b)
{
    fwrite(b->s, 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    sb_free(b);
}

static void out_progress(srv_t *srv, const srv_cmd_t *cmd, const struct push_state *p)
{
    strbuf_t b;
    json_obj_t o;
    int percent = p->len > 0 ? (int)(p->offset * 100 / p->len) : 100;
    sb_init(&b);
    if (srv->out.json) {
        json_begin(&o, &b);
        json_kv_str(&o, "event", "push-progress");
        json_kv_str(&o, "ep", cmd->argv[0].text);
        json_kv_str(&o, "path", "/5/0/0");
        json_kv_int(&o, "bytes", (long long)p->offset);
        json_kv_int(&o, "total", (long long)p->len);
        json_kv_int(&o, "percent", percent);
        json_kv_int(&o, "block_size", (long long)block_bytes(p->szx));
        json_end(&o);
    } else {
        sb_printf(&b, "push-firmware %s: %zu of %zu bytes (%d%%), blocks of %zu", cmd->argv[0].text,
                  p->offset, p->len, percent, block_bytes(p->szx));
    }
    emit(&b);
}

static void out_resize(srv_t *srv, const srv_cmd_t *cmd, const struct push_state *p,
                       unsigned new_szx, int code)
{
    strbuf_t b;
    json_obj_t o;
    char cbuf[8];
    code_format(code, cbuf);
    sb_init(&b);
    if (srv->out.json) {
        json_begin(&o, &b);
        json_kv_str(&o, "event", "push-block-size");
        json_kv_str(&o, "ep", cmd->argv[0].text);
        json_kv_int(&o, "from", (long long)block_bytes(p->szx));
        json_kv_int(&o, "to", (long long)block_bytes(new_szx));
        json_kv_str(&o, "code", cbuf);
        json_kv_int(&o, "offset", (long long)p->offset);
        json_end(&o);
    } else {
        sb_printf(&b,
                  "push-firmware %s: the client takes blocks of %zu, not %zu (%s), from byte %zu",
                  cmd->argv[0].text, block_bytes(new_szx), block_bytes(p->szx), cbuf, p->offset);
    }
    emit(&b);
}

/* The final event: "response" with op push-firmware, like other operations. */
static void out_done(srv_t *srv, const srv_cmd_t *cmd, const struct push_state *p,
                     const srv_request_t *r)
{
    strbuf_t b;
    json_obj_t o;
    char cbuf[8];
    int64_t ms = now_ms() - p->started;
    double kbps = ms > 0 ? (double)p->offset / 1024.0 / ((double)ms / 1000.0) : 0;
    bool answered = r != NULL && r->state == REQ_DONE;
    if (answered)
        code_format(r->code, cbuf);
    sb_init(&b);
    if (srv->out.json) {
        json_begin(&o, &b);
        json_kv_str(&o, "event", "response");
        json_kv_str(&o, "op", "push-firmware");
        json_kv_str(&o, "ep", cmd->argv[0].text);
        json_kv_str(&o, "path", "/5/0/0");
        json_kv_str(&o, "code", answered ? cbuf : NULL);
        if (!answered) {
            json_kv_str(&o, "error", r != NULL ? r->error : "not sent");
            json_kv_bool(&o, "timeout", r != NULL && r->timed_out);
        }
        json_kv_str(&o, "file", p->file);
        json_kv_int(&o, "bytes", (long long)p->offset);
        json_kv_int(&o, "total", (long long)p->len);
        json_kv_int(&o, "blocks", p->blocks);
        json_kv_int(&o, "block_size", (long long)block_bytes(p->szx));
        json_kv_int(&o, "first_block_size", (long long)block_bytes(p->first_szx));
        json_kv_int(&o, "ms", (long long)ms);
        json_kv_int(&o, "kbytes_per_s", (long long)(kbps + 0.5));
        json_end(&o);
    } else {
        sb_printf(&b,
                  "push-firmware %s /5/0/0: %s %s, %zu of %zu bytes in %u blocks of %zu, %.2f s",
                  cmd->argv[0].text, answered ? cbuf : "failed",
                  answered ? code_phrase(r->code) : (r != NULL ? r->error : "not sent"), p->offset,
                  p->len, p->blocks, block_bytes(p->szx), (double)ms / 1000.0);
        if (ms > 0)
            sb_printf(&b, " (%.0f KB/s)", kbps);
    }
    emit(&b);
}

static bool read_file(const char *name, uint8_t **data, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(name, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open '%s': %s", name, strerror(errno));
        return false;
    }
    strbuf_t b;
    sb_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sb_append(&b, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        snprintf(err, errlen, "cannot read '%s'", name);
        sb_free(&b);
        return false;
    }
    *len = b.len;
    *data = (uint8_t *)sb_take(&b);
    return true;
}

/* Sends the block that starts at p->offset in the current size. */
static cmd_status_t send_block(srv_t *srv, srv_cmd_t *cmd, struct push_state *p)
{
    char err[160];
    size_t size = block_bytes(p->szx);
    size_t num = p->offset / size;
    size_t n = p->len - p->offset < size ? p->len - p->offset : size;
    bool more = p->offset + n < p->len;
    srv_req_spec_t s;
    memset(&s, 0, sizeof(s));
    s.op = "push-firmware";
    s.method = COAP_REQUEST_CODE_PUT;
    s.path = cmd->path;
    s.observe = -1;
    s.accept = CF_NONE;
    s.content_format = 42; /* application/octet-stream */
    s.payload = p->data + p->offset;
    s.len = n;
    s.block1_set = true;
    s.block1 = (uint32_t)(num << 4 | (more ? 8u : 0u) | p->szx);
    s.size1 = (uint32_t)p->len;
    if (p->len == 0) {
        /* an empty package: a plain Write (it cancels an update) */
        s.payload = NULL;
        s.block1_set = false;
    }
    p->sent_len = n;
    cmd->req = ops_send(srv, p->client, &s, cmd_timeout(srv, cmd), err, sizeof(err));
    if (cmd->req == NULL) {
        out_done(srv, cmd, p, NULL);
        return cmd_fail(srv, cmd, "%s", err);
    }
    return CMD_PENDING;
}

cmd_status_t cmd_start_push_firmware(srv_t *srv, srv_cmd_t *cmd)
{
    char err[300];
    long size = srv->opt.block_size;
    if (cmd->argc > 2) {
        char *end;
        size = strtol(cmd->argv[2].text, &end, 10);
        if (*end != '\0' || szx_of(size) < 0)
            return cmd_fail(srv, cmd, "bad block size '%s': 16, 32, 64, 128, 256, 512 or 1024",
                            cmd->argv[2].text);
    }
    srv_client_t *c = cmd_need_client(srv, cmd, cmd->argv[0].text);
    if (c == NULL)
        return CMD_FAIL;
    struct push_state *p = xcalloc(1, sizeof(*p));
    cmd->push = p;
    if (!read_file(cmd->argv[1].text, &p->data, &p->len, err, sizeof(err)))
        return cmd_fail(srv, cmd, "%s", err);
    p->file = xstrdup(cmd->argv[1].text);
    p->client = c;
    p->szx = p->first_szx = (unsigned)szx_of(size);
    p->started = now_ms();
    p->last_tenth = 0;
    (void)path_parse("/5/0/0", false, &cmd->path);
    return send_block(srv, cmd, p);
}

static bool code_matches(const char *pattern, int code)
{
    char buf[8];
    code_format(code, buf);
    if (strcmp(pattern + 2, "xx") == 0)
        return pattern[0] == buf[0];
    return strcmp(pattern, buf) == 0;
}

/* The transfer ended with request r (NULL: not sent): checks the
 * expectation (default 2.xx). */
static cmd_status_t finish(srv_t *srv, srv_cmd_t *cmd, struct push_state *p, srv_request_t *r)
{
    char cbuf[8];
    out_done(srv, cmd, p, r);
    bool want_timeout = cmd->expect != NULL && strcmp(cmd->expect, "timeout") == 0;
    cmd_status_t st = CMD_OK;
    if (r->state != REQ_DONE) {
        if (!(want_timeout && r->timed_out))
            st = cmd_fail(srv, cmd, "%s after %zu bytes", r->error, p->offset);
    } else {
        code_format(r->code, cbuf);
        if (want_timeout)
            st = cmd_fail(srv, cmd, "expected a timeout, got %s", cbuf);
        else if (cmd->expect != NULL && !code_matches(cmd->expect, r->code))
            st = cmd_fail(srv, cmd, "expected %s, got %s %s after %zu bytes", cmd->expect, cbuf,
                          code_phrase(r->code), p->offset);
        else if (cmd->expect == NULL && r->code >> 5 != 2)
            st = cmd_fail(srv, cmd, "got %s %s after %zu bytes", cbuf, code_phrase(r->code),
                          p->offset);
    }
    ops_request_free(srv, r);
    cmd->req = NULL;
    return st;
}

static void progress(srv_t *srv, srv_cmd_t *cmd, struct push_state *p)
{
    int tenth = p->len > 0 ? (int)(p->offset * 10 / p->len) : 10;
    if (tenth != p->last_tenth) {
        p->last_tenth = tenth;
        out_progress(srv, cmd, p);
    }
}

cmd_status_t cmd_poll_push_firmware(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    struct push_state *p = cmd->push;
    srv_request_t *r = cmd->req;
    (void)now;
    if (r->state == REQ_PENDING)
        return CMD_PENDING;
    if (r->state != REQ_DONE)
        return finish(srv, cmd, p, r);
    size_t size = block_bytes(p->szx);
    size_t num = p->offset / size;
    bool last = p->offset + p->sent_len >= p->len;
    int code = r->code;
    unsigned rszx = r->block1 >= 0 ? (unsigned)(r->block1 & 7) : p->szx;
    size_t rnum = r->block1 >= 0 ? (size_t)r->block1 >> 4 : num;
    p->blocks++;
    if (code == COAP_RESPONSE_CODE(413) && r->block1 >= 0 && rszx < p->szx && rszx < 7) {
        /* the client's buffer holds smaller blocks: this one again, smaller */
        out_resize(srv, cmd, p, rszx, code);
        p->szx = rszx;
        p->resizes++;
        ops_request_free(srv, r);
        cmd->req = NULL;
        return send_block(srv, cmd, p);
    }
    if (code == COAP_RESPONSE_CODE(231) && !last) {
        size_t taken = p->sent_len;
        if (rszx < p->szx) {
            /* it took only the first 2^(rszx+4) bytes of the block (2.3) */
            out_resize(srv, cmd, p, rszx, code);
            taken = block_bytes(rszx);
            p->szx = rszx;
            p->resizes++;
        } else if (rnum != num) {
            ops_request_free(srv, r);
            cmd->req = NULL;
            return cmd_fail(srv, cmd, "2.31 for block %zu, sent block %zu", rnum, num);
        }
        p->offset += taken;
        progress(srv, cmd, p);
        ops_request_free(srv, r);
        cmd->req = NULL;
        return send_block(srv, cmd, p);
    }
    if (code >> 5 == 2 && code != COAP_RESPONSE_CODE(231)) {
        if (!last) {
            ops_request_free(srv, r);
            cmd->req = NULL;
            return cmd_fail(srv, cmd, "the client answered block %zu with %d.%02d before the end",
                            num, code >> 5, code & 31);
        }
        p->offset += p->sent_len;
        progress(srv, cmd, p);
    }
    return finish(srv, cmd, p, r);
}
