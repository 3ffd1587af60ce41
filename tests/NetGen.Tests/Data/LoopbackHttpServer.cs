using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen.Tests.Data;

/// <summary>What the server sends for one request.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body; Content-Length always states its full length.</param>
/// <param name="SendBytes">How much of the body to send before closing the connection; null sends it all.</param>
internal sealed record Reply(int Status, byte[] Body, int? SendBytes = null)
{
    public static Reply Ok(byte[] body) => new(200, body);

    public static Reply NotFound { get; } = new(404, Encoding.ASCII.GetBytes("not found"));

    /// <summary>Announces all of <paramref name="body"/>, sends the first half, then closes the connection.</summary>
    public static Reply DropHalfway(byte[] body) => new(200, body, body.Length / 2);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (port chosen by the OS), written on a bare <see cref="TcpListener"/> so a
/// test controls every byte, including a connection dropped mid-body. One request per connection
/// (<c>Connection: close</c>), served one at a time. It counts requests, and stops on dispose, or by itself after a
/// few minutes should a test never dispose it.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, Reply> _respond;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(5));
    private readonly ConcurrentQueue<string> _paths = new();
    private readonly Task _loop;

    /// <param name="respond">The reply for a request path (like <c>/data/file.gz</c>).</param>
    public LoopbackHttpServer(Func<string, Reply> respond)
    {
        _respond = respond;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Serves <paramref name="files"/> by name under <paramref name="prefix"/>; anything else is a 404.</summary>
    public static LoopbackHttpServer Serving(IReadOnlyDictionary<string, Reply> files, string prefix = "/data/") =>
        new(path => path.StartsWith(prefix, StringComparison.Ordinal) && files.TryGetValue(path[prefix.Length..], out Reply? reply) ? reply : Reply.NotFound);

    public Uri BaseUrl { get; }

    /// <summary>The paths requested so far, in order.</summary>
    public IReadOnlyCollection<string> Requests => [.. _paths];

    /// <summary>A client for this server: no proxy, so the request really goes to 127.0.0.1.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(1) };

    public Uri Url(string prefix) => new(BaseUrl, prefix);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping interrupts the pending accept.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync(token);
            try
            {
                await HandleAsync(client, token);
            }
            catch (IOException) when (!token.IsCancellationRequested)
            {
                // The client went away mid-response; serve the next one.
            }
        }
    }

    private async Task HandleAsync(TcpClient client, CancellationToken token)
    {
        NetworkStream stream = client.GetStream();
        string? path = await ReadRequestPathAsync(stream, token);
        if (path is null)
        {
            return;
        }

        _paths.Enqueue(path);
        Reply reply = _respond(path);
        string reason = reply.Status == 200 ? "OK" : reply.Status == 404 ? "Not Found" : "Error";
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {reply.Status} {reason}\r\nContent-Type: application/octet-stream\r\nContent-Length: {reply.Body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
        await stream.WriteAsync(reply.Body.AsMemory(0, reply.SendBytes ?? reply.Body.Length), token);
        await stream.FlushAsync(token);
        client.Client.Shutdown(SocketShutdown.Send); // end of data: for a short reply the client sees the body end early
    }

    /// <summary>Reads the request head (up to the blank line) and returns the path of its request line.</summary>
    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream, CancellationToken token)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (head.Length < 16384)
        {
            int n = await stream.ReadAsync(buffer, token);
            if (n == 0)
            {
                return null;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
            string text = head.ToString();
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                string[] requestLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return requestLine.Length == 3 ? requestLine[1] : null;
            }
        }

        return null;
    }
}
