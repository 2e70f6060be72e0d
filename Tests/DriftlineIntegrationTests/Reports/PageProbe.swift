import Foundation

/// A script put before a page's own head that records what went wrong while it loaded: script
/// errors, failed loads of any resource (capturing `error` listener), Content-Security-Policy
/// violations and `console.error` calls; and, at load, the rendered size of every chart. It
/// writes them into attributes of `<html>`, which `--dump-dom` prints. It comes before the
/// report's policy, which would block it otherwise.
enum PageProbe {
    static let script = """
        <script>
        (function () {
          var found = [];
          var root = document.documentElement;
          function report() { root.setAttribute('data-probe-errors', JSON.stringify(found)); }
          window.addEventListener('error', function (e) {
            found.push('error: ' + (e.message || (e.target && e.target.outerHTML) || 'unknown')); report();
          }, true);
          window.addEventListener('unhandledrejection', function (e) { found.push('rejection: ' + e.reason); report(); });
          document.addEventListener('securitypolicyviolation', function (e) {
            found.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI); report();
          });
          var original = console.error;
          console.error = function () {
            found.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); report();
            original.apply(console, arguments);
          };
          window.addEventListener('load', function () {
            var charts = Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (svg) {
              var box = svg.getBoundingClientRect();
              return Math.round(box.width) + 'x' + Math.round(box.height);
            });
            root.setAttribute('data-probe-charts', charts.join(' '));
            root.setAttribute('data-probe-loaded', 'yes');
            report();
          });
          report();
        })();
        </script>
        """

    /// The page with the probe first in its head.
    static func probed(_ html: String) -> String {
        guard let head = html.range(of: "<head>") else { return script + html }
        return html.replacingCharacters(in: head, with: "<head>\n" + script)
    }

    /// An attribute of `<html>` in a DOM dump, entities decoded.
    static func attribute(_ name: String, in dump: String) -> String? {
        guard let start = dump.range(of: "\(name)=\""), let end = dump[start.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(dump[start.upperBound..<end]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
