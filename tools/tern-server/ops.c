/* Device-management requests, responses and observations (see ops.h). */
#define _GNU_SOURCE
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rawsend.h"

/* Notifications kept for wait-notify per observation; older ones are
 * dropped first (they were printed when they came). */
#define MAX_QUEUED_NOTIFICATIONS 256

static void make_token(srv_t *srv, uint8_t *out)
{
    uint32_t seq = ++srv->token_seq;
    memcpy(out, srv->token_prefix, 4);
    out[4] = (uint8_t)(seq >> 24);
    out[5] = (uint8_t)(seq >> 16);
    out[6] = (uint8_t)(seq >> 8);
    out[7] = (uint8_t)seq;
}

static void release_copy(coap_session_t *session, void *app_ptr)
{
    (void)session;
    free(app_ptr);
}

static void add_uri_path(coap_pdu_t *pdu, const char *root, const srv_path_t *path)
{
    /* the alternate path a client registered with ("/lwm2m") comes first */
    const char *p = root;
    while (*p != '\0') {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n > 0)
            coap_add_option(pdu, COAP_OPTION_URI_PATH, n, (const uint8_t *)p);
        p += n;
    }
    for (int i = 0; i < path->depth; i++) {
        char seg[8];
        int n = snprintf(seg, sizeof(seg), "%u", (unsigned)path->id[i]);
        coap_add_option(pdu, COAP_OPTION_URI_PATH, (size_t)n, (const uint8_t *)seg);
    }
}

srv_request_t *ops_send(srv_t *srv, srv_client_t *c, const srv_req_spec_t *spec, int64_t timeout_ms,
                        char *err, size_t errlen)
{
    uint8_t buf[4];
    if (!c->registered || c->session == NULL) {
        snprintf(err, errlen, "client '%s' is not registered", c->ep);
        return NULL;
    }
    coap_session_t *s = c->session;
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, spec->method, coap_new_message_id(s),
                                    coap_session_max_pdu_size(s));
    if (pdu == NULL) {
        snprintf(err, errlen, "cannot create a CoAP message");
        return NULL;
    }
    srv_request_t *req = xcalloc(1, sizeof(*req));
    if (spec->token != NULL)
        memcpy(req->token, spec->token, SRV_TOKEN_LEN);
    else
        make_token(srv, req->token);
    coap_add_token(pdu, SRV_TOKEN_LEN, req->token);
    /* options in ascending number order */
    if (spec->observe >= 0)
        coap_add_option(pdu, COAP_OPTION_OBSERVE,
                        coap_encode_var_safe(buf, sizeof(buf), (unsigned)spec->observe), buf);
    add_uri_path(pdu, c->root ? c->root : "", &spec->path);
    if (spec->content_format != CF_NONE)
        coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
                        coap_encode_var_safe(buf, sizeof(buf), (unsigned)spec->content_format),
                        buf);
    for (size_t i = 0; spec->query != NULL && spec->query[i] != NULL; i++)
        coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(spec->query[i]),
                        (const uint8_t *)spec->query[i]);
    if (spec->accept != CF_NONE)
        coap_add_option(pdu, COAP_OPTION_ACCEPT,
                        coap_encode_var_safe(buf, sizeof(buf), (unsigned)spec->accept), buf);
    if (spec->block1_set) {
        coap_add_option(pdu, COAP_OPTION_BLOCK1,
                        coap_encode_var_safe(buf, sizeof(buf), spec->block1), buf);
        coap_add_option(pdu, COAP_OPTION_SIZE1, coap_encode_var_safe(buf, sizeof(buf), spec->size1),
                        buf);
    }
    if (spec->payload != NULL && spec->block1_set) {
        if (!coap_add_data(pdu, spec->len, spec->payload)) {
            coap_delete_pdu(pdu);
            free(req);
            snprintf(err, errlen, "a %zu-byte block does not fit in a message", spec->len);
            return NULL;
        }
    } else if (spec->payload != NULL) {
        /* libcoap sends it block-wise (Block1) when it does not fit */
        uint8_t *copy = xmalloc(spec->len);
        memcpy(copy, spec->payload, spec->len);
        if (!coap_add_data_large_request(s, pdu, spec->len, copy, release_copy, copy)) {
            free(copy);
            coap_delete_pdu(pdu);
            free(req);
            snprintf(err, errlen, "cannot add a %zu-byte payload", spec->len);
            return NULL;
        }
    }
    if (spec->observe == 1 && rawsend_possible(srv)) {
        /* Cancel-Observation: libcoap 4.3.1 would swap in its own token */
        bool sent = rawsend_request(srv, s, pdu, err, errlen);
        coap_delete_pdu(pdu);
        if (!sent) {
            free(req);
            return NULL;
        }
    } else if (coap_send(s, pdu) == COAP_INVALID_MID) {
        free(req);
        snprintf(err, errlen, "libcoap could not send the request");
        return NULL;
    }
    snprintf(req->op, sizeof(req->op), "%s", spec->op);
    req->ep = xstrdup(c->ep);
    req->generation = c->generation;
    req->path = spec->path;
    req->observe = spec->observe;
    req->accept = spec->accept;
    req->deadline = now_ms() + timeout_ms;
    req->timeout_ms = timeout_ms;
    req->state = REQ_PENDING;
    req->observe_seq = -1;
    req->content_format = CF_NONE;
    req->block1 = -1;
    req->size1 = -1;
    req->next = srv->requests;
    srv->requests = req;
    return req;
}

void ops_request_free(srv_t *srv, srv_request_t *req)
{
    for (srv_request_t **p = &srv->requests; *p != NULL; p = &(*p)->next) {
        if (*p == req) {
            *p = req->next;
            break;
        }
    }
    free(req->ep);
    free(req->payload);
    free(req->location);
    free(req->error);
    free(req);
}

static void fail_request(srv_request_t *req, const char *msg, bool timed_out)
{
    req->state = REQ_FAILED;
    req->timed_out = timed_out;
    free(req->error);
    req->error = xstrdup(msg);
}

void ops_tick(srv_t *srv, int64_t now)
{
    for (srv_request_t *r = srv->requests; r != NULL; r = r->next) {
        if (r->state == REQ_PENDING && now >= r->deadline) {
            char msg[96];
            snprintf(msg, sizeof(msg), "timeout: no response from %s within %.3gs", r->ep,
                     (double)r->timeout_ms / 1000);
            fail_request(r, msg, true);
        }
    }
    rawsend_tick(srv, now);
}

int64_t ops_next_deadline(const srv_t *srv)
{
    int64_t next = INT64_MAX;
    for (const srv_request_t *r = srv->requests; r != NULL; r = r->next)
        if (r->state == REQ_PENDING && r->deadline < next)
            next = r->deadline;
    int64_t raw = rawsend_next_deadline(srv);
    return raw < next ? raw : next;
}

static bool token_is(const coap_pdu_t *pdu, const uint8_t *token)
{
    coap_bin_const_t t = coap_pdu_get_token(pdu);
    return t.length == SRV_TOKEN_LEN && memcmp(t.s, token, SRV_TOKEN_LEN) == 0;
}

static int option_uint(const coap_pdu_t *pdu, coap_option_num_t num)
{
    coap_opt_iterator_t it;
    coap_opt_t *opt = coap_check_option(pdu, num, &it);
    if (opt == NULL)
        return -1;
    return (int)coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
}

static char *location_path(const coap_pdu_t *pdu)
{
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    strbuf_t b;
    sb_init(&b);
    coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
    while ((opt = coap_option_next(&it)) != NULL) {
        if (it.number != COAP_OPTION_LOCATION_PATH)
            continue;
        sb_putc(&b, '/');
        sb_append(&b, coap_opt_value(opt), coap_opt_length(opt));
    }
    if (b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static void get_body(const coap_pdu_t *pdu, const uint8_t **data, size_t *len)
{
    size_t offset, total;
    if (!coap_get_data_large(pdu, len, data, &offset, &total)) {
        *data = NULL;
        *len = 0;
    }
}

static srv_observation_t *find_observation_by_token(srv_t *srv, const coap_pdu_t *pdu)
{
    for (srv_observation_t *o = srv->observations; o != NULL; o = o->next)
        if (token_is(pdu, o->token))
            return o;
    return NULL;
}

void ops_notification_free(srv_notification_t *n)
{
    if (n == NULL)
        return;
    values_free(&n->values);
    free(n);
}

void ops_observation_free(srv_t *srv, srv_observation_t *obs)
{
    for (srv_observation_t **p = &srv->observations; *p != NULL; p = &(*p)->next) {
        if (*p == obs) {
            *p = obs->next;
            break;
        }
    }
    while (obs->queue != NULL)
        ops_notification_free(ops_pop_notification(obs));
    free(obs->ep);
    free(obs);
}

srv_notification_t *ops_pop_notification(srv_observation_t *obs)
{
    srv_notification_t *n = obs->queue;
    if (n == NULL)
        return NULL;
    obs->queue = n->next;
    if (obs->queue == NULL)
        obs->queue_tail = NULL;
    obs->queued--;
    n->next = NULL;
    return n;
}

static void start_observation(srv_t *srv, const srv_request_t *req)
{
    srv_observation_t *o = xcalloc(1, sizeof(*o));
    o->ep = xstrdup(req->ep);
    o->generation = req->generation;
    o->path = req->path;
    o->accept = req->accept;
    memcpy(o->token, req->token, SRV_TOKEN_LEN);
    o->next = srv->observations;
    srv->observations = o;
}

static void on_notification(srv_t *srv, srv_observation_t *o, const coap_pdu_t *rcvd)
{
    const uint8_t *data;
    size_t len;
    srv_notification_t *n = xcalloc(1, sizeof(*n));
    n->observe_seq = option_uint(rcvd, COAP_OPTION_OBSERVE);
    n->code = coap_pdu_get_code(rcvd);
    n->content_format = option_uint(rcvd, COAP_OPTION_CONTENT_FORMAT);
    get_body(rcvd, &data, &len);
    values_init(&n->values);
    if (n->code >> 5 == 2)
        values_decode(&n->values, &o->path, n->content_format, data, len);
    o->count++;
    out_notification(srv, o, n, data, len);
    /* an error code or a response without Observe ends the observation */
    if (n->code >> 5 != 2 || n->observe_seq < 0) {
        out_observation_ended(srv, o,
                              n->code >> 5 != 2 ? "the client sent an error code"
                                                : "the client sent a response without Observe");
        ops_notification_free(n);
        ops_observation_free(srv, o);
        return;
    }
    if (o->queue_tail != NULL)
        o->queue_tail->next = n;
    else
        o->queue = n;
    o->queue_tail = n;
    if (++o->queued > MAX_QUEUED_NOTIFICATIONS)
        ops_notification_free(ops_pop_notification(o));
}

static void complete_request(srv_t *srv, srv_request_t *req, const coap_pdu_t *rcvd)
{
    const uint8_t *data;
    size_t len;
    req->code = coap_pdu_get_code(rcvd);
    req->content_format = option_uint(rcvd, COAP_OPTION_CONTENT_FORMAT);
    req->observe_seq = option_uint(rcvd, COAP_OPTION_OBSERVE);
    req->location = location_path(rcvd);
    req->block1 = option_uint(rcvd, COAP_OPTION_BLOCK1);
    req->size1 = option_uint(rcvd, COAP_OPTION_SIZE1);
    get_body(rcvd, &data, &len);
    if (len > 0) {
        req->payload = xmalloc(len);
        memcpy(req->payload, data, len);
        req->len = len;
    }
    req->state = REQ_DONE;
    if (req->observe == 0 && req->code >> 5 == 2 && req->observe_seq >= 0)
        start_observation(srv, req);
}

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *rcvd, const coap_mid_t mid)
{
    srv_t *srv = srv_from_session(session);
    (void)sent;
    (void)mid;
    for (srv_request_t *r = srv->requests; r != NULL; r = r->next) {
        if (!token_is(rcvd, r->token))
            continue;
        if (r->state != REQ_PENDING)
            break; /* a duplicate or a late answer: fall through to observations */
        /* While a cancel-observe is out, a notification (separate, with
         * Observe) may still come on the same token. */
        bool is_notification = r->observe == 1 && coap_pdu_get_type(rcvd) != COAP_MESSAGE_ACK
                               && option_uint(rcvd, COAP_OPTION_OBSERVE) >= 0;
        if (is_notification)
            break;
        complete_request(srv, r, rcvd);
        return COAP_RESPONSE_OK;
    }
    srv_observation_t *o = find_observation_by_token(srv, rcvd);
    if (o != NULL) {
        on_notification(srv, o, rcvd);
        return COAP_RESPONSE_OK;
    }
    /* a notification for an observation we no longer want, or a response
     * to a request we gave up on: RST tells the client to forget it */
    return COAP_RESPONSE_FAIL;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid)
{
    srv_t *srv = srv_from_session(session);
    (void)mid;
    if (sent == NULL)
        return;
    for (srv_request_t *r = srv->requests; r != NULL; r = r->next) {
        if (r->state != REQ_PENDING || !token_is(sent, r->token))
            continue;
        switch (reason) {
        case COAP_NACK_TOO_MANY_RETRIES:
            fail_request(r, "timeout: no answer after libcoap's retransmissions", true);
            break;
        case COAP_NACK_RST:
            fail_request(r, "the client answered with RST (reset)", false);
            break;
        case COAP_NACK_NOT_DELIVERABLE:
        case COAP_NACK_ICMP_ISSUE:
            fail_request(r, "not deliverable (ICMP error: is the client still running?)", false);
            break;
        default:
            fail_request(r, "the request failed (libcoap NACK)", false);
            break;
        }
    }
}

void ops_init(srv_t *srv)
{
    coap_prng(srv->token_prefix, sizeof(srv->token_prefix));
    coap_register_response_handler(srv->ctx, on_response);
    coap_register_nack_handler(srv->ctx, on_nack);
}

srv_observation_t *ops_find_observation(srv_t *srv, const srv_client_t *c, const srv_path_t *path)
{
    for (srv_observation_t *o = srv->observations; o != NULL; o = o->next)
        if (strcmp(o->ep, c->ep) == 0 && o->generation == c->generation
            && o->path.depth == path->depth
            && memcmp(o->path.id, path->id, sizeof(path->id[0]) * (size_t)path->depth) == 0)
            return o;
    return NULL;
}

void ops_client_gone(srv_t *srv, srv_client_t *c)
{
    srv_observation_t *o = srv->observations;
    while (o != NULL) {
        srv_observation_t *next = o->next;
        if (strcmp(o->ep, c->ep) == 0)
            ops_observation_free(srv, o);
        o = next;
    }
}

void ops_free(srv_t *srv)
{
    while (srv->requests != NULL)
        ops_request_free(srv, srv->requests);
    while (srv->observations != NULL)
        ops_observation_free(srv, srv->observations);
    rawsend_free(srv);
}
