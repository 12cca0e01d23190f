/* The built-in resource table (OMA LwM2M object registry, objects as of
 * LwM2M 1.1; later resources of the same objects are simply unknown and
 * fall back to type inference). */
#include "objects.h"

#include <stddef.h>

#define S SRV_T_STRING
#define I SRV_T_INTEGER
#define U SRV_T_UNSIGNED
#define F SRV_T_FLOAT
#define B SRV_T_BOOLEAN
#define O SRV_T_OPAQUE
#define T SRV_T_TIME
#define L SRV_T_OBJLNK
#define E SRV_T_EXEC

static const srv_resource_desc_t security[] = {
    { 0, "LwM2M Server URI", S, false },
    { 1, "Bootstrap-Server", B, false },
    { 2, "Security Mode", I, false },
    { 3, "Public Key or Identity", O, false },
    { 4, "Server Public Key", O, false },
    { 5, "Secret Key", O, false },
    { 6, "SMS Security Mode", I, false },
    { 7, "SMS Binding Key Parameters", O, false },
    { 8, "SMS Binding Secret Key(s)", O, false },
    { 9, "LwM2M Server SMS Number", S, false },
    { 10, "Short Server ID", I, false },
    { 11, "Client Hold Off Time", I, false },
    { 12, "Bootstrap-Server Account Timeout", I, false },
    { 13, "Matching Type", U, false },
    { 14, "SNI", S, false },
    { 15, "Certificate Usage", U, false },
    { 16, "DTLS/TLS Ciphersuite", U, true },
    { 17, "OSCORE Security Mode", L, false },
};

static const srv_resource_desc_t server[] = {
    { 0, "Short Server ID", I, false },
    { 1, "Lifetime", I, false },
    { 2, "Default Minimum Period", I, false },
    { 3, "Default Maximum Period", I, false },
    { 4, "Disable", E, false },
    { 5, "Disable Timeout", I, false },
    { 6, "Notification Storing When Disabled or Offline", B, false },
    { 7, "Binding", S, false },
    { 8, "Registration Update Trigger", E, false },
    { 9, "Bootstrap-Request Trigger", E, false },
    { 10, "APN Link", L, false },
    { 11, "TLS-DTLS Alert Code", U, false },
    { 12, "Last Bootstrapped", T, false },
    { 13, "Registration Priority Order", U, false },
    { 14, "Initial Registration Delay Timer", U, false },
    { 15, "Registration Failure Block", B, false },
    { 16, "Bootstrap on Registration Failure", B, false },
    { 17, "Communication Retry Count", U, false },
    { 18, "Communication Retry Timer", U, false },
    { 19, "Communication Sequence Delay Timer", U, false },
    { 20, "Communication Sequence Retry Count", U, false },
    { 21, "Trigger", B, false },
    { 22, "Preferred Transport", S, false },
    { 23, "Mute Send", B, false },
};

static const srv_resource_desc_t access_control[] = {
    { 0, "Object ID", I, false },
    { 1, "Object Instance ID", I, false },
    { 2, "ACL", I, true },
    { 3, "Access Control Owner", I, false },
};

static const srv_resource_desc_t device[] = {
    { 0, "Manufacturer", S, false },
    { 1, "Model Number", S, false },
    { 2, "Serial Number", S, false },
    { 3, "Firmware Version", S, false },
    { 4, "Reboot", E, false },
    { 5, "Factory Reset", E, false },
    { 6, "Available Power Sources", I, true },
    { 7, "Power Source Voltage", I, true },
    { 8, "Power Source Current", I, true },
    { 9, "Battery Level", I, false },
    { 10, "Memory Free", I, false },
    { 11, "Error Code", I, true },
    { 12, "Reset Error Code", E, false },
    { 13, "Current Time", T, false },
    { 14, "UTC Offset", S, false },
    { 15, "Timezone", S, false },
    { 16, "Supported Binding and Modes", S, false },
    { 17, "Device Type", S, false },
    { 18, "Hardware Version", S, false },
    { 19, "Software Version", S, false },
    { 20, "Battery Status", I, false },
    { 21, "Memory Total", I, false },
    { 22, "ExtDevInfo", L, true },
};

static const srv_resource_desc_t firmware[] = {
    { 0, "Package", O, false },
    { 1, "Package URI", S, false },
    { 2, "Update", E, false },
    { 3, "State", I, false },
    { 4, "Update Supported Objects", B, false }, /* LwM2M 1.0 only */
    { 5, "Update Result", I, false },
    { 6, "PkgName", S, false },
    { 7, "PkgVersion", S, false },
    { 8, "Firmware Update Protocol Support", I, true },
    { 9, "Firmware Update Delivery Method", I, false },
    { 10, "Cancel", E, false },
    { 11, "Severity", I, false },
    { 12, "Last State Change Time", T, false },
    { 13, "Maximum Defer Period", U, false },
};

static const srv_resource_desc_t light_control[] = {
    { 5850, "On/Off", B, false },       { 5851, "Dimmer", I, false },
    { 5852, "On time", I, false },      { 5805, "Cumulative active power", F, false },
    { 5820, "Power factor", F, false }, { 5706, "Colour", S, false },
    { 5701, "Sensor Units", S, false }, { 5750, "Application Type", S, false },
};

#define OBJECT(oid, name, table)                                                                   \
    {                                                                                              \
        oid, name, table, sizeof(table) / sizeof(table[0])                                         \
    }

static const struct {
    uint16_t oid;
    const char *name;
    const srv_resource_desc_t *resources;
    size_t count;
} objects[] = {
    OBJECT(0, "LwM2M Security", security),       OBJECT(1, "LwM2M Server", server),
    OBJECT(2, "Access Control", access_control), OBJECT(3, "Device", device),
    OBJECT(5, "Firmware Update", firmware),      OBJECT(3311, "Light Control", light_control),
};

const char *objects_name(uint16_t oid)
{
    for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
        if (objects[i].oid == oid)
            return objects[i].name;
    return NULL;
}

const srv_resource_desc_t *objects_resource(uint16_t oid, uint16_t rid)
{
    for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        if (objects[i].oid != oid)
            continue;
        for (size_t k = 0; k < objects[i].count; k++)
            if (objects[i].resources[k].id == rid)
                return &objects[i].resources[k];
    }
    return NULL;
}

const char *type_name(srv_type_t t)
{
    switch (t) {
    case SRV_T_STRING:
        return "string";
    case SRV_T_INTEGER:
        return "integer";
    case SRV_T_UNSIGNED:
        return "unsigned";
    case SRV_T_FLOAT:
        return "float";
    case SRV_T_BOOLEAN:
        return "boolean";
    case SRV_T_OPAQUE:
        return "opaque";
    case SRV_T_TIME:
        return "time";
    case SRV_T_OBJLNK:
        return "objlnk";
    case SRV_T_EXEC:
        return "none";
    case SRV_T_NONE:
        break;
    }
    return "unknown";
}
