/* The command language: parsing, the command table, running (see cmd.h
 * and cmd_reference below). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "cmd_impl.h"
#include "out.h"

const char cmd_reference[] =
    "Commands (one per line; # starts a comment; \"double quotes\" group words):\n"
    "  wait-registered EP [TIMEOUT]    until EP registers (returns at once if it\n"
    "                                  registered since the last wait-registered)\n"
    "  wait-update EP [TIMEOUT]        until EP sends an Update not yet waited for\n"
    "  wait-deregistered EP [TIMEOUT]  until EP's registration ends (De-register\n"
    "                                  or expiry) or has ended since the last wait\n"
    "  list                            the clients and their registrations\n"
    "  read EP PATH [FORMAT]           Read (GET; FORMAT sets Accept)\n"
    "  discover EP PATH                Discover (GET, Accept: link format)\n"
    "  write EP PATH VALUE [FORMAT]    Write, replace (PUT). /O/I/R takes a VALUE\n"
    "                                  (RIID=VALUE ... for a multiple resource),\n"
    "                                  /O/I takes RID=VALUE ... (TLV)\n"
    "  write-partial EP /O/I RID=VALUE ...   Write, partial update (POST, TLV);\n"
    "                                  RID/RIID=VALUE sets a resource instance\n"
    "  write-attr EP PATH ATTR...      Write-Attributes (PUT, no payload): pmin=N\n"
    "                                  pmax=N gt=F lt=F st=F epmin=N epmax=N; a bare\n"
    "                                  name (pmin) removes that attribute\n"
    "  exec EP PATH [ARGS]             Execute (POST), e.g. exec bulb1 /3/0/4,\n"
    "                                  exec bulb1 /9/0/4 \"0='a b',1\"\n"
    "  create EP /O [ID] RID=VALUE ... Create (POST TLV; ID wraps the resources in\n"
    "                                  an object-instance record)\n"
    "  delete EP PATH                  Delete (DELETE)\n"
    "  observe EP PATH [FORMAT]        Observe (GET, Observe 0); notifications are\n"
    "                                  printed as they come\n"
    "  cancel-observe EP PATH [rst]    Cancel-Observation (GET, Observe 1, same\n"
    "                                  token); with rst: forget it here and answer\n"
    "                                  the next notification with RST\n"
    "  wait-notify EP PATH [VALUE] [TIMEOUT]  until a notification for PATH not yet\n"
    "                                  waited for (with VALUE: one carrying it;\n"
    "                                  others are skipped). TIMEOUT needs a unit here\n"
    "  push-firmware EP FILE [BLOCK_SIZE]  FILE to /5/0/0 block-wise (Block1, PUT,\n"
    "                                  Content-Format 42, Size1; BLOCK_SIZE 16..1024,\n"
    "                                  default --block-size), progress every 10%;\n"
    "                                  continues in the smaller blocks a 2.31 or a\n"
    "                                  4.13 names. timeout applies per block\n"
    "  wait-bootstrapped EP [TIMEOUT]  (--bootstrap) until a bootstrap of EP not yet\n"
    "                                  waited for finished (2.04 to the Finish);\n"
    "                                  fails at once when one failed\n"
    "  bootstrap EP HOST:PORT [TIMEOUT]  (--bootstrap) server-initiated bootstrap:\n"
    "                                  EP's sequence to a client in its hold-off\n"
    "                                  time at HOST:PORT, sent from our port;\n"
    "                                  until its Finish is answered 2.04\n"
    "  refuse-registration CODE|off    answer every Register with CODE (4.03...)\n"
    "                                  from now on, or accept again\n"
    "  sleep DURATION                  keep serving for a while\n"
    "  echo TEXT                       print TEXT\n"
    "  help                            this list\n"
    "  quit                            stop (exit status as for end of input)\n"
    "\n"
    "EP is the endpoint name. PATH is /O, /O/I, /O/I/R or /O/I/R/RI.\n"
    "VALUE: true/false, 42, 1.5, \"quoted string\", hex:0a0b (opaque), 3:0 (objlnk);\n"
    "  a known resource's own type wins (\"1\" for a boolean means true).\n"
    "FORMAT: text, tlv, opaque, link, senml-json, senml-cbor, json, cbor or a\n"
    "  content-format number (read and observe only for numbers).\n"
    "TIMEOUT, DURATION: 10s, 500ms, 2m, or a number of seconds (default --timeout).\n"
    "\n"
    "Every operation (read ... cancel-observe, push-firmware) may end with\n"
    "expectations:\n"
    "  expect CODE            response code: 2.05, 4.04, 2.xx, or timeout\n"
    "  expect-value VALUE     the value at PATH equals VALUE (typed compare)\n"
    "  expect-value /P=VALUE  the value at /P equals VALUE (for instance reads)\n"
    "  expect-contains TEXT   the payload contains TEXT\n"
    "  timeout DURATION       this request's overall timeout\n"
    "Without expect CODE an operation must get a 2.xx response (observe: with an\n"
    "Observe option). A failed expectation, timeout, unknown client or bad path\n"
    "fails the command: a --script stops there and exits 1.\n";

cmd_status_t cmd_fail(srv_t *srv, srv_cmd_t *cmd, const char *fmt, ...)
{
    strbuf_t b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    out_error(srv, cmd->line, cmd->text, b.s);
    sb_free(&b);
    return CMD_FAIL;
}

int64_t cmd_timeout(const srv_t *srv, const srv_cmd_t *cmd)
{
    return cmd->timeout_ms >= 0 ? cmd->timeout_ms : srv->opt.timeout_ms;
}

/* ---- tokens ---- */

static void args_free(srv_arg_t *args, int n)
{
    for (int i = 0; i < n; i++)
        free(args[i].text);
    free(args);
}

/* Splits at blanks; "double quotes" group and are removed, with \" and \\
 * inside them. */
static bool tokenize(const char *line, srv_arg_t **out, int *count, char *err, size_t errlen)
{
    srv_arg_t *args = NULL;
    int n = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n' || *p == '\r')
            break;
        strbuf_t t;
        sb_init(&t);
        int quote_at = -1;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p != '"') {
                sb_putc(&t, *p++);
                continue;
            }
            if (quote_at < 0)
                quote_at = (int)t.len;
            p++;
            while (*p != '\0' && *p != '"') {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                sb_putc(&t, *p++);
            }
            if (*p != '"') {
                snprintf(err, errlen, "unterminated double quote");
                sb_free(&t);
                args_free(args, n);
                return false;
            }
            p++;
        }
        args = xrealloc(args, (size_t)(n + 1) * sizeof(*args));
        args[n].text = sb_take(&t);
        args[n].quote_at = quote_at;
        n++;
    }
    *out = args;
    *count = n;
    return true;
}

static bool is_option_word(const srv_arg_t *a)
{
    static const char *const words[] = { "expect", "expect-value", "expect-contains", "timeout",
                                         NULL };
    if (a->quote_at >= 0)
        return false;
    for (int i = 0; words[i] != NULL; i++)
        if (strcmp(a->text, words[i]) == 0)
            return true;
    return false;
}

static void push(char ***list, int *n, const char *s)
{
    *list = xrealloc(*list, (size_t)(*n + 1) * sizeof(**list));
    (*list)[(*n)++] = xstrdup(s);
}

/* Moves "expect ..." options from the end of the arguments into cmd. */
static bool parse_options(srv_cmd_t *cmd, char *err, size_t errlen)
{
    int first = cmd->argc;
    for (int i = 0; i < cmd->argc; i++) {
        if (is_option_word(&cmd->argv[i])) {
            first = i;
            break;
        }
    }
    if (first < cmd->argc && !cmd->def->operation) {
        snprintf(err, errlen, "%s takes no '%s'", cmd->def->name, cmd->argv[first].text);
        return false;
    }
    for (int i = first; i < cmd->argc; i += 2) {
        const char *word = cmd->argv[i].text;
        if (!is_option_word(&cmd->argv[i])) {
            snprintf(err, errlen,
                     "'%s' after the options: expected expect, expect-value, "
                     "expect-contains or timeout",
                     word);
            return false;
        }
        if (i + 1 >= cmd->argc) {
            snprintf(err, errlen, "'%s' needs an argument", word);
            return false;
        }
        const char *v = cmd->argv[i + 1].text;
        if (strcmp(word, "expect") == 0) {
            free(cmd->expect);
            cmd->expect = xstrdup(v);
            bool ok = strcmp(v, "timeout") == 0
                      || (strlen(v) == 4 && v[0] >= '2' && v[0] <= '5' && v[1] == '.'
                          && ((v[2] >= '0' && v[2] <= '9' && v[3] >= '0' && v[3] <= '9')
                              || strcmp(v + 2, "xx") == 0));
            if (!ok) {
                snprintf(err, errlen, "expect '%s': give a code like 2.05 or 4.xx, or timeout", v);
                return false;
            }
        } else if (strcmp(word, "expect-value") == 0) {
            push(&cmd->values, &cmd->n_values, v);
        } else if (strcmp(word, "expect-contains") == 0) {
            push(&cmd->contains, &cmd->n_contains, v);
        } else if (!parse_duration(v, &cmd->timeout_ms)) {
            snprintf(err, errlen, "timeout '%s': give a duration like 10s or 500ms", v);
            return false;
        }
    }
    for (int i = first; i < cmd->argc; i++)
        free(cmd->argv[i].text);
    cmd->argc = first;
    return true;
}

/* ---- helpers ---- */

srv_client_t *cmd_need_client(srv_t *srv, srv_cmd_t *cmd, const char *ep)
{
    srv_client_t *c = registry_find(srv, ep);
    if (c != NULL && c->registered)
        return c;
    strbuf_t known;
    sb_init(&known);
    for (srv_client_t *k = srv->clients; k != NULL; k = k->next) {
        if (!k->registered)
            continue;
        sb_puts(&known, known.len ? ", " : "");
        sb_puts(&known, k->ep);
    }
    cmd_fail(srv, cmd, "unknown client '%s': %s (registered: %s)", ep,
             c ? "its registration has ended" : "it has not registered",
             known.len ? known.s : "none");
    sb_free(&known);
    return NULL;
}

bool cmd_need_path(srv_t *srv, srv_cmd_t *cmd, const char *text, int min_depth, int max_depth,
                   srv_path_t *out)
{
    static const char *const shapes[] = { "/", "/O", "/O/I", "/O/I/R", "/O/I/R/RI" };
    if (!path_parse(text, false, out)) {
        cmd_fail(srv, cmd,
                 "bad path '%s': expected /OBJECT[/INSTANCE[/RESOURCE[/INSTANCE]]] with "
                 "numeric ids 0..65534",
                 text);
        return false;
    }
    if (out->depth < min_depth || out->depth > max_depth) {
        if (min_depth == max_depth)
            cmd_fail(srv, cmd, "bad path '%s' for %s: expected %s", text, cmd->def->name,
                     shapes[min_depth]);
        else
            cmd_fail(srv, cmd, "bad path '%s' for %s: expected %s to %s", text, cmd->def->name,
                     shapes[min_depth], shapes[max_depth]);
        return false;
    }
    return true;
}

bool cmd_timeout_arg(srv_t *srv, srv_cmd_t *cmd, int index, int64_t *out)
{
    *out = cmd_timeout(srv, cmd);
    if (index >= cmd->argc)
        return true;
    if (!parse_duration(cmd->argv[index].text, out)) {
        cmd_fail(srv, cmd, "bad timeout '%s': give a duration like 10s or 500ms",
                 cmd->argv[index].text);
        return false;
    }
    return true;
}

/* ---- the rest ---- */

static cmd_status_t start_list(srv_t *srv, srv_cmd_t *cmd)
{
    (void)cmd;
    out_list(srv);
    return CMD_OK;
}

static cmd_status_t start_sleep(srv_t *srv, srv_cmd_t *cmd)
{
    int64_t ms;
    if (!parse_duration(cmd->argv[0].text, &ms))
        return cmd_fail(srv, cmd, "bad duration '%s': give e.g. 2s or 500ms", cmd->argv[0].text);
    cmd->deadline = now_ms() + ms;
    return CMD_PENDING;
}

static cmd_status_t poll_sleep(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    (void)srv;
    return now >= cmd->deadline ? CMD_OK : CMD_PENDING;
}

static cmd_status_t start_echo(srv_t *srv, srv_cmd_t *cmd)
{
    out_echo(srv, cmd->rest);
    return CMD_OK;
}

static cmd_status_t start_help(srv_t *srv, srv_cmd_t *cmd)
{
    (void)cmd;
    if (srv->out.json)
        out_echo(srv, cmd_reference);
    else
        fputs(cmd_reference, stdout);
    fflush(stdout);
    return CMD_OK;
}

static cmd_status_t start_quit(srv_t *srv, srv_cmd_t *cmd)
{
    (void)srv;
    (void)cmd;
    return CMD_QUIT;
}

static const cmd_def_t commands[] = {
    { "wait-registered", "wait-registered EP [TIMEOUT]", 1, 2, false, cmd_start_wait,
      cmd_poll_wait_registered },
    { "wait-update", "wait-update EP [TIMEOUT]", 1, 2, false, cmd_start_wait,
      cmd_poll_wait_update },
    { "wait-deregistered", "wait-deregistered EP [TIMEOUT]", 1, 2, false,
      cmd_start_wait_deregistered, cmd_poll_wait_deregistered },
    { "list", "list", 0, 0, false, start_list, NULL },
    { "read", "read EP PATH [FORMAT]", 2, 3, true, cmd_start_read, cmd_poll_request },
    { "discover", "discover EP PATH", 2, 2, true, cmd_start_discover, cmd_poll_request },
    { "write", "write EP PATH VALUE [FORMAT]", 3, -1, true, cmd_start_write, cmd_poll_request },
    { "write-partial", "write-partial EP /O/I RID=VALUE ...", 3, -1, true, cmd_start_write_partial,
      cmd_poll_request },
    { "write-attr", "write-attr EP PATH pmin=N pmax=N gt=F lt=F st=F", 3, -1, true,
      cmd_start_write_attr, cmd_poll_request },
    { "exec", "exec EP PATH [ARGS]", 2, 3, true, cmd_start_exec, cmd_poll_request },
    { "create", "create EP /O [ID] RID=VALUE ...", 2, -1, true, cmd_start_create,
      cmd_poll_request },
    { "delete", "delete EP PATH", 2, 2, true, cmd_start_delete, cmd_poll_request },
    { "observe", "observe EP PATH [FORMAT]", 2, 3, true, cmd_start_observe, cmd_poll_request },
    { "cancel-observe", "cancel-observe EP PATH [rst]", 2, 3, true, cmd_start_cancel_observe,
      cmd_poll_request },
    { "wait-notify", "wait-notify EP PATH [VALUE] [TIMEOUT]", 2, 4, false, cmd_start_wait_notify,
      cmd_poll_wait_notify },
    { "push-firmware", "push-firmware EP FILE [BLOCK_SIZE]", 2, 3, true, cmd_start_push_firmware,
      cmd_poll_push_firmware },
    { "wait-bootstrapped", "wait-bootstrapped EP [TIMEOUT]", 1, 2, false,
      cmd_start_wait_bootstrapped, cmd_poll_wait_bootstrapped },
    { "bootstrap", "bootstrap EP HOST:PORT [TIMEOUT]", 2, 3, false, cmd_start_bootstrap,
      cmd_poll_bootstrap },
    { "refuse-registration", "refuse-registration CODE|off", 1, 1, false,
      cmd_start_refuse_registration, NULL },
    { "sleep", "sleep DURATION", 1, 1, false, start_sleep, poll_sleep },
    { "echo", "echo TEXT", 0, -1, false, start_echo, NULL },
    { "help", "help", 0, 0, false, start_help, NULL },
    { "quit", "quit", 0, 0, false, start_quit, NULL },
};

void cmd_free(srv_t *srv, srv_cmd_t *cmd)
{
    if (cmd == NULL)
        return;
    if (cmd->req != NULL)
        ops_request_free(srv, cmd->req);
    args_free(cmd->argv, cmd->argc);
    for (int i = 0; i < cmd->n_values; i++)
        free(cmd->values[i]);
    free(cmd->values);
    for (int i = 0; i < cmd->n_contains; i++)
        free(cmd->contains[i]);
    free(cmd->contains);
    free(cmd->expect);
    free(cmd->text);
    free(cmd->rest);
    free(cmd->wait_value);
    free(cmd->last_seen);
    push_free(cmd->push);
    free(cmd);
}

static char *trimmed(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(line);
    while (n > 0 && strchr(" \t\r\n", line[n - 1]) != NULL)
        n--;
    return xstrndup(line, n);
}

cmd_status_t cmd_start(srv_t *srv, const char *line, int lineno, srv_cmd_t **out)
{
    char err[200];
    srv_arg_t *toks;
    int n;
    *out = NULL;
    srv_cmd_t *cmd = xcalloc(1, sizeof(*cmd));
    cmd->line = lineno;
    cmd->text = trimmed(line);
    cmd->timeout_ms = -1;
    if (cmd->text[0] == '\0' || cmd->text[0] == '#') {
        cmd_free(srv, cmd);
        return CMD_OK;
    }
    if (strncmp(cmd->text, "echo", 4) == 0 && strchr(" \t", cmd->text[4]) != NULL) {
        /* printed as written, quotes and all */
        char *rest = trimmed(cmd->text + 4);
        out_echo(srv, rest);
        free(rest);
        cmd_free(srv, cmd);
        return CMD_OK;
    }
    if (!tokenize(cmd->text, &toks, &n, err, sizeof(err))) {
        cmd_status_t st = cmd_fail(srv, cmd, "%s", err);
        cmd_free(srv, cmd);
        return st;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(toks[0].text, commands[i].name) == 0 && toks[0].quote_at < 0)
            cmd->def = &commands[i];
    /* the arguments without the command name */
    cmd->argv = xcalloc((size_t)n, sizeof(*cmd->argv));
    cmd->argc = n - 1;
    memcpy(cmd->argv, toks + 1, (size_t)(n - 1) * sizeof(*toks));
    size_t name_len = strcspn(cmd->text, " \t");
    cmd->rest = trimmed(cmd->text + name_len);
    cmd_status_t st;
    if (cmd->def == NULL) {
        st = cmd_fail(srv, cmd, "unknown command '%s' (try help)", toks[0].text);
    } else if (!parse_options(cmd, err, sizeof(err))) {
        st = cmd_fail(srv, cmd, "%s", err);
    } else if (cmd->argc < cmd->def->min_args
               || (cmd->def->max_args >= 0 && cmd->argc > cmd->def->max_args)) {
        st = cmd_fail(srv, cmd, "usage: %s", cmd->def->usage);
    } else {
        st = cmd->def->start(srv, cmd);
    }
    free(toks[0].text);
    free(toks);
    if (st == CMD_PENDING)
        *out = cmd;
    else
        cmd_free(srv, cmd);
    return st;
}

cmd_status_t cmd_poll(srv_t *srv, srv_cmd_t *cmd, int64_t now)
{
    return cmd->def->poll(srv, cmd, now);
}

int64_t cmd_deadline(const srv_cmd_t *cmd)
{
    return cmd->req != NULL ? cmd->req->deadline : cmd->deadline;
}
