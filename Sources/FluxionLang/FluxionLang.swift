// The function language (lexer, parser, interpreter) arrives with the language issue.
@_exported import Fluxion
// The flat transformations (`vjpFlat`, `vmapFlat`, …) are the engine's interface for the
// language, which flattens its own dynamic values: they are the SPI `FluxionLang`.
@_spi(FluxionLang) import Fluxion
