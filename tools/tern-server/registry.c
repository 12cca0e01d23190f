/* The LwM2M registration interface (see registry.h).
 *
 *   client                                   tern-server
 *     | POST /rd?ep=bulb1&lt=60&lwm2m=1.0&b=U     |
 *     |   </1/0>,</3/0>,</3311/0>                 |
 *     |------------------------------------------>|  2.01 Location-Path rd/<id>
 *     | POST /rd/<id>[?lt=..&b=..] [new objects]  |
 *     |------------------------------------------>|  2.04 (4.04 if unknown)
 *     | DELETE /rd/<id>                           |
 *     |------------------------------------------>|  2.02 (4.04 if unknown)
 *
 * Requests to /rd/<id> reach libcoap's "unknown resource" handler, which
 * answers 4.04 itself for locations we do not know and keeps us from
 * creating one libcoap resource per registration.
 */
#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtls.h"
#include "ops.h"
#include "out.h"

typedef struct reg_params {
    char *ep, *lt, *lwm2m, *b, *sms;
    bool q;
} reg_params_t;

static void params_free(reg_params_t *p)
{
    free(p->ep);
    free(p->lt);
    free(p->lwm2m);
    free(p->b);
    free(p->sms);
    memset(p, 0, sizeof(*p));
}

/* Reads the Uri-Query options. allowed lists the parameters this request
 * may carry. Returns false with a reason for duplicates and strangers. */
static bool params_parse(const coap_pdu_t *req, const char *const *allowed, reg_params_t *p,
                         char *why, size_t whylen)
{
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    memset(p, 0, sizeof(*p));
    coap_option_iterator_init(req, &it, COAP_OPT_ALL);
    while ((opt = coap_option_next(&it)) != NULL) {
        if (it.number != COAP_OPTION_URI_QUERY)
            continue;
        const char *v = (const char *)coap_opt_value(opt);
        size_t len = coap_opt_length(opt);
        const char *eq = memchr(v, '=', len);
        size_t nlen = eq ? (size_t)(eq - v) : len;
        char name[16];
        if (nlen == 0 || nlen >= sizeof(name)) {
            snprintf(why, whylen, "bad query parameter '%.*s'", (int)len, v);
            return false;
        }
        memcpy(name, v, nlen);
        name[nlen] = '\0';
        bool ok = false;
        for (size_t i = 0; allowed[i] != NULL; i++)
            ok = ok || strcmp(allowed[i], name) == 0;
        if (!ok) {
            snprintf(why, whylen, "unknown query parameter '%s'", name);
            return false;
        }
        char *value = eq ? xstrndup(eq + 1, len - nlen - 1) : NULL;
        char **slot = strcmp(name, "ep") == 0      ? &p->ep
                      : strcmp(name, "lt") == 0    ? &p->lt
                      : strcmp(name, "lwm2m") == 0 ? &p->lwm2m
                      : strcmp(name, "b") == 0     ? &p->b
                      : strcmp(name, "sms") == 0   ? &p->sms
                                                   : NULL;
        if (slot == NULL) { /* Q: a flag without value */
            free(value);
            if (eq != NULL || p->q) {
                snprintf(why, whylen, "bad Q parameter (a bare flag, once)");
                return false;
            }
            p->q = true;
            continue;
        }
        if (*slot != NULL || value == NULL) {
            free(value);
            snprintf(why, whylen, "%s parameter '%s'", value ? "duplicate" : "valueless", name);
            return false;
        }
        *slot = value;
    }
    return true;
}

static bool parse_lifetime(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] == '\0' || s[0] == '-' || *end != '\0' || errno != 0 || v == 0 || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool binding_valid(const char *b)
{
    return b[0] != '\0' && strspn(b, "UQSNT") == strlen(b);
}

static void reject(srv_t *srv, coap_session_t *s, coap_pdu_t *resp, int code, const char *what,
                   const char *why)
{
    char peer[64];
    coap_print_addr(coap_session_get_addr_remote(s), (uint8_t *)peer, sizeof(peer));
    coap_pdu_set_code(resp, (coap_pdu_code_t)code);
    coap_add_data(resp, strlen(why), (const uint8_t *)why);
    out_rejected(srv, what, code, why, peer);
}

static void set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = value ? xstrdup(value) : NULL;
}

static void set_session(srv_client_t *c, coap_session_t *s)
{
    if (c->session == s)
        return;
    if (c->session != NULL)
        coap_session_release(c->session);
    c->session = s ? coap_session_reference(s) : NULL;
    c->peer[0] = '\0';
    if (s != NULL)
        coap_print_addr(coap_session_get_addr_remote(s), (uint8_t *)c->peer, sizeof(c->peer));
}

/* The payload as one body (libcoap reassembles Block1 for us). */
static void get_payload(const coap_pdu_t *req, const uint8_t **data, size_t *len)
{
    size_t offset, total;
    *data = NULL;
    *len = 0;
    if (!coap_get_data_large(req, len, data, &offset, &total)) {
        *data = NULL;
        *len = 0;
    }
}

/* Checks the Content-Format (link format, or none) and the link syntax;
 * fills root with the alternate path (rt="oma.lwm2m"). */
static bool check_object_list(const coap_pdu_t *req, const uint8_t *data, size_t len, char **root,
                              char *why, size_t whylen)
{
    coap_opt_iterator_t it;
    coap_opt_t *cf = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it);
    if (cf != NULL) {
        unsigned v = coap_decode_var_bytes(coap_opt_value(cf), coap_opt_length(cf));
        if (v != COAP_MEDIATYPE_APPLICATION_LINK_FORMAT) {
            snprintf(why, whylen, "object list has Content-Format %u, expected 40 (link format)",
                     v);
            return false;
        }
    }
    srv_links_t links;
    if (links_parse((const char *)data, len, &links) != 0) {
        snprintf(why, whylen, "bad object list: %s", links.error);
        links_free(&links);
        return false;
    }
    *root = xstrdup("");
    for (size_t i = 0; i < links.n; i++) {
        const char *rt = link_attr(&links.v[i], "rt");
        if (rt != NULL && strcmp(rt, "oma.lwm2m") == 0) {
            free(*root);
            /* "/" means no alternate path */
            *root = xstrdup(strcmp(links.v[i].uri, "/") == 0 ? "" : links.v[i].uri);
        }
    }
    links_free(&links);
    return true;
}

static srv_client_t *client_get(srv_t *srv, const char *ep)
{
    srv_client_t *c = registry_find(srv, ep);
    if (c == NULL) {
        c = xcalloc(1, sizeof(*c));
        c->ep = xstrdup(ep);
        c->next = srv->clients;
        srv->clients = c;
    }
    return c;
}

/* A fresh random location, so that a client still holding one from an
 * earlier run of tern-server gets 4.04 rather than someone else's. */
static void new_location(srv_t *srv, char *out, size_t size)
{
    char loc[24];
    bool taken;
    do {
        uint32_t r = 0;
        coap_prng(&r, sizeof(r));
        snprintf(loc, sizeof(loc), "/rd/%08x", (unsigned)r);
        taken = false;
        for (srv_client_t *c = srv->clients; c != NULL; c = c->next)
            taken = taken || strcmp(c->location, loc) == 0;
    } while (taken);
    snprintf(out, size, "%s", loc);
}

/* Ends a registration (De-register, expiry, or a new Register). */
static void drop(srv_t *srv, srv_client_t *c)
{
    ops_client_gone(srv, c);
    set_session(c, NULL);
    c->registered = false;
}

static void hnd_register(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                         const coap_string_t *query, coap_pdu_t *resp)
{
    static const char *const allowed[] = { "ep", "lt", "lwm2m", "b", "sms", "Q", NULL };
    srv_t *srv = srv_from_session(s);
    reg_params_t p;
    char why[160];
    uint32_t lifetime = 86400; /* LwM2M's default when lt is absent */
    const uint8_t *data;
    size_t len;
    char *root = NULL;
    (void)r;
    (void)query;
    dtls_session_active(srv, s);
    if (srv->refuse_code != 0) { /* the refuse-registration command */
        reject(srv, s, resp, srv->refuse_code, "register", "refused (refuse-registration)");
        return;
    }
    if (!params_parse(req, allowed, &p, why, sizeof(why))) {
        reject(srv, s, resp, COAP_RESPONSE_CODE_BAD_REQUEST, "register", why);
        params_free(&p);
        return;
    }
    get_payload(req, &data, &len);
    if (p.ep == NULL || p.ep[0] == '\0')
        snprintf(why, sizeof(why), "missing endpoint name (ep=)");
    else if (p.lt != NULL && !parse_lifetime(p.lt, &lifetime))
        snprintf(why, sizeof(why), "bad lifetime lt=%s", p.lt);
    else if (p.b != NULL && !binding_valid(p.b))
        snprintf(why, sizeof(why), "bad binding b=%s", p.b);
    else if (check_object_list(req, data, len, &root, why, sizeof(why)))
        why[0] = '\0';
    if (why[0] != '\0') {
        reject(srv, s, resp, COAP_RESPONSE_CODE_BAD_REQUEST, "register", why);
        params_free(&p);
        free(root);
        return;
    }

    srv_client_t *c = client_get(srv, p.ep);
    char old_location[sizeof(c->location)] = "";
    if (c->registered) {
        snprintf(old_location, sizeof(old_location), "%s", c->location);
        drop(srv, c);
    }
    c->registered = true;
    c->generation = ++srv->next_generation;
    new_location(srv, c->location, sizeof(c->location));
    c->lifetime = lifetime;
    c->expires_at = now_ms() + (int64_t)lifetime * 1000;
    set_str(&c->lwm2m, p.lwm2m);
    set_str(&c->binding, p.b ? p.b : "U");
    set_str(&c->sms, p.sms);
    c->queue = p.q || strchr(c->binding, 'Q') != NULL;
    free(c->links);
    c->links = xstrndup((const char *)(data ? data : (const uint8_t *)""), len);
    free(c->root);
    c->root = root;
    set_session(c, s);
    c->registrations++;
    params_free(&p);

    coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CREATED);
    coap_add_option(resp, COAP_OPTION_LOCATION_PATH, 2, (const uint8_t *)"rd");
    const char *id = c->location + 4;
    coap_add_option(resp, COAP_OPTION_LOCATION_PATH, strlen(id), (const uint8_t *)id);
    out_client_event(srv, "registered", c, old_location[0] ? old_location : NULL);
}

static srv_client_t *find_location(srv_t *srv, const coap_pdu_t *req)
{
    coap_string_t *path = coap_get_uri_path(req);
    srv_client_t *found = NULL;
    if (path == NULL)
        return NULL;
    for (srv_client_t *c = srv->clients; c != NULL; c = c->next) {
        const char *loc = c->location + 1; /* without the leading '/' */
        if (c->registered && path->length == strlen(loc) && memcmp(path->s, loc, path->length) == 0)
            found = c;
    }
    coap_delete_string(path);
    return found;
}

static void hnd_update(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                       const coap_string_t *query, coap_pdu_t *resp)
{
    static const char *const allowed[] = { "lt", "b", "sms", "Q", NULL };
    srv_t *srv = srv_from_session(s);
    srv_client_t *c = find_location(srv, req);
    reg_params_t p;
    char why[160] = "";
    dtls_session_active(srv, s);
    uint32_t lifetime = 0;
    const uint8_t *data;
    size_t len;
    char *root = NULL;
    (void)r;
    (void)query;
    if (c == NULL) {
        reject(srv, s, resp, COAP_RESPONSE_CODE_NOT_FOUND, "update", "unknown registration");
        return;
    }
    get_payload(req, &data, &len);
    bool ok = params_parse(req, allowed, &p, why, sizeof(why));
    if (ok && p.lt != NULL && !parse_lifetime(p.lt, &lifetime)) {
        snprintf(why, sizeof(why), "bad lifetime lt=%s", p.lt);
        ok = false;
    }
    if (ok && p.b != NULL && !binding_valid(p.b)) {
        snprintf(why, sizeof(why), "bad binding b=%s", p.b);
        ok = false;
    }
    if (ok && len > 0)
        ok = check_object_list(req, data, len, &root, why, sizeof(why));
    if (!ok) {
        reject(srv, s, resp, COAP_RESPONSE_CODE_BAD_REQUEST, "update", why);
        params_free(&p);
        free(root);
        return;
    }
    if (p.lt != NULL)
        c->lifetime = lifetime;
    c->expires_at = now_ms() + (int64_t)c->lifetime * 1000;
    if (p.b != NULL)
        set_str(&c->binding, p.b);
    if (p.sms != NULL)
        set_str(&c->sms, p.sms);
    c->queue = p.q || strchr(c->binding, 'Q') != NULL;
    if (len > 0) {
        free(c->links);
        c->links = xstrndup((const char *)data, len);
        free(c->root);
        c->root = root;
    }
    set_session(c, s); /* the client may have a new address */
    c->updates++;
    params_free(&p);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE_CHANGED);
    out_client_event(srv, "updated", c, NULL);
}

static void hnd_deregister(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                           const coap_string_t *query, coap_pdu_t *resp)
{
    srv_t *srv = srv_from_session(s);
    srv_client_t *c = find_location(srv, req);
    (void)r;
    (void)query;
    if (c == NULL) {
        reject(srv, s, resp, COAP_RESPONSE_CODE_NOT_FOUND, "de-register", "unknown registration");
        return;
    }
    drop(srv, c);
    c->ends++;
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE_DELETED);
    out_client_event(srv, "deregistered", c, NULL);
}

static void hnd_other(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *query, coap_pdu_t *resp)
{
    (void)r;
    (void)s;
    (void)req;
    (void)query;
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE_NOT_FOUND);
}

void registry_init(srv_t *srv)
{
    coap_resource_t *rd = coap_resource_init(coap_make_str_const("rd"), 0);
    coap_register_handler(rd, COAP_REQUEST_POST, hnd_register);
    coap_add_resource(srv->ctx, rd);

    coap_resource_t *unknown = coap_resource_unknown_init2(hnd_other, 0);
    coap_register_handler(unknown, COAP_REQUEST_POST, hnd_update);
    coap_register_handler(unknown, COAP_REQUEST_DELETE, hnd_deregister);
    coap_add_resource(srv->ctx, unknown);
    srv->unknown = unknown;
}

void registry_tick(srv_t *srv, int64_t now)
{
    for (srv_client_t *c = srv->clients; c != NULL; c = c->next) {
        if (c->registered && now >= c->expires_at) {
            drop(srv, c);
            c->ends++;
            out_client_event(srv, "expired", c, NULL);
        }
    }
}

int64_t registry_next_expiry(const srv_t *srv)
{
    int64_t next = INT64_MAX;
    for (const srv_client_t *c = srv->clients; c != NULL; c = c->next)
        if (c->registered && c->expires_at < next)
            next = c->expires_at;
    return next;
}

srv_client_t *registry_find(srv_t *srv, const char *ep)
{
    for (srv_client_t *c = srv->clients; c != NULL; c = c->next)
        if (strcmp(c->ep, ep) == 0)
            return c;
    return NULL;
}

void registry_free(srv_t *srv)
{
    while (srv->clients != NULL) {
        srv_client_t *c = srv->clients;
        srv->clients = c->next;
        set_session(c, NULL);
        free(c->ep);
        free(c->lwm2m);
        free(c->binding);
        free(c->sms);
        free(c->links);
        free(c->root);
        free(c);
    }
}
