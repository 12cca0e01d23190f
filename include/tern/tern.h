/*
 * Tern north-side API: what an application uses.
 *
 *   static tern_client_t client;            // anywhere: static, stack, pool
 *   tern_client_config_t cfg = { .endpoint = "bulb-1", .port = &port };
 *   tern_client_init(&client, &cfg);
 *   tern_server_add(&client, &(tern_server_config_t){ .uri = "coap://...", .ssid = 1,
 *                                                     .lifetime_s = 300 });
 *   tern_object_register(&client, &my_object.base);
 *   for (;;) {
 *       uint32_t sleep_ms = tern_step(&client, port.ops->now_ms(port.ctx));
 *       <wait for a datagram or sleep_ms>
 *   }
 *
 * Objects are described by constant tables (tern_object_def_t) and a few
 * callbacks (tern_object_ops_t); the engine does the protocol, the
 * encodings, the access checks and the attribute logic. When a resource
 * value changes locally, call tern_changed() so observers get notified.
 *
 * Errors follow tern/common.h: 0 or a count on success, negative on
 * failure; object callbacks return 0 or a negated CoAP code
 * (-TERN_COAP_NOT_FOUND), which becomes the response.
 *
 * The client is single-threaded: call every function from the thread
 * that calls tern_step().
 */
#ifndef TERN_TERN_H
#define TERN_TERN_H

#include "tern/coap.h"
#include "tern/common.h"
#include "tern/port.h"
#include "tern/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tern_client tern_client_t;
typedef struct tern_object tern_object_t;

/* ---- describing objects ---------------------------------------------- */

/* Resource flags: allowed operations and cardinality. */
#define TERN_RES_R 0x01u        /* readable */
#define TERN_RES_W 0x02u        /* writable */
#define TERN_RES_E 0x04u        /* executable (type TERN_TYPE_NONE) */
#define TERN_RES_MULTIPLE 0x08u /* multiple-instance resource */
#define TERN_RES_RW (TERN_RES_R | TERN_RES_W)

/* One resource of an object: constant, in flash. */
typedef struct tern_res_def {
    uint16_t id;
    uint8_t type;  /* tern_type_t */
    uint8_t flags; /* TERN_RES_* */
} tern_res_def_t;

/*
 * The callbacks of an object. path always names an existing instance;
 * each callback returns 0 or a negated CoAP code. Only read is required.
 */
typedef struct tern_object_ops {
    /*
     * Stores the value of a single resource (path len 3) or a resource
     * instance (len 4) in *value; value->type is preset from the table.
     * Strings and opaque data must stay valid until the next call into
     * the object. -TERN_COAP_NOT_FOUND: absent (optional resource).
     */
    int (*read)(tern_client_t *client, tern_object_t *obj, const tern_path_t *path,
                tern_value_t *value);
    /*
     * Sets a single resource (len 3) or a resource instance (len 4, which
     * is created when new). value is already of the resource's type;
     * strings and opaque point into the request and must be copied.
     * With obj NULL it only says whether it would accept value, changing
     * nothing (return 0 to accept everything the type allows): a Write
     * is all or nothing, so every entry is checked before the first is
     * written. NULL: no resource of this object is writable.
     */
    int (*write)(tern_client_t *client, tern_object_t *obj, const tern_path_t *path,
                 const tern_value_t *value);
    /* Runs an executable resource (len 3) with the raw argument text. */
    int (*execute)(tern_client_t *client, tern_object_t *obj, const tern_path_t *path,
                   const uint8_t *args, size_t args_len);
    /*
     * Creates instance iid (the engine has checked it is free and that
     * there is room in obj->iids). NULL: the object has fixed instances
     * and Create is answered 4.05.
     */
    int (*create)(tern_client_t *client, tern_object_t *obj, uint16_t iid);
    /* Deletes instance iid. NULL: Delete is answered 4.05. */
    int (*remove)(tern_client_t *client, tern_object_t *obj, uint16_t iid);
    /*
     * Clears what a Write-Replace overwrites: the optional resources of
     * an instance (path len 2) or every instance of a multiple resource
     * (len 3). NULL: nothing to clear.
     */
    int (*clear)(tern_client_t *client, tern_object_t *obj, const tern_path_t *path);
    /*
     * Multiple resources: the first resource instance id greater than
     * prev (TERN_ID_NONE: the first one), or a negative value when there
     * is none. NULL: multiple resources have no instances.
     */
    int (*next_res_instance)(tern_client_t *client, tern_object_t *obj, const tern_path_t *res,
                             uint16_t prev);
    /*
     * Streams an Opaque resource written block-wise (RFC 7959 Block1, a
     * firmware package): the piece at `offset`, `last` on the final one;
     * `total` is the announced size (0 when unknown). data NULL means the
     * transfer was abandoned. A negated CoAP code ends the transfer.
     * NULL: block-wise writes to this object are refused with 4.13.
     */
    int (*write_block)(tern_client_t *client, tern_object_t *obj, const tern_path_t *path,
                       size_t offset, const uint8_t *data, size_t len, bool last, size_t total);
} tern_object_ops_t;

/* An object type: constant, in flash. */
typedef struct tern_object_def {
    uint16_t oid;
    uint16_t n_resources;
    const tern_res_def_t *resources; /* sorted by id */
    const tern_object_ops_t *ops;
    const char *version; /* "1.1" etc., NULL for 1.0: sent as ;ver= at registration */
    bool multiple;       /* more than one instance allowed */
} tern_object_def_t;

/*
 * An object the application registers: its definition and its list of
 * instance ids (sorted ascending, storage owned by the application).
 * Embed it in your own object state and recover that with a cast or
 * offsetof. Not copied: must outlive the client.
 */
struct tern_object {
    const tern_object_def_t *def;
    uint16_t *iids;      /* instance ids, ascending */
    uint16_t n_iids;     /* how many are in use */
    uint16_t max_iids;   /* capacity of iids */
    tern_object_t *next; /* the engine's list; leave NULL */
};

/* ---- the client -------------------------------------------------------- */

typedef struct tern_client_config {
    /* Endpoint client name (ep=). Not copied; must outlive the client. */
    const char *endpoint;
    /* The platform. Not copied; must outlive the client. */
    const tern_port_t *port;
    /* Local UDP port for the first server connection; 0 for any. */
    uint16_t local_port;
    /* MSISDN sent as sms= when a binding includes S; NULL for none. */
    const char *msisdn;
} tern_client_config_t;

/* Security modes (Security object resource 2). */
typedef enum tern_security_mode {
    TERN_SEC_PSK = 0,
    TERN_SEC_RPK = 1,
    TERN_SEC_CERT = 2,
    TERN_SEC_NOSEC = 3
} tern_security_mode_t;

/*
 * A server account: one Security instance and, unless bootstrap is set,
 * one Server instance. Strings are copied.
 */
typedef struct tern_server_config {
    const char *uri;     /* coap://host:port or coaps://... */
    uint16_t ssid;       /* Short Server ID, 1..65534 (ignored for bootstrap) */
    uint32_t lifetime_s; /* registration lifetime; 0 for the default 86400 */
    const char *binding; /* "U" (default) or "UQ" for queue mode */
    bool bootstrap;      /* this is the bootstrap server */
    tern_security_mode_t mode;
    /*
     * Credentials for coaps:// (Security object resources 3, 5 and 4; the
     * port's tern_net_security_t says what each mode takes):
     *   PSK:  identity, key; server_key unused.
     *   RPK:  own public key (DER SubjectPublicKeyInfo), own private key
     *         (DER, PKCS #8 or RFC 5915), the server's public key (DER
     *         SubjectPublicKeyInfo): the only key the server may present.
     *   CERT: own certificate, own private key, the server's certificate
     *         or its CA (DER).
     */
    const uint8_t *identity;
    size_t identity_len;
    const uint8_t *secret;
    size_t secret_len;
    const uint8_t *server_key;
    size_t server_key_len;
    uint32_t default_pmin_s; /* Server object defaults for observations */
    uint32_t default_pmax_s; /* 0: no pmax */
    uint32_t holdoff_s;      /* bootstrap: wait this long for a server-initiated bootstrap */
} tern_server_config_t;

#define TERN_INTERNAL_ALLOWED
#include "tern/internal/client.h"
#undef TERN_INTERNAL_ALLOWED

/*
 * Initialises *client. Registers the built-in Security (0) and Server (1)
 * objects. Returns 0 or TERN_ERR_ARG (no endpoint or port).
 */
int tern_client_init(tern_client_t *client, const tern_client_config_t *config);

/*
 * Adds a server account. Registration starts at the next tern_step().
 * Returns 0, TERN_ERR_NO_SPACE when TERN_MAX_SERVERS accounts exist,
 * -TERN_COAP_BAD_REQUEST for a bad URI, SSID or over-long credentials.
 */
int tern_server_add(tern_client_t *client, const tern_server_config_t *server);

/*
 * Registers an object. Returns 0, or TERN_ERR_ARG when an object with
 * that id is already registered or obj is inconsistent. A registration
 * update follows when already registered.
 */
int tern_object_register(tern_client_t *client, tern_object_t *obj);

/*
 * Adds or removes an instance of obj at run time (e.g. a sensor plugged
 * in): keeps obj->iids sorted and triggers a registration update.
 * Returns 0, TERN_ERR_NO_SPACE, or -TERN_COAP_NOT_FOUND / -BAD_REQUEST.
 */
int tern_instance_add(tern_client_t *client, tern_object_t *obj, uint16_t iid);
int tern_instance_remove(tern_client_t *client, tern_object_t *obj, uint16_t iid);

/*
 * Runs the engine at time `now` (the port's monotonic clock): receives
 * and answers requests, registers and updates, sends notifications and
 * retransmissions. Never blocks. Returns how many milliseconds the
 * caller may sleep before the next call, unless a datagram arrives first.
 */
uint32_t tern_step(tern_client_t *client, tern_time_t now);

/*
 * Reports that the value at path (a resource, or a resource instance)
 * changed locally, so observations of it (or of its instance or object)
 * are evaluated at the next step.
 */
void tern_changed(tern_client_t *client, const tern_path_t *path);

/* Convenience form of tern_changed() for /oid/iid/rid. */
void tern_changed_resource(tern_client_t *client, uint16_t oid, uint16_t iid, uint16_t rid);

/*
 * Asks for a registration update to every registered server at the next
 * step (what Server resource 8 does for one server).
 */
void tern_update_registration(tern_client_t *client);

/*
 * Starts an orderly stop: de-registers from every server. Keep calling
 * tern_step() until tern_stopped() is true (de-registration answered or
 * given up after the CoAP retransmissions).
 */
void tern_shutdown(tern_client_t *client);
bool tern_stopped(const tern_client_t *client);

/*
 * Restores the configuration a bootstrap stored through the port's
 * config_read hook, replacing the accounts added with tern_server_add().
 * Call it after those and before the first tern_step(). Returns 1 when
 * restored, 0 when nothing is stored (the accounts added stay), or
 * TERN_ERR_CORRUPT when the image failed its checks: it is ignored, the
 * management accounts are dropped and the client bootstraps (a clear log
 * line says so). Only with TERN_WITH_PERSISTENCE.
 */
int tern_config_restore(tern_client_t *client);

/* Registration state of server account `index` (0-based, in order added). */
typedef enum tern_reg_state {
    TERN_REG_IDLE = 0,     /* not started */
    TERN_REG_REGISTERING,  /* Register sent or waiting to retry */
    TERN_REG_REGISTERED,   /* registered; updates keep it alive */
    TERN_REG_DEREGISTERED, /* after tern_shutdown() */
    TERN_REG_FAILED,       /* the server refused (4.xx); see the log */
    TERN_REG_DISABLED,     /* disabled by the server (Server resource 4) for a while */
    TERN_REG_BOOTSTRAPPING /* talking to the Bootstrap-Server instead */
} tern_reg_state_t;

tern_reg_state_t tern_registration_state(const tern_client_t *client, size_t index);

/*
 * Access Control (object 2), for a factory configuration with several
 * servers: gives server `ssid` (0: every server without its own entry)
 * the rights (bits: 1 read, 2 write, 4 execute, 8 delete, 16 create;
 * oiid 65535 for Create on the object) on /oid/oiid, creating its
 * Access Control instance when needed; tern_acl_owner() sets the owner.
 * Return 0 or TERN_ERR_NO_SPACE. Only with TERN_WITH_ACL.
 */
int tern_acl_set(tern_client_t *client, uint16_t oid, uint16_t oiid, uint16_t ssid, uint8_t rights);
int tern_acl_owner(tern_client_t *client, uint16_t oid, uint16_t oiid, uint16_t owner);

/* The time of the current (or last) tern_step(), for object callbacks. */
tern_time_t tern_client_now(const tern_client_t *client);

/* Reads path as seen by the engine (for applications and tests). */
int tern_read_value(tern_client_t *client, const tern_path_t *path, tern_value_t *value);

/* Builds a path from ids; len is how many of them count. */
tern_path_t tern_path(uint8_t len, uint16_t oid, uint16_t iid, uint16_t rid, uint16_t riid);

#ifdef __cplusplus
}
#endif

#endif /* TERN_TERN_H */
