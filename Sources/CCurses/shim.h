#ifndef FLUXION_CCURSES_SHIM_H
#define FLUXION_CCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
// Macros Swift cannot import, as functions.
static inline int fx_color_pair(int n) { return COLOR_PAIR(n); }
static inline int fx_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int fx_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline WINDOW *fx_stdscr(void) { return stdscr; }
#endif
