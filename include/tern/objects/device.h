/*
 * LwM2M Device object (3): identity strings from the application,
 * Reboot and Factory Reset wired to the port's hooks, the Error Code
 * list, Reset Error Code, and the device's current time.
 */
#ifndef TERN_OBJECTS_DEVICE_H
#define TERN_OBJECTS_DEVICE_H

#include "tern/tern.h"

#ifndef TERN_DEVICE_MAX_ERRORS
#define TERN_DEVICE_MAX_ERRORS 4
#endif

/* What the device says about itself; NULL strings are left out. Not copied. */
typedef struct tern_device_info {
    const char *manufacturer;       /* resource 0 */
    const char *model;              /* 1 */
    const char *serial;             /* 2 */
    const char *firmware_version;   /* 3 */
    const char *device_type;        /* 17 */
    const char *hardware_version;   /* 18 */
    const char *software_version;   /* 19 */
    const char *supported_bindings; /* 16, "U" when NULL */
} tern_device_info_t;

/* Error codes of resource 11 (TS appendix E.4). */
enum {
    TERN_DEVICE_NO_ERROR = 0,
    TERN_DEVICE_LOW_BATTERY = 1,
    TERN_DEVICE_EXTERNAL_POWER_OFF = 2,
    TERN_DEVICE_GPS_FAILURE = 3,
    TERN_DEVICE_LOW_SIGNAL = 4,
    TERN_DEVICE_OUT_OF_MEMORY = 5,
    TERN_DEVICE_SMS_FAILURE = 6,
    TERN_DEVICE_IP_FAILURE = 7,
    TERN_DEVICE_PERIPHERAL_FAILURE = 8
};

typedef struct tern_device {
    tern_object_t base;
    uint16_t iid;
    uint8_t n_errors;
    uint8_t errors[TERN_DEVICE_MAX_ERRORS];
    int8_t battery_level;  /* resource 9, -1: absent */
    int64_t time_offset_s; /* resource 13 = offset + monotonic seconds */
    char utc_offset[8];    /* resource 14, e.g. "+01:00" */
    char timezone[32];     /* resource 15, e.g. "Europe/Berlin" */
    const tern_device_info_t *info;
} tern_device_t;

/*
 * Prepares dev with one instance (0). info is not copied and must outlive
 * the client. Register it with tern_object_register(client, &dev->base).
 */
void tern_device_init(tern_device_t *dev, const tern_device_info_t *info);

/*
 * Adds an error code (1..8) to resource 11 unless present and notifies
 * observers. Returns 0 or TERN_ERR_NO_SPACE.
 */
int tern_device_add_error(tern_client_t *client, tern_device_t *dev, uint8_t code);

/* Sets the battery level (0..100, -1 to leave the resource out). */
void tern_device_set_battery(tern_client_t *client, tern_device_t *dev, int8_t level);

/* Sets the wall clock: resource 13 reads `unix_time_s` now. */
void tern_device_set_time(tern_client_t *client, tern_device_t *dev, int64_t unix_time_s);

#endif /* TERN_OBJECTS_DEVICE_H */
