/* IPSO Light Control object (3311). */
#include <string.h>

#include "core/arith.h"
#include "core/fixed.h"
#include "lwm2m/lwm2m.h"
#include "tern/objects/light_control.h"

enum {
    RES_UNITS = 5701,
    RES_COLOUR = 5706,
    RES_APP_TYPE = 5750,
    RES_ENERGY = 5805,
    RES_POWER_FACTOR = 5820,
    RES_ON_OFF = 5850,
    RES_DIMMER = 5851,
    RES_ON_TIME = 5852
};

static const tern_res_def_t RESOURCES[] = {
    { RES_UNITS, TERN_TYPE_STRING, TERN_RES_R },
    { RES_COLOUR, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_APP_TYPE, TERN_TYPE_STRING, TERN_RES_RW },
    { RES_ENERGY, TERN_TYPE_FLOAT, TERN_RES_R },
    { RES_POWER_FACTOR, TERN_TYPE_FLOAT, TERN_RES_R },
    { RES_ON_OFF, TERN_TYPE_BOOLEAN, TERN_RES_RW },
    { RES_DIMMER, TERN_TYPE_INTEGER, TERN_RES_RW },
    { RES_ON_TIME, TERN_TYPE_INTEGER, TERN_RES_RW },
};

/* A resistive lamp: power factor 1, kept as a constant. */
#define POWER_FACTOR_FIXED TERN_FIXED_ONE

/* A lamp as it comes out of the box: off, full brightness. */
static void lamp_reset(tern_lamp_t *lamp, uint16_t iid)
{
    memset(lamp, 0, sizeof(*lamp));
    lamp->dimmer = 100;
    lamp->iid = iid;
    lamp->used = true;
}

static tern_light_t *light_of(tern_object_t *obj)
{
    return (tern_light_t *)obj; /* base is the first member */
}

tern_lamp_t *tern_light_lamp(tern_light_t *light, uint16_t iid)
{
    for (uint16_t i = 0; i < TERN_LIGHT_MAX; i++) {
        if (light->lamps[i].used && light->lamps[i].iid == iid)
            return &light->lamps[i];
    }
    return NULL;
}

/* Adds the energy used since energy_at, in integer arithmetic. */
static void count_energy(const tern_light_t *light, tern_lamp_t *lamp, tern_time_t now)
{
    if (lamp->on && now > lamp->energy_at) {
        uint64_t mw = (uint64_t)light->rated_power_w * 10u * lamp->dimmer;
        uint64_t mw_ms = mw * (uint64_t)(now - lamp->energy_at) + lamp->energy_rest;
        lamp->energy_mj += tern_udiv64(mw_ms, 1000, &lamp->energy_rest);
    }
    lamp->energy_at = now;
}

uint32_t tern_light_on_time(tern_client_t *c, const tern_lamp_t *lamp)
{
    uint32_t s = lamp->on_time_base_s;
    if (lamp->on)
        s += (uint32_t)tern_ms_to_s(tern_client_now(c) - lamp->on_since);
    return s;
}

static int light_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                      tern_value_t *v)
{
    tern_light_t *light = light_of(obj);
    tern_lamp_t *lamp = tern_light_lamp(light, path->ids[1]);
    if (lamp == NULL)
        return -TERN_COAP_NOT_FOUND;
    switch (path->ids[2]) {
    case RES_UNITS:
        v->v.bytes.ptr = (const uint8_t *)"Wh";
        v->v.bytes.len = 2;
        return 0;
    case RES_COLOUR:
    case RES_APP_TYPE: {
        const char *s = path->ids[2] == RES_COLOUR ? lamp->colour : lamp->app_type;
        v->v.bytes.ptr = (const uint8_t *)s;
        v->v.bytes.len = strlen(s);
        return 0;
    }
    case RES_ENERGY:
        count_energy(light, lamp, tern_client_now(c));
        /* Wh = mJ / 3600 / 1000, built in fixed point: no float division */
        v->v.f = tern_fixed_to_float(
            (tern_fixed_t)tern_udiv64(tern_udiv64(lamp->energy_mj, 3600, NULL) << 16, 1000, NULL));
        return 0;
    case RES_POWER_FACTOR:
        v->v.f = tern_fixed_to_float(POWER_FACTOR_FIXED);
        return 0;
    case RES_ON_OFF:
        v->v.b = lamp->on;
        return 0;
    case RES_DIMMER:
        v->v.i = lamp->dimmer;
        return 0;
    case RES_ON_TIME:
        v->v.i = tern_light_on_time(c, lamp);
        return 0;
    default:
        return -TERN_COAP_NOT_FOUND;
    }
}

static void set_on(tern_lamp_t *lamp, bool on, tern_time_t now)
{
    if (lamp->on == on)
        return;
    if (on)
        lamp->on_since = now;
    else
        lamp->on_time_base_s += (uint32_t)tern_ms_to_s(now - lamp->on_since);
    lamp->on = on;
}

/* What write() refuses, without touching anything. */
static int light_check(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       const tern_value_t *v)
{
    (void)c;
    (void)obj;
    switch (path->ids[2]) {
    case RES_DIMMER:
        return v->v.i < 0 || v->v.i > 100 ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_ON_TIME:
        return v->v.i != 0 ? -TERN_COAP_BAD_REQUEST : 0; /* IPSO: only a reset to 0 */
    case RES_COLOUR:
        return v->v.bytes.len >= sizeof(((tern_lamp_t *)0)->colour) ? -TERN_COAP_BAD_REQUEST : 0;
    case RES_APP_TYPE:
        return v->v.bytes.len >= sizeof(((tern_lamp_t *)0)->app_type) ? -TERN_COAP_BAD_REQUEST : 0;
    default:
        return 0;
    }
}

static int light_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       const tern_value_t *v)
{
    tern_light_t *light = light_of(obj);
    tern_lamp_t *lamp = tern_light_lamp(light, path->ids[1]);
    tern_time_t now = tern_client_now(c);
    int rc = 0;
    if (lamp == NULL)
        return -TERN_COAP_NOT_FOUND;
    if ((rc = light_check(c, obj, path, v)) != 0)
        return rc;
    count_energy(light, lamp, now);
    switch (path->ids[2]) {
    case RES_ON_OFF:
        set_on(lamp, v->v.b, now);
        break;
    case RES_DIMMER:
        lamp->dimmer = (uint8_t)v->v.i;
        break;
    case RES_ON_TIME:
        lamp->on_time_base_s = 0;
        lamp->on_since = now;
        break;
    case RES_COLOUR:
        rc = tern_string_store(lamp->colour, sizeof(lamp->colour), v);
        break;
    case RES_APP_TYPE:
        rc = tern_string_store(lamp->app_type, sizeof(lamp->app_type), v);
        break;
    default:
        return -TERN_COAP_METHOD_NOT_ALLOWED;
    }
    if (rc == 0 && light->on_change != NULL)
        light->on_change(light, path->ids[1], light->user);
    return rc;
}

static int light_create(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)c;
    tern_light_t *light = light_of(obj);
    for (uint16_t i = 0; i < TERN_LIGHT_MAX; i++) {
        if (!light->lamps[i].used) {
            lamp_reset(&light->lamps[i], iid);
            return 0;
        }
    }
    return -TERN_COAP_INTERNAL_SERVER_ERROR; /* iids has room, so lamps has too */
}

static int light_remove(tern_client_t *c, tern_object_t *obj, uint16_t iid)
{
    (void)c;
    tern_lamp_t *lamp = tern_light_lamp(light_of(obj), iid);
    if (lamp != NULL)
        lamp->used = false;
    return 0;
}

static const tern_object_ops_t LIGHT_OPS = {
    .read = light_read,
    .write = light_write,
    .check = light_check,
    .create = light_create,
    .remove = light_remove,
};

static const tern_object_def_t LIGHT_DEF = {
    .oid = 3311,
    .n_resources = sizeof(RESOURCES) / sizeof(RESOURCES[0]),
    .resources = RESOURCES,
    .ops = &LIGHT_OPS,
    .multiple = true,
};

void tern_light_init(tern_light_t *light, uint16_t count, uint16_t rated_power_w)
{
    memset(light, 0, sizeof(*light));
    if (count > TERN_LIGHT_MAX)
        count = TERN_LIGHT_MAX;
    light->base.def = &LIGHT_DEF;
    light->base.iids = light->iids;
    light->base.max_iids = TERN_LIGHT_MAX;
    light->base.n_iids = count;
    light->rated_power_w = rated_power_w;
    for (uint16_t i = 0; i < count; i++) {
        lamp_reset(&light->lamps[i], i);
        light->iids[i] = i;
    }
}

int tern_light_switch(tern_client_t *c, tern_light_t *light, uint16_t iid, bool on)
{
    tern_lamp_t *lamp = tern_light_lamp(light, iid);
    if (lamp == NULL)
        return -TERN_COAP_NOT_FOUND;
    tern_time_t now = tern_client_now(c);
    count_energy(light, lamp, now);
    if (lamp->on != on) {
        set_on(lamp, on, now);
        tern_changed_resource(c, 3311, iid, RES_ON_OFF);
    }
    return 0;
}

int tern_light_dim(tern_client_t *c, tern_light_t *light, uint16_t iid, uint8_t percent)
{
    tern_lamp_t *lamp = tern_light_lamp(light, iid);
    if (lamp == NULL)
        return -TERN_COAP_NOT_FOUND;
    if (percent > 100)
        return -TERN_COAP_BAD_REQUEST;
    count_energy(light, lamp, tern_client_now(c));
    if (lamp->dimmer != percent) {
        lamp->dimmer = percent;
        tern_changed_resource(c, 3311, iid, RES_DIMMER);
    }
    return 0;
}
