/* CoRE Link Format (RFC 6690) as LwM2M uses it: the object list a client
 * registers with (</>;rt="oma.lwm2m",</1/0>,</3/0>) and Discover results
 * (</3/0/1>;pmin=10). */
#ifndef SRV_LINKFMT_H
#define SRV_LINKFMT_H

#include <stddef.h>

typedef struct link_attr {
    char *name;
    char *value; /* NULL for a bare attribute; quotes removed */
} link_attr_t;

typedef struct srv_link {
    char *uri;
    link_attr_t *attrs;
    size_t n_attrs;
} srv_link_t;

typedef struct srv_links {
    srv_link_t *v;
    size_t n;
    char *error; /* first syntax problem (owned); links before it are kept */
} srv_links_t;

/* Parses len bytes of link format. Returns 0, or -1 with links->error set. */
int links_parse(const char *text, size_t len, srv_links_t *links);
void links_free(srv_links_t *links);
/* The value of attribute name on link l, or NULL (also for bare ones). */
const char *link_attr(const srv_link_t *l, const char *name);

#endif
