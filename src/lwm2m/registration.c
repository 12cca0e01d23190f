/*
 * Client Registration interface (OMA LwM2M 1.0 TS 5.3), one state
 * machine per server:
 *
 *   IDLE --Register--> REGISTERING --2.01--> REGISTERED --Update 2.04--+
 *                        ^  |  4.xx: FAILED        |  ^                |
 *                        |  +-- timeout/5.xx:      |  +----------------+
 *                        |      retry, back-off    |
 *                        +--- Update 4.xx/timeout -+--De-register--> DEREGISTERED
 *
 * Updates go out before the lifetime ends, and when the lifetime, the
 * binding or the object list changes, carrying only what changed.
 */
#include <string.h>

#include "core/compiler.h"
#include "core/log.h"
#include "core/uri.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

#define LWM2M_VERSION "1.0"

/* RFC 7252 MAX_TRANSMIT_WAIT: how long a confirmable request may take. */
#define MAX_TRANSMIT_WAIT_S 93u

/* Update early enough that even a retransmitted Update lands in time. */
static uint32_t update_interval_s(uint32_t lifetime_s)
{
    uint32_t s =
        lifetime_s > 2 * MAX_TRANSMIT_WAIT_S ? lifetime_s - MAX_TRANSMIT_WAIT_S : lifetime_s / 2;
    return s > 0 ? s : 1;
}

#if TERN_REG_RETRY_MIN_S < 1 || TERN_REG_RETRY_MIN_S > 65535                                       \
    || TERN_REG_RETRY_MAX_S / TERN_REG_RETRY_MIN_S > 65536
#error "TERN_REG_RETRY_MIN_S must be 1..65535 and at most 16 doublings below TERN_REG_RETRY_MAX_S"
#endif

uint32_t tern_retry_delay_s(uint8_t attempts)
{
    /* 16 doublings reach the maximum (checked above), and do not overflow */
    uint32_t s =
        attempts == 0 ? 0 : (uint32_t)TERN_REG_RETRY_MIN_S << (attempts > 17 ? 16 : attempts - 1);
    return s < TERN_REG_RETRY_MAX_S ? s : TERN_REG_RETRY_MAX_S;
}

void tern_deadline_s(const tern_client_t *c, tern_time_t *at, uint32_t s)
{
    *at = c->now + (tern_time_t)s * 1000;
}

/* The next step for srv comes `s` seconds from now. */
static TERN_NOINLINE void wait_s(const tern_client_t *c, tern_server_inst_t *srv, uint32_t s)
{
    tern_deadline_s(c, &srv->next_time, s);
}

/* Whether srv is the first server in use: its connection alone is bound
 * to the client's local port. */
static bool first_server(const tern_client_t *c, const tern_server_inst_t *srv)
{
    for (const tern_server_inst_t *other = c->servers; other < srv; other++) {
        if (other->used)
            return false;
    }
    return true;
}

/* The object list (TS 5.3.1): "</>;rt="oma.lwm2m",</1/0>,</3/0>,...". */
static void write_object_links(tern_client_t *c, tern_coap_writer_t *w)
{
    size_t room;
    uint8_t *payload = tern_coap_payload_begin(w, &room);
    if (payload == NULL)
        return;
    tern_sink_t sink;
    tern_sink_init(&sink, payload, room, 0);
    tern_sink_write(&sink, "</>;rt=\"oma.lwm2m\"", 18);
    tern_link_writer_t lw;
    tern_link_init(&lw, &sink);
    lw.first = false; /* the root link came first */
    tern_path_t p;
    for (const tern_object_t *o = c->objects; o != NULL; o = o->next) {
        const char *version = o->def->version;
        p.ids[0] = o->def->oid;
        p.len = 1;
        if (p.ids[0] == 0)
            continue; /* TS 5.3.1: never the Security object */
        if (o->n_iids == 0 || version != NULL) {
            tern_link_path(&lw, &p);
            if (version != NULL)
                tern_link_attr(&lw, "ver", version);
        }
        p.len = 2;
        for (unsigned i = 0; i < o->n_iids; i++) {
            p.ids[1] = o->iids[i];
            tern_link_path(&lw, &p);
        }
    }
    if (sink.error != 0 || sink.pos > room) {
        w->error = TERN_ERR_NO_SPACE;
        return;
    }
    tern_coap_payload_commit(w, tern_sink_stored(&sink));
}

/* Uri-Query parameters of Register and Update, in the order they go out,
 * and the bit of `what` (below) that sends each. */
#define QUERY_EP 0x08u
#define QUERY_SMS 0x10u
static const char QUERY_KEYS[][7] = { "ep=", "lt=", "sms=", "lwm2m=", "b=" };
static const uint8_t QUERY_WHEN[] = { QUERY_EP, TERN_UPD_LIFETIME, QUERY_SMS, QUERY_EP,
                                      TERN_UPD_BINDING };

/*
 * Register (TS 5.3.1), Update (5.3.2, carrying what changed) or
 * De-register (5.3.3): one builder, since an Update is a Register's
 * options minus the ones that never change, on the registration's
 * location instead of "rd". Options go out in the order of their numbers.
 */
static void send_registration(tern_client_t *c, tern_server_inst_t *srv, uint8_t op)
{
    uint8_t what = op == TERN_OP_UPDATE ? srv->update_what : 0;
    const uint8_t *path = (const uint8_t *)srv->location;
    if (op == TERN_OP_REGISTER) {
        path = (const uint8_t *)"\2rd";
        what = TERN_UPD_LIFETIME | TERN_UPD_BINDING | TERN_UPD_OBJECTS | QUERY_EP;
        if (c->msisdn != NULL && memchr(srv->binding, 'S', sizeof(srv->binding)) != NULL)
            what |= QUERY_SMS;
    }
    tern_coap_writer_t w;
    tern_coap_txn_t *t =
        tern_coap_request_new(&c->coap, srv->conn, &srv->peer, TERN_COAP_CON,
                              op == TERN_OP_DEREGISTER ? TERN_COAP_DELETE : TERN_COAP_POST, &w);
    if (t == NULL)
        return;                                  /* a slot frees up later */
    t->tag = TERN_TAG(TERN_TAG_REGISTRATION, 0); /* the server is the connection's */
    /* "rd", or the location's segments, as Uri-Path options */
    for (const uint8_t *end = path + sizeof(srv->location); path < end && *path != 0;
         path += 1 + *path)
        tern_coap_write_option(&w, TERN_COAP_OPT_URI_PATH, path + 1, *path);
    if (what & TERN_UPD_OBJECTS)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, TERN_FORMAT_LINK);
    char lifetime[TERN_INT_TEXT_MAX + 1];
    lifetime[tern_uint_to_text(srv->lifetime_s, lifetime)] = '\0';
    const char *values[] = { c->endpoint, lifetime, c->msisdn, LWM2M_VERSION, srv->binding };
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        if (what & QUERY_WHEN[i])
            tern_coap_write_option_kv(&w, TERN_COAP_OPT_URI_QUERY, QUERY_KEYS[i], values[i],
                                      strlen(values[i]));
    }
    if (what & TERN_UPD_OBJECTS)
        write_object_links(c, &w);
    srv->update_sent = what;
#if TERN_WITH_LOG
    if (op == TERN_OP_REGISTER)
        TERN_LOG_I(c->port, "lwm2m: registering with server %u as '%s' (lifetime %lu s)", srv->ssid,
                   c->endpoint, (unsigned long)srv->lifetime_s);
    else if (op == TERN_OP_UPDATE)
        TERN_LOG_D(c->port, "lwm2m: update to server %u (changes 0x%x)", srv->ssid, what);
    else
        TERN_LOG_I(c->port, "lwm2m: de-registering from server %u", srv->ssid);
#endif
    int rc = tern_coap_txn_send(&c->coap, t, &w, c->now);
    if (rc == 0)
        srv->in_flight = op;
    else
        TERN_LOG_E(c->port, "lwm2m: registration message does not fit (%d)", rc);
}

/* Register again after the back-off. */
static void retry_later(tern_client_t *c, tern_server_inst_t *srv)
{
    srv->reg_state = TERN_REG_REGISTERING;
    srv->attempts = (uint8_t)(srv->attempts < 255 ? srv->attempts + 1 : 255);
    wait_s(c, srv, tern_retry_delay_s(srv->attempts));
    TERN_LOG_W(c->port, "lwm2m: server %u: registration attempt %u failed, next in %lu s",
               srv->ssid, srv->attempts, (unsigned long)tern_retry_delay_s(srv->attempts));
}

/* Stores the Location-Path of a 2.01 as length-prefixed segments
 * ("\2rd\3abc", a NUL after them unless they fill the buffer); false
 * when there is none or it does not fit. */
static bool store_location(tern_server_inst_t *srv, const tern_coap_msg_t *m)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    size_t len = 0;
    tern_coap_opt_iter_init(&it, m);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number != TERN_COAP_OPT_LOCATION_PATH)
            continue;
        /* an empty segment would read as the end */
        if (opt.len == 0 || len + 1 + opt.len > sizeof(srv->location))
            return false;
        srv->location[len++] = (char)opt.len;
        memcpy(srv->location + len, opt.value, opt.len);
        len += opt.len;
    }
    if (len < sizeof(srv->location))
        srv->location[len] = '\0';
    return len > 0;
}

#if TERN_WITH_OBSERVE
/* Ends the observations of srv (out of line: its index is a division). */
static TERN_NOINLINE void drop_observations(tern_client_t *c, const tern_server_inst_t *srv)
{
    tern_observe_drop_server(c, (int)(srv - c->servers));
}
#endif

/* Closes server s's connection, with the observations that came on it,
 * and leaves it in `state`. */
static void end_connection(tern_client_t *c, tern_server_inst_t *srv, uint8_t state)
{
    tern_conn_close(c, &srv->conn);
#if TERN_WITH_OBSERVE
    drop_observations(c, srv);
#endif
    srv->reg_state = state;
}

/*
 * The end of server s's registration request: m is the response, NULL
 * when none came (timeout, RST, or the connection failed, then with
 * possibly nothing in flight).
 */
void tern_reg_finish(tern_client_t *c, tern_server_inst_t *srv, const tern_coap_msg_t *m)
{
    uint8_t op = srv->in_flight;
    uint8_t code = m != NULL ? m->code : 0;
    uint8_t refused = TERN_COAP_CODE_CLASS(code) == 4;
    srv->in_flight = 0;
    if (op == TERN_OP_DEREGISTER) {
        /* answered or not: the server expires a registration it missed */
        end_connection(c, srv, srv->disable ? TERN_REG_DISABLED : TERN_REG_DEREGISTERED);
        wait_s(c, srv, srv->disable_s);
        srv->disable = 0;
        TERN_LOG_I(c->port, "lwm2m: de-registered from server %u (%u.%02u)", srv->ssid, code >> 5,
                   code & 0x1f);
    } else if (m == NULL) {
        /* start over on a fresh connection (a DTLS session the server lost
         * is only replaced by a new handshake) */
        end_connection(c, srv, c->stopping ? TERN_REG_DEREGISTERED : srv->reg_state);
        if (srv->reg_state < TERN_REG_DEREGISTERED) /* not stopped, failed or disabled */
            retry_later(c, srv);
    } else if (code == (op == TERN_OP_REGISTER ? TERN_COAP_CREATED : TERN_COAP_CHANGED)) {
        if (op == TERN_OP_REGISTER) {
            if (!store_location(srv, m)) {
                TERN_LOG_E(c->port, "lwm2m: server %u sent no usable Location-Path", srv->ssid);
                retry_later(c, srv);
                return;
            }
            srv->reg_state = TERN_REG_REGISTERED;
            srv->attempts = 0;
#if TERN_WITH_BOOTSTRAP
            c->bs.attempts = 0; /* the bootstrap led somewhere */
#endif
#if TERN_WITH_OBSERVE
            /* a new registration starts afresh */
            drop_observations(c, srv);
#endif
            TERN_LOG_I(c->port, "lwm2m: registered with server %u", srv->ssid);
        }
        srv->update_what &= (uint8_t)~srv->update_sent;
        wait_s(c, srv, update_interval_s(srv->lifetime_s));
    } else if (op == TERN_OP_UPDATE) {
        /* TS 5.3.2: an Update the server does not accept means register again */
        TERN_LOG_W(c->port, "lwm2m: server %u answered the update with %u.%02u, registering again",
                   srv->ssid, code >> 5, code & 0x1f);
        srv->reg_state = TERN_REG_REGISTERING;
        wait_s(c, srv, refused ? 0 : TERN_REG_RETRY_MIN_S);
    } else if (refused) {
        TERN_LOG_E(c->port, "lwm2m: server %u refused the registration with %u.%02u", srv->ssid,
                   code >> 5, code & 0x1f);
        end_connection(c, srv, TERN_REG_FAILED);
    } else {
        retry_later(c, srv);
    }
}

void tern_reg_event(tern_client_t *c, const tern_coap_event_t *ev)
{
    /* a connection's transactions end with it: this one's server still has it */
    int s = tern_server_by_conn(c, ev->txn->conn);
    if (s < 0 || c->servers[s].in_flight == 0)
        return;
    if (ev->kind != TERN_COAP_EV_RESPONSE && c->servers[s].in_flight != TERN_OP_DEREGISTER)
        TERN_LOG_W(c->port, "lwm2m: server %u did not answer (%s)", c->servers[s].ssid,
                   ev->kind == TERN_COAP_EV_RESET ? "RST" : "timeout");
    tern_reg_finish(c, &c->servers[s], ev->kind == TERN_COAP_EV_RESPONSE ? &ev->msg : NULL);
}

tern_time_t tern_server_due(const tern_client_t *c, const tern_server_inst_t *srv)
{
    uint8_t state = srv->reg_state;
    if (!srv->used || srv->in_flight || state == TERN_REG_DEREGISTERED || state == TERN_REG_FAILED)
        return INT64_MAX;
    if (c->stopping)
        return state == TERN_REG_DISABLED ? INT64_MAX : 0;
    if (state == TERN_REG_REGISTERED && (srv->update_what || srv->disable))
        return 0;
    return srv->next_time;
}

static void step_server(tern_client_t *c, tern_server_inst_t *srv)
{
    if (c->now < tern_server_due(c, srv))
        return;
    if (srv->reg_state == TERN_REG_REGISTERED) {
        send_registration(c, srv,
                          c->stopping || srv->disable ? TERN_OP_DEREGISTER : TERN_OP_UPDATE);
        return;
    }
    if (c->stopping) {
        end_connection(c, srv, TERN_REG_DEREGISTERED); /* nothing to de-register from */
        return;
    }
    /* idle, retrying, or at the end of a disable timeout: register, on a
     * connection from the client's local port for the first server only */
    int rc = 0;
    if (srv->conn < 0) {
        const tern_security_inst_t *sec = tern_security_for_ssid(c, srv->ssid);
        rc = sec == NULL ? -TERN_COAP_BAD_REQUEST
                         : tern_conn_open(c, NULL, 0, sec, first_server(c, srv) ? c->local_port : 0,
                                          &srv->peer, &srv->conn);
        if (rc != 0)
            TERN_LOG_W(c->port, "lwm2m: server %u: no connection (%d)", srv->ssid, rc);
    }
    if (rc == TERN_ERR_ARG || rc == -TERN_COAP_BAD_REQUEST) {
        /* a URI or security the port cannot use: retrying won't help */
        srv->reg_state = TERN_REG_FAILED;
    } else if (rc != 0) {
        retry_later(c, srv);
    } else {
        srv->reg_state = TERN_REG_REGISTERING;
        send_registration(c, srv, TERN_OP_REGISTER);
    }
}

void tern_reg_step(tern_client_t *c)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->update_all) /* tern_update_registration() */
            c->servers[s].next_time = c->now;
        step_server(c, &c->servers[s]);
    }
    c->update_all = 0;
}

void tern_reg_changed(tern_client_t *c, uint8_t what)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++)
        c->servers[s].update_what |= what;
}
