/* The LwM2M Bootstrap-Server (see bootstrap.h). */
#define _GNU_SOURCE
#include "bootstrap.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs_config.h"
#include "cmd_impl.h"
#include "json.h"
#include "linkfmt.h"
#include "ops.h"
#include "tlv.h"

const char bs_reference[] =
    "\n"
    "Bootstrap-Server (--bootstrap CONFIG): POST /bs?ep=NAME is answered 2.04\n"
    "(4.00 for a NAME without configuration), then the client gets the\n"
    "configured Bootstrap-Delete, Bootstrap-Discover, Bootstrap-Write (TLV) and\n"
    "Bootstrap-Finish requests, one after the other; a response other than\n"
    "2.xx ends the sequence (4.06 to the Finish: the client found the\n"
    "configuration inconsistent). Commands wait-bootstrapped and bootstrap\n"
    "(see the command list). Events (--json):\n"
    "  bootstrap-request   {ep, peer, code, config?, reason?}: a POST /bs\n"
    "  bootstrap-initiated {ep, peer, config}: the bootstrap command started one\n"
    "  bootstrap-op        {ep, op: delete|discover|write|finish, path, code (null\n"
    "                      on failure), what?, error?, payload? (discover)}\n"
    "  bootstrap-finished  {ep, peer, operations, ms}\n"
    "  bootstrap-failed    {ep, peer, op?, path?, code?, reason}\n"
    "(bootstrap-finished and -failed are printed with --quiet too.)\n"
    "\n";

enum { PH_DELETE, PH_LEARN, PH_SECURITY, PH_SERVER, PH_ACL, PH_DISCOVER, PH_FINISH, PH_DONE };

/* What happened to one endpoint, for the wait commands. */
typedef struct bs_ep {
    struct bs_ep *next;
    char *ep;
    unsigned requests;
    unsigned finished, finished_waited;
    unsigned failed, failed_waited;
    char *last_failure;
} bs_ep_t;

typedef struct bs_job {
    struct bs_job *next;
    char *ep;
    const bs_entry_t *cfg;
    coap_session_t *session; /* referenced (client-initiated) or ours */
    char peer[64];
    int phase, index;
    srv_request_t *req; /* the request in flight */
    char what[200];     /* what it writes, for the output */
    int *sec_iid, *srv_iid, *acl_iid;
    int operations;
    int64_t started;
} bs_job_t;

struct srv_bs {
    bs_config_t config;
    bs_job_t *jobs;
    bs_ep_t *eps;
};

/* ---- output ---- */

static void emit(strbuf_t *b)
{
    fwrite(b->s, 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    sb_free(b);
}

static void json_head(json_obj_t *o, strbuf_t *b, const char *event, const char *ep)
{
    sb_init(b);
    json_begin(o, b);
    json_kv_str(o, "event", event);
    json_kv_str(o, "ep", ep);
}

static const char *config_name(const bs_entry_t *cfg)
{
    return cfg == NULL ? NULL : cfg->ep != NULL ? cfg->ep : "default";
}

static void out_request(srv_t *srv, const char *ep, const char *peer, int code,
                        const bs_entry_t *cfg, const char *reason)
{
    strbuf_t b;
    json_obj_t o;
    char cbuf[8];
    if (srv->out.quiet)
        return;
    if (srv->out.json) {
        json_head(&o, &b, "bootstrap-request", ep);
        json_kv_str(&o, "peer", peer);
        json_kv_str(&o, "code", code_format(code, cbuf));
        if (cfg != NULL)
            json_kv_str(&o, "config", config_name(cfg));
        if (reason != NULL)
            json_kv_str(&o, "reason", reason);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "bootstrap-request from %s (%s): %s %s", ep ? ep : "?", peer,
                  code_format(code, cbuf), code_phrase(code));
        if (cfg != NULL)
            sb_printf(&b, ", configuration %s", config_name(cfg));
        if (reason != NULL)
            sb_printf(&b, " (%s)", reason);
    }
    emit(&b);
}

static void out_initiated(srv_t *srv, const bs_job_t *job)
{
    strbuf_t b;
    json_obj_t o;
    if (srv->out.quiet)
        return;
    if (srv->out.json) {
        json_head(&o, &b, "bootstrap-initiated", job->ep);
        json_kv_str(&o, "peer", job->peer);
        json_kv_str(&o, "config", config_name(job->cfg));
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "bootstrap %s (%s): server-initiated, configuration %s", job->ep, job->peer,
                  config_name(job->cfg));
    }
    emit(&b);
}

static bool text_payload(const srv_request_t *r)
{
    return r->state == REQ_DONE && r->len > 0 && is_text(r->payload, r->len);
}

static void out_op(srv_t *srv, const bs_job_t *job, const srv_request_t *r)
{
    strbuf_t b;
    json_obj_t o;
    char pbuf[40], cbuf[8];
    if (srv->out.quiet)
        return;
    if (strcmp(r->op, "finish") == 0)
        snprintf(pbuf, sizeof(pbuf), "/bs");
    else
        path_format(&r->path, pbuf, sizeof(pbuf));
    if (srv->out.json) {
        json_head(&o, &b, "bootstrap-op", job->ep);
        json_kv_str(&o, "op", r->op);
        json_kv_str(&o, "path", pbuf);
        if (r->state == REQ_DONE) {
            json_kv_str(&o, "code", code_format(r->code, cbuf));
        } else {
            json_key(&o, "code");
            sb_puts(&b, "null");
            json_kv_str(&o, "error", r->error);
        }
        if (job->what[0] != '\0')
            json_kv_str(&o, "what", job->what);
        if (text_payload(r)) {
            json_key(&o, "payload");
            json_string_n(&b, (const char *)r->payload, r->len);
        }
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "bootstrap %s: %s %s", job->ep, r->op, pbuf);
        if (job->what[0] != '\0')
            sb_printf(&b, " (%s)", job->what);
        if (r->state == REQ_DONE)
            sb_printf(&b, ": %s %s", code_format(r->code, cbuf), code_phrase(r->code));
        else
            sb_printf(&b, ": %s", r->error ? r->error : "failed");
        if (text_payload(r)) {
            sb_puts(&b, "\n  ");
            sb_append(&b, r->payload, r->len);
        }
    }
    emit(&b);
}

static void out_finished(srv_t *srv, const bs_job_t *job)
{
    strbuf_t b;
    json_obj_t o;
    long long ms = (long long)(now_ms() - job->started);
    if (srv->out.json) {
        json_head(&o, &b, "bootstrap-finished", job->ep);
        json_kv_str(&o, "peer", job->peer);
        json_kv_int(&o, "operations", job->operations);
        json_kv_int(&o, "ms", ms);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "bootstrap %s finished: %d operations in %lld ms", job->ep, job->operations,
                  ms);
    }
    emit(&b);
}

static void out_failed(srv_t *srv, const bs_job_t *job, const srv_request_t *r, const char *reason)
{
    strbuf_t b;
    json_obj_t o;
    char pbuf[40] = "", cbuf[8];
    if (r != NULL && strcmp(r->op, "finish") == 0)
        snprintf(pbuf, sizeof(pbuf), "/bs");
    else if (r != NULL)
        path_format(&r->path, pbuf, sizeof(pbuf));
    if (srv->out.json) {
        json_head(&o, &b, "bootstrap-failed", job->ep);
        json_kv_str(&o, "peer", job->peer);
        if (r != NULL) {
            json_kv_str(&o, "op", r->op);
            json_kv_str(&o, "path", pbuf);
            if (r->state == REQ_DONE)
                json_kv_str(&o, "code", code_format(r->code, cbuf));
        }
        json_kv_str(&o, "reason", reason);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "bootstrap %s failed", job->ep);
        if (r != NULL)
            sb_printf(&b, " at %s %s", r->op, pbuf);
        sb_printf(&b, ": %s", reason);
    }
    emit(&b);
}

/* ---- endpoints and jobs ---- */

static bs_ep_t *ep_get(struct srv_bs *bs, const char *ep)
{
    for (bs_ep_t *e = bs->eps; e != NULL; e = e->next)
        if (strcmp(e->ep, ep) == 0)
            return e;
    bs_ep_t *e = xcalloc(1, sizeof(*e));
    e->ep = xstrdup(ep);
    e->next = bs->eps;
    bs->eps = e;
    return e;
}

static void job_free(srv_t *srv, bs_job_t *job)
{
    for (bs_job_t **p = &srv->bs->jobs; *p != NULL; p = &(*p)->next) {
        if (*p == job) {
            *p = job->next;
            break;
        }
    }
    if (job->req != NULL)
        ops_request_free(srv, job->req);
    if (job->session != NULL)
        coap_session_release(job->session);
    free(job->sec_iid);
    free(job->srv_iid);
    free(job->acl_iid);
    free(job->ep);
    free(job);
}

static void job_failed(srv_t *srv, bs_job_t *job, const srv_request_t *r, const char *reason)
{
    bs_ep_t *e = ep_get(srv->bs, job->ep);
    e->failed++;
    free(e->last_failure);
    e->last_failure = xstrdup(reason);
    out_failed(srv, job, r, reason);
    job_free(srv, job);
}

/* Starts a sequence for ep on session (referenced by the job from now
 * on); an unfinished one for the same ep is dropped. */
static bs_job_t *job_start(srv_t *srv, const char *ep, const bs_entry_t *cfg,
                           coap_session_t *session)
{
    for (bs_job_t *old = srv->bs->jobs; old != NULL; old = old->next) {
        if (strcmp(old->ep, ep) == 0) {
            out_failed(srv, old, old->req, "replaced by a new bootstrap of the same endpoint");
            job_free(srv, old);
            break;
        }
    }
    bs_job_t *job = xcalloc(1, sizeof(*job));
    job->ep = xstrdup(ep);
    job->cfg = cfg;
    job->session = session;
    coap_print_addr(coap_session_get_addr_remote(session), (uint8_t *)job->peer, sizeof(job->peer));
    job->sec_iid = xcalloc((size_t)cfg->n_servers + 1, sizeof(int));
    job->srv_iid = xcalloc((size_t)cfg->n_servers + 1, sizeof(int));
    job->acl_iid = xcalloc((size_t)cfg->n_acls + 1, sizeof(int));
    job->started = now_ms();
    job->phase = PH_DELETE;
    job->next = srv->bs->jobs;
    srv->bs->jobs = job;
    return job;
}

/* ---- instance ids ---- */

typedef struct iid_set {
    int n;
    uint16_t iid[256];
    int ssid[256]; /* -1: none (the Bootstrap-Server's own account in /0) */
} iid_set_t;

static bool set_has(const iid_set_t *s, int iid)
{
    for (int i = 0; i < s->n; i++)
        if (s->iid[i] == iid)
            return true;
    return false;
}

static void set_add(iid_set_t *s, int iid, int ssid)
{
    if (s->n < 256 && !set_has(s, iid)) {
        s->iid[s->n] = (uint16_t)iid;
        s->ssid[s->n++] = ssid;
    }
}

/* explicit, else the instance already holding ssid, else the lowest free */
static int choose(iid_set_t *s, int explicit_id, int ssid)
{
    int id = explicit_id;
    for (int i = 0; id < 0 && ssid >= 0 && i < s->n; i++)
        if (s->ssid[i] == ssid)
            id = s->iid[i];
    for (int i = 0; id < 0; i++)
        if (!set_has(s, i))
            id = i;
    set_add(s, id, ssid);
    return id;
}

static bool needs_discover(const bs_entry_t *cfg)
{
    for (int i = 0; i < cfg->n_servers; i++) {
        const bs_server_t *s = &cfg->servers[i];
        if ((s->write_security && s->security_id < 0) || (s->write_server && s->server_id < 0))
            return true;
    }
    for (int i = 0; i < cfg->n_acls; i++)
        if (cfg->acls[i].id < 0)
            return true;
    return false;
}

/* Chooses the instance ids from a Bootstrap-Discover of / (NULL: none). */
static void assign_ids(bs_job_t *job, const uint8_t *payload, size_t len)
{
    iid_set_t sets[3];
    memset(sets, 0, sizeof(sets));
    if (payload != NULL) {
        /* lwm2m="1.0",</0/0>,</0/1>;ssid=1,...: skip the version element */
        const char *text = (const char *)payload;
        const char *lt = memchr(text, '<', len);
        srv_links_t links;
        if (lt != NULL) {
            links_parse(lt, len - (size_t)(lt - text), &links);
            for (size_t i = 0; i < links.n; i++) {
                srv_path_t p;
                const char *ssid = link_attr(&links.v[i], "ssid");
                if (!path_parse(links.v[i].uri, false, &p) || p.depth != 2 || p.id[0] > 2)
                    continue;
                set_add(&sets[p.id[0]], p.id[1], ssid ? atoi(ssid) : -1);
            }
            links_free(&links);
        }
    }
    const bs_entry_t *cfg = job->cfg;
    for (int i = 0; i < cfg->n_servers; i++) {
        const bs_server_t *s = &cfg->servers[i];
        if (s->write_security)
            job->sec_iid[i] = choose(&sets[0], s->security_id, s->ssid);
        if (s->write_server)
            job->srv_iid[i] = choose(&sets[1], s->server_id, s->ssid);
    }
    for (int i = 0; i < cfg->n_acls; i++)
        job->acl_iid[i] = choose(&sets[2], cfg->acls[i].id, -1);
}

/* ---- payloads ---- */

static void put_int(strbuf_t *b, uint16_t id, long long v)
{
    uint8_t buf[8];
    size_t n = tlv_encode_int(v, buf);
    tlv_write(b, TLV_RESOURCE, id, buf, n);
}

static void put_bool(strbuf_t *b, uint16_t id, bool v)
{
    uint8_t byte = v ? 1 : 0;
    tlv_write(b, TLV_RESOURCE, id, &byte, 1);
}

static void put_str(strbuf_t *b, uint16_t id, const char *s)
{
    tlv_write(b, TLV_RESOURCE, id, s, strlen(s));
}

static const char *mode_name(int mode)
{
    static const char *const names[] = { "psk", "rpk", "cert", "nosec" };
    return mode >= 0 && mode <= 3 ? names[mode] : "?";
}

/* Security (object 0): 0 URI string, 1 Bootstrap-Server boolean, 2 mode
 * integer, 3/4/5 opaque, 10 Short Server ID integer. */
static void security_tlv(const bs_server_t *s, strbuf_t *b, char *what, size_t size)
{
    put_str(b, 0, s->uri);
    put_bool(b, 1, false);
    put_int(b, 2, s->mode);
    tlv_write(b, TLV_RESOURCE, 3, s->identity.data, s->identity.len);
    tlv_write(b, TLV_RESOURCE, 4, s->server_key.data, s->server_key.len);
    tlv_write(b, TLV_RESOURCE, 5, s->secret.data, s->secret.len);
    put_int(b, 10, s->ssid);
    snprintf(what, size, "security: ssid %u, %s, %s", (unsigned)s->ssid, s->uri,
             mode_name(s->mode));
}

/* Server (object 1): 0 SSID, 1 lifetime, 2/3 pmin/pmax integers, 6
 * notification storing boolean, 7 binding string. */
static void server_tlv(const bs_server_t *s, strbuf_t *b, char *what, size_t size)
{
    put_int(b, 0, s->ssid);
    put_int(b, 1, s->lifetime);
    if (s->pmin >= 0)
        put_int(b, 2, s->pmin);
    if (s->pmax >= 0)
        put_int(b, 3, s->pmax);
    put_bool(b, 6, s->storing);
    put_str(b, 7, s->binding);
    snprintf(what, size, "server: ssid %u, lifetime %llds, binding %s", (unsigned)s->ssid,
             s->lifetime, s->binding);
}

/* Access Control (object 2): 0 object id, 1 instance id, 2 ACL (one
 * integer resource instance per Short Server ID), 3 owner. */
static void acl_tlv(const bs_acl_t *a, strbuf_t *b, char *what, size_t size)
{
    strbuf_t inner;
    size_t n = 0;
    put_int(b, 0, a->oid);
    put_int(b, 1, a->oiid);
    sb_init(&inner);
    n = (size_t)snprintf(what, size, "acl: /%u/%u", (unsigned)a->oid, (unsigned)a->oiid);
    for (int i = 0; i < a->n; i++) {
        uint8_t buf[8];
        size_t len = tlv_encode_int(a->rights[i], buf);
        char r[16];
        tlv_write(&inner, TLV_RESOURCE_INSTANCE, a->ssid[i], buf, len);
        bs_rights_format(a->rights[i], r, sizeof(r));
        if (n < size)
            n += (size_t)snprintf(what + n, size - n, " %u=%s", (unsigned)a->ssid[i], r);
    }
    if (a->n > 0)
        tlv_write(b, TLV_MULTIPLE_RESOURCE, 2, inner.s, inner.len);
    sb_free(&inner);
    put_int(b, 3, a->owner);
    if (n < size)
        snprintf(what + n, size - n, " owner=%u", (unsigned)a->owner);
}

/* ---- the sequence ---- */

static srv_path_t path2(uint16_t oid, int iid)
{
    srv_path_t p = { { oid, (uint16_t)iid, 0, 0 }, 2 };
    return p;
}

/* Sends the job's next request; false when the sequence has ended. */
static bool send_next(srv_t *srv, bs_job_t *job)
{
    const bs_entry_t *cfg = job->cfg;
    srv_req_spec_t spec;
    strbuf_t payload;
    char err[200];
    memset(&spec, 0, sizeof(spec));
    spec.observe = -1;
    spec.accept = CF_NONE;
    spec.content_format = CF_NONE;
    sb_init(&payload);
    job->what[0] = '\0';
    for (;;) {
        if (job->phase == PH_DELETE && job->index < cfg->n_deletes) {
            spec.op = "delete";
            spec.method = COAP_REQUEST_CODE_DELETE;
            spec.path = cfg->deletes[job->index++];
            break;
        }
        if (job->phase == PH_LEARN && job->index == 0 && needs_discover(cfg)) {
            job->index++;
            spec.op = "discover";
            spec.method = COAP_REQUEST_CODE_GET;
            spec.accept = CF_LINK;
            snprintf(job->what, sizeof(job->what), "to choose instance ids");
            break;
        }
        if (job->phase == PH_LEARN && job->index == 0)
            assign_ids(job, NULL, 0);
        const bs_server_t *s = job->index < cfg->n_servers ? &cfg->servers[job->index] : NULL;
        if (job->phase == PH_SECURITY && s != NULL) {
            job->index++;
            if (!s->write_security)
                continue;
            security_tlv(s, &payload, job->what, sizeof(job->what));
            spec.path = path2(0, job->sec_iid[job->index - 1]);
        } else if (job->phase == PH_SERVER && s != NULL) {
            job->index++;
            if (!s->write_server)
                continue;
            server_tlv(s, &payload, job->what, sizeof(job->what));
            spec.path = path2(1, job->srv_iid[job->index - 1]);
        } else if (job->phase == PH_ACL && job->index < cfg->n_acls) {
            acl_tlv(&cfg->acls[job->index], &payload, job->what, sizeof(job->what));
            spec.path = path2(2, job->acl_iid[job->index]);
            job->index++;
        } else if (job->phase == PH_DISCOVER && job->index == 0 && cfg->discover) {
            job->index++;
            spec.op = "discover";
            spec.method = COAP_REQUEST_CODE_GET;
            spec.accept = CF_LINK;
            break;
        } else if (job->phase == PH_FINISH && job->index == 0) {
            job->index++;
            spec.op = "finish";
            spec.method = COAP_REQUEST_CODE_POST;
            break;
        } else if (job->phase == PH_DONE) {
            sb_free(&payload);
            return false;
        } else {
            job->phase++;
            job->index = 0;
            continue;
        }
        spec.op = "write";
        spec.method = COAP_REQUEST_CODE_PUT;
        spec.content_format = CF_TLV;
        spec.payload = (const uint8_t *)(payload.s ? payload.s : "");
        spec.len = payload.len;
        break;
    }
    /* ops_send addresses a registered client: this one is for the session */
    srv_client_t target;
    memset(&target, 0, sizeof(target));
    target.ep = job->ep;
    target.registered = true;
    target.session = job->session;
    target.root = (char *)(strcmp(spec.op, "finish") == 0 ? "/bs" : "");
    job->req = ops_send(srv, &target, &spec, srv->opt.timeout_ms, err, sizeof(err));
    sb_free(&payload);
    if (job->req == NULL) {
        job_failed(srv, job, NULL, err);
        return false;
    }
    job->operations++;
    return true;
}

/* The answer to the job's request is in: print it; false when that
 * ended the job (freed). */
static bool answered(srv_t *srv, bs_job_t *job)
{
    srv_request_t *r = job->req;
    out_op(srv, job, r);
    job->req = NULL;
    if (r->state != REQ_DONE || r->code >> 5 != 2) {
        char reason[300], cbuf[8];
        if (r->state != REQ_DONE)
            snprintf(reason, sizeof(reason), "%s", r->error ? r->error : "no response");
        else if (r->len > 0 && is_text(r->payload, r->len))
            snprintf(reason, sizeof(reason), "%s %s: %.*s", code_format(r->code, cbuf),
                     code_phrase(r->code), (int)r->len, (const char *)r->payload);
        else
            snprintf(reason, sizeof(reason), "%s %s", code_format(r->code, cbuf),
                     code_phrase(r->code));
        if (job->phase == PH_LEARN)
            snprintf(reason + strlen(reason), sizeof(reason) - strlen(reason),
                     " (Bootstrap-Discover chooses the instance ids: without it give "
                     "security-id=, server-id= and id=)");
        job->req = r; /* freed with the job */
        job_failed(srv, job, r, reason);
        return false;
    }
    if (job->phase == PH_LEARN)
        assign_ids(job, r->payload, r->len);
    bool finished = strcmp(r->op, "finish") == 0;
    ops_request_free(srv, r);
    if (finished) {
        bs_ep_t *e = ep_get(srv->bs, job->ep);
        e->finished++;
        out_finished(srv, job);
        job_free(srv, job);
        return false;
    }
    return true;
}

void bs_tick(srv_t *srv, int64_t now)
{
    (void)now;
    if (srv->bs == NULL)
        return;
    bs_job_t *job = srv->bs->jobs;
    while (job != NULL) {
        bs_job_t *next = job->next; /* the job may end here */
        bool alive = job->req == NULL || job->req->state == REQ_PENDING || answered(srv, job);
        if (alive && job->req == NULL)
            (void)send_next(srv, job); /* at once: no wait for the next loop */
        job = next;
    }
}

/* ---- POST /bs ---- */

static void hnd_bootstrap(coap_resource_t *resource, coap_session_t *session,
                          const coap_pdu_t *request, const coap_string_t *query,
                          coap_pdu_t *response)
{
    srv_t *srv = srv_from_session(session);
    char peer[64], why[120] = "";
    char *ep = NULL;
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    (void)resource;
    (void)query;
    coap_print_addr(coap_session_get_addr_remote(session), (uint8_t *)peer, sizeof(peer));
    coap_option_iterator_init(request, &it, COAP_OPT_ALL);
    while ((opt = coap_option_next(&it)) != NULL && why[0] == '\0') {
        if (it.number != COAP_OPTION_URI_QUERY)
            continue;
        const char *v = (const char *)coap_opt_value(opt);
        size_t len = coap_opt_length(opt);
        if (len > 3 && memcmp(v, "ep=", 3) == 0 && ep == NULL)
            ep = xstrndup(v + 3, len - 3);
        else if (len < 4 || memcmp(v, "pct=", 4) != 0) /* pct: LwM2M 1.1, ignored */
            snprintf(why, sizeof(why), "unexpected query parameter '%.*s'", (int)len, v);
    }
    const bs_entry_t *cfg = ep != NULL ? bs_config_find(&srv->bs->config, ep) : NULL;
    if (why[0] == '\0' && ep == NULL)
        snprintf(why, sizeof(why), "missing endpoint name (ep=)");
    else if (why[0] == '\0' && cfg == NULL)
        snprintf(why, sizeof(why), "no configuration for this endpoint");
    if (why[0] != '\0') {
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_BAD_REQUEST);
        coap_add_data(response, strlen(why), (const uint8_t *)why);
        out_request(srv, ep, peer, COAP_RESPONSE_CODE_BAD_REQUEST, NULL, why);
        if (ep != NULL) { /* wait-bootstrapped EP learns why at once */
            bs_ep_t *e = ep_get(srv->bs, ep);
            e->failed++;
            free(e->last_failure);
            e->last_failure = xstrdup(why);
        }
        free(ep);
        return;
    }
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
    ep_get(srv->bs, ep)->requests++;
    out_request(srv, ep, peer, COAP_RESPONSE_CODE_CHANGED, cfg, NULL);
    /* the first request goes out at the next bs_tick, after this 2.04 */
    job_start(srv, ep, cfg, coap_session_reference(session));
    free(ep);
}

bool bs_init(srv_t *srv)
{
    char err[300];
    if (srv->opt.bootstrap == NULL)
        return true;
    srv->bs = xcalloc(1, sizeof(*srv->bs));
    if (!bs_config_load(srv->opt.bootstrap, &srv->bs->config, err, sizeof(err))) {
        fprintf(stderr, "tern-server: --bootstrap %s\n", err);
        return false;
    }
    coap_resource_t *r = coap_resource_init(coap_make_str_const("bs"), 0);
    coap_register_handler(r, COAP_REQUEST_POST, hnd_bootstrap);
    coap_add_resource(srv->ctx, r);
    return true;
}

void bs_free(srv_t *srv)
{
    if (srv->bs == NULL)
        return;
    while (srv->bs->jobs != NULL) {
        bs_job_t *job = srv->bs->jobs;
        job->req = NULL; /* ops_free frees the requests */
        job_free(srv, job);
    }
    while (srv->bs->eps != NULL) {
        bs_ep_t *e = srv->bs->eps;
        srv->bs->eps = e->next;
        free(e->last_failure);
        free(e->ep);
        free(e);
    }
    bs_config_free(&srv->bs->config);
    free(srv->bs);
    srv->bs = NULL;
}

/* ---- commands ---- */

static bool need_bs(srv_t *srv, srv_cmd_t *cmd)
{
    if (srv->bs != NULL)
        return true;
    cmd_fail(srv, cmd, "not a Bootstrap-Server: start tern-server with --bootstrap CONFIG");
    return false;
}

cmd_status_t cmd_poll_wait_bootstrapped(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    bs_ep_t *e = ep_get(srv->bs, cmd->argv[0].text);
    if (e->finished > e->finished_waited) {
        e->finished_waited = e->finished;
        e->failed_waited = e->failed;
        return CMD_OK;
    }
    if (e->failed > e->failed_waited) {
        e->failed_waited = e->failed;
        return cmd_fail(srv, cmd, "the bootstrap of %s failed: %s", e->ep, e->last_failure);
    }
    if (now >= cmd->deadline)
        return cmd_fail(srv, cmd, "timeout: %s finished no bootstrap within %.3gs", e->ep,
                        (double)cmd->wait_ms / 1000);
    return CMD_PENDING;
}

cmd_status_t cmd_start_wait_bootstrapped(srv_t *srv, srv_cmd_t *cmd)
{
    int64_t timeout;
    if (!need_bs(srv, cmd) || !cmd_timeout_arg(srv, cmd, 1, &timeout))
        return CMD_FAIL;
    cmd->wait_ms = timeout;
    cmd->deadline = now_ms() + timeout;
    return cmd_poll_wait_bootstrapped(srv, cmd, now_ms());
}

/* HOST:PORT or [V6]:PORT */
static bool resolve(const char *text, coap_address_t *out)
{
    char host[256];
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon == text || (size_t)(colon - text) >= sizeof(host))
        return false;
    size_t n = (size_t)(colon - text);
    if (text[0] == '[' && text[n - 1] == ']')
        snprintf(host, sizeof(host), "%.*s", (int)n - 2, text + 1);
    else
        snprintf(host, sizeof(host), "%.*s", (int)n, text);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || res == NULL)
        return false;
    coap_address_init(out);
    out->size = res->ai_addrlen;
    memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return true;
}

/* The address we listen on, with port, in the family of the client's. */
static bool resolve_local(const srv_t *srv, coap_address_t *out, int family, const char *port)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    if (getaddrinfo(srv->listen_addr, port, &hints, &res) != 0 || res == NULL)
        return false;
    coap_address_init(out);
    out->size = res->ai_addrlen;
    memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return true;
}

cmd_status_t cmd_start_bootstrap(srv_t *srv, srv_cmd_t *cmd)
{
    const char *ep = cmd->argv[0].text;
    coap_address_t remote, local;
    char port[8];
    int64_t timeout;
    if (!need_bs(srv, cmd) || !cmd_timeout_arg(srv, cmd, 2, &timeout))
        return CMD_FAIL;
    const bs_entry_t *cfg = bs_config_find(&srv->bs->config, ep);
    if (cfg == NULL)
        return cmd_fail(srv, cmd, "no configuration for %s (and no default)", ep);
    if (srv->dtls != NULL)
        return cmd_fail(srv, cmd, "a server-initiated bootstrap over coaps:// is not supported");
    if (!resolve(cmd->argv[1].text, &remote))
        return cmd_fail(srv, cmd, "bad address '%s': give HOST:PORT or [IPV6]:PORT",
                        cmd->argv[1].text);
    /* From the port we listen on, as the client knows its Bootstrap-Server
     * by it: a session of our own, bound to that address and port too
     * (connected, so the kernel gives it the client's answers). */
    snprintf(port, sizeof(port), "%d", srv->listen_port);
    coap_session_t *s = NULL;
    if (resolve_local(srv, &local, remote.addr.sa.sa_family, port))
        s = coap_new_client_session(srv->ctx, &local, &remote, COAP_PROTO_UDP);
    if (s == NULL)
        return cmd_fail(srv, cmd, "cannot open a session to %s from port %d", cmd->argv[1].text,
                        srv->listen_port);
    bs_ep_t *e = ep_get(srv->bs, ep);
    e->finished_waited = e->finished; /* wait for this bootstrap's outcome */
    e->failed_waited = e->failed;
    bs_job_t *job = job_start(srv, ep, cfg, s);
    out_initiated(srv, job);
    (void)send_next(srv, job); /* may end the job: the poll sees how */
    cmd->wait_ms = timeout;
    cmd->deadline = now_ms() + timeout;
    return CMD_PENDING;
}

cmd_status_t cmd_poll_bootstrap(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    return cmd_poll_wait_bootstrapped(srv, cmd, now);
}

cmd_status_t cmd_start_refuse_registration(srv_t *srv, srv_cmd_t *cmd)
{
    const char *v = cmd->argv[0].text;
    if (strcmp(v, "off") == 0) {
        srv->refuse_code = 0;
        return CMD_OK;
    }
    if (strlen(v) != 4 || v[0] < '4' || v[0] > '5' || v[1] != '.' || v[2] < '0' || v[2] > '3'
        || v[3] < '0' || v[3] > '9' || (v[2] - '0') * 10 + (v[3] - '0') > 31)
        return cmd_fail(srv, cmd, "bad code '%s': give 4.xx or 5.xx, or off", v);
    srv->refuse_code = (v[0] - '0') << 5 | ((v[2] - '0') * 10 + (v[3] - '0'));
    return CMD_OK;
}
