import CCurses
import Testing

/// The ncursesw system-library module: it links, and the shim exposes the macros Swift cannot
/// import. (The explorer itself arrives with the TUI issue; no terminal is needed here.)
struct CursesModuleTests {
  @Test func ncursesWideLibraryLinks() throws {
    let version = String(cString: try #require(curses_version()))
    #expect(version.hasPrefix("ncurses 6."))
  }

  @Test func colorPairShimMatchesTheMacro() {
    // COLOR_PAIR(n) is n shifted into the attribute bits above the character (8 bits).
    #expect(fx_color_pair(3) == 3 << 8)
  }
}
