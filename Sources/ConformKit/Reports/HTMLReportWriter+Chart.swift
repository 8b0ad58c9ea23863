import ConformXML
import Foundation

/// The latency chart of a case sent more than once: an inline SVG, no script.
///
/// A histogram of ``CaseResult/latencySamples`` between their minimum and maximum
/// (``histogramBinCount(sampleCount:)`` bins, one `<rect>` each, empty bins with height 0), with dashed lines
/// at p50 and p95 (``LatencySummary``'s nearest rank). A case sent once gets no chart: its latency is in
/// the table and the timing phases, and a lone point on an axis says nothing more. Every number is written
/// with fixed decimals and is finite: non-finite samples are dropped and a zero range is widened.
extension HTMLReportWriter {
    /// Samples counted into bins of equal width from `lower`.
    struct LatencyBins: Equatable {
        /// The left edge of the first bin, in milliseconds.
        var lower: Double
        /// The width of every bin, in milliseconds; always above 0.
        var width: Double
        /// How many samples fell into each bin; the maximum goes into the last bin.
        var counts: [Int]

        var upper: Double { lower + width * Double(counts.count) }
    }

    /// About 20 to 40 bins: 20 up to 100 samples, then one more per 5 samples, at most 40.
    static func histogramBinCount(sampleCount: Int) -> Int {
        min(40, max(20, sampleCount / 5))
    }

    /// The samples in ``histogramBinCount(sampleCount:)`` bins between their minimum and maximum; `nil` when
    /// no sample is finite. When all samples are equal the range is widened around them (±5%, at least
    /// ±0.05 ms), so that the bins keep a width.
    static func histogram(of samples: [Double]) -> LatencyBins? {
        let finite = samples.filter(\.isFinite)
        guard let smallest = finite.min(), let largest = finite.max() else { return nil }
        let binCount = histogramBinCount(sampleCount: finite.count)
        var lower = smallest
        var span = largest - smallest
        if !(span > 0) || !span.isFinite {
            let pad = max(abs(smallest) * 0.05, 0.05)
            lower = smallest - pad
            span = 2 * pad
        }
        let width = span / Double(binCount)
        var counts = [Int](repeating: 0, count: binCount)
        for sample in finite {
            let position = ((sample - lower) / width).rounded(.down)
            let index = position.isFinite ? min(binCount - 1, max(0, Int(position))) : 0
            counts[index] += 1
        }
        return LatencyBins(lower: lower, width: width, counts: counts)
    }

    /// What the chart shows: the kept samples.
    static func chartSamples(of testCase: CaseResult) -> [Double] {
        testCase.latencySamples.filter(\.isFinite)
    }

    /// p50 and p95 from the case's summary (over all samples), or else from the kept samples: both are
    /// ``LatencySummary``'s nearest rank, the percentile every output shows.
    static func markers(of testCase: CaseResult, samples: [Double]) -> (p50: Double, p95: Double) {
        if let latency = testCase.latency, latency.value(.p50).isFinite, latency.value(.p95).isFinite {
            return (latency.value(.p50), latency.value(.p95))
        }
        let summary = LatencySummary(milliseconds: samples)
        return (summary?.value(.p50) ?? 0, summary?.value(.p95) ?? 0)
    }

    // MARK: Writing

    private enum Layout {
        static let width = 640.0
        static let left = 48.0
        static let right = 16.0
        static let plotWidth = width - left - right
        static let histogramHeight = 230.0
        static let histogramTop = 34.0
        static let histogramPlotHeight = 150.0
    }

    static func writeLatencyChart(
        for testCase: CaseResult, id: String, to writer: XMLWriter
    ) throws(XMLWriterError) {
        let samples = chartSamples(of: testCase)
        let name = testCase.name
        guard testCase.samples > 1, samples.count > 1, let bins = histogram(of: samples) else { return }
        try writer.element("h4", text: "Latency distribution")
        let range = (samples.min() ?? 0, samples.max() ?? 0)
        try writeHistogram(
            bins, range: range, markers: markers(of: testCase, samples: samples), name: name, id: id, to: writer)
    }

    private static func writeHistogram(
        _ bins: LatencyBins, range: (min: Double, max: Double), markers: (p50: Double, p95: Double), name: String,
        id: String, to writer: XMLWriter
    ) throws(XMLWriterError) {
        let total = bins.counts.reduce(0, +)
        let decimals = axisDecimals(span: bins.upper - bins.lower)
        let title =
            "Latency histogram of \(name): \(total) samples from \(fixed(range.min, decimals)) "
            + "to \(fixed(range.max, decimals)) ms in \(bins.counts.count) bins; "
            + "p50 \(fixed(markers.p50, decimals)) ms, p95 \(fixed(markers.p95, decimals)) ms"
        try startChart(height: Layout.histogramHeight, title: title, id: id, to: writer)
        let top = Layout.histogramTop
        let plotHeight = Layout.histogramPlotHeight
        let baseline = top + plotHeight
        let tallest = max(1, bins.counts.max() ?? 1)
        let barWidth = Layout.plotWidth / Double(bins.counts.count)
        for (index, count) in bins.counts.enumerated() {
            let height = plotHeight * Double(count) / Double(tallest)
            let from = bins.lower + bins.width * Double(index)
            let to = bins.lower + bins.width * Double(index + 1)
            try writer.startElement("rect")
            try attributes(
                [
                    ("class", "bar"), ("x", coordinate(Layout.left + barWidth * Double(index) + 0.5)),
                    ("y", coordinate(baseline - height)), ("width", coordinate(max(0, barWidth - 1))),
                    ("height", coordinate(height)),
                ], to: writer)
            try writer.element(
                "title",
                text: "\(fixed(from, decimals))–\(fixed(to, decimals)) ms: \(count) "
                    + (count == 1 ? "sample" : "samples"))
            try writer.endElement()
        }
        try line(
            from: (Layout.left, baseline), to: (Layout.left + Layout.plotWidth, baseline), kind: "axis", to: writer)
        try line(from: (Layout.left, top), to: (Layout.left, baseline), kind: "axis", to: writer)
        // Count labels on the left, value labels under the axis at both ends and the middle.
        try label(String(tallest), at: (Layout.left - 6, top + 4), anchor: "end", to: writer)
        try label("0", at: (Layout.left - 6, baseline + 4), anchor: "end", to: writer)
        for fraction in [0.0, 0.5, 1.0] {
            let x = Layout.left + Layout.plotWidth * fraction
            try line(from: (x, baseline), to: (x, baseline + 5), kind: "tick", to: writer)
            let anchor = fraction == 0 ? "start" : (fraction == 1 ? "end" : "middle")
            let value = bins.lower + (bins.upper - bins.lower) * fraction
            try label(fixed(value, decimals), at: (x, baseline + 18), anchor: anchor, to: writer)
        }
        try label(
            "latency (ms), \(total) samples", at: (Layout.left + Layout.plotWidth / 2, baseline + 36),
            anchor: "middle", to: writer)
        for (row, (statistic, value)) in [("p50", markers.p50), ("p95", markers.p95)].enumerated() {
            let fraction = min(1, max(0, (value - bins.lower) / (bins.upper - bins.lower)))
            let x = Layout.left + Layout.plotWidth * (fraction.isFinite ? fraction : 0)
            try line(from: (x, top - 4), to: (x, baseline), kind: "marker \(statistic)", to: writer)
            let y = 12 + 13 * Double(row)
            let onLeftHalf = fraction < 0.5
            try label(
                "\(statistic) \(fixed(value, decimals)) ms", at: (onLeftHalf ? x + 4 : x - 4, y),
                anchor: onLeftHalf ? "start" : "end", kind: statistic, to: writer)
        }
        try writer.endElement()
    }

    // MARK: SVG pieces

    private static func startChart(
        height: Double, title: String, id: String, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("svg")
        try attributes(
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("class", "chart"),
                ("viewBox", "0 0 \(coordinate(Layout.width)) \(coordinate(height))"), ("role", "img"),
                ("aria-labelledby", "\(id)-chart-title"),
            ], to: writer)
        try writer.element("title", attributes: [("id", "\(id)-chart-title")], text: title)
    }

    private static func line(
        from start: (Double, Double), to end: (Double, Double), kind: String, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.element(
            "line",
            attributes: [
                ("class", kind), ("x1", coordinate(start.0)), ("y1", coordinate(start.1)), ("x2", coordinate(end.0)),
                ("y2", coordinate(end.1)),
            ])
    }

    private static func label(
        _ text: String, at point: (Double, Double), anchor: String, kind: String? = nil, to writer: XMLWriter
    ) throws(XMLWriterError) {
        var attributes = [("x", coordinate(point.0)), ("y", coordinate(point.1)), ("text-anchor", anchor)]
        if let kind { attributes.insert(("class", kind), at: 0) }
        try writer.element("text", attributes: attributes, text: text)
    }

    private static func attributes(_ pairs: [(String, String)], to writer: XMLWriter) throws(XMLWriterError) {
        for (name, value) in pairs { try writer.attribute(name, value) }
    }

    // MARK: Numbers

    /// An SVG coordinate with two decimals; 0 for a value that is not finite.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.2f", value.isFinite ? value : 0)
    }

    /// A millisecond value with a fixed number of decimals; 0 for a value that is not finite.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value.isFinite ? value : 0)
    }

    /// Enough decimals to tell the axis labels of a range apart: 3 below 1 ms, 2 below 10 ms, else 1.
    static func axisDecimals(span: Double) -> Int {
        guard span.isFinite else { return 1 }
        if span < 1 { return 3 }
        if span < 10 { return 2 }
        return 1
    }
}
