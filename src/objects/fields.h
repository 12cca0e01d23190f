/*
 * Resources kept as plain fields of an instance struct: one small
 * descriptor per resource says where the field is and what it holds, so
 * reading, checking and writing them is one piece of code for every
 * object (implemented in obj_server.c, which every client links).
 */
#ifndef TERN_OBJECTS_FIELDS_H
#define TERN_OBJECTS_FIELDS_H

#include <stddef.h>

#include "lwm2m/lwm2m.h"

enum {
    TERN_FIELD_NONE = 0, /* not a plain field: the object handles it */
    TERN_FIELD_BOOL,     /* a bool or uint8_t */
    TERN_FIELD_U8,       /* a uint8_t of 0..limit */
    TERN_FIELD_U16,      /* a uint16_t of 0..65534 */
    TERN_FIELD_U32,      /* a uint32_t of limit..UINT32_MAX */
    TERN_FIELD_STRING,   /* a NUL-terminated char[limit] */
    TERN_FIELD_KEY       /* a Security key: tern_security_key() */
};

/* Whether the build stores Security keys (resources 3, 4 and 5). */
#define TERN_WITH_KEYS (TERN_MAX_IDENTITY + TERN_MAX_SECRET + TERN_MAX_SERVER_KEY > 0)

typedef struct tern_field {
    uint8_t offset; /* in the instance struct */
    uint8_t kind;   /* TERN_FIELD_* */
    uint8_t limit;
} tern_field_t;

#define TERN_FIELD(type, member, kind, limit)                                                      \
    {                                                                                              \
        (uint8_t) offsetof(type, member), kind, limit                                              \
    }

/* 0, or -TERN_COAP_NOT_FOUND for TERN_FIELD_NONE. */
int tern_field_read(const void *inst, const tern_field_t *f, tern_value_t *v);
/* Checks v against the field's range, -TERN_COAP_BAD_REQUEST when out of
 * it, then stores it unless inst is NULL (a check only);
 * -TERN_COAP_METHOD_NOT_ALLOWED for TERN_FIELD_NONE. */
int tern_field_write(void *inst, const tern_field_t *f, const tern_value_t *v);

/*
 * The Security (0) and Server (1) objects keep their instances in the
 * client and share their callbacks (obj_server.c); the Security fields
 * and keys are obj_security.c's.
 */
extern const tern_object_ops_t TERN_CONFIG_OPS;
extern const tern_field_t TERN_SECURITY_FIELDS[];
/* The used slot of instance iid of the Server or Security object obj
 * (c->server_obj or c->security_obj), or with iid TERN_ID_NONE a free
 * one; NULL when there is none. */
void *tern_config_slot(tern_client_t *c, const tern_object_t *obj, uint16_t iid);
static inline tern_security_inst_t *tern_security_instance(tern_client_t *c, uint16_t iid)
{
    return (tern_security_inst_t *)tern_config_slot(c, &c->security_obj, iid);
}
#if TERN_WITH_KEYS
/* Key rid (3, 4 or 5): checks in (sec NULL: only that), stores it, or
 * reads it into out. */
int tern_security_key(tern_security_inst_t *sec, uint16_t rid, tern_value_t *out,
                      const tern_value_t *in);
#endif

#endif /* TERN_OBJECTS_FIELDS_H */
