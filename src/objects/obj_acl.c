/*
 * LwM2M Access Control object (2), kept inside the client: who may do
 * what on each object instance when several servers share the device.
 * The checks themselves are in src/lwm2m/access.c.
 */
#include <string.h>

#include "lwm2m/lwm2m.h"

#if TERN_WITH_ACL

enum { RES_OID = 0, RES_OIID = 1, RES_ACL = 2, RES_OWNER = 3 };

static const tern_res_def_t RESOURCES[] = {
    { RES_OID, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_OIID, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_ACL, TERN_TYPE_INTEGER, TERN_RES_RW | TERN_RES_MULTIPLE },
    { RES_OWNER, TERN_TYPE_INTEGER, TERN_RES_RW },
};

tern_acl_inst_t *tern_acl_lookup(tern_client_t *c, uint32_t key, bool by_target)
{
    for (tern_acl_inst_t *a = c->acl; a < c->acl + TERN_MAX_ACL; a++) {
        if (a->used
            && (by_target ? a->ids[TERN_ACL_OID] | (uint32_t)a->ids[TERN_ACL_OIID] << 16
                          : a->ids[TERN_ACL_IID])
                   == key)
            return a;
    }
    return NULL;
}

uint8_t *tern_acl_rights(tern_acl_inst_t *a, uint16_t ssid)
{
    for (int k = 0; k < a->n; k++) {
        if (a->ssids[k] == ssid)
            return &a->rights[k];
    }
    return NULL;
}

/* The callbacks get paths to existing instances, whose slots are in use. */
static int acl_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path, tern_value_t *v)
{
    (void)obj;
    tern_acl_inst_t *a = tern_acl_instance(c, path->ids[1]);
    if (path->ids[2] != RES_ACL) {
        v->v.i = a->ids[path->ids[2]];
        return 0;
    }
    const uint8_t *rights = tern_acl_rights(a, path->ids[3]);
    if (rights == NULL)
        return -TERN_COAP_NOT_FOUND;
    v->v.i = *rights;
    return 0;
}

/* The engine has resolved the resource; a Bootstrap-Write to an instance
 * it creates is not checked first, so the value is checked on every
 * write. Object IDs stop at 65534; the rest are 16-bit (the ACL's type:
 * only its five rights bits mean anything). obj NULL: only the check. */
static int acl_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                     const tern_value_t *v)
{
    uint64_t max = path->ids[2] == RES_OID ? TERN_ID_NONE - 1 : 0xffff;
    int rc = (uint64_t)v->v.i > max ? -TERN_COAP_BAD_REQUEST : 0;
    if (obj == NULL)
        return rc;
    tern_acl_inst_t *a = tern_acl_instance(c, path->ids[1]);
    if (rc != 0)
        return rc;
    c->config_dirty = 1;
    if (path->ids[2] != RES_ACL) {
        a->ids[path->ids[2]] = (uint16_t)v->v.i;
        return 0;
    }
    uint8_t *rights = tern_acl_rights(a, path->ids[3]);
    if (rights == NULL) {
        if (a->n >= TERN_MAX_ACL_ENTRIES)
            return -TERN_COAP_INTERNAL_SERVER_ERROR;
        a->ssids[a->n] = path->ids[3];
        rights = &a->rights[a->n++];
    }
    *rights = (uint8_t)(v->v.i & TERN_ACL_ALL);
    return 0;
}

static int acl_clear(tern_client_t *c, tern_object_t *obj, const tern_path_t *path)
{
    (void)obj;
    /* an instance's only optional content is its ACL list */
    tern_acl_instance(c, path->ids[1])->n = 0;
    return 0;
}

static int acl_next(tern_client_t *c, tern_object_t *obj, const tern_path_t *res, uint16_t prev)
{
    (void)obj;
    tern_acl_inst_t *a = tern_acl_instance(c, res->ids[1]);
    /* the smallest Short Server ID from prev + 1 on (prev TERN_ID_NONE: from 0) */
    uint16_t from = (uint16_t)(prev + 1);
    int best = -1;
    for (int k = a->n; k > 0; k--) {
        uint16_t id = a->ssids[k - 1];
        if (id >= from && (unsigned)id < (unsigned)best)
            best = id;
    }
    return best;
}

/* Instance iid, fresh, in a free slot: the caller has put iid in the
 * object's list, which holds as many ids as there are slots. */
static tern_acl_inst_t *acl_fresh(tern_client_t *c, uint16_t iid)
{
    tern_acl_inst_t *a = c->acl;
    while (a->used)
        a++;
    memset(a, 0, sizeof(*a));
    a->used = 1;
    a->ids[TERN_ACL_IID] = iid;
    a->ids[TERN_ACL_OWNER] = TERN_ID_NONE;
    c->config_dirty = 1;
    return a;
}

static int acl_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    (void)acl_fresh(c, iid);
    return 0;
}

static int acl_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)obj;
    tern_acl_instance(c, iid)->used = 0;
    c->config_dirty = 1;
    return 0;
}

static const tern_object_ops_t ACL_OPS = {
    .read = acl_read,
    .write = acl_write,
    .create = acl_create,
    .remove = acl_remove,
    .clear = acl_clear,
    .next_res_instance = acl_next,
};

static const tern_object_def_t ACL_DEF = {
    .oid = 2,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &ACL_OPS,
    .multiple = true,
};

void tern_acl_object_init(tern_client_t *c)
{
    c->acl_obj.def = &ACL_DEF;
    c->acl_obj.iids = c->acl_iids;
    c->acl_obj.max_iids = TERN_MAX_ACL;
    (void)tern_object_register(c, &c->acl_obj);
}

tern_acl_inst_t *tern_acl_add(tern_client_t *c, uint16_t oid, uint16_t oiid, uint16_t owner)
{
    tern_acl_inst_t *a = tern_acl_find(c, oid, oiid);
    if (a == NULL) {
        uint16_t iid = tern_dm_free_iid(&c->acl_obj);
        if (tern_dm_iid_insert(&c->acl_obj, iid) != 0)
            return NULL;
        a = acl_fresh(c, iid);
        a->ids[TERN_ACL_OID] = oid;
        a->ids[TERN_ACL_OIID] = oiid;
        a->ids[TERN_ACL_OWNER] = owner;
    }
    return a;
}

int tern_acl_set(tern_client_t *c, uint16_t oid, uint16_t oiid, uint16_t ssid, uint8_t rights)
{
    tern_acl_inst_t *a = tern_acl_add(c, oid, oiid, TERN_ID_NONE);
    if (a == NULL)
        return TERN_ERR_NO_SPACE;
    tern_path_t p = tern_path(4, 2, a->ids[TERN_ACL_IID], RES_ACL, ssid);
    tern_value_t v;
    v.type = TERN_TYPE_INTEGER;
    v.v.i = rights;
    return acl_write(c, &c->acl_obj, &p, &v);
}

int tern_acl_owner(tern_client_t *c, uint16_t oid, uint16_t oiid, uint16_t owner)
{
    tern_acl_inst_t *a = tern_acl_add(c, oid, oiid, owner);
    if (a == NULL)
        return TERN_ERR_NO_SPACE;
    a->ids[TERN_ACL_OWNER] = owner;
    return 0;
}

#else
typedef int tern_acl_disabled_t;
#endif /* TERN_WITH_ACL */
