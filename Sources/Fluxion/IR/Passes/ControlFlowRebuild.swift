/// The control-flow primitives take rewritten sub-programs, so every pass sees inside their
/// branches and bodies (each sub-program keeps its interface; see `SubJaxprRebuildable`). The
/// sub-programs come in the order of the primitive's params.
extension CondPrimitive: SubJaxprRebuildable {
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)? {
    jaxprs.count == branches.count ? CondPrimitive(branches: jaxprs) : nil
  }
}

extension WhilePrimitive: SubJaxprRebuildable {
  /// `body_jaxpr` comes before `cond_jaxpr` in the params.
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)? {
    guard jaxprs.count == 2 else { return nil }
    return WhilePrimitive(cond: jaxprs[1], body: jaxprs[0], condConsts: condConsts, bodyConsts: bodyConsts)
  }
}

extension ScanPrimitive: SubJaxprRebuildable {
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)? {
    guard jaxprs.count == 1 else { return nil }
    return ScanPrimitive(
      body: jaxprs[0], length: length, reverse: reverse, numConsts: numConsts, numCarry: numCarry)
  }
}

extension CheckpointPrimitive: SubJaxprRebuildable {
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)? {
    jaxprs.count == 1 ? CheckpointPrimitive(body: jaxprs[0], differentiated: differentiated) : nil
  }
}
