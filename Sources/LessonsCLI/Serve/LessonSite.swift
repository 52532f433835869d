import Foundation
import HTTPTypes
import Hummingbird
import LessonKit
import Lessons
import Render
import ReportModel
import Synchronization

/// `lessons serve`'s pages, on Hummingbird's router:
///
///     GET /                         the lessons
///     GET /lessons/NAME?lr=0.1      a lesson's form and its report, run with those settings
///     GET /lessons/NAME/report?…    the report alone, which the form's script swaps in
///     GET /lessons/NAME/pdf?…       the same settings' PDF, to download
///     GET /lessons/NAME/stamp       a script's version, which its page polls to reload
///
/// Nothing is read from a path a request names and nothing is written: every page is made in
/// memory from a lesson found by name. Settings go through `lesson.parameters(settings:)`,
/// as `--set` does, and a refused one is the page's one-line error.
struct LessonSite: Sendable {
    let shelf = LessonShelf()
    let slots: RenderSlots
    /// Whether the server answers only to loopback names (it was not given --host).
    let loopbackOnly: Bool
    /// Bodies beyond this are refused: the site takes no uploads, only queries.
    static let largestBody = 16 * 1024
    /// The reports made last, by lesson, version and settings: a slider moved back shows at once.
    private let cache = PageCache()

    init(timeLimit: Duration, loopbackOnly: Bool) {
        slots = RenderSlots(limit: timeLimit)
        self.loopbackOnly = loopbackOnly
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in LessonSite.html(SitePages.index(shelf.entries())) }
        router.get("/lessons/:name") { request, context in
            let entry = try shelf.lesson(named: try context.parameters.require("name"))
            let settings = try SiteQuery.settings(request.uri.query)
            do {
                let report = try await report(entry, settings)
                return LessonSite.html(SitePages.lesson(entry, settings: settings, report: report, error: nil))
            } catch let error as SiteError {
                return LessonSite.html(
                    SitePages.lesson(entry, settings: settings, report: nil, error: error.description),
                    status: error.status)
            }
        }
        router.get("/lessons/:name/report") { request, context in
            let entry = try shelf.lesson(named: try context.parameters.require("name"))
            return LessonSite.html(try await report(entry, try SiteQuery.settings(request.uri.query)))
        }
        router.get("/lessons/:name/pdf") { request, context in
            let entry = try shelf.lesson(named: try context.parameters.require("name"))
            let settings = try SiteQuery.settings(request.uri.query)
            let pdf = try await slots.run { () throws(SiteError) in
                do { return try Document(try LessonSite.run(entry.lesson, settings).report).pdf() } catch let error
                    as SiteError
                { throw error } catch {
                    throw SiteError(.internalServerError, "could not draw the PDF: \(error)")
                }
            }
            let name = entry.lesson.name
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/pdf", .contentDisposition: "attachment; filename=\"\(name).pdf\"",
                    .cacheControl: "no-store",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        router.get("/lessons/:name/stamp") { _, context in
            let name = try context.parameters.require("name")
            guard let stamp = shelf.stamp(named: name) else {
                throw SiteError(.notFound, "no lesson named '\(name.prefix(80))'")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: stamp)))
        }
        return router
    }

    /// The report's HTML for these settings, from the cache or run on a free core.
    func report(_ entry: LessonShelf.Entry, _ settings: [String]) async throws(SiteError) -> String {
        let key = ([entry.lesson.name, entry.stamp] + settings.sorted()).joined(separator: "\u{0}")
        if let known = cache.pages.withLock({ $0[key] }) { return known }
        let html = try await slots.run { () throws(SiteError) in
            do { return try Document.htmlContent(of: try LessonSite.run(entry.lesson, settings).report) } catch let
                error as SiteError
            { throw error } catch {
                throw SiteError(.internalServerError, "could not draw the page: \(error)")
            }
        }
        cache.pages.withLock { $0[key] = html }
        return html
    }

    /// Runs the lesson as `lessons run NAME --set …` does, with the same messages.
    static func run(_ lesson: Lesson, _ settings: [String]) throws(SiteError) -> LessonResult {
        // (Typed throws keep each message: a refused setting's as --set words it, a NaN's as run does.)
        let checked = Result { () throws(ParameterError) in try lesson.parameters(settings: settings) }
        switch checked {
        case .failure(let error): throw SiteError(.badRequest, error.description)
        case .success(let parameters):
            do { return try lesson.checkedRun(parameters) } catch {
                throw SiteError(.unprocessableContent, error.description)
            }
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: LessonSite.headers(type: "text/html; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// No caching (a page is one run's), no sniffing, and no script or style from anywhere but the page itself.
    static func headers(type: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Content-Security-Policy")!] =
            """
            default-src 'none'; script-src 'unsafe-inline'; style-src \
            'unsafe-inline'; img-src data:; connect-src 'self'; form-action 'self'
            """
        return fields
    }
}

/// The reports made last, shared by every request.
final class PageCache: Sendable {
    let pages = Mutex(RecentPages(capacity: 64))
}

/// The last pages made, the oldest dropped first.
struct RecentPages {
    let capacity: Int
    private var pages: [String: String] = [:]
    private var order: [String] = []

    init(capacity: Int) { self.capacity = capacity }

    subscript(key: String) -> String? {
        get { pages[key] }
        set {
            guard let newValue else { return }
            if pages.updateValue(newValue, forKey: key) == nil { order.append(key) }
            if order.count > capacity { pages[order.removeFirst()] = nil }
        }
    }
}

/// Every request goes through here: the loopback guard, the body bound, and an error page
/// (or line, for the script's requests) for whatever went wrong, the router's 404 included.
struct SiteResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = BasicRequestContext
    let inner: Inner
    let loopbackOnly: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            if loopbackOnly, let host = request.head.authority {
                // A page elsewhere cannot reach this server by a DNS name pointing at 127.0.0.1.
                let name =
                    host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.prefix { $0 != ":" })
                guard ["127.0.0.1", "localhost", "[::1]"].contains(name.lowercased()) else {
                    throw SiteError(
                        .misdirectedRequest,
                        "this server answers to 127.0.0.1 and localhost only (start it with --host to serve others)")
                }
            }
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > LessonSite.largestBody {
                throw SiteError(
                    .contentTooLarge,
                    """
                    the request's body is \(length) bytes; this site takes at \
                    most \(LessonSite.largestBody) (settings go in the query)
                    """
                )
            }
            var request = request
            do { _ = try await request.collectBody(upTo: LessonSite.largestBody) } catch {
                throw SiteError(
                    .contentTooLarge,
                    """
                    the request's body is over \(LessonSite.largestBody) bytes; \
                    this site takes at most that (settings go in the query)
                    """
                )
            }
            guard request.method == .get || request.method == .head else {
                throw SiteError(
                    .methodNotAllowed, "\(request.method) is not served here; the site's pages are read with GET")
            }
            let response = try await inner.respond(to: request, context: context)
            // The router answers a path no route matches with an empty 404 of its own; our
            // handlers throw SiteError instead, so a 404 that comes back is the router's.
            guard response.status != .notFound else {
                throw SiteError(.notFound, "no page at \(request.uri.path.prefix(120)); the lessons are at /")
            }
            return response
        } catch let error as SiteError {
            return page(for: error, request)
        } catch let error as HTTPError {
            return page(for: SiteError(error.status, error.body ?? "\(error.status)"), request)
        } catch {
            return page(for: SiteError(.internalServerError, "\(error)"), request)
        }
    }

    /// A full error page, or for the report the script fetches, the error line alone.
    private func page(for error: SiteError, _ request: Request) -> Response {
        let path = request.uri.path
        if path.hasSuffix("/report") || path.hasSuffix("/stamp") {
            return LessonSite.html(SitePages.error(error.description), status: error.status)
        }
        // A broken script's page reloads when the file is saved again.
        let lesson = path.hasPrefix("/lessons/") && error.stamp != nil ? String(path.dropFirst(9)) : nil
        return LessonSite.html(SitePages.errorPage(error, reloading: lesson), status: error.status)
    }
}
