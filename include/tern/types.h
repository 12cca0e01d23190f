/*
 * LwM2M data-model types shared by the north-side API and the content
 * formats: paths, resource types and values.
 */
#ifndef TERN_TYPES_H
#define TERN_TYPES_H

#include "tern/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An id that is absent ("no instance id given", "not a resource instance"). */
#define TERN_ID_NONE 0xffffu

/*
 * A path in the data model: / (len 0), /O (1), /O/I (2), /O/I/R (3) or
 * /O/I/R/RI (4). Ids are 0..65534; ids[k] for k >= len are meaningless.
 */
typedef struct tern_path {
    uint16_t ids[4];
    uint8_t len;
} tern_path_t;

enum {
    TERN_PATH_OBJECT = 1,
    TERN_PATH_INSTANCE = 2,
    TERN_PATH_RESOURCE = 3,
    TERN_PATH_RES_INSTANCE = 4
};

/* Resource data types (OMA LwM2M 1.0 appendix C, 1.1 adds the last two). */
typedef enum tern_type {
    TERN_TYPE_NONE = 0, /* executable resources carry no value */
    TERN_TYPE_STRING,
    TERN_TYPE_INTEGER,
    TERN_TYPE_FLOAT,
    TERN_TYPE_BOOLEAN,
    TERN_TYPE_OPAQUE,
    TERN_TYPE_TIME, /* seconds since 1970-01-01 UTC, as an integer */
    TERN_TYPE_OBJLNK,
    TERN_TYPE_UNSIGNED, /* LwM2M 1.1 */
    TERN_TYPE_CORELNK   /* LwM2M 1.1, carried as a string */
} tern_type_t;

/*
 * The floating-point type of Float resources. double by default; a
 * device without an FPU sets TERN_WITH_DOUBLE 0 and gets float, which
 * keeps soft-double routines out of the image. Tern converts to and from
 * text and TLV itself, in either width.
 */
#if TERN_WITH_DOUBLE
typedef double tern_float_t;
#else
typedef float tern_float_t;
#endif

typedef struct tern_objlnk {
    uint16_t oid;
    uint16_t iid;
} tern_objlnk_t;

/*
 * A resource value. For strings and opaque data `bytes` points to memory
 * owned by whoever produced the value; it is not copied and must stay
 * valid for the call it is passed to. Strings are UTF-8, not
 * NUL-terminated.
 */
typedef struct tern_value {
    tern_type_t type;
    union {
        int64_t i;  /* INTEGER, TIME */
        uint64_t u; /* UNSIGNED */
        tern_float_t f;
        bool b;
        tern_objlnk_t lnk;
        struct {
            const uint8_t *ptr;
            size_t len;
        } bytes; /* STRING, OPAQUE, CORELNK */
    } v;
} tern_value_t;

#ifdef __cplusplus
}
#endif

#endif /* TERN_TYPES_H */
