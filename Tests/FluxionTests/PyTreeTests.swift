import Foundation
import Testing

@testable import Fluxion

/// Pytrees: JAX's structures and printing, and the runtime registry a dynamic language value
/// uses for classes registered at run time.
struct PyTreeTests {
  @Test func dictionariesFlattenInSortedKeyOrderAndNilIsAnEmptySubtree() throws {
    let tree: [String: [Tensor?]] = ["b": [Tensor(3.0), nil], "a": [Tensor(1.0), Tensor(2.0)]]
    let (leaves, def) = treeFlatten(tree)
    #expect(try leaves.map { try $0.doubles[0] } == [1, 2, 3])
    #expect(def.description == "PyTreeDef({'a': [*, *], 'b': [*, None]})")
    #expect(def.leafCount == 3)
    let doubled: [String: [Tensor?]] = treeMap({ $0 * 2 }, tree)
    #expect(try doubled["b"]?[0]?.doubles == [6])
    #expect(doubled["b"]?[1] == nil)
  }

  @Test func unflattenChecksTheLeafCount() {
    let def = treeStructure([Tensor(1.0), Tensor(2.0)])
    #expect(throws: FluxionError.valueError("Too few leaves for PyTreeDef; expected 2, got 1")) {
      try treeUnflatten([Tensor].self, def, [Tensor(1.0)])
    }
  }

  @Test func gradOfADictionaryHasItsStructure() throws {
    let g = grad { (p: [String: Tensor]) in p["w"]! * p["b"]! }(["w": Tensor(2.0), "b": Tensor(3.0)])
    #expect(try g["w"]?.doubles == [3])
    #expect(try g["b"]?.doubles == [2])
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
    #expect(try fields["x"]?.tensor?.doubles == [0.6000000238418579])
    #expect(try fields["y"]?.tensor?.doubles == [0.800000011920929])
  }
}

/// Scalar leaves (Double, Float, Int, Bool) read their tensor's one element, and a leaf that
/// cannot be read throws — the tensor's error, or JAX's error for an abstract tracer — where it
/// used to read as NaN, 0 or false. Reading a tensor's elements (`doubles`, `floats`) throws alike.
struct ScalarLeafTests {
  static let error = FluxionError(.typeError, "add got incompatible shapes for broadcasting: (3,), (4,).")
  static let failed = Tensor(failed: error)

  @Test func aLeafHoldingAnErrorThrowsThatError() {
    #expect(throws: Self.error) { try treeUnflatten(Double.self, .leaf, [Self.failed]) }
    #expect(throws: Self.error) { try treeUnflatten(Float.self, .leaf, [Self.failed]) }
    #expect(throws: Self.error) { try treeUnflatten(Int.self, .leaf, [Self.failed]) }
    #expect(throws: Self.error) { try treeUnflatten(Bool.self, .leaf, [Self.failed]) }
    #expect(throws: Self.error) {
      try treeUnflatten([Double].self, .list([.leaf, .leaf]), [Tensor(1.0), Self.failed])
    }
  }

  /// What rebuilding `T` from a vmap tracer throws, and what reading the tracer's value throws.
  static func fromVmapTracer<T: PyTree>(_: T.Type) -> (thrown: FluxionError?, reading: FluxionError?) {
    var thrown: FluxionError?
    var reading: FluxionError?
    _ = vmap { (x: Tensor) -> Tensor in
      do throws(FluxionError) { _ = try treeUnflatten(T.self, .leaf, [x]) } catch { thrown = error }
      do throws(FluxionError) { _ = try x.value() } catch { reading = error }
      return x
    }(Tensor([1.0, 2.0]))
    return (thrown, reading)
  }

  @Test func anAbstractTracerLeafIsJAXsConcretizationTypeError() {
    let aval = ShapedArray(shape: [], dtype: .float32)
    for (thrown, reading) in [
      Self.fromVmapTracer(Double.self), Self.fromVmapTracer(Float.self), Self.fromVmapTracer(Int.self),
    ] {
      #expect(thrown?.kind == .concretizationTypeError)
      #expect(reading?.reason == .concretization(aval))
    }
    // A Double or Float leaf is read as x.item(), an Int leaf as int(x).
    #expect(
      Self.fromVmapTracer(Double.self).thrown?.message
        == "Abstract tracer value encountered where concrete value is expected: traced array with shape float32[]\nThis occurred in the item() method of jax.Array\n\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.ConcretizationTypeError"
    )
    #expect(
      Self.fromVmapTracer(Int.self).thrown?.message.contains("The problem arose with the `int` function.") == true)
    // bool(tracer) in JAX: TracerBoolConversionError, a ConcretizationTypeError.
    #expect(Self.fromVmapTracer(Bool.self).thrown == FluxionError(.tracerBoolConversion(aval)))
    #expect(
      Self.fromVmapTracer(Bool.self).thrown?.message
        == "Attempted boolean conversion of traced array with shape float32[].\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerBoolConversionError"
    )
  }

  @Test func aLeafOfSeveralElementsIsAnError() {
    #expect(throws: FluxionError(.valueError, "can only convert an array of size 1 to a Python scalar")) {
      try treeUnflatten(Double.self, .leaf, [Tensor([1.0, 2.0])])
    }
  }

  @Test func intLeavesConvertAsPythonsInt() throws {
    #expect(try treeUnflatten(Int.self, .leaf, [Tensor(2.7)]) == 2)
    #expect(try treeUnflatten(Int.self, .leaf, [Tensor(-2.7)]) == -2)
    #expect(try treeUnflatten(Int.self, .leaf, [Tensor(true)]) == 1)
    #expect(try Config.withX64(true) { try treeUnflatten(Int.self, .leaf, [Tensor.weak(Int.max - 1)]) } == Int.max - 1)
    #expect(throws: FluxionError(.valueError, "cannot convert float NaN to integer")) {
      try treeUnflatten(Int.self, .leaf, [Tensor(Double.nan)])
    }
    #expect(throws: FluxionError(.overflowError, "cannot convert float infinity to integer")) {
      try treeUnflatten(Int.self, .leaf, [Tensor(-Double.infinity)])
    }
    #expect(throws: FluxionError(.overflowError, "Python int too large to convert to C long")) {
      try treeUnflatten(Int.self, .leaf, [Tensor(1e19, dtype: .float64)])
    }
    #expect(throws: FluxionError(.overflowError, "Python int too large to convert to C long")) {
      try Config.withX64(true) {
        try treeUnflatten(Int.self, .leaf, [Tensor(shape: [], scalars: [.uint(UInt64.max)], dtype: .uint64)])
      }
    }
  }

  @Test func scalarLeavesRoundTrip() throws {
    #expect(try treeUnflatten(Double.self, .leaf, treeLeaves(2.5)) == 2.5)
    #expect(try treeUnflatten(Float.self, .leaf, treeLeaves(Float(0.1))) == Float(0.1))
    #expect(try treeUnflatten(Int.self, .leaf, treeLeaves(-7)) == -7)
    #expect(try treeUnflatten(Bool.self, .leaf, treeLeaves(true)))
  }

  @Test func doublesAndFloatsThrowInsteadOfReturningNothing() throws {
    #expect(throws: Self.error) { try Self.failed.doubles }
    #expect(throws: Self.error) { try Self.failed.floats }
    var thrown: FluxionError?
    _ = vmap { (x: Tensor) -> Tensor in
      do throws(FluxionError) { _ = try x.doubles } catch { thrown = error }
      return x
    }(Tensor([1.0, 2.0]))
    #expect(thrown?.kind == .concretizationTypeError)
    #expect(try Tensor([1.5, -2]).floats == [1.5, -2])
    #expect(try Tensor(shape: [0], scalars: [], dtype: .float32).doubles == [])
  }

  /// A Double cannot hold a batch: vmap's output that asks for one fails as a whole (its tensor
  /// leaves carry the error; the Double, which cannot, holds NaN) instead of a NaN beside
  /// results that look right. Left unbatched (out_axes None), the Double reads its value.
  @Test func aScalarLeafOfAResultThatCannotBeReadFailsTheResult() throws {
    let xs = Tensor([1.0, 2.0, 3.0])
    let broadcast = vmap { (x: Tensor) in Pair(x * 2, 1.0) }(xs)
    #expect(
      broadcast.first.error == FluxionError(.valueError, "can only convert an array of size 1 to a Python scalar"))
    #expect(broadcast.second.isNaN)
    let unbatched = vmap({ (x: Tensor) in Pair(x * 2, 1.0) }, outAxes: .list([0, nil]))(xs)
    #expect(try unbatched.first.doubles == [2, 4, 6])
    #expect(unbatched.second == 1)
  }

  @Test func choiceOfAFailedCountIsThatError() {
    #expect(Random.choice(Random.PRNGKey(0), Self.failed, [2]).error == Self.error)
  }
}
