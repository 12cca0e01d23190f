/* The LwM2M registration interface: POST /rd (Register), POST /rd/<id>
 * (Update), DELETE /rd/<id> (De-register), lifetime expiry, and the table
 * of clients that commands address by endpoint name. */
#ifndef SRV_REGISTRY_H
#define SRV_REGISTRY_H

#include "linkfmt.h"
#include "server.h"

typedef struct srv_client {
    struct srv_client *next;
    char *ep;
    bool registered;     /* false after De-register or expiry; the record stays */
    char location[24];   /* "/rd/3f2a91c0" */
    unsigned generation; /* changes with every Register */
    uint32_t lifetime;   /* seconds */
    int64_t expires_at;  /* now_ms() clock */
    char *lwm2m;         /* version, NULL when the client sent none */
    char *binding;
    char *sms;
    bool queue;              /* Q parameter (LwM2M 1.1) or Q in the binding (1.0) */
    char *links;             /* the object list as registered (link format text) */
    char *root;              /* alternate path ("" for none, else "/lwm2m") */
    coap_session_t *session; /* referenced; requests go here */
    char peer[64];
    /* event counters for the wait-* commands (each wait consumes one) */
    unsigned registrations, registrations_waited;
    unsigned updates, updates_waited;
    unsigned ends, ends_waited; /* De-register or expiry (not a new Register) */
} srv_client_t;

/* Adds the /rd resources to the context. */
void registry_init(srv_t *srv);
/* Drops the registrations whose lifetime has passed (an "expired" event). */
void registry_tick(srv_t *srv, int64_t now);
/* The next expiry time, or INT64_MAX. */
int64_t registry_next_expiry(const srv_t *srv);
/* A client by endpoint name, registered or not; NULL if never seen. */
srv_client_t *registry_find(srv_t *srv, const char *ep);
/* Frees every record and releases the sessions. */
void registry_free(srv_t *srv);

#endif
