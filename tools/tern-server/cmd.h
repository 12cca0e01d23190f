/* The command language, one command per line (stdin or --script):
 * parsing, the command table, running a command to completion while the
 * event loop turns, and checking expectations. */
#ifndef SRV_CMD_H
#define SRV_CMD_H

#include "server.h"

typedef enum cmd_status {
    CMD_OK,
    CMD_FAIL, /* already reported with out_error */
    CMD_PENDING,
    CMD_QUIT,
} cmd_status_t;

typedef struct srv_cmd srv_cmd_t;

/* Parses and starts one line (blank lines and # comments are CMD_OK).
 * When it returns CMD_PENDING, *cmd is the running command: call cmd_poll
 * as time passes and events arrive until it returns something else, then
 * cmd_free. */
cmd_status_t cmd_start(srv_t *srv, const char *line, int lineno, srv_cmd_t **cmd);
cmd_status_t cmd_poll(srv_t *srv, srv_cmd_t *cmd, int64_t now);
/* When the running command next needs a poll without an event. */
int64_t cmd_deadline(const srv_cmd_t *cmd);
void cmd_free(srv_t *srv, srv_cmd_t *cmd);

/* The command reference printed by --help and the help command. */
extern const char cmd_reference[];

#endif
