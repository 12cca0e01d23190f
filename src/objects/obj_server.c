/*
 * LwM2M Server object (1), kept inside the client next to the
 * registration state it configures: lifetime and binding changes go out
 * in the next Update, Disable and Registration Update Trigger act on the
 * registration directly.
 */
#include <string.h>

#include "lwm2m/lwm2m.h"

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

static int server_index(const tern_client_t *c, uint16_t iid)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->servers[s].used && c->servers[s].iid == iid)
            return s;
    }
    return -1;
}

static int server_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       tern_value_t *v)
{
    (void)obj;
    int s = server_index(c, path->ids[1]);
    if (s < 0)
        return -TERN_COAP_NOT_FOUND;
    const tern_server_inst_t *srv = &c->servers[s];
    switch (path->ids[2]) {
    case RES_SSID:
        v->v.i = srv->ssid;
        return 0;
    case RES_LIFETIME:
        v->v.i = srv->lifetime_s;
        return 0;
    case RES_PMIN:
        v->v.i = srv->pmin_s;
        return 0;
    case RES_PMAX:
        v->v.i = srv->pmax_s;
        return 0;
    case RES_DISABLE_TIMEOUT:
        v->v.i = srv->disable_s;
        return 0;
    case RES_STORING:
        v->v.b = srv->storing;
        return 0;
    case RES_BINDING:
        v->v.bytes.ptr = (const uint8_t *)srv->binding;
        v->v.bytes.len = strlen(srv->binding);
        return 0;
    default:
        return -TERN_COAP_NOT_FOUND;
    }
}

/* What server_write() refuses, without touching anything. */
static int server_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    (void)c;
    (void)obj;
    switch (path->ids[2]) {
    case RES_SSID:
        /* 0 is "not set yet": Bootstrap-Finish refuses it, a save keeps it */
        return v->v.i < 0 || v->v.i >= TERN_ID_NONE ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_LIFETIME:
        return v->v.i < 1 || v->v.i > (int64_t)UINT32_MAX ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_PMIN:
    case RES_PMAX:
    case RES_DISABLE_TIMEOUT:
        return v->v.i < 0 || v->v.i > (int64_t)UINT32_MAX ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_BINDING:
        return tern_binding_valid((const char *)v->v.bytes.ptr, v->v.bytes.len)
                   ? 0
                   : -TERN_COAP_BAD_REQUEST;
    default:
        return 0;
    }
}

static int server_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    int s = server_index(c, path->ids[1]);
    if (s < 0)
        return -TERN_COAP_NOT_FOUND;
    int rc = server_check(c, obj, path, v);
    if (rc != 0)
        return rc;
    tern_server_inst_t *srv = &c->servers[s];
    c->config_dirty = 1;
    switch (path->ids[2]) {
    case RES_SSID:
        srv->ssid = (uint16_t)v->v.i;
        return 0;
    case RES_LIFETIME:
        srv->lifetime_s = (uint32_t)v->v.i;
        srv->update_what |= TERN_UPD_LIFETIME;
        return 0;
    case RES_PMIN:
        srv->pmin_s = (uint32_t)v->v.i;
        return 0;
    case RES_PMAX:
        srv->pmax_s = (uint32_t)v->v.i;
        return 0;
    case RES_DISABLE_TIMEOUT:
        srv->disable_s = (uint32_t)v->v.i;
        return 0;
    case RES_STORING:
        srv->storing = v->v.b;
        return 0;
    case RES_BINDING:
        srv->update_what |= TERN_UPD_BINDING;
        return tern_string_store(srv->binding, sizeof(srv->binding), v); /* valid: fits */
    default:
        return -TERN_COAP_NOT_FOUND;
    }
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
    .read = server_read,
    .write = server_write,
    .check = server_check,
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
