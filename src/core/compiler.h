/*
 * The one compiler hint the core uses, behind a macro that means nothing
 * to a compiler it does not know (the code stays plain C99).
 *
 * TERN_NOINLINE keeps a helper in a frame of its own. A helper with big
 * locals that is called once, before its caller goes deep (a request's
 * handling, a payload's encoding), would otherwise be inlined and its
 * locals would stay in the caller's frame under the whole deep call:
 * the peak stack is the sum of the frames on the deepest path, so a
 * helper's frame that is popped before the deep call costs nothing there.
 * Use it only where the stack bound (scripts/qemu.sh stack) shows it.
 */
#ifndef TERN_CORE_COMPILER_H
#define TERN_CORE_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define TERN_NOINLINE __attribute__((noinline))
#else
#define TERN_NOINLINE
#endif

#endif /* TERN_CORE_COMPILER_H */
