import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("hog: [−1 0 1] gradients and the cells' histograms against hand-written loops (001, 003)")
struct HoGTests {
    @Test(arguments: ["disc", "edge", "stripes"])
    func gradientsAndHistogramsByHand(picture: String) throws {
        let values = try Lesson.hog.run(settings: ["image=\(picture)", "size=12", "cell=4", "bins=9"]).values
        guard case .rows(let image)? = values["image"], case .rows(let gx)? = values["gx"],
            case .rows(let gy)? = values["gy"],
            case .rows(let histograms)? = values["histograms"]
        else {
            Issue.record("missing")
            return
        }
        let n = image.count
        var magnitude = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var angle = magnitude
        for r in 0..<n {
            for c in 0..<n {
                let inside = r > 0 && c > 0 && r < n - 1 && c < n - 1
                // g_x = I(x + 1) − I(x − 1); g_y = the row above minus the row below; 0 on the border.
                let (x, y) = inside ? (image[r][c + 1] - image[r][c - 1], image[r - 1][c] - image[r + 1][c]) : (0, 0)
                #expect(close(gx[r][c], x, within: 1e-15) && close(gy[r][c], y, within: 1e-15), "(\(r), \(c))")
                magnitude[r][c] = (x * x + y * y).squareRoot()
                var a = atan2(y, x) * 180 / .pi
                if a < 0 { a += 180 }
                if a >= 180 { a -= 180 }
                angle[r][c] = a
            }
        }
        // Each cell: every pixel's magnitude split between the two bins around its angle (centres 10°, 30°, …).
        for i in 0..<3 {
            for j in 0..<3 {
                var h = [Double](repeating: 0, count: 9)
                for r in (4 * i)..<(4 * i + 4) {
                    for c in (4 * j)..<(4 * j + 4) {
                        let position = angle[r][c] / 20 - 0.5
                        let low = floor(position)
                        h[(Int(low) + 9) % 9] += magnitude[r][c] * (1 - (position - low))
                        h[(Int(low) + 10) % 9] += magnitude[r][c] * (position - low)
                    }
                }
                let got = histograms[3 * i + j]
                for k in 0..<9 { #expect(close(got[k], h[k], within: 1e-12), "cell (\(i), \(j)) bin \(k)") }
                var total = 0.0
                for r in (4 * i)..<(4 * i + 4) { for c in (4 * j)..<(4 * j + 4) { total += magnitude[r][c] } }
                #expect(close(got.reduce(0, +), total, within: 1e-12), "the votes add up to the cell's magnitudes")
            }
        }
    }

    @Test func theWorkedPixelIsTheMapsAndItsVotesAddUp() throws {
        let values = try Lesson.hog.run(settings: []).values
        guard case .array(let pixel)? = values["pixel"], case .rows(let gx)? = values["gx"],
            case .rows(let gy)? = values["gy"]
        else {
            Issue.record("missing")
            return
        }
        let (r, c) = (Int(pixel[0]), Int(pixel[1]))
        #expect(values.number("g_x") == gx[r][c] && values.number("g_y") == gy[r][c])
        #expect(close(values.number("vote_low")! + values.number("vote_high")!, values.number("m")!, within: 1e-14))
    }

    @Test func anglesFoldIntoHalfACircle() {
        #expect(HoG.angle(-1, 0) == 0 && HoG.angle(1, 0) == 0 && HoG.angle(0, -1) == 90 && HoG.angle(-1, -1) == 45)
        // 175° sits between the last centre (170°) and the first (10°, i.e. 190°): a quarter to bin 1.
        let votes = HoG.votes(angle: 175, magnitude: 2, bins: 9)
        #expect(
            votes[0].bin == 8 && votes[1].bin == 0 && close(votes[0].share, 1.5, within: 1e-15)
                && close(votes[1].share, 0.5, within: 1e-15))
    }

    @Test func aSizeThatIsNotWholeCellsIsRefused() {
        #expect {
            _ = try Lesson.hog.run(settings: ["size=20", "cell=8"])
        } throws: { ($0 as? ParameterError)?.description.contains("is not a whole number of cells of 8") == true }
    }
}
