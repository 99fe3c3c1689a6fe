// The explorer (TUI.md): App/ (state, update, evaluation, sessions), Panes/ (the view), Widgets/
// (line editors, the key table), Render/ (the cell grid, the plot module), Backend/ (curses, the
// only file that touches ncurses).
@_exported import FluxionLang
