/* CoRE Link Format parser (see linkfmt.h). */
#include "linkfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct cursor {
    const char *s;
    size_t len, pos;
} cursor_t;

static void skip_ws(cursor_t *c)
{
    while (c->pos < c->len
           && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' || c->s[c->pos] == '\r'
               || c->s[c->pos] == '\n'))
        c->pos++;
}

static int peek(const cursor_t *c)
{
    return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static int fail(srv_links_t *links, const cursor_t *c, const char *what)
{
    if (links->error == NULL) {
        strbuf_t b;
        sb_init(&b);
        sb_printf(&b, "link format: %s at byte %zu", what, c->pos);
        links->error = sb_take(&b);
    }
    return -1;
}

static srv_link_t *add_link(srv_links_t *links)
{
    links->v = xrealloc(links->v, (links->n + 1) * sizeof(links->v[0]));
    srv_link_t *l = &links->v[links->n++];
    memset(l, 0, sizeof(*l));
    return l;
}

static int parse_param(srv_links_t *links, cursor_t *c, srv_link_t *l)
{
    size_t start = c->pos;
    while (c->pos < c->len && strchr(";,= \t\r\n\"", c->s[c->pos]) == NULL)
        c->pos++;
    if (c->pos == start)
        return fail(links, c, "empty attribute name");
    l->attrs = xrealloc(l->attrs, (l->n_attrs + 1) * sizeof(l->attrs[0]));
    link_attr_t *a = &l->attrs[l->n_attrs++];
    a->name = xstrndup(c->s + start, c->pos - start);
    a->value = NULL;
    skip_ws(c);
    if (peek(c) != '=')
        return 0;
    c->pos++;
    skip_ws(c);
    strbuf_t v;
    sb_init(&v);
    if (peek(c) == '"') {
        c->pos++;
        while (c->pos < c->len && c->s[c->pos] != '"') {
            if (c->s[c->pos] == '\\' && c->pos + 1 < c->len)
                c->pos++;
            sb_putc(&v, c->s[c->pos++]);
        }
        if (peek(c) != '"') {
            sb_free(&v);
            return fail(links, c, "unterminated quoted string");
        }
        c->pos++;
    } else {
        size_t vs = c->pos;
        while (c->pos < c->len && strchr(";, \t\r\n", c->s[c->pos]) == NULL)
            c->pos++;
        sb_append(&v, c->s + vs, c->pos - vs);
    }
    a->value = sb_take(&v);
    return 0;
}

int links_parse(const char *text, size_t len, srv_links_t *links)
{
    memset(links, 0, sizeof(*links));
    cursor_t c = { text, len, 0 };
    skip_ws(&c);
    if (c.pos == c.len)
        return 0;
    for (;;) {
        skip_ws(&c);
        if (peek(&c) != '<')
            return fail(links, &c, "expected '<'");
        c.pos++;
        size_t start = c.pos;
        while (c.pos < c.len && c.s[c.pos] != '>')
            c.pos++;
        if (peek(&c) != '>')
            return fail(links, &c, "unterminated '<'");
        srv_link_t *l = add_link(links);
        l->uri = xstrndup(c.s + start, c.pos - start);
        c.pos++;
        skip_ws(&c);
        while (peek(&c) == ';') {
            c.pos++;
            skip_ws(&c);
            if (parse_param(links, &c, l) != 0)
                return -1;
            skip_ws(&c);
        }
        if (c.pos == c.len)
            return 0;
        if (peek(&c) != ',')
            return fail(links, &c, "expected ',' or ';'");
        c.pos++;
    }
}

void links_free(srv_links_t *links)
{
    for (size_t i = 0; i < links->n; i++) {
        for (size_t k = 0; k < links->v[i].n_attrs; k++) {
            free(links->v[i].attrs[k].name);
            free(links->v[i].attrs[k].value);
        }
        free(links->v[i].attrs);
        free(links->v[i].uri);
    }
    free(links->v);
    free(links->error);
    memset(links, 0, sizeof(*links));
}

const char *link_attr(const srv_link_t *l, const char *name)
{
    for (size_t k = 0; k < l->n_attrs; k++)
        if (strcmp(l->attrs[k].name, name) == 0)
            return l->attrs[k].value;
    return NULL;
}
