import RealModule

/// The tests' one approximate equality, swift-numerics' `isApproximatelyEqual`: `a` and `b`
/// agree when |a − b| ≤ max(`within`, `relative` · max(|a|, |b|)).
///
///     #expect(close(out_o1, 0.75136507, within: 5e-9))   // the notes print eight decimals
///     #expect(close(tape, byHand))                       // the same sums in another order
///
/// With neither tolerance named, both are 1e-12: what the same floating-point operations done
/// in another order leave (a few thousand ulps of a number near 1), and absolute near 0, where a
/// relative error means nothing. Naming only `relative` keeps it as the absolute floor too;
/// naming only `within` makes the test absolute; `within: 0` makes it purely relative, for
/// values far below 1 (a gradient of 4e-4) that the floor would wave through.
public func close(_ a: Double, _ b: Double, relative: Double? = nil, within absolute: Double? = nil) -> Bool {
    let (relativeTolerance, absoluteTolerance) =
        switch (relative, absolute) {
        case (nil, nil): (1e-12, 1e-12)
        case (let r?, nil): (r, r)
        case (nil, let a?): (0, a)
        case (let r?, let a?): (r, a)
        }
    return a.isApproximatelyEqual(to: b, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
}
