// The function language (lexer, parser, interpreter) arrives with the language issue.
@_exported import Fluxion
