#include "lwm2m_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- the test object ---- */

static const tern_res_def_t TEST_RESOURCES[] = {
    { TR_STRING, TERN_TYPE_STRING, TERN_RES_RW },
    { TR_INT, TERN_TYPE_INTEGER, TERN_RES_RW },
    { TR_FLOAT, TERN_TYPE_FLOAT, TERN_RES_RW },
    { TR_BOOL, TERN_TYPE_BOOLEAN, TERN_RES_RW },
    { TR_OPAQUE, TERN_TYPE_OPAQUE, TERN_RES_RW },
    { TR_TIME, TERN_TYPE_TIME, TERN_RES_R },
    { TR_OBJLNK, TERN_TYPE_OBJLNK, TERN_RES_RW },
    { TR_MULTI, TERN_TYPE_INTEGER, TERN_RES_RW | TERN_RES_MULTIPLE },
    { TR_EXEC, TERN_TYPE_NONE, TERN_RES_E },
    { TR_RO, TERN_TYPE_INTEGER, TERN_RES_R },
    { TR_WO, TERN_TYPE_INTEGER, TERN_RES_W },
    { TR_OPTIONAL, TERN_TYPE_INTEGER, TERN_RES_R },
};

static test_inst_t *inst_of(tern_object_t *obj, uint16_t iid)
{
    return iid < TEST_MAX_INST ? &((test_object_t *)obj)->inst[iid] : NULL;
}

static int t_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *p, tern_value_t *v)
{
    (void)c;
    test_inst_t *t = inst_of(obj, p->ids[1]);
    switch (p->ids[2]) {
    case TR_STRING:
        v->v.bytes.ptr = (const uint8_t *)t->string;
        v->v.bytes.len = strlen(t->string);
        return 0;
    case TR_INT:
        v->v.i = t->integer;
        return 0;
    case TR_FLOAT:
        v->v.f = t->real;
        return 0;
    case TR_BOOL:
        v->v.b = t->boolean;
        return 0;
    case TR_OPAQUE:
        v->v.bytes.ptr = t->opaque;
        v->v.bytes.len = t->opaque_len;
        return 0;
    case TR_TIME:
        v->v.i = 1700000000;
        return 0;
    case TR_OBJLNK:
        v->v.lnk = t->lnk;
        return 0;
    case TR_MULTI:
        if (p->ids[3] >= TEST_MAX_MULTI || !t->multi_used[p->ids[3]])
            return -TERN_COAP_NOT_FOUND;
        v->v.i = t->multi[p->ids[3]];
        return 0;
    case TR_RO:
        v->v.i = 42;
        return 0;
    case TR_OPTIONAL:
        if (!t->has_optional)
            return -TERN_COAP_NOT_FOUND;
        v->v.i = 7;
        return 0;
    default:
        return -TERN_COAP_NOT_FOUND;
    }
}

static int t_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *p,
                   const tern_value_t *v)
{
    (void)c;
    if (obj == NULL) /* the check */
        return p->ids[2] == TR_STRING && v->v.bytes.len >= sizeof(((test_inst_t *)0)->string)
                   ? -TERN_COAP_BAD_REQUEST
                   : 0;
    test_inst_t *t = inst_of(obj, p->ids[1]);
    switch (p->ids[2]) {
    case TR_STRING:
        if (v->v.bytes.len >= sizeof(t->string))
            return -TERN_COAP_BAD_REQUEST;
        memcpy(t->string, v->v.bytes.ptr, v->v.bytes.len);
        t->string[v->v.bytes.len] = '\0';
        return 0;
    case TR_INT:
        t->integer = v->v.i;
        return 0;
    case TR_FLOAT:
        t->real = v->v.f;
        return 0;
    case TR_BOOL:
        t->boolean = v->v.b;
        return 0;
    case TR_OPAQUE:
        if (v->v.bytes.len > sizeof(t->opaque))
            return -TERN_COAP_BAD_REQUEST;
        memcpy(t->opaque, v->v.bytes.ptr, v->v.bytes.len);
        t->opaque_len = v->v.bytes.len;
        return 0;
    case TR_OBJLNK:
        t->lnk = v->v.lnk;
        return 0;
    case TR_MULTI:
        if (p->len != 4 || p->ids[3] >= TEST_MAX_MULTI)
            return -TERN_COAP_BAD_REQUEST;
        t->multi[p->ids[3]] = v->v.i;
        t->multi_used[p->ids[3]] = true;
        return 0;
    case TR_WO:
        t->wo = v->v.i;
        return 0;
    case TR_TIME:
    case TR_RO:
        return 0; /* the engine lets read-only values through only at Create */
    default:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    }
}

static int t_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *p,
                     const uint8_t *args, size_t len)
{
    (void)c;
    (void)p;
    test_object_t *o = (test_object_t *)obj;
    o->executed++;
    snprintf(o->exec_args, sizeof(o->exec_args), "%.*s", (int)len, (const char *)args);
    return 0;
}

static int t_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)c;
    if (iid >= TEST_MAX_INST)
        return -TERN_COAP_BAD_REQUEST;
    memset(inst_of(obj, iid), 0, sizeof(test_inst_t));
    ((test_object_t *)obj)->created++;
    return 0;
}

static int t_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)c;
    (void)iid;
    ((test_object_t *)obj)->removed++;
    return 0;
}

static int t_clear(tern_client_t *c, tern_object_t *obj, const tern_path_t *p)
{
    (void)c;
    test_inst_t *t = inst_of(obj, p->ids[1]);
    if (p->len == 2 || p->ids[2] == TR_MULTI)
        memset(t->multi_used, 0, sizeof(t->multi_used));
    return 0;
}

static int t_next(tern_client_t *c, tern_object_t *obj, const tern_path_t *res, uint16_t prev)
{
    (void)c;
    test_inst_t *t = inst_of(obj, res->ids[1]);
    for (uint16_t i = prev == TERN_ID_NONE ? 0 : (uint16_t)(prev + 1); i < TEST_MAX_MULTI; i++) {
        if (res->ids[2] == TR_MULTI && t->multi_used[i])
            return i;
    }
    return -1;
}

static const tern_object_ops_t TEST_OPS = {
    .read = t_read,
    .write = t_write,
    .execute = t_execute,
    .create = t_create,
    .remove = t_remove,
    .clear = t_clear,
    .next_res_instance = t_next,
};

static const tern_object_def_t TEST_DEF = {
    .oid = TEST_OID,
    .n_resources = sizeof(TEST_RESOURCES) / sizeof(TEST_RESOURCES[0]),
    .resources = TEST_RESOURCES,
    .ops = &TEST_OPS,
    .multiple = true,
};

static const tern_device_info_t DEVICE_INFO = {
    .manufacturer = "Tern",
    .model = "test",
    .serial = "T-1",
    .firmware_version = "1.0",
};

/* ---- the fixture ---- */

static void init_common(fixture_t *f, const tern_server_config_t *srv)
{
    memset(f, 0, sizeof(*f));
    fake_port_init(&f->fp, &f->port);
    f->fp.log_to_stderr = getenv("TERN_DEBUG") != NULL;
    tern_client_config_t cfg = { .endpoint = "dev1", .port = &f->port };
    assert_int_equal(tern_client_init(&f->client, &cfg), 0);
    assert_int_equal(tern_server_add(&f->client, srv), 0);
    tern_device_init(&f->device, &DEVICE_INFO);
    assert_int_equal(tern_object_register(&f->client, &f->device.base), 0);

    f->obj.base.def = &TEST_DEF;
    f->obj.base.iids = f->obj.iids;
    f->obj.base.max_iids = TEST_MAX_INST;
    f->obj.base.n_iids = 1;
    f->obj.iids[0] = 0;
    test_inst_t *t = &f->obj.inst[0];
    strcpy(t->string, "hello");
    t->integer = -5;
    t->real = (tern_float_t)1.5;
    t->boolean = true;
    memcpy(t->opaque, "\x01\x02\x03", 3);
    t->opaque_len = 3;
    t->lnk.oid = 3;
    t->lnk.iid = 0;
    t->multi[0] = 10;
    t->multi[1] = 20;
    t->multi_used[0] = t->multi_used[1] = true;
    assert_int_equal(tern_object_register(&f->client, &f->obj.base), 0);
    f->server = fake_addr(1);
    f->conn = 0;
    f->next_mid = 0x1000;
}

void fixture_init(fixture_t *f)
{
    tern_server_config_t srv = {
        .uri = "coap://10.0.0.1:5683", .ssid = 1, .lifetime_s = 300, .mode = TERN_SEC_NOSEC
    };
    init_common(f, &srv);
}

void fixture_init_bootstrap(fixture_t *f, uint32_t holdoff_s)
{
    tern_server_config_t bs = { .uri = "coap://10.0.0.9:5683",
                                .bootstrap = true,
                                .mode = TERN_SEC_NOSEC };
    init_common(f, &bs);
    f->client.security[0].holdoff_s = holdoff_s;
}

uint32_t fixture_step(fixture_t *f)
{
    return tern_step(&f->client, f->fp.now);
}

void expect_sent(fixture_t *f)
{
    assert_true(fake_port_pop_sent(&f->fp, &f->sent));
    assert_int_equal(tern_coap_parse(&f->msg, f->sent.data, f->sent.len), 0);
}

void expect_nothing_sent(fixture_t *f)
{
    assert_int_equal(f->fp.n_sent, 0);
}

/* Splits "a/b/c" into options of `number`. */
static void write_path(tern_coap_writer_t *w, uint16_t number, const char *joined)
{
    const char *p = joined;
    if (*p == '/')
        p++;
    while (*p != '\0') {
        const char *slash = strchr(p, '/');
        size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
        tern_coap_write_option(w, number, p, len);
        p += len + (slash != NULL);
    }
}

void request(fixture_t *f, uint8_t code, const char *path, const req_opts_t *opts)
{
    static const req_opts_t NONE = { 0, -1, -1, { NULL }, NULL, 0, false };
    if (opts == NULL)
        opts = &NONE;
    uint8_t buf[1024];
    tern_coap_writer_t w;
    f->last_token_len = 2;
    if (!opts->same_token) {
        f->last_token[0] = (uint8_t)(f->next_mid >> 8);
        f->last_token[1] = (uint8_t)f->next_mid;
    }
    tern_coap_writer_init(&w, buf, sizeof(buf));
    tern_coap_write_header(&w, TERN_COAP_CON, code, f->next_mid++, f->last_token, 2);
    if (opts->observe > 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_OBSERVE, opts->observe - 1);
    write_path(&w, TERN_COAP_OPT_URI_PATH, path);
    if (opts->format >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_CONTENT_FORMAT, (uint32_t)opts->format);
    for (int i = 0; i < 6 && opts->queries[i] != NULL; i++)
        tern_coap_write_option_str(&w, TERN_COAP_OPT_URI_QUERY, opts->queries[i]);
    if (opts->accept >= 0)
        tern_coap_write_option_uint(&w, TERN_COAP_OPT_ACCEPT, (uint32_t)opts->accept);
    if (opts->payload_len > 0)
        tern_coap_write_payload(&w, opts->payload, opts->payload_len);
    int len = tern_coap_writer_finish(&w);
    assert_true(len > 0);
    fake_port_push(&f->fp, f->conn, &f->server, buf, (size_t)len);
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.type, TERN_COAP_ACK);
    assert_memory_equal(f->msg.token, f->last_token, 2);
}

void answer(fixture_t *f, uint8_t code, const char *location)
{
    uint8_t buf[256];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, buf, sizeof(buf));
    /* an Empty ACK carries no token */
    tern_coap_write_header(&w, TERN_COAP_ACK, code, f->msg.mid, f->msg.token,
                           code == TERN_COAP_EMPTY ? 0 : f->msg.token_len);
    if (location != NULL)
        write_path(&w, TERN_COAP_OPT_LOCATION_PATH, location);
    int len = tern_coap_writer_finish(&w);
    fake_port_push(&f->fp, f->conn, &f->server, buf, (size_t)len);
    fixture_step(f);
}

void fixture_register(fixture_t *f)
{
    fixture_step(f);
    expect_sent(f);
    assert_int_equal(f->msg.code, TERN_COAP_POST);
    answer(f, TERN_COAP_CREATED, "rd/abc");
    assert_int_equal(tern_registration_state(&f->client, 0), TERN_REG_REGISTERED);
}

void expect_code(const fixture_t *f, uint8_t code)
{
    if (f->msg.code != code)
        fail_msg("expected %u.%02u, got %u.%02u", code >> 5, code & 31, f->msg.code >> 5,
                 f->msg.code & 31);
}

void expect_payload(const fixture_t *f, const char *text)
{
    if (f->msg.payload_len != strlen(text) || memcmp(f->msg.payload, text, strlen(text)) != 0)
        fail_msg("expected payload '%s', got '%.*s'", text, (int)f->msg.payload_len,
                 (const char *)f->msg.payload);
}

bool msg_has_query(const tern_coap_msg_t *m, const char *query)
{
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    tern_coap_opt_iter_init(&it, m);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number == TERN_COAP_OPT_URI_QUERY && opt.len == strlen(query)
            && memcmp(opt.value, query, opt.len) == 0)
            return true;
    }
    return false;
}

bool msg_path_is(const tern_coap_msg_t *m, uint16_t number, const char *joined)
{
    char buf[128] = "";
    size_t len = 0;
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    tern_coap_opt_iter_init(&it, m);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number != number || len + opt.len + 2 > sizeof(buf))
            continue;
        buf[len++] = '/';
        memcpy(buf + len, opt.value, opt.len);
        len += opt.len;
        buf[len] = '\0';
    }
    return strcmp(buf, joined) == 0;
}

uint16_t msg_format(const tern_coap_msg_t *m)
{
    uint32_t v;
    return tern_coap_get_uint(m, TERN_COAP_OPT_CONTENT_FORMAT, &v) ? (uint16_t)v : 0xffff;
}
