/* IPSO Light Control object (3311). */
#include <string.h>

#include "core/arith.h"
#include "core/compiler.h"
#include "core/fixed.h"
#include "objects/fields.h"
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

/* The resources by their place in RESOURCES: a dense range to switch on. */
enum { UNITS, COLOUR, APP_TYPE, ENERGY, POWER_FACTOR, ON_OFF, DIMMER, ON_TIME };

/* The engine calls only with a resource of RESOURCES. */
static TERN_NOINLINE unsigned res_index(const tern_path_t *path)
{
    unsigned i = 0;
    while (RESOURCES[i].id != path->ids[2])
        i++;
    return i;
}

#define LAMP_FIELD(member, kind, limit) TERN_FIELD(tern_lamp_t, member, kind, limit)

/* By place in RESOURCES. The on time takes only a reset to 0 (IPSO): its
 * field checks that and clears one byte of on_ms, lamp_set the rest. */
static const tern_field_t FIELDS[] = {
    { 0, TERN_FIELD_NONE, 0 },
    LAMP_FIELD(colour, TERN_FIELD_STRING, sizeof(((tern_lamp_t *)0)->colour)),
    LAMP_FIELD(app_type, TERN_FIELD_STRING, sizeof(((tern_lamp_t *)0)->app_type)),
    { 0, TERN_FIELD_NONE, 0 },
    { 0, TERN_FIELD_NONE, 0 },
    LAMP_FIELD(on, TERN_FIELD_BOOL, 0),
    LAMP_FIELD(dimmer, TERN_FIELD_U8, 100),
    LAMP_FIELD(on_ms, TERN_FIELD_U8, 0),
};

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

/* Lamp iid, or NULL, with its on time and energy (at the light's rated
 * power) added since counted_at: before every change of on/off or
 * dimmer, and before they are read. */
static TERN_NOINLINE tern_lamp_t *counted_lamp(tern_client_t *c, tern_light_t *light, uint16_t iid)
{
    tern_lamp_t *lamp = tern_light_lamp(light, iid);
    if (lamp == NULL)
        return NULL;
    tern_time_t now = c->now;
    if (lamp->on && now > lamp->counted_at) {
        uint64_t ms = (uint64_t)(now - lamp->counted_at);
        lamp->on_ms += ms;
        lamp->energy += (uint64_t)(lamp->dimmer * 10u * light->rated_power_w) * ms;
    }
    lamp->counted_at = now;
    return lamp;
}

uint32_t tern_light_on_time(tern_client_t *c, const tern_lamp_t *lamp)
{
    tern_time_t now = c->now;
    uint64_t ms = lamp->on_ms;
    if (lamp->on && now > lamp->counted_at)
        ms += (uint64_t)(now - lamp->counted_at);
    return (uint32_t)tern_udiv64(ms, 1000, NULL);
}

static int light_read(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                      tern_value_t *v)
{
    tern_light_t *light = light_of(obj);
    tern_lamp_t *lamp = counted_lamp(c, light, path->ids[1]);
    unsigned i = res_index(path);
    uint64_t fixed = 1u << 16; /* a Float value times 2^16 */
    if (lamp == NULL)
        return -TERN_COAP_NOT_FOUND;
    switch (i) {
    case UNITS:
        v->v.bytes.ptr = (const uint8_t *)"Wh";
        v->v.bytes.len = 2;
        return 0;
    case ENERGY:
        /* Wh * 2^16 = mJ * 2^9 / 28125, in integers: no float division */
        fixed = tern_udiv64(tern_udiv64(lamp->energy, 1000, NULL) << 9, 28125, NULL);
        /* fall through */
    case POWER_FACTOR: /* 1: a resistive lamp */
        (void)tern_float_compose(false, fixed, -16, &v->v.f);
        return 0;
    case ON_TIME: /* counted just above */
        v->v.i = (int64_t)tern_udiv64(lamp->on_ms, 1000, NULL);
        return 0;
    default:
        return tern_field_read(lamp, &FIELDS[i], v);
    }
}

/*
 * Checks v for resource i (a place in RESOURCES) and, with light, sets
 * it in lamp iid after counting up to now: 1 when that changed the
 * field, 0 when not (or only checked), or an error.
 */
static int lamp_set(tern_client_t *c, tern_light_t *light, uint16_t iid, unsigned i,
                    const tern_value_t *v)
{
    const tern_field_t *f = &FIELDS[i];
    tern_lamp_t *lamp = NULL;
    uint8_t before = 0;
    if (light != NULL) {
        /* counting first is harmless when v is refused */
        if ((lamp = counted_lamp(c, light, iid)) == NULL)
            return -TERN_COAP_NOT_FOUND;
        before = ((uint8_t *)lamp)[f->offset];
    }
    int rc = tern_field_write(lamp, f, v);
    if (rc != 0 || lamp == NULL)
        return rc;
    if (i == ON_TIME)
        lamp->on_ms = 0;
    return ((uint8_t *)lamp)[f->offset] != before;
}

/* A server's write: the application hears of it. obj NULL: only the
 * check, which changes nothing. */
static int light_write(tern_client_t *c, tern_object_t *obj, const tern_path_t *path,
                       const tern_value_t *v)
{
    tern_light_t *light = light_of(obj);
    int rc = lamp_set(c, light, path->ids[1], res_index(path), v);
    if (rc < 0 || light == NULL)
        return rc;
    if (light->on_change != NULL)
        light->on_change(light, path->ids[1], light->user);
    return 0;
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
    tern_light_lamp(light_of(obj), iid)->used = false; /* iid exists */
    return 0;
}

static const tern_object_ops_t LIGHT_OPS = {
    .read = light_read,
    .write = light_write,
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
        tern_lamp_t *lamp = &light->lamps[i];
        lamp->iid = light->iids[i] = i;
        lamp->used = true;
        lamp->dimmer = 100; /* off, full brightness (zeroed above) */
    }
}

/* The local switch and dimmer: the checks of a server's write; the
 * observers hear of a change. */
static int set_local(tern_client_t *c, tern_light_t *light, uint16_t iid, unsigned i,
                     const tern_value_t *v)
{
    int rc = lamp_set(c, light, iid, i, v);
    if (rc > 0)
        tern_changed_resource(c, 3311, iid, RESOURCES[i].id);
    return rc < 0 ? rc : 0;
}

int tern_light_switch(tern_client_t *c, tern_light_t *light, uint16_t iid, bool on)
{
    tern_value_t v;
    v.v.b = on;
    return set_local(c, light, iid, ON_OFF, &v);
}

int tern_light_dim(tern_client_t *c, tern_light_t *light, uint16_t iid, uint8_t percent)
{
    tern_value_t v;
    v.v.i = percent;
    return set_local(c, light, iid, DIMMER, &v);
}
