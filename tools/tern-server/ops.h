/* Device-management requests from the server to a registered client, on
 * the session the client registered from: sending, matching responses by
 * token, per-request timeouts, and observations with their notifications.
 *
 * Every request gets a token that is unique in this run (a random prefix
 * and a counter), so a response, a notification or a late answer is
 * recognised by its token alone. Unknown tokens are answered with RST,
 * which is also how a notification for a cancelled observation is
 * refused. */
#ifndef SRV_OPS_H
#define SRV_OPS_H

#include "linkfmt.h"
#include "registry.h"
#include "server.h"
#include "values.h"

#define SRV_TOKEN_LEN 8

typedef enum srv_req_state {
    REQ_PENDING,
    REQ_DONE,   /* a response arrived */
    REQ_FAILED, /* timeout, retransmissions exhausted, RST, or send error */
} srv_req_state_t;

/* What to send. */
typedef struct srv_req_spec {
    const char *op; /* "read", "write", ... for output */
    coap_pdu_code_t method;
    srv_path_t path;
    int observe;        /* -1 none, 0 register, 1 deregister */
    int accept;         /* CF_NONE for none */
    int content_format; /* CF_NONE for none */
    const uint8_t *payload;
    size_t len;
    const char *const *query; /* Uri-Query options, NULL-terminated, or NULL */
    const uint8_t *token;     /* reuse this token (cancel-observe), or NULL */
    /* one block of a block-wise body (RFC 7959, push-firmware): a Block1
     * option (NUM << 4 | M << 3 | SZX) and Size1 go out with the payload,
     * which is then sent as it is */
    bool block1_set;
    uint32_t block1;
    uint32_t size1;
} srv_req_spec_t;

typedef struct srv_request {
    struct srv_request *next;
    char op[24];
    char *ep;
    unsigned generation;
    srv_path_t path;
    int observe;
    int accept;
    uint8_t token[SRV_TOKEN_LEN];
    int64_t deadline;
    int64_t timeout_ms;
    srv_req_state_t state;
    /* the result */
    int code;
    int content_format;
    uint8_t *payload;
    size_t len;
    int observe_seq; /* Observe option in the response, -1 when absent */
    char *location;  /* Location-Path of a 2.01, "/3311/1" */
    long block1;     /* Block1 option in the response, -1 when absent */
    long size1;      /* Size1 option in the response, -1 when absent */
    char *error;     /* why the request failed */
    bool timed_out;
} srv_request_t;

typedef struct srv_notification {
    struct srv_notification *next;
    int observe_seq;
    int code;
    int content_format;
    srv_values_t values;
} srv_notification_t;

typedef struct srv_observation {
    struct srv_observation *next;
    char *ep;
    unsigned generation;
    srv_path_t path;
    int accept;
    uint8_t token[SRV_TOKEN_LEN];
    unsigned count; /* notifications so far */
    /* notifications not yet consumed by wait-notify, oldest first */
    srv_notification_t *queue, *queue_tail;
    unsigned queued;
} srv_observation_t;

/* Registers the response and NACK handlers. */
void ops_init(srv_t *srv);

/* Sends a request to client c and tracks it until done, failed, or
 * timeout_ms passed. Returns NULL with a message in err when it could not
 * even be sent. */
srv_request_t *ops_send(srv_t *srv, srv_client_t *c, const srv_req_spec_t *spec, int64_t timeout_ms,
                        char *err, size_t errlen);
/* Forgets a request (done or not); a late response is then answered with
 * RST if it comes in a CON. */
void ops_request_free(srv_t *srv, srv_request_t *req);
/* Fails the requests whose deadline passed. */
void ops_tick(srv_t *srv, int64_t now);
int64_t ops_next_deadline(const srv_t *srv);

/* The observation of path on client ep (its current registration), or NULL. */
srv_observation_t *ops_find_observation(srv_t *srv, const srv_client_t *c, const srv_path_t *path);
/* Forgets an observation; later notifications get RST. */
void ops_observation_free(srv_t *srv, srv_observation_t *obs);
/* Takes the oldest queued notification (caller frees with
 * ops_notification_free), or NULL. */
srv_notification_t *ops_pop_notification(srv_observation_t *obs);
void ops_notification_free(srv_notification_t *n);

/* The client's registration ended: its observations are dropped. */
void ops_client_gone(srv_t *srv, srv_client_t *c);
/* Frees all requests and observations. */
void ops_free(srv_t *srv);

#endif
