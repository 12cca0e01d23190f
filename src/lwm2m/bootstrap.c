/*
 * Bootstrap interface (OMA LwM2M 1.0 TS 5.2):
 *
 *   IDLE --no usable server--> HOLDOFF: connection to the Bootstrap-Server
 *     open, accepting server-initiated bootstrap for the hold-off time
 *   HOLDOFF --time up--> POST /bs?ep=  (client-initiated)
 *   HOLDOFF or waiting --a Bootstrap operation arrives--> WAITING
 *   WAITING: Bootstrap-Delete / -Write / -Discover / Read, until
 *     Bootstrap-Finish: consistent -> 2.04, save, register with the new
 *     servers; inconsistent -> 4.06 and keep waiting
 *   no Finish within TERN_BOOTSTRAP_TIMEOUT_S, or the request fails ->
 *     back off and start over
 *
 * The Bootstrap-Server may write anything, read-only resources included,
 * bypasses access control, and is the only one that sees the Security
 * object.
 */
#include <string.h>

#include "core/compiler.h"
#include "core/log.h"
#include "core/uri.h"
#include "lwm2m/lwm2m.h"
#include "objects/fields.h"

#if TERN_WITH_BOOTSTRAP || TERN_WITH_PERSISTENCE
/* Whether /oid/iid is the Bootstrap-Server's own Security instance. */
static bool is_bs_account(tern_client_t *c, uint16_t oid, uint16_t iid)
{
    const tern_security_inst_t *sec = oid == 0 ? tern_security_instance(c, iid) : NULL;
    return sec != NULL && sec->bootstrap;
}

void tern_delete_instances(tern_client_t *c, tern_object_t *obj, int iid, bool keep_bs_account)
{
    /* no remove: nothing to delete (the Device object) */
    int (*remove)(tern_client_t *, tern_object_t *, uint16_t) = obj->def->ops->remove;
    tern_path_t p = { { obj->def->oid, 0, 0, 0 }, 2 };
    /* from the last: a deletion moves only the ids after it */
    for (const uint16_t *at = obj->iids + obj->n_iids; remove != NULL && at-- > obj->iids;) {
        uint16_t id = *at;
        if ((iid >= 0 && id != iid) || (keep_bs_account && is_bs_account(c, p.ids[0], id))
            || remove(c, obj, id) != 0)
            continue;
        (void)tern_dm_iid_delete(obj, id);
#if TERN_WITH_OBSERVE
        p.ids[1] = id;
        tern_observe_drop_path(c, &p);
#endif
    }
}
#endif

#if TERN_WITH_BOOTSTRAP

tern_security_inst_t *tern_bs_account(tern_client_t *c)
{
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        if (c->security[i].used && c->security[i].bootstrap)
            return &c->security[i];
    }
    return NULL;
}

static void close_bs(tern_client_t *c)
{
    tern_conn_close(c, &c->bs.conn);
    c->bs_in_flight = 0;
}

/* Waits at least wait_s before the Bootstrap-Request, or the back-off
 * when bootstraps keep failing: a refusing server must not make the
 * device spin. */
static TERN_NOINLINE void hold_off(tern_client_t *c, uint32_t wait_s)
{
    uint32_t backoff_s = tern_retry_delay_s(c->bs.attempts);
    c->bs_state = TERN_BS_HOLDOFF;
    tern_deadline_s(c, &c->bs.next_time, wait_s > backoff_s ? wait_s : backoff_s);
}

/* Whether sec's URI parses into *uri and its scheme matches the security
 * mode (TS E.1: coaps:// with PSK, RPK or certificates, coap:// with NoSec). */
static bool uri_usable(const tern_security_inst_t *sec, tern_uri_t *uri)
{
    return tern_uri_parse(sec->uri, strlen(sec->uri), uri) == 0
           && uri->secure == (sec->mode != TERN_SEC_NOSEC);
}

/* Opens the connection to the Bootstrap-Server, bound to the client's
 * local port so a server-initiated bootstrap can find it. */
static int open_bs(tern_client_t *c, tern_security_inst_t *sec)
{
    int rc = tern_conn_open(c, NULL, 0, sec, c->local_port, &c->bs.peer, &c->bs.conn);
    if (rc != 0)
        TERN_LOG_W(c->port, "lwm2m: cannot reach the Bootstrap-Server %s (mode %u): %d", sec->uri,
                   sec->mode, rc);
    return rc;
}

static TERN_NOINLINE void count_attempt(tern_client_t *c)
{
    c->bs.attempts = (uint8_t)(c->bs.attempts < 255 ? c->bs.attempts + 1 : 255);
}

static void bs_failed(tern_client_t *c, const char *why)
{
    count_attempt(c);
    TERN_LOG_W(c->port, "lwm2m: bootstrap failed (%s), next attempt in %lu s", why,
               (unsigned long)tern_retry_delay_s(c->bs.attempts));
    close_bs(c);
    hold_off(c, 0);
}

void tern_bs_start(tern_client_t *c, const char *why)
{
    const tern_security_inst_t *sec = tern_bs_account(c); /* not NULL: the caller checked */
    TERN_LOG_I(c->port, "lwm2m: bootstrapping from %s (%s)", sec->uri, why);
    /* stop talking to the management servers: the bootstrap may replace them */
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        tern_conn_close(c, &c->servers[s].conn); /* and what was under way on it */
        c->servers[s].in_flight = 0;
        c->servers[s].reg_state = TERN_REG_IDLE;
    }
    hold_off(c, sec->holdoff_s);
}

static int send_request(tern_client_t *c, tern_time_t now)
{
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_request_new(&c->coap, c->bs.conn, &c->bs.peer, TERN_COAP_CON, TERN_COAP_POST, &w);
    if (t == NULL)
        return TERN_ERR_NO_SPACE;
    t->tag = TERN_TAG(TERN_TAG_BOOTSTRAP, 0);
    tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_PATH, "bs");
    tern_coap_write_option_kv(&w, TERN_COAP_OPT_URI_QUERY, "ep=", c->endpoint, strlen(c->endpoint));
    int rc = tern_coap_txn_send(&c->coap, t, &w, now);
    if (rc == 0) {
        c->bs_in_flight = 1;
        TERN_LOG_I(c->port, "lwm2m: Bootstrap-Request as '%s'", c->endpoint);
    }
    return rc;
}

void tern_bs_step(tern_client_t *c, tern_time_t now)
{
    tern_security_inst_t *sec = tern_bs_account(c);
    if (c->bs_state == TERN_BS_IDLE || c->bs_in_flight)
        return;
    if (sec == NULL) {
        c->bs_state = TERN_BS_IDLE; /* the account went away */
        close_bs(c);
        return;
    }
    if (c->bs.conn < 0 && open_bs(c, sec) != 0) {
        bs_failed(c, "no connection");
        return;
    }
    if (now < c->bs.next_time)
        return;
    if (c->bs_state == TERN_BS_HOLDOFF)
        (void)send_request(c, now);
    else
        bs_failed(c, "no Bootstrap-Finish in time");
}

static TERN_NOINLINE void wait_for_finish(tern_client_t *c)
{
    c->bs_state = TERN_BS_WAITING;
    tern_deadline_s(c, &c->bs.next_time, TERN_BOOTSTRAP_TIMEOUT_S);
}

void tern_bs_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    c->bs_in_flight = 0;
    if (ev->kind == TERN_COAP_EV_RESPONSE && ev->msg.code == TERN_COAP_CHANGED) {
        if (c->bs_state == TERN_BS_HOLDOFF)
            wait_for_finish(c);
        return;
    }
    if (ev->kind == TERN_COAP_EV_RESPONSE && c->bs_state == TERN_BS_WAITING)
        return; /* the server already started; its answer no longer matters */
    bs_failed(c, ev->kind == TERN_COAP_EV_RESPONSE ? "request refused" : "no answer");
}

/* ---- the Bootstrap-Server's operations: each returns a success code
 * (2.xx), 0 when it answered, or a negated error code ---- */

/* Each operation gets the object the path names (NULL: none, or the path is /). */
static int bs_delete(tern_request_t *req, tern_object_t *only)
{
    tern_client_t *c = req->client;
    const tern_path_t *p = &req->path;
    if (p->len > 2)
        return -TERN_COAP_BAD_REQUEST;
    if (p->len > 0 && only == NULL)
        return -TERN_COAP_NOT_FOUND;
    for (tern_object_t *o = c->objects; o != NULL; o = o->next) {
        if (only == NULL || o == only)
            tern_delete_instances(c, o, p->len < 2 ? -1 : p->ids[1], true);
    }
    c->config_dirty = 1;
    return TERN_COAP_DELETED;
}

static int bs_write(tern_request_t *req, tern_object_t *obj)
{
    tern_client_t *c = req->client;
    if (req->path.len == 0)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (obj == NULL)
        return -TERN_COAP_NOT_FOUND;
    tern_in_t in;
    int rc = tern_in_init(&in, req->format == TERN_FORMAT_NONE ? TERN_FORMAT_TEXT : req->format,
                          &req->path, req->msg->payload, req->msg->payload_len);
    in.scratch = c->coap.resp_buf;
    in.scratch_cap = sizeof(c->coap.resp_buf);
    if (rc == 0)
        rc = tern_dm_write_instances(c, obj, &in);
    if (rc != 0)
        return rc;
    c->config_dirty = 1;
    return TERN_COAP_CHANGED;
}

/* Bootstrap-Discover (TS 5.2.7.1): lwm2m="1.0",</0/0>,</0/1>;ssid=101,... */
static int bs_discover_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                           size_t *total, size_t *stored)
{
    const tern_path_t *asked = arg;
    tern_sink_t sink;
    tern_link_writer_t lw;
    tern_sink_init(&sink, buf, cap, skip);
    tern_sink_write(&sink, "lwm2m=\"1.0\"", 11);
    tern_link_init(&lw, &sink);
    lw.first = false; /* the version attribute came first */
    for (const tern_object_t *o = c->objects; o != NULL; o = o->next) {
        uint16_t oid = o->def->oid;
        /* /oid, /oid/iid, then the Short Server ID resource of the instance */
        tern_path_t p = { { oid, 0, oid == 0 ? 10 : 0, 0 }, 1 };
        if (asked->len == 1 && oid != asked->ids[0])
            continue;
        if (o->n_iids == 0)
            tern_link_path(&lw, &p);
        for (unsigned i = 0; i < o->n_iids; i++) {
            tern_value_t v;
            p.ids[1] = o->iids[i];
            p.len = 2;
            tern_link_path(&lw, &p);
            p.len = 3;
            /* a Security or Server instance's, but for the Bootstrap-Server's account */
            if (oid <= 1 && !is_bs_account(c, oid, p.ids[1]) && tern_read_value(c, &p, &v) == 0)
                tern_link_attr_uint(&lw, "ssid", (uint32_t)v.v.i);
        }
    }
    if (sink.error != 0)
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    *total = sink.pos;
    *stored = tern_sink_stored(&sink);
    return 0;
}

static int bs_discover(tern_request_t *req, const tern_object_t *obj)
{
    if (req->path.len > 1)
        return -TERN_COAP_BAD_REQUEST;
    if (req->path.len == 1 && obj == NULL)
        return -TERN_COAP_NOT_FOUND;
    return tern_respond_payload(req, -1, TERN_FORMAT_LINK, bs_discover_gen, &req->path);
}

/*
 * Bootstrap-Finish checks (TS 5.2.7.4, 1.1 6.1.7.5): at least one server
 * account; each Server instance has a Security instance with its Short
 * Server ID and the other way round; URIs that parse and match their
 * security mode; Short Server IDs unique.
 */
static const char *inconsistency(tern_client_t *c)
{
    int accounts = 0;
    int servers = 0;
    for (int s = 0; s < TERN_MAX_SERVERS; s++)
        servers += c->servers[s].used;
    for (int i = 0; i < TERN_MAX_SECURITY; i++) {
        const tern_security_inst_t *sec = &c->security[i];
        tern_uri_t uri;
        if (!sec->used)
            continue;
        if (!uri_usable(sec, &uri))
            return "a Security instance has a bad URI or security mode";
        if (sec->bootstrap)
            continue;
        int s = tern_server_by_ssid(c, sec->ssid);
        if (sec->ssid == 0 || s < 0)
            return "a Security instance has no Server instance with its Short Server ID";
        /* the server's credentials are the first account with its ID */
        if (tern_security_for_ssid(c, sec->ssid) != sec)
            return "two Security instances share a Short Server ID";
        accounts++;
    }
    /* each account has its own Server instance: one without an account
     * is left over (or shares a Short Server ID) */
    if (accounts != servers)
        return "a Server instance has no Security instance with its Short Server ID";
    return accounts == 0 ? "no LwM2M server account" : NULL;
}

static int bs_finish(tern_request_t *req)
{
    tern_client_t *c = req->client;
    const char *problem = inconsistency(c);
    if (problem != NULL) {
        TERN_LOG_E(c->port, "lwm2m: Bootstrap-Finish refused: %s", problem);
        return -TERN_COAP_NOT_ACCEPTABLE;
    }
    TERN_LOG_I(c->port, "lwm2m: bootstrap finished");
    /* the 2.04 goes out now; the connection closes at the end of the step */
    c->bs_state = TERN_BS_FINISHED;
    /* counted until a server accepts a registration (tern_reg_event) */
    count_attempt(c);
    c->config_dirty = 1;
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        tern_server_inst_t *srv = &c->servers[s];
        srv->reg_state = TERN_REG_IDLE;
        srv->attempts = 0;
        srv->next_time = c->now;
    }
    return TERN_COAP_CHANGED;
}

int tern_bs_operation(tern_request_t *req)
{
    tern_client_t *c = req->client;
    if (c->bs_state == TERN_BS_HOLDOFF || c->bs_state == TERN_BS_IDLE) {
        /* a server-initiated bootstrap: no Bootstrap-Request of ours */
        TERN_LOG_I(c->port, "lwm2m: the Bootstrap-Server started a bootstrap");
        wait_for_finish(c);
    }
    const tern_coap_msg_t *m = req->msg;
    tern_coap_option_t opt;
    if (m->code == TERN_COAP_POST && tern_coap_find_option(m, TERN_COAP_OPT_URI_PATH, &opt)
        && opt.len == 2 && memcmp(opt.value, "bs", 2) == 0)
        return bs_finish(req);
    int rc = tern_dm_path_from_msg(m, &req->path);
    if (rc != 0)
        return rc;
    /* the object, if there is one, however far the path resolved */
    req->resolved = tern_dm_resolve(c, &req->path, &req->obj, &req->res);
    tern_object_t *obj = req->obj;
    switch (m->code) {
    case TERN_COAP_PUT:
        return bs_write(req, obj);
    case TERN_COAP_DELETE:
        return bs_delete(req, obj);
    case TERN_COAP_GET:
        if (req->accept == TERN_FORMAT_LINK)
            return bs_discover(req, obj);
        /* Bootstrap-Read (TS 1.1 6.1.7.3): the Server and Access Control objects */
        if (req->path.len == 0 || (req->path.ids[0] != 1 && req->path.ids[0] != 2))
            return -TERN_COAP_UNAUTHORIZED;
        return tern_dm_read(req);
    default:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    }
}

#else
typedef int tern_bootstrap_disabled_t;
#endif /* TERN_WITH_BOOTSTRAP */
