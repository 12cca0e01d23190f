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
    uint8_t storing;     /* resource 6: notification storing when disabled */
    char binding[4];     /* resource 7 */
    uint32_t lifetime_s; /* resource 1 */
    uint32_t pmin_s;     /* resource 2 */
    uint32_t pmax_s;     /* resource 3 */
    uint32_t disable_s;  /* resource 5 */
    /* registration */
    uint8_t reg_state;   /* tern_reg_state_t */
    uint8_t update_what; /* TERN_UPD_* changed since the last Register/Update */
    uint8_t attempts;    /* failed attempts in a row, for the back-off */
    uint8_t location_len;
    int16_t conn;          /* -1: no connection */
    uint8_t in_flight;     /* TERN_OP_* of the registration request outstanding */
    uint8_t update_sent;   /* TERN_UPD_* the Update in flight carries */
    uint8_t disable;       /* de-register and stay away for disable_s */
    tern_time_t next_time; /* when to register, update or retry */
    tern_addr_t peer;
    char location[TERN_MAX_LOCATION]; /* Location-Path of the registration, '/'-joined */
} tern_server_inst_t;

/* Write-Attributes set by one server on one path. */
typedef struct tern_attrs {
    uint8_t used;
    uint8_t server; /* index into servers[] */
    uint8_t set;    /* TERN_ATTR_* bits */
    tern_path_t path;
    uint32_t pmin_s;
    uint32_t pmax_s;
    tern_float_t gt;
    tern_float_t lt;
    tern_float_t st;
} tern_attrs_t;

/* One observation (RFC 7641) by one server. */
typedef struct tern_observation {
    uint8_t used;
    uint8_t server; /* index into servers[] */
    uint8_t token_len;
    uint8_t changed;   /* a change waits to be evaluated */
    uint8_t has_last;  /* last_value holds the last notified number */
    uint8_t in_flight; /* a confirmable notification is outstanding */
    uint16_t format;   /* content format of the notifications */
    uint16_t last_mid; /* of the last notification, to match RST */
    int16_t conn;
    tern_path_t path;
    uint8_t token[TERN_COAP_MAX_TOKEN];
    tern_time_t last_sent;
    tern_time_t last_con; /* last confirmable notification */
    tern_float_t last_value;
    tern_addr_t peer;
} tern_observation_t;

struct tern_client {
    const tern_port_t *port;
    const char *endpoint;
    const char *msisdn;
    uint16_t local_port;
    uint8_t stopping;
    uint8_t update_all;     /* a registration update was asked for */
    uint8_t pending_reset;  /* reboot or factory reset after the response */
    uint32_t observe_seq;   /* last Observe option value sent */
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
    tern_coap_ep_t coap;
};

#endif /* TERN_INTERNAL_CLIENT_H */
