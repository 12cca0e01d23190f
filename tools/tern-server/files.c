/* --files DIR: the files in DIR served to CoAP GET (coap:// or, with the
 * DTLS options, coaps://), e.g. firmware packages a device pulls from its
 * Package URI. The Uri-Path names the file (coap://HOST:PORT/fw.pkg, or
 * sub/fw.pkg for DIR/sub/fw.pkg; "." and ".." segments are refused).
 *
 * Each GET gets one block (RFC 7959 Block2, built here rather than by
 * libcoap so that the size is ours to choose and every block is seen):
 * the block the request's Block2 asks for, in its size or --block-size
 * when that is smaller (the client then continues in our size, 2.4), with
 * Size2 and Content-Format 42. A GET without Block2 gets block 0 in
 * --block-size. Progress is printed per transfer (peer and file): the
 * first block, every 10%, and the last block.
 */
#define _GNU_SOURCE
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "out.h"

/* A transfer in progress: one peer fetching one file. */
typedef struct transfer {
    struct transfer *next;
    char peer[64];
    char *file;
    size_t size;
    size_t served; /* end of the furthest block sent */
    unsigned blocks;
    unsigned szx;
    int last_tenth;
    int64_t started;
} transfer_t;

struct srv_files {
    transfer_t *transfers;
};

static size_t block_bytes(unsigned szx)
{
    return (size_t)1 << (szx + 4);
}

static void emit(strbuf_t *b)
{
    fwrite(b->s, 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    sb_free(b);
}

/* event: file-start, file-progress, file-served */
static void out_transfer(srv_t *srv, const char *event, const transfer_t *t)
{
    strbuf_t b;
    json_obj_t o;
    int percent = t->size > 0 ? (int)(t->served * 100 / t->size) : 100;
    int64_t ms = now_ms() - t->started;
    sb_init(&b);
    if (srv->out.json) {
        json_begin(&o, &b);
        json_kv_str(&o, "event", event);
        json_kv_str(&o, "file", t->file);
        json_kv_str(&o, "peer", t->peer);
        json_kv_int(&o, "bytes", (long long)t->served);
        json_kv_int(&o, "total", (long long)t->size);
        json_kv_int(&o, "percent", percent);
        json_kv_int(&o, "block_size", (long long)block_bytes(t->szx));
        if (strcmp(event, "file-served") == 0) {
            json_kv_int(&o, "blocks", t->blocks);
            json_kv_int(&o, "ms", (long long)ms);
        }
        json_end(&o);
    } else if (strcmp(event, "file-start") == 0) {
        sb_printf(&b, "file %s to %s: %zu bytes in blocks of %zu", t->file, t->peer, t->size,
                  block_bytes(t->szx));
    } else {
        sb_printf(&b, "file %s to %s: %zu of %zu bytes (%d%%), blocks of %zu", t->file, t->peer,
                  t->served, t->size, percent, block_bytes(t->szx));
        if (strcmp(event, "file-served") == 0)
            sb_printf(&b, ", done: %u blocks in %.2f s", t->blocks, (double)ms / 1000.0);
    }
    emit(&b);
}

static void transfer_free(srv_t *srv, transfer_t *t)
{
    for (transfer_t **p = &srv->files->transfers; *p != NULL; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    free(t->file);
    free(t);
}

static transfer_t *transfer_find(srv_t *srv, const char *peer, const char *file)
{
    for (transfer_t *t = srv->files->transfers; t != NULL; t = t->next)
        if (strcmp(t->peer, peer) == 0 && strcmp(t->file, file) == 0)
            return t;
    return NULL;
}

/* The Uri-Path as a relative file name, or NULL when it is empty or
 * climbs out of the directory (caller frees). */
static char *file_name(const coap_pdu_t *req)
{
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    strbuf_t b;
    sb_init(&b);
    coap_option_iterator_init(req, &it, COAP_OPT_ALL);
    while ((opt = coap_option_next(&it)) != NULL) {
        if (it.number != COAP_OPTION_URI_PATH)
            continue;
        const char *seg = (const char *)coap_opt_value(opt);
        size_t n = coap_opt_length(opt);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')
            || memchr(seg, '/', n) != NULL || memchr(seg, '\0', n) != NULL) {
            sb_free(&b);
            return NULL;
        }
        if (b.len > 0)
            sb_putc(&b, '/');
        sb_append(&b, seg, n);
    }
    if (b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static void peer_name(coap_session_t *s, char *buf, size_t cap)
{
    const coap_address_t *a = coap_session_get_addr_remote(s);
    buf[0] = '\0';
    if (a == NULL || coap_print_addr(a, (unsigned char *)buf, cap) == 0)
        snprintf(buf, cap, "?");
}

static void add_uint_option(coap_pdu_t *pdu, coap_option_num_t num, unsigned value)
{
    uint8_t buf[4];
    coap_add_option(pdu, num, coap_encode_var_safe(buf, sizeof(buf), value), buf);
}

static void hnd_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp)
{
    srv_t *srv = srv_from_session(s);
    (void)r;
    (void)query;
    char *name = file_name(req);
    char path[4096];
    struct stat st;
    int fd = -1;
    if (name != NULL) {
        snprintf(path, sizeof(path), "%s/%s", srv->opt.files_dir, name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        free(name);
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE_NOT_FOUND);
        return;
    }
    unsigned cap_szx = 0;
    while (block_bytes(cap_szx + 1) <= (size_t)srv->opt.block_size && cap_szx < 6)
        cap_szx++;
    coap_block_b_t block;
    unsigned req_szx = cap_szx;
    size_t num = 0;
    if (coap_get_block_b(s, req, COAP_OPTION_BLOCK2, &block)) {
        req_szx = block.szx;
        num = block.num;
    }
    unsigned szx = req_szx < cap_szx ? req_szx : cap_szx;
    size_t size = (size_t)st.st_size;
    size_t offset = num * block_bytes(req_szx);
    if (offset > size || (offset == size && size > 0)) {
        close(fd);
        free(name);
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE_BAD_OPTION); /* beyond the end */
        return;
    }
    size_t n = size - offset < block_bytes(szx) ? size - offset : block_bytes(szx);
    uint8_t *data = xmalloc(n > 0 ? n : 1);
    ssize_t got = pread(fd, data, n, (off_t)offset);
    close(fd);
    if (got != (ssize_t)n) {
        free(data);
        free(name);
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE_INTERNAL_ERROR);
        return;
    }
    bool more = offset + n < size;
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CONTENT);
    add_uint_option(resp, COAP_OPTION_CONTENT_FORMAT, 42);
    add_uint_option(resp, COAP_OPTION_BLOCK2,
                    (unsigned)((offset / block_bytes(szx)) << 4 | (more ? 8u : 0u) | szx));
    add_uint_option(resp, COAP_OPTION_SIZE2, (unsigned)size);
    coap_add_data(resp, n, data);
    free(data);

    /* progress */
    char peer[64];
    peer_name(s, peer, sizeof(peer));
    transfer_t *t = transfer_find(srv, peer, name);
    if (offset == 0) {
        if (t != NULL)
            transfer_free(srv, t);
        t = xcalloc(1, sizeof(*t));
        snprintf(t->peer, sizeof(t->peer), "%s", peer);
        t->file = xstrdup(name);
        t->started = now_ms();
        t->next = srv->files->transfers;
        srv->files->transfers = t;
        t->size = size;
        t->szx = szx;
        out_transfer(srv, "file-start", t);
    }
    free(name);
    if (t == NULL)
        return; /* a block out of a transfer we did not see start */
    t->size = size;
    t->blocks++;
    t->szx = szx;
    if (offset + n > t->served)
        t->served = offset + n;
    int tenth = size > 0 ? (int)(t->served * 10 / size) : 10;
    if (!more) {
        out_transfer(srv, "file-served", t);
        transfer_free(srv, t);
    } else if (tenth != t->last_tenth) {
        t->last_tenth = tenth;
        out_transfer(srv, "file-progress", t);
    }
}

bool files_init(srv_t *srv)
{
    struct stat st;
    if (srv->opt.files_dir == NULL)
        return true;
    if (stat(srv->opt.files_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "tern-server: --files %s: not a directory\n", srv->opt.files_dir);
        return false;
    }
    srv->files = xcalloc(1, sizeof(*srv->files));
    coap_register_handler(srv->unknown, COAP_REQUEST_GET, hnd_get);
    return true;
}

void files_free(srv_t *srv)
{
    if (srv->files == NULL)
        return;
    while (srv->files->transfers != NULL)
        transfer_free(srv, srv->files->transfers);
    free(srv->files);
    srv->files = NULL;
}
