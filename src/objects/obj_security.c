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

#if TERN_WITH_KEYS
#define KEY_FIELD(rid, len)                                                                        \
    {                                                                                              \
        0, TERN_FIELD_KEY, rid                                                                     \
    }
#else
/* No key storage: a key reads empty and takes only an empty write, as a
 * text field of one byte does; its length, which stays 0, is that text. */
#define KEY_FIELD(rid, len) SECURITY_FIELD(len, TERN_FIELD_STRING, 1)
#endif

/* By resource id (6..9 do not exist); the opaque keys are not plain
 * fields (their sizes are set per build, up to kilobytes): they go to
 * tern_security_key() when the build stores keys. */
const tern_field_t TERN_SECURITY_FIELDS[] = {
    SECURITY_FIELD(uri, TERN_FIELD_STRING, TERN_MAX_URI), /* at most 255: config_check.h */
    SECURITY_FIELD(bootstrap, TERN_FIELD_BOOL, 0),
    SECURITY_FIELD(mode, TERN_FIELD_U8, TERN_SEC_NOSEC),
    KEY_FIELD(RES_IDENTITY, identity_len),
    KEY_FIELD(RES_SERVER_KEY, server_key_len),
    KEY_FIELD(RES_SECRET, secret_len),
    [RES_SSID] = SECURITY_FIELD(ssid, TERN_FIELD_U16, 0),
    SECURITY_FIELD(holdoff_s, TERN_FIELD_U32, 0),
    SECURITY_FIELD(bs_timeout_s, TERN_FIELD_U32, 0),
};

#if TERN_WITH_KEYS
int tern_security_key(tern_security_inst_t *sec, uint16_t rid, tern_value_t *out,
                      const tern_value_t *in)
{
    size_t cap = rid == RES_IDENTITY ? TERN_MAX_IDENTITY
                 : rid == RES_SECRET ? TERN_MAX_SECRET
                                     : TERN_MAX_SERVER_KEY;
    if (in != NULL && in->v.bytes.len > cap)
        return -TERN_COAP_BAD_REQUEST;
    if (sec == NULL)
        return 0;
    uint8_t *data = SERVER_KEY(sec);
    uint16_t *len = &sec->server_key_len;
    if (rid == RES_IDENTITY) {
        data = IDENTITY(sec);
        len = &sec->identity_len;
    } else if (rid == RES_SECRET) {
        data = SECRET(sec);
        len = &sec->secret_len;
    }
    if (out != NULL) {
        out->v.bytes.ptr = data != NULL ? data : (const uint8_t *)"";
        out->v.bytes.len = *len;
        return 0;
    }
    if (data != NULL && in->v.bytes.len > 0)
        memcpy(data, in->v.bytes.ptr, in->v.bytes.len);
    *len = (uint16_t)in->v.bytes.len;
    return 0;
}
#endif

static const tern_object_def_t SECURITY_DEF = {
    .oid = 0,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &TERN_CONFIG_OPS,
    .multiple = true,
};

void tern_security_object_init(tern_client_t *c)
{
    c->security_obj.def = &SECURITY_DEF;
    c->security_obj.iids = c->security_iids;
    c->security_obj.max_iids = TERN_MAX_SECURITY;
    (void)tern_object_register(c, &c->security_obj);
}
