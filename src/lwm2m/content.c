/*
 * Walking the data model into an encoder: what Read, Observe and Notify
 * put in their payloads. The walk is deterministic, so re-running it
 * with another window yields the next block of the same payload.
 */
#include "lwm2m/lwm2m.h"

static int encode_value(tern_client_t *c, tern_object_t *obj, const tern_res_def_t *res,
                        const tern_path_t *path, tern_out_t *out)
{
    tern_value_t v;
    int rc = tern_dm_read_value(c, obj, res, path, &v);
    if (rc == 0)
        tern_out_value(out, path, &v);
    return rc;
}

/* A resource (path len 3): its value, or its instances in a container;
 * a resource instance (path len 4): its value. */
static int encode_resource(tern_client_t *c, tern_object_t *obj, const tern_res_def_t *res,
                           const tern_path_t *path, tern_out_t *out)
{
    if (!(res->flags & TERN_RES_R))
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (!(res->flags & TERN_RES_MULTIPLE) || path->len == TERN_PATH_RES_INSTANCE)
        return encode_value(c, obj, res, path, out);
    tern_path_t ri = *path;
    ri.len = 4;
    tern_out_begin(out, path);
    for (int id = tern_dm_next_res_instance(c, obj, path, TERN_ID_NONE); id >= 0;
         id = tern_dm_next_res_instance(c, obj, path, (uint16_t)id)) {
        ri.ids[3] = (uint16_t)id;
        int rc = encode_value(c, obj, res, &ri, out);
        if (rc != 0 && rc != -TERN_COAP_NOT_FOUND)
            return rc;
    }
    tern_out_end(out);
    return 0;
}

/* An instance (path len 2): every readable resource it has. */
static int encode_instance(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                           tern_out_t *out)
{
    tern_path_t rp = *path;
    rp.len = 3;
    tern_out_begin(out, path);
    for (uint16_t i = 0; i < obj->def->n_resources; i++) {
        const tern_res_def_t *res = &obj->def->resources[i];
        if (!(res->flags & TERN_RES_R))
            continue;
        rp.ids[2] = res->id;
        int rc = encode_resource(c, obj, res, &rp, out);
        if (rc != 0 && rc != -TERN_COAP_NOT_FOUND)
            return rc; /* absent optional resources are skipped */
    }
    tern_out_end(out);
    return 0;
}

int tern_content_encode(tern_client_t *c, int server, const tern_path_t *path, tern_out_t *out)
{
    tern_object_t *obj;
    const tern_res_def_t *res;
    int rc = tern_dm_resolve(c, path, &obj, &res);
    if (rc != 0 || path->len == 0)
        return rc != 0 ? rc : -TERN_COAP_METHOD_NOT_ALLOWED;
    switch (path->len) {
    case TERN_PATH_OBJECT: {
        tern_path_t ip = *path;
        ip.len = 2;
        for (uint16_t i = 0; i < obj->n_iids && rc == 0; i++) {
            ip.ids[1] = obj->iids[i];
            /* TS 7.3: an object read shows only the instances the server may read */
            if (tern_access_check(c, server, ip.ids[0], ip.ids[1], TERN_ACL_READ) == 0)
                rc = encode_instance(c, obj, &ip, out);
        }
        return rc;
    }
    case TERN_PATH_INSTANCE:
        return encode_instance(c, obj, path, out);
    default:
        return encode_resource(c, obj, res, path, out);
    }
}

typedef struct content_arg {
    int server;
    const tern_path_t *path;
    uint16_t format;
} content_arg_t;

static int content_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                       size_t *total, size_t *stored)
{
    const content_arg_t *a = arg;
    tern_out_t out;
    int rc = tern_out_init(&out, a->format, a->path, buf, cap, skip);
    if (rc == 0)
        rc = tern_content_encode(c, a->server, a->path, &out);
    if (rc != 0)
        return rc;
    int n = tern_out_finish(&out);
    if (n < 0)
        return n >= -255 ? n : -TERN_COAP_INTERNAL_SERVER_ERROR;
    *total = out.sink.pos;
    *stored = (size_t)n;
    return 0;
}

int tern_content_write(tern_client_t *c, int server, const tern_path_t *path, uint16_t format,
                       tern_coap_writer_t *w, const tern_coap_msg_t *req)
{
    content_arg_t arg = { server, path, format };
    return tern_payload_write(c, w, format, req, content_gen, &arg);
}

int tern_respond_content(tern_request_t *req, const tern_path_t *path, uint16_t format,
                         int32_t observe_seq)
{
    tern_coap_writer_t w;
    tern_coap_respond_begin(&req->client->coap, req->ev, TERN_COAP_CONTENT, &w);
    if (observe_seq >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, (uint32_t)observe_seq);
    int rc = tern_content_write(req->client, req->server, path, format, &w, req->msg);
    if (rc == 0 && tern_coap_respond_send(&req->client->coap, &w) != 0)
        rc = -TERN_COAP_INTERNAL_SERVER_ERROR;
    return rc;
}
