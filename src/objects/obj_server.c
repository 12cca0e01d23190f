/*
 * LwM2M Server object (1), kept inside the client next to the
 * registration state it configures: lifetime and binding changes go out
 * in the next Update, Disable and Registration Update Trigger act on the
 * registration directly.
 */
#include <string.h>

#include "objects/fields.h"

enum {
    RES_SSID = 0,
    RES_LIFETIME = 1,
    RES_PMIN = 2,
    RES_PMAX = 3,
    RES_DISABLE = 4,
    RES_DISABLE_TIMEOUT = 5,
    RES_STORING = 6,
    RES_BINDING = 7,
    RES_UPDATE_TRIGGER = 8
};

static const tern_res_def_t RESOURCES[] = {
    { RES_SSID, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_LIFETIME, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_PMIN, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_PMAX, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_DISABLE, TERN_TYPE_NONE, TERN_RES_E },
    { RES_DISABLE_TIMEOUT, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_STORING, TERN_TYPE_BOOLEAN, TERN_RES_RW },
    { RES_BINDING, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_UPDATE_TRIGGER, TERN_TYPE_NONE, TERN_RES_E },
};

#define SERVER_FIELD(member, kind, limit) TERN_FIELD(tern_server_inst_t, member, kind, limit)

/* By resource id. The SSID is 0 while "not set yet": Bootstrap-Finish
 * refuses that, a save keeps it. A lifetime is at least 1 s. */
static const tern_field_t FIELDS[] = {
    SERVER_FIELD(ssid, TERN_FIELD_U16, 0),
    SERVER_FIELD(lifetime_s, TERN_FIELD_U32, 1),
    SERVER_FIELD(pmin_s, TERN_FIELD_U32, 0),
    SERVER_FIELD(pmax_s, TERN_FIELD_U32, 0),
    { 0, TERN_FIELD_NONE, 0 },
    SERVER_FIELD(disable_s, TERN_FIELD_U32, 0),
    SERVER_FIELD(storing, TERN_FIELD_BOOL, 0),
    SERVER_FIELD(binding, TERN_FIELD_STRING, sizeof(((tern_server_inst_t *)0)->binding)),
    { 0, TERN_FIELD_NONE, 0 },
};

/* ---- fields, for every object ---- */

int tern_field_read(const void *inst, const tern_field_t *f, tern_value_t *v)
{
    const uint8_t *p = (const uint8_t *)inst + f->offset;
    uint32_t x = *p;
    switch (f->kind) {
    case TERN_FIELD_NONE:
        return -TERN_COAP_NOT_FOUND;
    case TERN_FIELD_BOOL:
        v->v.b = x != 0;
        return 0;
    case TERN_FIELD_STRING:
        v->v.bytes.ptr = p;
        v->v.bytes.len = strlen((const char *)p);
        return 0;
    case TERN_FIELD_U16:
        x = *(const uint16_t *)(const void *)p;
        break;
    case TERN_FIELD_U32:
        x = *(const uint32_t *)(const void *)p;
        break;
    default: /* TERN_FIELD_U8 */
        break;
    }
    v->v.i = x;
    return 0;
}

int tern_field_check(const tern_field_t *f, const tern_value_t *v)
{
    uint32_t max;
    switch (f->kind) {
    case TERN_FIELD_U8:
        max = f->limit;
        break;
    case TERN_FIELD_U16:
        max = TERN_ID_NONE - 1;
        break;
    case TERN_FIELD_U32:
        if (v->v.i < f->limit)
            return -TERN_COAP_BAD_REQUEST;
        max = UINT32_MAX;
        break;
    case TERN_FIELD_STRING:
        return v->v.bytes.len >= f->limit ? -TERN_COAP_BAD_REQUEST : 0;
    default:
        return 0;
    }
    return (uint64_t)v->v.i > max ? -TERN_COAP_BAD_REQUEST : 0;
}

int tern_field_write(void *inst, const tern_field_t *f, const tern_value_t *v)
{
    uint8_t *p = (uint8_t *)inst + f->offset;
    uint32_t x = (uint32_t)v->v.i;
    switch (f->kind) {
    case TERN_FIELD_NONE:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    case TERN_FIELD_BOOL:
        x = v->v.b;
        break;
    case TERN_FIELD_STRING:
        memcpy(p, v->v.bytes.ptr, v->v.bytes.len);
        p[v->v.bytes.len] = '\0';
        return 0;
    case TERN_FIELD_U16:
        *(uint16_t *)(void *)p = (uint16_t)x;
        return 0;
    case TERN_FIELD_U32:
        *(uint32_t *)(void *)p = x;
        return 0;
    default: /* TERN_FIELD_U8 */
        break;
    }
    *p = (uint8_t)x;
    return 0;
}

/* ---- the Server object ---- */

static int server_index(const tern_client_t *c, uint16_t iid)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->servers[s].used && c->servers[s].iid == iid)
            return s;
    }
    return -1;
}

static void *config_instance(tern_client_t *c, const tern_object_t *obj, uint16_t iid)
{
    if (obj->def->oid == 0)
        return tern_security_instance(c, iid);
    int s = server_index(c, iid);
    return s >= 0 ? &c->servers[s] : NULL;
}

enum { CONFIG_READ, CONFIG_CHECK, CONFIG_WRITE };

/* Read, check or write one Security or Server resource: one body, since
 * they all find the same instance and field first. CONFIG_READ fills v;
 * the others leave it alone. */
static int config_access(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                         tern_value_t *v, int op)
{
    uint16_t rid = path->ids[2];
    bool server = obj->def->oid == 1;
    const tern_field_t *f = server ? &FIELDS[rid] : tern_security_field(rid);
    void *inst = NULL;
    int rc;
    if (op != CONFIG_CHECK) {
        inst = config_instance(c, obj, path->ids[1]);
        if (inst == NULL)
            return -TERN_COAP_NOT_FOUND;
        if (op == CONFIG_READ)
            return f != NULL ? tern_field_read(inst, f, v) : tern_security_key(inst, rid, v, NULL);
    }
    /* what a write refuses, without touching anything */
    if (f == NULL)
        rc = tern_security_key(NULL, rid, NULL, v);
    else if (server && rid == RES_BINDING
             && !tern_binding_valid((const char *)v->v.bytes.ptr, v->v.bytes.len))
        rc = -TERN_COAP_BAD_REQUEST;
    else
        rc = tern_field_check(f, v);
    if (rc != 0 || op == CONFIG_CHECK)
        return rc;
    c->config_dirty = 1;
    if (f == NULL)
        return tern_security_key(inst, rid, NULL, v);
    if (server) {
        /* what the next Update carries */
        ((tern_server_inst_t *)inst)->update_what |= rid == RES_LIFETIME  ? TERN_UPD_LIFETIME
                                                     : rid == RES_BINDING ? TERN_UPD_BINDING
                                                                          : 0;
    }
    return tern_field_write(inst, f, v);
}

int tern_config_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path, tern_value_t *v)
{
    return config_access(c, obj, path, v, CONFIG_READ);
}

/* The value is only read: the cast drops const for the shared body. */
int tern_config_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                      const tern_value_t *v)
{
    return config_access(c, obj, path, (tern_value_t *)(uintptr_t)v, CONFIG_CHECK);
}

int tern_config_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                      const tern_value_t *v)
{
    return config_access(c, obj, path, (tern_value_t *)(uintptr_t)v, CONFIG_WRITE);
}

static int server_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const uint8_t *args, size_t args_len)
{
    (void)obj;
    (void)args;
    (void)args_len;
    int s = server_index(c, path->ids[1]);
    if (s < 0)
        return -TERN_COAP_NOT_FOUND;
    if (path->ids[2] == RES_DISABLE)
        tern_reg_disable(c, s);
    else
        tern_reg_trigger_update(c, s);
    return 0;
}

static int server_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (!c->servers[s].used) {
            tern_server_init(c, s, iid);
            c->config_dirty = 1;
            return 0;
        }
    }
    return -TERN_COAP_INTERNAL_SERVER_ERROR;
}

static int server_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    int s = server_index(c, iid);
    if (s >= 0)
        tern_server_forget(c, s);
    c->config_dirty = 1;
    return 0;
}

/* Create and Delete reach this object only from the Bootstrap-Server. */
static const tern_object_ops_t SERVER_OPS = {
    .read = tern_config_read,
    .write = tern_config_write,
    .check = tern_config_check,
    .execute = server_execute,
    .create = server_create,
    .remove = server_remove,
};

static const tern_object_def_t SERVER_DEF = {
    .oid = 1,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &SERVER_OPS,
    .multiple = true,
};

void tern_server_object_init(tern_client_t *c)
{
    c->server_obj.def = &SERVER_DEF;
    c->server_obj.iids = c->server_iids;
    c->server_obj.max_iids = TERN_MAX_SERVERS;
    (void)tern_object_register(c, &c->server_obj);
}
