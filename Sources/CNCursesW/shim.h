#ifndef CONTRACTWATCH_CNCURSESW_SHIM_H
#define CONTRACTWATCH_CNCURSESW_SHIM_H

/* SwiftPM drops pkg-config's -D flags, so the wide-character API (wget_wch, cchar_t) must be
   switched on here, before curses.h. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <pthread.h>
#include <langinfo.h>
#include <wchar.h>
#include <curses.h>
#include <signal.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* wcwidth is only declared under _XOPEN_SOURCE; declare it for Swift. */
extern int wcwidth(wchar_t c);

/* stdscr, COLORS and COLOR_PAIRS are mutable C globals, which Swift 6 refuses to read from
   concurrent code; read them through functions. */
static inline WINDOW *cw_stdscr(void) { return stdscr; }
static inline int cw_colors(void) { return COLORS; }
static inline int cw_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cw_stdout(void) { return stdout; }
static inline FILE *cw_stdin(void) { return stdin; }

/* Attribute and pair macros are built from NCURSES_BITS(...) expressions Swift cannot import. */
static const attr_t cw_A_NORMAL = A_NORMAL;
static const attr_t cw_A_BOLD = A_BOLD;
static const attr_t cw_A_REVERSE = A_REVERSE;
static const attr_t cw_A_UNDERLINE = A_UNDERLINE;
static const attr_t cw_A_DIM = A_DIM;
static inline attr_t cw_color_pair(int n) { return COLOR_PAIR(n); }

/* The mouse masks are NCURSES_MOUSE_MASK(...) expressions Swift cannot import either. */
static const mmask_t cw_BUTTON1_CLICKED = BUTTON1_CLICKED;
static const mmask_t cw_BUTTON1_PRESSED = BUTTON1_PRESSED;
static const mmask_t cw_BUTTON1_RELEASED = BUTTON1_RELEASED;
static const mmask_t cw_BUTTON1_DOUBLE_CLICKED = BUTTON1_DOUBLE_CLICKED;
static const mmask_t cw_BUTTON4_PRESSED = BUTTON4_PRESSED;
static const mmask_t cw_BUTTON5_PRESSED = BUTTON5_PRESSED;
static const mmask_t cw_ALL_MOUSE_EVENTS = ALL_MOUSE_EVENTS;

/* TIOCGWINSZ is a macro over an ioctl request Swift cannot import: the terminal's real size,
   read directly, so a resize is noticed even when SIGWINCH never arrives. 0 on success. */
static inline int cw_window_size(int fd, int *rows, int *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

/* A parent can start us with signals blocked (threads of test runners and daemons do), which
   would hide SIGWINCH from ncurses; unblock the ones an interactive program relies on. */
static inline void cw_unblock_terminal_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Whether the terminal hung up (its pty closed): poll's POLLHUP/POLLERR/POLLNVAL on fd. */
static inline int cw_hung_up(int fd) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    if (poll(&p, 1, 0) < 0) return 0;
    return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* A crash (a Swift trap is SIGILL or SIGTRAP; SIGSEGV, SIGBUS, SIGFPE, SIGABRT) must not leave
   the terminal in raw mode on the alternate screen, as htop's CRT_done does: restore it, say
   so, then die by the same signal with its default action (so the exit status and any core
   dump stay true). endwin is not async-signal-safe; after a crash, a best effort is the point. */
static void cw_crash_handler(int signal_number) {
    endwin();
    static const char message[] = "\ncontractwatch crashed; the terminal was restored. Please report it with the log.\n";
    (void)!write(2, message, sizeof message - 1);
    struct sigaction fallback;
    sigemptyset(&fallback.sa_mask);
    fallback.sa_flags = 0;
    fallback.sa_handler = SIG_DFL;
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

static inline void cw_install_crash_handler(void) {
    int signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT };
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    action.sa_handler = cw_crash_handler;
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, NULL);
}

/* The locale's character set, to tell whether it is UTF-8 (nl_langinfo's CODESET is a macro). */
static inline const char *cw_codeset(void) { return nl_langinfo(CODESET); }

#endif
