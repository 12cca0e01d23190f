/* Read and Discover (OMA LwM2M 1.0 TS 5.4.1, 5.4.2). */
#include <stddef.h>

#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

/* Whether the node at w has a value now: optional single resources may
 * be absent; multiple, write-only and executable ones are always there. */
static bool present(tern_walk_t *w)
{
    tern_value_t v;
    return w->path.len < 3 || (w->res->flags & (TERN_RES_MULTIPLE | TERN_RES_R)) != TERN_RES_R
           || tern_dm_read_value(w->c, w->obj, w->res, &w->path, &v) != -TERN_COAP_NOT_FOUND;
}

/* A link for each object, instance and present resource: dim for
 * multiple resources, then the attributes attached at exactly that
 * level; a Discover on a resource shows what applies to it, inherited
 * attributes included, Server defaults not (TS 5.4.2). */
int tern_discover_visit(tern_walk_t *w, bool leaving)
{
    tern_content_walk_t *dw = (tern_content_walk_t *)w;
    tern_path_t *p = &w->path;
    bool resource = p->len == TERN_PATH_RESOURCE;
    if (p->len == TERN_PATH_RES_INSTANCE) {
        if (w->base_len == TERN_PATH_RES_INSTANCE)
            return -TERN_COAP_BAD_REQUEST; /* TS 5.4.2: no Discover on resource instances */
        dw->dim++;
        return 1;
    }
    if (leaving) {
        if (!resource)
            return 1;
        tern_link_attr_uint(&dw->lw, "dim", dw->dim); /* its instances counted */
    } else {
        if (!present(w))
            return p->len == w->base_len ? -TERN_COAP_NOT_FOUND : 1;
        tern_link_path(&dw->lw, p);
        if (resource && (w->res->flags & TERN_RES_MULTIPLE)) {
            dw->dim = 0;
            return 0;
        }
    }
#if TERN_WITH_OBSERVE
    if (resource && p->len == w->base_len) {
        tern_attrs_t eff;
        tern_attrs_effective(w->c, dw->server, p, &eff);
        tern_attrs_link(&dw->lw, &eff);
    } else {
        tern_attrs_link(&dw->lw, tern_attrs_find(w->c, dw->server, p));
    }
#endif
    return resource;
}

/* The format a read answers in: Accept, else TLV/text by what the path
 * names. 0 or a negated CoAP code. */
static int read_format(const tern_request_t *req, uint16_t *format)
{
    const tern_path_t *path = &req->path;
    const tern_res_def_t *res = req->res;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    /* a single value (one resource that is not multiple, or an instance of
     * one) has its type, anything else none */
    int single =
        res != NULL && (path->len == 4 || !(res->flags & TERN_RES_MULTIPLE)) ? res->type : -1;
    uint16_t f = req->accept;
    if (f == TERN_FORMAT_NONE) {
        /* no Accept: the client chooses (TS 6.4); plain values stay readable */
        f = single < 0 ? (TERN_WITH_TLV ? TERN_FORMAT_LWM2M_TLV : TERN_FORMAT_TEXT)
            : single == TERN_TYPE_OPAQUE ? TERN_FORMAT_OPAQUE
                                         : TERN_FORMAT_TEXT;
    }
    *format = f;
    if ((TERN_WITH_TLV && f == TERN_FORMAT_LWM2M_TLV)
        || (single >= 0
            && (f == TERN_FORMAT_TEXT || (f == TERN_FORMAT_OPAQUE && single == TERN_TYPE_OPAQUE))))
        return 0;
    return -TERN_COAP_NOT_ACCEPTABLE;
}

/* GET: Discover, Observe, Cancel Observation, Read. A Bootstrap-Read
 * (server -1) is only a Read: bootstrap.c answers its Discover. Takes
 * what the path names from req->resolved and res. */
int tern_dm_read(tern_request_t *req)
{
    uint16_t format = TERN_FORMAT_LINK; /* a Discover */
    if (req->accept != TERN_FORMAT_LINK) {
#if TERN_WITH_OBSERVE
        uint32_t observe = 2; /* neither 0 (observe) nor 1 (cancel) */
        if (req->server >= 0)
            (void)tern_coap_get_uint(req->msg, TERN_COAP_OPT_OBSERVE, &observe);
        if (observe == 1)
            tern_observe_cancel(req->client, req->server, req->msg->token, req->msg->token_len,
                                &req->path);
#endif
        int rc = read_format(req, &format);
        if (rc != 0)
            return rc;
#if TERN_WITH_OBSERVE
        if (observe == 0)
            return tern_observe_start(req, format);
#endif
    }
    return tern_respond_content(req, &req->path, format, -1);
}
