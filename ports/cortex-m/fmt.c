/* A minimal vsnprintf (see fmt.h). */
#include <stdbool.h>
#include <stdint.h>

#include "fmt.h"

typedef struct out {
    char *buf;
    size_t cap; /* room for characters, not counting the NUL */
    size_t len;
} out_t;

static void put(out_t *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
}

typedef struct spec {
    bool left;  /* '-' */
    bool zero;  /* '0' */
    int width;  /* minimum field width */
    int length; /* 0 int, 1 long, 2 long long, 3 size_t */
} spec_t;

static void put_padded(out_t *o, const spec_t *s, const char *text, size_t n, bool negative)
{
    size_t total = n + (negative ? 1u : 0u);
    size_t pad = s->width > 0 && (size_t)s->width > total ? (size_t)s->width - total : 0;
    if (!s->left && !s->zero) {
        for (; pad > 0; pad--)
            put(o, ' ');
    }
    if (negative)
        put(o, '-');
    if (!s->left) {
        for (; pad > 0; pad--)
            put(o, '0');
    }
    for (size_t i = 0; i < n; i++)
        put(o, text[i]);
    for (; pad > 0; pad--)
        put(o, ' ');
}

static void put_number(out_t *o, const spec_t *s, unsigned long long v, unsigned base, bool upper,
                       bool negative)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = sizeof(tmp);
    do {
        tmp[--n] = digits[v % base];
        v /= base;
    } while (v != 0);
    put_padded(o, s, tmp + n, sizeof(tmp) - n, negative);
}

static unsigned long long take_unsigned(const spec_t *s, va_list *ap)
{
    switch (s->length) {
    case 1:
        return va_arg(*ap, unsigned long);
    case 2:
        return va_arg(*ap, unsigned long long);
    case 3:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static long long take_signed(const spec_t *s, va_list *ap)
{
    switch (s->length) {
    case 1:
        return va_arg(*ap, long);
    case 2:
        return va_arg(*ap, long long);
    case 3:
        return (long long)va_arg(*ap, size_t);
    default:
        return va_arg(*ap, int);
    }
}

/* Reads flags, width and length after '%'; returns the conversion. */
static const char *parse_spec(const char *f, spec_t *s)
{
    *s = (spec_t){ 0 };
    for (;; f++) {
        if (*f == '-')
            s->left = true;
        else if (*f == '0')
            s->zero = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9' && s->width < 1000)
        s->width = s->width * 10 + (*f++ - '0');
    if (*f == 'l') {
        s->length = f[1] == 'l' ? 2 : 1;
        f += s->length;
    } else if (*f == 'z') {
        s->length = 3;
        f++;
    } else if (*f == 'h') {
        f += f[1] == 'h' ? 2 : 1; /* promoted to int anyway */
    }
    return f;
}

static void convert(out_t *o, const spec_t *s, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        long long v = take_signed(s, ap);
        unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        put_number(o, s, mag, 10, false, v < 0);
        break;
    }
    case 'u':
        put_number(o, s, take_unsigned(s, ap), 10, false, false);
        break;
    case 'x':
    case 'X':
        put_number(o, s, take_unsigned(s, ap), 16, conv == 'X', false);
        break;
    case 'p':
        put(o, '0');
        put(o, 'x');
        put_number(o, s, (uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        put_padded(o, s, &c, 1, false);
        break;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);
        size_t n = 0;
        if (str == NULL)
            str = "(null)";
        while (str[n] != '\0')
            n++;
        put_padded(o, s, str, n, false);
        break;
    }
    default:
        put(o, '%');
        put(o, conv);
        break;
    }
}

size_t tern_cm_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    out_t o = { buf, cap - 1, 0 };
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        if (f[1] == '%') {
            put(&o, '%');
            f++;
            continue;
        }
        spec_t s;
        f = parse_spec(f + 1, &s);
        if (*f == '\0')
            break;
        convert(&o, &s, *f, &args);
    }
    va_end(args);
    buf[o.len] = '\0';
    return o.len;
}
