/* Device-management commands (read ... cancel-observe) and the checks of
 * their expectations. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_impl.h"
#include "out.h"
#include "values.h"

static cmd_status_t send_request(srv_t *srv, srv_cmd_t *cmd, srv_client_t *c,
                                 const srv_req_spec_t *spec)
{
    char err[160];
    cmd->req = ops_send(srv, c, spec, cmd_timeout(srv, cmd), err, sizeof(err));
    if (cmd->req == NULL)
        return cmd_fail(srv, cmd, "%s", err);
    return CMD_PENDING;
}

static srv_req_spec_t spec_for(const srv_cmd_t *cmd, coap_pdu_code_t method)
{
    srv_req_spec_t s;
    memset(&s, 0, sizeof(s));
    s.op = cmd->def->name;
    s.method = method;
    s.path = cmd->path;
    s.observe = -1;
    s.accept = CF_NONE;
    s.content_format = CF_NONE;
    return s;
}

/* ---- expectations ---- */

static bool code_matches(const char *pattern, int code)
{
    char buf[8];
    code_format(code, buf);
    if (strcmp(pattern + 2, "xx") == 0)
        return pattern[0] == buf[0];
    return strcmp(pattern, buf) == 0;
}

static cmd_status_t check_value(srv_t *srv, srv_cmd_t *cmd, const srv_values_t *vs,
                                const char *spec)
{
    srv_path_t p = cmd->path;
    const char *expected = spec;
    char pbuf[40];
    const char *eq = strchr(spec, '=');
    if (spec[0] == '/' && eq != NULL) {
        char *ptext = xstrndup(spec, (size_t)(eq - spec));
        bool ok = path_parse(ptext, false, &p);
        free(ptext);
        if (!ok)
            return cmd_fail(srv, cmd, "expect-value '%s': bad path before '='", spec);
        expected = eq + 1;
    }
    const srv_value_t *v = values_find(vs, &p);
    if (v == NULL && p.depth == cmd->path.depth && vs->n == 1)
        v = &vs->v[0]; /* e.g. a single resource instance under the path */
    if (v == NULL)
        return cmd_fail(srv, cmd, "expected %s = %s, but the response has no value at %s",
                        path_format(&p, pbuf, sizeof(pbuf)), expected, pbuf);
    if (!value_matches(v, expected)) {
        strbuf_t got;
        sb_init(&got);
        value_print(&got, v);
        cmd_status_t st = cmd_fail(srv, cmd, "expected %s = %s, got %s",
                                   path_format(&v->path, pbuf, sizeof(pbuf)), expected, got.s);
        sb_free(&got);
        return st;
    }
    return CMD_OK;
}

static bool payload_contains(const srv_request_t *r, const char *text)
{
    size_t n = strlen(text);
    if (n == 0)
        return true;
    for (size_t i = 0; i + n <= r->len; i++)
        if (memcmp(r->payload + i, text, n) == 0)
            return true;
    return false;
}

static cmd_status_t check_result(srv_t *srv, srv_cmd_t *cmd, const srv_request_t *r,
                                 const srv_values_t *vs)
{
    char cbuf[8];
    bool want_timeout = cmd->expect != NULL && strcmp(cmd->expect, "timeout") == 0;
    if (r->state != REQ_DONE) {
        if (want_timeout && r->timed_out)
            return CMD_OK;
        if (cmd->expect != NULL)
            return cmd_fail(srv, cmd, "expected %s, got %s", cmd->expect, r->error);
        return cmd_fail(srv, cmd, "%s", r->error);
    }
    code_format(r->code, cbuf);
    if (want_timeout)
        return cmd_fail(srv, cmd, "expected a timeout, got %s %s", cbuf, code_phrase(r->code));
    if (cmd->expect != NULL && !code_matches(cmd->expect, r->code))
        return cmd_fail(srv, cmd, "expected %s, got %s %s", cmd->expect, cbuf,
                        code_phrase(r->code));
    if (cmd->expect == NULL && r->code >> 5 != 2)
        return cmd_fail(srv, cmd, "got %s %s", cbuf, code_phrase(r->code));
    if (cmd->expect == NULL && r->observe == 0 && r->observe_seq < 0)
        return cmd_fail(srv, cmd,
                        "got %s without an Observe option: the client did not set up "
                        "the observation",
                        cbuf);
    for (int i = 0; i < cmd->n_values; i++)
        if (check_value(srv, cmd, vs, cmd->values[i]) != CMD_OK)
            return CMD_FAIL;
    for (int i = 0; i < cmd->n_contains; i++)
        if (!payload_contains(r, cmd->contains[i]))
            return cmd_fail(srv, cmd, "the payload does not contain '%s'", cmd->contains[i]);
    if (vs->error != NULL && cmd->expect == NULL)
        return cmd_fail(srv, cmd, "malformed payload: %s", vs->error);
    for (size_t i = 0; cmd->expect == NULL && i < vs->n; i++) {
        char pbuf[40];
        if (vs->v[i].error != NULL)
            return cmd_fail(srv, cmd, "malformed value at %s: %s",
                            path_format(&vs->v[i].path, pbuf, sizeof(pbuf)), vs->v[i].error);
    }
    return CMD_OK;
}

cmd_status_t cmd_poll_request(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    srv_request_t *r = cmd->req;
    (void)now;
    if (r->state == REQ_PENDING)
        return CMD_PENDING;
    srv_values_t vs;
    values_init(&vs);
    if (r->state == REQ_DONE && r->code >> 5 == 2)
        values_decode(&vs, &r->path, r->content_format, r->payload, r->len);
    out_response(srv, r, &vs);
    cmd_status_t st = check_result(srv, cmd, r, &vs);
    if (cmd->cancel && r->state == REQ_DONE) {
        for (srv_observation_t *o = srv->observations; o != NULL; o = o->next) {
            if (memcmp(o->token, cmd->cancel_token, SRV_TOKEN_LEN) == 0) {
                ops_observation_free(srv, o);
                break;
            }
        }
    }
    values_free(&vs);
    ops_request_free(srv, r);
    cmd->req = NULL;
    return st;
}

/* ---- operations ---- */

/* EP and PATH, the first two arguments of every operation. */
srv_client_t *cmd_op_target(srv_t *srv, srv_cmd_t *cmd, int min_depth, int max_depth)
{
    srv_path_t p;
    if (!cmd_need_path(srv, cmd, cmd->argv[1].text, min_depth, max_depth, &p))
        return NULL;
    cmd->path = p;
    return cmd_need_client(srv, cmd, cmd->argv[0].text);
}

static bool format_arg(srv_t *srv, srv_cmd_t *cmd, int index, int *cf)
{
    *cf = CF_NONE;
    if (index >= cmd->argc)
        return true;
    *cf = format_parse(cmd->argv[index].text);
    if (*cf == CF_NONE) {
        cmd_fail(srv, cmd,
                 "unknown format '%s': text, tlv, opaque, link, senml-json, senml-cbor, "
                 "json, cbor or a number",
                 cmd->argv[index].text);
        return false;
    }
    return true;
}

cmd_status_t cmd_start_read(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    int cf;
    if (c == NULL || !format_arg(srv, cmd, 2, &cf))
        return CMD_FAIL;
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_GET);
    s.accept = cf;
    return send_request(srv, cmd, c, &s);
}

cmd_status_t cmd_start_discover(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_GET);
    s.accept = CF_LINK;
    return send_request(srv, cmd, c, &s);
}

static cmd_status_t send_payload(srv_t *srv, srv_cmd_t *cmd, srv_client_t *c,
                                 coap_pdu_code_t method, int cf, const strbuf_t *payload)
{
    srv_req_spec_t s = spec_for(cmd, method);
    s.content_format = cf;
    s.payload = (const uint8_t *)(payload->s ? payload->s : "");
    s.len = payload->len;
    return send_request(srv, cmd, c, &s);
}

cmd_status_t cmd_start_write(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 2, 4);
    if (c == NULL)
        return CMD_FAIL;
    int n = cmd->argc - 2;
    int cf = CF_NONE;
    const srv_arg_t *last = &cmd->argv[cmd->argc - 1];
    /* a trailing format name (not a number: that could be the value) */
    if (n >= 2 && last->quote_at < 0 && (last->text[0] < '0' || last->text[0] > '9')
        && format_parse(last->text) != CF_NONE) {
        cf = format_parse(last->text);
        n--;
    }
    char err[200];
    strbuf_t payload;
    sb_init(&payload);
    if (!encode_write(&cmd->path, &cmd->argv[2], n, &cf, &payload, err, sizeof(err))) {
        sb_free(&payload);
        return cmd_fail(srv, cmd, "%s", err);
    }
    cmd_status_t st = send_payload(srv, cmd, c, COAP_REQUEST_CODE_PUT, cf, &payload);
    sb_free(&payload);
    return st;
}

cmd_status_t cmd_start_write_partial(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 2, 2);
    if (c == NULL)
        return CMD_FAIL;
    char err[200];
    strbuf_t payload;
    sb_init(&payload);
    if (!encode_resources(&cmd->path, &cmd->argv[2], cmd->argc - 2, false, &payload, err,
                          sizeof(err))) {
        sb_free(&payload);
        return cmd_fail(srv, cmd, "%s", err);
    }
    cmd_status_t st = send_payload(srv, cmd, c, COAP_REQUEST_CODE_POST, CF_TLV, &payload);
    sb_free(&payload);
    return st;
}

cmd_status_t cmd_start_write_attr(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    char err[200];
    char **query;
    if (!encode_attributes(&cmd->argv[2], cmd->argc - 2, &query, err, sizeof(err)))
        return cmd_fail(srv, cmd, "%s", err);
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_PUT);
    s.query = (const char *const *)query;
    cmd_status_t st = send_request(srv, cmd, c, &s);
    encode_free_query(query);
    return st;
}

cmd_status_t cmd_start_exec(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_POST);
    if (cmd->argc == 3) {
        s.content_format = CF_TEXT;
        s.payload = (const uint8_t *)cmd->argv[2].text;
        s.len = strlen(cmd->argv[2].text);
    }
    return send_request(srv, cmd, c, &s);
}

cmd_status_t cmd_start_create(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 1);
    if (c == NULL)
        return CMD_FAIL;
    int first = 2;
    srv_path_t inst = path_child(&cmd->path, 0);
    bool wrap = false;
    if (cmd->argc > 2 && strchr(cmd->argv[2].text, '=') == NULL) {
        srv_path_t p;
        strbuf_t b;
        sb_init(&b);
        sb_printf(&b, "/0/%s", cmd->argv[2].text);
        bool ok = path_parse(b.s, false, &p) && p.depth == 2;
        sb_free(&b);
        if (!ok)
            return cmd_fail(srv, cmd, "bad instance id '%s' (0..65534)", cmd->argv[2].text);
        inst.id[1] = p.id[1];
        wrap = true;
        first = 3;
    }
    char err[200];
    strbuf_t payload;
    sb_init(&payload);
    if (!encode_resources(&inst, &cmd->argv[first], cmd->argc - first, wrap, &payload, err,
                          sizeof(err))) {
        sb_free(&payload);
        return cmd_fail(srv, cmd, "%s", err);
    }
    cmd_status_t st = send_payload(srv, cmd, c, COAP_REQUEST_CODE_POST, CF_TLV, &payload);
    sb_free(&payload);
    return st;
}

cmd_status_t cmd_start_delete(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_DELETE);
    return send_request(srv, cmd, c, &s);
}

cmd_status_t cmd_start_observe(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    int cf;
    if (c == NULL || !format_arg(srv, cmd, 2, &cf))
        return CMD_FAIL;
    if (ops_find_observation(srv, c, &cmd->path) != NULL)
        return cmd_fail(srv, cmd, "already observing %s on %s (cancel-observe it first)",
                        cmd->argv[1].text, c->ep);
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_GET);
    s.observe = 0;
    s.accept = cf;
    return send_request(srv, cmd, c, &s);
}

cmd_status_t cmd_start_cancel_observe(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    srv_observation_t *o = ops_find_observation(srv, c, &cmd->path);
    if (o == NULL)
        return cmd_fail(srv, cmd, "not observing %s on %s", cmd->argv[1].text, c->ep);
    if (cmd->argc == 3) {
        if (strcmp(cmd->argv[2].text, "rst") != 0)
            return cmd_fail(srv, cmd, "'%s': the only option is rst", cmd->argv[2].text);
        ops_observation_free(srv, o);
        return CMD_OK;
    }
    srv_req_spec_t s = spec_for(cmd, COAP_REQUEST_CODE_GET);
    s.observe = 1;
    s.accept = o->accept;
    s.token = o->token;
    cmd->cancel = true;
    memcpy(cmd->cancel_token, o->token, SRV_TOKEN_LEN);
    return send_request(srv, cmd, c, &s);
}
