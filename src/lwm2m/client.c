/* The client: set-up, the step function and the routing of CoAP events. */
#include <string.h>

#include "core/compiler.h"
#include "core/log.h"
#include "core/uri.h"
#include "lwm2m/lwm2m.h"

/* Datagrams taken from one connection per step, so that one busy peer
 * cannot starve the timers. */
#define MAX_DATAGRAMS_PER_STEP 8

int tern_client_init(tern_client_t *c, const tern_client_config_t *config)
{
    if (config == NULL || config->endpoint == NULL || config->endpoint[0] == '\0'
        || config->port == NULL || config->port->ops == NULL)
        return TERN_ERR_ARG;
#if !TERN_COAP_RX_BUFFER
    if (config->port->ops->net_recv_inplace == NULL)
        return TERN_ERR_ARG; /* no receive buffer of our own */
#endif
    memset(c, 0, sizeof(*c));
    c->port = config->port;
    c->endpoint = config->endpoint;
    c->msisdn = config->msisdn;
    c->local_port = config->local_port;
    c->now = config->port->ops->now_ms(config->port->ctx);
    for (int s = 0; s < TERN_MAX_SERVERS; s++)
        c->servers[s].conn = -1;
#if TERN_WITH_BOOTSTRAP
    c->bs.conn = -1;
#endif
#if TERN_WITH_BLOCK
    c->download.conn = -1;
#endif
    tern_coap_ep_init(&c->coap, config->port, NULL);
    tern_security_object_init(c);
    tern_server_object_init(c);
#if TERN_WITH_ACL
    tern_acl_object_init(c);
#endif
    return 0;
}

tern_time_t tern_client_now(const tern_client_t *c)
{
    return c->now;
}

int tern_object_register(tern_client_t *c, tern_object_t *obj)
{
    if (obj == NULL || obj->def == NULL || obj->def->ops == NULL || obj->def->ops->read == NULL
        || obj->n_iids > obj->max_iids || (obj->max_iids > 0 && obj->iids == NULL))
        return TERN_ERR_ARG;
    for (uint16_t i = 1; i < obj->def->n_resources; i++) {
        if (obj->def->resources[i - 1].id >= obj->def->resources[i].id)
            return TERN_ERR_ARG; /* the table must be sorted */
    }
    /* the list is sorted by object id, each at most once */
    uint16_t oid = obj->def->oid;
    tern_object_t **at = &c->objects;
    while (*at != NULL && (*at)->def->oid < oid)
        at = &(*at)->next;
    if (*at != NULL && (*at)->def->oid == oid)
        return TERN_ERR_ARG;
    obj->next = *at;
    *at = obj;
    tern_reg_changed(c, TERN_UPD_OBJECTS);
    return 0;
}

int tern_instance_add(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    int rc = tern_dm_iid_insert(obj, iid);
    if (rc == 0) {
        tern_reg_changed(c, TERN_UPD_OBJECTS);
#if TERN_WITH_OBSERVE
        tern_path_t p = tern_path(2, obj->def->oid, iid, 0, 0);
        tern_observe_changed(c, &p);
#endif
    }
    return rc;
}

int tern_instance_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    int rc = tern_dm_iid_delete(obj, iid);
    if (rc == 0) {
        tern_reg_changed(c, TERN_UPD_OBJECTS);
#if TERN_WITH_OBSERVE
        tern_path_t p = tern_path(2, obj->def->oid, iid, 0, 0);
        tern_observe_drop_path(c, &p);
        tern_observe_changed(c, &p);
#endif
    }
    return rc;
}

void tern_changed(tern_client_t *c, const tern_path_t *path)
{
#if TERN_WITH_OBSERVE
    tern_observe_changed(c, path);
#else
    (void)c;
    (void)path;
#endif
}

void tern_changed_resource(tern_client_t *c, uint16_t oid, uint16_t iid, uint16_t rid)
{
    tern_path_t p = { { oid, iid, rid, 0 }, 3 };
    tern_changed(c, &p);
}

void tern_update_registration(tern_client_t *c)
{
    c->update_all = 1;
}

void tern_shutdown(tern_client_t *c)
{
    c->stopping = 1;
}

bool tern_stopped(const tern_client_t *c)
{
#if TERN_WITH_BOOTSTRAP
    if (tern_bs_busy(c))
        return c->stopping != 0; /* nothing to de-register from yet */
#endif
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        const tern_server_inst_t *srv = &c->servers[s];
        if (srv->used
            && (srv->in_flight || srv->reg_state == TERN_REG_REGISTERED
                || srv->reg_state == TERN_REG_REGISTERING))
            return false;
    }
    return c->stopping;
}

tern_reg_state_t tern_registration_state(const tern_client_t *c, size_t index)
{
    size_t n = 0;
#if TERN_WITH_BOOTSTRAP
    if (tern_bs_busy(c))
        return TERN_REG_BOOTSTRAPPING;
#endif
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->servers[s].used && n++ == index)
            return (tern_reg_state_t)c->servers[s].reg_state;
    }
    return TERN_REG_IDLE;
}

int tern_read_value(tern_client_t *c, const tern_path_t *path, tern_value_t *value)
{
    tern_object_t *obj;
    const tern_res_def_t *res;
    int rc = tern_dm_resolve(c, path, &obj, &res);
    if (rc != 0)
        return rc;
    if (res == NULL || (path->len == 3 && (res->flags & TERN_RES_MULTIPLE)))
        return -TERN_COAP_BAD_REQUEST;
    return tern_dm_read_value(c, obj, res, path, value);
}

#if TERN_WITH_BOOTSTRAP
static bool same_addr(const tern_addr_t *a, const tern_addr_t *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}
#endif

/* Routes a request to the Bootstrap-Server or the server whose connection
 * it came on. Bootstrap requests must come from the Bootstrap-Server's
 * address: the socket is bound to a known port during the hold-off, and
 * whoever bootstraps the device owns it. (A NoSec server's requests are
 * not held to its address, which gives no assurance anyway; a DTLS
 * connection only carries its peer's datagrams.) */
static void route_request(tern_client_t *c, const tern_coap_event_t *ev)
{
#if TERN_WITH_BOOTSTRAP
    if (tern_bs_busy(c) && ev->conn == c->bs.conn) {
        if (!same_addr(&ev->peer, &c->bs.peer)) {
            TERN_LOG_W(c->port,
                       "lwm2m: request from a stranger on the bootstrap connection dropped");
            return;
        }
        tern_request_handle(c, -1, ev);
        return;
    }
#endif
    int server = tern_server_by_conn(c, ev->conn);
    if (server >= 0)
        tern_request_handle(c, server, ev);
}

/* Routes one event of the CoAP layer to its owner. */
static void route(tern_client_t *c, const tern_coap_event_t *ev)
{
    switch (ev->kind) {
    case TERN_COAP_EV_REQUEST:
        route_request(c, ev);
        return;
    case TERN_COAP_EV_NONE:
        return;
    default:
        break;
    }
    uint16_t kind = ev->txn != NULL ? TERN_TAG_KIND(ev->txn->tag) : TERN_TAG_NOTIFY;
    if (kind == TERN_TAG_REGISTRATION)
        tern_reg_event(c, ev);
#if TERN_WITH_BOOTSTRAP
    else if (kind == TERN_TAG_BOOTSTRAP)
        tern_bs_event(c, ev);
#endif
#if TERN_WITH_BLOCK
    else if (kind == TERN_TAG_DOWNLOAD)
        tern_download_event(c, ev);
#endif
#if TERN_WITH_OBSERVE
    else if (kind == TERN_TAG_NOTIFY)
        tern_observe_event(c, ev);
#endif
}

/* One datagram from conn, where the port keeps it or in our own buffer;
 * returns its full length or net_recv's error. */
static int next_datagram(tern_client_t *c, int conn, tern_addr_t *from, const uint8_t **data,
                         size_t *stored)
{
    const tern_port_ops_t *ops = c->port->ops;
    int n;
#if TERN_COAP_RX_BUFFER
    if (ops->net_recv_inplace == NULL) {
        tern_coap_ep_t *ep = &c->coap;
        n = ops->net_recv(c->port->ctx, conn, from, ep->rx_buf, sizeof(ep->rx_buf));
        *data = ep->rx_buf;
        *stored = n > 0 && (size_t)n < sizeof(ep->rx_buf) ? (size_t)n : sizeof(ep->rx_buf);
        return n;
    }
#endif
    *stored = 0;
    n = ops->net_recv_inplace(c->port->ctx, conn, from, data, stored);
    /* a datagram is never taken beyond our message size, however much
     * the port kept: it is truncated as if received into our buffer */
    if (n >= 0 && *stored > (size_t)n)
        *stored = (size_t)n;
    if (*stored > TERN_COAP_BUFFER_SIZE)
        *stored = TERN_COAP_BUFFER_SIZE;
    return n;
}

/* One datagram from conn through the message layer into *ev; returns
 * its full length, or net_recv's error (TERN_ERR_WOULD_BLOCK when
 * nothing is waiting).
 * Out of line: the sender's address, the datagram and the arguments of
 * ep_input stay in this frame, which is gone before the event is routed
 * (and a request handled) from the caller's. */
static TERN_NOINLINE int take_datagram(tern_client_t *c, int conn, tern_coap_event_t *ev)
{
    tern_addr_t from;
    const uint8_t *data;
    size_t stored;
    int n = next_datagram(c, conn, &from, &data, &stored);
    if (n >= 0)
        tern_coap_ep_input(&c->coap, conn, &from, data, stored, (size_t)n, c->now, ev);
    return n;
}

/* The connections the client may have open: one per server slot (-1 when
 * none), then the Bootstrap-Server's and the download's. */
#define N_CONNS (TERN_MAX_SERVERS + TERN_WITH_BOOTSTRAP + TERN_WITH_BLOCK)

/* Out of line when there are several connections: both loops of
 * tern_step() call it, and inline each would have its own copy. */
#if N_CONNS > 1
#define CONN_AT_LINKAGE static TERN_NOINLINE
#else
#define CONN_AT_LINKAGE static
#endif

CONN_AT_LINKAGE int conn_at(const tern_client_t *c, int i)
{
#if TERN_WITH_BOOTSTRAP
    if (i == TERN_MAX_SERVERS)
        return c->bs.conn;
#endif
#if TERN_WITH_BLOCK
    if (i == N_CONNS - 1)
        return c->download.conn;
#endif
    return c->servers[i].conn;
}

/* Takes the datagrams waiting on connection slot `slot` (while it is
 * open: handling one may close it, e.g. a De-register's answer) and
 * routes them; returns 0, or net_recv's error when the connection failed. */
static int receive(tern_client_t *c, int slot)
{
    for (int i = 0; conn_at(c, slot) >= 0 && i < MAX_DATAGRAMS_PER_STEP; i++) {
        tern_coap_event_t ev;
        int n = take_datagram(c, conn_at(c, slot), &ev);
        if (n < 0)
            return n == TERN_ERR_WOULD_BLOCK ? 0 : n;
        route(c, &ev);
    }
    return 0;
}

static tern_time_t earliest(tern_time_t a, tern_time_t b)
{
    return a < b ? a : b;
}

/* next, or the port's deadline on conn (a DTLS timer) when earlier. */
static tern_time_t conn_deadline(const tern_client_t *c, int conn, tern_time_t next)
{
    if (conn < 0 || c->port->ops->net_deadline == NULL)
        return next;
    return earliest(next, c->port->ops->net_deadline(c->port->ctx, conn));
}

uint32_t tern_step(tern_client_t *c, tern_time_t now)
{
    c->now = now;
    for (int i = 0; i < N_CONNS; i++) {
        int rc = receive(c, i);
        if (rc >= 0)
            continue;
        if (i < TERN_MAX_SERVERS)
            tern_reg_connection_lost(c, i, rc);
#if TERN_WITH_BLOCK
        else if (i == N_CONNS - 1)
            tern_download_lost(c, rc); /* e.g. the file server's DTLS session ended */
#endif
        else
            TERN_LOG_W(c->port, "lwm2m: Bootstrap-Server connection failed (%d)", rc);
    }
    tern_coap_event_t ev;
    do {
        tern_coap_ep_poll(&c->coap, now, &ev);
        route(c, &ev);
    } while (ev.kind != TERN_COAP_EV_NONE);
#if TERN_WITH_BOOTSTRAP
    tern_bs_after_step(c);
    if (!c->stopping && !tern_bs_busy(c) && tern_bs_account(c) != NULL && tern_bs_needed(c))
        tern_bs_start(c, "no usable LwM2M server");
    tern_bs_step(c, now);
    if (!tern_bs_busy(c))
#endif
        tern_reg_step(c);
#if TERN_WITH_OBSERVE
    tern_observe_step(c, now);
#endif
#if TERN_WITH_BLOCK
    tern_block1_step(c, now);
    tern_download_step(c, now);
#endif
#if TERN_WITH_PERSISTENCE
    if (c->config_dirty && !tern_bs_busy(c)) {
        c->config_dirty = 0;
        (void)tern_config_save(c);
    }
#endif

    tern_time_t next = tern_coap_ep_next_deadline(&c->coap);
    for (int i = 0; i < N_CONNS; i++)
        next = conn_deadline(c, conn_at(c, i), next);
    /* Work that waits for a free transaction slot is woken by the slot's
     * own deadline or by the datagram that frees it, not by spinning. */
    if (tern_coap_ep_free_slots(&c->coap) > 0) {
#if TERN_WITH_BLOCK
        next = earliest(next, tern_download_next_time(c));
#endif
#if TERN_WITH_BOOTSTRAP
        next = earliest(next, tern_bs_next_time(c));
        if (!tern_bs_busy(c))
#endif
            next = earliest(next, tern_reg_next_time(c));
#if TERN_WITH_OBSERVE
        next = earliest(next, tern_observe_next_time(c));
#endif
    }
    if (next <= now)
        return 0;
    return next - now > INT32_MAX ? (uint32_t)INT32_MAX : (uint32_t)(next - now);
}
