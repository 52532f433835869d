import Foundation
import ReportModel

/// Level lines of a field sampled on a grid, by marching squares: in each grid cell the level
/// crosses the edges whose ends lie on either side of it, at the linearly interpolated point;
/// the crossings are chained through shared edges into lines. A saddle cell (diagonal corners
/// above) is split by its centre value.
///
///     Contours.lines(field, level: 4)        // for f = x² + y²: one closed loop, the circle r = 2
///     Contours.region(field, atLeast: 4)     // the loops bounding f ≥ 4, for an even-odd fill
enum Contours {
    struct Line {
        var points: [Point]
        /// A loop (its first point is not repeated at the end), or a line that ends on the grid's border.
        var closed: Bool
    }

    /// The lines where the field equals `level`, in data coordinates.
    static func lines(_ field: Plot.Field, level: Double) -> [Line] {
        lines(xs: field.xs, ys: field.ys, values: field.values, level: level)
    }

    /// Closed loops around the part of the grid where the field is at least `level`, the grid's
    /// border included: filled with the even-odd rule (and clipped to the grid) they cover
    /// exactly that region, holes and all. The grid gets a ring below every level, so every
    /// boundary closes just outside it.
    static func region(_ field: Plot.Field, atLeast level: Double) -> [[Point]] {
        let (nx, ny) = (field.xs.count, field.ys.count)
        guard nx >= 2, ny >= 2 else { return [] }
        let floor = min(field.values.filter(\.isFinite).min() ?? level, level) - 1
        let xs = [2 * field.xs[0] - field.xs[1]] + field.xs + [2 * field.xs[nx - 1] - field.xs[nx - 2]]
        let ys = [2 * field.ys[0] - field.ys[1]] + field.ys + [2 * field.ys[ny - 1] - field.ys[ny - 2]]
        var values = [Double](repeating: floor, count: (nx + 2) * (ny + 2))
        for j in 0..<ny { for i in 0..<nx { values[(j + 1) * (nx + 2) + i + 1] = field.values[j * nx + i] } }
        return lines(xs: xs, ys: ys, values: values, level: level).map(\.points)
    }

    private static func lines(xs: [Double], ys: [Double], values: [Double], level: Double) -> [Line] {
        let (nx, ny) = (xs.count, ys.count)
        func above(_ i: Int, _ j: Int) -> Bool { values[j * nx + i] >= level }
        // Edge ids: 2(j·nx + i) the edge from (i, j) to (i + 1, j); + 1 the edge from (i, j) to (i, j + 1).
        func horizontal(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) }
        func vertical(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) + 1 }
        func crossing(_ edge: Int) -> Point {
            let base = edge / 2
            let (i, j) = (base % nx, base / nx)
            let (i2, j2) = edge % 2 == 0 ? (i + 1, j) : (i, j + 1)
            let (a, b) = (values[j * nx + i], values[j2 * nx + i2])
            let t = a == b ? 0.5 : (level - a) / (b - a)
            return Point(xs[i] + t * (xs[i2] - xs[i]), ys[j] + t * (ys[j2] - ys[j]))
        }

        var segments: [(Int, Int)] = []
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let (a, b, c, d) = (above(i, j), above(i + 1, j), above(i + 1, j + 1), above(i, j + 1))
                let (bottom, right, top, left) = (
                    horizontal(i, j), vertical(i + 1, j), horizontal(i, j + 1), vertical(i, j)
                )
                switch (a, b, c, d) {
                case (true, true, true, true), (false, false, false, false): continue
                case (true, false, true, false), (false, true, false, true):
                    // A saddle: the centre decides which diagonal pair is joined.
                    let centre =
                        (values[j * nx + i] + values[j * nx + i + 1] + values[(j + 1) * nx + i + 1]
                            + values[(j + 1) * nx + i]) / 4
                    if (centre >= level) == a {
                        segments += [(bottom, right), (top, left)]  // cut off b and d
                    } else {
                        segments += [(left, bottom), (right, top)]  // cut off a and c
                    }
                default:
                    let crossed = [(bottom, a != b), (right, b != c), (top, c != d), (left, d != a)].filter(\.1).map(
                        \.0)
                    segments.append((crossed[0], crossed[1]))
                }
            }
        }

        // Chain the segments through the edges they share (each edge borders at most two cells).
        var byEdge: [Int: [Int]] = [:]
        for (k, s) in segments.enumerated() {
            byEdge[s.0, default: []].append(k)
            byEdge[s.1, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: segments.count)
        var result: [Line] = []
        func walk(from start: Int, edge: Int) -> [Int] {
            var edges = [edge]
            var (current, at) = (start, edge)
            while true {
                used[current] = true
                let s = segments[current]
                let next = s.0 == at ? s.1 : s.0
                edges.append(next)
                guard let following = byEdge[next]?.first(where: { !used[$0] }) else { break }
                (current, at) = (following, next)
            }
            return edges
        }
        // Open lines first, from an end that no other segment continues; then the loops.
        for (edge, owners) in byEdge.sorted(by: { $0.key < $1.key }) where owners.count == 1 && !used[owners[0]] {
            result.append(Line(points: walk(from: owners[0], edge: edge).map(crossing), closed: false))
        }
        for k in segments.indices where !used[k] {
            var edges = walk(from: k, edge: segments[k].0)
            if edges.count > 1 && edges.first == edges.last { edges.removeLast() }
            result.append(Line(points: edges.map(crossing), closed: true))
        }
        return result
    }
}

extension Contours {
    /// The polyline with the points that lie within `tolerance` of the line through their
    /// neighbours dropped (Ramer–Douglas–Peucker): a contour traced cell by cell has many, and
    /// every point costs a number printed in the PDF. Called on page coordinates, with a
    /// tolerance below what any output resolution shows.
    static func simplified(_ points: [Point], tolerance: Double = 0.1) -> [Point] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            let (a, b) = (points[first], points[last])
            let (dx, dy) = (b.x - a.x, b.y - a.y)
            let length = max(hypot(dx, dy), 1e-12)
            var (farthest, distance) = (first, 0.0)
            for k in (first + 1)..<last {
                let d = abs((points[k].x - a.x) * dy - (points[k].y - a.y) * dx) / length
                if d > distance { (farthest, distance) = (k, d) }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack += [(first, farthest), (farthest, last)]
            }
        }
        return zip(points, keep).filter(\.1).map(\.0)
    }
}
