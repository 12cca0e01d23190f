/* Request payloads from command arguments (see encode.h). */
#define _GNU_SOURCE
#include "encode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlv.h"

/* Parses "RID=VALUE" or "RID/RIID=VALUE". */
typedef struct assignment {
    uint16_t rid;
    int riid; /* -1 when absent */
    const char *value;
    bool quoted;
} assignment_t;

static bool parse_id(const char *s, size_t n, uint16_t *out)
{
    unsigned long v = 0;
    if (n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > SRV_MAX_ID)
        return false;
    *out = (uint16_t)v;
    return true;
}

static bool parse_assignment(const srv_arg_t *arg, assignment_t *a, char *err, size_t errlen)
{
    const char *eq = strchr(arg->text, '=');
    if (eq == NULL || (arg->quote_at >= 0 && arg->quote_at < eq - arg->text)) {
        snprintf(err, errlen, "'%s': expected RID=VALUE or RID/RIID=VALUE", arg->text);
        return false;
    }
    const char *slash = memchr(arg->text, '/', (size_t)(eq - arg->text));
    const char *id_end = slash ? slash : eq;
    uint16_t riid;
    a->riid = -1;
    if (!parse_id(arg->text, (size_t)(id_end - arg->text), &a->rid)
        || (slash && !parse_id(slash + 1, (size_t)(eq - slash - 1), &riid))) {
        snprintf(err, errlen, "'%s': bad resource id before '='", arg->text);
        return false;
    }
    if (slash)
        a->riid = riid;
    a->value = eq + 1;
    a->quoted = arg->quote_at >= 0;
    return true;
}

static bool parse_typed(const srv_path_t *p, const char *text, bool quoted, srv_value_t *v,
                        char *err, size_t errlen)
{
    char why[160];
    char pbuf[40];
    srv_type_t t = path_type(p);
    if (t == SRV_T_EXEC) {
        snprintf(err, errlen, "%s is executable: use exec, not a value",
                 path_format(p, pbuf, sizeof(pbuf)));
        return false;
    }
    if (!value_parse(text, quoted, t, v, why, sizeof(why))) {
        snprintf(err, errlen, "%s: %s", path_format(p, pbuf, sizeof(pbuf)), why);
        return false;
    }
    return true;
}

static bool tlv_value_record(strbuf_t *out, tlv_type_t type, const srv_path_t *p, const char *text,
                             bool quoted, char *err, size_t errlen)
{
    srv_value_t v;
    if (!parse_typed(p, text, quoted, &v, err, errlen))
        return false;
    strbuf_t raw;
    sb_init(&raw);
    value_encode_tlv(&v, &raw);
    tlv_write(out, type, p->id[p->depth - 1], raw.s ? raw.s : "", raw.len);
    sb_free(&raw);
    value_free(&v);
    return true;
}

static int cmp_assignment(const void *a, const void *b)
{
    const assignment_t *x = a, *y = b;
    if (x->rid != y->rid)
        return x->rid < y->rid ? -1 : 1;
    return x->riid < y->riid ? -1 : x->riid > y->riid;
}

/* Items for one object instance as TLV resource records. */
static bool resources_tlv(const srv_path_t *inst, assignment_t *as, int n, strbuf_t *out, char *err,
                          size_t errlen)
{
    qsort(as, (size_t)n, sizeof(as[0]), cmp_assignment);
    for (int i = 0; i < n;) {
        int j = i;
        bool multi = false;
        while (j < n && as[j].rid == as[i].rid) {
            multi = multi || as[j].riid >= 0;
            j++;
        }
        srv_path_t rp = path_child(inst, as[i].rid);
        if (!multi) {
            if (j - i > 1) {
                snprintf(err, errlen, "resource %u given twice", (unsigned)as[i].rid);
                return false;
            }
            if (!tlv_value_record(out, TLV_RESOURCE, &rp, as[i].value, as[i].quoted, err, errlen))
                return false;
        } else {
            strbuf_t inner;
            sb_init(&inner);
            for (int k = i; k < j; k++) {
                if (as[k].riid < 0 || (k > i && as[k].riid == as[k - 1].riid)) {
                    snprintf(err, errlen, "resource %u: mixed or repeated instances",
                             (unsigned)as[i].rid);
                    sb_free(&inner);
                    return false;
                }
                srv_path_t ip = path_child(&rp, (uint16_t)as[k].riid);
                if (!tlv_value_record(&inner, TLV_RESOURCE_INSTANCE, &ip, as[k].value, as[k].quoted,
                                      err, errlen)) {
                    sb_free(&inner);
                    return false;
                }
            }
            tlv_write(out, TLV_MULTIPLE_RESOURCE, as[i].rid, inner.s, inner.len);
            sb_free(&inner);
        }
        i = j;
    }
    return true;
}

bool encode_resources(const srv_path_t *inst, const srv_arg_t *args, int n, bool wrap,
                      strbuf_t *out, char *err, size_t errlen)
{
    assignment_t *as = xcalloc((size_t)(n ? n : 1), sizeof(*as));
    bool ok = true;
    for (int i = 0; ok && i < n; i++)
        ok = parse_assignment(&args[i], &as[i], err, errlen);
    if (ok && !wrap) {
        ok = resources_tlv(inst, as, n, out, err, errlen);
    } else if (ok) {
        strbuf_t inner;
        sb_init(&inner);
        ok = resources_tlv(inst, as, n, &inner, err, errlen);
        if (ok)
            tlv_write(out, TLV_OBJECT_INSTANCE, inst->id[1], inner.s, inner.len);
        sb_free(&inner);
    }
    free(as);
    return ok;
}

/* A multiple resource written as RIID=VALUE items. */
static bool write_multiple(const srv_path_t *path, const srv_arg_t *args, int n, strbuf_t *out,
                           char *err, size_t errlen)
{
    /* reuse the instance encoder with RID/RIID items */
    srv_arg_t *items = xcalloc((size_t)n, sizeof(*items));
    bool ok = true;
    srv_path_t inst = *path;
    inst.depth = 2;
    for (int i = 0; i < n; i++) {
        strbuf_t b;
        sb_init(&b);
        sb_printf(&b, "%u/%s", (unsigned)path->id[2], args[i].text);
        items[i].text = sb_take(&b);
        int shift = (int)strlen(items[i].text) - (int)strlen(args[i].text);
        items[i].quote_at = args[i].quote_at >= 0 ? args[i].quote_at + shift : -1;
        if (strchr(args[i].text, '=') == NULL) {
            snprintf(err, errlen, "'%s': a multiple resource takes RIID=VALUE items", args[i].text);
            ok = false;
        }
    }
    if (ok)
        ok = encode_resources(&inst, items, n, false, out, err, errlen);
    for (int i = 0; i < n; i++)
        free(items[i].text);
    free(items);
    return ok;
}

bool encode_write(const srv_path_t *path, const srv_arg_t *args, int n, int *cf, strbuf_t *out,
                  char *err, size_t errlen)
{
    if (path->depth < 2) {
        snprintf(err, errlen, "write needs /O/I, /O/I/R or /O/I/R/RI");
        return false;
    }
    if (n == 0) {
        snprintf(err, errlen, "write needs a value");
        return false;
    }
    if (path->depth == 2) {
        if (*cf != CF_NONE && *cf != CF_TLV) {
            snprintf(err, errlen, "writing an object instance needs TLV");
            return false;
        }
        *cf = CF_TLV;
        return encode_resources(path, args, n, false, out, err, errlen);
    }
    const srv_resource_desc_t *d = objects_resource(path->id[0], path->id[2]);
    bool multiple = path->depth == 3 && (n > 1 || (d != NULL && d->multiple));
    if (multiple) {
        if (*cf != CF_NONE && *cf != CF_TLV) {
            snprintf(err, errlen, "writing a multiple resource needs TLV");
            return false;
        }
        *cf = CF_TLV;
        return write_multiple(path, args, n, out, err, errlen);
    }
    srv_value_t v;
    if (*cf == CF_OPAQUE) {
        /* opaque bytes whatever the resource's type: hex:... or the text */
        if (!value_parse(args[0].text, false, SRV_T_OPAQUE, &v, err, errlen))
            return false;
    } else if (!parse_typed(path, args[0].text, args[0].quote_at >= 0, &v, err, errlen)) {
        return false;
    }
    if (*cf == CF_NONE)
        *cf = v.type == SRV_T_OPAQUE ? CF_OPAQUE : CF_TEXT;
    bool ok = true;
    if (*cf == CF_TEXT) {
        ok = value_encode_text(&v, out, err, errlen);
    } else if (*cf == CF_OPAQUE) {
        if (v.type == SRV_T_OPAQUE || v.type == SRV_T_STRING) {
            sb_append(out, v.data, v.len);
        } else {
            snprintf(err, errlen, "opaque format takes hex:... or a string, not a %s",
                     type_name(v.type));
            ok = false;
        }
    } else if (*cf == CF_TLV) {
        strbuf_t raw;
        sb_init(&raw);
        value_encode_tlv(&v, &raw);
        tlv_write(out, path->depth == 3 ? TLV_RESOURCE : TLV_RESOURCE_INSTANCE,
                  path->id[path->depth - 1], raw.s ? raw.s : "", raw.len);
        sb_free(&raw);
    } else {
        snprintf(err, errlen,
                 "tern-server cannot encode content format %d yet (use text, "
                 "opaque or tlv)",
                 *cf);
        ok = false;
    }
    value_free(&v);
    return ok;
}

static bool attr_value_ok(const char *name, const char *v)
{
    char *end;
    errno = 0;
    bool integer = strcmp(name, "pmin") == 0 || strcmp(name, "pmax") == 0
                   || strcmp(name, "epmin") == 0 || strcmp(name, "epmax") == 0;
    if (integer) {
        long long x = strtoll(v, &end, 10);
        return *v != '\0' && *end == '\0' && errno == 0 && x >= 0;
    }
    strtod(v, &end);
    return *v != '\0' && *end == '\0' && errno == 0;
}

bool encode_attributes(const srv_arg_t *args, int n, char ***query, char *err, size_t errlen)
{
    static const char *const names[] = { "pmin", "pmax", "gt", "lt", "st", "epmin", "epmax", NULL };
    char **q = xcalloc((size_t)n + 1, sizeof(*q));
    for (int i = 0; i < n; i++) {
        const char *a = args[i].text;
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        bool known = false;
        for (int k = 0; names[k] != NULL; k++)
            known = known || (strlen(names[k]) == nlen && strncmp(names[k], a, nlen) == 0);
        if (!known) {
            snprintf(err, errlen, "'%s': attributes are pmin, pmax, gt, lt, st, epmin, epmax", a);
            encode_free_query(q);
            return false;
        }
        if (eq != NULL) {
            char name[8];
            memcpy(name, a, nlen);
            name[nlen] = '\0';
            if (!attr_value_ok(name, eq + 1)) {
                snprintf(err, errlen, "'%s': bad value for %s", a, name);
                encode_free_query(q);
                return false;
            }
        }
        q[i] = xstrdup(a);
    }
    *query = q;
    return true;
}

void encode_free_query(char **query)
{
    if (query == NULL)
        return;
    for (char **p = query; *p != NULL; p++)
        free(*p);
    free(query);
}
