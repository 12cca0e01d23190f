/*
 * IPSO Light Control object (3311): on/off (5850), dimmer (5851), on time
 * (5852), cumulative active power (5805), power factor (5820), colour
 * (5706), sensor units (5701) and application type (5750).
 *
 * The application owns the lamps: it reads the state from the struct,
 * gets on_change() after a server changed something, and switches lamps
 * locally with tern_light_switch() / tern_light_dim(), which notify
 * observers.
 */
#ifndef TERN_OBJECTS_LIGHT_CONTROL_H
#define TERN_OBJECTS_LIGHT_CONTROL_H

#include "tern/tern.h"

#ifndef TERN_LIGHT_MAX
#define TERN_LIGHT_MAX 2
#endif

typedef struct tern_lamp {
    uint16_t iid; /* its instance id */
    bool used;    /* the slot holds a lamp */
    bool on;
    uint8_t dimmer;  /* 0..100 % */
    char colour[16]; /* free text, e.g. "#FFD700" or "warm white" */
    char app_type[16];
    tern_time_t counted_at; /* on time and energy are counted up to here */
    uint64_t on_ms;         /* time switched on, ms */
    uint64_t energy;        /* cumulative energy, mW*ms */
} tern_lamp_t;

typedef struct tern_light tern_light_t;

struct tern_light {
    tern_object_t base;
    uint16_t iids[TERN_LIGHT_MAX];
    tern_lamp_t lamps[TERN_LIGHT_MAX];
    uint16_t rated_power_w; /* power at full brightness, for 5805 */
    /* Called after a server wrote to lamp iid; may be NULL. */
    void (*on_change)(tern_light_t *light, uint16_t iid, void *user);
    void *user;
};

/*
 * Prepares `count` lamps (instances 0..count-1, at most TERN_LIGHT_MAX),
 * off, at full brightness. A server may Create more, with any instance
 * id, up to TERN_LIGHT_MAX lamps, and Delete any. Register with
 * tern_object_register().
 */
void tern_light_init(tern_light_t *light, uint16_t count, uint16_t rated_power_w);

/* The lamp with instance id iid, or NULL. */
tern_lamp_t *tern_light_lamp(tern_light_t *light, uint16_t iid);

/* Local switch / dimmer: updates the lamp and notifies observers.
 * Return 0 or -TERN_COAP_NOT_FOUND / -TERN_COAP_BAD_REQUEST. */
int tern_light_switch(tern_client_t *client, tern_light_t *light, uint16_t iid, bool on);
int tern_light_dim(tern_client_t *client, tern_light_t *light, uint16_t iid, uint8_t percent);

/* Seconds lamp iid has been on (resource 5852) at the client's time. */
uint32_t tern_light_on_time(tern_client_t *client, const tern_lamp_t *lamp);

#endif /* TERN_OBJECTS_LIGHT_CONTROL_H */
