/* The windowed sink: counts every byte, stores only [skip, skip + cap),
 * patches only inside the window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "format/format.h"

static void test_window(void **state)
{
    (void)state;
    uint8_t buf[8];
    tern_sink_t s;
    memset(buf, '.', sizeof(buf));
    tern_sink_init(&s, buf, 4, 3);
    tern_sink_write(&s, "ab", 2); /* 0..1: before the window */
    assert_int_equal(tern_sink_stored(&s), 0);
    tern_sink_write(&s, "cdefgh", 6); /* 2..7: 3..6 are stored */
    assert_int_equal(s.pos, 8);
    assert_int_equal(tern_sink_stored(&s), 4);
    tern_sink_write(&s, "ijk", 3); /* after the window */
    assert_int_equal(s.pos, 11);
    assert_int_equal(tern_sink_stored(&s), 4);
    assert_memory_equal(buf, "defg....", 8);
    assert_int_equal(s.error, 0);
    tern_sink_write(&s, NULL, 0);
    assert_int_equal(s.pos, 11);

    /* a window in the middle of one write */
    memset(buf, '.', sizeof(buf));
    tern_sink_init(&s, buf, 2, 5);
    tern_sink_write(&s, "0123456789", 10);
    assert_memory_equal(buf, "56......", 8);
    assert_int_equal(tern_sink_stored(&s), 2);

    /* no storage at all: a pure counter */
    tern_sink_init(&s, NULL, 100, 0);
    tern_sink_write(&s, "0123456789", 10);
    assert_int_equal(s.pos, 10);
    assert_int_equal(tern_sink_stored(&s), 0);

    /* a window reaching the end of the address space */
    tern_sink_init(&s, buf, SIZE_MAX, 2);
    tern_sink_write(&s, "0123", 4);
    assert_int_equal(tern_sink_stored(&s), 2);
    assert_memory_equal(buf, "23", 2);
}

static void test_patch(void **state)
{
    (void)state;
    uint8_t buf[8];
    tern_sink_t s;
    memset(buf, '.', sizeof(buf));
    tern_sink_init(&s, buf, 4, 2);
    tern_sink_write(&s, "abcdefgh", 8); /* stores cdef */
    tern_sink_patch(&s, 0, "XY", 2);    /* before the window: nothing */
    assert_memory_equal(buf, "cdef", 4);
    tern_sink_patch(&s, 1, "XY", 2); /* straddles its start */
    assert_memory_equal(buf, "Ydef", 4);
    tern_sink_patch(&s, 5, "ZW", 2); /* straddles its end */
    assert_memory_equal(buf, "YdeZ....", 8);
    tern_sink_patch(&s, 6, "Q", 1); /* after it */
    assert_memory_equal(buf, "YdeZ....", 8);
    assert_int_equal(s.error, 0);
    tern_sink_patch(&s, 7, "QR", 2); /* bytes not produced yet */
    assert_int_equal(s.error, TERN_ERR_ARG);
    tern_sink_write(&s, "more", 4); /* sticky */
    assert_int_equal(s.pos, 8);

    tern_sink_init(&s, buf, 4, 0);
    tern_sink_patch(&s, 0, "", 0);
    assert_int_equal(s.error, 0);
    tern_sink_patch(&s, 1, "", 0);
    assert_int_equal(s.error, TERN_ERR_ARG);
}

static void test_overflow(void **state)
{
    (void)state;
    uint8_t buf[4];
    tern_sink_t s;
    tern_sink_init(&s, buf, sizeof(buf), 0);
    s.pos = SIZE_MAX - 1; /* as if almost everything had been produced */
    s.skip = SIZE_MAX;
    tern_sink_write(&s, "ab", 2);
    assert_int_equal(s.error, TERN_ERR_NO_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_patch),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
