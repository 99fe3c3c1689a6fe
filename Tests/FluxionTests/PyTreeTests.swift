import Foundation
import Testing

@testable import Fluxion

/// Pytrees: JAX's structures and printing, and the runtime registry a dynamic language value
/// uses for classes registered at run time.
struct PyTreeTests {
  @Test func dictionariesFlattenInSortedKeyOrderAndNilIsAnEmptySubtree() {
    let tree: [String: [Tensor?]] = ["b": [Tensor(3.0), nil], "a": [Tensor(1.0), Tensor(2.0)]]
    let (leaves, def) = treeFlatten(tree)
    #expect(leaves.map { $0.doubles[0] } == [1, 2, 3])
    #expect(def.description == "PyTreeDef({'a': [*, *], 'b': [*, None]})")
    #expect(def.leafCount == 3)
    let doubled: [String: [Tensor?]] = treeMap({ $0 * 2 }, tree)
    #expect(doubled["b"]?[0]?.doubles == [6])
    #expect(doubled["b"]?[1] == nil)
  }

  @Test func unflattenChecksTheLeafCount() {
    let def = treeStructure([Tensor(1.0), Tensor(2.0)])
    #expect(throws: FluxionError.valueError("Too few leaves for PyTreeDef; expected 2, got 1")) {
      try treeUnflatten([Tensor].self, def, [Tensor(1.0)])
    }
  }

  @Test func gradOfADictionaryHasItsStructure() {
    let g = grad { (p: [String: Tensor]) in p["w"]! * p["b"]! }(["w": Tensor(2.0), "b": Tensor(3.0)])
    #expect(g["w"]?.doubles == [3])
    #expect(g["b"]?.doubles == [2])
  }

  /// A miniature of the language's dynamic value: lists, tensors, and instances of classes
  /// registered at run time.
  indirect enum Value: PyTree {
    case tensor(Tensor)
    case list([Value])
    case object(type: String, fields: [String: Value])

    static let registry = PyTreeRegistry<Value>()

    func flatten(into leaves: inout [Tensor]) -> TreeDef {
      switch self {
      case .tensor(let t): return t.flatten(into: &leaves)
      case .list(let items): return .list(items.map { $0.flatten(into: &leaves) })
      case .object(let type, _):
        return Self.registry.flatten(self, type: type, into: &leaves) ?? .leaf
      }
    }

    static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Value {
      switch def {
      case .leaf: return .tensor(try Tensor.unflatten(def, &leaves))
      case .list(let children):
        var items: [Value] = []
        for c in children { items.append(try Value.unflatten(c, &leaves)) }
        return .list(items)
      case .custom: return try registry.unflatten(def, &leaves)
      default: throw .valueError("unsupported node \(def)")
      }
    }

    var tensor: Tensor? {
      if case .tensor(let t) = self { return t }
      return nil
    }
  }

  @Test func classesRegisteredAtRunTimeFlowThroughGrad() throws {
    Value.registry.register(
      "Point",
      .init(
        flatten: { v in
          guard case .object(_, let f) = v else { return ([], "") }
          return ([f["x"] ?? .list([]), f["y"] ?? .list([])], "")
        },
        unflatten: { _, c in .object(type: "Point", fields: ["x": c[0], "y": c[1]]) }))
    let p = Value.object(type: "Point", fields: ["x": .tensor(Tensor(3.0)), "y": .tensor(Tensor(4.0))])
    #expect(treeStructure(p).description == "PyTreeDef(CustomNode(Point[], [*, *]))")
    let g = grad { (v: Value) -> Tensor in
      guard case .object(_, let f) = v, let x = f["x"]?.tensor, let y = f["y"]?.tensor else { return Tensor(0.0) }
      return sqrt(x * x + y * y)
    }(p)
    guard case .object(let type, let fields) = g else {
      Issue.record("grad did not return an object: \(g)")
      return
    }
    #expect(type == "Point")
    #expect(fields["x"]?.tensor?.doubles == [0.6000000238418579])
    #expect(fields["y"]?.tensor?.doubles == [0.800000011920929])
  }
}
