import Foundation
import TestSupport
import Testing

/// Drives Debian's headless Chromium through chromedriver (Selenium, in the test venv) and
/// prints what it saw as JSON: `pages` (console messages, each formula's size), `screenshot`
/// (a section's step boxes and the viewport as PNG), `serve` (types a setting into the form).
private let probe = #"""
    import base64, json, sys, time
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    def browser(width=1000, height=1400):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     "--force-device-scale-factor=1", "--hide-scrollbars"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    MATH_SIZES = """
    return Array.from(document.querySelectorAll('math')).map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; });
    """

    def pages(paths):
        driver, report = browser(), {}
        try:
            for path in paths:
                driver.get("file://" + path)
                sizes = driver.execute_script(MATH_SIZES)
                logs = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
                report[path] = {"math": len(sizes), "empty": sum(1 for w, h in sizes if w <= 0 or h <= 0), "console": logs}
        finally:
            driver.quit()
        return report

    def screenshot(path, section):
        driver = browser()
        try:
            driver.get("file://" + path)
            rects = driver.execute_script("""
                const section = document.getElementById(arguments[0]).closest('section');
                window.scrollTo(0, section.getBoundingClientRect().top + window.scrollY);
                return Array.from(section.querySelectorAll('.step')).map(s => { const r = s.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })
                  .filter(r => r[1] + r[3] > 0 && r[1] < window.innerHeight);
            """, section)
            body = driver.execute_script("const r = document.body.getBoundingClientRect(); return [r.left, r.width, window.innerWidth, window.innerHeight];")
            png = driver.get_screenshot_as_png()
        finally:
            driver.quit()
        return {"png": base64.b64encode(png).decode(), "steps": rects, "body": body}

    def serve(url, name, value, label):
        driver = browser()
        try:
            driver.get(url)
            read = "const e = document.querySelector('[data-label=\"' + arguments[0] + '\"] .result'); return e ? e.textContent : null;"
            before = driver.execute_script(read, label)
            field = driver.find_element(By.ID, "p-" + name)
            driver.execute_script("window.started = 0; new MutationObserver(() => { window.swapped = performance.now(); }).observe(document.getElementById('report'), {childList: true});")
            field.send_keys(Keys.CONTROL, "a")
            driver.execute_script("window.started = performance.now();")
            field.send_keys(value)
            deadline = time.time() + 20
            while time.time() < deadline:
                state = driver.execute_script("return [document.getElementById('report').dataset.serial, document.getElementById('status').textContent];")
                if state[0] != "0" and state[1] == "": break
                time.sleep(0.05)
            after = driver.execute_script(read, label)
            facts = driver.execute_script("return [location.href, document.getElementById('pdf').getAttribute('href'), window.swapped - window.started, document.getElementById('error').textContent];")
            logs = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        finally:
            driver.quit()
        return {"before": before, "after": after, "url": facts[0], "pdf": facts[1], "milliseconds": facts[2], "error": facts[3], "console": logs}

    def narrow(path, width):
        driver = browser(width=int(width))
        try:
            driver.get("file://" + path)
            wide = driver.execute_script("return Array.from(document.querySelectorAll('.step')).filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.dataset.label);")
            heights = driver.execute_script("return Array.from(document.querySelectorAll('.step')).map(s => s.getBoundingClientRect().height);")
            steps = driver.execute_script("return document.querySelectorAll('.step').length;")
        finally:
            driver.quit()
        return {"wide": wide, "heights": heights, "steps": steps}

    task = sys.argv[1]
    if task == "pages": print(json.dumps(pages(sys.argv[2:])))
    elif task == "narrow": print(json.dumps(narrow(sys.argv[2], sys.argv[3])))
    elif task == "screenshot": print(json.dumps(screenshot(sys.argv[2], sys.argv[3])))
    elif task == "serve": print(json.dumps(serve(*sys.argv[2:6])))
    """#

/// Whether the browser and its driver are installed (scripts/install-deps installs both where
/// Debian has them); else the browser tests are skipped, saying so.
private let browserInstalled =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

@Suite(
    "In a real browser: the web pages render, and serve's form changes the page",
    .enabled(
        if: browserInstalled,
        "chromium and chromium-driver are not installed (scripts/install-deps installs them where Debian has them)"),
    .serialized)
struct BrowserTests {
    private func probing(_ arguments: [String]) throws -> [String: Any] {
        let python = try Command.python()
        let outcome = try run(python, ["-c", probe] + arguments)
        #expect(outcome.status == 0, "\(outcome.error)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any],
            "\(outcome.output.prefix(300))")
    }

    /// Every lesson's page: no console error or warning, and no formula of zero size (MathML
    /// that the browser did not lay out).
    @Test func everyLessonsPageRendersWithoutConsoleErrors() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = try Command.run(["list"]).output.split(separator: "\n").map {
            String($0.split(separator: " ")[0])
        }
        var pages: [String] = []
        for lesson in lessons {
            #expect(try Command.run(["run", lesson, "--format", "html", "--output", folder.path]).status == 0)
            pages.append(folder.appendingPathComponent("\(lesson)/\(lesson).html").path)
        }
        let seen = try probing(["pages"] + pages)
        for (lesson, page) in zip(lessons, pages) {
            let facts = try #require(seen[page] as? [String: Any])
            #expect((facts["console"] as? [String])?.isEmpty == true, "\(lesson): \(facts["console"] ?? "")")
            #expect(
                facts["empty"] as? Int == 0,
                "\(lesson): \(facts["empty"] ?? 0) of \(facts["math"] ?? 0) formulas have no size")
        }
        #expect(
            (seen[pages[try #require(lessons.firstIndex(of: "backprop-example"))]] as? [String: Any])?["math"] as? Int
                ?? 0 >= 30)
    }

    /// backprop-example in a phone's 420 px: a step too long for the line wraps before a top-level
    /// relation, +, − or × (the chains for w5 to w8 over two lines), with no step scrolling sideways but
    /// the cross-entropy's two, whose long part is all inside one bracket, which never breaks.
    @Test func longFormulasWrapInANarrowWindow() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["run", "backprop-example", "--format", "html", "--output", folder.path]).status == 0)
        let page = folder.appendingPathComponent("backprop-example/backprop-example.html").path
        let (narrow, wide) = (try probing(["narrow", page, "420"]), try probing(["narrow", page, "1000"]))
        #expect((narrow["steps"] as? Int ?? 0) >= 40)
        // None scrolls: the cross-entropies, wholly in brackets, wrap inside them.
        #expect((narrow["wide"] as? [String])?.isEmpty == true, "\(narrow["wide"] ?? "")")
        #expect((wide["wide"] as? [String])?.isEmpty == true, "\(wide["wide"] ?? "")")
        // Steps take more lines when the window is narrow: they wrapped (the chain for w5 among them).
        let (tall, short) = (narrow["heights"] as? [Double] ?? [], wide["heights"] as? [Double] ?? [])
        let wrapped = zip(tall, short).filter { $0 > $1 + 15 }.count  // a line more, at about 26 px a line
        #expect(tall.count == short.count && wrapped >= 5, "\(wrapped) steps wrapped: \(tall) against \(short)")
    }

    /// backprop-example's forward pass in a 1000 × 1400 window: ink inside every step box
    /// (the formulas), none in the margin beside the column.
    @Test func theForwardPassHasInkWhereItsStepsAre() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["run", "backprop-example", "--format", "html", "--output", folder.path]).status == 0)
        let seen = try probing([
            "screenshot", folder.appendingPathComponent("backprop-example/backprop-example.html").path, "s2",
        ])
        let png = try #require(Data(base64Encoded: seen["png"] as? String ?? ""))
        let steps = try #require(seen["steps"] as? [[Double]])
        #expect(steps.count >= 4, "the forward pass's steps in view: \(steps)")
        for step in steps {
            // Rows of the box, less its padding: the formula's text is dark on the light tint.
            let rows = Int(step[1] + 6)..<Int(step[1] + step[3] - 6)
            let ink = try inkCoverage(png, darkerThan: 120, rows: rows)
            #expect(ink > 0.004, "step at y = \(Int(step[1])): ink \(ink)")
        }
        // Between two steps there is only the page.
        let gap = Int(steps[0][1] + steps[0][3] + 2)..<Int(steps[1][1] - 2)
        if gap.count > 2 { #expect(try inkCoverage(png, darkerThan: 120, rows: gap) < 0.0005) }
    }

    /// Typing lr = 2 into serve's form: the page's w5⁺ becomes what `lessons run --set lr=2`
    /// prints, the address and the PDF link carry lr=2, and the console stays quiet.
    @Test func changingTheLearningRateInTheFormChangesW5() throws {
        let server = try Server()
        let seen = try probing(["serve", "http://127.0.0.1:\(server.port)/lessons/backprop-example", "lr", "2", "w5+"])
        #expect(seen["before"] as? String == "0.35891648", "w5+ at the default lr = 0.5, as the notes print it")
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try Command.run(["run", "backprop-example", "--set", "lr=2", "--format", "html,json", "-o", folder.path])
                .status == 0)
        let page = try String(
            contentsOf: folder.appendingPathComponent("backprop-example/backprop-example.html"), encoding: .utf8)
        let ran = try #require(result(labeled: "w5+", in: page))
        #expect(
            seen["after"] as? String == ran, "w5+ in the browser \(seen["after"] ?? "") against lessons run's \(ran)")
        let values = try ValuesFile(try Data(contentsOf: folder.appendingPathComponent("backprop-example/values.json")))
        if case .number(let w5) = values.values["w5+"] {
            #expect(close(w5, (Double(ran) ?? .nan), within: 5e-10), "printed to 9 digits")
        } else {
            Issue.record("values.json has no w5+")
        }
        #expect((seen["url"] as? String)?.hasSuffix("/lessons/backprop-example?lr=2") == true, "\(seen["url"] ?? "")")
        #expect(seen["pdf"] as? String == "/lessons/backprop-example/pdf?lr=2")
        #expect(
            (seen["console"] as? [String])?.isEmpty == true && (seen["error"] as? String)?.isEmpty == true,
            "\(seen["console"] ?? "") \(seen["error"] ?? "")")
    }
}
