package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.ConnectionOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "Get HTTP headers": sends {@code HEAD} for a URL over streams and prints the
 * status line and each header the server answers with. Argument: the URL ({@code http://} or
 * {@code https://}).
 */
public final class GetHttpHeaders {
    private GetHttpHeaders() {
    }

    /** Coroutine: prints {@code HTTP header> ...} for every non-empty line of the response head. */
    public static Void printHttpHeaders(String url) {
        URI uri = URI.create(url);
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        ConnectionOptions options = new ConnectionOptions().ssl(secure);
        StreamConnection connection = Streams.openConnection(uri.getHost(), port, StreamReader.DEFAULT_LIMIT, options).await();
        StreamReader reader = connection.reader();
        StreamWriter writer = connection.writer();

        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = "HEAD " + path + " HTTP/1.0\r\n"
                + "Host: " + uri.getHost() + "\r\n"
                + "\r\n";
        writer.write(query.getBytes(StandardCharsets.ISO_8859_1));

        while (true) {
            byte[] line = reader.readline();
            if (line.length == 0) {
                break;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
            if (!text.isEmpty()) {
                System.out.println("HTTP header> " + text);
            }
        }

        // The body, if any, is not wanted: close the connection.
        writer.close();
        writer.waitClosed().await();
        return null;
    }

    /** Prints the headers of the URL given as the first argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: GetHttpHeaders URL");
            System.exit(2);
        }
        Asyncio.run(() -> printHttpHeaders(args[0]));
    }
}
