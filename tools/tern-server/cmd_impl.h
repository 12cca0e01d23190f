/* Internals shared by the command modules: cmd.c (parsing, the table,
 * running), cmd_ops.c (device-management operations and expectations) and
 * cmd_wait.c (waiting for registrations, updates and notifications). */
#ifndef SRV_CMD_IMPL_H
#define SRV_CMD_IMPL_H

#include "cmd.h"
#include "encode.h"
#include "ops.h"
#include "registry.h"

typedef struct cmd_def cmd_def_t;

struct srv_cmd {
    int line;
    char *text;
    const cmd_def_t *def;
    srv_arg_t *argv; /* positional arguments after the command name */
    int argc;
    char *rest; /* raw text after the command name */
    /* expectations and options */
    char *expect;
    char **values;
    int n_values;
    char **contains;
    int n_contains;
    int64_t timeout_ms;
    /* while running */
    srv_request_t *req;
    int64_t deadline;
    int64_t wait_ms;
    srv_path_t path;
    char *wait_value;
    char *last_seen;
    bool cancel;
    uint8_t cancel_token[SRV_TOKEN_LEN];
    struct push_state *push; /* push.c */
};

struct cmd_def {
    const char *name;
    const char *usage;
    int min_args, max_args; /* positional; -1 = no limit */
    bool operation;         /* takes expect / timeout options */
    cmd_status_t (*start)(srv_t *srv, srv_cmd_t *cmd);
    cmd_status_t (*poll)(srv_t *srv, srv_cmd_t *cmd, int64_t now);
};

/* Reports a failed command (line and text) and returns CMD_FAIL. */
cmd_status_t cmd_fail(srv_t *srv, srv_cmd_t *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The command's own timeout option, or --timeout. */
int64_t cmd_timeout(const srv_t *srv, const srv_cmd_t *cmd);
/* The registered client ep, or NULL after reporting why not. */
srv_client_t *cmd_need_client(srv_t *srv, srv_cmd_t *cmd, const char *ep);
/* Parses a path of min_depth..max_depth segments, or reports why not. */
bool cmd_need_path(srv_t *srv, srv_cmd_t *cmd, const char *text, int min_depth, int max_depth,
                   srv_path_t *out);
/* A TIMEOUT argument at index (the default when absent), or reports it. */
bool cmd_timeout_arg(srv_t *srv, srv_cmd_t *cmd, int index, int64_t *out);

/* cmd_ops.c: EP and PATH, the first two arguments of every operation:
 * sets cmd->path and returns the registered client, or NULL after saying
 * why not. */
srv_client_t *cmd_op_target(srv_t *srv, srv_cmd_t *cmd, int min_depth, int max_depth);

/* cmd_ops.c: read ... cancel-observe; poll_request finishes them all. */
cmd_status_t cmd_start_read(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_discover(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_write(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_write_partial(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_write_attr(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_exec(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_create(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_delete(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_observe(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_start_cancel_observe(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_request(srv_t *srv, srv_cmd_t *cmd, int64_t now);

/* cmd_wait.c */
cmd_status_t cmd_start_wait(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_wait_registered(srv_t *srv, srv_cmd_t *cmd, int64_t now);
cmd_status_t cmd_poll_wait_update(srv_t *srv, srv_cmd_t *cmd, int64_t now);
cmd_status_t cmd_start_wait_deregistered(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_wait_deregistered(srv_t *srv, srv_cmd_t *cmd, int64_t now);
cmd_status_t cmd_start_wait_notify(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_wait_notify(srv_t *srv, srv_cmd_t *cmd, int64_t now);

/* push.c: push-firmware */
cmd_status_t cmd_start_push_firmware(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_push_firmware(srv_t *srv, srv_cmd_t *cmd, int64_t now);
void push_free(struct push_state *p);

#endif
