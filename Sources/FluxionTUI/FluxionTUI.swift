// The terminal explorer arrives with the TUI issue; ncurses is touched only in its curses backend.
@_exported import FluxionLang
