/*
 * Write-Attributes (OMA LwM2M 1.0 TS 5.4.4, 5.1.2): pmin, pmax, gt, lt
 * and st per server and path, a name without a value removing it.
 * Attributes on an object apply to its instances and resources unless
 * these set their own.
 */
#include <stddef.h>
#include <string.h>

#include "core/fixed.h"
#include "core/log.h"
#include "format/numtext.h"
#include "lwm2m/lwm2m.h"

#if TERN_WITH_OBSERVE

/* The attributes at level len of path (a slot whose `set` is 0 is free). */
static const tern_attrs_t *at_level(const tern_client_t *c, int server, const tern_path_t *path,
                                    uint8_t len)
{
    for (const tern_attrs_t *a = c->attrs; a < c->attrs + TERN_MAX_ATTRS; a++) {
        if (a->set != 0 && a->server == server && a->path.len == len
            && tern_path_is_prefix(&a->path, path))
            return a;
    }
    return NULL;
}

const tern_attrs_t *tern_attrs_find(const tern_client_t *c, int server, const tern_path_t *path)
{
    return at_level(c, server, path, path->len);
}

/* The attributes in the order of the TERN_ATTR_* bits: pmin and pmax
 * are uint32_t, the others tern_float_t. */
static const char NAMES[][5] = { "pmin", "pmax", "gt", "lt", "st" };
static const uint8_t FIELDS[] = { offsetof(tern_attrs_t, pmin_s), offsetof(tern_attrs_t, pmax_s),
                                  offsetof(tern_attrs_t, gt), offsetof(tern_attrs_t, lt),
                                  offsetof(tern_attrs_t, st) };
#define FIELD_SIZE(i) ((i) < 2 ? sizeof(uint32_t) : sizeof(tern_float_t))

/* pmin and pmax are integers, gt, lt and st numbers. */
void tern_attrs_link(tern_link_writer_t *lw, const tern_attrs_t *a)
{
    for (unsigned i = 0; a != NULL && i < 5; i++) {
        if (!(a->set & (1u << i)))
            continue;
        const uint8_t *field = (const uint8_t *)a + FIELDS[i];
        uint32_t u;
        tern_float_t f;
        if (i < 2) {
            memcpy(&u, field, sizeof(u));
            tern_link_attr_uint(lw, NAMES[i], u);
        } else {
            memcpy(&f, field, sizeof(f));
            tern_link_attr_float(lw, NAMES[i], f);
        }
    }
}

/* Only the fields named in out->set are written; the others keep what
 * the caller put there. */
void tern_attrs_effective(const tern_client_t *c, int server, const tern_path_t *path,
                          tern_attrs_t *out)
{
    out->set = 0;
    /* each level overrides the one above: the object's, the instance's, ... */
    for (uint8_t len = 1; len <= path->len; len++) {
        const tern_attrs_t *a = at_level(c, server, path, len);
        if (a == NULL)
            continue;
        for (uint8_t i = 0; i < 5; i++) {
            if (a->set & (1u << i))
                memcpy((uint8_t *)out + FIELDS[i], (const uint8_t *)a + FIELDS[i], FIELD_SIZE(i));
        }
        out->set |= a->set;
    }
}

/* Applies one "name[=value]" query to *a. Returns 0 or -4.00. */
static int apply_query(tern_attrs_t *a, const uint8_t *q, size_t len)
{
    const uint8_t *eq = memchr(q, '=', len);
    size_t name_len = eq != NULL ? (size_t)(eq - q) : len;
    /* every name fits 4 bytes: compared as one word, zero-padded as NAMES */
    uint32_t key = 0;
    if (name_len > 4)
        return -TERN_COAP_BAD_REQUEST;
    memcpy(&key, q, name_len);
    for (unsigned i = 0; i < 5; i++) {
        uint8_t bit = (uint8_t)(1u << i);
        uint32_t name;
        memcpy(&name, NAMES[i], sizeof(name));
        if (key != name)
            continue;
        if (eq == NULL) {
            a->set &= (uint8_t)~bit; /* TS 5.4.4: no value removes the attribute */
            return 0;
        }
        const char *value = (const char *)eq + 1;
        size_t value_len = len - name_len - 1;
        union {
            uint64_t u;
            uint32_t u32;
            tern_float_t f;
        } v;
        if (i < 2) {
            if (tern_text_to_uint(value, value_len, &v.u) != 0 || (v.u >> 32) != 0)
                return -TERN_COAP_BAD_REQUEST;
            v.u32 = (uint32_t)v.u;
        } else if (tern_text_to_float(value, value_len, &v.f) != 0) {
            return -TERN_COAP_BAD_REQUEST;
        }
        memcpy((uint8_t *)a + FIELDS[i], &v, FIELD_SIZE(i));
        a->set |= bit;
        return 0;
    }
    return -TERN_COAP_BAD_REQUEST; /* unknown or read-only attribute (dim) */
}

#define NUMERIC_TYPES                                                                              \
    ((1u << TERN_TYPE_INTEGER) | (1u << TERN_TYPE_FLOAT) | (1u << TERN_TYPE_UNSIGNED)              \
     | (1u << TERN_TYPE_TIME))

/* TS 5.1.2: gt, lt, st only on numeric resources; st >= 0, pmin <= pmax,
 * lt < gt and lt + 2st < gt. In fixed point: no soft-float on FPU-less
 * cores; the sums stay in range. */
static bool valid(const tern_attrs_t *a, const tern_res_def_t *res)
{
    uint8_t set = a->set;
    tern_fixed_t st = (set & TERN_ATTR_ST) ? tern_fixed_from_float(a->st) : 0;
    if ((set & (TERN_ATTR_GT | TERN_ATTR_LT | TERN_ATTR_ST))
        && (res == NULL || !((1u << res->type) & NUMERIC_TYPES)))
        return false;
    if ((set & TERN_ATTR_PMIN) && (set & TERN_ATTR_PMAX) && a->pmax_s < a->pmin_s)
        return false;
    if ((set & TERN_ATTR_GT) && (set & TERN_ATTR_LT)
        && !(tern_fixed_from_float(a->lt) + st + st < tern_fixed_from_float(a->gt)))
        return false;
    return st >= 0;
}

int tern_attrs_write(tern_request_t *req)
{
    tern_client_t *c = req->client;
    int rc = req->resolved;
    if (rc != 0)
        return rc;
    tern_attrs_t *slot = (tern_attrs_t *)tern_attrs_find(c, req->server, &req->path);
    tern_attrs_t next; /* fields not in `set` are never read */
    if (slot != NULL)
        next = *slot;
    else
        next.set = 0;
    next.path = req->path;
    next.server = (uint8_t)req->server;
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    tern_coap_opt_iter_init(&it, req->msg);
    while (tern_coap_opt_next(&it, &opt)) {
        if (opt.number == TERN_COAP_OPT_URI_QUERY && (rc = apply_query(&next, opt.value, opt.len)))
            return rc;
    }
    if (!valid(&next, req->res))
        return -TERN_COAP_BAD_REQUEST;
    for (size_t i = 0; i < TERN_MAX_ATTRS && slot == NULL; i++) {
        if (c->attrs[i].set == 0)
            slot = &c->attrs[i];
    }
    /* with no attribute left, the slot is free again */
    if (slot != NULL) {
        *slot = next;
    } else if (next.set != 0) {
        TERN_LOG_W(c->port, "lwm2m: all %u attribute slots in use", TERN_MAX_ATTRS);
        return -TERN_COAP_INTERNAL_SERVER_ERROR;
    }
    return TERN_COAP_CHANGED;
}

void tern_attrs_drop_server(tern_client_t *c, int server)
{
    for (size_t i = 0; i < TERN_MAX_ATTRS; i++) {
        if (c->attrs[i].server == server)
            c->attrs[i].set = 0;
    }
}

#endif /* TERN_WITH_OBSERVE */
