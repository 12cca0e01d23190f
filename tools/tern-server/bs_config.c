/* The --bootstrap configuration file (see bs_config.h). */
#define _GNU_SOURCE
#include "bs_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char bs_config_help[] =
    "Bootstrap configuration (--bootstrap FILE), one statement a line, # comments:\n"
    "  endpoint NAME   the following statements are for client NAME only\n"
    "  default         ... for every client without its own section (also\n"
    "                  what comes before the first endpoint/default line)\n"
    "  delete PATH     Bootstrap-Delete of /, /O or /O/I (in order, first)\n"
    "  server ssid=N uri=URI [lifetime=S] [binding=U] [storing=true|false]\n"
    "         [pmin=S] [pmax=S] [security=nosec|psk|rpk|cert] [identity=TEXT]\n"
    "         [key=HEX] [server-key=HEX] [security-id=N] [server-id=N]\n"
    "         [only=security|server]\n"
    "                  a server account: Security /0/N (0 URI, 1 Bootstrap-Server\n"
    "                  false, 2 mode, 3 identity, 4 server key, 5 key, 10 SSID)\n"
    "                  and Server /1/N (0 SSID, 1 lifetime, 2/3 pmin/pmax if\n"
    "                  given, 6 notification storing, 7 binding), in TLV.\n"
    "                  Defaults: lifetime 86400, binding U, storing true, nosec\n"
    "                  (3/4/5 written empty). identity=hex:HEX for binary\n"
    "                  identities. only= writes one half (to test Finish checks)\n"
    "  acl /O/I [owner=SSID] [id=N] SSID=RIGHTS ...\n"
    "  acl /O create SSID ... [owner=SSID] [id=N]\n"
    "                  an Access Control instance /2/N (0 object id, 1 instance\n"
    "                  id, 2 ACL: one resource instance per SSID, 3 owner).\n"
    "                  RIGHTS: letters R W E D C (read, write, execute, delete,\n"
    "                  create: bits 1 2 4 8 16), - for none, or a number; SSID 0\n"
    "                  is the default entry. \"create\" is the instance for\n"
    "                  /O/65535 with C for each SSID. owner defaults to 65535\n"
    "                  (made by the Bootstrap-Server)\n"
    "  discover        a Bootstrap-Discover of / before the Finish, printed\n"
    "Instance ids (/0/N, /1/N, /2/N) not given are chosen from a Bootstrap-\n"
    "Discover of / made after the deletes: an account's own SSID keeps its\n"
    "instance, others take the lowest free ids, never the Bootstrap-Server's\n"
    "own Security instance. Then Bootstrap-Finish (POST /bs).\n";

static bool failf(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static bool failf(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= errlen)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static bool parse_num(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
        *out = false;
    else
        return false;
    return true;
}

/* HEX, or with text_default: TEXT (hex:HEX for bytes). */
static bool parse_bytes(const char *s, bool text_default, bs_bytes_t *out)
{
    free(out->data);
    out->data = NULL;
    out->len = 0;
    if (text_default && strncmp(s, "hex:", 4) != 0) {
        out->len = strlen(s);
        out->data = (uint8_t *)xstrdup(s);
        return true;
    }
    if (strncmp(s, "hex:", 4) == 0)
        s += 4;
    long n = hex_decode(s, &out->data);
    if (n < 0)
        return false;
    out->len = (size_t)n;
    return true;
}

static bool bs_rights_parse(const char *s, uint16_t *out)
{
    static const char letters[] = "RWEDC";
    long long n;
    if (strcmp(s, "-") == 0) {
        *out = 0;
        return true;
    }
    if (s[0] >= '0' && s[0] <= '9') {
        if (!parse_num(s, 0, 65535, &n))
            return false;
        *out = (uint16_t)n;
        return true;
    }
    uint16_t r = 0;
    for (const char *p = s; *p != '\0'; p++) {
        const char *l = strchr(letters, *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        if (l == NULL)
            return false;
        r |= (uint16_t)(1u << (l - letters));
    }
    *out = r;
    return s[0] != '\0';
}

void bs_rights_format(uint16_t rights, char *buf, size_t size)
{
    static const char letters[] = "RWEDC";
    size_t n = 0;
    for (int i = 0; i < 5 && n + 1 < size; i++)
        if (rights & (1u << i))
            buf[n++] = letters[i];
    if (n == 0 && size > 1)
        buf[n++] = '-';
    if ((rights & ~0x1fu) != 0)
        n += (size_t)snprintf(buf + n, size > n ? size - n : 0, "+0x%x", rights & ~0x1fu);
    buf[n < size ? n : size - 1] = '\0';
}

static void server_free(bs_server_t *s)
{
    free(s->uri);
    free(s->binding);
    free(s->identity.data);
    free(s->server_key.data);
    free(s->secret.data);
}

static bool parse_server(char **tok, int n, bs_server_t *s, const char *file, int line, char *err,
                         size_t errlen)
{
    long long v;
    bool have_ssid = false;
    memset(s, 0, sizeof(*s));
    s->line = line;
    s->lifetime = 86400;
    s->binding = xstrdup("U");
    s->storing = true;
    s->pmin = s->pmax = -1;
    s->mode = BS_SEC_NOSEC;
    s->security_id = s->server_id = -1;
    s->write_security = s->write_server = true;
    for (int i = 0; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        if (eq == NULL)
            return failf(err, errlen, file, line, "'%s': expected KEY=VALUE", tok[i]);
        *eq = '\0';
        const char *k = tok[i], *val = eq + 1;
        bool ok = true;
        if (strcmp(k, "ssid") == 0) {
            ok = parse_num(val, 1, 65534, &v);
            s->ssid = (uint16_t)v;
            have_ssid = ok;
        } else if (strcmp(k, "uri") == 0) {
            free(s->uri);
            s->uri = xstrdup(val);
        } else if (strcmp(k, "lifetime") == 0) {
            ok = parse_num(val, 0, UINT32_MAX, &s->lifetime);
        } else if (strcmp(k, "binding") == 0) {
            free(s->binding);
            s->binding = xstrdup(val);
        } else if (strcmp(k, "storing") == 0) {
            ok = parse_bool(val, &s->storing);
        } else if (strcmp(k, "pmin") == 0) {
            ok = parse_num(val, 0, UINT32_MAX, &s->pmin);
        } else if (strcmp(k, "pmax") == 0) {
            ok = parse_num(val, 0, UINT32_MAX, &s->pmax);
        } else if (strcmp(k, "security") == 0) {
            static const char *const modes[] = { "psk", "rpk", "cert", "nosec" };
            ok = false;
            for (int m = 0; m < 4; m++) {
                if (strcmp(val, modes[m]) == 0) {
                    s->mode = m;
                    ok = true;
                }
            }
        } else if (strcmp(k, "identity") == 0) {
            ok = parse_bytes(val, true, &s->identity);
        } else if (strcmp(k, "key") == 0) {
            ok = parse_bytes(val, false, &s->secret);
        } else if (strcmp(k, "server-key") == 0) {
            ok = parse_bytes(val, false, &s->server_key);
        } else if (strcmp(k, "security-id") == 0 || strcmp(k, "server-id") == 0) {
            ok = parse_num(val, 0, SRV_MAX_ID, &v);
            *(k[1] == 'e' && k[2] == 'c' ? &s->security_id : &s->server_id) = (int)v;
        } else if (strcmp(k, "only") == 0) {
            ok = strcmp(val, "security") == 0 || strcmp(val, "server") == 0;
            s->write_security = strcmp(val, "security") == 0;
            s->write_server = strcmp(val, "server") == 0;
        } else {
            return failf(err, errlen, file, line, "server: unknown key '%s'", k);
        }
        if (!ok)
            return failf(err, errlen, file, line, "server: bad %s '%s'", k, val);
    }
    if (!have_ssid)
        return failf(err, errlen, file, line, "server: ssid=N (1..65534) is required");
    if (s->uri == NULL && s->write_security)
        return failf(err, errlen, file, line, "server: uri=URI is required");
    return true;
}

static bool parse_acl(char **tok, int n, bs_acl_t *a, const char *file, int line, char *err,
                      size_t errlen)
{
    srv_path_t p;
    long long v;
    bool create = false;
    memset(a, 0, sizeof(*a));
    a->line = line;
    a->id = -1;
    a->owner = BS_OWNER_BOOTSTRAP;
    if (n < 1 || !path_parse(tok[0], false, &p) || p.depth < 1 || p.depth > 2)
        return failf(err, errlen, file, line, "acl: expected /O/I or /O create ...");
    a->oid = p.id[0];
    a->oiid = p.depth == 2 ? p.id[1] : 65535;
    for (int i = 1; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        if (strcmp(tok[i], "create") == 0 && p.depth == 1) {
            create = true;
            continue;
        }
        if (eq == NULL && create) {
            if (!parse_num(tok[i], 0, 65535, &v) || a->n >= BS_MAX_ACL_ENTRIES)
                return failf(err, errlen, file, line, "acl: bad SSID '%s' after create", tok[i]);
            a->ssid[a->n] = (uint16_t)v;
            a->rights[a->n++] = 16;
            continue;
        }
        if (eq == NULL)
            return failf(err, errlen, file, line, "acl: '%s': expected SSID=RIGHTS or KEY=VALUE",
                         tok[i]);
        *eq = '\0';
        const char *k = tok[i], *val = eq + 1;
        if (strcmp(k, "owner") == 0) {
            if (!parse_num(val, 0, 65535, &v))
                return failf(err, errlen, file, line, "acl: bad owner '%s'", val);
            a->owner = (uint16_t)v;
        } else if (strcmp(k, "id") == 0) {
            if (!parse_num(val, 0, SRV_MAX_ID, &v))
                return failf(err, errlen, file, line, "acl: bad id '%s'", val);
            a->id = (int)v;
        } else if (parse_num(k, 0, 65535, &v)) {
            uint16_t r;
            if (!bs_rights_parse(val, &r))
                return failf(err, errlen, file, line,
                             "acl: bad rights '%s' (letters RWEDC, - or a number)", val);
            if (a->n >= BS_MAX_ACL_ENTRIES)
                return failf(err, errlen, file, line, "acl: more than %d entries",
                             BS_MAX_ACL_ENTRIES);
            a->ssid[a->n] = (uint16_t)v;
            a->rights[a->n++] = r;
        } else {
            return failf(err, errlen, file, line, "acl: unknown key '%s'", k);
        }
    }
    if (p.depth == 1 && !create)
        return failf(err, errlen, file, line, "acl /%u: give an instance (/O/I) or create",
                     (unsigned)a->oid);
    return true;
}

static bs_entry_t *section(bs_config_t *cfg, const char *ep)
{
    bs_entry_t **p = &cfg->entries;
    for (; *p != NULL; p = &(*p)->next)
        if ((ep == NULL && (*p)->ep == NULL)
            || (ep != NULL && (*p)->ep != NULL && strcmp(ep, (*p)->ep) == 0))
            return *p;
    *p = xcalloc(1, sizeof(**p));
    (*p)->ep = ep ? xstrdup(ep) : NULL;
    return *p;
}

#define MAX_TOKENS 64

static bool parse_line(bs_config_t *cfg, bs_entry_t **cur, char *text, const char *file, int line,
                       char *err, size_t errlen)
{
    char *tok[MAX_TOKENS];
    int n = 0;
    char *hash = strchr(text, '#');
    if (hash != NULL)
        *hash = '\0';
    for (char *save = NULL, *t = strtok_r(text, " \t\r\n", &save); t != NULL;
         t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == MAX_TOKENS)
            return failf(err, errlen, file, line, "too many words");
        tok[n++] = t;
    }
    if (n == 0)
        return true;
    const char *word = tok[0];
    if (strcmp(word, "endpoint") == 0 || strcmp(word, "default") == 0) {
        bool ep = word[0] == 'e';
        if (n != (ep ? 2 : 1))
            return failf(err, errlen, file, line, ep ? "usage: endpoint NAME" : "usage: default");
        for (bs_entry_t *e = cfg->entries; e != NULL; e = e->next)
            if (e != *cur && ((ep && e->ep && strcmp(e->ep, tok[1]) == 0) || (!ep && !e->ep)))
                return failf(err, errlen, file, line, "a second section for %s",
                             ep ? tok[1] : "default");
        *cur = section(cfg, ep ? tok[1] : NULL);
        return true;
    }
    if (*cur == NULL)
        *cur = section(cfg, NULL);
    bs_entry_t *e = *cur;
    if (strcmp(word, "delete") == 0) {
        srv_path_t p;
        if (n != 2 || !path_parse(tok[1], true, &p) || p.depth > 2)
            return failf(err, errlen, file, line, "usage: delete / | /O | /O/I");
        e->deletes = xrealloc(e->deletes, (size_t)(e->n_deletes + 1) * sizeof(p));
        e->deletes[e->n_deletes++] = p;
    } else if (strcmp(word, "server") == 0) {
        bs_server_t s;
        if (!parse_server(tok + 1, n - 1, &s, file, line, err, errlen)) {
            server_free(&s);
            return false;
        }
        for (int i = 0; i < e->n_servers; i++) {
            if (e->servers[i].ssid == s.ssid) {
                server_free(&s);
                return failf(err, errlen, file, line, "a second server with ssid=%u",
                             (unsigned)s.ssid);
            }
        }
        e->servers = xrealloc(e->servers, (size_t)(e->n_servers + 1) * sizeof(s));
        e->servers[e->n_servers++] = s;
    } else if (strcmp(word, "acl") == 0) {
        bs_acl_t a;
        if (!parse_acl(tok + 1, n - 1, &a, file, line, err, errlen))
            return false;
        e->acls = xrealloc(e->acls, (size_t)(e->n_acls + 1) * sizeof(a));
        e->acls[e->n_acls++] = a;
    } else if (strcmp(word, "discover") == 0 && n == 1) {
        e->discover = true;
    } else {
        return failf(err, errlen, file, line,
                     "unknown statement '%s' (endpoint, default, delete, server, acl, discover)",
                     word);
    }
    return true;
}

bool bs_config_load(const char *file, bs_config_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    FILE *f = fopen(file, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t cap = 0;
    int line = 0;
    bs_entry_t *cur = NULL;
    bool ok = true;
    while (ok && getline(&text, &cap, f) >= 0)
        ok = parse_line(out, &cur, text, file, ++line, err, errlen);
    free(text);
    fclose(f);
    if (ok && out->entries == NULL) {
        snprintf(err, errlen, "%s: no configuration in it", file);
        ok = false;
    }
    if (!ok)
        bs_config_free(out);
    return ok;
}

const bs_entry_t *bs_config_find(const bs_config_t *cfg, const char *ep)
{
    const bs_entry_t *def = NULL;
    for (const bs_entry_t *e = cfg->entries; e != NULL; e = e->next) {
        if (e->ep != NULL && strcmp(e->ep, ep) == 0)
            return e;
        if (e->ep == NULL)
            def = e;
    }
    return def;
}

void bs_config_free(bs_config_t *cfg)
{
    while (cfg->entries != NULL) {
        bs_entry_t *e = cfg->entries;
        cfg->entries = e->next;
        for (int i = 0; i < e->n_servers; i++)
            server_free(&e->servers[i]);
        free(e->servers);
        free(e->acls);
        free(e->deletes);
        free(e->ep);
        free(e);
    }
}
