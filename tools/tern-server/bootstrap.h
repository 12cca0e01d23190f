/* --bootstrap CONFIG: tern-server as the LwM2M Bootstrap-Server (OMA LwM2M
 * 1.0 TS 5.2, E.1-E.3).
 *
 *   client                                    tern-server --bootstrap
 *     | POST /bs?ep=NAME                          |
 *     |------------------------------------------>| 2.04 (4.00: unknown NAME)
 *     |<------------------------------------------| DELETE /      (delete /)
 *     |<------------------------------------------| GET / link    (Discover: ids)
 *     |<------------------------------------------| PUT /0/N TLV  (each server)
 *     |<------------------------------------------| PUT /1/N TLV
 *     |<------------------------------------------| PUT /2/N TLV  (each acl)
 *     |<------------------------------------------| GET / link    (discover)
 *     |<------------------------------------------| POST /bs      (Finish)
 *
 * What is written comes from the configuration file (bs_config.h). The
 * same sequence runs server-initiated with the command "bootstrap EP
 * HOST:PORT" (to a client in its hold-off time, sent from the port
 * tern-server listens on). Every step is printed (events bootstrap-request,
 * bootstrap-initiated, bootstrap-op, bootstrap-finished, bootstrap-failed);
 * the first response other than 2.xx ends the sequence. The registration
 * interface (/rd) stays, so one process can be both servers. */
#ifndef SRV_BOOTSTRAP_H
#define SRV_BOOTSTRAP_H

#include "cmd.h"
#include "server.h"

/* Loads the configuration and adds /bs when --bootstrap was given
 * (otherwise does nothing); prints what is wrong on stderr and returns
 * false when the file is unusable. */
bool bs_init(srv_t *srv);
/* Advances the bootstrap sequences: next request when one was answered. */
void bs_tick(srv_t *srv, int64_t now);
void bs_free(srv_t *srv);

/* Commands (cmd.c's table). */
cmd_status_t cmd_start_wait_bootstrapped(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_wait_bootstrapped(srv_t *srv, srv_cmd_t *cmd, int64_t now);
cmd_status_t cmd_start_bootstrap(srv_t *srv, srv_cmd_t *cmd);
cmd_status_t cmd_poll_bootstrap(srv_t *srv, srv_cmd_t *cmd, int64_t now);
/* refuse-registration CODE|off: Register answered with CODE (registry.c),
 * to send a client back to its Bootstrap-Server. */
cmd_status_t cmd_start_refuse_registration(srv_t *srv, srv_cmd_t *cmd);

/* The --help text: the configuration format, commands and events. */
extern const char bs_reference[];

#endif
