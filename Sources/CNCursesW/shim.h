#ifndef CONTRACTWATCH_CNCURSESW_SHIM_H
#define CONTRACTWATCH_CNCURSESW_SHIM_H

/* SwiftPM drops pkg-config's -D flags, so the wide-character API (wget_wch, cchar_t) must be
   switched on here, before curses.h. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <curses.h>

/* wcwidth is only declared under _XOPEN_SOURCE; declare it for Swift. */
extern int wcwidth(wchar_t c);

#endif
