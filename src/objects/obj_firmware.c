/* LwM2M Firmware Update object (5): see include/tern/objects/firmware.h. */
#include <string.h>

#include "core/log.h"
#include "objects/fields.h"
#include "tern/objects/firmware.h"

enum {
    RES_PACKAGE = 0,
    RES_URI = 1,
    RES_UPDATE = 2,
    RES_STATE = 3,
    RES_RESULT = 5,
    RES_NAME = 6,
    RES_VERSION = 7,
    RES_PROTOCOLS = 8,
    RES_DELIVERY = 9
};

static const tern_res_def_t RESOURCES[] = {
    { RES_PACKAGE, TERN_TYPE_OPAQUE, TERN_RES_W },
    { RES_URI, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_UPDATE, TERN_TYPE_NONE, TERN_RES_E },
    { RES_STATE, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_RESULT, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_NAME, TERN_TYPE_STRING, TERN_RES_R },
    { RES_VERSION, TERN_TYPE_STRING, TERN_RES_R },
    { RES_PROTOCOLS, TERN_TYPE_INTEGER, TERN_RES_R | TERN_RES_MULTIPLE },
    { RES_DELIVERY, TERN_TYPE_INTEGER, TERN_RES_R },
};

#define FW_FIELD(member, kind, limit) TERN_FIELD(tern_firmware_t, member, kind, limit)

/* By resource id, up to 7: what reads and is stored as a plain field
 * (the package and Update do not read). The URI is the last member: the
 * others' offsets do not depend on its size, which a field's limit holds. */
typedef char uri_fits_a_field[TERN_FIRMWARE_URI_MAX <= 255 && offsetof(tern_firmware_t, uri) <= 255
                                  ? 1
                                  : -1];
static const tern_field_t FIELDS[] = {
    [RES_URI] = FW_FIELD(uri, TERN_FIELD_STRING, TERN_FIRMWARE_URI_MAX),
    [RES_STATE] = FW_FIELD(state, TERN_FIELD_U8, 0),
    [RES_RESULT] = FW_FIELD(result, TERN_FIELD_U8, 0),
    [RES_NAME] = FW_FIELD(name, TERN_FIELD_STRING, sizeof(((tern_firmware_t *)0)->name)),
    [RES_VERSION] = FW_FIELD(version, TERN_FIELD_STRING, sizeof(((tern_firmware_t *)0)->version)),
};

/* Resource 8: CoAP (0), and CoAPS (1) when the port has DTLS. */
#define PROTOCOLS 2
/* Resource 9: both pull (0) and push (1). */
#define DELIVERY_BOTH 2

static tern_firmware_t *fw_of(tern_object_t *obj)
{
    return (tern_firmware_t *)obj; /* base is the first member */
}

/* Moves to state/result, tells observers and has the change saved. */
static void set_state(tern_client_t *c, tern_firmware_t *fw, uint8_t state, uint8_t result)
{
    if (fw->state != state) {
        fw->state = state;
        tern_changed_resource(c, 5, fw->iid, RES_STATE);
    }
    if (fw->result != result) {
        fw->result = result;
        tern_changed_resource(c, 5, fw->iid, RES_RESULT);
    }
    c->config_dirty = 1;
}

static bool hooks(const tern_client_t *c)
{
    const tern_port_ops_t *o = c->port->ops;
    return o->fw_open != NULL && o->fw_write != NULL && o->fw_finish != NULL && o->fw_abort != NULL
           && o->fw_apply != NULL;
}

/* Back to Idle with `result`, dropping any image and stopping any pull. */
static void to_idle(tern_client_t *c, tern_firmware_t *fw, uint8_t result)
{
    c->port->ops->fw_abort(c->port->ctx);
#if TERN_WITH_BLOCK
    tern_download_cancel(c);
#endif
    if (result != TERN_FW_RESULT_INITIAL) /* not a cancel */
        TERN_LOG_W(c->port, "firmware: download failed after %lu bytes, result %u",
                   (unsigned long)fw->received, result);
    set_state(c, fw, TERN_FW_IDLE, result);
}

#if TERN_WITH_LOG
/* Logs each tenth of the package (total and reported serve only this). */
static void progress(tern_client_t *c, tern_firmware_t *fw, size_t offset, size_t total)
{
    if (offset == 0)
        fw->reported = fw->total = 0;
    if (total > fw->total)
        fw->total = total;
    size_t tenth = fw->total > 0 ? fw->received * 10 / fw->total : fw->received / 65536;
    if (tenth != fw->reported) {
        fw->reported = tenth;
        if (fw->total > 0)
            TERN_LOG_I(c->port, "firmware: %lu of %lu bytes (%u%%)", (unsigned long)fw->received,
                       (unsigned long)fw->total, (unsigned)(fw->received * 100 / fw->total));
        else
            TERN_LOG_I(c->port, "firmware: %lu bytes", (unsigned long)fw->received);
    }
}
#else
#define progress(c, fw, offset, total) ((void)0) /* it only logs */
#endif

/*
 * A piece of the package at offset, pushed (Block1 or one Write) or
 * pulled (the download): the first starts it, the last checks it. No
 * data on a piece that is not the last: the push stalled.
 */
static int fw_write_block(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          size_t offset, const uint8_t *data, size_t len, bool last, size_t total)
{
    tern_firmware_t *fw = fw_of(obj);
    const tern_port_ops_t *o = c->port->ops;
    int rc;
    (void)path;
    if (!hooks(c))
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    if (data == NULL && !last) {
        to_idle(c, fw, TERN_FW_RESULT_CONNECTION_LOST);
        return 0;
    }
    if (offset == 0) {
        o->fw_abort(c->port->ctx); /* a package of before, if any */
        fw->received = 0;
        fw->name[0] = fw->version[0] = '\0';
        if ((rc = o->fw_open(c->port->ctx, total)) != 0) {
            to_idle(c, fw, TERN_FW_RESULT_NO_STORAGE);
            return -TERN_COAP_REQUEST_ENTITY_TOO_LARGE;
        }
        set_state(c, fw, TERN_FW_DOWNLOADING, TERN_FW_RESULT_INITIAL);
    } else if (fw->state != TERN_FW_DOWNLOADING || offset != fw->received) {
        return -TERN_COAP_REQUEST_ENTITY_INCOMPLETE;
    }
    if (len > 0 && (rc = o->fw_write(c->port->ctx, offset, data, len)) != 0) {
        to_idle(c, fw,
                rc == TERN_ERR_NO_SPACE ? TERN_FW_RESULT_NO_STORAGE : TERN_FW_RESULT_NO_MEMORY);
        return -TERN_COAP_REQUEST_ENTITY_TOO_LARGE;
    }
    fw->received += len;
    progress(c, fw, offset, total);
    if (!last)
        return 0;
    rc = o->fw_finish(c->port->ctx, fw->name, fw->version, sizeof(fw->name));
    if (rc != 0) {
        /* the transfer itself succeeded: the outcome is in Update Result */
        to_idle(c, fw,
                rc == TERN_ERR_CORRUPT ? TERN_FW_RESULT_INTEGRITY
                                       : TERN_FW_RESULT_UNSUPPORTED_TYPE);
        return 0;
    }
    TERN_LOG_I(c->port, "firmware: package of %lu bytes downloaded and checked (%s %s)",
               (unsigned long)fw->received, fw->name, fw->version);
    tern_changed_resource(c, 5, fw->iid, RES_NAME);
    tern_changed_resource(c, 5, fw->iid, RES_VERSION);
    set_state(c, fw, TERN_FW_DOWNLOADED, TERN_FW_RESULT_INITIAL);
    return 0;
}

/* Update Result for a download that could not start or stopped. */
static uint8_t lost_result(int error)
{
    return error == -TERN_COAP_NOT_FOUND || error == -TERN_COAP_BAD_REQUEST
               ? TERN_FW_RESULT_INVALID_URI
               : TERN_FW_RESULT_CONNECTION_LOST;
}

#if TERN_WITH_BLOCK
static void pull_failed(tern_client_t *c, tern_object_t *obj, int error)
{
    to_idle(c, fw_of(obj), lost_result(error));
}
#endif

/* Package URI: starts a pull; empty, it cancels, back to Idle (TS E.6). */
static int write_uri(tern_client_t *c, tern_firmware_t *fw, const tern_value_t *v)
{
    size_t len = v->v.bytes.len;
    /* a pull going on stops below, before the new URI is used */
    if (tern_field_write(fw, &FIELDS[RES_URI], v) != 0)
        return -TERN_COAP_BAD_REQUEST;
    if (len == 0 || fw->state == TERN_FW_DOWNLOADING)
        to_idle(c, fw, TERN_FW_RESULT_INITIAL);
    /* a restored URI is a record of the last pull, not a request for one */
    if (len == 0 || c->restoring)
        return 0;
#if TERN_WITH_BLOCK
    int rc = tern_download_start(c, fw->uri, len, &fw->base, pull_failed);
#else
    int rc = -TERN_COAP_NOT_IMPLEMENTED;
#endif
    if (rc != 0) {
        /* the Write itself is fine: the outcome is in Update Result */
        set_state(c, fw, TERN_FW_IDLE,
                  rc == -TERN_COAP_NOT_IMPLEMENTED ? TERN_FW_RESULT_UNSUPPORTED_PROTOCOL
                                                   : lost_result(rc));
        return 0;
    }
    /* the counts are reset and storage is opened by the first block, with the size it announces
     * (opening it here would also destroy a downloaded package when a
     * restore writes the URI back) */
    set_state(c, fw, TERN_FW_DOWNLOADING, TERN_FW_RESULT_INITIAL);
    return 0;
}

/*
 * After a restart: State and Update Result as stored, read back through
 * the same writes a Bootstrap-Server makes (State first, then Result).
 */
static void restored(tern_client_t *c, tern_firmware_t *fw, int64_t result)
{
    uint8_t state = fw->restored_state; /* 0..3 */
    fw->result = (uint8_t)(result >= 0 && result <= 9 ? result : 0);
    if (state == TERN_FW_DOWNLOADING) {
        state = TERN_FW_IDLE; /* a download cannot resume */
        fw->result = TERN_FW_RESULT_CONNECTION_LOST;
    } else if (state == TERN_FW_UPDATING) {
        bool ok = c->port->ops->fw_applied != NULL && c->port->ops->fw_applied(c->port->ctx);
        state = ok ? TERN_FW_IDLE : TERN_FW_DOWNLOADED;
        fw->result = ok ? TERN_FW_RESULT_SUCCESS : TERN_FW_RESULT_UPDATE_FAILED;
        TERN_LOG_I(c->port, "firmware: update %s", ok ? "succeeded" : "failed");
    }
    fw->state = state;
    c->config_dirty = 1;
}

static int fw_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                    const tern_value_t *v)
{
    tern_firmware_t *fw = fw_of(obj);
    if (obj == NULL)
        return 0; /* a check: everything the types allow is accepted */
    switch (path->ids[2]) {
    case RES_PACKAGE:
        /* an empty package cancels, as an empty URI does */
        if (v->v.bytes.len > 0)
            return fw_write_block(c, obj, path, 0, v->v.bytes.ptr, v->v.bytes.len, true,
                                  v->v.bytes.len);
        /* fall through */
    case RES_URI:
        if (!hooks(c))
            return -TERN_COAP_METHOD_NOT_ALLOWED;
        return write_uri(c, fw, v);
    /* the rest is read-only to servers: only a restore writes it */
    case RES_STATE:
        fw->restored_state = (uint8_t)(v->v.i >= 0 && v->v.i <= 3 ? v->v.i : 0);
        return 0;
    case RES_RESULT:
        restored(c, fw, v->v.i);
        return 0;
    case RES_NAME:
    case RES_VERSION:
        /* as stored, so of the size read: an image that says otherwise is corrupt */
        return tern_field_write(fw, &FIELDS[path->ids[2]], v);
    default:
        return 0;
    }
}

static void apply_now(tern_client_t *c, void *arg)
{
    tern_firmware_t *fw = arg;
#if TERN_WITH_PERSISTENCE
    /* "Updating" must be on record before the device restarts */
    c->config_dirty = 0;
    (void)tern_config_save(c);
#endif
    TERN_LOG_I(c->port, "firmware: installing %s %s", fw->name, fw->version);
    int rc = c->port->ops->fw_apply(c->port->ctx);
    /* still here: the old firmware runs on */
    TERN_LOG_E(c->port, "firmware: update failed (%d)", rc);
    set_state(c, fw, TERN_FW_DOWNLOADED, TERN_FW_RESULT_UPDATE_FAILED);
}

static int fw_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                      const uint8_t *args, size_t args_len)
{
    tern_firmware_t *fw = fw_of(obj);
    (void)path;
    (void)args;
    (void)args_len;
    if (fw->state != TERN_FW_DOWNLOADED || !hooks(c))
        return -TERN_COAP_METHOD_NOT_ALLOWED; /* nothing to install */
    set_state(c, fw, TERN_FW_UPDATING, TERN_FW_RESULT_INITIAL);
    c->after_response = apply_now;
    c->after_arg = fw;
    return 0;
}

static int fw_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path, tern_value_t *v)
{
    (void)c;
    uint16_t rid = path->ids[2];
    if (rid == RES_PROTOCOLS) {
        if (path->ids[3] >= PROTOCOLS)
            return -TERN_COAP_NOT_FOUND;
        v->v.i = path->ids[3]; /* 0 CoAP, 1 CoAPS */
        return 0;
    }
    if (rid == RES_DELIVERY) {
        v->v.i = DELIVERY_BOTH;
        return 0;
    }
    return tern_field_read(fw_of(obj), &FIELDS[rid], v);
}

/* The protocols (8) are the only multiple resource. */
static int fw_next(tern_client_t *c, tern_object_t *obj, const tern_path_t *res, uint16_t prev)
{
    (void)c;
    (void)obj;
    (void)res;
    uint16_t next = (uint16_t)(prev + 1); /* TERN_ID_NONE: 0 */
    return next < PROTOCOLS ? next : -1;
}

static const tern_object_ops_t FIRMWARE_OPS = {
    .read = fw_read,
    .write = fw_write,
    .execute = fw_execute,
    .next_res_instance = fw_next,
    .write_block = fw_write_block,
};

static const tern_object_def_t FIRMWARE_DEF = {
    .oid = 5,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &FIRMWARE_OPS,
    .multiple = false,
};

void tern_firmware_init(tern_firmware_t *fw)
{
    memset(fw, 0, sizeof(*fw));
    fw->base.def = &FIRMWARE_DEF;
    fw->base.iids = &fw->iid;
    fw->base.n_iids = 1;
    fw->base.max_iids = 1;
}
