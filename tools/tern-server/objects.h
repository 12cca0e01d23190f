/* The built-in resource table: names and data types of the resources of
 * the OMA objects 0 Security, 1 Server, 2 Access Control, 3 Device,
 * 5 Firmware Update and the IPSO object 3311 Light Control, as published in
 * the OMA LwM2M object registry. Writes use the type to encode a value;
 * reads use it to decode one and to print the resource's name. */
#ifndef SRV_OBJECTS_H
#define SRV_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum srv_type {
    SRV_T_NONE, /* unknown resource: inferred from the value */
    SRV_T_STRING,
    SRV_T_INTEGER,
    SRV_T_UNSIGNED,
    SRV_T_FLOAT,
    SRV_T_BOOLEAN,
    SRV_T_OPAQUE,
    SRV_T_TIME,
    SRV_T_OBJLNK,
    SRV_T_EXEC, /* executable: no value */
} srv_type_t;

typedef struct srv_resource_desc {
    uint16_t id;
    const char *name;
    srv_type_t type;
    bool multiple;
} srv_resource_desc_t;

/* The name of an object ("Device"), or NULL when it is not in the table. */
const char *objects_name(uint16_t oid);
/* The description of resource rid of object oid, or NULL when unknown. */
const srv_resource_desc_t *objects_resource(uint16_t oid, uint16_t rid);
/* "string", "integer", ... as the JSON output and --help spell them. */
const char *type_name(srv_type_t t);

#endif
