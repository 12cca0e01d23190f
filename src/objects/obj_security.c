/*
 * LwM2M Security object (0), kept inside the client: the engine reads
 * its fields directly; servers reach it only through bootstrap.
 */
#include <string.h>

#include "lwm2m/lwm2m.h"

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

static tern_security_inst_t *instance(tern_client_t *c, uint16_t iid)
{
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        if (c->security[i].used && c->security[i].iid == iid)
            return &c->security[i];
    }
    return NULL;
}

static void bytes(tern_value_t *v, const void *p, size_t len)
{
    v->v.bytes.ptr = p != NULL ? p : (const void *)"";
    v->v.bytes.len = len;
}

static int security_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                         tern_value_t *v)
{
    (void)obj;
    tern_security_inst_t *sec = instance(c, path->ids[1]);
    if (sec == NULL)
        return -TERN_COAP_NOT_FOUND;
    switch (path->ids[2]) {
    case RES_URI:
        bytes(v, sec->uri, strlen(sec->uri));
        return 0;
    case RES_BOOTSTRAP:
        v->v.b = sec->bootstrap;
        return 0;
    case RES_MODE:
        v->v.i = sec->mode;
        return 0;
    case RES_IDENTITY:
        bytes(v, IDENTITY(sec), sec->identity_len);
        return 0;
    case RES_SERVER_KEY:
        bytes(v, SERVER_KEY(sec), sec->server_key_len);
        return 0;
    case RES_SECRET:
        bytes(v, SECRET(sec), sec->secret_len);
        return 0;
    case RES_SSID:
        v->v.i = sec->ssid;
        return 0;
    case RES_HOLDOFF:
        v->v.i = sec->holdoff_s;
        return 0;
    case RES_BS_TIMEOUT:
        v->v.i = sec->bs_timeout_s;
        return 0;
    default:
        return -TERN_COAP_NOT_FOUND;
    }
}

/* Copies opaque data into a fixed field; 4.00 when it does not fit. */
static int store_bytes(uint8_t *dst, uint16_t *dst_len, size_t cap, const tern_value_t *v)
{
    if (v->v.bytes.len > cap)
        return -TERN_COAP_BAD_REQUEST;
    if (dst != NULL && v->v.bytes.len > 0)
        memcpy(dst, v->v.bytes.ptr, v->v.bytes.len);
    *dst_len = (uint16_t)v->v.bytes.len;
    return 0;
}

static int store_u32(uint32_t *dst, const tern_value_t *v, int64_t max)
{
    if (v->v.i < 0 || v->v.i > max)
        return -TERN_COAP_BAD_REQUEST;
    *dst = (uint32_t)v->v.i;
    return 0;
}

/* What security_write() refuses, without touching anything. */
static int security_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const tern_value_t *v)
{
    (void)c;
    (void)obj;
    size_t cap;
    switch (path->ids[2]) {
    case RES_URI:
        cap = TERN_MAX_URI - 1;
        break;
    case RES_IDENTITY:
        cap = TERN_MAX_IDENTITY;
        break;
    case RES_SERVER_KEY:
        cap = TERN_MAX_SERVER_KEY;
        break;
    case RES_SECRET:
        cap = TERN_MAX_SECRET;
        break;
    case RES_MODE:
        return v->v.i < 0 || v->v.i > TERN_SEC_NOSEC ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_SSID:
        return v->v.i < 0 || v->v.i >= TERN_ID_NONE ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_HOLDOFF:
    case RES_BS_TIMEOUT:
        return v->v.i < 0 || v->v.i > (int64_t)UINT32_MAX ? -TERN_COAP_BAD_REQUEST : 0;
    default:
        return 0;
    }
    return v->v.bytes.len > cap ? -TERN_COAP_BAD_REQUEST : 0;
}

static int security_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const tern_value_t *v)
{
    (void)obj;
    tern_security_inst_t *sec = instance(c, path->ids[1]);
    uint32_t u;
    int rc;
    if (sec == NULL)
        return -TERN_COAP_NOT_FOUND;
    c->config_dirty = 1;
    switch (path->ids[2]) {
    case RES_URI:
        return tern_string_store(sec->uri, sizeof(sec->uri), v);
    case RES_BOOTSTRAP:
        sec->bootstrap = v->v.b;
        return 0;
    case RES_MODE:
        if ((rc = store_u32(&u, v, TERN_SEC_NOSEC)) == 0)
            sec->mode = (uint8_t)u;
        return rc;
    case RES_IDENTITY:
        return store_bytes(IDENTITY(sec), &sec->identity_len, TERN_MAX_IDENTITY, v);
    case RES_SERVER_KEY:
        return store_bytes(SERVER_KEY(sec), &sec->server_key_len, TERN_MAX_SERVER_KEY, v);
    case RES_SECRET:
        return store_bytes(SECRET(sec), &sec->secret_len, TERN_MAX_SECRET, v);
    case RES_SSID:
        if ((rc = store_u32(&u, v, TERN_ID_NONE - 1)) == 0)
            sec->ssid = (uint16_t)u;
        return rc;
    case RES_HOLDOFF:
        return store_u32(&sec->holdoff_s, v, UINT32_MAX);
    case RES_BS_TIMEOUT:
        return store_u32(&sec->bs_timeout_s, v, UINT32_MAX);
    default:
        return -TERN_COAP_NOT_FOUND;
    }
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
