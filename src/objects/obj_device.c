/* LwM2M Device object (3). */
#include <stddef.h>
#include <string.h>

#include "core/arith.h"
#include "lwm2m/lwm2m.h"
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

/* Where the identity strings are in tern_device_info_t, by resource id
 * (plus one; 0: not one of them). */
#define INFO_AT(member) (uint8_t)(offsetof(tern_device_info_t, member) + 1)
static const uint8_t INFO_STRING[] = {
    INFO_AT(manufacturer),
    INFO_AT(model),
    INFO_AT(serial),
    INFO_AT(firmware_version),
    [RES_BINDINGS] = INFO_AT(supported_bindings),
    INFO_AT(device_type),
    INFO_AT(hardware_version),
    INFO_AT(software_version),
};

/* The writable text resource rid (14 or 15) of dev and its size; NULL
 * for any other resource. */
static char *text_of(tern_device_t *dev, uint16_t rid, size_t *cap)
{
    *cap = rid == RES_UTC_OFFSET ? sizeof(dev->utc_offset) : sizeof(dev->timezone);
    return rid == RES_UTC_OFFSET ? dev->utc_offset : rid == RES_TIMEZONE ? dev->timezone : NULL;
}

static int64_t uptime_s(tern_client_t *c)
{
    return (int64_t)tern_ms_to_s(tern_client_now(c));
}

static int device_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       tern_value_t *v)
{
    tern_device_t *dev = device_of(obj);
    uint16_t rid = path->ids[2];
    const char *s = NULL;
    size_t cap;
    switch (rid) {
    case RES_BATTERY:
        if (dev->battery_level < 0)
            return -TERN_COAP_NOT_FOUND;
        v->v.i = dev->battery_level;
        return 0;
    case RES_ERROR_CODE:
        /* TS E.4: with no error the list holds a single 0 */
        if (path->ids[3] >= (dev->n_errors > 0 ? dev->n_errors : 1))
            return -TERN_COAP_NOT_FOUND;
        v->v.i = dev->n_errors > 0 ? dev->errors[path->ids[3]] : TERN_DEVICE_NO_ERROR;
        return 0;
    case RES_TIME:
        v->v.i = dev->time_offset_s + uptime_s(c);
        return 0;
    default:
        s = text_of(dev, rid, &cap);
        if (s == NULL && rid < sizeof(INFO_STRING) && INFO_STRING[rid] != 0)
            s = *(const char *const *)(const void *)((const uint8_t *)dev->info + INFO_STRING[rid]
                                                     - 1);
        if (rid == RES_BINDINGS && s == NULL)
            s = "U";
    }
    if (s == NULL || s[0] == '\0')
        return -TERN_COAP_NOT_FOUND; /* optional resource the device lacks */
    v->v.bytes.ptr = (const uint8_t *)s;
    v->v.bytes.len = strlen(s);
    return 0;
}

static int device_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    (void)c;
    size_t cap;
    if (text_of(device_of(obj), path->ids[2], &cap) == NULL)
        return 0;
    return v->v.bytes.len >= cap ? -TERN_COAP_BAD_REQUEST : 0;
}

static int device_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                        const tern_value_t *v)
{
    tern_device_t *dev = device_of(obj);
    size_t cap;
    if (path->ids[2] == RES_TIME) {
        dev->time_offset_s = v->v.i - uptime_s(c);
        return 0;
    }
    char *text = text_of(dev, path->ids[2], &cap);
    return text != NULL ? tern_string_store(text, cap, v) : -TERN_COAP_METHOD_NOT_ALLOWED;
}

static void reboot_now(tern_client_t *c, void *arg)
{
    (void)arg;
    c->port->ops->reboot(c->port->ctx);
}

static void factory_reset_now(tern_client_t *c, void *arg)
{
    (void)arg;
    c->port->ops->factory_reset(c->port->ctx);
}

static int device_execute(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                          const uint8_t *args, size_t args_len)
{
    tern_device_t *dev = device_of(obj);
    (void)args;
    (void)args_len;
    switch (path->ids[2]) {
    case RES_REBOOT:
    case RES_FACTORY_RESET:
        /* the port does it once the 2.04 is on its way */
        if (c->port->ops->reboot == NULL || c->port->ops->factory_reset == NULL)
            return -TERN_COAP_METHOD_NOT_ALLOWED;
        c->after_response = path->ids[2] == RES_REBOOT ? reboot_now : factory_reset_now;
        return 0;
    case RES_RESET_ERROR:
        dev->n_errors = 0;
        tern_changed_resource(c, 3, dev->iid, RES_ERROR_CODE);
        return 0;
    default:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    }
}

static int device_next_res_instance(tern_client_t *c, tern_object_t *obj, const tern_path_t *res,
                                    uint16_t prev)
{
    (void)c;
    tern_device_t *dev = device_of(obj);
    uint16_t count = res->ids[2] == RES_ERROR_CODE ? (dev->n_errors > 0 ? dev->n_errors : 1) : 0;
    uint16_t next = prev == TERN_ID_NONE ? 0 : (uint16_t)(prev + 1);
    return next < count ? next : -1;
}

static const tern_object_ops_t DEVICE_OPS = {
    .read = device_read,
    .write = device_write,
    .check = device_check,
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
