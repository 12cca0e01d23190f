/*
 * A client on the fake port, with a scripted "server": tests push CoAP
 * requests and responses into the client and inspect what it sends.
 * The client has the Device object and a test object (id 9000) with
 * one resource of every type.
 */
#ifndef TERN_LWM2M_FIXTURE_H
#define TERN_LWM2M_FIXTURE_H

#include "coap/coap_msg.h"
#include "fake_port.h"
#include "tern/objects/device.h"
#include "tern/tern.h"

#define TEST_OID 9000
enum {
    TR_STRING = 0,   /* RW string */
    TR_INT = 1,      /* RW integer */
    TR_FLOAT = 2,    /* RW float */
    TR_BOOL = 3,     /* RW boolean */
    TR_OPAQUE = 4,   /* RW opaque */
    TR_TIME = 5,     /* R time */
    TR_OBJLNK = 6,   /* RW objlnk */
    TR_MULTI = 7,    /* RW multiple integer */
    TR_EXEC = 8,     /* executable */
    TR_RO = 9,       /* R integer */
    TR_WO = 10,      /* W integer */
    TR_OPTIONAL = 11 /* R integer, absent unless has_optional */
};

#define TEST_MAX_INST 4
#define TEST_MAX_MULTI 4

typedef struct test_inst {
    char string[32];
    int64_t integer;
    tern_float_t real;
    bool boolean;
    uint8_t opaque[16];
    size_t opaque_len;
    tern_objlnk_t lnk;
    int64_t multi[TEST_MAX_MULTI];
    bool multi_used[TEST_MAX_MULTI];
    int64_t wo;
    bool has_optional;
} test_inst_t;

typedef struct test_object {
    tern_object_t base;
    uint16_t iids[TEST_MAX_INST];
    test_inst_t inst[TEST_MAX_INST];
    int executed;
    char exec_args[64];
    int created;
    int removed;
} test_object_t;

typedef struct fixture {
    fake_port_t fp;
    tern_port_t port;
    tern_client_t client;
    tern_device_t device;
    test_object_t obj;
    tern_addr_t server; /* where request() and answer() come from */
    int conn;           /* and on which connection */
    uint16_t next_mid;
    uint8_t last_token[8];
    size_t last_token_len;
    fake_dgram_t sent;   /* the last datagram taken by expect_sent() */
    tern_coap_msg_t msg; /* ...parsed */
} fixture_t;

/* Client with one server (coap://10.0.0.1:5683, ssid 1, lifetime 300 s). */
void fixture_init(fixture_t *f);
/* The same client without any server: only a Bootstrap-Server account
 * (coap://10.0.0.9:5683) with the given hold-off. */
void fixture_init_bootstrap(fixture_t *f, uint32_t holdoff_s);
/* Steps the client at the fake clock. */
uint32_t fixture_step(fixture_t *f);
/* Runs until registered: answers the Register with 2.01 rd/abc. */
void fixture_register(fixture_t *f);

/* Takes the next datagram the client sent into f->sent / f->msg. */
void expect_sent(fixture_t *f);
/* Asserts nothing (more) was sent. */
void expect_nothing_sent(fixture_t *f);

/* Pushes a CON request from the server and steps; the response is in f->msg. */
typedef struct req_opts {
    uint32_t observe; /* Observe option value + 1 (0: none) */
    int32_t format;   /* Content-Format, -1: none */
    int32_t accept;   /* Accept, -1: none */
    const char *queries[6];
    const uint8_t *payload;
    size_t payload_len;
    bool same_token; /* reuse the previous request's token */
} req_opts_t;
void request(fixture_t *f, uint8_t code, const char *path, const req_opts_t *opts);

/* Answers the last request the client sent with code (+ options). */
void answer(fixture_t *f, uint8_t code, const char *location);

/* Value helpers on f->msg */
void expect_code(const fixture_t *f, uint8_t code);
void expect_payload(const fixture_t *f, const char *text);
bool msg_has_query(const tern_coap_msg_t *m, const char *query);
bool msg_path_is(const tern_coap_msg_t *m, uint16_t number, const char *joined);
uint16_t msg_format(const tern_coap_msg_t *m);

#endif
