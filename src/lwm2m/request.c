/*
 * Device Management and Information Reporting requests: map a CoAP
 * request from a server onto one LwM2M operation (OMA LwM2M 1.0 TS 8.2,
 * tables of 5.4 and 5.5) and make sure it is answered exactly once.
 *
 *   GET    Accept 40         Discover
 *   GET    Observe 0 / 1     Observe / Cancel Observation (+ Read)
 *   GET                      Read
 *   PUT    payload           Write (replace)
 *   PUT    Uri-Query only    Write-Attributes
 *   POST   /O                Create
 *   POST   /O/I              Write (partial update)
 *   POST   /O/I/R            Execute
 *   DELETE /O/I              Delete
 */

#include "coap/coap_block.h"
#include "core/compiler.h"
#include "core/log.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

void tern_respond_code(tern_request_t *req, uint8_t code)
{
    tern_coap_writer_t w;
    tern_coap_respond_begin(&req->client->coap, req->ev, code, &w);
    /* TS 5.4.5: a Create's 2.01 carries the new instance's Location-Path
     * /O/I (tern_dm_write() left its id in the path) */
    for (uint8_t i = 0; code == TERN_COAP_CREATED && i < 2; i++) {
        char text[TERN_INT_TEXT_MAX];
        tern_coap_write_option(&w, TERN_COAP_OPT_LOCATION_PATH, text,
                               tern_uint_to_text(req->path.ids[i], text));
    }
    (void)tern_coap_respond_send(&req->client->coap, &w);
}

/* Reads a 0..2-byte format option; TERN_FORMAT_NONE when absent. */
static uint16_t format_option(const tern_coap_msg_t *m, uint16_t number)
{
    uint32_t v = TERN_FORMAT_NONE; /* kept when absent */
    (void)tern_coap_get_uint(m, number, &v);
    return v > 0xfffe ? TERN_FORMAT_NONE : (uint16_t)v;
}

#if TERN_WITH_OBSERVE
static bool has_option(const tern_coap_msg_t *m, uint16_t number)
{
    tern_coap_option_t opt;
    return tern_coap_find_option(m, number, &opt);
}
#endif

/* The ACL right an operation needs (TS E.3), with the instance it is on;
 * 0 when the operation is not subject to access control here. */
static uint8_t needed_right(const tern_request_t *req, uint16_t *oiid)
{
    const tern_coap_msg_t *m = req->msg;
    uint8_t len = req->path.len;
    *oiid = req->path.ids[1];
    switch (m->code) {
    case TERN_COAP_GET:
        /* Discover is not controlled; an object read filters instances */
        return req->accept == TERN_FORMAT_LINK || len < 2 ? 0 : TERN_ACL_READ;
    case TERN_COAP_PUT:
        if (len < 2)
            return 0;
        return m->payload_len > 0 ? TERN_ACL_WRITE : TERN_ACL_READ; /* Write-Attributes */
    case TERN_COAP_POST:
        if (len == 1) {
            *oiid = TERN_ID_NONE;
            return TERN_ACL_CREATE;
        }
        return len == 2 ? TERN_ACL_WRITE : len == 3 ? TERN_ACL_EXECUTE : 0;
    case TERN_COAP_DELETE:
        return len == 2 ? TERN_ACL_DELETE : 0;
    default:
        return 0;
    }
}

#if TERN_WITH_BLOCK
/* A Write with Block1: streamed, unless it is one complete block to an
 * object that does not stream (then it is an ordinary write). Returns 1
 * when the request is not for block1.c. */
static int block1_write(tern_request_t *req)
{
    tern_coap_block_t block;
    int rc = tern_coap_get_block(req->msg, TERN_COAP_OPT_BLOCK1, &block);
    if (rc <= 0)
        return rc == 0 ? 1 : rc;
    /* the object, if there is one, however far the path resolved */
    const tern_object_t *obj = req->obj;
    bool streams = obj != NULL && obj->def->ops->write_block != NULL;
    if (block.num == 0 && !block.more && !streams)
        return 1;
    return tern_block1_write(req, &block);
}
#endif

/*
 * RFC 7252 5.10.8: If-Match and If-None-Match. Tern has no ETags, so an
 * If-Match with a value never matches; an empty one asks that the target
 * exist, If-None-Match that it not. Out of line: its option iterator
 * is not needed under the operation.
 */
static TERN_NOINLINE int preconditions(const tern_request_t *req)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    bool exists = req->resolved == 0;
    bool if_match = false;
    bool match_any = false;
    tern_coap_opt_iter_init(&it, req->msg);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number == TERN_COAP_OPT_IF_MATCH) {
            if_match = true;
            match_any |= opt.len == 0 && exists;
        } else if (opt.number == TERN_COAP_OPT_IF_NONE_MATCH && exists) {
            return -TERN_COAP_PRECONDITION_FAILED;
        }
    }
    return if_match && !match_any ? -TERN_COAP_PRECONDITION_FAILED : 0;
}

static int dispatch(tern_request_t *req)
{
    const tern_coap_msg_t *m = req->msg;
    uint8_t len = req->path.len;
    uint16_t oiid;
    req->resolved = tern_dm_resolve(req->client, &req->path, &req->obj, &req->res);
    uint8_t right = needed_right(req, &oiid);
    if (right != 0 && tern_access_check(req->client, req->server, req->path.ids[0], oiid, right))
        return -TERN_COAP_UNAUTHORIZED;
    int pre = preconditions(req);
    if (pre != 0)
        return pre;
#if TERN_WITH_BLOCK
    /* a resource written block-wise (PUT, or POST: RFC 7959 2.5) */
    int rc =
        len == 3 && (m->code == TERN_COAP_PUT || m->code == TERN_COAP_POST) ? block1_write(req) : 1;
    if (rc != 1)
        return rc;
#endif
    switch (m->code) {
    case TERN_COAP_GET:
        return len == 0 ? -TERN_COAP_METHOD_NOT_ALLOWED : tern_dm_read(req);
    case TERN_COAP_PUT:
        /* a payload, or a Content-Format for an empty one (an empty
         * string, or the empty package that resets Firmware Update) */
        if (m->payload_len > 0 || req->format != TERN_FORMAT_NONE)
            return len >= 2 ? tern_dm_write(req, true) : -TERN_COAP_METHOD_NOT_ALLOWED;
#if TERN_WITH_OBSERVE
        if (has_option(m, TERN_COAP_OPT_URI_QUERY))
            return len >= 1 ? tern_attrs_write(req) : -TERN_COAP_METHOD_NOT_ALLOWED;
#endif
        return -TERN_COAP_BAD_REQUEST;
    case TERN_COAP_POST:
        if (len == 1 || len == 2)
            return tern_dm_write(req, false); /* Create on /O */
        if (len == 3)
            return tern_dm_execute(req);
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    case TERN_COAP_DELETE:
        return len == 2 ? tern_dm_delete(req) : -TERN_COAP_METHOD_NOT_ALLOWED;
    default:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    }
}

#if TERN_WITH_LOG
static const char *method_name(uint8_t code)
{
    static const char *const NAMES[] = { "?", "GET", "POST", "PUT", "DELETE" };
    return code < 5 ? NAMES[code] : "?";
}

/* Out of line: the path's text would otherwise sit in the frame of
 * tern_request_handle(), under every operation. */
static TERN_NOINLINE void log_error(const tern_request_t *req, uint8_t code)
{
    char path[TERN_PATH_TEXT_MAX];
    TERN_LOG_I(req->client->port, "lwm2m: %s %s from server %u: %u.%02u",
               method_name(req->msg->code), tern_path_text(&req->path, path),
               req->client->servers[req->server].ssid, code >> 5, code & 0x1f);
}
#endif

static bool bootstrap_only(const tern_request_t *req)
{
    uint16_t oid = req->path.ids[0];
    uint8_t code = req->msg->code;
    bool create_delete = (code == TERN_COAP_POST && req->path.len == 1) || code == TERN_COAP_DELETE;
    return oid == 0 || (oid <= 2 && create_delete);
}

/* Fills *req, all but req->path: tern_dm_path_from_msg() sets that. */
static void request_init(tern_request_t *req, tern_client_t *c, int server,
                         const tern_coap_event_t *ev)
{
    req->client = c;
    req->ev = ev;
    req->msg = &ev->msg;
    req->server = server;
    req->format = format_option(&ev->msg, TERN_COAP_OPT_CONTENT_FORMAT);
    req->accept = format_option(&ev->msg, TERN_COAP_OPT_ACCEPT);
}

/* A management server's operation: 0 when it answered, else what to answer. */
static int operation(tern_request_t *req)
{
    int rc = tern_dm_path_from_msg(req->msg, &req->path);
    if (rc == 0 && req->path.len >= 1 && bootstrap_only(req)) {
        /* TS E.1: the Security object is for the Bootstrap-Server only, and
         * so are the creation and deletion of Security, Server and Access
         * Control instances (the client manages the latter itself). */
        rc = -TERN_COAP_UNAUTHORIZED;
    }
    return rc == 0 ? dispatch(req) : rc;
}

void tern_request_handle(tern_client_t *c, int server, const tern_coap_event_t *ev)
{
    tern_request_t req;
    request_init(&req, c, server, ev);
    int rc;
#if TERN_WITH_BOOTSTRAP
    if (server < 0)
        rc = tern_bs_operation(&req);
    else
#endif
        rc = operation(&req);
    if (rc != 0) {
        /* a success without payload, or an error */
        uint8_t code = rc > 0       ? (uint8_t)rc
                       : rc >= -255 ? (uint8_t)-rc
                                    : TERN_COAP_INTERNAL_SERVER_ERROR;
#if TERN_WITH_LOG
        if (server < 0)
            TERN_LOG_I(c->port, "lwm2m: bootstrap operation answered %u.%02u", code >> 5,
                       code & 0x1f);
        else if (rc < 0)
            log_error(&req, code);
#endif
        tern_respond_code(&req, code);
    }
    if (c->after_response != NULL) {
        /* Reboot, Factory Reset, Update: only once their 2.04 is on the way */
        void (*action)(tern_client_t *, void *) = c->after_response;
        c->after_response = NULL;
        action(c, c->after_arg);
    }
}
