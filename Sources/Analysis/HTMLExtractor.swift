/// A small HTML reader: enough to take a news page's headline, date and paragraphs, not a full HTML5 parser.
///
/// Title: `og:title`, else `<title>`. Published: `article:published_time` (or a `date`/`pubdate` meta), else the
/// first `<time datetime>`. Language: `<html lang>`. Body: the text of the `<p>` elements joined by "\n"; a page without any `<p>` falls back
/// to all visible text, one line per block element. `<script>`, `<style>` and comments are skipped; character
/// references (named basics, `&#NNN;`, `&#xHH;`) are decoded and runs of HTML whitespace collapse to one space.
enum HTMLExtractor {
    static func extract(_ html: String) -> Article {
        let s = Array(html.unicodeScalars)
        var index = 0
        var paragraphs: [String] = []
        var paragraph: [Unicode.Scalar]? = nil
        var visibleLines: [String] = []
        var visible: [Unicode.Scalar] = []
        var documentTitle: String?
        var openGraphTitle: String?
        var metaPublished: String?
        var timePublished: String?
        var language: String?

        func flushParagraph() {
            if let text = paragraph {
                let cleaned = collapse(decodeReferences(text))
                if !cleaned.isEmpty { paragraphs.append(cleaned) }
            }
            paragraph = nil
        }
        func flushVisible() {
            let cleaned = collapse(decodeReferences(visible))
            if !cleaned.isEmpty { visibleLines.append(cleaned) }
            visible.removeAll(keepingCapacity: true)
        }

        while index < s.count {
            guard s[index] == "<" else {
                paragraph?.append(s[index])
                visible.append(s[index])
                index += 1
                continue
            }
            if starts(s, at: index, with: "<!--") {
                index = find(s, "-->", from: index + 4).map { $0 + 3 } ?? s.count
                continue
            }
            guard let tag = parseTag(s, at: index) else {
                paragraph?.append(s[index])
                visible.append(s[index])
                index += 1
                continue
            }
            index = tag.end
            switch tag.name {
            case "script", "style", "noscript", "template":
                if !tag.isClosing {
                    let close = findCaseInsensitive(s, "</" + tag.name, from: index) ?? s.count
                    index = close < s.count ? (find(s, ">", from: close).map { $0 + 1 } ?? s.count) : s.count
                }
            case "title":
                if !tag.isClosing {
                    let close = findCaseInsensitive(s, "</title", from: index) ?? s.count
                    if documentTitle == nil { documentTitle = collapse(decodeReferences(Array(s[index..<close]))) }
                    index = close < s.count ? (find(s, ">", from: close).map { $0 + 1 } ?? s.count) : s.count
                }
            case "meta":
                let key = (tag.attributes["property"] ?? tag.attributes["name"] ?? tag.attributes["itemprop"])?.lowercased()
                if let content = tag.attributes["content"] {
                    switch key {
                    case "og:title": openGraphTitle = openGraphTitle ?? content
                    case "article:published_time", "datepublished", "pubdate", "date", "dc.date":
                        metaPublished = metaPublished ?? content
                    default: break
                    }
                }
            case "html":
                if !tag.isClosing, let lang = tag.attributes["lang"], !lang.isEmpty { language = language ?? lang }
            case "time":
                if !tag.isClosing, timePublished == nil, let datetime = tag.attributes["datetime"] {
                    timePublished = datetime
                }
            case "p":
                flushParagraph()
                flushVisible()
                if !tag.isClosing { paragraph = [] }
            case "br":
                paragraph?.append(" ")
                flushVisible()
            case "div", "section", "article", "header", "footer", "li", "ul", "ol", "tr", "table", "blockquote",
                "h1", "h2", "h3", "h4", "h5", "h6", "body", "main", "aside", "nav", "figure", "figcaption":
                flushVisible()
            default:
                break
            }
        }
        flushParagraph()
        flushVisible()

        var metadata = ArticleMetadata()
        metadata.title = [openGraphTitle, documentTitle].compactMap { $0 }.map(collapseString).first { !$0.isEmpty }
        metadata.published = (metaPublished ?? timePublished).flatMap(PublishedDate.normalise)
        metadata.language = language
        let body = paragraphs.isEmpty ? visibleLines : paragraphs
        return Article(text: body.joined(separator: "\n"), metadata: metadata, format: .html)
    }

    struct Tag {
        var name: String
        var isClosing: Bool
        var attributes: [String: String]
        var end: Int
    }

    /// A tag starting at `<`, or `nil` if what follows is not a tag (then the `<` is text).
    static func parseTag(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
        var index = start + 1
        var isClosing = false
        if index < s.count, s[index] == "/" {
            isClosing = true
            index += 1
        }
        if index < s.count, s[index] == "!" || s[index] == "?" {
            // Doctype or processing instruction.
            let end = find(s, ">", from: index).map { $0 + 1 } ?? s.count
            return Tag(name: "!", isClosing: false, attributes: [:], end: end)
        }
        guard index < s.count, s[index].propertyIsAlphabetic, s[index].isASCII else { return nil }
        var name = String.UnicodeScalarView()
        while index < s.count, s[index].isASCII, s[index].propertyIsAlphabetic || ("0"..."9").contains(s[index]) {
            name.append(s[index])
            index += 1
        }
        var attributes: [String: String] = [:]
        while index < s.count, s[index] != ">" {
            if s[index].propertyIsWhitespace || s[index] == "/" {
                index += 1
                continue
            }
            var attributeName = String.UnicodeScalarView()
            while index < s.count, !s[index].propertyIsWhitespace, s[index] != "=", s[index] != ">", s[index] != "/" {
                attributeName.append(s[index])
                index += 1
            }
            if attributeName.isEmpty {
                index += 1
                continue
            }
            while index < s.count, s[index].propertyIsWhitespace { index += 1 }
            var value: [Unicode.Scalar] = []
            if index < s.count, s[index] == "=" {
                index += 1
                while index < s.count, s[index].propertyIsWhitespace { index += 1 }
                if index < s.count, s[index] == "\"" || s[index] == "'" {
                    let quote = s[index]
                    index += 1
                    while index < s.count, s[index] != quote {
                        value.append(s[index])
                        index += 1
                    }
                    index += 1
                } else {
                    while index < s.count, !s[index].propertyIsWhitespace, s[index] != ">" {
                        value.append(s[index])
                        index += 1
                    }
                }
            }
            let key = String(attributeName).lowercased()
            if attributes[key] == nil { attributes[key] = collapse(decodeReferences(value)) }
        }
        return Tag(name: String(name).lowercased(), isClosing: isClosing, attributes: attributes, end: min(index + 1, s.count))
    }

    private static func starts(_ s: [Unicode.Scalar], at index: Int, with prefix: String) -> Bool {
        var position = index
        for scalar in prefix.unicodeScalars {
            guard position < s.count, s[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    private static func find(_ s: [Unicode.Scalar], _ needle: String, from start: Int) -> Int? {
        let first = needle.unicodeScalars.first!
        var index = start
        while index < s.count {
            if s[index] == first, starts(s, at: index, with: needle) { return index }
            index += 1
        }
        return nil
    }

    private static func findCaseInsensitive(_ s: [Unicode.Scalar], _ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.lowercased().unicodeScalars)
        var index = start
        while index + pattern.count <= s.count {
            var matches = true
            for offset in 0..<pattern.count where asciiLower(s[index + offset]) != pattern[offset] {
                matches = false
                break
            }
            if matches { return index }
            index += 1
        }
        return nil
    }

    private static func asciiLower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    private static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "ldquo": "\u{201C}", "rdquo": "\u{201D}", "laquo": "\u{00AB}", "raquo": "\u{00BB}", "copy": "\u{00A9}",
    ]

    /// Decodes `&name;`, `&#NNN;` and `&#xHH;`; anything else is left as written.
    static func decodeReferences(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard s.contains("&") else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var index = 0
        while index < s.count {
            guard s[index] == "&", let semicolon = s[(index + 1)..<min(s.count, index + 12)].firstIndex(of: ";") else {
                out.append(s[index])
                index += 1
                continue
            }
            let body = String(String.UnicodeScalarView(s[(index + 1)..<semicolon]))
            var decoded: Unicode.Scalar?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if body.hasPrefix("#") {
                decoded = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
            } else {
                decoded = namedReferences[body]
            }
            if let decoded, decoded.value != 0 {
                out.append(decoded)
                index = semicolon + 1
            } else {
                out.append(s[index])
                index += 1
            }
        }
        return out
    }

    /// Runs of HTML whitespace become one space; the ends are trimmed. A no-break space is kept.
    static func collapse(_ s: [Unicode.Scalar]) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func collapseString(_ string: String) -> String {
        collapse(Array(string.unicodeScalars))
    }
}
