/*
 * Internal interfaces between the parts of the LwM2M engine:
 *
 *   client.c        init, step, shutdown, routing of CoAP events
 *   data_model.c    objects, instances, resources, paths
 *   content.c       walking the data model into an encoder
 *   request.c       a request from a server -> one DM operation -> response
 *   dm_*.c          the operations: read, write, create/delete, execute,
 *                   discover
 *   registration.c  register / update / de-register per server
 *   attributes.c    Write-Attributes storage and inheritance
 *   observe.c       observations and notifications
 */
#ifndef TERN_LWM2M_H
#define TERN_LWM2M_H

#include "coap/coap_ep.h"
#include "core/log.h"
#include "format/format.h"
#include "tern/tern.h"

/* What a registration update carries (tern_server_inst_t.update_what). */
#define TERN_UPD_LIFETIME 0x01u
#define TERN_UPD_BINDING 0x02u
#define TERN_UPD_OBJECTS 0x04u

/* The registration request a server has in flight (in_flight). */
#define TERN_OP_REGISTER 1u
#define TERN_OP_UPDATE 2u
#define TERN_OP_DEREGISTER 3u

/* Write-Attributes present (tern_attrs_t.set). */
#define TERN_ATTR_PMIN 0x01u
#define TERN_ATTR_PMAX 0x02u
#define TERN_ATTR_GT 0x04u
#define TERN_ATTR_LT 0x08u
#define TERN_ATTR_ST 0x10u

/* Credential fields of a Security instance exist only when configured
 * with a size (TERN_MAX_IDENTITY etc.): these give NULL otherwise. */
#if TERN_MAX_IDENTITY > 0
#define IDENTITY(sec) ((sec)->identity)
#else
#define IDENTITY(sec) NULL
#endif
#if TERN_MAX_SECRET > 0
#define SECRET(sec) ((sec)->secret)
#else
#define SECRET(sec) NULL
#endif
#if TERN_MAX_SERVER_KEY > 0
#define SERVER_KEY(sec) ((sec)->server_key)
#else
#define SERVER_KEY(sec) NULL
#endif

/* Owners of CoAP transactions: tag = kind << 8 | index. */
#define TERN_TAG_REGISTRATION 1u
#define TERN_TAG_NOTIFY 2u
#define TERN_TAG_BOOTSTRAP 3u
#define TERN_TAG_DOWNLOAD 4u
#define TERN_TAG(kind, index) ((uint16_t)(((kind) << 8) | (index)))
#define TERN_TAG_KIND(tag) ((tag) >> 8)
#define TERN_TAG_INDEX(tag) ((tag)&0xffu)

/* The server a request came from, and what it asked. */
typedef struct tern_request {
    tern_client_t *client;
    const tern_coap_event_t *ev;
    const tern_coap_msg_t *msg;
    int server; /* index into client->servers[] */
    tern_path_t path;
    uint16_t format; /* Content-Format, TERN_FORMAT_NONE when absent */
    uint16_t accept; /* Accept, TERN_FORMAT_NONE when absent */
    /* what path names (tern_dm_resolve(), run once by request.c for the
     * operations of a management server): 0 or -4.04 in `resolved` */
    int resolved;
    tern_object_t *obj;
    const tern_res_def_t *res;
} tern_request_t;

/* ---- data_model.c ---- */

tern_object_t *tern_dm_object(const tern_client_t *c, uint16_t oid);
/* Index of iid in obj->iids, or -1. */
int tern_dm_instance_index(const tern_object_t *obj, uint16_t iid);
const tern_res_def_t *tern_dm_resource(const tern_object_def_t *def, uint16_t rid);
/* Inserts/removes iid in obj->iids. 0, TERN_ERR_NO_SPACE, -4.00 (exists), -4.04. */
int tern_dm_iid_insert(tern_object_t *obj, uint16_t iid);
int tern_dm_iid_delete(tern_object_t *obj, uint16_t iid);
/* The lowest instance id not in use. */
uint16_t tern_dm_free_iid(const tern_object_t *obj);
/*
 * Resolves path down to what it names: object (always), instance and
 * resource definition when the path is that long. Returns 0 or
 * -TERN_COAP_NOT_FOUND.
 */
int tern_dm_resolve(const tern_client_t *c, const tern_path_t *path, tern_object_t **obj,
                    const tern_res_def_t **res);
/* Reads one value through the object's read callback, type preset. */
int tern_dm_read_value(tern_client_t *c, tern_object_t *obj, const tern_res_def_t *res,
                       const tern_path_t *path, tern_value_t *value);
/*
 * A depth-first walk over what a path names, in id order: the instances
 * of an object, the resources of an instance, the instances of a
 * multiple resource. visit() is called on entering each node (path, and
 * res from len 3) and returns < 0 to stop with that error, 0 to enter
 * its children (only a node that has some: not a single resource nor a
 * resource instance), 1 to skip them; a node entered so gets
 * visit(w, true) after its children, which returns 1 or an error.
 */
typedef struct tern_walk {
    tern_client_t *c;
    tern_object_t *obj;
    const tern_res_def_t *res;
    tern_path_t path;
    uint8_t base_len; /* of the path walked */
    uint16_t at;      /* index of the current instance */
    int (*visit)(struct tern_walk *w, bool leaving);
} tern_walk_t;
/* Resolves path and walks it: 0, or the first error (4.04 for a path that
 * does not resolve, 4.05 for /). */
int tern_dm_walk(tern_walk_t *w, const tern_path_t *path);
/* Parses the Uri-Path of msg into a data-model path: 0 or -4.04. */
/* Copies the string value v into dst as a C string: 0, or
 * -TERN_COAP_BAD_REQUEST (dst untouched) when it needs more than cap bytes.
 * For the objects' fixed-size text resources. */
int tern_string_store(char *dst, size_t cap, const tern_value_t *v);
int tern_dm_path_from_msg(const tern_coap_msg_t *msg, tern_path_t *path);
bool tern_path_is_prefix(const tern_path_t *prefix, const tern_path_t *path);
/* "/3/0/1" for log lines; buf holds TERN_PATH_TEXT_MAX bytes. */
#define TERN_PATH_TEXT_MAX 24
const char *tern_path_text(const tern_path_t *path, char *buf);

/* ---- payload.c ---- */

/*
 * Produces the window [skip, skip + cap) of a payload into buf, and its
 * total length and the bytes stored. Must produce the same bytes every
 * time. Returns 0 or a negated CoAP code.
 */
typedef int (*tern_payload_gen_t)(tern_client_t *c, void *arg, uint8_t *buf, size_t cap,
                                  size_t skip, size_t *total, size_t *stored);

/*
 * Writes Content-Format and the payload gen produces into w, block-wise
 * (Block2, Size2) when it does not fit or when req (may be NULL) asks for
 * a block. Returns 0 or a negated CoAP code.
 */
int tern_payload_write(tern_client_t *c, tern_coap_writer_t *w, uint16_t format,
                       const tern_coap_msg_t *req, tern_payload_gen_t gen, void *arg);
/* Answers req with 2.05 and that payload (observe_seq >= 0: with an
 * Observe option). Returns 0 or a negated CoAP code to answer instead. */
int tern_respond_payload(tern_request_t *req, int32_t observe_seq, uint16_t format,
                         tern_payload_gen_t gen, void *arg);

/* ---- content.c ---- */

/*
 * Encodes everything readable under path into out: an object, an
 * instance, a resource or a resource instance; an object only with the
 * instances server may read (-1: no access control). Returns 0 or a
 * negated CoAP code (nothing readable: -4.05 for a resource, -4.04 when
 * absent).
 */
int tern_content_encode(tern_client_t *c, int server, const tern_path_t *path, tern_out_t *out);

/*
 * The walk behind a payload of the data model: the values under path in
 * `format` (Read, Observe, Notify), or, in TERN_FORMAT_LINK, its links
 * (Discover: tern_discover_visit() in dm_read.c). The callers set server,
 * path and format; tern_content_gen() the rest.
 */
typedef struct tern_content_walk {
    tern_walk_t walk; /* first: visit() gets it */
    int server;
    const tern_path_t *path;
    uint16_t format;
    tern_out_t *out;       /* the encoder, or for links only its sink */
    tern_link_writer_t lw; /* links */
    uint32_t dim;          /* links: instances of the multiple resource listed */
} tern_content_walk_t;
/* The visitor of a Discover's walk (dm_read.c). */
int tern_discover_visit(tern_walk_t *w, bool leaving);
/* The payload generator of a tern_content_walk_t (arg). */
int tern_content_gen(tern_client_t *c, void *arg, uint8_t *buf, size_t cap, size_t skip,
                     size_t *total, size_t *stored);

/*
 * Writes the Content-Format option and the payload encoding path in
 * `format` into w, block-wise when needed or when req (the request, or
 * NULL for a notification) asks for a block. Returns 0 or a negated
 * CoAP code.
 */
int tern_content_write(tern_client_t *c, int server, const tern_path_t *path, uint16_t format,
                       tern_coap_writer_t *w, const tern_coap_msg_t *req);

/*
 * Builds a 2.05 response to req carrying path in `format` (the encoding
 * is run over the response buffer; TERN_FORMAT_LINK: a Discover). Returns
 * 0 or a negated CoAP code to answer instead. observe_seq >= 0 adds an
 * Observe option.
 */
int tern_respond_content(tern_request_t *req, const tern_path_t *path, uint16_t format,
                         int32_t observe_seq);

/* ---- request.c ---- */

/* Handles a request from server index `server` (-1: the
 * Bootstrap-Server); always answers it. */
void tern_request_handle(tern_client_t *c, int server, const tern_coap_event_t *ev);
/* Answers req with an empty response of `code`. */
void tern_respond_code(tern_request_t *req, uint8_t code);

/* ---- dm_*.c: one operation each; return 0 when they answered, a
 * success code (2.xx) or a negated error code for request.c to answer.
 * Read, Write, Execute and Delete take what the path names from req->resolved,
 * obj and res ---- */

/* GET: Discover (Accept link format), Observe and Cancel (not for the
 * Bootstrap-Server, server -1), Read. */
int tern_dm_read(tern_request_t *req);
/* Write on /O/I or deeper (replace: PUT), Create on /O. */
int tern_dm_write(tern_request_t *req, bool replace);
int tern_dm_execute(tern_request_t *req);
int tern_dm_delete(tern_request_t *req);
/*
 * Writes a payload that names its instances (/O with object-instance
 * TLVs, or /O/I...), creating instances that do not exist and writing
 * read-only resources too: a Bootstrap-Write, or restoring the stored
 * configuration. Everything is checked before anything is written.
 */
int tern_dm_write_instances(tern_client_t *c, tern_object_t *obj, tern_in_t *payload);

/* ---- registration.c ---- */

/* The end of server srv's registration request: m is the response, NULL
 * when none came. */
void tern_reg_finish(tern_client_t *c, tern_server_inst_t *srv, const tern_coap_msg_t *m);
/* A connection of server index s failed (DTLS handshake, session lost):
 * close it and register again after the back-off. */
static inline void tern_reg_connection_lost(tern_client_t *c, int s, int error)
{
    TERN_LOG_W(c->port, "lwm2m: connection to server %u lost (%d)", c->servers[s].ssid, error);
    (void)error;
    tern_reg_finish(c, &c->servers[s], NULL);
}

/* Registration work that is due at c->now. */
void tern_reg_step(tern_client_t *c);
void tern_reg_event(tern_client_t *c, const tern_coap_event_t *ev);
/* When tern_reg_step() has something to do for srv: 0 at once, INT64_MAX
 * never (until something changes). */
tern_time_t tern_server_due(const tern_client_t *c, const tern_server_inst_t *srv);
static inline tern_time_t tern_reg_next_time(const tern_client_t *c)
{
    tern_time_t next = INT64_MAX;
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        tern_time_t t = tern_server_due(c, &c->servers[s]);
        if (t < next)
            next = t;
    }
    return next;
}
/* Queue an update carrying `what` (TERN_UPD_*) to every registered server. */
void tern_reg_changed(tern_client_t *c, uint8_t what);
/* Registration of one server index: schedule an update now. */
static inline void tern_reg_trigger_update(tern_client_t *c, int server)
{
    if (server >= 0 && server < TERN_MAX_SERVERS)
        c->servers[server].next_time = c->now;
}
/* Disables server index for its disable timeout (Server resource 4). */
static inline void tern_reg_disable(tern_client_t *c, int server)
{
    if (server >= 0 && server < TERN_MAX_SERVERS)
        c->servers[server].disable = 1;
}
/* The back-off after `attempts` failures in a row (registrations or
 * bootstraps): none after none, then TERN_REG_RETRY_MIN_S, doubling up to
 * TERN_REG_RETRY_MAX_S. */
uint32_t tern_retry_delay_s(uint8_t attempts);
/* *at becomes `s` seconds after c->now. */
void tern_deadline_s(const tern_client_t *c, tern_time_t *at, uint32_t s);
/* Server index whose connection is conn, or -1. */
static inline int tern_server_by_conn(const tern_client_t *c, int conn)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->servers[s].conn == conn) /* an unused slot's is -1 */
            return s;
    }
    return -1;
}
/* Server index with Short Server ID ssid, or -1. */
static inline int tern_server_by_ssid(const tern_client_t *c, uint16_t ssid)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        if (c->servers[s].used && c->servers[s].ssid == ssid)
            return s;
    }
    return -1;
}

/* ---- attributes.c, observe.c ---- */

#if TERN_WITH_OBSERVE
/* Write-Attributes (PUT with Uri-Query only); takes what the path names
 * from req->resolved and res. */
int tern_attrs_write(tern_request_t *req);
/* Effective attributes of path for server: those of the object, then
 * the instance, then the resource level, each overriding the one
 * before. The Server object's default pmin/pmax are not included: only
 * the fields named in out->set are written, the others keep what the
 * caller put there (observe.c presets those defaults). */
void tern_attrs_effective(const tern_client_t *c, int server, const tern_path_t *path,
                          tern_attrs_t *out);
/* The attributes set on exactly this path, or NULL. */
const tern_attrs_t *tern_attrs_find(const tern_client_t *c, int server, const tern_path_t *path);
void tern_attrs_drop_server(tern_client_t *c, int server);
/* Appends the attributes in *a (NULL: none) to the current link, in the
 * order of the TERN_ATTR_* bits. */
void tern_attrs_link(tern_link_writer_t *lw, const tern_attrs_t *a);

int tern_observe_start(tern_request_t *req, uint16_t format);
void tern_observe_cancel(tern_client_t *c, int server, const uint8_t *token, size_t token_len,
                         const tern_path_t *path);
void tern_observe_changed(tern_client_t *c, const tern_path_t *path);
/* Sends the notifications due at `now` and returns when the next is due;
 * at INT64_MIN nothing is due and c is only read. */
tern_time_t tern_observe_step(tern_client_t *c, tern_time_t now);
static inline tern_time_t tern_observe_next_time(const tern_client_t *c)
{
    return tern_observe_step((tern_client_t *)c, INT64_MIN);
}
void tern_observe_event(tern_client_t *c, const tern_coap_event_t *ev);
void tern_observe_drop_server(tern_client_t *c, int server);
/* Ends the observations and forgets the attributes at or below path. */
void tern_observe_drop_path(tern_client_t *c, const tern_path_t *path);
#endif

/* ---- access.c, obj_acl.c ---- */

/* Rights bits of an ACL resource instance (TS E.3). */
#define TERN_ACL_READ 0x01u /* Read, Observe, Discover, Write-Attributes */
#define TERN_ACL_WRITE 0x02u
#define TERN_ACL_EXECUTE 0x04u
#define TERN_ACL_DELETE 0x08u
#define TERN_ACL_CREATE 0x10u
#define TERN_ACL_ALL 0x1fu

#if TERN_WITH_ACL
/* 0 when server may do `right` on /oid/oiid (oiid 65535: Create), else -4.01. */
int tern_access_check(tern_client_t *c, int server, uint16_t oid, uint16_t oiid, uint8_t right);
/* Bookkeeping when a server creates or deletes an instance. */
void tern_access_created(tern_client_t *c, int server, uint16_t oid, uint16_t oiid);
void tern_access_deleted(tern_client_t *c, uint16_t oid, uint16_t oiid);
void tern_acl_object_init(tern_client_t *c);
/* The Access Control instance whose iid, or (by_target) oid | oiid << 16, is key; or NULL. */
tern_acl_inst_t *tern_acl_lookup(tern_client_t *c, uint32_t key, bool by_target);
#define tern_acl_instance(c, iid) tern_acl_lookup(c, iid, false)
#define tern_acl_find(c, oid, oiid) tern_acl_lookup(c, (oid) | (uint32_t)(oiid) << 16, true)
/* The rights of the ACL entry for ssid in a, or NULL. */
uint8_t *tern_acl_rights(tern_acl_inst_t *a, uint16_t ssid);
/* The Access Control instance of /oid/oiid, created (with owner) if absent; NULL when full. */
tern_acl_inst_t *tern_acl_add(tern_client_t *c, uint16_t oid, uint16_t oiid, uint16_t owner);
#else
#define tern_access_check(c, server, oid, oiid, right) ((void)(server), 0)
#define tern_access_created(c, server, oid, oiid) ((void)0)
#define tern_access_deleted(c, oid, oiid) ((void)0)
#endif

/* ---- bootstrap.c ---- */

enum { TERN_BS_IDLE = 0, TERN_BS_HOLDOFF, TERN_BS_WAITING, TERN_BS_FINISHED };

#if TERN_WITH_BOOTSTRAP
/* The Bootstrap-Server's Security instance, or NULL. */
tern_security_inst_t *tern_bs_account(tern_client_t *c);
/* Whether a bootstrap is under way. */
static inline bool tern_bs_active(const tern_client_t *c)
{
    return c->bs_state != TERN_BS_IDLE;
}
/* Whether no management server is left to try (none, or all failed). */
static inline bool tern_bs_needed(const tern_client_t *c)
{
    for (int s = 0; s < TERN_MAX_SERVERS; s++) {
        const tern_server_inst_t *srv = &c->servers[s];
        if (srv->used && srv->reg_state != TERN_REG_FAILED
            && srv->attempts < TERN_REG_FALLBACK_ATTEMPTS)
            return false; /* still a server worth trying */
    }
    return true; /* no server, or every one failed */
}
/* Starts a bootstrap; none runs and tern_bs_account() is not NULL (the
 * caller checks both). */
void tern_bs_start(tern_client_t *c, const char *why);
void tern_bs_step(tern_client_t *c, tern_time_t now);
void tern_conn_close(tern_client_t *c, int16_t *conn); /* accounts.c, below */
/* After a step: a finished bootstrap closes its connection (its 2.04 is out). */
static inline void tern_bs_after_step(tern_client_t *c)
{
    if (c->bs_state == TERN_BS_FINISHED) {
        tern_conn_close(c, &c->bs.conn);
        c->bs_in_flight = 0;
        c->bs_state = TERN_BS_IDLE;
    }
}
/* When tern_bs_step() has something to do. */
static inline tern_time_t tern_bs_next_time(const tern_client_t *c)
{
    return c->bs_state == TERN_BS_IDLE || c->bs_in_flight ? INT64_MAX : c->bs.next_time;
}
void tern_bs_event(tern_client_t *c, const tern_coap_event_t *ev);
/* The operation of a request from the Bootstrap-Server (for
 * tern_request_handle()): 0 when it answered, a success code or a
 * negated error code to answer. */
int tern_bs_operation(tern_request_t *req);
#endif
#if TERN_WITH_BOOTSTRAP || TERN_WITH_PERSISTENCE
/* Deletes the instances of obj (only instance iid, unless it is -1) that
 * its remove accepts, and their observations; the Bootstrap-Server's own
 * account stays when keep_bs_account is set (TS 5.2.7.5). */
void tern_delete_instances(tern_client_t *c, tern_object_t *obj, int iid, bool keep_bs_account);
#endif

/* Whether a bootstrap is under way (false without bootstrap support). */
static inline bool tern_bs_busy(const tern_client_t *c)
{
#if TERN_WITH_BOOTSTRAP
    return tern_bs_active(c);
#else
    (void)c;
    return false;
#endif
}

/* ---- block1.c: receiving Block1 writes ---- */

#if TERN_WITH_BLOCK
/* tern_coap_block_szx(TERN_COAP_BLOCK_SIZE) as a constant: our block size's exponent. */
#define TERN_BLOCK_SZX                                                                             \
    (TERN_COAP_BLOCK_SIZE >= 1024  ? 6                                                             \
     : TERN_COAP_BLOCK_SIZE >= 512 ? 5                                                             \
     : TERN_COAP_BLOCK_SIZE >= 256 ? 4                                                             \
     : TERN_COAP_BLOCK_SIZE >= 128 ? 3                                                             \
     : TERN_COAP_BLOCK_SIZE >= 64  ? 2                                                             \
     : TERN_COAP_BLOCK_SIZE >= 32  ? 1                                                             \
                                   : 0)
/* Handles a Write carrying Block1 (opt) on a resource (path length 3,
 * resolved in req): streams it to the object's write_block. Returns 0
 * when answered, else a negated CoAP code. */
int tern_block1_write(tern_request_t *req, const void *block1);
/* Abandons the transfer, which stalled. */
void tern_block1_stalled(tern_client_t *c);
/* Abandons a stalled transfer after EXCHANGE_LIFETIME. */
static inline void tern_block1_step(tern_client_t *c, tern_time_t now)
{
    if (c->block1.active
        && (uint32_t)now - c->block1.last >= tern_coap_exchange_lifetime_ms(&c->coap))
        tern_block1_stalled(c);
}
#endif

/* ---- download.c: fetching a URI block by block ---- */

#if TERN_WITH_BLOCK
/*
 * Starts fetching uri (coap:// or coaps://, not copied: keep it until the
 * download ends) with Block2; obj's write_block gets the pieces in order
 * (path NULL), on_error the reason it stopped: TERN_ERR_TIMEOUT / _RESET / _IO, or the
 * connection's error from net_recv (TERN_ERR_CLOSED, _HANDSHAKE), when the
 * server went away, a negated CoAP code when it answered with an error. Returns
 * 0, -TERN_COAP_BAD_REQUEST for a URI that does not parse, or
 * -TERN_COAP_NOT_IMPLEMENTED for another scheme.
 */
int tern_download_start(tern_client_t *c, const char *uri, size_t uri_len, tern_object_t *obj,
                        tern_download_error_fn on_error);
/* Ends the download, if one runs. */
void tern_download_cancel(tern_client_t *c);
/* Ends the download, telling its owner why. */
void tern_download_fail(tern_client_t *c, int error);
/* The download's connection failed (net_recv's error): it ends with it. */
static inline void tern_download_lost(tern_client_t *c, int error)
{
    if (c->download.conn >= 0)
        tern_download_fail(c, error);
}
void tern_download_step(tern_client_t *c, tern_time_t now);
void tern_download_event(tern_client_t *c, const tern_coap_event_t *ev);
/* When tern_download_step() has something to do: the next block at once. */
static inline tern_time_t tern_download_next_time(const tern_client_t *c)
{
    return c->download.conn >= 0 && !c->download.in_flight ? c->now : INT64_MAX;
}
#endif

/* ---- persist.c ---- */

#if TERN_WITH_PERSISTENCE
/* Saves objects 0, 1 and 2 through the port; 0 or the port's error. */
int tern_config_save(tern_client_t *c);
#endif

/* ---- built-in objects (src/objects) ---- */

void tern_security_object_init(tern_client_t *c);
void tern_server_object_init(tern_client_t *c);
/* Sets server slot s up as a fresh Server instance iid (defaults of TS E.2);
 * returns it. */
tern_server_inst_t *tern_server_init(tern_client_t *c, int s, uint16_t iid);
/* Frees server slot s: connection, transactions, observations, attributes. */
void tern_server_forget(tern_client_t *c, int s);
/* Whether b is one of the bindings LwM2M 1.0 defines (U, UQ, S, SQ, US, UQS). */
bool tern_binding_valid(const char *b, size_t len);
/* The Security instance of the LwM2M server ssid (the first, if several), or NULL. */
tern_security_inst_t *tern_security_for_ssid(tern_client_t *c, uint16_t ssid);
/*
 * Opens *conn to the coap:// or coaps:// uri (uri_len bytes; NULL: sec's
 * URI) from local_port (0: any), with sec's credentials; sec's security
 * mode must match the scheme. sec NULL (a download): coap://, or coaps://
 * with the first account that has credentials. Returns 0,
 * -TERN_COAP_BAD_REQUEST (a URI that does not parse or does not match the
 * mode), -TERN_COAP_NOT_IMPLEMENTED (coaps:// and no credentials) or
 * net_open's error.
 */
int tern_conn_open(tern_client_t *c, const char *uri, size_t uri_len,
                   const tern_security_inst_t *sec, uint16_t local_port, tern_addr_t *peer,
                   int16_t *conn);
/* Cancels the transactions on *conn, closes it (if open) and sets it to -1. */
void tern_conn_close(tern_client_t *c, int16_t *conn);

#endif /* TERN_LWM2M_H */
