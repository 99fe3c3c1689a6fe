import FluxionLang
import Testing

/// The language module's layer: it sees the engine (and only the engine). The interpreter
/// arrives with the language issue.
struct LanguageModuleTests {
  @Test func theEngineIsVisibleThroughTheLanguageModule() throws {
    let derivative = grad { (x: Tensor) in x.pow(3) }(Tensor(2.0))
    #expect(try derivative.item() == 12)
  }
}
