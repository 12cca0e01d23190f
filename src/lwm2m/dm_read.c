/* Read and Discover (OMA LwM2M 1.0 TS 5.4.1, 5.4.2). */
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

int tern_dm_read(tern_request_t *req)
{
    uint16_t format;
    int rc = tern_read_format(req, &req->path, &format);
    return rc != 0 ? rc : tern_respond_content(req, &req->path, format, -1);
}

#if TERN_WITH_OBSERVE
/* Appends the attributes in *a to the current link. */
static void link_attrs(tern_link_writer_t *lw, const tern_attrs_t *a)
{
    if (a == NULL)
        return;
    if (a->set & TERN_ATTR_PMIN)
        tern_link_attr_uint(lw, "pmin", a->pmin_s);
    if (a->set & TERN_ATTR_PMAX)
        tern_link_attr_uint(lw, "pmax", a->pmax_s);
    if (a->set & TERN_ATTR_GT)
        tern_link_attr_float(lw, "gt", a->gt);
    if (a->set & TERN_ATTR_LT)
        tern_link_attr_float(lw, "lt", a->lt);
    if (a->set & TERN_ATTR_ST)
        tern_link_attr_float(lw, "st", a->st);
}
#endif

/* One link with the attributes attached at exactly that level. */
static void link_level(tern_request_t *req, tern_link_writer_t *lw, const tern_path_t *path)
{
    tern_link_path(lw, path);
#if TERN_WITH_OBSERVE
    link_attrs(lw, tern_attrs_find(req->client, req->server, path));
#else
    (void)req;
#endif
}

/* A resource link: dim for multiple resources, then its attributes. */
static void link_resource(tern_request_t *req, tern_link_writer_t *lw, tern_object_t *obj,
                          const tern_res_def_t *res, const tern_path_t *path, bool inherited)
{
    tern_link_path(lw, path);
    if (res->flags & TERN_RES_MULTIPLE) {
        uint32_t dim = 0;
        for (int id = tern_dm_next_res_instance(req->client, obj, path, TERN_ID_NONE); id >= 0;
             id = tern_dm_next_res_instance(req->client, obj, path, (uint16_t)id))
            dim++;
        tern_link_attr_uint(lw, "dim", dim);
    }
#if TERN_WITH_OBSERVE
    if (inherited) {
        /* TS 5.4.2: a Discover on a resource shows what applies to it,
         * inherited attributes included; Server defaults are not shown. */
        tern_attrs_t eff;
        tern_attrs_effective(req->client, req->server, path, &eff);
        link_attrs(lw, &eff);
    } else {
        link_attrs(lw, tern_attrs_find(req->client, req->server, path));
    }
#else
    (void)inherited;
#endif
}

/* An instance and every resource it has now. */
static void link_instance(tern_request_t *req, tern_link_writer_t *lw, tern_object_t *obj,
                          const tern_path_t *ip)
{
    link_level(req, lw, ip);
    tern_path_t rp = *ip;
    rp.len = 3;
    for (uint16_t i = 0; i < obj->def->n_resources; i++) {
        const tern_res_def_t *res = &obj->def->resources[i];
        rp.ids[2] = res->id;
        if (tern_dm_present(req->client, obj, res, &rp))
            link_resource(req, lw, obj, res, &rp, false);
    }
}

static int discover_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                        size_t *total, size_t *stored)
{
    tern_request_t *req = arg;
    tern_object_t *obj;
    const tern_res_def_t *res;
    tern_sink_t sink;
    tern_link_writer_t lw;
    (void)tern_dm_resolve(c, &req->path, &obj, &res); /* checked by the caller */
    tern_sink_init(&sink, buf, cap, skip);
    tern_link_init(&lw, &sink);
    tern_path_t p = req->path;
    if (p.len == 1) {
        link_level(req, &lw, &p);
        p.len = 2;
        for (uint16_t i = 0; i < obj->n_iids; i++) {
            p.ids[1] = obj->iids[i];
            link_instance(req, &lw, obj, &p);
        }
    } else if (p.len == 2) {
        link_instance(req, &lw, obj, &p);
    } else {
        link_resource(req, &lw, obj, res, &p, true);
    }
    if (sink.error != 0)
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    *total = sink.pos;
    *stored = tern_sink_stored(&sink);
    return 0;
}

int tern_dm_discover(tern_request_t *req)
{
    tern_client_t *c = req->client;
    tern_object_t *obj;
    const tern_res_def_t *res;
    int rc = tern_dm_resolve(c, &req->path, &obj, &res);
    if (rc != 0)
        return rc;
    if (req->path.len == 4)
        return -TERN_COAP_BAD_REQUEST; /* TS 5.4.2: no Discover on resource instances */
    if (res != NULL && !tern_dm_present(c, obj, res, &req->path))
        return -TERN_COAP_NOT_FOUND;
    tern_coap_writer_t w;
    tern_coap_respond_begin(&c->coap, req->ev, TERN_COAP_CONTENT, &w);
    rc = tern_payload_write(c, &w, TERN_FORMAT_LINK, req->msg, discover_gen, req);
    if (rc == 0 && tern_coap_respond_send(&c->coap, &w) != 0)
        rc = -TERN_COAP_INTERNAL_SERVER_ERROR;
    return rc;
}
