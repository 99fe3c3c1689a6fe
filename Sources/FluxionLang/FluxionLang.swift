// The function language: Lexer/ (source → tokens), Parser/ (tokens → AST), AST/ (the syntax
// tree, mirroring Python's `ast` module). The interpreter arrives with the language issue.
@_exported import Fluxion
