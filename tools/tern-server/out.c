/* Events, human-readable or JSON (see out.h). */
#define _GNU_SOURCE
#include "out.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "linkfmt.h"

static void emit(strbuf_t *b)
{
    fwrite(b->s, 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    sb_free(b);
}

static const char *path_str(const srv_path_t *p, char *buf, size_t size)
{
    return path_format(p, buf, size);
}

static void json_head(json_obj_t *o, strbuf_t *b, const char *event)
{
    sb_init(b);
    json_begin(o, b);
    json_kv_str(o, "event", event);
}

void out_listening(srv_t *srv)
{
    strbuf_t b;
    json_obj_t o;
    if (srv->out.json) {
        json_head(&o, &b, "listening");
        if (srv->dtls != NULL)
            json_kv_str(&o, "scheme", "coaps"); /* before the port, which ends the line */
        json_kv_str(&o, "address", srv->listen_addr);
        json_kv_int(&o, "port", srv->listen_port);
        json_end(&o);
    } else {
        sb_init(&b);
        bool v6 = strchr(srv->listen_addr, ':') != NULL;
        sb_printf(&b, "listening on %s://%s%s%s:%d", srv->dtls != NULL ? "coaps" : "coap",
                  v6 ? "[" : "", srv->listen_addr, v6 ? "]" : "", srv->listen_port);
    }
    emit(&b);
}

void out_dtls_event(srv_t *srv, const char *event, const char *peer, const char *who)
{
    strbuf_t b;
    json_obj_t o;
    if (srv->out.quiet)
        return;
    if (srv->out.json) {
        json_head(&o, &b, event);
        json_kv_str(&o, "peer", peer);
        if (who != NULL && who[0] != '\0')
            json_kv_str(&o, "client", who);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "dtls: %s %s%s%s%s", peer,
                  strcmp(event, "dtls-connected") == 0 ? "connected" : "closed",
                  who != NULL && who[0] != '\0' ? " (" : "", who != NULL ? who : "",
                  who != NULL && who[0] != '\0' ? ")" : "");
    }
    emit(&b);
}

void out_dtls_failed(srv_t *srv, const char *peer, const char *fmt, ...)
{
    strbuf_t reason, b;
    json_obj_t o;
    va_list ap;
    sb_init(&reason);
    va_start(ap, fmt);
    sb_vprintf(&reason, fmt, ap);
    va_end(ap);
    if (srv->out.json) {
        json_head(&o, &b, "dtls-failed");
        json_kv_str(&o, "peer", peer);
        json_kv_str(&o, "reason", reason.s);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "dtls: %s: %s", peer, reason.s);
    }
    sb_free(&reason);
    emit(&b);
}

/* The links of an object list, except the rt="oma.lwm2m" root link. */
static void json_objects(json_obj_t *o, const char *links_text)
{
    srv_links_t links;
    links_parse(links_text, strlen(links_text), &links);
    json_key(o, "objects");
    sb_putc(o->out, '[');
    bool first = true;
    for (size_t i = 0; i < links.n; i++) {
        const char *rt = link_attr(&links.v[i], "rt");
        if (rt != NULL && strcmp(rt, "oma.lwm2m") == 0)
            continue;
        if (!first)
            sb_putc(o->out, ',');
        first = false;
        json_string(o->out, links.v[i].uri);
    }
    sb_putc(o->out, ']');
    links_free(&links);
}

static void json_client(json_obj_t *o, const srv_client_t *c)
{
    json_kv_str(o, "ep", c->ep);
    json_kv_str(o, "location", c->location);
    json_kv_int(o, "lifetime", c->lifetime);
    json_kv_str(o, "binding", c->binding);
    json_kv_str(o, "lwm2m", c->lwm2m);
    json_kv_str(o, "sms", c->sms);
    json_kv_bool(o, "queue", c->queue);
    json_kv_str(o, "peer", c->peer[0] ? c->peer : NULL);
    json_objects(o, c->links ? c->links : "");
    json_kv_str(o, "links", c->links);
}

/* The object list on one line (registration payloads may span lines). */
static void human_links(strbuf_t *b, const char *links)
{
    for (const char *p = links; *p != '\0'; p++)
        if (*p != '\n' && *p != '\r')
            sb_putc(b, *p);
}

void out_client_event(srv_t *srv, const char *event, const srv_client_t *c, const char *replaces)
{
    strbuf_t b;
    json_obj_t o;
    if (srv->out.quiet)
        return;
    if (srv->out.json) {
        json_head(&o, &b, event);
        json_client(&o, c);
        if (replaces != NULL)
            json_kv_str(&o, "replaces", replaces);
        json_end(&o);
        emit(&b);
        return;
    }
    sb_init(&b);
    sb_printf(&b, "%s %s %s", event, c->ep, c->location);
    if (strcmp(event, "registered") == 0 || strcmp(event, "updated") == 0) {
        sb_printf(&b, " from %s: lifetime %us, lwm2m %s, binding %s%s", c->peer,
                  (unsigned)c->lifetime, c->lwm2m ? c->lwm2m : "-", c->binding,
                  c->queue ? " (queue mode)" : "");
        if (c->sms != NULL)
            sb_printf(&b, ", sms %s", c->sms);
        if (replaces != NULL)
            sb_printf(&b, " (replaces %s)", replaces);
        sb_puts(&b, "\n  objects ");
        human_links(&b, c->links ? c->links : "");
    } else if (strcmp(event, "expired") == 0) {
        sb_printf(&b, ": no update within the %us lifetime", (unsigned)c->lifetime);
    }
    emit(&b);
}

void out_rejected(srv_t *srv, const char *what, int code, const char *why, const char *peer)
{
    strbuf_t b;
    json_obj_t o;
    char cbuf[8];
    if (srv->out.quiet)
        return;
    if (srv->out.json) {
        json_head(&o, &b, "rejected");
        json_kv_str(&o, "request", what);
        json_kv_str(&o, "code", code_format(code, cbuf));
        json_kv_str(&o, "reason", why);
        json_kv_str(&o, "peer", peer);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "rejected %s from %s: %s %s (%s)", what, peer, code_format(code, cbuf),
                  code_phrase(code), why);
    }
    emit(&b);
}

void out_list(srv_t *srv)
{
    strbuf_t b;
    json_obj_t o;
    int64_t now = now_ms();
    sb_init(&b);
    if (srv->out.json) {
        json_begin(&o, &b);
        json_kv_str(&o, "event", "list");
        json_key(&o, "clients");
        sb_putc(&b, '[');
        for (const srv_client_t *c = srv->clients; c != NULL; c = c->next) {
            json_obj_t co;
            if (c != srv->clients)
                sb_putc(&b, ',');
            json_begin(&co, &b);
            json_client(&co, c);
            json_kv_bool(&co, "registered", c->registered);
            if (c->registered)
                json_kv_int(&co, "expires_in", (c->expires_at - now + 999) / 1000);
            json_end(&co);
        }
        sb_putc(&b, ']');
        json_end(&o);
        emit(&b);
        return;
    }
    if (srv->clients == NULL)
        sb_puts(&b, "no clients");
    for (const srv_client_t *c = srv->clients; c != NULL; c = c->next) {
        if (c != srv->clients)
            sb_putc(&b, '\n');
        if (!c->registered) {
            sb_printf(&b, "%s: not registered (was %s)", c->ep, c->location);
            continue;
        }
        sb_printf(&b, "%s: %s from %s, lifetime %us (expires in %llds), lwm2m %s, binding %s\n",
                  c->ep, c->location, c->peer, (unsigned)c->lifetime,
                  (long long)((c->expires_at - now + 999) / 1000), c->lwm2m ? c->lwm2m : "-",
                  c->binding);
        sb_puts(&b, "  objects ");
        human_links(&b, c->links ? c->links : "");
    }
    emit(&b);
}

/* ---- payloads ---- */

static void human_values(strbuf_t *b, const srv_values_t *vs)
{
    char pbuf[40];
    for (size_t i = 0; i < vs->n; i++) {
        const srv_value_t *v = &vs->v[i];
        const char *name = path_name(&v->path);
        sb_printf(b, "\n  %s", path_str(&v->path, pbuf, sizeof(pbuf)));
        if (name != NULL)
            sb_printf(b, " %s", name);
        sb_puts(b, " = ");
        value_print(b, v);
    }
    if (vs->error != NULL)
        sb_printf(b, "\n  ! malformed payload: %s", vs->error);
}

static void json_values(json_obj_t *o, const srv_values_t *vs)
{
    char pbuf[40];
    json_key(o, "values");
    sb_putc(o->out, '{');
    for (size_t i = 0; i < vs->n; i++) {
        const srv_value_t *v = &vs->v[i];
        json_obj_t vo;
        if (i > 0)
            sb_putc(o->out, ',');
        json_string(o->out, path_str(&v->path, pbuf, sizeof(pbuf)));
        sb_putc(o->out, ':');
        json_begin(&vo, o->out);
        json_kv_str(&vo, "name", path_name(&v->path));
        json_kv_str(&vo, "type", type_name(v->type));
        json_key(&vo, "value");
        value_json(o->out, v);
        if (v->guessed)
            json_kv_bool(&vo, "guessed", true);
        if (v->error != NULL) {
            strbuf_t hex;
            sb_init(&hex);
            sb_hex(&hex, v->data, v->len);
            json_kv_str(&vo, "error", v->error);
            json_kv_str(&vo, "raw", hex.s ? hex.s : "");
            sb_free(&hex);
        }
        json_end(&vo);
    }
    sb_putc(o->out, '}');
    if (vs->error != NULL)
        json_kv_str(o, "error", vs->error);
}

static void human_links_payload(strbuf_t *b, const uint8_t *data, size_t len)
{
    srv_links_t links;
    links_parse((const char *)data, len, &links);
    for (size_t i = 0; i < links.n; i++) {
        const srv_link_t *l = &links.v[i];
        sb_printf(b, "\n  <%s>", l->uri);
        for (size_t k = 0; k < l->n_attrs; k++) {
            sb_printf(b, ";%s", l->attrs[k].name);
            if (l->attrs[k].value != NULL)
                sb_printf(b, "=%s", l->attrs[k].value);
        }
    }
    if (links.error != NULL)
        sb_printf(b, "\n  ! malformed payload: %s", links.error);
    links_free(&links);
}

static void json_links_payload(json_obj_t *o, const uint8_t *data, size_t len)
{
    srv_links_t links;
    links_parse((const char *)data, len, &links);
    json_key(o, "links");
    sb_putc(o->out, '[');
    for (size_t i = 0; i < links.n; i++) {
        const srv_link_t *l = &links.v[i];
        json_obj_t lo, ao;
        if (i > 0)
            sb_putc(o->out, ',');
        json_begin(&lo, o->out);
        json_kv_str(&lo, "path", l->uri);
        json_key(&lo, "attrs");
        json_begin(&ao, o->out);
        for (size_t k = 0; k < l->n_attrs; k++) {
            json_key(&ao, l->attrs[k].name);
            if (l->attrs[k].value != NULL)
                json_string(o->out, l->attrs[k].value);
            else
                sb_puts(o->out, "true");
        }
        json_end(&ao);
        json_end(&lo);
    }
    sb_putc(o->out, ']');
    if (links.error != NULL)
        json_kv_str(o, "error", links.error);
    links_free(&links);
}

static bool decodable(int cf)
{
    return cf == CF_TEXT || cf == CF_OPAQUE || cf == CF_TLV || cf == CF_NONE;
}

static void describe_format(strbuf_t *b, int cf, size_t len)
{
    const char *name = format_name(cf);
    if (cf == CF_NONE)
        sb_printf(b, " (no content format, %zu bytes)", len);
    else if (name != NULL)
        sb_printf(b, " (%s, %zu bytes)", name, len);
    else
        sb_printf(b, " (content format %d, %zu bytes)", cf, len);
}

/* The body of a response or notification, after its first line / keys. */
static void payload_human(strbuf_t *b, int cf, const uint8_t *data, size_t len,
                          const srv_values_t *vs)
{
    if (len == 0 && vs->n == 0)
        return;
    describe_format(b, cf, len);
    if (cf == CF_LINK) {
        human_links_payload(b, data, len);
    } else if (decodable(cf)) {
        human_values(b, vs);
    } else if (is_text(data, len)) {
        if (cf == CF_SENML_JSON || cf == CF_LWM2M_JSON)
            sb_puts(b, "\n  (JSON is shown as sent; tern-server does not decode it yet)");
        sb_puts(b, "\n  ");
        sb_append(b, data, len);
    } else {
        sb_puts(b, "\n  hex:");
        sb_hex(b, data, len);
    }
}

static void payload_json(json_obj_t *o, int cf, const uint8_t *data, size_t len,
                         const srv_values_t *vs)
{
    if (cf == CF_NONE && len == 0)
        return;
    if (cf != CF_NONE)
        json_kv_int(o, "content_format", cf);
    json_kv_str(o, "format", format_name(cf));
    if (len == 0)
        return;
    if (cf == CF_LINK) {
        json_links_payload(o, data, len);
    } else if (decodable(cf)) {
        json_values(o, vs);
    } else {
        strbuf_t hex;
        sb_init(&hex);
        sb_hex(&hex, data, len);
        json_kv_str(o, "raw", hex.s);
        sb_free(&hex);
        if (is_text(data, len)) {
            json_key(o, "text");
            json_string_n(o->out, (const char *)data, len);
        }
    }
}

void out_response(srv_t *srv, const srv_request_t *req, const srv_values_t *values)
{
    strbuf_t b;
    json_obj_t o;
    char pbuf[40], cbuf[8];
    path_str(&req->path, pbuf, sizeof(pbuf));
    if (srv->out.json) {
        json_head(&o, &b, "response");
        json_kv_str(&o, "op", req->op);
        json_kv_str(&o, "ep", req->ep);
        json_kv_str(&o, "path", pbuf);
        if (req->state != REQ_DONE) {
            json_key(&o, "code");
            sb_puts(&b, "null");
            json_kv_str(&o, "error", req->error);
            json_kv_bool(&o, "timeout", req->timed_out);
        } else {
            json_kv_str(&o, "code", code_format(req->code, cbuf));
            if (req->observe_seq >= 0)
                json_kv_int(&o, "observe", req->observe_seq);
            if (req->location != NULL)
                json_kv_str(&o, "location", req->location);
            payload_json(&o, req->content_format, req->payload, req->len, values);
        }
        json_end(&o);
        emit(&b);
        return;
    }
    sb_init(&b);
    sb_printf(&b, "%s %s %s: ", req->op, req->ep, pbuf);
    if (req->state != REQ_DONE) {
        sb_puts(&b, req->error ? req->error : "failed");
        emit(&b);
        return;
    }
    sb_printf(&b, "%s %s", code_format(req->code, cbuf), code_phrase(req->code));
    if (req->location != NULL)
        sb_printf(&b, ", location %s", req->location);
    if (req->observe_seq >= 0)
        sb_printf(&b, ", observe %d", req->observe_seq);
    if (req->code >> 5 != 2 && req->len > 0 && is_text(req->payload, req->len)) {
        sb_puts(&b, ": ");
        sb_append(&b, req->payload, req->len); /* diagnostic payload */
    } else {
        payload_human(&b, req->content_format, req->payload, req->len, values);
    }
    emit(&b);
}

void out_notification(srv_t *srv, const srv_observation_t *obs, const srv_notification_t *n,
                      const uint8_t *payload, size_t len)
{
    strbuf_t b;
    json_obj_t o;
    char pbuf[40], cbuf[8];
    if (srv->out.quiet)
        return;
    path_str(&obs->path, pbuf, sizeof(pbuf));
    if (srv->out.json) {
        json_head(&o, &b, "notification");
        json_kv_str(&o, "ep", obs->ep);
        json_kv_str(&o, "path", pbuf);
        json_kv_str(&o, "code", code_format(n->code, cbuf));
        if (n->observe_seq >= 0)
            json_kv_int(&o, "observe", n->observe_seq);
        payload_json(&o, n->content_format, payload, len, &n->values);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "notification %s %s: %s %s", obs->ep, pbuf, code_format(n->code, cbuf),
                  code_phrase(n->code));
        if (n->observe_seq >= 0)
            sb_printf(&b, ", observe %d", n->observe_seq);
        payload_human(&b, n->content_format, payload, len, &n->values);
    }
    emit(&b);
}

void out_observation_ended(srv_t *srv, const srv_observation_t *obs, const char *why)
{
    strbuf_t b;
    json_obj_t o;
    char pbuf[40];
    if (srv->out.quiet)
        return;
    path_str(&obs->path, pbuf, sizeof(pbuf));
    if (srv->out.json) {
        json_head(&o, &b, "observation-ended");
        json_kv_str(&o, "ep", obs->ep);
        json_kv_str(&o, "path", pbuf);
        json_kv_str(&o, "reason", why);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_printf(&b, "observation of %s %s ended: %s", obs->ep, pbuf, why);
    }
    emit(&b);
}

void out_error(srv_t *srv, int line, const char *command, const char *message)
{
    if (srv->out.json) {
        strbuf_t b;
        json_obj_t o;
        json_head(&o, &b, "error");
        if (line > 0)
            json_kv_int(&o, "line", line);
        if (command != NULL)
            json_kv_str(&o, "command", command);
        json_kv_str(&o, "message", message);
        json_end(&o);
        emit(&b);
        return;
    }
    fflush(stdout);
    if (line > 0)
        fprintf(stderr, "error: line %d: %s: %s\n", line, command ? command : "", message);
    else if (command != NULL)
        fprintf(stderr, "error: %s: %s\n", command, message);
    else
        fprintf(stderr, "error: %s\n", message);
    fflush(stderr);
}

void out_echo(srv_t *srv, const char *text)
{
    strbuf_t b;
    json_obj_t o;
    if (srv->out.json) {
        json_head(&o, &b, "echo");
        json_kv_str(&o, "text", text);
        json_end(&o);
    } else {
        sb_init(&b);
        sb_puts(&b, text);
    }
    emit(&b);
}

void out_libcoap_log(const char *message)
{
    fflush(stdout);
    fprintf(stderr, "libcoap: %s", message);
    size_t n = strlen(message);
    if (n == 0 || message[n - 1] != '\n')
        fputc('\n', stderr);
    fflush(stderr);
}
