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
#if TERN_WITH_KEYS
    case TERN_FIELD_KEY:
        return tern_security_key((tern_security_inst_t *)(uintptr_t)inst, f->limit, v, NULL);
#endif
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

int tern_field_write(void *inst, const tern_field_t *f, const tern_value_t *v)
{
    uint8_t *p = (uint8_t *)inst + f->offset;
    uint64_t x = (uint64_t)v->v.i; /* a negative value is above every max */
    uint32_t min = 0;
    uint32_t max = f->limit;
    switch (f->kind) {
    case TERN_FIELD_NONE:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
#if TERN_WITH_KEYS
    case TERN_FIELD_KEY:
        return tern_security_key(inst, f->limit, NULL, v);
#endif
    case TERN_FIELD_STRING: /* and its NUL */
        x = v->v.bytes.len;
        max--;
        break;
    case TERN_FIELD_BOOL:
        x = v->v.b;
        max = 1;
        break;
    case TERN_FIELD_U16:
        max = TERN_ID_NONE - 1;
        break;
    case TERN_FIELD_U32:
        min = max;
        max = UINT32_MAX;
        break;
    default: /* TERN_FIELD_U8 */
        break;
    }
    if (x < min || x > max)
        return -TERN_COAP_BAD_REQUEST;
    if (inst == NULL)
        return 0;
    switch (f->kind) {
    case TERN_FIELD_STRING:
        memcpy(p, v->v.bytes.ptr, (size_t)x);
        p[x] = '\0';
        break;
    case TERN_FIELD_U16:
        *(uint16_t *)(void *)p = (uint16_t)x;
        break;
    case TERN_FIELD_U32:
        *(uint32_t *)(void *)p = (uint32_t)x;
        break;
    default: /* TERN_FIELD_BOOL, TERN_FIELD_U8 */
        *p = (uint8_t)x;
    }
    return 0;
}

/* ---- Security and Server: slots in the client ---- */

/* Both instance structs start with the instance id and keep `used` at
 * the same place, so one loop finds a slot in either array. */
typedef char config_used_in_the_same_place
    [offsetof(tern_server_inst_t, used) == offsetof(tern_security_inst_t, used) ? 1 : -1];

void *tern_config_slot(tern_client_t *c, const tern_object_t *obj, uint16_t iid)
{
    bool server = obj == &c->server_obj;
    uint8_t *p = server ? (uint8_t *)c->servers : (uint8_t *)c->security;
    size_t size = server ? sizeof(tern_server_inst_t) : sizeof(tern_security_inst_t);
    for (int n = server ? TERN_MAX_SERVERS : TERN_MAX_SECURITY; n > 0; n--, p += size) {
        uint16_t at;
        memcpy(&at, p, sizeof(at));
        if (p[offsetof(tern_server_inst_t, used)] ? at == iid : iid == TERN_ID_NONE)
            return p;
    }
    return NULL;
}

/* The slot of instance iid, which exists: with one slot of each, that one. */
static void *config_instance(tern_client_t *c, const tern_object_t *obj, uint16_t iid)
{
    if (TERN_MAX_SERVERS == 1 && TERN_MAX_SECURITY == 1)
        return obj == &c->server_obj ? (void *)c->servers : (void *)c->security;
    return tern_config_slot(c, obj, iid);
}

static int server_at(const tern_client_t *c, const void *slot)
{
    /* a division by the slot size, unless there are at most two */
    if (TERN_MAX_SERVERS <= 2)
        return TERN_MAX_SERVERS == 2 && slot != c->servers;
    return (int)((const tern_server_inst_t *)slot - c->servers);
}

/* Only the Bootstrap-Server and a restore of the stored configuration
 * write Security instances and create and delete instances of either
 * object: without both, neither happens. */
#define CONFIG_PROVISIONING (TERN_WITH_BOOTSTRAP || TERN_WITH_PERSISTENCE)

/* The path says which object: the check has no obj. */
static const tern_field_t *config_field(const tern_path_t *path)
{
    return (path->ids[0] == 1 ? FIELDS : TERN_SECURITY_FIELDS) + path->ids[2];
}

/* The engine calls with paths to existing instances: their slots are in use. */
static int config_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       tern_value_t *v)
{
    return tern_field_read(config_instance(c, obj, path->ids[1]), config_field(path), v);
}

/* Checks v for resource path and stores it in its instance; obj NULL:
 * only the check, which changes nothing. */
static int config_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    uint16_t rid = path->ids[2];
    bool server = !CONFIG_PROVISIONING || path->ids[0] == 1;
    void *inst = obj != NULL ? config_instance(c, obj, path->ids[1]) : NULL;
    if (server && rid == RES_BINDING
        && !tern_binding_valid((const char *)v->v.bytes.ptr, v->v.bytes.len))
        return -TERN_COAP_BAD_REQUEST;
    int rc = tern_field_write(inst, (server ? FIELDS : TERN_SECURITY_FIELDS) + rid, v);
    if (rc != 0 || inst == NULL)
        return rc;
#if TERN_WITH_PERSISTENCE /* only the saving reads it */
    c->config_dirty = 1;
#endif
    /* a Server's lifetime or binding: what the next Update carries */
    if (server)
        ((tern_server_inst_t *)inst)->update_what |= rid == RES_LIFETIME  ? TERN_UPD_LIFETIME
                                                     : rid == RES_BINDING ? TERN_UPD_BINDING
                                                                          : 0;
    return 0;
}

/* Only the Server object has executable resources. */
static int config_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const uint8_t *args, size_t args_len)
{
    (void)obj;
    (void)args;
    (void)args_len;
    void *srv = config_instance(c, obj, path->ids[1]);
    if (path->ids[2] == RES_DISABLE)
        tern_reg_disable(c, server_at(c, srv));
    else
        tern_reg_trigger_update(c, server_at(c, srv));
    return 0;
}

#if CONFIG_PROVISIONING
static int config_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    bool server = obj == &c->server_obj;
    /* the engine has put iid in obj->iids, which holds as many ids as
     * there are slots: one of them is free */
    void *slot = tern_config_slot(c, obj, TERN_ID_NONE);
    c->config_dirty = 1;
    if (server) {
        tern_server_init(c, server_at(c, slot), iid);
    } else {
        tern_security_inst_t *sec = slot;
        memset(sec, 0, sizeof(*sec));
        sec->used = 1;
        sec->iid = iid;
        sec->mode = TERN_SEC_NOSEC;
    }
    return 0;
}

static int config_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    bool server = obj == &c->server_obj;
    void *slot = config_instance(c, obj, iid);
    c->config_dirty = 1;
    if (server)
        tern_server_forget(c, server_at(c, slot));
    else
        ((tern_security_inst_t *)slot)->used = 0;
    return 0;
}

#endif

const tern_object_ops_t TERN_CONFIG_OPS = {
    .read = config_read,
    .write = config_write,
    .execute = config_execute,
#if CONFIG_PROVISIONING
    .create = config_create,
    .remove = config_remove,
#endif
};

/* ---- the Server object ---- */

static const tern_object_def_t SERVER_DEF = {
    .oid = 1,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &TERN_CONFIG_OPS,
    .multiple = true,
};

void tern_server_object_init(tern_client_t *c)
{
    c->server_obj.def = &SERVER_DEF;
    c->server_obj.iids = c->server_iids;
    c->server_obj.max_iids = TERN_MAX_SERVERS;
    (void)tern_object_register(c, &c->server_obj);
}
