/* Request payloads from command arguments: Write values in text, opaque
 * or TLV, RID=VALUE lists for instances (Write, Write partial, Create),
 * and Write-Attributes queries. Types come from the resource table, or
 * are inferred for unknown resources (see value_parse). */
#ifndef SRV_ENCODE_H
#define SRV_ENCODE_H

#include <stdbool.h>

#include "util.h"
#include "values.h"

/* One command argument; quote_at is the offset at which the first
 * double-quoted part began (-1 if none), so "5750=\"1\"" gives a string. */
typedef struct srv_arg {
    char *text;
    int quote_at;
} srv_arg_t;

/* Write (replace) at path: a resource or resource instance takes one value
 * (or RIID=VALUE items for a multiple resource, sent as TLV); an object
 * instance takes RID=VALUE items (TLV). *cf is the format asked for
 * (CF_NONE: text, or opaque for opaque resources, or TLV where needed) and
 * is set to the one used. */
bool encode_write(const srv_path_t *path, const srv_arg_t *args, int n, int *cf, strbuf_t *out,
                  char *err, size_t errlen);

/* RID=VALUE and RID/RIID=VALUE items for object instance inst (/O/I) as
 * TLV resources; wrapped in an object-instance record when wrap is set
 * (Create with an instance id). */
bool encode_resources(const srv_path_t *inst, const srv_arg_t *args, int n, bool wrap,
                      strbuf_t *out, char *err, size_t errlen);

/* pmin=N pmax=N gt=F lt=F st=F epmin=N epmax=N (a bare name removes the
 * attribute) into NULL-terminated Uri-Query strings (free with
 * encode_free_query). */
bool encode_attributes(const srv_arg_t *args, int n, char ***query, char *err, size_t errlen);
void encode_free_query(char **query);

#endif
