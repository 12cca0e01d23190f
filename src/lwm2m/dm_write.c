/*
 * Write (replace and partial update) and Create (OMA LwM2M 1.0 TS 5.4.3,
 * 5.4.5). A payload is decoded twice: first every entry is checked (path,
 * permission, type), then, only when all are fine, written; so a bad
 * entry never leaves half a write behind.
 */
#include "core/log.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

/* Checks one decoded entry against the object; returns its definition. */
static int check_entry(tern_object_t *obj, tern_in_t *in, const tern_path_t *p, uint16_t iid,
                       bool creating, const tern_res_def_t **res)
{
    if (p->len < 3 || p->ids[0] != obj->def->oid || p->ids[1] != iid)
        return -TERN_COAP_BAD_REQUEST;
    *res = tern_dm_resource(obj->def, p->ids[2]);
    if (*res == NULL)
        return -TERN_COAP_NOT_FOUND;
    uint8_t flags = (*res)->flags;
    if ((flags & TERN_RES_E) || (!(flags & TERN_RES_W) && !creating))
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    bool multiple = (flags & TERN_RES_MULTIPLE) != 0;
    if (in->multiple ? !multiple : (p->len == 4) != multiple)
        return -TERN_COAP_BAD_REQUEST;
    return 0;
}

/* One pass over the payload: check only, or write. */
static int write_pass(tern_client_t *c, tern_object_t *obj, tern_in_t *in, uint16_t iid,
                      bool creating, bool apply)
{
    tern_path_t p;
    int rc;
    while ((rc = tern_in_next(in, &p)) == 1) {
        const tern_res_def_t *res;
        if (p.len >= 2 && p.ids[1] == TERN_ID_NONE)
            p.ids[1] = iid; /* Create without an instance id in the payload */
        if (p.len == 2) {
            /* an object-instance TLV: only the one instance being written */
            if (p.ids[1] != iid)
                return -TERN_COAP_BAD_REQUEST;
            continue;
        }
        rc = check_entry(obj, in, &p, iid, creating, &res);
        if (rc != 0)
            return rc;
        if (in->multiple) {
            /* a multiple resource in the payload replaces all its instances */
            p.len = 3;
            if (apply && obj->def->ops->clear != NULL && (rc = obj->def->ops->clear(c, obj, &p)))
                return rc;
            continue;
        }
        tern_value_t v;
        rc = tern_in_value(in, (tern_type_t)res->type, &v);
        if (rc != 0)
            return rc;
        if (!apply && obj->def->ops->check != NULL && (rc = obj->def->ops->check(c, obj, &p, &v)))
            return rc;
        if (apply) {
            if (obj->def->ops->write == NULL)
                return -TERN_COAP_METHOD_NOT_ALLOWED;
            rc = obj->def->ops->write(c, obj, &p, &v);
            if (rc != 0)
                return rc;
#if TERN_WITH_OBSERVE
            tern_observe_changed(c, &p);
#endif
        }
    }
    return rc;
}

int tern_dm_write_entries(tern_client_t *c, tern_object_t *obj, tern_in_t *in, uint16_t iid,
                          bool replace, bool creating)
{
    tern_in_t again = *in;
    int rc = write_pass(c, obj, in, iid, creating, false);
    if (rc != 0)
        return rc;
    if (replace && in->base.len == 2 && obj->def->ops->clear != NULL) {
        tern_path_t ip = tern_path(2, obj->def->oid, iid, 0, 0);
        if ((rc = obj->def->ops->clear(c, obj, &ip)) != 0)
            return rc;
    }
    return write_pass(c, obj, &again, iid, creating, true);
}

/* The payload's format: Content-Format, plain text when absent. */
static uint16_t payload_format(const tern_request_t *req)
{
    return req->format == TERN_FORMAT_NONE ? TERN_FORMAT_TEXT : req->format;
}

int tern_dm_write(tern_request_t *req, bool replace)
{
    tern_client_t *c = req->client;
    tern_object_t *obj;
    const tern_res_def_t *res;
    int rc = tern_dm_resolve(c, &req->path, &obj, &res);
    if (rc != 0)
        return rc;
    if (res != NULL && (!(res->flags & TERN_RES_W) || (res->flags & TERN_RES_E)))
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (obj->def->ops->write == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    tern_in_t in;
    rc = tern_in_init(&in, payload_format(req), &req->path, req->msg->payload,
                      req->msg->payload_len);
    /* base64 text for an Opaque resource decodes into the response buffer,
     * which is free until the response is built */
    in.scratch = c->coap.resp_buf;
    in.scratch_cap = sizeof(c->coap.resp_buf);
    if (rc == 0)
        rc = tern_dm_write_entries(c, obj, &in, req->path.ids[1], replace, false);
    if (rc != 0) {
        TERN_LOG_W(c->port, "lwm2m: write to /%u/%u rejected (%d)", req->path.ids[0],
                   req->path.ids[1], rc);
        return rc;
    }
    tern_respond_code(req, TERN_COAP_CHANGED);
    return 0;
}

/* The instance id a Create asks for: in the payload, or the lowest free one. */
static int create_iid(tern_object_t *obj, const tern_in_t *payload, uint16_t *iid)
{
    tern_in_t in = *payload;
    tern_path_t p;
    int rc = tern_in_next(&in, &p);
    if (rc < 0)
        return rc;
    *iid = rc == 1 && p.len >= 2 && p.ids[1] != TERN_ID_NONE ? p.ids[1] : tern_dm_free_iid(obj);
    if (*iid == TERN_ID_NONE || tern_dm_instance_index(obj, *iid) >= 0)
        return -TERN_COAP_BAD_REQUEST; /* TS 5.4.5: the instance already exists */
    return 0;
}

int tern_dm_create(tern_request_t *req)
{
    tern_client_t *c = req->client;
    tern_object_t *obj = tern_dm_object(c, req->path.ids[0]);
    if (obj == NULL)
        return -TERN_COAP_NOT_FOUND;
    if (obj->def->ops->create == NULL || obj->def->ops->remove == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    tern_in_t in;
    uint16_t iid;
    int rc = tern_in_init(&in, payload_format(req), &req->path, req->msg->payload,
                          req->msg->payload_len);
    if (rc == 0)
        rc = create_iid(obj, &in, &iid);
    if (rc != 0)
        return rc;
    {
        /* check the payload before anything is created (a block of its
         * own: the copy shares its stack slot with the others below) */
        tern_in_t check = in;
        if ((rc = write_pass(c, obj, &check, iid, true, false)) != 0)
            return rc;
    }
    if (obj->n_iids >= obj->max_iids || (!obj->def->multiple && obj->n_iids > 0)) {
        TERN_LOG_W(c->port, "lwm2m: no room for another instance of object %u", obj->def->oid);
        return -TERN_COAP_BAD_REQUEST;
    }
    if ((rc = obj->def->ops->create(c, obj, iid)) != 0)
        return rc;
    (void)tern_dm_iid_insert(obj, iid);
    rc = write_pass(c, obj, &in, iid, true, true);
    if (rc != 0) {
        (void)obj->def->ops->remove(c, obj, iid);
        (void)tern_dm_iid_delete(obj, iid);
        return rc;
    }
    {
        tern_coap_writer_t w;
        char oid_text[TERN_INT_TEXT_MAX];
        char iid_text[TERN_INT_TEXT_MAX];
        tern_coap_respond_begin(&c->coap, req->ev, TERN_COAP_CREATED, &w);
        tern_coap_write_option(&w, TERN_COAP_OPT_LOCATION_PATH, oid_text,
                               tern_uint_to_text(obj->def->oid, oid_text));
        tern_coap_write_option(&w, TERN_COAP_OPT_LOCATION_PATH, iid_text,
                               tern_uint_to_text(iid, iid_text));
        (void)tern_coap_respond_send(&c->coap, &w);
    }
    tern_access_created(c, req->server, obj->def->oid, iid);
    tern_reg_changed(c, TERN_UPD_OBJECTS);
#if TERN_WITH_OBSERVE
    tern_observe_changed(c, &req->path);
#endif
    return 0;
}

/* What the Bootstrap-Server writes and a stored configuration restores:
 * instances are named and created when absent, read-only resources too. */
static int ensure_instance(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    if (tern_dm_instance_index(obj, iid) >= 0)
        return 0;
    if (obj->def->ops->create == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (obj->n_iids >= obj->max_iids || (!obj->def->multiple && obj->n_iids > 0))
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    int rc = obj->def->ops->create(c, obj, iid);
    if (rc == 0)
        rc = tern_dm_iid_insert(obj, iid);
    return rc;
}

int tern_dm_write_instances(tern_client_t *c, tern_object_t *obj, tern_in_t *payload)
{
    /* first check every entry, then create and write */
    for (int apply = 0; apply < 2; apply++) {
        tern_in_t in = *payload;
        tern_path_t p;
        int rc;
        while ((rc = tern_in_next(&in, &p)) == 1) {
            if (p.len < 2 || p.ids[1] == TERN_ID_NONE)
                return -TERN_COAP_BAD_REQUEST; /* a Bootstrap-Write names its instances */
            if (apply && (rc = ensure_instance(c, obj, p.ids[1])) != 0)
                return rc;
            if (p.len == 2)
                continue;
            const tern_res_def_t *res = tern_dm_resource(obj->def, p.ids[2]);
            if (res == NULL)
                return -TERN_COAP_NOT_FOUND;
            bool multiple = (res->flags & TERN_RES_MULTIPLE) != 0;
            if ((res->flags & TERN_RES_E) || (in.multiple ? !multiple : (p.len == 4) != multiple))
                return -TERN_COAP_BAD_REQUEST;
            if (in.multiple) {
                p.len = 3;
                if (apply && obj->def->ops->clear != NULL
                    && (rc = obj->def->ops->clear(c, obj, &p)) != 0)
                    return rc;
                continue;
            }
            tern_value_t v;
            if ((rc = tern_in_value(&in, (tern_type_t)res->type, &v)) != 0)
                return rc;
            if (!apply && obj->def->ops->check != NULL && tern_dm_instance_index(obj, p.ids[1]) >= 0
                && (rc = obj->def->ops->check(c, obj, &p, &v)) != 0)
                return rc;
            if (apply
                && (obj->def->ops->write == NULL
                    || (rc = obj->def->ops->write(c, obj, &p, &v)) != 0))
                return rc != 0 ? rc : -TERN_COAP_METHOD_NOT_ALLOWED;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
