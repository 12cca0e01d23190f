/*
 * The Light Control object (IPSO 3311) through its callbacks and its
 * application API: energy counting (5805), on time (5852), the checks of
 * the writable resources, Create and Delete; and the Device object's
 * local setters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/lwm2m.h"
#include "lwm2m_fixture.h"
#include "tern/objects/light_control.h"

typedef struct light_fixture {
    fixture_t f;
    tern_light_t light;
    int changes;
    uint16_t changed_iid;
} light_fixture_t;

static void on_change(tern_light_t *light, uint16_t iid, void *user)
{
    (void)light;
    light_fixture_t *x = user;
    x->changes++;
    x->changed_iid = iid;
}

static int setup(void **state)
{
    static light_fixture_t x;
    fixture_init(&x.f);
    tern_light_init(&x.light, 1, 10);
    x.light.on_change = on_change;
    x.light.user = &x;
    x.changes = 0;
    assert_int_equal(tern_object_register(&x.f.client, &x.light.base), 0);
    x.f.fp.now = 1000;
    fixture_step(&x.f);
    *state = &x;
    return 0;
}

static void at(light_fixture_t *x, tern_time_t ms)
{
    x->f.fp.now = ms;
    fixture_step(&x->f);
}

static int light_read(light_fixture_t *x, uint16_t iid, uint16_t rid, tern_value_t *v)
{
    tern_path_t p = tern_path(3, 3311, iid, rid, 0);
    const tern_res_def_t *res = tern_dm_resource(x->light.base.def, rid);
    assert_non_null(res);
    return tern_dm_read_value(&x->f.client, &x->light.base, res, &p, v);
}

static int64_t read_int(light_fixture_t *x, uint16_t rid)
{
    tern_value_t v;
    assert_int_equal(light_read(x, 0, rid, &v), 0);
    return v.v.i;
}

static double read_float(light_fixture_t *x, uint16_t rid)
{
    tern_value_t v;
    assert_int_equal(light_read(x, 0, rid, &v), 0);
    return (double)v.v.f;
}

static int light_write(light_fixture_t *x, uint16_t iid, uint16_t rid, const tern_value_t *v)
{
    tern_path_t p = tern_path(3, 3311, iid, rid, 0);
    const tern_object_ops_t *ops = x->light.base.def->ops;
    int rc = ops->write(&x->f.client, NULL, &p, v);
    int wrc = ops->write(&x->f.client, &x->light.base, &p, v);
    assert_int_equal(rc, wrc); /* the check says what the write does */
    return wrc;
}

static tern_value_t int_value(int64_t i)
{
    tern_value_t v = { TERN_TYPE_INTEGER, { .i = i } };
    return v;
}

static tern_value_t text_value(const char *s)
{
    tern_value_t v = { TERN_TYPE_STRING, { .i = 0 } };
    v.v.bytes.ptr = (const uint8_t *)s;
    v.v.bytes.len = strlen(s);
    return v;
}

static void test_light_defaults(void **state)
{
    light_fixture_t *x = *state;
    tern_value_t v;
    assert_int_equal(light_read(x, 0, 5850, &v), 0);
    assert_false(v.v.b);
    assert_int_equal(read_int(x, 5851), 100);
    assert_int_equal(read_int(x, 5852), 0);
    assert_true(read_float(x, 5805) == 0.0);
    assert_true(read_float(x, 5820) == 1.0);
    assert_int_equal(light_read(x, 0, 5701, &v), 0);
    assert_int_equal(v.v.bytes.len, 2);
    assert_memory_equal(v.v.bytes.ptr, "Wh", 2);
    assert_int_equal(light_read(x, 0, 5706, &v), 0);
    assert_int_equal(v.v.bytes.len, 0);
    assert_int_equal(light_read(x, 1, 5850, &v), -TERN_COAP_NOT_FOUND);
}

static void test_light_energy_and_on_time(void **state)
{
    light_fixture_t *x = *state;
    tern_time_t t0 = 1000;
    assert_int_equal(tern_light_switch(&x->f.client, &x->light, 0, true), 0);
    assert_true(x->light.lamps[0].on);
    at(x, t0 + 3600 * 1000); /* 10 W for an hour */
    assert_true(read_float(x, 5805) == 10.0);
    assert_int_equal(read_int(x, 5852), 3600);
    assert_int_equal(tern_light_on_time(&x->f.client, &x->light.lamps[0]), 3600);
    assert_int_equal(tern_light_dim(&x->f.client, &x->light, 0, 50), 0);
    at(x, t0 + 2 * 3600 * 1000); /* then 5 W for an hour */
    assert_true(read_float(x, 5805) == 15.0);
    assert_int_equal(read_int(x, 5852), 7200);
    assert_int_equal(tern_light_switch(&x->f.client, &x->light, 0, false), 0);
    at(x, t0 + 3 * 3600 * 1000); /* off: nothing more */
    assert_true(read_float(x, 5805) == 15.0);
    assert_int_equal(read_int(x, 5852), 7200);
    /* 9 W at 50 % for 200 s: a quarter of a Wh more, counted to the ms */
    tern_value_t on = { TERN_TYPE_BOOLEAN, { .b = true } };
    assert_int_equal(light_write(x, 0, 5850, &on), 0);
    x->light.rated_power_w = 9;
    at(x, t0 + 3 * 3600 * 1000 + 199999);
    at(x, t0 + 3 * 3600 * 1000 + 200000);
    assert_true(read_float(x, 5805) == 15.25);
    assert_int_equal(read_int(x, 5852), 7400);
    /* on time: only a reset to 0 */
    tern_value_t five = int_value(5);
    assert_int_equal(light_write(x, 0, 5852, &five), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(read_int(x, 5852), 7400);
    tern_value_t zero = int_value(0);
    assert_int_equal(light_write(x, 0, 5852, &zero), 0);
    assert_int_equal(read_int(x, 5852), 0);
    assert_int_equal(x->light.lamps[0].on_ms, 0);
    /* the reset leaves the dimmer and the energy as they were */
    assert_int_equal(read_int(x, 5851), 50);
    assert_true(read_float(x, 5805) == 15.25);
    at(x, t0 + 3 * 3600 * 1000 + 210000);
    assert_int_equal(read_int(x, 5852), 10);
    assert_true(read_float(x, 5805) > 15.25);
}

static void test_light_writes(void **state)
{
    light_fixture_t *x = *state;
    tern_value_t v = int_value(101);
    assert_int_equal(light_write(x, 0, 5851, &v), -TERN_COAP_BAD_REQUEST);
    v = int_value(-1);
    assert_int_equal(light_write(x, 0, 5851, &v), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(x->changes, 0);
    v = int_value(0);
    assert_int_equal(light_write(x, 0, 5851, &v), 0);
    assert_int_equal(x->light.lamps[0].dimmer, 0);
    assert_int_equal(x->changes, 1);
    assert_int_equal(x->changed_iid, 0);
    v = text_value("0123456789abcde"); /* 15 characters fit */
    assert_int_equal(light_write(x, 0, 5706, &v), 0);
    assert_string_equal(x->light.lamps[0].colour, "0123456789abcde");
    v = text_value("0123456789abcdef");
    assert_int_equal(light_write(x, 0, 5706, &v), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(light_write(x, 0, 5750, &v), -TERN_COAP_BAD_REQUEST);
    v = text_value("desk");
    assert_int_equal(light_write(x, 0, 5750, &v), 0);
    assert_string_equal(x->light.lamps[0].app_type, "desk");
    tern_value_t rv;
    assert_int_equal(light_read(x, 0, 5750, &rv), 0);
    assert_int_equal(rv.v.bytes.len, 4);
    assert_memory_equal(rv.v.bytes.ptr, "desk", 4);
    assert_int_equal(x->changes, 3);
    /* read-only resources (written by a Create) are refused */
    tern_path_t p = tern_path(3, 3311, 0, 5701, 0);
    assert_int_equal(x->light.base.def->ops->write(&x->f.client, &x->light.base, &p, &v),
                     -TERN_COAP_METHOD_NOT_ALLOWED);
    p.ids[2] = 5805;
    v = int_value(0);
    assert_int_equal(x->light.base.def->ops->write(&x->f.client, &x->light.base, &p, &v),
                     -TERN_COAP_METHOD_NOT_ALLOWED);
    assert_int_equal(x->changes, 3);
    /* the local API */
    assert_int_equal(tern_light_dim(&x->f.client, &x->light, 0, 101), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(tern_light_dim(&x->f.client, &x->light, 1, 50), -TERN_COAP_NOT_FOUND);
    assert_int_equal(tern_light_switch(&x->f.client, &x->light, 1, true), -TERN_COAP_NOT_FOUND);
    assert_int_equal(tern_light_dim(&x->f.client, &x->light, 0, 70), 0);
    assert_int_equal(read_int(x, 5851), 70);
}

static void test_light_create_delete(void **state)
{
    light_fixture_t *x = *state;
    tern_object_t *obj = &x->light.base;
    const tern_object_ops_t *ops = obj->def->ops;
    assert_int_equal(obj->n_iids, 1);
    assert_int_equal(ops->create(&x->f.client, obj, 7), 0);
    assert_int_equal(tern_dm_iid_insert(obj, 7), 0);
    tern_lamp_t *lamp = tern_light_lamp(&x->light, 7);
    assert_non_null(lamp);
    assert_false(lamp->on);
    assert_int_equal(lamp->dimmer, 100);
    tern_value_t v = int_value(30);
    assert_int_equal(light_write(x, 7, 5851, &v), 0);
    assert_int_equal(x->changed_iid, 7);
    assert_int_equal(x->light.lamps[0].dimmer, 100);
    /* every slot in use */
    assert_int_equal(ops->create(&x->f.client, obj, 8), -TERN_COAP_INTERNAL_SERVER_ERROR);
    assert_int_equal(ops->remove(&x->f.client, obj, 0), 0);
    assert_null(tern_light_lamp(&x->light, 0));
    assert_int_equal(ops->create(&x->f.client, obj, 8), 0);
    assert_non_null(tern_light_lamp(&x->light, 8));
    assert_int_equal(tern_light_lamp(&x->light, 8)->dimmer, 100);
}

static void test_device_local_api(void **state)
{
    light_fixture_t *x = *state;
    tern_device_t *dev = &x->f.device;
    tern_client_t *c = &x->f.client;
    tern_value_t v;
    const tern_res_def_t *res = tern_dm_resource(dev->base.def, 11);
    tern_path_t p = tern_path(4, 3, 0, 11, 0);
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, TERN_DEVICE_NO_ERROR);
    assert_int_equal(dev->base.def->ops->next_res_instance(c, &dev->base, &p, TERN_ID_NONE), 0);
    assert_int_equal(dev->base.def->ops->next_res_instance(c, &dev->base, &p, 0), -1);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_LOW_BATTERY), 0);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_LOW_BATTERY), 0);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_IP_FAILURE), 0);
    assert_int_equal(dev->n_errors, 2);
    p.ids[3] = 1;
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, TERN_DEVICE_IP_FAILURE);
    assert_int_equal(dev->base.def->ops->next_res_instance(c, &dev->base, &p, 0), 1);
    assert_int_equal(dev->base.def->ops->next_res_instance(c, &dev->base, &p, 1), -1);
    p.ids[3] = 2;
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), -TERN_COAP_NOT_FOUND);
    for (int i = 2; i < TERN_DEVICE_MAX_ERRORS; i++)
        assert_int_equal(tern_device_add_error(c, dev, (uint8_t)(i + 2)), 0);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_SMS_FAILURE), TERN_ERR_NO_SPACE);
    /* Reset Error Code: back to the single 0 */
    p = tern_path(3, 3, 0, 12, 0);
    assert_int_equal(dev->base.def->ops->execute(c, &dev->base, &p, NULL, 0), 0);
    p = tern_path(4, 3, 0, 11, 0);
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, TERN_DEVICE_NO_ERROR);
    p.ids[3] = 1;
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), -TERN_COAP_NOT_FOUND);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_GPS_FAILURE), 0);
    p.ids[3] = 0;
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, TERN_DEVICE_GPS_FAILURE);
    /* battery: absent until set */
    res = tern_dm_resource(dev->base.def, 9);
    p = tern_path(3, 3, 0, 9, 0);
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), -TERN_COAP_NOT_FOUND);
    tern_device_set_battery(c, dev, 80);
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, 80);
    /* the clock */
    tern_device_set_time(c, dev, 1700000000);
    at(x, x->f.fp.now + 5000);
    res = tern_dm_resource(dev->base.def, 13);
    p.ids[2] = 13;
    assert_int_equal(tern_dm_read_value(c, &dev->base, res, &p, &v), 0);
    assert_int_equal(v.v.i, 1700000005);
}

/* Reads Device resource rid as a string: 0, or the error. */
static int device_text(light_fixture_t *x, uint16_t rid, const char *want)
{
    tern_device_t *dev = &x->f.device;
    tern_value_t v;
    tern_path_t p = tern_path(3, 3, 0, rid, 0);
    int rc =
        tern_dm_read_value(&x->f.client, &dev->base, tern_dm_resource(dev->base.def, rid), &p, &v);
    if (rc == 0) {
        assert_int_equal(v.v.bytes.len, strlen(want));
        assert_memory_equal(v.v.bytes.ptr, want, strlen(want));
    }
    return rc;
}

/* Device: the check and the write of rid with text, which must agree. */
static int device_write_text(light_fixture_t *x, uint16_t rid, const char *text)
{
    tern_device_t *dev = &x->f.device;
    const tern_object_ops_t *ops = dev->base.def->ops;
    tern_path_t p = tern_path(3, 3, 0, rid, 0);
    tern_value_t v = text_value(text);
    int rc = ops->write(&x->f.client, NULL, &p, &v);
    int wrc = ops->write(&x->f.client, &dev->base, &p, &v);
    assert_int_equal(rc, wrc);
    return wrc;
}

static void test_device_resources(void **state)
{
    light_fixture_t *x = *state;
    tern_device_t *dev = &x->f.device;
    /* the fixture's identity: four strings, the rest left out */
    assert_int_equal(device_text(x, 0, "Tern"), 0);
    assert_int_equal(device_text(x, 1, "test"), 0);
    assert_int_equal(device_text(x, 2, "T-1"), 0);
    assert_int_equal(device_text(x, 3, "1.0"), 0);
    assert_int_equal(device_text(x, 16, "U"), 0); /* the default binding */
    for (uint16_t rid = 17; rid <= 19; rid++)
        assert_int_equal(device_text(x, rid, ""), -TERN_COAP_NOT_FOUND);
    /* executable resources have no value */
    assert_int_equal(device_text(x, 4, ""), -TERN_COAP_NOT_FOUND);
    assert_int_equal(device_text(x, 5, ""), -TERN_COAP_NOT_FOUND);
    assert_int_equal(device_text(x, 12, ""), -TERN_COAP_NOT_FOUND);
    /* every string given */
    static const tern_device_info_t FULL = { "M", "Mo", "S", "F", "DT", "HW", "SW", "UQ" };
    const tern_device_info_t *saved = dev->info;
    dev->info = &FULL;
    assert_int_equal(device_text(x, 0, "M"), 0);
    assert_int_equal(device_text(x, 3, "F"), 0);
    assert_int_equal(device_text(x, 16, "UQ"), 0);
    assert_int_equal(device_text(x, 17, "DT"), 0);
    assert_int_equal(device_text(x, 18, "HW"), 0);
    assert_int_equal(device_text(x, 19, "SW"), 0);
    dev->info = saved;
    /* the writable texts: absent until written, within their sizes */
    assert_int_equal(device_text(x, 14, ""), -TERN_COAP_NOT_FOUND);
    assert_int_equal(device_write_text(x, 14, "+01:00"), 0);
    assert_int_equal(device_text(x, 14, "+01:00"), 0);
    assert_int_equal(device_write_text(x, 14, "+01:00:0"), -TERN_COAP_BAD_REQUEST);
    assert_int_equal(device_text(x, 14, "+01:00"), 0);
    assert_int_equal(device_write_text(x, 15, "Europe/Berlin"), 0);
    assert_int_equal(device_text(x, 15, "Europe/Berlin"), 0);
    assert_int_equal(device_write_text(x, 15, "0123456789abcdef0123456789abcde"), 0);
    assert_int_equal(device_write_text(x, 15, "0123456789abcdef0123456789abcdef"),
                     -TERN_COAP_BAD_REQUEST);
    assert_int_equal(device_text(x, 15, "0123456789abcdef0123456789abcde"), 0);
    /* a read-only resource (reached only by a Bootstrap-Write) */
    assert_int_equal(device_write_text(x, 0, "X"), -TERN_COAP_METHOD_NOT_ALLOWED);
    assert_int_equal(device_text(x, 0, "Tern"), 0);
    /* the clock: a check changes nothing */
    tern_path_t p = tern_path(3, 3, 0, 13, 0);
    tern_value_t t = int_value(1800000000);
    assert_int_equal(dev->base.def->ops->write(&x->f.client, NULL, &p, &t), 0);
    assert_true(dev->time_offset_s == 0);
    assert_int_equal(dev->base.def->ops->write(&x->f.client, &dev->base, &p, &t), 0);
    assert_true(dev->time_offset_s == 1800000000 - x->f.fp.now / 1000);
}

static int reboots, factory_resets;
static void count_reboot(void *ctx)
{
    (void)ctx;
    reboots++;
}
static void count_factory_reset(void *ctx)
{
    (void)ctx;
    factory_resets++;
}

/* Reboot (4) and Factory Reset (5) run the port's hook once the response
 * is on its way; Reset Error Code (12) empties the list. */
static void test_device_execute(void **state)
{
    light_fixture_t *x = *state;
    tern_device_t *dev = &x->f.device;
    tern_client_t *c = &x->f.client;
    const tern_object_ops_t *ops = dev->base.def->ops;
    static tern_port_ops_t hooks;
    hooks = *x->f.port.ops;
    hooks.reboot = count_reboot;
    hooks.factory_reset = count_factory_reset;
    x->f.port.ops = &hooks;
    reboots = factory_resets = 0;
    tern_path_t p = tern_path(3, 3, 0, 4, 0);
    assert_int_equal(ops->execute(c, &dev->base, &p, NULL, 0), 0);
    assert_int_equal(reboots + factory_resets, 0); /* not yet */
    c->after_response(c, c->after_arg);
    assert_int_equal(reboots, 1);
    assert_int_equal(factory_resets, 0);
    p.ids[2] = 5;
    assert_int_equal(ops->execute(c, &dev->base, &p, NULL, 0), 0);
    c->after_response(c, c->after_arg);
    assert_int_equal(reboots, 1);
    assert_int_equal(factory_resets, 1);
    assert_int_equal(tern_device_add_error(c, dev, TERN_DEVICE_LOW_BATTERY), 0);
    p.ids[2] = 12;
    c->after_response = NULL;
    assert_int_equal(ops->execute(c, &dev->base, &p, NULL, 0), 0);
    assert_int_equal(dev->n_errors, 0);
    assert_null(c->after_response);
    /* without the hooks neither is allowed */
    hooks.factory_reset = NULL;
    p.ids[2] = 4;
    assert_int_equal(ops->execute(c, &dev->base, &p, NULL, 0), -TERN_COAP_METHOD_NOT_ALLOWED);
    assert_null(c->after_response);
}

/* Binding (Server resource 7): exactly the six modes of LwM2M 1.0. */
static void test_binding_modes(void **state)
{
    (void)state;
    static const char *const GOOD[] = { "U", "UQ", "S", "SQ", "US", "UQS" };
    static const char *const BAD[] = { "", "Q", "USQ", "UQSQ", "UU", "SU", "QU", "u", "T", "UQS1" };
    for (size_t i = 0; i < sizeof(GOOD) / sizeof(GOOD[0]); i++)
        assert_true(tern_binding_valid(GOOD[i], strlen(GOOD[i])));
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
        assert_false(tern_binding_valid(BAD[i], strlen(BAD[i])));
    assert_false(tern_binding_valid("U\0", 2)); /* a NUL is no letter */
    assert_true(tern_binding_valid("UQSX", 3)); /* only len bytes count */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_light_defaults, setup),
        cmocka_unit_test_setup(test_light_energy_and_on_time, setup),
        cmocka_unit_test_setup(test_light_writes, setup),
        cmocka_unit_test_setup(test_light_create_delete, setup),
        cmocka_unit_test_setup(test_device_local_api, setup),
        cmocka_unit_test_setup(test_device_resources, setup),
        cmocka_unit_test_setup(test_device_execute, setup),
        cmocka_unit_test(test_binding_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
