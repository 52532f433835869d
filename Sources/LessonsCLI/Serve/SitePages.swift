import Foundation
import LessonKit
import Render
import ReportModel

/// The HTML of `lessons serve`'s own pages: the lesson list, a lesson's form above its report,
/// and error pages. The report itself is Render's web page; these add the form, its style and
/// the script that swaps the report in when a setting changes (without it, the form's button
/// loads the page again: the site works with scripts off).
///
///     SitePages.index(shelf.entries())
///     SitePages.lesson(entry, settings: ["lr=0.1"], report: html, error: nil)
enum SitePages {
    static func index(_ entries: [LessonShelf.Entry]) -> String {
        var body =
            "<header>\n<h1>Lessons</h1>\n<p class=\"subtitle\">Every worked example, live: change a setting and every number, table and figure follows.</p>\n</header>\n<main>\n<ul class=\"lessons\">\n"
        for entry in entries {
            let lesson = entry.lesson
            let kind = entry.stamp == "built-in" ? "" : " <span class=\"script\">script</span>"
            body +=
                """
                <li><a href=\"/lessons/\(esc(lesson.name))\"><code>\(esc(lesson.name))</code></a>\(kind) \
                \(esc(lesson.title))
                """
                + " <span class=\"count\">\(lesson.parameters.count) setting\(lesson.parameters.count == 1 ? "" : "s")</span></li>\n"
        }
        return WebPage.document(title: "Lessons", body: body + "</ul>\n</main>\n", head: "<style>\(style)</style>\n")
    }

    /// The form with the settings as given (a refused one as typed, to correct), then the report or the error.
    static func lesson(_ entry: LessonShelf.Entry, settings: [String], report: String?, error: String?) -> String {
        let lesson = entry.lesson
        let given = Dictionary(
            settings.compactMap { s in
                s.firstIndex(of: "=").map { (String(s[..<$0]), String(s[s.index(after: $0)...])) }
            }, uniquingKeysWith: { a, _ in a })
        let base = "/lessons/\(esc(lesson.name))"
        let query = settings.map { s in
            s.split(separator: "=", maxSplits: 1).map {
                String($0).addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
            }.joined(separator: "=")
        }.joined(separator: "&")
        var body =
            "<nav class=\"site\"><a href=\"/\">← All lessons</a><a id=\"pdf\" href=\"\(base)/pdf\(query.isEmpty ? "" : "?" + esc(query))\" download>Download PDF</a></nav>\n"
        body +=
            "<form id=\"parameters\" class=\"parameters\" action=\"\(base)\" method=\"get\" data-stamp=\"\(esc(entry.stamp))\" aria-label=\"Settings of \(esc(lesson.name))\">\n"
        for parameter in lesson.parameters { body += field(parameter, value: given[parameter.name]) }
        body +=
            "<div class=\"actions\"><button type=\"submit\">Run</button> <a href=\"\(base)\">Defaults</a> <output id=\"status\" aria-live=\"polite\"></output></div>\n</form>\n"
        body += "<div id=\"error\" role=\"alert\">\(error.map { errorLine($0) } ?? "")</div>\n"
        body += "<div id=\"report\" data-serial=\"0\">\n\(report ?? "")</div>\n"
        return WebPage.document(
            title: lesson.title, body: body, head: "<style>\(style)</style>\n<script>\(script)</script>\n",
            bodyClass: "lesson")
    }

    /// One setting: a slider beside a number field for numbers, a list for choices, a text field for vectors.
    static func field(_ parameter: Parameter, value: String?) -> String {
        let id = "p-" + parameter.name.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        let shown = esc(value ?? parameter.defaultValue.description)
        let standard = esc(parameter.defaultValue.description)
        let label = "<label for=\"\(id)\"><code>\(esc(parameter.name))</code></label>"
        let help = "<small>\(esc(parameter.meaning)) · \(esc(parameter.allowed))</small>"
        // The default rides along, so the address and the PDF link carry only what was changed.
        let control = SitePages.control(parameter, id: id, shown: shown).replacingOccurrences(
            of: " name=\"", with: " data-default=\"\(standard)\" name=\"")
        return "<div class=\"field\">\(label)\(control)\(help)</div>\n"
    }

    private static func control(_ parameter: Parameter, id: String, shown: String) -> String {
        let name = esc(parameter.name)
        switch parameter.kind {
        case .real(_, let range):
            let step = sliderStep(range)
            return
                """
                <input type=\"range\" data-for=\"\(id)\" min=\"\(range.lowerBound)\" \
                max=\"\(range.upperBound)\" step=\"\(step)\" value=\"\(shown)\" aria-label=\"\(name), slider\">
                """
                    + "<input type=\"number\" id=\"\(id)\" name=\"\(name)\" min=\"\(range.lowerBound)\" max=\"\(range.upperBound)\" step=\"any\" value=\"\(shown)\" required>"
        case .integer(_, let range):
            return
                """
                <input type=\"range\" data-for=\"\(id)\" min=\"\(range.lowerBound)\" \
                max=\"\(range.upperBound)\" step=\"1\" value=\"\(shown)\" aria-label=\"\(name), slider\">
                """
                    + "<input type=\"number\" id=\"\(id)\" name=\"\(name)\" min=\"\(range.lowerBound)\" max=\"\(range.upperBound)\" step=\"1\" value=\"\(shown)\" required>"
        case .choice(_, let options):
            let current = shown
            return "<select id=\"\(id)\" name=\"\(name)\">"
                + options.map { "<option\(esc($0) == current ? " selected" : "")>\(esc($0))</option>" }.joined()
                + "</select>"
        case .vector:
            return
                """
                <input type=\"text\" id=\"\(id)\" name=\"\(name)\" \
                value=\"\(shown)\" spellcheck=\"false\" class=\"vector\" required>
                """
        }
    }

    /// A slider's step: a round 1, 2 or 5 times a power of ten giving about 1000 stops.
    static func sliderStep(_ range: ClosedRange<Double>) -> String {
        let width = range.upperBound - range.lowerBound
        guard width > 0 else { return "any" }
        let raw = width / 1000
        let decade = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * decade }.first { $0 >= raw } ?? decade * 10
        return ParameterValue.real(step).description
    }

    static func error(_ message: String) -> String { errorLine(message) }

    static func errorPage(_ error: SiteError, reloading lesson: String?) -> String {
        let head =
            "<style>\(style)</style>\n"
            + (lesson.map { "<script>\(reload(stamp: error.stamp ?? "", url: "/lessons/\($0)/stamp"))</script>\n" }
                ?? "")
        let body =
            "<nav class=\"site\"><a href=\"/\">← All lessons</a></nav>\n<main>\n<h1>\(error.status.code) \(esc(error.status.reasonPhrase))</h1>\n\(errorLine(error.description))</main>\n"
        return WebPage.document(title: "\(error.status.code) \(error.status.reasonPhrase)", body: body, head: head)
    }

    /// The message as `lessons run` prints it, "Error: …", each line kept (a script's errors are several).
    private static func errorLine(_ message: String) -> String {
        "<p class=\"error\">Error: "
            + message.split(separator: "\n", omittingEmptySubsequences: false).map { esc(String($0)) }.joined(
                separator: "<br>") + "</p>\n"
    }

    private static func esc(_ text: String) -> String { WebPage.escape(text) }

    static let style = """
        nav.site { display: flex; justify-content: space-between; \
        font: .9rem "DejaVu Sans", sans-serif; margin-bottom: 1rem; }
        nav.site a, .actions a { color: var(--accent); }
        form.parameters { font: .9rem/1.4 "DejaVu Sans", sans-serif; background: \
        var(--step); border: 1px solid var(--rule); border-radius: 4px;
          padding: .8rem 1rem; margin: 0 0 1.5rem; display: grid; grid-template-columns: \
        repeat(auto-fill, minmax(13.5rem, 1fr)); gap: .8rem 1.2rem; }
        .field { display: grid; grid-template-columns: 1fr auto; align-items: center; gap: .15rem .5rem; min-width: 0; }
        .field label { grid-row: 1; grid-column: 1; }
        .field input[type=number] { grid-row: 1; grid-column: 2; width: 6.5rem; box-sizing: border-box; }
        .field input[type=range], .field select, .field input.vector { grid-row: \
        2; grid-column: 1 / -1; width: 100%; box-sizing: border-box; margin: 0; }
        .field small { grid-row: 3; grid-column: 1 / -1; color: var(--muted); font-size: .78rem; }
        .field input:invalid { outline: 2px solid var(--errata-accent); }
        /* On a wide screen the settings stay beside the report as it scrolls. */
        @media (min-width: 75rem) {
          body.lesson { max-width: 76rem; display: grid; grid-template-columns: \
        20rem minmax(0, 46rem); column-gap: 2.5rem; align-items: start; }
          body.lesson > nav.site { grid-column: 1 / -1; }
          body.lesson > form.parameters { grid-column: 1; grid-row: 2 / span 3; \
        position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto;
            grid-template-columns: 1fr; margin: 0; }
          body.lesson > #error, body.lesson > #report { grid-column: 2; }
        }
        .actions { grid-column: 1 / -1; display: flex; gap: 1rem; align-items: center; }
        .actions output { color: var(--muted); }
        p.error { background: var(--errata); border-left: 4px solid var(--errata-accent); \
        padding: .5rem .8rem; font: .9rem/1.45 "DejaVu Sans Mono", monospace; }
        #report.stale { opacity: .55; }
        ul.lessons { list-style: none; padding: 0; font-family: "DejaVu Sans", sans-serif; }
        ul.lessons li { margin: .55rem 0; }
        ul.lessons a { color: var(--accent); margin-right: .5rem; }
        ul.lessons .count, ul.lessons .script { color: var(--muted); font-size: .8rem; }
        ul.lessons .script { border: 1px solid var(--rule); border-radius: 2px; padding: 0 .3rem; }
        """

    /// On input: the slider and its number field follow each other, and after a short pause the
    /// report is fetched for the form's settings and swapped in (a reply to an older input is
    /// dropped); the address and the PDF link follow. A script lesson reloads when its file changes.
    static let script = """
        addEventListener('DOMContentLoaded', () => {
          const form = document.getElementById('parameters'), report = document.getElementById('report');
          const error = document.getElementById('error'), status = \
        document.getElementById('status'), pdf = document.getElementById('pdf');
          const base = form.getAttribute('action');
          let timer = 0, serial = 0;
          async function update() {
            const changed = Array.from(form.elements).filter(e => e.name \
        && e.value !== e.dataset.default).map(e => [e.name, e.value]);
            const n = ++serial, query = new URLSearchParams(changed).toString();
            status.textContent = 'running…';
            report.classList.add('stale');
            try {
              const response = await fetch(base + '/report?' + query);
              const html = await response.text();
              if (n !== serial) return;
              if (response.ok) { report.innerHTML = html; error.innerHTML = ''; } else { error.innerHTML = html; }
              report.classList.toggle('stale', !response.ok);
              history.replaceState(null, '', base + (query ? '?' + query : ''));
              pdf.href = base + '/pdf' + (query ? '?' + query : '');
              status.textContent = '';
              report.dataset.serial = String(n);
            } catch (e) {
              if (n === serial) status.textContent = 'the server did not answer (is lessons serve still running?)';
            }
          }
          form.addEventListener('input', event => {
            const source = event.target, twin = source.dataset.for ? document.getElementById(source.dataset.for)
              : form.querySelector('[data-for="' + source.id + '"]');
            if (twin) twin.value = source.value;
            clearTimeout(timer);
            timer = setTimeout(update, 60);
          });
          form.addEventListener('submit', event => { event.preventDefault(); clearTimeout(timer); update(); });
          \(reloadBody(stampExpression: "form.dataset.stamp", url: "base + '/stamp'"))
        });
        """

    private static func reload(stamp: String, url: String) -> String {
        "addEventListener('DOMContentLoaded', () => { \(reloadBody(stampExpression: "'\(stamp.filter { $0.isNumber || $0 == "-" })'", url: "'\(url.filter { $0.isLetter || $0.isNumber || "/-_.".contains($0) })'")) });"
    }

    /// Polls a script lesson's stamp once a second and reloads the page when it changes.
    private static func reloadBody(stampExpression: String, url: String) -> String {
        """
        const stamp = \(stampExpression);
          if (stamp !== 'built-in') setInterval(async () => {
            try { const r = await fetch(\(url)); if (r.ok && (await \
        r.text()) !== stamp) location.reload(); } catch (e) {}
          }, 1000);
        """
    }
}
