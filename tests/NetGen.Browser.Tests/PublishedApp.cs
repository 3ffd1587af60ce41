using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetGen.Browser.Tests;

/// <summary>
/// samples/Browser published once (Release, into a temporary folder) and served from its wwwroot on 127.0.0.1 by
/// Kestrel's static files in this process, the way any static host serves a standalone Blazor WebAssembly app.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private WebApplication? _server;

    /// <summary>The published wwwroot.</summary>
    public string Root { get; private set; } = string.Empty;

    /// <summary>The page's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How long the publish took (to report; the test's own time is the rest).</summary>
    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        string repository = RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), "netgen-browser-" + Guid.NewGuid().ToString("N"));
        var timer = Stopwatch.StartNew();
        await Run("dotnet", $"publish \"{Path.Combine(repository, "samples", "Browser", "Browser.csproj")}\" -c Release -o \"{output}\" -nologo", repository);
        PublishTime = timer.Elapsed;
        Root = Path.Combine(output, "wwwroot");

        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        var files = new PhysicalFileProvider(Root);
        _server.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        _server.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            ServeUnknownFileTypes = true, // the runtime's .dat and webcil files
            DefaultContentType = "application/octet-stream",
        });
        await _server.StartAsync();
        string address = _server.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        if (Root.Length > 0)
        {
            Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
        }
    }

    private static async Task Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (DirectoryInfo? dir = new FileInfo(thisFile).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("NetGen.sln not found above " + thisFile);
    }
}
