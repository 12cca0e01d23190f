/* The data model: registered objects, their instances and resources. */
#include <string.h>

#include "core/compiler.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

tern_path_t tern_path(uint8_t len, uint16_t oid, uint16_t iid, uint16_t rid, uint16_t riid)
{
    tern_path_t p = { { oid, iid, rid, riid }, len };
    return p;
}

bool tern_path_is_prefix(const tern_path_t *prefix, const tern_path_t *path)
{
    return prefix->len <= path->len
           && memcmp(prefix->ids, path->ids, prefix->len * sizeof(prefix->ids[0])) == 0;
}

tern_object_t *tern_dm_object(const tern_client_t *c, uint16_t oid)
{
    for (tern_object_t *o = c->objects; o != NULL && o->def->oid <= oid; o = o->next) {
        if (o->def->oid == oid)
            return o;
    }
    return NULL;
}

int tern_dm_instance_index(const tern_object_t *obj, uint16_t iid)
{
    for (unsigned i = 0; i < obj->n_iids; i++) {
        if (obj->iids[i] == iid)
            return i;
    }
    return -1;
}

const tern_res_def_t *tern_dm_resource(const tern_object_def_t *def, uint16_t rid)
{
    /* the table is sorted and short: a scan that stops past rid */
    const tern_res_def_t *end = def->resources + def->n_resources;
    for (const tern_res_def_t *r = def->resources; r < end && r->id <= rid; r++) {
        if (r->id == rid)
            return r;
    }
    return NULL;
}

int tern_dm_iid_insert(tern_object_t *obj, uint16_t iid)
{
    if (iid == TERN_ID_NONE)
        return -TERN_COAP_BAD_REQUEST;
    if (tern_dm_instance_index(obj, iid) >= 0)
        return -TERN_COAP_BAD_REQUEST;
    if (obj->n_iids >= obj->max_iids || (!obj->def->multiple && obj->n_iids >= 1))
        return TERN_ERR_NO_SPACE;
    unsigned at = 0;
    while (at < obj->n_iids && obj->iids[at] < iid)
        at++;
    memmove(&obj->iids[at + 1], &obj->iids[at], (size_t)(obj->n_iids - at) * sizeof(uint16_t));
    obj->iids[at] = iid;
    obj->n_iids++;
    return 0;
}

int tern_dm_iid_delete(tern_object_t *obj, uint16_t iid)
{
    int at = tern_dm_instance_index(obj, iid);
    if (at < 0)
        return -TERN_COAP_NOT_FOUND;
    memmove(&obj->iids[at], &obj->iids[at + 1], (size_t)(obj->n_iids - at - 1) * sizeof(uint16_t));
    obj->n_iids--;
    return 0;
}

uint16_t tern_dm_free_iid(const tern_object_t *obj)
{
    uint16_t iid = 0;
    /* iids is sorted: the first gap */
    for (uint16_t i = 0; i < obj->n_iids && obj->iids[i] == iid; i++)
        iid++;
    return iid;
}

int tern_dm_resolve(const tern_client_t *c, const tern_path_t *path, tern_object_t **obj,
                    const tern_res_def_t **res)
{
    *obj = NULL;
    *res = NULL;
    if (path->len == 0)
        return 0;
    *obj = tern_dm_object(c, path->ids[0]);
    if (*obj == NULL)
        return -TERN_COAP_NOT_FOUND;
    if (path->len >= 2 && tern_dm_instance_index(*obj, path->ids[1]) < 0)
        return -TERN_COAP_NOT_FOUND;
    if (path->len >= 3) {
        *res = tern_dm_resource((*obj)->def, path->ids[2]);
        if (*res == NULL)
            return -TERN_COAP_NOT_FOUND;
    }
    if (path->len == 4 && !((*res)->flags & TERN_RES_MULTIPLE))
        return -TERN_COAP_NOT_FOUND;
    return 0;
}

int tern_dm_read_value(tern_client_t *c, tern_object_t *obj, const tern_res_def_t *res,
                       const tern_path_t *path, tern_value_t *value)
{
    memset(value, 0, sizeof(*value));
    value->type = (tern_type_t)res->type;
    int rc = obj->def->ops->read(c, obj, path, value);
    if (rc == 0 && value->type != (tern_type_t)res->type)
        return -TERN_COAP_INTERNAL_SERVER_ERROR; /* the object broke its contract */
    return rc;
}

/* Moves w to the first child (first) or the next sibling of its node;
 * false when there is none. */
static TERN_NOINLINE bool walk_step(tern_walk_t *w, bool first)
{
    tern_path_t *p = &w->path;
    tern_object_t *obj = w->obj;
    unsigned level = p->len - 1u;
    int id = -1;
    if (level == 3) {
        if (obj->def->ops->next_res_instance != NULL) {
            p->len = 3;
            id = obj->def->ops->next_res_instance(w->c, obj, p, first ? TERN_ID_NONE : p->ids[3]);
            p->len = 4;
        }
    } else if (level == 2) {
        const tern_res_def_t *end = obj->def->resources + obj->def->n_resources;
        w->res = first ? obj->def->resources : w->res + 1;
        if (w->res < end)
            id = w->res->id;
    } else {
        w->at = first ? 0 : (uint16_t)(w->at + 1);
        if (w->at < obj->n_iids)
            id = obj->iids[w->at];
    }
    p->ids[level] = (uint16_t)id;
    return id >= 0;
}

int tern_dm_walk(tern_walk_t *w, const tern_path_t *path)
{
    tern_path_t *p = &w->path;
    int rc = tern_dm_resolve(w->c, path, &w->obj, &w->res);
    if (rc == 0 && path->len == 0)
        rc = -TERN_COAP_METHOD_NOT_ALLOWED;
    if (rc != 0)
        return rc;
    *p = *path;
    w->base_len = path->len;
    rc = w->visit(w, false);
    while (rc >= 0) {
        bool first = rc == 0;
        if (first)
            p->len++;
        else if (p->len == w->base_len)
            return 0;
        if (walk_step(w, first)) {
            rc = w->visit(w, false);
        } else {
            p->len--;
            rc = w->visit(w, true);
        }
    }
    return rc;
}

int tern_string_store(char *dst, size_t cap, const tern_value_t *v)
{
    if (v->v.bytes.len >= cap)
        return -TERN_COAP_BAD_REQUEST;
    memcpy(dst, v->v.bytes.ptr, v->v.bytes.len);
    dst[v->v.bytes.len] = '\0';
    return 0;
}

int tern_dm_path_from_msg(const tern_coap_msg_t *msg, tern_path_t *path)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    memset(path, 0, sizeof(*path));
    tern_coap_opt_iter_init(&it, msg);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number != TERN_COAP_OPT_URI_PATH)
            continue;
        /* a trailing empty segment ("/3/0/") names the same thing */
        if (opt.len == 0)
            continue;
        /* digits only, 0..65534 (five of them fit 32 bits) */
        uint64_t id;
        if (path->len == 4 || opt.len > 5
            || tern_text_to_uint((const char *)opt.value, opt.len, &id) != 0
            || (uint32_t)id >= TERN_ID_NONE)
            return -TERN_COAP_NOT_FOUND;
        path->ids[path->len++] = (uint16_t)id;
    }
    return 0;
}

const char *tern_path_text(const tern_path_t *path, char *buf)
{
    size_t n = 0;
    for (uint8_t i = 0; i < path->len && i < 4; i++) {
        buf[n++] = '/';
        n += tern_uint_to_text(path->ids[i], buf + n);
    }
    if (n == 0)
        buf[n++] = '/';
    buf[n] = '\0';
    return buf;
}
