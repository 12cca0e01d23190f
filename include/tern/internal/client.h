/*
 * Layout of tern_client_t, public only so that the application can
 * allocate a client statically. Nothing outside the library may touch
 * these fields; use the functions of tern/tern.h.
 */
#ifndef TERN_INTERNAL_CLIENT_H
#define TERN_INTERNAL_CLIENT_H

#ifndef TERN_INTERNAL_ALLOWED
#error "tern/internal/ headers are private: include tern/tern.h"
#endif

#include "tern/internal/coap_state.h"

#define TERN_MAX_SECURITY (TERN_MAX_SERVERS + TERN_WITH_BOOTSTRAP)

/* A Security object instance (object 0). */
typedef struct tern_security_inst {
    uint16_t iid;
    uint16_t ssid; /* resource 10 */
    uint8_t used;
    uint8_t bootstrap; /* resource 1 */
    uint8_t mode;      /* resource 2, tern_security_mode_t */
    uint16_t identity_len;
    uint16_t secret_len;
    uint16_t server_key_len;
    uint32_t holdoff_s;     /* resource 11 */
    uint32_t bs_timeout_s;  /* resource 12 */
    char uri[TERN_MAX_URI]; /* resource 0, NUL-terminated */
#if TERN_MAX_IDENTITY > 0
    uint8_t identity[TERN_MAX_IDENTITY]; /* resource 3 */
#endif
#if TERN_MAX_SECRET > 0
    uint8_t secret[TERN_MAX_SECRET]; /* resource 5 */
#endif
#if TERN_MAX_SERVER_KEY > 0
    uint8_t server_key[TERN_MAX_SERVER_KEY]; /* resource 4 */
#endif
} tern_security_inst_t;

/* A Server object instance (object 1) and its registration. */
typedef struct tern_server_inst {
    uint16_t iid;
    uint16_t ssid; /* resource 0 */
    uint8_t used;
    uint8_t storing; /* resource 6: notification storing when disabled */
    char binding[4]; /* resource 7 */
    /* registration state, two bytes of it here where they cost no padding
     * and Thumb reaches them with short loads */
    uint8_t in_flight;     /* TERN_OP_* of the registration request outstanding */
    uint8_t disable;       /* de-register and stay away for disable_s */
    uint32_t lifetime_s;   /* resource 1 */
    uint32_t pmin_s;       /* resource 2 */
    uint32_t pmax_s;       /* resource 3 */
    uint32_t disable_s;    /* resource 5 */
    uint8_t reg_state;     /* tern_reg_state_t */
    uint8_t update_what;   /* TERN_UPD_* changed since the last Register/Update */
    uint8_t attempts;      /* failed attempts in a row, for the back-off */
    uint8_t update_sent;   /* TERN_UPD_* the Register or Update in flight carries */
    int16_t conn;          /* -1: no connection */
    tern_time_t next_time; /* when to register, update or retry */
    tern_addr_t peer;
    char location[TERN_MAX_LOCATION]; /* Location-Path: length-prefixed segments */
} tern_server_inst_t;

/* An Access Control object instance (object 2). Its single resources are
 * ids[] by resource id; ids[2], where the ACL list would be, holds the
 * instance id. */
enum { TERN_ACL_OID = 0, TERN_ACL_OIID = 1, TERN_ACL_IID = 2, TERN_ACL_OWNER = 3 };
typedef struct tern_acl_inst {
    /* object instance it governs (oiid 65535: Create rights on the object),
     * iid, and the Short Server ID of the Access Control Owner */
    uint16_t ids[4];
    uint8_t used;
    uint8_t n;                            /* ACL resource instances in use */
    uint16_t ssids[TERN_MAX_ACL_ENTRIES]; /* resource 2 instance ids (0: default) */
    uint8_t rights[TERN_MAX_ACL_ENTRIES]; /* and their values */
} tern_acl_inst_t;

/* Bootstrap: talking to the Bootstrap-Server (its state and in-flight
 * flag are the client's bs_state and bs_in_flight). */
typedef struct tern_bootstrap {
    uint8_t attempts;      /* bootstraps since the last registration, for the back-off */
    int16_t conn;          /* -1: closed */
    tern_time_t next_time; /* end of hold-off, retry, or give-up time */
    tern_addr_t peer;
} tern_bootstrap_t;

/* A Block1 write being received (RFC 7959 2.5), one at a time. */
typedef struct tern_block1 {
    uint8_t active;
    int16_t conn;
    tern_path_t path;
    size_t offset; /* the next byte expected */
    uint32_t last; /* when the last block came (ms, modulo 2^32: a stall is minutes) */
    tern_addr_t peer;
} tern_block1_t;

/* Told why a download stopped (see src/lwm2m/lwm2m.h). */
typedef void (*tern_download_error_fn)(tern_client_t *c, tern_object_t *obj, int error);

/* A download with Block2 as a client (a firmware pull), one at a time;
 * it runs while conn >= 0. */
typedef struct tern_download {
    uint8_t in_flight;
    uint8_t szx; /* block size asked for */
    int16_t conn;
    size_t offset;   /* bytes delivered so far */
    const char *uri; /* not copied: the caller keeps it */
    size_t uri_len;
    tern_object_t *obj; /* gets the pieces through its write_block */
    tern_download_error_fn on_error;
    tern_addr_t peer;
} tern_download_t;

/* Write-Attributes set by one server on one path. */
typedef struct tern_attrs {
    tern_path_t path;
    uint8_t server; /* index into servers[] */
    uint8_t set;    /* TERN_ATTR_* bits; 0: a free slot */
    uint32_t pmin_s;
    uint32_t pmax_s;
    tern_float_t gt;
    tern_float_t lt;
    tern_float_t st;
} tern_attrs_t;

/* One observation (RFC 7641) by one server. */
typedef struct tern_observation {
    tern_path_t path; /* len 0: a free slot (an observed path is never /) */
    uint8_t server;   /* index into servers[] */
    uint8_t token_len;
    uint8_t changed;   /* a change waits to be evaluated */
    uint8_t in_flight; /* a confirmable notification is outstanding */
    uint16_t format;   /* content format of the notifications */
    uint16_t last_mid; /* of the last notification, to match RST */
    int16_t conn;
    uint8_t token[TERN_COAP_MAX_TOKEN];
    tern_addr_t peer;
    uint32_t last_con; /* last confirmable notification, in 1024 ms units */
    tern_time_t last_sent;
    int64_t last_value; /* last notified number, fixed point (src/core/fixed.h);
                         * INT64_MIN when it is not a number */
} tern_observation_t;

struct tern_client {
    const tern_port_t *port;
    const char *endpoint;
    const char *msisdn;
    uint16_t local_port;
    uint8_t stopping;
    uint8_t update_all; /* a registration update was asked for */
    /* run once the response to the current request is sent (Reboot,
     * Factory Reset, Firmware Update) */
    void (*after_response)(tern_client_t *c, void *arg);
    void *after_arg;
    uint32_t observe_seq; /* last Observe option value sent */
    /* the bytes most code touches, in the padding before `now` where Thumb
     * reaches them with short loads and stores */
    uint8_t config_dirty; /* persisted objects changed: save them */
    uint8_t restoring;    /* tern_config_restore() is writing the stored objects */
#if TERN_WITH_BOOTSTRAP
    uint8_t bs_state;     /* TERN_BS_* in src/lwm2m/lwm2m.h */
    uint8_t bs_in_flight; /* the Bootstrap-Request is outstanding */
#endif
    tern_time_t now;        /* time of the current step */
    tern_object_t *objects; /* sorted by object id */
    tern_object_t security_obj;
    tern_object_t server_obj;
    uint16_t security_iids[TERN_MAX_SECURITY];
    uint16_t server_iids[TERN_MAX_SERVERS];
    tern_security_inst_t security[TERN_MAX_SECURITY];
    tern_server_inst_t servers[TERN_MAX_SERVERS];
#if TERN_WITH_OBSERVE
    tern_observation_t observations[TERN_MAX_OBSERVATIONS];
    tern_attrs_t attrs[TERN_MAX_ATTRS];
#endif
#if TERN_WITH_ACL
    tern_object_t acl_obj;
    uint16_t acl_iids[TERN_MAX_ACL];
    tern_acl_inst_t acl[TERN_MAX_ACL];
#endif
#if TERN_WITH_BOOTSTRAP
    tern_bootstrap_t bs;
#endif
#if TERN_WITH_BLOCK
    tern_block1_t block1;
    tern_download_t download;
#endif
    tern_coap_ep_t coap;
};

#endif /* TERN_INTERNAL_CLIENT_H */
