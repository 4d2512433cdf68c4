import Diagnostics
import Foundation
import HTML

/// What `attn serve` adds to the pages it serves, and only to those: a reload script, and
/// a page that shows a failed build's errors. `attn build` never calls this, so `site/`
/// stays free of JavaScript.
public enum LiveReload {
    /// The long-poll URL: `GET /__attn/wait?version=N` answers with the site's version
    /// number as soon as it differs from N (or after a timeout, with N itself).
    public static let waitPath = "/__attn/wait"

    /// The script: ask whether the site changed since `version`; reload when it did, ask
    /// again when it did not, and retry slowly while the server is away.
    public static func script(version: Int) -> String {
        """
        <script>/* attn serve: live reload (not in built sites) */
        (function () {
          var version = "\(version)";
          function wait() {
            fetch("\(waitPath)?version=" + version, {cache: "no-store"})
              .then(function (r) { return r.text(); })
              .then(function (t) { if (t.trim() !== version) { location.reload(); } else { wait(); } })
              .catch(function () { setTimeout(wait, 1000); });
          }
          wait();
        })();
        </script>
        """
    }

    /// `html` with the reload script inserted just before `</body>`.
    public static func inject(into html: String, version: Int) -> String {
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + script(version: version) }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: script(version: version) + "\n")
    }

    /// A page listing a failed build's errors (`file:line:column: message`, escaped by the
    /// HTML serializer), with the reload script: fixing the file brings the lesson back.
    public static func errorPage(_ failure: BuildFailure, version: Int) -> String {
        let items: [Node] = failure.diagnostics.map { diagnostic in
            .element("li", [.element("pre", ["class": "diagnostic"], [.text(diagnostic.description)])])
        }
        let main = Node.element("main", ["id": "main", "class": "build-error"], [
            .element("h1", ["The course did not build"]),
            .element("p", ["class": "lede"], [.text("attn serve kept running. Fix the lesson\(failure.diagnostics.count == 1 ? "" : "s") and save: this page reloads by itself.")]),
            .element("ol", ["class": "diagnostics"], items),
        ])
        return inject(into: Layout.document(title: "Build failed · attn", description: "The course did not build.", body: [main]).render(), version: version)
    }
}
