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

/* What numeric_value gives for what is not a number (fixed-point
 * values stay within +-2^60). */
#define NO_VALUE INT64_MIN

/* The numeric value at a single-resource path, if it is one, in fixed
 * point: thresholds are compared with integer arithmetic only. */
static tern_fixed_t numeric_value(tern_client_t *c, const tern_path_t *path)
{
    tern_object_t *obj;
    const tern_res_def_t *res;
    tern_value_t v;
    if (path->len < 3 || tern_dm_resolve(c, path, &obj, &res) != 0
        || (path->len == 3 && (res->flags & TERN_RES_MULTIPLE))
        || tern_dm_read_value(c, obj, res, path, &v) != 0)
        return NO_VALUE;
    if (v.type == TERN_TYPE_FLOAT)
        return tern_fixed_from_float(v.v.f);
    if (v.type == TERN_TYPE_UNSIGNED) /* saturates like from_int */
        return tern_fixed_from_int(v.v.u > INT64_MAX ? INT64_MAX : (int64_t)v.v.u);
    if (v.type == TERN_TYPE_INTEGER || v.type == TERN_TYPE_TIME)
        return tern_fixed_from_int(v.v.i);
    return NO_VALUE;
}

/* Free slots are all zeros (path.len 0 marks them): forgetting one
 * again, or marking it changed, does no harm, so the loops below need
 * not test for that. */
static void forget(tern_observation_t *o)
{
    memset(o, 0, sizeof(*o));
}

/* The observation of server with this token, else a free slot, else NULL. */
static tern_observation_t *find(tern_client_t *c, int server, const uint8_t *token, size_t len)
{
    tern_observation_t *free_slot = NULL;
    for (tern_observation_t *o = c->observations; o < c->observations + TERN_MAX_OBSERVATIONS;
         o++) {
        if (o->path.len == 0) {
            if (free_slot == NULL)
                free_slot = o;
        } else if (o->server == server && o->token_len == len
                   && memcmp(o->token, token, len) == 0) {
            return o;
        }
    }
    return free_slot;
}

/* What a notification (or the response that starts an observation)
 * sent now leaves: pmin and pmax count from here, gt/lt/st from the
 * value it carried. */
static TERN_NOINLINE void notified(tern_client_t *c, tern_observation_t *o, tern_time_t now)
{
    o->last_sent = now;
    o->changed = 0;
    o->last_value = numeric_value(c, &o->path);
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
    /* RFC 7641 4.1: the same token from the same server replaces it;
     * without room, the answer is a plain read */
    tern_observation_t *o = find(c, req->server, m->token, m->token_len);
    int32_t seq = -1;
    if (o != NULL)
        seq = (int32_t)next_seq(c);
    else
        TERN_LOG_W(c->port, "lwm2m: all %u observation slots in use", TERN_MAX_OBSERVATIONS);
    int rc = tern_respond_content(req, &req->path, format, seq);
    if (o == NULL)
        return rc;
    forget(o); /* a failed re-registration ends the old observation too */
    if (rc != 0)
        return rc;
    o->server = (uint8_t)req->server;
    o->format = format;
    o->path = req->path;
    o->peer = req->ev->peer;
    o->token_len = m->token_len;
    memcpy(o->token, m->token, m->token_len);
    o->conn = req->ev->conn;
    o->last_con = (uint32_t)(c->now >> 10);
    notified(c, o, c->now);
#if TERN_WITH_LOG
    log_observes(req);
#endif
    return 0;
}

void tern_observe_cancel(tern_client_t *c, int server, const uint8_t *token, size_t token_len,
                         const tern_path_t *path)
{
    (void)path;
    tern_observation_t *o = find(c, server, token, token_len);
    if (o != NULL) {
        TERN_LOG_I(c->port, "lwm2m: observation cancelled by server %u", c->servers[server].ssid);
        forget(o);
    }
}

void tern_observe_changed(tern_client_t *c, const tern_path_t *path)
{
    for (tern_observation_t *o = c->observations; o < c->observations + TERN_MAX_OBSERVATIONS;
         o++) {
        if (tern_path_is_prefix(&o->path, path) || tern_path_is_prefix(path, &o->path))
            o->changed = 1;
    }
}

/* gt/lt/st (TS 5.1.2): does a move from last to v deserve a notification? */
static bool crosses(const tern_attrs_t *a, tern_fixed_t last, tern_fixed_t v)
{
    uint8_t set = a->set;
    tern_fixed_t lo = last;
    tern_fixed_t hi = v;
    if (v < last) {
        lo = v;
        hi = last;
    }
    if (!(set & (TERN_ATTR_GT | TERN_ATTR_LT | TERN_ATTR_ST)) || lo == NO_VALUE)
        return true;
    /* A threshold t is crossed when lo <= t < lo + moved, i.e. when
     * t - lo, unsigned, is below moved. Fixed-point values are integers:
     * "below lt" is "not above lt - 1". All within +-2^60: no overflow. */
    uint64_t moved = (uint64_t)(hi - lo);
    return ((set & TERN_ATTR_GT) && (uint64_t)(tern_fixed_from_float(a->gt) - lo) < moved)
           || ((set & TERN_ATTR_LT) && (uint64_t)(tern_fixed_from_float(a->lt) - 1 - lo) < moved)
           || ((set & TERN_ATTR_ST) && moved >= (uint64_t)tern_fixed_from_float(a->st));
}

/*
 * When o next needs a notification (INT64_MAX: not before a change),
 * deciding at `now` with its effective attributes, the Server object's
 * pmin/pmax filling what no level sets: a change is due after pmin,
 * and pmax (when not below pmin) forces one. A due change that pmax
 * does not force is dropped when gt/lt/st find it too small. At
 * INT64_MIN nothing is due and o is left as it is. (Inlined into the walk, its
 * attributes add 16 B to the notification path, which stays below the
 * request path.)
 */
static tern_time_t due_time(tern_client_t *c, tern_observation_t *o, tern_time_t now)
{
    const tern_server_inst_t *srv = &c->servers[o->server];
    tern_attrs_t a;
    /* what no level sets keeps the server's default */
    a.pmin_s = srv->pmin_s;
    a.pmax_s = srv->pmax_s;
    tern_attrs_effective(c, o->server, &o->path, &a);
    uint32_t pmin = a.pmin_s;
    uint32_t pmax = a.pmax_s;
    tern_time_t forced = INT64_MAX;
    if (pmax > 0 && pmax >= pmin)
        forced = o->last_sent + (tern_time_t)pmax * 1000;
    tern_time_t due = o->last_sent + (tern_time_t)pmin * 1000;
    if (!o->changed || forced < due)
        due = forced;
    if (due > now)
        return due;
    if (forced > now && !crosses(&a, o->last_value, numeric_value(c, &o->path))) {
        o->changed = 0; /* a change too small to report */
        return forced;
    }
    return now;
}

/* Sends the notification that is due; without a free transaction slot
 * it is tried again on a later step. */
static void send_notification(tern_client_t *c, tern_observation_t *o, tern_time_t now)
{
    /* in 1.024 s units, rounded so that the CON never comes late */
    uint32_t con_units = (uint32_t)(now >> 10);
    bool con = con_units - o->last_con >= (uint32_t)TERN_NOTIFY_CON_INTERVAL_S * 1000 / 1024;
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_message_new(&c->coap, o->conn, &o->peer, con ? TERN_COAP_CON : TERN_COAP_NON,
                              TERN_COAP_CONTENT, o->token, o->token_len, &w);
    if (t == NULL)
        return;
    t->tag = TERN_TAG(TERN_TAG_NOTIFY, 0);
    tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, next_seq(c));
    int rc = tern_content_write(c, o->server, &o->path, o->format, &w, NULL);
    uint16_t mid = t->mid;
    if (rc != 0) {
        tern_coap_txn_cancel(&c->coap, t);
        TERN_LOG_W(c->port, "lwm2m: observed path no longer readable (%d), observation ends", rc);
        forget(o); /* RFC 7641 3.2 would send the error; the observation ends either way */
        return;
    }
    if (tern_coap_txn_send(&c->coap, t, &w, now) != 0)
        return;
    o->last_mid = mid;
    notified(c, o, now);
    if (con) {
        o->last_con = con_units;
        o->in_flight = 1;
    }
}

/* One walk for the step and, at INT64_MIN, tern_observe_next_time. */
tern_time_t tern_observe_step(tern_client_t *c, tern_time_t now)
{
    tern_time_t next = INT64_MAX;
    for (tern_observation_t *o = c->observations; o < c->observations + TERN_MAX_OBSERVATIONS;
         o++) {
        if (o->path.len == 0 || o->in_flight
            || c->servers[o->server].reg_state != TERN_REG_REGISTERED)
            continue;
        tern_time_t due = due_time(c, o, now);
        if (due > now) {
            if (due < next)
                next = due;
        } else {
            send_notification(c, o, now);
        }
    }
    return next;
}

void tern_observe_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    /* the message ID of the last notification tells whose it is; a
     * timeout carries it only in its transaction */
    uint16_t mid = ev->txn != NULL ? ev->txn->mid : ev->msg.mid;
    for (tern_observation_t *o = c->observations; o < c->observations + TERN_MAX_OBSERVATIONS;
         o++) {
        if (o->last_mid != mid || o->conn != ev->conn)
            continue;
        if (ev->kind == TERN_COAP_EV_ACKED) {
            o->in_flight = 0;
            continue;
        }
        /* RFC 7641 3.6 and 4.5: an RST or no ACK at all ends the observation */
#if TERN_WITH_LOG
        char text[TERN_PATH_TEXT_MAX];
        if (o->path.len != 0)
            TERN_LOG_I(c->port, "lwm2m: observation of %s ended by the server (%s)",
                       tern_path_text(&o->path, text),
                       ev->kind == TERN_COAP_EV_RESET ? "RST" : "no ACK");
#endif
        forget(o);
    }
}

void tern_observe_drop_server(tern_client_t *c, int server)
{
    for (size_t i = 0; i < TERN_MAX_OBSERVATIONS; i++) {
        if (c->observations[i].server == server)
            forget(&c->observations[i]);
    }
}

void tern_observe_drop_path(tern_client_t *c, const tern_path_t *path)
{
    for (tern_observation_t *o = c->observations; o < c->observations + TERN_MAX_OBSERVATIONS;
         o++) {
        if (tern_path_is_prefix(path, &o->path))
            forget(o);
    }
    for (tern_attrs_t *a = c->attrs; a < c->attrs + TERN_MAX_ATTRS; a++) {
        if (tern_path_is_prefix(path, &a->path))
            a->set = 0;
    }
}

#else
typedef int tern_observe_disabled_t;
#endif /* TERN_WITH_OBSERVE */
