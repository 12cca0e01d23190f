/* Execute and Delete (OMA LwM2M 1.0 TS 5.4.4, 5.4.6). */
#include "core/log.h"
#include "lwm2m/lwm2m.h"

/*
 * TS 5.4.4: arguments are a ','-separated list of digit[='text'], the
 * text free of '\''. Anything else is a bad request.
 */
static bool valid_arguments(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        i++;
        if (i < len && p[i] == '=') {
            if (++i >= len || p[i] != '\'')
                return false;
            for (i++; i < len && p[i] != '\''; i++)
                ;
            if (i++ >= len)
                return false; /* unterminated quote */
        }
        if (i < len && (p[i] != ',' || ++i == len))
            return false;
    }
    return true;
}

int tern_dm_execute(tern_request_t *req)
{
    tern_client_t *c = req->client;
    tern_object_t *obj = req->obj;
    const tern_res_def_t *res = req->res;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    if (!(res->flags & TERN_RES_E) || obj->def->ops->execute == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (!valid_arguments(req->msg->payload, req->msg->payload_len))
        return -TERN_COAP_BAD_REQUEST;
    rc = obj->def->ops->execute(c, obj, &req->path, req->msg->payload, req->msg->payload_len);
    return rc != 0 ? rc : TERN_COAP_CHANGED;
}

int tern_dm_delete(tern_request_t *req)
{
    tern_client_t *c = req->client;
    tern_object_t *obj = req->obj;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    if (obj->def->ops->remove == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if ((rc = obj->def->ops->remove(c, obj, req->path.ids[1])) != 0)
        return rc;
    (void)tern_dm_iid_delete(obj, req->path.ids[1]);
    tern_access_deleted(c, obj->def->oid, req->path.ids[1]);
#if TERN_WITH_OBSERVE
    tern_observe_drop_path(c, &req->path);
    tern_observe_changed(c, &req->path); /* observers of the object see it go */
#endif
    tern_reg_changed(c, TERN_UPD_OBJECTS);
    return TERN_COAP_DELETED;
}
