/*
 * Walking the data model into an encoder: what Read, Observe and Notify
 * put in their payloads (and, with dm_read.c's visitor, the links of a
 * Discover). The walk is deterministic, so re-running it with another
 * window yields the next block of the same payload.
 */
#include "lwm2m/lwm2m.h"

/* Below the path asked for, what is not readable is left out: instances
 * the server may not read (TS 7.3), write-only resources, absent
 * optional resources and resource instances. */
static int content_visit(tern_walk_t *w, bool leaving)
{
    const tern_content_walk_t *cw = (const tern_content_walk_t *)w;
    const tern_path_t *p = &w->path;
    bool below = p->len > w->base_len;
    if (p->len == TERN_PATH_OBJECT)
        return leaving; /* enter the object; it has no container to end */
    if (leaving) {
        tern_out_end(cw->out);
        return 1;
    }
    if (p->len == TERN_PATH_INSTANCE) {
        if (below && tern_access_check(w->c, cw->server, p->ids[0], p->ids[1], TERN_ACL_READ) != 0)
            return 1;
    } else if (!(w->res->flags & TERN_RES_R)) {
        return below ? 1 : -TERN_COAP_METHOD_NOT_ALLOWED;
    } else if (p->len == TERN_PATH_RES_INSTANCE || !(w->res->flags & TERN_RES_MULTIPLE)) {
        tern_value_t v;
        int rc = tern_dm_read_value(w->c, w->obj, w->res, p, &v);
        if (rc == 0)
            tern_out_value(cw->out, p, &v);
        return rc == -TERN_COAP_NOT_FOUND && below ? 1 : rc != 0 ? rc : 1;
    }
    tern_out_begin(cw->out, p);
    return 0;
}

int tern_content_encode(tern_client_t *c, int server, const tern_path_t *path, tern_out_t *out)
{
    tern_content_walk_t cw;
    cw.walk.c = c;
    cw.walk.visit = content_visit;
    cw.server = server;
    cw.out = out;
    return tern_dm_walk(&cw.walk, path);
}

int tern_content_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                     size_t *total, size_t *stored)
{
    tern_content_walk_t *cw = arg;
    tern_out_t out;
    bool links = cw->format == TERN_FORMAT_LINK;
    cw->walk.c = c;
    cw->walk.visit = links ? tern_discover_visit : content_visit;
    cw->out = &out;
    /* links are written to the sink of an encoder that writes nothing
     * itself (text: only the values it is given); values leave lw unused */
    int rc = tern_out_init(&out, links ? TERN_FORMAT_TEXT : cw->format, cw->path, buf, cap, skip);
    tern_link_init(&cw->lw, &out.sink);
    if (rc == 0)
        rc = tern_dm_walk(&cw->walk, cw->path);
    if (rc == 0)
        rc = tern_out_finish(&out); /* the bytes stored */
    *total = out.sink.pos;
    *stored = (size_t)rc;
    return rc < 0 ? rc : 0; /* codes past 255 are answered 5.00 */
}

int tern_content_write(tern_client_t *c, int server, const tern_path_t *path, uint16_t format,
                       tern_coap_writer_t *w, const tern_coap_msg_t *req)
{
    tern_content_walk_t cw;
    cw.server = server;
    cw.path = path;
    cw.format = format;
    return tern_payload_write(c, w, format, req, tern_content_gen, &cw);
}

int tern_respond_content(tern_request_t *req, const tern_path_t *path, uint16_t format,
                         int32_t observe_seq)
{
    tern_content_walk_t cw;
    cw.server = req->server;
    cw.path = path;
    cw.format = format;
    return tern_respond_payload(req, observe_seq, format, tern_content_gen, &cw);
}
