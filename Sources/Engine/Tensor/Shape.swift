/// The dimensions of a tensor, outermost first; values are stored row-major (the last index
/// varies fastest). A scalar has no dimensions; at most four (a batch of images: N×C×H×W).
/// Kept inline, not in an array, so recording a node allocates nothing for its shape.
///
///     let s: Shape = [2, 3]        // 2 rows, 3 columns: 6 numbers
///     try Shape.broadcast(s, [3], in: "add")   // [2, 3]: the row is added to each row
public struct Shape: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    private var d0 = 0, d1 = 0, d2 = 0, d3 = 0
    public private(set) var rank: Int
    /// The number of entries: the product of the dimensions (1 for a scalar).
    public private(set) var count: Int

    public init(_ dims: [Int]) {
        precondition(dims.count <= 4, "a tensor has at most four dimensions, not \(dims.count): \(dims)")
        precondition(dims.allSatisfy { $0 >= 0 }, "a dimension cannot be negative: \(dims)")
        rank = dims.count
        count = dims.reduce(1, *)
        for (k, d) in dims.enumerated() { self[k] = d }
    }

    public init(arrayLiteral dims: Int...) { self.init(dims) }

    public static let scalar = Shape([])

    public var dims: [Int] { (0..<rank).map { self[$0] } }

    public subscript(axis: Int) -> Int {
        get {
            switch axis {
            case 0: d0
            case 1: d1
            case 2: d2
            default: d3
            }
        }
        set {
            switch axis {
            case 0: d0 = newValue
            case 1: d1 = newValue
            case 2: d2 = newValue
            default: d3 = newValue
            }
        }
    }

    /// The last dimension (1 for a scalar).
    public var last: Int { rank == 0 ? 1 : self[rank - 1] }

    /// The same shape with `axis` of length `length`.
    public func with(_ axis: Int, _ length: Int) -> Shape {
        var dims = self.dims
        dims[axis] = length
        return Shape(dims)
    }

    /// Elements skipped by one step along each axis.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * dims[axis + 1] }
        return strides
    }

    /// "2×3", "scalar".
    public var description: String { dims.isEmpty ? "scalar" : dims.map(String.init).joined(separator: "×") }

    /// NumPy's rule: align the shapes at their last axes; each pair of dimensions must agree or
    /// one must be 1 (or missing), and the result takes the larger.
    public static func broadcast(_ a: Shape, _ b: Shape, in operation: String) throws(ShapeError) -> Shape {
        if a == b || b.rank == 0 { return a }
        if a.rank == 0 { return b }
        let rank = max(a.rank, b.rank)
        var dims = [Int](repeating: 1, count: rank)
        for k in 0..<rank {
            let x = k < rank - a.rank ? 1 : a.dims[k - (rank - a.rank)]
            let y = k < rank - b.rank ? 1 : b.dims[k - (rank - b.rank)]
            guard x == y || x == 1 || y == 1 else {
                throw ShapeError(
                    """
                    \(operation): shapes \(a) and \(b) do not broadcast: axis \
                    \(k) has \(x) against \(y) (each pair must agree, or one be 1)
                    """
                )
            }
            dims[k] = max(x, y)
        }
        return Shape(dims)
    }

    /// Whether this shape repeats whole to make `target`: it matches target's trailing axes
    /// (leading 1s aside), so entry k of the target meets entry k mod count of this one. A bias
    /// row added to every row of a batch is the common case.
    func repeats(into target: Shape) -> Bool {
        let dims = self.dims.drop { $0 == 1 }
        return dims.count <= target.rank && Array(target.dims.suffix(dims.count)) == Array(dims)
    }

    /// This shape's strides as seen from `target` (which it broadcasts to): 0 along the axes it
    /// is repeated on, so one index walks both.
    func strides(broadcastTo target: Shape) -> [Int] {
        let offset = target.rank - rank
        let own = strides
        return (0..<target.rank).map { k in
            k < offset || dims[k - offset] == 1 ? 0 : own[k - offset]
        }
    }
}

/// A shape that does not fit the operation, named with both shapes and the rule.
///
///     try Shape.broadcast([2, 3], [2], in: "add")   // add: shapes 2×3 and 2 do not broadcast: …
public struct ShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Visits every index of `shape` in row-major order, handing `body` the matching offset into each
/// of the given stride lists (an operand broadcast along an axis has stride 0 there). The
/// innermost axis runs as a plain loop; the outer axes carry over only at the end of each row.
@inline(__always)
func forEachIndex(
    of shape: Shape, strides: [[Int]], _ body: (_ output: Int, _ offsets: UnsafeBufferPointer<Int>) -> Void
) {
    let rank = shape.rank
    let n = strides.count
    guard shape.count > 0 else { return }
    guard rank > 0 else {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(n, 1)) { offsets in
            for s in 0..<n { offsets[s] = 0 }
            body(0, UnsafeBufferPointer(offsets))
        }
        return
    }
    // Flat copies, so the loop reads no nested arrays.
    let flat = strides.flatMap { $0 }
    let dims = shape.dims
    let inner = dims[rank - 1]
    withUnsafeTemporaryAllocation(of: Int.self, capacity: max(n, 1) + rank) { scratch in
        let offsets = UnsafeMutableBufferPointer(rebasing: scratch[0..<max(n, 1)])
        let index = UnsafeMutableBufferPointer(rebasing: scratch[max(n, 1)...])
        for k in 0..<max(n, 1) { offsets[k] = 0 }
        for k in 0..<rank { index[k] = 0 }
        var output = 0
        let rows = shape.count / inner
        for _ in 0..<rows {
            for _ in 0..<inner {
                body(output, UnsafeBufferPointer(offsets))
                output += 1
                for s in 0..<n { offsets[s] += flat[s * rank + rank - 1] }
            }
            // The row is done: step back along the last axis, then carry into the outer ones.
            for s in 0..<n { offsets[s] -= flat[s * rank + rank - 1] * inner }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                for s in 0..<n { offsets[s] += flat[s * rank + axis] }
                if index[axis] < dims[axis] { break }
                for s in 0..<n { offsets[s] -= flat[s * rank + axis] * index[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
