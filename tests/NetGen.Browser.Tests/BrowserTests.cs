using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Samples.Browser;
using Xunit.Abstractions;

namespace NetGen.Browser.Tests;

/// <summary>
/// The browser sample in a real browser: headless Chromium picks three Fashion-MNIST test images on the published
/// page, and the classes the page shows must be the ones the same model predicts here on the desktop.
/// </summary>
public sealed class BrowserTests(PublishedApp app, ITestOutputHelper output) : IClassFixture<PublishedApp>
{
    private const string Chromium = "/usr/bin/chromium";

    // Three known test images (their indices in t10k): a class each, one of them (index 4, a shirt) one the model is less sure of.
    private static readonly int[] s_picked = [0, 4, 9];

    [Fact]
    public async Task Picked_test_images_get_the_desktop_predictions()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does so when it runs as root.");
        var timer = Stopwatch.StartNew();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox as root; no background networking, which this machine's closed network refuses noisily.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        IPage page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Type + ": " + message.Text);
        page.PageError += (_, error) => console.Add("page error: " + error);

        await page.GotoAsync(app.Address.ToString());
        await page.WaitForSelectorAsync("#waiting", new PageWaitForSelectorOptions { Timeout = 60_000 });

        var desktop = FashionMlp.FromEmbeddedWeights();
        var probabilities = new float[FashionMlp.OutputSize];
        foreach (int index in s_picked)
        {
            TestImage image = TestImages.All.Single(t => t.Index == index);
            await page.ClickAsync($"canvas.thumb[data-index='{index}']");
            ILocator predicted = page.Locator($"#predicted[data-image='{index}']");
            await predicted.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            int inBrowser = int.Parse((await predicted.GetAttributeAsync("data-class"))!, CultureInfo.InvariantCulture);

            desktop.Predict(image.Features(), probabilities);
            int onDesktop = Array.IndexOf(probabilities, probabilities.Max());
            output.WriteLine($"test image {index} (label {image.Label}): browser class {inBrowser}, desktop class {onDesktop}; {await page.Locator("#latency").InnerTextAsync()}");
            Assert.True(onDesktop == inBrowser, $"test image {index}: the browser predicts {inBrowser}, the desktop {onDesktop}.\n" + string.Join("\n", console));
        }

        output.WriteLine(await page.Locator("#simd").InnerTextAsync());
        output.WriteLine($"desktop: median of 200 predictions {DesktopMedianMicroseconds(desktop, TestImages.All[0].Features()):F1} µs");
        output.WriteLine($"published wwwroot: {DownloadSize(app.Root)}; publish took {app.PublishTime.TotalSeconds:F0} s, the browser part {timer.Elapsed.TotalSeconds:F1} s");

        string screenshot = Path.Combine(AppContext.BaseDirectory, "browser-sample.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine("screenshot: " + screenshot);
    }

    private static double DesktopMedianMicroseconds(FashionMlp model, float[] pixels)
    {
        var output = new float[FashionMlp.OutputSize];
        for (int i = 0; i < 1000; i++)
        {
            model.Predict(pixels, output); // warm up: the JIT's tiers, as the browser's first predictions warm its interpreter
        }

        var times = new long[200];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            model.Predict(pixels, output);
            times[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(times);
        return times[times.Length / 2] * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>What a browser downloads: every file under wwwroot (uncompressed), and the Brotli copies the server would send instead.</summary>
    private static string DownloadSize(string root)
    {
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        long raw = files.Where(f => !f.EndsWith(".br", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        long brotli = files.Where(f => f.EndsWith(".br", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        return $"{raw / 1024.0 / 1024.0:F2} MB uncompressed, {brotli / 1024.0 / 1024.0:F2} MB as Brotli";
    }
}
