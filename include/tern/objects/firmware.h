/*
 * LwM2M Firmware Update object (5), LwM2M 1.0: a package pushed to
 * /5/0/0 (block-wise) or pulled from the Package URI /5/0/1 (coap:// or
 * coaps://, block-wise), stored and checked through the port's fw_*
 * hooks, installed by Execute /5/0/2.
 *
 *   Idle --package or URI--> Downloading --complete, checked--> Downloaded
 *     ^         |  errors: Update Result 2..9, back to Idle        |
 *     |         +--------------------------------------------------+
 *     +--- success (after the restart) --- Updating <--Execute Update
 *                                            | failure: Downloaded, result 8
 * An empty package or URI cancels and resets to Idle. State, Update
 * Result, PkgName and PkgVersion survive a restart with the stored
 * configuration: a download cut by a restart ends "connection lost", an
 * update that restarted the device ends "success" or "update failed"
 * (the port's fw_applied says which).
 */
#ifndef TERN_OBJECTS_FIRMWARE_H
#define TERN_OBJECTS_FIRMWARE_H

#include "tern/tern.h"

/* Room for the Package URI and its NUL, at most 255. */
#ifndef TERN_FIRMWARE_URI_MAX
#define TERN_FIRMWARE_URI_MAX 128
#endif

enum tern_fw_state {
    TERN_FW_IDLE = 0,
    TERN_FW_DOWNLOADING = 1,
    TERN_FW_DOWNLOADED = 2,
    TERN_FW_UPDATING = 3
};

enum tern_fw_result {
    TERN_FW_RESULT_INITIAL = 0,
    TERN_FW_RESULT_SUCCESS = 1,
    TERN_FW_RESULT_NO_STORAGE = 2,
    TERN_FW_RESULT_NO_MEMORY = 3,
    TERN_FW_RESULT_CONNECTION_LOST = 4,
    TERN_FW_RESULT_INTEGRITY = 5,
    TERN_FW_RESULT_UNSUPPORTED_TYPE = 6,
    TERN_FW_RESULT_INVALID_URI = 7,
    TERN_FW_RESULT_UPDATE_FAILED = 8,
    TERN_FW_RESULT_UNSUPPORTED_PROTOCOL = 9
};

typedef struct tern_firmware {
    tern_object_t base;
    uint16_t iid;
    uint8_t state;          /* tern_fw_state */
    uint8_t result;         /* tern_fw_result */
    uint8_t restored_state; /* State as read back from storage, until Result is */
    size_t received;        /* bytes of the package so far */
    size_t total;           /* its announced size, 0 when unknown */
    size_t reported;        /* progress last logged, in tenths */
    char name[32];          /* PkgName */
    char version[32];       /* PkgVersion */
    char uri[TERN_FIRMWARE_URI_MAX];
} tern_firmware_t;

/* Prepares fw (one instance, 0, Idle). Register it with tern_object_register(). */
void tern_firmware_init(tern_firmware_t *fw);

#endif /* TERN_OBJECTS_FIRMWARE_H */
