import FluxionBackend

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
  /// NumPy's `str`: `[0. 1. 2.]`. Tracers print as JAX's do; errors as `TypeError: …`.
  public var description: String {
    switch resolved {
    case .array(let a, _): return ArrayFormatter.str(printData(a), shape: a.shape)
    case .failed(let e): return e.description
    case .tracer(let t): return tracerText(t)
    }
  }

  /// JAX's `repr`: `Array([0., 1., 2.], dtype=float32)`.
  public var debugDescription: String {
    switch resolved {
    case .array(let a, let weak):
      return ArrayFormatter.repr(printData(a), shape: a.shape, dtypeName: "\(a.dtype)", weakType: weak)
    case .failed(let e): return e.description
    case .tracer(let t): return tracerText(t)
    }
  }

  /// NumPy's `repr` of a concrete array as an ndarray (`array([1., 2.])`), or as a NumPy
  /// scalar (`np.float64(2.0)`, `np.int64(3)`, `np.True_`) when `scalar` and 0-d.
  public func numpyDescription(scalar: Bool = false) -> String {
    switch resolved {
    case .array(let a, _):
      if scalar && a.shape.isEmpty {
        let text = ArrayFormatter.str(printData(a), shape: a.shape)
        return a.dtype == .bool ? "np.\(text)_" : "np.\(a.dtype)(\(text))"
      }
      return ArrayFormatter.numpyRepr(printData(a), shape: a.shape, dtypeName: "\(a.dtype)")
    case .failed(let e): return e.description
    case .tracer(let t): return tracerText(t)
    }
  }

  func tracerText(_ t: Tracer) -> String {
    switch t {
    case let j as JVPTracer:
      let p = j.primal.concrete.map { ArrayFormatter.str(printData($0), shape: $0.shape) } ?? "\(j.primal)"
      return "GradTracer(primal=\(p), typeof(tangent)=\(tangentAval(t.aval)))"
    case is BatchTracer: return "BatchTracer(~\(t.aval.longDescription))"
    default: return "JitTracer(~\(t.aval.longDescription))"
    }
  }
}

func printData(_ a: DenseArray) -> PrintData {
  switch a.dtype {
  case .bool: .bool(a.elements(UInt8.self).map { $0 != 0 })
  case .int32: .int32(a.elements(Int32.self))
  case .uint32: .uint32(a.elements(UInt32.self))
  case .int64: .int64(a.elements(Int64.self))
  case .uint64: .uint64(a.elements(UInt64.self))
  case .float32: .float32(a.elements(Float.self))
  case .float64: .float64(a.elements(Double.self))
  }
}

extension Tensor {
  /// The single element as a Double (for 0-d or one-element arrays): `x.item()`. Under grad
  /// it reads the primal value; under jit or vmap it is JAX's ConcretizationTypeError.
  public func item() throws(FluxionError) -> Double { try scalarItem(for: .item).asDouble }

  /// The single element (of a 0-d or one-element array) for `conversion`, or the error that
  /// prevents reading it.
  func scalarItem(for conversion: TracerConversion = .item) throws(FluxionError) -> Scalar {
    let a = try concreteValue(for: conversion)
    guard a.count == 1 else {
      throw FluxionError(.valueError, "can only convert an array of size 1 to a Python scalar")
    }
    return a.scalar(at: 0)
  }

  /// Every element converted to Double, row-major (`x.tolist()`); throws the tensor's error, or
  /// for a traced value JAX's ConcretizationTypeError (even under grad, as `tolist` in JAX).
  public var doubles: [Double] {
    get throws(FluxionError) { try concreteValue(for: .tolist).doubles }
  }
  /// Every element converted to Float, row-major; throws as `doubles` does.
  public var floats: [Float] {
    get throws(FluxionError) { try doubles.map(Float.init) }
  }

  /// The truth of a one-element array (`bool(x)`); under vmap or jit this is JAX's
  /// TracerBoolConversionError (under grad it reads the primal value).
  public func truthValue() throws(FluxionError) -> Bool {
    let a = try concreteValue(for: .bool)
    guard a.count == 1 else {
      throw FluxionError(
        .valueError, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
    }
    return a.scalar(at: 0).isTrue
  }
}
