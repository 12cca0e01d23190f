/* tern-server: options, start-up, the event loop and shutdown. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "bootstrap.h"
#include "bs_config.h"
#include "cmd.h"
#include "dtls.h"
#include "files.h"
#include "ops.h"
#include "out.h"
#include "registry.h"
#include "server.h"

/* The one thing a signal handler may touch. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tern-server [--address ADDR] [--port PORT] [--script FILE] [--json]\n"
            "                   [--quiet] [--timeout DURATION] [--verbose]\n"
            "                   [--psk-identity ID --psk-key HEX] [--psk-file FILE]\n"
            "                   [--cert FILE --key FILE [--ca FILE]]\n"
            "                   [--rpk-key FILE --client-rpk FILE...]\n"
            "                   [--files DIR] [--block-size BYTES]\n"
            "                   [--bootstrap CONFIG]\n"
            "\n"
            "An LwM2M server for tests and demos, on libcoap. Clients register at\n"
            "coap://ADDR:PORT/rd; commands, one per line from standard input or FILE,\n"
            "send them device-management requests and check the answers.\n"
            "\n"
            "  -a, --address ADDR    address to listen on, IPv4 or IPv6 (default %s;\n"
            "                        :: or 0.0.0.0 for every interface)\n"
            "  -p, --port PORT       UDP port (default %d; 0 picks a free one). The\n"
            "                        first output line (event) says which\n"
            "  -s, --script FILE     run the commands in FILE, then exit: status 0 if\n"
            "                        every command succeeded, 1 at the first failure\n"
            "                        (named by line). Without it commands come from\n"
            "                        standard input; at its end tern-server exits, with\n"
            "                        status 1 if any command failed\n"
            "  -j, --json            one JSON object per line and event on stdout\n"
            "  -q, --quiet           leave out unrequested events (registrations,\n"
            "                        notifications); results and errors stay\n"
            "  -t, --timeout D       default timeout of requests and waits (default\n"
            "                        10s); libcoap also gives up after its CoAP\n"
            "                        retransmissions (about 93s)\n"
            "  -v, --verbose         libcoap's log on stderr (twice: every packet)\n"
            "      --files DIR       serve the files in DIR to GET, e.g. firmware a device\n"
            "                        pulls: coap://ADDR:PORT/NAME is DIR/NAME (coaps://\n"
            "                        with the DTLS options). Block-wise (Block2, Size2,\n"
            "                        Content-Format 42) in the block size the client\n"
            "                        asks for, at most --block-size; events file-start,\n"
            "                        file-progress (every 10%%), file-served {file, peer,\n"
            "                        bytes, total, percent, block_size[, blocks, ms]}\n"
            "      --block-size N    largest block (16..1024, a power of two; default\n"
            "                        %d) that --files serves and push-firmware starts\n"
            "                        with\n"
            "      --bootstrap CONFIG  also be the LwM2M Bootstrap-Server (POST /bs),\n"
            "                        writing what CONFIG says (see below)\n"
            "  -h, --help            this text\n"
            "\n"
            "DTLS (any of these makes the endpoint coaps://, default port %d, DTLS\n"
            "only; libcoap's OpenSSL backend, or GnuTLS in tern-server-gnutls):\n"
            "      --psk-identity ID --psk-key HEX   a client's PSK identity and key\n"
            "      --psk-file FILE   several: one \"IDENTITY HEXKEY\" per line (# comments)\n"
            "      --cert FILE --key FILE   the server's certificate and private key (PEM)\n"
            "                        for certificate mode (ECDHE-ECDSA)\n"
            "      --ca FILE         CA (PEM) client certificates must chain to; without\n"
            "                        it client certificates are not checked\n"
            "      --rpk-key FILE    raw public key mode (RFC 7250; tern-server-gnutls\n"
            "                        only): the server's EC key (PEM: EC PRIVATE KEY, or\n"
            "                        PRIVATE KEY and PUBLIC KEY); instead of --cert\n"
            "      --client-rpk FILE a client public key (PEM or DER) to accept; repeat\n"
            "                        for more (up to 8). Any other key is refused; the\n"
            "                        client field of events names the file\n"
            "A handshake that fails gives one line (JSON event dtls-failed: peer, reason;\n"
            "also with --quiet); dtls-connected and dtls-closed {peer, client} report\n"
            "sessions. An unknown identity is refused at once; a wrong key shows as a\n"
            "handshake that stalls after the client's key exchange.\n"
            "\n"
            "Registration interface: POST /rd?ep=NAME[&lt=S][&lwm2m=V][&b=U][&sms=N][&Q]\n"
            "with a link-format object list -> 2.01 Location-Path rd/ID; POST /rd/ID\n"
            "(Update) -> 2.04; DELETE /rd/ID (De-register) -> 2.02; unknown ID -> 4.04;\n"
            "missing ep or bad parameters -> 4.00. A registration that gets no Update\n"
            "within its lifetime expires; registering the same name again replaces it.\n"
            "Requests to a client go to the address and port it last registered or\n"
            "updated from.\n"
            "\n"
            "%s"
            "\n"
            "Output. Human-readable: one line per event, values indented below as\n"
            "  /3311/0/5850 On/Off = true\n"
            "With --json, one object per line; \"event\" is one of:\n"
            "  listening     {scheme (\"coaps\" with DTLS only), address, port}\n"
            "  registered, updated, deregistered, expired\n"
            "                {ep, location, lifetime, binding, lwm2m, sms, queue, peer,\n"
            "                 objects: [\"/1/0\", ...], links, replaces?}\n"
            "  rejected      {request, code, reason, peer}: a registration-interface\n"
            "                request answered with an error\n"
            "  response      {op, ep, path, code: \"2.05\" (null on failure), error?,\n"
            "                 timeout?, observe?, location?, content_format, format,\n"
            "                 values: {\"/3/0/0\": {name, type, value, guessed?, error?,\n"
            "                 raw?}}, links: [{path, attrs}], raw (hex), text}\n"
            "  notification  {ep, path, code, observe, content_format, format, values...}\n"
            "  observation-ended {ep, path, reason}\n"
            "  push-progress {ep, path, bytes, total, percent, block_size}: every 10%%\n"
            "  push-block-size {ep, from, to, code, offset}: the client asked for\n"
            "                smaller blocks (2.31 or 4.13 with Block1)\n"
            "                (push-firmware's result is a response event with op\n"
            "                push-firmware and file, bytes, total, blocks, block_size,\n"
            "                first_block_size, ms, kbytes_per_s)\n"
            "  list          {clients: [{ep, registered, location, ..., expires_in}]}\n"
            "  echo          {text}\n"
            "  error         {line?, command?, message}\n"
            "Decoded formats: text, opaque, TLV and link format; others are shown raw.\n"
            "Types come from a built-in table of objects 0, 1, 2, 3, 5 and 3311 and are\n"
            "guessed for other resources.\n",
            SRV_DEFAULT_ADDRESS, SRV_DEFAULT_PORT, SRV_DEFAULT_BLOCK_SIZE, SRV_DEFAULT_COAPS_PORT,
            cmd_reference);
    fputs(bs_reference, out);
    fputs(bs_config_help, out);
}

srv_t *srv_from_session(const coap_session_t *session)
{
    return coap_get_app_data(coap_session_get_context(session));
}

static void log_handler(coap_log_t level, const char *message)
{
    (void)level;
    if (dtls_log_filter(message))
        return; /* a TLS alert: the dtls-failed line says it */
    out_libcoap_log(message);
}

static int parse_options(int argc, char **argv, srv_options_t *opt)
{
    static const struct option longopts[] = {
        { "address", required_argument, NULL, 'a' },
        { "port", required_argument, NULL, 'p' },
        { "script", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "timeout", required_argument, NULL, 't' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "psk-identity", required_argument, NULL, 'I' },
        { "psk-key", required_argument, NULL, 'K' },
        { "psk-file", required_argument, NULL, 'F' },
        { "cert", required_argument, NULL, 'C' },
        { "key", required_argument, NULL, 'k' },
        { "ca", required_argument, NULL, 'A' },
        { "rpk-key", required_argument, NULL, 'R' },
        { "client-rpk", required_argument, NULL, 'P' },
        { "files", required_argument, NULL, 'f' },
        { "block-size", required_argument, NULL, 'b' },
        { "bootstrap", required_argument, NULL, 'B' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "a:p:s:jqt:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            opt->address = optarg;
            break;
        case 'p': {
            errno = 0;
            long port = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || errno != 0 || port < 0 || port > 65535) {
                fprintf(stderr, "tern-server: bad port '%s' (0..65535)\n", optarg);
                return 2;
            }
            opt->port = (int)port;
            opt->port_given = true;
            break;
        }
        case 'I':
            opt->psk_identity = optarg;
            break;
        case 'K':
            opt->psk_key = optarg;
            break;
        case 'F':
            opt->psk_file = optarg;
            break;
        case 'C':
            opt->cert = optarg;
            break;
        case 'k':
            opt->key = optarg;
            break;
        case 'B':
            opt->bootstrap = optarg;
            break;
        case 'A':
            opt->ca = optarg;
            break;
        case 'R':
            opt->rpk_key = optarg;
            break;
        case 'P':
            if (opt->n_client_rpk == (int)(sizeof(opt->client_rpk) / sizeof(opt->client_rpk[0]))) {
                fprintf(stderr, "tern-server: at most 8 --client-rpk\n");
                return 2;
            }
            opt->client_rpk[opt->n_client_rpk++] = optarg;
            break;
        case 'f':
            opt->files_dir = optarg;
            break;
        case 'b': {
            long size = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || size < 16 || size > 1024
                || (size & (size - 1)) != 0) {
                fprintf(stderr, "tern-server: bad block size '%s' (16, 32, ... 1024)\n", optarg);
                return 2;
            }
            opt->block_size = (int)size;
            break;
        }
        case 's':
            opt->script = optarg;
            break;
        case 'j':
            opt->json = true;
            break;
        case 'q':
            opt->quiet = true;
            break;
        case 't':
            if (!parse_duration(optarg, &opt->timeout_ms)) {
                fprintf(stderr, "tern-server: bad timeout '%s' (e.g. 10s, 500ms)\n", optarg);
                return 2;
            }
            break;
        case 'v':
            opt->verbose++;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "tern-server: unexpected argument '%s' (try --help)\n", argv[optind]);
        return 2;
    }
    return -1;
}

/* Opens the UDP endpoint; fills srv->listen_addr and listen_port. */
static bool listen_on(srv_t *srv)
{
    char host[80];
    const char *a = srv->opt.address;
    size_t n = strlen(a);
    if (n >= 2 && a[0] == '[' && a[n - 1] == ']') { /* [::1] */
        snprintf(host, sizeof(host), "%.*s", (int)(n - 2), a + 1);
    } else {
        snprintf(host, sizeof(host), "%s", a);
    }
    char port[8];
    snprintf(port, sizeof(port), "%d", srv->opt.port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "tern-server: cannot use address '%s': %s\n", a, gai_strerror(rc));
        return false;
    }
    coap_address_t addr;
    coap_address_init(&addr);
    addr.size = res->ai_addrlen;
    memcpy(&addr.addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);

    coap_endpoint_t *ep =
        coap_new_endpoint(srv->ctx, &addr, srv->dtls != NULL ? COAP_PROTO_DTLS : COAP_PROTO_UDP);
    if (ep == NULL) {
        fprintf(stderr, "tern-server: cannot listen on %s port %d (in use?)\n", a, srv->opt.port);
        return false;
    }
    /* libcoap prints the bound address, with the port the system chose:
     * "127.0.0.1:40123" or "[::1]:40123", maybe followed by " (udp)" */
    const char *desc = coap_endpoint_str(ep);
    const char *colon = strrchr(desc, ':');
    srv->listen_port = srv->opt.port;
    if (colon != NULL)
        srv->listen_port = atoi(colon + 1);
    snprintf(srv->listen_addr, sizeof(srv->listen_addr), "%s", host);
    return true;
}

/* Where commands come from: a whole script read up front, or stdin read as
 * it becomes available. */
typedef struct input {
    bool is_script;
    strbuf_t buf; /* unread text */
    size_t pos;
    bool eof;
    int lineno;
} input_t;

static bool input_open(input_t *in, const char *script)
{
    memset(in, 0, sizeof(*in));
    sb_init(&in->buf);
    if (script == NULL)
        return true;
    in->is_script = true;
    in->eof = true;
    FILE *f = fopen(script, "r");
    if (f == NULL) {
        fprintf(stderr, "tern-server: cannot open script '%s': %s\n", script, strerror(errno));
        return false;
    }
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sb_append(&in->buf, chunk, n);
    fclose(f);
    return true;
}

static void input_read_stdin(input_t *in)
{
    char chunk[4096];
    ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
    if (n > 0)
        sb_append(&in->buf, chunk, (size_t)n);
    else if (n == 0 || (errno != EINTR && errno != EAGAIN))
        in->eof = true;
}

/* The next complete line (caller frees), or NULL. At end of input a last
 * line without newline counts too. */
static char *input_next(input_t *in)
{
    if (in->pos >= in->buf.len)
        return NULL;
    const char *start = in->buf.s + in->pos;
    const char *nl = memchr(start, '\n', in->buf.len - in->pos);
    size_t len;
    if (nl != NULL)
        len = (size_t)(nl - start);
    else if (in->eof)
        len = in->buf.len - in->pos;
    else
        return NULL;
    char *line = xstrndup(start, len);
    in->pos += len + (nl != NULL);
    in->lineno++;
    return line;
}

static bool input_done(const input_t *in)
{
    return in->eof && in->pos >= in->buf.len;
}

/* Waits up to wait_ms for a datagram, libcoap's next timer or (when
 * want_stdin) input, and lets libcoap do its work. Returns true when stdin
 * is readable. libcoap built with epoll (Debian's is) ignores the extra
 * descriptors of coap_io_process_with_fds(), so then we poll its epoll
 * descriptor and stdin ourselves. */
static bool wait_for_io(srv_t *srv, int64_t wait_ms, bool want_stdin)
{
    int coap_fd = coap_context_get_coap_fd(srv->ctx);
    if (coap_fd < 0) {
        fd_set rfds;
        FD_ZERO(&rfds);
        if (want_stdin)
            FD_SET(STDIN_FILENO, &rfds);
        coap_io_process_with_fds(srv->ctx, wait_ms == 0 ? COAP_IO_NO_WAIT : (uint32_t)wait_ms,
                                 want_stdin ? STDIN_FILENO + 1 : 0, want_stdin ? &rfds : NULL, NULL,
                                 NULL);
        return want_stdin && FD_ISSET(STDIN_FILENO, &rfds);
    }
    coap_tick_t now;
    coap_ticks(&now);
    unsigned int coap_wait = coap_io_prepare_epoll(srv->ctx, now); /* 0: nothing due */
    if (coap_wait > 0 && coap_wait < wait_ms)
        wait_ms = coap_wait;
    struct pollfd fds[2] = {
        { .fd = coap_fd, .events = POLLIN },
        { .fd = STDIN_FILENO, .events = POLLIN },
    };
    int n = poll(fds, want_stdin ? 2 : 1, (int)wait_ms);
    coap_io_process(srv->ctx, COAP_IO_NO_WAIT);
    return want_stdin && n > 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

/* Runs until the input ends, quit, a signal, or (script) a failure.
 * Returns the exit status. */
static int run(srv_t *srv, input_t *in)
{
    srv_cmd_t *cur = NULL;
    int failures = 0;
    int failed_line = 0;
    bool quit = false;
    while (!stop_signal && !quit) {
        int64_t now = now_ms();
        registry_tick(srv, now);
        ops_tick(srv, now);
        dtls_tick(srv, now);
        bs_tick(srv, now);
        cmd_status_t st = CMD_OK;
        int line_no = in->lineno;
        if (cur != NULL) {
            st = cmd_poll(srv, cur, now);
            if (st != CMD_PENDING) {
                cmd_free(srv, cur);
                cur = NULL;
            }
        }
        /* Every complete line already read runs now: after a failure too
         * (interactively), not only after the next wait for input. */
        for (;;) {
            if (st == CMD_FAIL) {
                failures++;
                failed_line = line_no;
                if (in->is_script)
                    break;
                st = CMD_OK;
            }
            if (cur != NULL || st == CMD_QUIT)
                break;
            char *line = input_next(in);
            if (line == NULL)
                break;
            line_no = in->lineno;
            st = cmd_start(srv, line, line_no, &cur);
            free(line);
        }
        if (st == CMD_FAIL) /* a script stops at its first failure */
            break;
        if (st == CMD_QUIT || (cur == NULL && input_done(in)))
            break;

        int64_t next = registry_next_expiry(srv);
        int64_t d = ops_next_deadline(srv);
        if (d < next)
            next = d;
        d = dtls_next_deadline(srv);
        if (d < next)
            next = d;
        if (cur != NULL && cmd_deadline(cur) < next)
            next = cmd_deadline(cur);
        int64_t wait = next - now_ms();
        if (wait > 1000)
            wait = 1000;
        if (wait < 0)
            wait = 0;
        bool want_stdin = cur == NULL && !in->is_script && !in->eof;
        if (wait_for_io(srv, wait, want_stdin))
            input_read_stdin(in);
    }
    bool interrupted = stop_signal && (cur != NULL || !input_done(in));
    cmd_free(srv, cur);
    if (in->is_script && failures > 0) {
        fprintf(stderr, "tern-server: %s:%d: the script stopped at this failure\n", srv->opt.script,
                failed_line);
        return 1;
    }
    if (in->is_script && interrupted) {
        fprintf(stderr, "tern-server: %s: interrupted at line %d\n", srv->opt.script, in->lineno);
        return 1; /* not every command ran */
    }
    return failures > 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    srv_t srv;
    memset(&srv, 0, sizeof(srv));
    srv.opt.address = SRV_DEFAULT_ADDRESS;
    srv.opt.port = SRV_DEFAULT_PORT;
    srv.opt.timeout_ms = SRV_DEFAULT_TIMEOUT_MS;
    srv.opt.block_size = SRV_DEFAULT_BLOCK_SIZE;
    int rc = parse_options(argc, argv, &srv.opt);
    if (rc >= 0)
        return rc;
    srv.out.json = srv.opt.json;
    srv.out.quiet = srv.opt.quiet;

    input_t in;
    if (!input_open(&in, srv.opt.script))
        return 2;

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: let select() return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    coap_startup();
    coap_set_log_handler(log_handler);
    coap_set_show_pdu_output(0);
    coap_set_log_level(srv.opt.verbose >= 2   ? LOG_DEBUG
                       : srv.opt.verbose == 1 ? LOG_INFO
                                              : LOG_WARNING);
    srv.ctx = coap_new_context(NULL);
    if (srv.ctx == NULL) {
        fprintf(stderr, "tern-server: cannot create a libcoap context\n");
        sb_free(&in.buf);
        coap_cleanup();
        return 2;
    }
    coap_set_app_data(srv.ctx, &srv);
    coap_context_set_block_mode(srv.ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    registry_init(&srv);
    ops_init(&srv);
    int status = 2;
    if (dtls_wanted(&srv.opt) && !srv.opt.port_given)
        srv.opt.port = SRV_DEFAULT_COAPS_PORT;
    if ((!dtls_wanted(&srv.opt) || dtls_setup(&srv)) && files_init(&srv) && bs_init(&srv)
        && listen_on(&srv)) {
        out_listening(&srv);
        status = run(&srv, &in);
    }
    ops_free(&srv);
    files_free(&srv);
    bs_free(&srv);
    registry_free(&srv);
    coap_free_context(srv.ctx);
    dtls_free(&srv);
    coap_cleanup();
    sb_free(&in.buf);
    return status;
}
