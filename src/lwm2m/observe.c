/*
 * Information Reporting (OMA LwM2M 1.0 TS 5.5, RFC 7641): Observe,
 * Cancel Observation and Notify.
 *
 * A change marks the observations it touches; each step then decides per
 * observation with its effective attributes:
 *   - nothing before pmin has passed since the last notification;
 *   - a marked change is sent, unless gt/lt/st are set and the numeric
 *     value neither crossed gt or lt nor moved by st since the last one;
 *   - after pmax a notification goes out even without a change.
 * Notifications are NON, except one CON every TERN_NOTIFY_CON_INTERVAL_S
 * to each observer (RFC 7641 4.5); an RST or an unacknowledged CON ends
 * the observation.
 */
#include <string.h>

#include "core/compiler.h"
#include "core/fixed.h"
#include "core/log.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_OBSERVE

static uint32_t next_seq(tern_client_t *c)
{
    c->observe_seq = (c->observe_seq + 1) & 0xffffffu; /* 24-bit option value */
    return c->observe_seq;
}

/* The numeric value at a single-resource path, if it is one, in fixed
 * point: thresholds are compared with integer arithmetic only. */
static bool numeric_value(tern_client_t *c, const tern_path_t *path, tern_fixed_t *out)
{
    tern_object_t *obj;
    const tern_res_def_t *res;
    tern_value_t v;
    if (path->len < 3 || tern_dm_resolve(c, path, &obj, &res) != 0
        || (path->len == 3 && (res->flags & TERN_RES_MULTIPLE))
        || tern_dm_read_value(c, obj, res, path, &v) != 0)
        return false;
    switch (v.type) {
    case TERN_TYPE_INTEGER:
    case TERN_TYPE_TIME:
        *out = tern_fixed_from_int(v.v.i);
        return true;
    case TERN_TYPE_UNSIGNED:
        *out = tern_fixed_from_uint(v.v.u);
        return true;
    case TERN_TYPE_FLOAT:
        *out = tern_fixed_from_float(v.v.f);
        return true;
    default:
        return false;
    }
}

static void forget(tern_observation_t *o)
{
    memset(o, 0, sizeof(*o));
}

#if TERN_WITH_LOG
/* Out of line: the path's text stays off the stack of the response's
 * encoding, in the caller's frame. */
static TERN_NOINLINE void log_observes(const tern_request_t *req)
{
    char text[TERN_PATH_TEXT_MAX];
    TERN_LOG_I(req->client->port, "lwm2m: server %u observes %s",
               req->client->servers[req->server].ssid, tern_path_text(&req->path, text));
}
#endif

int tern_observe_start(tern_request_t *req, uint16_t format)
{
    tern_client_t *c = req->client;
    const tern_coap_msg_t *m = req->msg;
    tern_observation_t *slot = NULL;
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        tern_observation_t *o = &c->observations[i];
        /* RFC 7641 4.1: the same token from the same server replaces it */
        if (o->used && o->server == req->server && o->token_len == m->token_len
            && memcmp(o->token, m->token, m->token_len) == 0) {
            slot = o;
            break;
        }
        if (!o->used && slot == NULL)
            slot = o;
    }
    if (slot == NULL) {
        /* RFC 7641 4.1: without room, answer as a plain read */
        TERN_LOG_W(c->port, "lwm2m: all %u observation slots in use", TERN_MAX_OBSERVATIONS);
        return tern_respond_content(req, &req->path, format, -1);
    }
    int rc = tern_respond_content(req, &req->path, format, (int32_t)next_seq(c));
    if (rc != 0) {
        if (slot->used)
            forget(slot);
        return rc;
    }
    forget(slot);
    slot->used = 1;
    slot->server = (uint8_t)req->server;
    slot->format = format;
    slot->path = req->path;
    slot->conn = req->ev->conn;
    slot->peer = req->ev->peer;
    slot->token_len = m->token_len;
    memcpy(slot->token, m->token, m->token_len);
    slot->last_sent = c->now;
    slot->last_con = c->now;
    tern_fixed_t v;
    slot->has_last = numeric_value(c, &req->path, &v);
    slot->last_value = slot->has_last ? v : 0;
#if TERN_WITH_LOG
    log_observes(req);
#endif
    return 0;
}

void tern_observe_cancel(tern_client_t *c, int server, const uint8_t *token, size_t token_len,
                         const tern_path_t *path)
{
    (void)path;
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        tern_observation_t *o = &c->observations[i];
        if (o->used && o->server == server && o->token_len == token_len
            && memcmp(o->token, token, token_len) == 0) {
            TERN_LOG_I(c->port, "lwm2m: observation cancelled by server %u",
                       c->servers[server].ssid);
            forget(o);
        }
    }
}

void tern_observe_changed(tern_client_t *c, const tern_path_t *path)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        tern_observation_t *o = &c->observations[i];
        if (o->used && (tern_path_is_prefix(&o->path, path) || tern_path_is_prefix(path, &o->path)))
            o->changed = 1;
    }
}

/* gt/lt/st (TS 5.1.2): does the new value deserve a notification? */
static bool crosses(const tern_attrs_t *a, const tern_observation_t *o, tern_fixed_t v)
{
    if (!(a->set & (TERN_ATTR_GT | TERN_ATTR_LT | TERN_ATTR_ST)) || !o->has_last)
        return true;
    tern_fixed_t last = o->last_value;
    tern_fixed_t gt = tern_fixed_from_float(a->gt);
    tern_fixed_t lt = tern_fixed_from_float(a->lt);
    if ((a->set & TERN_ATTR_GT) && ((last > gt) != (v > gt)))
        return true;
    if ((a->set & TERN_ATTR_LT) && ((last < lt) != (v < lt)))
        return true;
    /* both in +-2^60: the difference cannot overflow */
    return (a->set & TERN_ATTR_ST)
           && (v > last ? v - last : last - v) >= tern_fixed_from_float(a->st);
}

static void attrs_of(const tern_client_t *c, const tern_observation_t *o, tern_attrs_t *a)
{
    const tern_server_inst_t *srv = &c->servers[o->server];
    tern_attrs_effective(c, o->server, &o->path, a);
    /* the Server object's defaults fill what no level sets */
    if (!(a->set & TERN_ATTR_PMIN))
        a->pmin_s = srv->pmin_s;
    if (!(a->set & TERN_ATTR_PMAX))
        a->pmax_s = srv->pmax_s;
}

/* When o next needs attention, or INT64_MAX; its attributes in *a. */
static tern_time_t due_time(const tern_client_t *c, const tern_observation_t *o, tern_attrs_t *a)
{
    tern_time_t due = INT64_MAX;
    attrs_of(c, o, a);
    if (o->changed)
        due = o->last_sent + (tern_time_t)a->pmin_s * 1000;
    if (a->pmax_s > 0 && (a->pmax_s >= a->pmin_s)) {
        tern_time_t pmax_due = o->last_sent + (tern_time_t)a->pmax_s * 1000;
        if (pmax_due < due)
            due = pmax_due;
    }
    return due;
}

static int send_notification(tern_client_t *c, size_t index, tern_time_t now)
{
    tern_observation_t *o = &c->observations[index];
    bool con = TERN_NOTIFY_CON_INTERVAL_S == 0
               || now - o->last_con >= (tern_time_t)TERN_NOTIFY_CON_INTERVAL_S * 1000;
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_message_new(&c->coap, o->conn, &o->peer, con ? TERN_COAP_CON : TERN_COAP_NON,
                              TERN_COAP_CONTENT, o->token, o->token_len, &w);
    if (t == NULL)
        return TERN_ERR_NO_SPACE; /* try again when a slot is free */
    t->tag = TERN_TAG(TERN_TAG_NOTIFY, index);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, next_seq(c));
    int rc = tern_content_write(c, o->server, &o->path, o->format, &w, NULL);
    uint16_t mid = t->mid;
    if (rc != 0) {
        tern_coap_txn_cancel(&c->coap, t);
        TERN_LOG_W(c->port, "lwm2m: observed path no longer readable (%d), observation ends", rc);
        forget(o); /* RFC 7641 3.2 would send the error; the observation ends either way */
        return rc;
    }
    if ((rc = tern_coap_txn_send(&c->coap, t, &w, now)) != 0)
        return rc;
    o->last_mid = mid;
    o->last_sent = now;
    o->changed = 0;
    if (con) {
        o->last_con = now;
        o->in_flight = 1;
    }
    return 0;
}

/* Whether o has a notification to send now; the numeric value it
 * carries, if it is one, in *v. Out of line: the attributes and the
 * value read stay off the stack of the notification's encoding. */
static TERN_NOINLINE bool notify_now(tern_client_t *c, tern_observation_t *o, tern_time_t now,
                                     tern_fixed_t *v, bool *has_value)
{
    tern_attrs_t a;
    *has_value = false;
    if (due_time(c, o, &a) > now)
        return false;
    bool pmax_due = a.pmax_s > 0 && now >= o->last_sent + (tern_time_t)a.pmax_s * 1000;
    *has_value = numeric_value(c, &o->path, v);
    if (o->changed && !pmax_due && *has_value && !crosses(&a, o, *v)) {
        o->changed = 0; /* a change too small to report */
        return false;
    }
    return true;
}

void tern_observe_step(tern_client_t *c, tern_time_t now)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        tern_observation_t *o = &c->observations[i];
        if (!o->used || o->in_flight || c->servers[o->server].reg_state != TERN_REG_REGISTERED)
            continue;
        tern_fixed_t v = 0;
        bool has_value;
        if (!notify_now(c, o, now, &v, &has_value))
            continue;
        if (send_notification(c, i, now) == 0 && has_value) {
            o->last_value = v;
            o->has_last = 1;
        }
    }
}

tern_time_t tern_observe_next_time(const tern_client_t *c)
{
    tern_time_t next = INT64_MAX;
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        const tern_observation_t *o = &c->observations[i];
        if (!o->used || o->in_flight || c->servers[o->server].reg_state != TERN_REG_REGISTERED)
            continue;
        tern_attrs_t a;
        tern_time_t due = due_time(c, o, &a);
        if (due < next)
            next = due;
    }
    return next;
}

void tern_observe_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        tern_observation_t *o = &c->observations[i];
        bool mine = ev->txn != NULL ? TERN_TAG_INDEX(ev->txn->tag) == i
                                    : o->last_mid == ev->msg.mid && o->conn == ev->conn;
        if (!o->used || !mine)
            continue;
        if (ev->kind == TERN_COAP_EV_ACKED) {
            o->in_flight = 0;
            return;
        }
        /* RFC 7641 3.6 and 4.5: an RST or no ACK at all ends the observation */
#if TERN_WITH_LOG
        char text[TERN_PATH_TEXT_MAX];
        TERN_LOG_I(c->port, "lwm2m: observation of %s ended by the server (%s)",
                   tern_path_text(&o->path, text),
                   ev->kind == TERN_COAP_EV_RESET ? "RST" : "no ACK");
#endif
        forget(o);
        return;
    }
}

void tern_observe_drop_server(tern_client_t *c, int server)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        if (c->observations[i].used && c->observations[i].server == server)
            forget(&c->observations[i]);
    }
}

void tern_observe_drop_path(tern_client_t *c, const tern_path_t *path)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        if (c->observations[i].used && tern_path_is_prefix(path, &c->observations[i].path))
            forget(&c->observations[i]);
    }
}

#else
typedef int tern_observe_disabled_t;
#endif /* TERN_WITH_OBSERVE */
