import ArgumentParser
import ConformKit

/// Certificates to trust or present, and the proxy.
struct TLSProxyOptions: ParsableArguments {
    @Option(
        name: .customLong("cacert"),
        help: ArgumentHelp("Also trust the CA certificates of this PEM bundle (repeatable).", valueName: "path"))
    var caCertificates: [String] = []

    @Flag(help: "Do not verify server certificates (every output says so).")
    var insecure = false

    @Option(
        name: .customLong("cert"),
        help: ArgumentHelp("Present this PEM client certificate (mutual TLS).", valueName: "path"))
    var clientCertificate: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("The PEM private key of --cert.", valueName: "path"))
    var clientKey: String?

    @Option(
        help: ArgumentHelp(
            "Send every request through this HTTP proxy (instead of HTTPS_PROXY/HTTP_PROXY).", valueName: "url"))
    var proxy: String?

    func apply(to options: inout RunOptions) {
        options.caCertificatePaths = caCertificates
        options.insecure = insecure
        options.clientCertificatePath = clientCertificate
        options.clientKeyPath = clientKey
        options.proxy = proxy
    }
}
