/*
 * Write-Attributes (OMA LwM2M 1.0 TS 5.4.4, 5.1.2): pmin, pmax, gt, lt
 * and st per server and path, a name without a value removing it.
 * Attributes on an object apply to its instances and resources unless
 * these set their own.
 */
#include <string.h>

#include "core/fixed.h"
#include "core/log.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_OBSERVE

static bool same_path(const tern_path_t *a, const tern_path_t *b)
{
    return a->len == b->len && tern_path_is_prefix(a, b);
}

const tern_attrs_t *tern_attrs_find(const tern_client_t *c, int server, const tern_path_t *path)
{
    for (size_t i = 0; i < TERN_MAX_ATTRS; i++) {
        const tern_attrs_t *a = &c->attrs[i];
        if (a->used && a->server == server && same_path(&a->path, path))
            return a;
    }
    return NULL;
}

void tern_attrs_effective(const tern_client_t *c, int server, const tern_path_t *path,
                          tern_attrs_t *out)
{
    memset(out, 0, sizeof(*out));
    out->path = *path;
    tern_path_t prefix = *path;
    for (uint8_t len = 1; len <= path->len; len++) {
        prefix.len = len;
        const tern_attrs_t *a = tern_attrs_find(c, server, &prefix);
        if (a == NULL)
            continue;
        if (a->set & TERN_ATTR_PMIN)
            out->pmin_s = a->pmin_s;
        if (a->set & TERN_ATTR_PMAX)
            out->pmax_s = a->pmax_s;
        if (a->set & TERN_ATTR_GT)
            out->gt = a->gt;
        if (a->set & TERN_ATTR_LT)
            out->lt = a->lt;
        if (a->set & TERN_ATTR_ST)
            out->st = a->st;
        out->set |= a->set;
    }
}

static const char NAMES[][5] = { "pmin", "pmax", "gt", "lt", "st" };

/* Applies one "name[=value]" query to *a. Returns 0 or -4.00. */
static int apply_query(tern_attrs_t *a, const uint8_t *q, size_t len)
{
    const uint8_t *eq = memchr(q, '=', len);
    size_t name_len = eq != NULL ? (size_t)(eq - q) : len;
    const char *value = eq != NULL ? (const char *)eq + 1 : NULL;
    size_t value_len = eq != NULL ? len - name_len - 1 : 0;
    for (uint8_t i = 0; i < 5; i++) {
        uint8_t bit = (uint8_t)(1u << i);
        if (strlen(NAMES[i]) != name_len || memcmp(NAMES[i], q, name_len) != 0)
            continue;
        if (value == NULL) {
            a->set &= (uint8_t)~bit; /* TS 5.4.4: no value removes the attribute */
            return 0;
        }
        if (bit & (TERN_ATTR_PMIN | TERN_ATTR_PMAX)) {
            uint64_t u;
            if (tern_text_to_uint(value, value_len, &u) != 0 || u > UINT32_MAX)
                return -TERN_COAP_BAD_REQUEST;
            *(bit == TERN_ATTR_PMIN ? &a->pmin_s : &a->pmax_s) = (uint32_t)u;
        } else {
            tern_float_t f;
            if (tern_text_to_float(value, value_len, &f) != 0)
                return -TERN_COAP_BAD_REQUEST;
            *(bit == TERN_ATTR_GT ? &a->gt : bit == TERN_ATTR_LT ? &a->lt : &a->st) = f;
            if (bit == TERN_ATTR_ST && tern_fixed_from_float(f) < 0)
                return -TERN_COAP_BAD_REQUEST;
        }
        a->set |= bit;
        return 0;
    }
    return -TERN_COAP_BAD_REQUEST; /* unknown or read-only attribute (dim) */
}

static bool numeric(const tern_res_def_t *res)
{
    return res != NULL
           && (res->type == TERN_TYPE_INTEGER || res->type == TERN_TYPE_FLOAT
               || res->type == TERN_TYPE_UNSIGNED || res->type == TERN_TYPE_TIME);
}

/* TS 5.1.2: gt, lt, st only on numeric resources; lt < gt and lt + 2st < gt. */
static int validate(const tern_attrs_t *a, const tern_res_def_t *res)
{
    if ((a->set & (TERN_ATTR_GT | TERN_ATTR_LT | TERN_ATTR_ST)) && !numeric(res))
        return -TERN_COAP_BAD_REQUEST;
    if ((a->set & TERN_ATTR_PMIN) && (a->set & TERN_ATTR_PMAX) && a->pmax_s < a->pmin_s)
        return -TERN_COAP_BAD_REQUEST;
    if ((a->set & TERN_ATTR_GT) && (a->set & TERN_ATTR_LT)) {
        /* in fixed point: no soft-float on FPU-less cores; sums stay in range */
        tern_fixed_t st = (a->set & TERN_ATTR_ST) ? tern_fixed_from_float(a->st) : 0;
        if (!(tern_fixed_from_float(a->lt) + st + st < tern_fixed_from_float(a->gt)))
            return -TERN_COAP_BAD_REQUEST;
    }
    return 0;
}

int tern_attrs_write(tern_request_t *req)
{
    tern_client_t *c = req->client;
    tern_object_t *obj;
    const tern_res_def_t *res;
    int rc = tern_dm_resolve(c, &req->path, &obj, &res);
    if (rc != 0)
        return rc;
    tern_attrs_t *slot = (tern_attrs_t *)tern_attrs_find(c, req->server, &req->path);
    tern_attrs_t next;
    if (slot != NULL) {
        next = *slot;
    } else {
        memset(&next, 0, sizeof(next));
        next.path = req->path;
        next.server = (uint8_t)req->server;
    }
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    tern_coap_opt_iter_init(&it, req->msg);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number == TERN_COAP_OPT_URI_QUERY && (rc = apply_query(&next, opt.value, opt.len)))
            return rc;
    }
    if ((rc = validate(&next, res)) != 0)
        return rc;
    if (slot == NULL && next.set != 0) {
        for (size_t i = 0; i < TERN_MAX_ATTRS && slot == NULL; i++) {
            if (!c->attrs[i].used)
                slot = &c->attrs[i];
        }
        if (slot == NULL) {
            TERN_LOG_W(c->port, "lwm2m: all %u attribute slots in use", TERN_MAX_ATTRS);
            return -TERN_COAP_INTERNAL_SERVER_ERROR;
        }
    }
    if (slot != NULL) {
        *slot = next;
        slot->used = next.set != 0;
    }
    tern_respond_code(req, TERN_COAP_CHANGED);
    return 0;
}

void tern_attrs_drop_server(tern_client_t *c, int server)
{
    for (size_t i = 0; i < TERN_MAX_ATTRS; i++) {
        if (c->attrs[i].server == server)
            c->attrs[i].used = 0;
    }
}

void tern_attrs_drop_path(tern_client_t *c, const tern_path_t *path)
{
    for (size_t i = 0; i < TERN_MAX_ATTRS; i++) {
        if (tern_path_is_prefix(path, &c->attrs[i].path))
            c->attrs[i].used = 0;
    }
}

#endif /* TERN_WITH_OBSERVE */
