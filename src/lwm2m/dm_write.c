/*
 * Write (replace and partial update) and Create (OMA LwM2M 1.0 TS 5.4.3,
 * 5.4.5). A payload is decoded twice: first every entry is checked (path,
 * permission, type), then, only when all are fine, written; so a bad
 * entry never leaves half a write behind.
 */
#include "core/log.h"
#include "lwm2m/lwm2m.h"

/* Instance iid of a Bootstrap-Write or a restore: created when absent. */
static int ensure_instance(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    if (tern_dm_instance_index(obj, iid) >= 0)
        return 0;
    if (obj->def->ops->create == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    /* no room: TERN_ERR_NO_SPACE, answered 5.00 */
    int rc = tern_dm_iid_insert(obj, iid);
    if (rc == 0 && (rc = obj->def->ops->create(c, obj, iid)) != 0)
        (void)tern_dm_iid_delete(obj, iid);
    return rc;
}

/* What a pass over the payload does (write_pass). PASS_NAMED: a
 * Bootstrap-Write or a restore, whose entries name their instances,
 * created when absent. */
#define PASS_APPLY 0x1u  /* writes; else only checks */
#define PASS_CREATE 0x2u /* writes read-only resources too */
#define PASS_NAMED 0x4u

/* The instance a Create makes: the one its payload's first entry names
 * (want), or the lowest free one; or -4.00. */
static int create_iid(const tern_object_t *obj, uint16_t want)
{
    uint16_t iid = want != TERN_ID_NONE ? want : tern_dm_free_iid(obj);
    if (iid == TERN_ID_NONE || tern_dm_instance_index(obj, iid) >= 0)
        return -TERN_COAP_BAD_REQUEST; /* TS 5.4.5: the instance already exists */
    return iid;
}

/*
 * One pass over the payload: check only, or write (PASS_*). *iid is the
 * instance written (not for PASS_NAMED); TERN_ID_NONE on a Create's
 * check, which sets it from the first entry.
 */
static int write_pass(tern_client_t *c, tern_object_t *obj, const tern_in_t *payload, uint16_t *iid,
                      unsigned mode)
{
    const tern_object_ops_t *ops = obj->def->ops;
    bool apply = (mode & PASS_APPLY) != 0;
    bool named = (TERN_WITH_BOOTSTRAP || TERN_WITH_PERSISTENCE) && (mode & PASS_NAMED);
    tern_in_t in = *payload;
    tern_path_t p;
    int rc;
    while ((rc = tern_in_next(&in, &p)) == 1) {
        if (p.len < 2)
            return -TERN_COAP_BAD_REQUEST;
        if (named) {
            /* a Bootstrap-Write names its instances */
            if (p.ids[1] == TERN_ID_NONE)
                return -TERN_COAP_BAD_REQUEST;
            if (apply && (rc = ensure_instance(c, obj, p.ids[1])) != 0)
                return rc;
        } else {
            if (*iid == TERN_ID_NONE) {
                if ((rc = create_iid(obj, p.ids[1])) < 0)
                    return rc;
                *iid = (uint16_t)rc;
            }
            if (p.ids[1] == TERN_ID_NONE)
                p.ids[1] = *iid; /* Create without an instance id in the payload */
            if (p.ids[0] != obj->def->oid || p.ids[1] != *iid)
                return -TERN_COAP_BAD_REQUEST; /* only the one instance being written */
        }
        if (p.len == 2)
            continue; /* an object-instance TLV */
        const tern_res_def_t *res = tern_dm_resource(obj->def, p.ids[2]);
        if (res == NULL)
            return -TERN_COAP_NOT_FOUND;
        uint8_t flags = res->flags;
        if (flags & TERN_RES_E)
            return named ? -TERN_COAP_BAD_REQUEST : -TERN_COAP_METHOD_NOT_ALLOWED;
        if (!(flags & TERN_RES_W) && !(mode & PASS_CREATE))
            return -TERN_COAP_METHOD_NOT_ALLOWED;
        bool multiple = (flags & TERN_RES_MULTIPLE) != 0;
        if (in.multiple ? !multiple : (p.len == 4) != multiple)
            return -TERN_COAP_BAD_REQUEST;
        if (in.multiple) {
            /* a multiple resource in the payload replaces all its instances */
            p.len = 3;
            if (apply && ops->clear != NULL && (rc = ops->clear(c, obj, &p)) != 0)
                return rc;
            continue;
        }
        tern_value_t v;
        if ((rc = tern_in_value(&in, (tern_type_t)res->type, &v)) != 0)
            return rc;
        if (ops->write == NULL) {
            if (apply)
                return -TERN_COAP_METHOD_NOT_ALLOWED;
            continue;
        }
        /* instances a Bootstrap-Write creates have nothing to check against */
        if (!apply && named && tern_dm_instance_index(obj, p.ids[1]) < 0)
            continue;
        /* a check is the write callback without obj */
        if ((rc = ops->write(c, apply ? obj : NULL, &p, &v)) != 0)
            return rc;
#if TERN_WITH_OBSERVE
        if (apply && !named)
            tern_observe_changed(c, &p);
#endif
    }
    return rc;
}

int tern_dm_write(tern_request_t *req, bool replace)
{
    tern_client_t *c = req->client;
    tern_path_t *path = &req->path;
    tern_object_t *obj = req->obj;
    const tern_res_def_t *res = req->res;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    const tern_object_ops_t *ops = obj->def->ops;
    bool creating = path->len == 1;
    if (creating ? ops->create == NULL || ops->remove == NULL
                 : ops->write == NULL
                       || (res != NULL && (res->flags & (TERN_RES_W | TERN_RES_E)) != TERN_RES_W))
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    tern_in_t in;
    /* a Create's instance: chosen by the check below */
    uint16_t iid = creating ? TERN_ID_NONE : path->ids[1];
    unsigned mode = creating ? PASS_CREATE : 0;
    /* the payload's format: Content-Format, plain text when absent */
    rc = tern_in_init(&in, req->format == TERN_FORMAT_NONE ? TERN_FORMAT_TEXT : req->format, path,
                      req->msg->payload, req->msg->payload_len);
    /* base64 text for an Opaque resource decodes into the response buffer,
     * which is free until the response is built */
    in.scratch = c->coap.resp_buf;
    in.scratch_cap = sizeof(c->coap.resp_buf);
    /* check the payload before anything is changed, then write it */
    if (rc == 0)
        rc = write_pass(c, obj, &in, &iid, mode);
    if (rc == 0 && creating) {
        if (iid == TERN_ID_NONE)
            iid = tern_dm_free_iid(obj); /* an empty payload */
        if (tern_dm_iid_insert(obj, iid) != 0)
            return -TERN_COAP_BAD_REQUEST; /* no room for another instance */
        if ((rc = ops->create(c, obj, iid)) == 0
            && (rc = write_pass(c, obj, &in, &iid, PASS_APPLY | mode)) != 0)
            (void)ops->remove(c, obj, iid);
        if (rc != 0)
            (void)tern_dm_iid_delete(obj, iid);
    } else if (rc == 0) {
        if (replace && path->len == 2 && ops->clear != NULL)
            rc = ops->clear(c, obj, path);
        if (rc == 0)
            rc = write_pass(c, obj, &in, &iid, PASS_APPLY);
    }
    if (rc != 0) {
        TERN_LOG_W(c->port, "lwm2m: write to /%u/%u rejected (%d)", path->ids[0], iid, rc);
        return rc;
    }
    if (!creating)
        return TERN_COAP_CHANGED;
    path->ids[1] = iid; /* for the Location-Path of the 2.01 */
    tern_access_created(c, req->server, obj->def->oid, iid);
    tern_reg_changed(c, TERN_UPD_OBJECTS);
#if TERN_WITH_OBSERVE
    tern_observe_changed(c, path); /* path is still /O */
#endif
    return TERN_COAP_CREATED;
}

int tern_dm_write_instances(tern_client_t *c, tern_object_t *obj, tern_in_t *payload)
{
    /* first check every entry, then create and write */
    int rc = write_pass(c, obj, payload, NULL, PASS_NAMED | PASS_CREATE);
    return rc != 0 ? rc : write_pass(c, obj, payload, NULL, PASS_NAMED | PASS_CREATE | PASS_APPLY);
}
