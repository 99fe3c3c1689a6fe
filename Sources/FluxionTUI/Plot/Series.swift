/// A sampled curve (placeholder until the plot module lands; same shape).
public struct Series: Sendable, Equatable {
  public var label: String
  public var color: Color
  public var xs: [Double]
  public var ys: [Double]
  public init(label: String, color: Color, xs: [Double], ys: [Double]) {
    self.label = label
    self.color = color
    self.xs = xs
    self.ys = ys
  }
}
