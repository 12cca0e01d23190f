/*
 * CoRE link-format parser (RFC 6690 section 2), strict: it rejects what
 * the grammar does not produce rather than guessing, and never reads
 * outside [pos, end).
 *
 *   link-value = "<" URI-Reference ">" *( ";" link-param )
 *   link-param = parmname [ "*" ] [ "=" ( ptoken / quoted-string ) ]
 */
#include "format/format.h"

#include <string.h>

static bool in_set(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 3986 characters: unreserved, reserved and '%' */
static bool is_uri_char(char c)
{
    return is_alnum(c) || in_set(c, "-._~:/?#[]@!$&'()*+,;=%");
}

/* RFC 5987 parmname (attr-char minus '*', '\'' and '%') */
static bool is_name_char(char c)
{
    return is_alnum(c) || in_set(c, "!#$&+-.^_`|~");
}

/* RFC 5988 ptokenchar */
static bool is_ptoken_char(char c)
{
    return is_alnum(c) || in_set(c, "!#$%&'()*+-./:<=>?@[]^_`{|}~");
}

/*
 * Parses one ";name[=value]" at p. Returns the end of it, or NULL when it
 * is malformed. *value is NULL when there is none; quotes are not part
 * of it.
 */
static const char *parse_param(const char *p, const char *end, const char **name, size_t *name_len,
                               const char **value, size_t *value_len)
{
    const char *s = ++p; /* past ';' */
    while (p < end && is_name_char(*p))
        p++;
    if (p == s)
        return NULL;
    /* ext-name-star ("title*"): its RFC 5987 value is made of ptoken
     * characters and is not optional */
    bool star = p < end && *p == '*';
    p += star;
    *name = s;
    *name_len = (size_t)(p - s);
    *value = NULL;
    *value_len = 0;
    if (p == end || *p != '=')
        return star ? NULL : p;
    s = ++p;
    if (p < end && *p == '"') {
        s = ++p;
        for (; p < end && *p != '"'; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == '\\' && end - p > 1 && (unsigned char)p[1] < 0x80)
                p++; /* quoted-pair */
            else if (c < 0x20 || c == 0x7f || c == '\\')
                return NULL;
        }
        if (p == end)
            return NULL;
        *value = s;
        *value_len = (size_t)(p - s);
        return p + 1;
    }
    while (p < end && is_ptoken_char(*p))
        p++;
    if (p == s)
        return NULL;
    *value = s;
    *value_len = (size_t)(p - s);
    return p;
}

void tern_link_iter_init(tern_link_iter_t *it, const char *data, size_t len)
{
    it->pos = data;
    it->end = data != NULL ? data + len : data;
    it->error = false;
}

static int fail(tern_link_iter_t *it)
{
    it->error = true;
    return -TERN_COAP_BAD_REQUEST;
}

int tern_link_next(tern_link_iter_t *it, tern_link_t *link)
{
    const char *p = it->pos;
    const char *end = it->end;
    if (it->error)
        return -TERN_COAP_BAD_REQUEST;
    if (p == end)
        return 0;
    if (*p++ != '<')
        return fail(it);
    link->target = p;
    while (p < end && *p != '>') {
        if (!is_uri_char(*p++))
            return fail(it);
    }
    if (p == end)
        return fail(it);
    link->target_len = (size_t)(p - link->target);
    link->params = ++p;
    while (p < end && *p == ';') {
        const char *name;
        const char *value;
        size_t name_len;
        size_t value_len;
        p = parse_param(p, end, &name, &name_len, &value, &value_len);
        if (p == NULL)
            return fail(it);
    }
    link->params_len = (size_t)(p - link->params);
    if (p < end) {
        /* links are separated by ',', and one must follow it */
        if (*p != ',' || end - p < 2)
            return fail(it);
        p++;
    }
    it->pos = p;
    return 1;
}

int tern_link_param_next(const char **params, size_t *params_len, const char **name,
                         size_t *name_len, const char **value, size_t *value_len)
{
    const char *p = *params;
    if (*params_len == 0)
        return 0;
    const char *end = p + *params_len;
    if (*p != ';')
        return -TERN_COAP_BAD_REQUEST;
    p = parse_param(p, end, name, name_len, value, value_len);
    if (p == NULL)
        return -TERN_COAP_BAD_REQUEST;
    *params = p;
    *params_len = (size_t)(end - p);
    return 1;
}
