/*
 * Server accounts: a Security instance (object 0) plus, for an LwM2M
 * server, a Server instance (object 1) linked by the Short Server ID.
 */
#include <string.h>

#include "core/uri.h"
#include "lwm2m/lwm2m.h"

#define DEFAULT_LIFETIME_S 86400u
#define DEFAULT_DISABLE_S 86400u

tern_security_inst_t *tern_security_for_ssid(tern_client_t *c, uint16_t ssid)
{
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        tern_security_inst_t *sec = &c->security[i];
        if (sec->used && !sec->bootstrap && sec->ssid == ssid)
            return sec;
    }
    return NULL;
}

int tern_conn_open(tern_client_t *c, const char *uri, size_t uri_len,
                   const tern_security_inst_t *sec, uint16_t local_port, tern_addr_t *peer,
                   int16_t *conn)
{
    tern_uri_t u;
    if (uri == NULL) {
        uri = sec->uri;
        uri_len = strlen(uri);
    }
    if (tern_uri_parse(uri, uri_len, &u) != 0 || u.host.len >= TERN_MAX_URI)
        return -TERN_COAP_BAD_REQUEST;
#if TERN_WITH_BLOCK
    /* a download over coaps:// uses the first account that has DTLS
     * credentials (the device has no others) */
    for (int i = 0; i < TERN_MAX_SECURITY && sec == NULL && u.secure; i++) {
        if (c->security[i].used && c->security[i].mode != TERN_SEC_NOSEC)
            sec = &c->security[i];
    }
    if (sec == NULL && u.secure)
        return -TERN_COAP_NOT_IMPLEMENTED;
#endif
    /* TS E.1: coaps:// goes with PSK, RPK or certificates, coap:// with NoSec */
    if (sec == NULL ? u.secure : u.secure != (sec->mode != TERN_SEC_NOSEC))
        return -TERN_COAP_BAD_REQUEST;
    tern_net_security_t creds;
    if (u.secure) {
        tern_net_security_t cr = { sec->mode,          IDENTITY(sec),   sec->identity_len,
                                   SECRET(sec),        sec->secret_len, SERVER_KEY(sec),
                                   sec->server_key_len };
        creds = cr;
    }
    char host[TERN_MAX_URI];
    memcpy(host, u.host.ptr, u.host.len);
    host[u.host.len] = '\0';
    tern_net_params_t params = { host, u.port, local_port, u.secure ? &creds : NULL };
    int rc = c->port->ops->net_open(c->port->ctx, &params, peer);
    if (rc < 0)
        return rc;
    *conn = (int16_t)rc;
    return 0;
}

void tern_conn_close(tern_client_t *c, int16_t *conn)
{
    if (*conn >= 0) {
        tern_coap_cancel_conn(&c->coap, *conn);
        c->port->ops->net_close(c->port->ctx, *conn);
    }
    *conn = -1;
}

/* The LwM2M 1.0 bindings U, UQ, S, SQ, US and UQS, each read as a number
 * with the base-4 digits U=1, Q=2, S=3: bit n of VALID_BINDINGS is set
 * when n is one of them. */
#define BINDING_BIT(code) (1u << (code))
#define VALID_BINDINGS                                                                             \
    (BINDING_BIT(1) | BINDING_BIT(6) | BINDING_BIT(3) | BINDING_BIT(14) | BINDING_BIT(7)           \
     | BINDING_BIT((1 * 4 + 2) * 4 + 3))

bool tern_binding_valid(const char *b, size_t len)
{
    uint32_t code = 0;
    if (len > 3)
        return false;
    for (size_t i = 0; i < len; i++) {
        uint32_t digit = b[i] == 'U' ? 1 : b[i] == 'Q' ? 2 : b[i] == 'S' ? 3 : 0;
        if (digit == 0)
            return false;
        code = code * 4 + digit;
    }
    return code < 32 && (VALID_BINDINGS >> code) & 1u;
}

static bool bytes_fit(const uint8_t *p, size_t len, size_t cap)
{
    return len <= cap && (len == 0 || p != NULL);
}

tern_server_inst_t *tern_server_init(tern_client_t *c, int s, uint16_t iid)
{
    tern_server_inst_t *srv = &c->servers[s];
    memset(srv, 0, sizeof(*srv)); /* TERN_REG_IDLE, nothing in flight */
    srv->used = 1;
    srv->iid = iid;
    srv->lifetime_s = DEFAULT_LIFETIME_S;
    srv->disable_s = DEFAULT_DISABLE_S;
    srv->storing = 1;
    srv->binding[0] = 'U';
    srv->conn = -1;
    srv->next_time = c->now;
    return srv;
}

void tern_server_forget(tern_client_t *c, int s)
{
    tern_server_inst_t *srv = &c->servers[s];
    tern_conn_close(c, &srv->conn);
#if TERN_WITH_OBSERVE
    tern_observe_drop_server(c, s);
    tern_attrs_drop_server(c, s);
#endif
    srv->used = 0;
}

int tern_server_add(tern_client_t *c, const tern_server_config_t *cfg)
{
    tern_uri_t uri;
    bool bootstrap = cfg->bootstrap;
    const char *binding = cfg->binding != NULL ? cfg->binding : "U";
    size_t binding_len = strlen(binding);
    size_t uri_len = cfg->uri != NULL ? strlen(cfg->uri) : TERN_MAX_URI;
    if (uri_len >= TERN_MAX_URI || tern_uri_parse(cfg->uri, uri_len, &uri) != 0
        || (!bootstrap
            && (cfg->ssid == 0 || cfg->ssid == TERN_ID_NONE
                || tern_server_by_ssid(c, cfg->ssid) >= 0))
        || !tern_binding_valid(binding, binding_len) || cfg->mode > TERN_SEC_NOSEC
        || !bytes_fit(cfg->identity, cfg->identity_len, TERN_MAX_IDENTITY)
        || !bytes_fit(cfg->secret, cfg->secret_len, TERN_MAX_SECRET)
        || !bytes_fit(cfg->server_key, cfg->server_key_len, TERN_MAX_SERVER_KEY))
        return -TERN_COAP_BAD_REQUEST;
    if (bootstrap && !TERN_WITH_BOOTSTRAP)
        return TERN_ERR_ARG;
    int s = 0;
    while (s < TERN_MAX_SERVERS && c->servers[s].used)
        s++;
    tern_security_inst_t *sec = c->security;
    while (sec < c->security + TERN_MAX_SECURITY && sec->used)
        sec++;
    if (sec == c->security + TERN_MAX_SECURITY || (!bootstrap && s == TERN_MAX_SERVERS))
        return TERN_ERR_NO_SPACE;
    /* the objects hold as many instance ids as there are slots: a free
     * slot has a free id, and the inserts below cannot fail */
    memset(sec, 0, sizeof(*sec));
    sec->used = 1;
    sec->iid = tern_dm_free_iid(&c->security_obj);
    sec->bootstrap = bootstrap;
    sec->mode = (uint8_t)cfg->mode;
    sec->holdoff_s = cfg->holdoff_s;
    memcpy(sec->uri, cfg->uri, uri_len); /* the rest is zeroed */
#if TERN_MAX_IDENTITY > 0
    sec->identity_len = (uint16_t)cfg->identity_len;
    if (cfg->identity_len > 0)
        memcpy(sec->identity, cfg->identity, cfg->identity_len);
#endif
#if TERN_MAX_SECRET > 0
    sec->secret_len = (uint16_t)cfg->secret_len;
    if (cfg->secret_len > 0)
        memcpy(sec->secret, cfg->secret, cfg->secret_len);
#endif
#if TERN_MAX_SERVER_KEY > 0
    sec->server_key_len = (uint16_t)cfg->server_key_len;
    if (cfg->server_key_len > 0)
        memcpy(sec->server_key, cfg->server_key, cfg->server_key_len);
#endif
    (void)tern_dm_iid_insert(&c->security_obj, sec->iid);
    if (bootstrap)
        return 0;
    sec->ssid = cfg->ssid;
    tern_server_inst_t *srv = tern_server_init(c, s, tern_dm_free_iid(&c->server_obj));
    srv->ssid = cfg->ssid;
    if (cfg->lifetime_s != 0)
        srv->lifetime_s = cfg->lifetime_s;
    srv->pmin_s = cfg->default_pmin_s;
    srv->pmax_s = cfg->default_pmax_s;
    memcpy(srv->binding, binding, binding_len + 1);
    return tern_dm_iid_insert(&c->server_obj, srv->iid);
}
