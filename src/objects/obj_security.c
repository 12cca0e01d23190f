/*
 * LwM2M Security object (0), kept inside the client: the engine reads
 * its fields directly; servers reach it only through bootstrap.
 */
#include <string.h>

#include "objects/fields.h"

enum {
    RES_URI = 0,
    RES_BOOTSTRAP = 1,
    RES_MODE = 2,
    RES_IDENTITY = 3,
    RES_SERVER_KEY = 4,
    RES_SECRET = 5,
    RES_SSID = 10,
    RES_HOLDOFF = 11,
    RES_BS_TIMEOUT = 12
};

static const tern_res_def_t RESOURCES[] = {
    { RES_URI, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_BOOTSTRAP, TERN_TYPE_BOOLEAN, TERN_RES_RW },
    { RES_MODE, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_IDENTITY, TERN_TYPE_OPAQUE, TERN_RES_RW },
    { RES_SERVER_KEY, TERN_TYPE_OPAQUE, TERN_RES_RW },
    { RES_SECRET, TERN_TYPE_OPAQUE, TERN_RES_RW },
    { RES_SSID, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_HOLDOFF, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_BS_TIMEOUT, TERN_TYPE_INTEGER, TERN_RES_RW },
};

#define SECURITY_FIELD(member, kind, limit) TERN_FIELD(tern_security_inst_t, member, kind, limit)

/* By resource id, 10..12 moved down to 6..8; the opaque keys are not
 * plain fields (their sizes are set per build, up to kilobytes). */
static const tern_field_t FIELDS[] = {
    SECURITY_FIELD(uri, TERN_FIELD_STRING, TERN_MAX_URI),
    SECURITY_FIELD(bootstrap, TERN_FIELD_BOOL, 0),
    SECURITY_FIELD(mode, TERN_FIELD_U8, TERN_SEC_NOSEC),
    { 0, TERN_FIELD_NONE, 0 },
    { 0, TERN_FIELD_NONE, 0 },
    { 0, TERN_FIELD_NONE, 0 },
    SECURITY_FIELD(ssid, TERN_FIELD_U16, 0),
    SECURITY_FIELD(holdoff_s, TERN_FIELD_U32, 0),
    SECURITY_FIELD(bs_timeout_s, TERN_FIELD_U32, 0),
};

static const tern_field_t *field(const tern_path_t *path)
{
    uint16_t rid = path->ids[2];
    return &FIELDS[rid < RES_SSID ? rid : rid - (RES_SSID - 6)];
}

static tern_security_inst_t *instance(tern_client_t *c, uint16_t iid)
{
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        if (c->security[i].used && c->security[i].iid == iid)
            return &c->security[i];
    }
    return NULL;
}

/* An opaque key: where it is, its length and its capacity. */
typedef struct key {
    uint8_t *data;
    uint16_t *len;
    size_t cap;
} key_t;

static key_t key_of(tern_security_inst_t *sec, uint16_t rid)
{
    key_t k = { SERVER_KEY(sec), &sec->server_key_len, TERN_MAX_SERVER_KEY };
    if (rid == RES_IDENTITY) {
        k.data = IDENTITY(sec);
        k.len = &sec->identity_len;
        k.cap = TERN_MAX_IDENTITY;
    } else if (rid == RES_SECRET) {
        k.data = SECRET(sec);
        k.len = &sec->secret_len;
        k.cap = TERN_MAX_SECRET;
    }
    return k;
}

static bool is_key(uint16_t rid)
{
    return rid >= RES_IDENTITY && rid <= RES_SECRET;
}

static int security_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                         tern_value_t *v)
{
    (void)obj;
    tern_security_inst_t *sec = instance(c, path->ids[1]);
    if (sec == NULL)
        return -TERN_COAP_NOT_FOUND;
    if (is_key(path->ids[2])) {
        key_t k = key_of(sec, path->ids[2]);
        v->v.bytes.ptr = k.data != NULL ? k.data : (const uint8_t *)"";
        v->v.bytes.len = *k.len;
        return 0;
    }
    return tern_field_read(sec, field(path), v);
}

/* What security_write() refuses, without touching anything. */
static int security_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const tern_value_t *v)
{
    (void)c;
    (void)obj;
    if (is_key(path->ids[2])) {
        tern_security_inst_t sec;
        return v->v.bytes.len > key_of(&sec, path->ids[2]).cap ? -TERN_COAP_BAD_REQUEST : 0;
    }
    return tern_field_check(field(path), v);
}

static int security_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const tern_value_t *v)
{
    tern_security_inst_t *sec = instance(c, path->ids[1]);
    if (sec == NULL)
        return -TERN_COAP_NOT_FOUND;
    int rc = security_check(c, obj, path, v);
    if (rc != 0)
        return rc;
    c->config_dirty = 1;
    if (!is_key(path->ids[2]))
        return tern_field_write(sec, field(path), v);
    key_t k = key_of(sec, path->ids[2]);
    if (k.data != NULL && v->v.bytes.len > 0)
        memcpy(k.data, v->v.bytes.ptr, v->v.bytes.len);
    *k.len = (uint16_t)v->v.bytes.len;
    return 0;
}

static int security_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        tern_security_inst_t *sec = &c->security[i];
        if (!sec->used) {
            memset(sec, 0, sizeof(*sec));
            sec->used = 1;
            sec->iid = iid;
            sec->mode = TERN_SEC_NOSEC;
            c->config_dirty = 1;
            return 0;
        }
    }
    return -TERN_COAP_INTERNAL_SERVER_ERROR;
}

static int security_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    tern_security_inst_t *sec = instance(c, iid);
    if (sec != NULL)
        sec->used = 0;
    c->config_dirty = 1;
    return 0;
}

/* Create and Delete reach this object only from the Bootstrap-Server. */
static const tern_object_ops_t SECURITY_OPS = {
    .read = security_read,
    .write = security_write,
    .check = security_check,
    .create = security_create,
    .remove = security_remove,
};

static const tern_object_def_t SECURITY_DEF = {
    .oid = 0,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &SECURITY_OPS,
    .multiple = true,
};

void tern_security_object_init(tern_client_t *c)
{
    c->security_obj.def = &SECURITY_DEF;
    c->security_obj.iids = c->security_iids;
    c->security_obj.max_iids = TERN_MAX_SECURITY;
    (void)tern_object_register(c, &c->security_obj);
}
