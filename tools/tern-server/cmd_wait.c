/* Commands that wait: for a registration, an update, the end of a
 * registration, or a notification. Each consumes the event it waited for,
 * so the next wait of the same kind waits for a new one. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_impl.h"
#include "out.h"
#include "values.h"

/* ---- waits ---- */

cmd_status_t cmd_start_wait(srv_t *srv, srv_cmd_t *cmd)
{
    int64_t timeout;
    if (!cmd_timeout_arg(srv, cmd, 1, &timeout))
        return CMD_FAIL;
    cmd->wait_ms = timeout;
    cmd->deadline = now_ms() + timeout;
    return cmd->def->poll(srv, cmd, now_ms()); /* at once when it already happened */
}

static cmd_status_t wait_timed_out(srv_t *srv, srv_cmd_t *cmd, const char *what)
{
    return cmd_fail(srv, cmd, "timeout: %s %s within %.3gs", cmd->argv[0].text, what,
                    (double)cmd->wait_ms / 1000);
}

cmd_status_t cmd_poll_wait_registered(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    srv_client_t *c = registry_find(srv, cmd->argv[0].text);
    if (c != NULL && c->registrations > c->registrations_waited) {
        /* older updates and ends belong to the registrations just consumed */
        c->registrations_waited = c->registrations;
        c->updates_waited = c->updates;
        c->ends_waited = c->ends;
        return CMD_OK;
    }
    if (now >= cmd->deadline)
        return wait_timed_out(srv, cmd, "did not register");
    return CMD_PENDING;
}

cmd_status_t cmd_poll_wait_update(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    srv_client_t *c = registry_find(srv, cmd->argv[0].text);
    if (c != NULL && c->updates > c->updates_waited) {
        c->updates_waited = c->updates;
        return CMD_OK;
    }
    if (now >= cmd->deadline)
        return wait_timed_out(srv, cmd, "sent no registration update");
    return CMD_PENDING;
}

cmd_status_t cmd_start_wait_deregistered(srv_t *srv, srv_cmd_t *cmd)
{
    if (registry_find(srv, cmd->argv[0].text) == NULL)
        return cmd_fail(srv, cmd, "unknown client '%s': it has never registered",
                        cmd->argv[0].text);
    return cmd_start_wait(srv, cmd);
}

cmd_status_t cmd_poll_wait_deregistered(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    srv_client_t *c = registry_find(srv, cmd->argv[0].text);
    if (!c->registered || c->ends > c->ends_waited) {
        c->ends_waited = c->ends;
        return CMD_OK;
    }
    if (now >= cmd->deadline)
        return wait_timed_out(srv, cmd, "is still registered");
    return CMD_PENDING;
}

cmd_status_t cmd_start_wait_notify(srv_t *srv, srv_cmd_t *cmd)
{
    srv_client_t *c = cmd_op_target(srv, cmd, 1, 4);
    if (c == NULL)
        return CMD_FAIL;
    if (ops_find_observation(srv, c, &cmd->path) == NULL)
        return cmd_fail(srv, cmd, "not observing %s on %s (observe it first)", cmd->argv[1].text,
                        c->ep);
    int64_t timeout = cmd_timeout(srv, cmd);
    if (cmd->argc == 4) {
        cmd->wait_value = xstrdup(cmd->argv[2].text);
        if (!cmd_timeout_arg(srv, cmd, 3, &timeout))
            return CMD_FAIL;
    } else if (cmd->argc == 3) {
        if (has_duration_unit(cmd->argv[2].text) && cmd->argv[2].quote_at < 0) {
            if (!cmd_timeout_arg(srv, cmd, 2, &timeout))
                return CMD_FAIL;
        } else {
            cmd->wait_value = xstrdup(cmd->argv[2].text);
        }
    }
    cmd->wait_ms = timeout;
    cmd->deadline = now_ms() + timeout;
    return cmd->def->poll(srv, cmd, now_ms()); /* at once when it already happened */
}

/* The value a notification carries at the observed path (or its only one). */
static const srv_value_t *notified_value(const srv_cmd_t *cmd, const srv_notification_t *n,
                                         const char **expected)
{
    srv_path_t p = cmd->path;
    const char *spec = cmd->wait_value;
    const char *eq = strchr(spec, '=');
    *expected = spec;
    if (spec[0] == '/' && eq != NULL) {
        char *ptext = xstrndup(spec, (size_t)(eq - spec));
        bool ok = path_parse(ptext, false, &p);
        free(ptext);
        if (ok)
            *expected = eq + 1;
    }
    const srv_value_t *v = values_find(&n->values, &p);
    if (v == NULL && n->values.n == 1)
        v = &n->values.v[0];
    return v;
}

cmd_status_t cmd_poll_wait_notify(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    srv_client_t *c = registry_find(srv, cmd->argv[0].text);
    srv_observation_t *o = c && c->registered ? ops_find_observation(srv, c, &cmd->path) : NULL;
    if (o == NULL)
        return cmd_fail(srv, cmd, "the observation ended before a matching notification came");
    srv_notification_t *n;
    while ((n = ops_pop_notification(o)) != NULL) {
        if (cmd->wait_value == NULL) {
            ops_notification_free(n);
            return CMD_OK;
        }
        const char *expected;
        const srv_value_t *v = notified_value(cmd, n, &expected);
        bool match = v != NULL && value_matches(v, expected);
        if (!match) {
            strbuf_t seen;
            sb_init(&seen);
            if (v != NULL)
                value_print(&seen, v);
            else
                sb_puts(&seen, "no value");
            free(cmd->last_seen);
            cmd->last_seen = sb_take(&seen);
        }
        ops_notification_free(n);
        if (match)
            return CMD_OK;
    }
    if (now >= cmd->deadline) {
        if (cmd->wait_value == NULL)
            return cmd_fail(srv, cmd, "timeout: no notification for %s within %.3gs",
                            cmd->argv[1].text, (double)cmd->wait_ms / 1000);
        return cmd_fail(srv, cmd, "timeout: no notification with %s within %.3gs (last one: %s)",
                        cmd->wait_value, (double)cmd->wait_ms / 1000,
                        cmd->last_seen ? cmd->last_seen : "none came");
    }
    return CMD_PENDING;
}
