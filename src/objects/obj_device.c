/* LwM2M Device object (3). */
#include <stddef.h>
#include <string.h>

#include "core/arith.h"
#include "objects/fields.h"
#include "tern/objects/device.h"

enum {
    RES_MANUFACTURER = 0,
    RES_MODEL = 1,
    RES_SERIAL = 2,
    RES_FIRMWARE = 3,
    RES_REBOOT = 4,
    RES_FACTORY_RESET = 5,
    RES_BATTERY = 9,
    RES_ERROR_CODE = 11,
    RES_RESET_ERROR = 12,
    RES_TIME = 13,
    RES_UTC_OFFSET = 14,
    RES_TIMEZONE = 15,
    RES_BINDINGS = 16,
    RES_DEVICE_TYPE = 17,
    RES_HARDWARE = 18,
    RES_SOFTWARE = 19
};

static const tern_res_def_t RESOURCES[] = {
    { RES_MANUFACTURER, TERN_TYPE_STRING, TERN_RES_R },
    { RES_MODEL, TERN_TYPE_STRING, TERN_RES_R },
    { RES_SERIAL, TERN_TYPE_STRING, TERN_RES_R },
    { RES_FIRMWARE, TERN_TYPE_STRING, TERN_RES_R },
    { RES_REBOOT, TERN_TYPE_NONE, TERN_RES_E },
    { RES_FACTORY_RESET, TERN_TYPE_NONE, TERN_RES_E },
    { RES_BATTERY, TERN_TYPE_INTEGER, TERN_RES_R },
    { RES_ERROR_CODE, TERN_TYPE_INTEGER, TERN_RES_R | TERN_RES_MULTIPLE },
    { RES_RESET_ERROR, TERN_TYPE_NONE, TERN_RES_E },
    { RES_TIME, TERN_TYPE_TIME, TERN_RES_RW },
    { RES_UTC_OFFSET, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_TIMEZONE, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_BINDINGS, TERN_TYPE_STRING, TERN_RES_R },
    { RES_DEVICE_TYPE, TERN_TYPE_STRING, TERN_RES_R },
    { RES_HARDWARE, TERN_TYPE_STRING, TERN_RES_R },
    { RES_SOFTWARE, TERN_TYPE_STRING, TERN_RES_R },
};

static tern_device_t *device_of(tern_object_t *obj)
{
    return (tern_device_t *)obj; /* base is the first member */
}

/* The identity strings of resources 0..3 and 17..19 are the first seven
 * pointers of tern_device_info_t, in that order. */
typedef char info_strings_in_order
    [offsetof(tern_device_info_t, software_version) == 6 * sizeof(const char *) ? 1 : -1];

#define DEVICE_TEXT(member)                                                                        \
    TERN_FIELD(tern_device_t, member, TERN_FIELD_STRING, sizeof(((tern_device_t *)0)->member))

/* The writable text resources 14 and 15; no other resource is writable
 * as a field. */
static const tern_field_t TEXT[] = { DEVICE_TEXT(utc_offset),
                                     DEVICE_TEXT(timezone),
                                     { 0, TERN_FIELD_NONE, 0 } };

static const tern_field_t *text_field(uint16_t rid)
{
    unsigned k = rid - (unsigned)RES_UTC_OFFSET; /* below 14: wraps to a large k */
    return &TEXT[k < 2 ? k : 2];
}

static int64_t uptime_s(tern_client_t *c)
{
    return (int64_t)tern_ms_to_s(c->now);
}

static int device_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       tern_value_t *v)
{
    tern_device_t *dev = device_of(obj);
    uint16_t rid = path->ids[2];
    const char *s;
    switch (rid) {
    case RES_BATTERY:
        if (dev->battery_level < 0)
            return -TERN_COAP_NOT_FOUND;
        v->v.i = dev->battery_level;
        return 0;
    case RES_ERROR_CODE:
        /* TS E.4: with no error the list holds a single 0, which
         * errors[0] is then */
        if (path->ids[3] >= (dev->n_errors > 0 ? dev->n_errors : 1))
            return -TERN_COAP_NOT_FOUND;
        v->v.i = dev->errors[path->ids[3]];
        return 0;
    case RES_TIME:
        v->v.i = dev->time_offset_s + uptime_s(c);
        return 0;
    case RES_UTC_OFFSET:
        s = dev->utc_offset;
        break;
    case RES_TIMEZONE:
        s = dev->timezone;
        break;
    case RES_BINDINGS:
        s = dev->info->supported_bindings != NULL ? dev->info->supported_bindings : "U";
        break;
    default:
        if (rid > RES_FIRMWARE && rid < RES_DEVICE_TYPE)
            return -TERN_COAP_NOT_FOUND; /* executable: no value */
        s = *(const char *const *)(const void *)((const uint8_t *)dev->info
                                                 + (rid < RES_DEVICE_TYPE ? rid : rid - 13u)
                                                       * sizeof(const char *));
    }
    if (s == NULL || s[0] == '\0')
        return -TERN_COAP_NOT_FOUND; /* optional resource the device lacks */
    v->v.bytes.ptr = (const uint8_t *)s;
    v->v.bytes.len = strlen(s);
    return 0;
}

/* obj NULL: only the check, which changes nothing. */
static int device_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    tern_device_t *dev = device_of(obj);
    if (path->ids[2] != RES_TIME)
        return tern_field_write(dev, text_field(path->ids[2]), v);
    if (dev != NULL)
        dev->time_offset_s = v->v.i - uptime_s(c);
    return 0;
}

/* Reboot or Factory Reset, once the 2.04 is on its way: hook points to
 * the port's function. */
static void port_action(tern_client_t *c, void *hook)
{
    (*(void (*const *)(void *))hook)(c->port->ctx);
}

static int device_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const uint8_t *args, size_t args_len)
{
    tern_device_t *dev = device_of(obj);
    uint16_t rid = path->ids[2];
    (void)args;
    (void)args_len;
    if (rid == RES_RESET_ERROR) {
        dev->n_errors = 0;
        dev->errors[0] = TERN_DEVICE_NO_ERROR;
        tern_changed_resource(c, 3, dev->iid, RES_ERROR_CODE);
        return 0;
    }
    /* Reboot or Factory Reset: the port does it */
    const tern_port_ops_t *ops = c->port->ops;
    if (ops->reboot == NULL || ops->factory_reset == NULL)
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    c->after_response = port_action;
    c->after_arg =
        (void *)(uintptr_t)(rid == RES_FACTORY_RESET ? &ops->factory_reset : &ops->reboot);
    return 0;
}

/* The Error Code list (11) is the only multiple resource. */
static int device_next_res_instance(tern_client_t *c, tern_object_t *obj, const tern_path_t *res,
                                    uint16_t prev)
{
    (void)c;
    (void)res;
    tern_device_t *dev = device_of(obj);
    uint16_t count = dev->n_errors > 0 ? dev->n_errors : 1;
    uint16_t next = (uint16_t)(prev + 1); /* TERN_ID_NONE + 1 is 0 */
    return next < count ? next : -1;
}

static const tern_object_ops_t DEVICE_OPS = {
    .read = device_read,
    .write = device_write,
    .execute = device_execute,
    .next_res_instance = device_next_res_instance,
};

static const tern_object_def_t DEVICE_DEF = {
    .oid = 3,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &DEVICE_OPS,
    .multiple = false,
};

void tern_device_init(tern_device_t *dev, const tern_device_info_t *info)
{
    memset(dev, 0, sizeof(*dev));
    dev->base.def = &DEVICE_DEF;
    dev->base.iids = &dev->iid;
    dev->base.n_iids = 1;
    dev->base.max_iids = 1;
    dev->iid = 0;
    dev->battery_level = -1;
    dev->info = info;
}

int tern_device_add_error(tern_client_t *c, tern_device_t *dev, uint8_t code)
{
    for (uint8_t i = 0; i < dev->n_errors; i++) {
        if (dev->errors[i] == code)
            return 0;
    }
    if (dev->n_errors >= TERN_DEVICE_MAX_ERRORS)
        return TERN_ERR_NO_SPACE;
    dev->errors[dev->n_errors++] = code;
    tern_changed_resource(c, 3, dev->iid, RES_ERROR_CODE);
    return 0;
}

void tern_device_set_battery(tern_client_t *c, tern_device_t *dev, int8_t level)
{
    dev->battery_level = level;
    tern_changed_resource(c, 3, dev->iid, RES_BATTERY);
}

void tern_device_set_time(tern_client_t *c, tern_device_t *dev, int64_t unix_time_s)
{
    dev->time_offset_s = unix_time_s - uptime_s(c);
}
