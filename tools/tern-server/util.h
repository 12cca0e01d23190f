/* Small helpers shared by tern-server's modules: time, durations, LwM2M
 * paths, growable strings, hex. */
#ifndef SRV_UTIL_H
#define SRV_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Milliseconds on the monotonic clock. */
int64_t now_ms(void);

/* Parses "10s", "500ms", "2m", "1.5s" or a bare number of seconds ("2").
 * Returns false on anything else (negative, empty, unknown unit). */
bool parse_duration(const char *s, int64_t *out_ms);

/* True when s ends in a duration unit ("10s", "500ms", "2m"), the form
 * wait-notify needs to tell a timeout from a value. */
bool has_duration_unit(const char *s);

/* An LwM2M path /O[/I[/R[/RI]]]; depth 0 is "/" (the root). */
#define SRV_PATH_MAX_DEPTH 4
#define SRV_MAX_ID 65534
typedef struct srv_path {
    uint16_t id[SRV_PATH_MAX_DEPTH];
    int depth;
} srv_path_t;

/* Parses "/3311/0/5850". Accepts "/" only when allow_root. Returns false on
 * anything malformed (empty segments, non-digits, ids above 65534). */
bool path_parse(const char *s, bool allow_root, srv_path_t *out);
/* Writes the path ("/3/0/1") into buf (at least 32 bytes); returns buf. */
char *path_format(const srv_path_t *p, char *buf, size_t size);
/* p with one more segment. */
srv_path_t path_child(const srv_path_t *p, uint16_t id);

/* A growable, always NUL-terminated string. Allocation failure aborts: this
 * is a test tool, and a half-written event is worse than a clean stop. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf_t;

void sb_init(strbuf_t *b);
void sb_free(strbuf_t *b);
void sb_reset(strbuf_t *b);
void sb_putc(strbuf_t *b, char c);
void sb_append(strbuf_t *b, const void *data, size_t len);
void sb_puts(strbuf_t *b, const char *s);
void sb_printf(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf_t *b, const char *fmt, va_list ap);
/* Moves the contents out (caller frees) and resets b. */
char *sb_take(strbuf_t *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Lower-case hex of data (no prefix). */
void sb_hex(strbuf_t *b, const uint8_t *data, size_t len);
/* Decodes an even number of hex digits; returns the byte count or -1. The
 * caller frees *out. */
long hex_decode(const char *s, uint8_t **out);

/* True when every byte is printable ASCII or valid UTF-8 (tab, CR, LF
 * allowed). */
bool is_text(const uint8_t *data, size_t len);

/* "2.05" for a CoAP code; buf needs 8 bytes. */
char *code_format(int code, char *buf);
/* Reason phrase for a response code, "" if unknown. */
const char *code_phrase(int code);

#endif
