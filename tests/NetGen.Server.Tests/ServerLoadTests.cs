using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using NetGen;
using Samples.Server;
using Xunit.Abstractions;

namespace NetGen.Server.Tests;

/// <summary>
/// The sample server on a real loopback socket, its model loaded from a weights file at start-up, answering many
/// concurrent requests with one shared model instance: no request fails, and every answer is the one a serial
/// prediction gives.
/// </summary>
public sealed class ServerLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 20_000;
    private const int Concurrency = 32;
    private const int Images = 256;

    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-server").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private FashionMlp _reference = null!;

    public async Task InitializeAsync()
    {
        // Trained a little on noise, so the probabilities are not all alike; saved, and loaded by the server at start-up.
        var model = new FashionMlp(seed: 5);
        model.Fit(RandomImages(512, seed: 1), new int[512].Select((_, i) => i % 10).ToArray(), epochs: 2, batchSize: 64, seed: 1, verbose: 0);
        string weights = Path.Combine(_dir, "fashion.safetensors");
        model.SaveWeights(weights);
        _reference = new FashionMlp();
        _reference.LoadWeights(weights);

        _app = ServerApp.Create(["--urls", "http://127.0.0.1:0", "--weights", weights, "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseProxy = false };
        _client = new HttpClient(handler) { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("127.0.0.1", _client.BaseAddress.Host);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static float[,] RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        var images = new float[count, FashionMlp.InputSize];
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < FashionMlp.InputSize; p++)
            {
                images[i, p] = random.Next(256) / 255f;
            }
        }

        return images;
    }

    [Fact]
    public async Task Concurrent_requests_all_succeed_with_the_serial_predictions()
    {
        // The request bodies and the answers a serial Predict gives, per image.
        float[,] images = RandomImages(Images, seed: 2);
        var bodies = new byte[Images][];
        var expected = new float[Images][];
        for (int i = 0; i < Images; i++)
        {
            float[] pixels = Enumerable.Range(0, FashionMlp.InputSize).Select(p => images[i, p]).ToArray();
            bodies[i] = JsonSerializer.SerializeToUtf8Bytes(new PredictRequest(pixels), ServerJson.Default.PredictRequest);
            expected[i] = _reference.Predict(pixels);
        }

        var latencies = new long[Requests];
        int next = -1, errors = 0, wrong = 0;
        string? firstProblem = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        long start = Stopwatch.GetTimestamp();
        Task[] clients = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (int r = Interlocked.Increment(ref next); r < Requests && !deadline.IsCancellationRequested; r = Interlocked.Increment(ref next))
            {
                int image = r % Images;
                long sent = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(bodies[image]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using HttpResponseMessage response = await _client.PostAsync("/predict", content, deadline.Token);
                    byte[] json = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                    latencies[r] = Stopwatch.GetTimestamp() - sent;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstProblem, $"request {r}: HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(json)}", null);
                        continue;
                    }

                    PredictResponse answer = JsonSerializer.Deserialize(json, ServerJson.Default.PredictResponse)!;
                    if (!SameBits(answer.Probabilities, expected[image]) || answer.Class != ArgMax(expected[image]))
                    {
                        Interlocked.Increment(ref wrong);
                        Interlocked.CompareExchange(ref firstProblem, $"request {r} (image {image}): class {answer.Class}, not the serial answer", null);
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstProblem, $"request {r}: {error.GetType().Name}: {error.Message}", null);
                }
            }
        })).ToArray();
        await Task.WhenAll(clients);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);

        Assert.False(deadline.IsCancellationRequested, $"the {Requests} requests took longer than the 50 s bound ({Math.Min(next, Requests)} sent)");
        Assert.True(errors == 0 && wrong == 0, $"{errors} failed and {wrong} wrong of {Requests}; first: {firstProblem}");

        double[] ms = latencies.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        output.WriteLine($"{Requests} requests, {Concurrency} concurrent, in {elapsed.TotalSeconds:F2} s ({Requests / elapsed.TotalSeconds:F0}/s): " +
            $"latency p50 {Percentile(ms, 0.50):F3} ms, p99 {Percentile(ms, 0.99):F3} ms, max {ms[^1]:F3} ms");
    }

    [Fact]
    public async Task The_root_describes_the_model_and_a_wrong_image_size_is_a_clear_400()
    {
        string description = await _client.GetStringAsync("/");
        using (JsonDocument document = JsonDocument.Parse(description))
        {
            Assert.Equal("FashionMlp", document.RootElement.GetProperty("model").GetString());
            Assert.Equal(FashionMlp.Summary, document.RootElement.GetProperty("summary").GetString());
        }

        using var content = new StringContent("{\"pixels\":[0.5,0.25]}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _client.PostAsync("/predict", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must hold 784 values", await response.Content.ReadAsStringAsync());
    }

    private static bool SameBits(float[] a, float[] b) =>
        MemoryMarshal.Cast<float, int>(a.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, int>(b.AsSpan()));

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            best = values[k] > values[best] ? k : best;
        }

        return best;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
