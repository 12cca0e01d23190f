/*
 * Access control (OMA LwM2M 1.0 TS 7.3): which server may do what on an
 * object instance once several servers share the device. With one
 * server every operation is allowed. Otherwise the instance's Access
 * Control object instance decides:
 *   - the server's own ACL entry (resource instance = its Short Server ID);
 *   - failing that, full rights if it is the Access Control Owner;
 *   - failing that, the default entry (resource instance 0);
 *   - no entry, or no Access Control instance at all: 4.01.
 * Create is governed by the instance whose Object Instance ID is 65535.
 */
#include "core/log.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_ACL

static int servers_in_use(const tern_client_t *c)
{
    int n = 0;
    for (int s = 0; s < TERN_MAX_SERVERS; s++)
        n += c->servers[s].used;
    return n;
}

int tern_access_check(tern_client_t *c, int server, uint16_t oid, uint16_t oiid, uint8_t right)
{
    if (server < 0 || servers_in_use(c) <= 1)
        return 0;
    uint16_t ssid = c->servers[server].ssid;
    tern_acl_inst_t *a = tern_acl_find(c, oid, oiid);
    uint8_t rights = 0;
    if (a != NULL) {
        const uint8_t *entry = tern_acl_rights(a, ssid);
        if (entry == NULL && a->ids[TERN_ACL_OWNER] == ssid)
            rights = TERN_ACL_ALL & (uint8_t)~TERN_ACL_CREATE;
        else if (entry != NULL || (entry = tern_acl_rights(a, 0)) != NULL)
            rights = *entry;
    } else if (oid == 2) {
        /* an Access Control instance is managed by its owner only */
        const tern_acl_inst_t *self = tern_acl_instance(c, oiid);
        rights = self == NULL || self->ids[TERN_ACL_OWNER] == ssid ? TERN_ACL_ALL : TERN_ACL_READ;
    }
    if ((rights & right) == right)
        return 0;
    TERN_LOG_I(c->port, "lwm2m: server %u has no right 0x%x on /%u/%u", ssid, right, oid, oiid);
    return -TERN_COAP_UNAUTHORIZED;
}

void tern_access_created(tern_client_t *c, int server, uint16_t oid, uint16_t oiid)
{
    /* TS 7.3.1: an instance a server creates gets an Access Control
     * instance with that server as its owner */
    if (server >= 0 && oid != 2 && servers_in_use(c) > 1
        && tern_acl_add(c, oid, oiid, c->servers[server].ssid) == NULL)
        TERN_LOG_W(c->port, "lwm2m: no room for the Access Control instance of /%u/%u", oid, oiid);
}

void tern_access_deleted(tern_client_t *c, uint16_t oid, uint16_t oiid)
{
    tern_acl_inst_t *a = oid != 2 ? tern_acl_find(c, oid, oiid) : NULL;
    if (a != NULL) {
        (void)tern_dm_iid_delete(&c->acl_obj, a->ids[TERN_ACL_IID]);
        a->used = 0;
        c->config_dirty = 1;
    }
}

#else
typedef int tern_access_disabled_t;
#endif /* TERN_WITH_ACL */
