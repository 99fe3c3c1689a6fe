#ifndef FLUXION_CCURSES_SHIM_H
#define FLUXION_CCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <termios.h>
#include <ncursesw/curses.h>

/// The terminal's modes saved at start and put back by the signal handler, kept in C storage
/// of C's size (tcgetattr writes the whole struct termios).
static inline struct termios *fx_saved_modes(int *valid) {
  static struct termios modes;
  static int saved;
  if (valid) *valid = saved;
  saved = 1;
  return &modes;
}
static inline void fx_save_terminal_modes(void) {
  if (tcgetattr(0, fx_saved_modes(0)) != 0) fx_saved_modes(0)->c_cflag = 0;
}
static inline void fx_restore_terminal_modes(void) {
  int valid = 0;
  struct termios *m = fx_saved_modes(&valid);
  if (valid && m->c_cflag != 0) tcsetattr(0, TCSANOW, m);
}
// Macros Swift cannot import, as functions.
static inline int fx_color_pair(int n) { return COLOR_PAIR(n); }
static inline int fx_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int fx_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline WINDOW *fx_stdscr(void) { return stdscr; }
static inline FILE *fx_stdout(void) { return stdout; }
static inline FILE *fx_stdin(void) { return stdin; }
static inline int fx_color_pairs(void) { return COLOR_PAIRS; }
static inline int fx_colors(void) { return COLORS; }
static inline attr_t fx_a_bold(void) { return A_BOLD; }
static inline attr_t fx_a_dim(void) { return A_DIM; }
static inline attr_t fx_a_reverse(void) { return A_REVERSE; }
static inline attr_t fx_a_underline(void) { return A_UNDERLINE; }
static inline int fx_key_f(int n) { return KEY_F(n); }
static inline mmask_t fx_wheel_mask(void) { return BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int fx_wheel_up(mmask_t m) { return (m & BUTTON4_PRESSED) != 0; }
static inline int fx_wheel_down(mmask_t m) { return (m & BUTTON5_PRESSED) != 0; }

/// Draws one cell: up to 4 code points (a character and its combining marks), attributes, pair.
static inline int fx_put_cell(int y, int x, const wchar_t *ws, attr_t a, short pair) {
  cchar_t c;
  if (setcchar(&c, ws, a, pair, NULL) != OK) return ERR;
  return mvadd_wch(y, x, &c);
}

#endif
