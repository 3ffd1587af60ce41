using System;
using System.Globalization;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetGen;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace Samples.Server;

/// <summary>Builds the server: the model first (loaded or trained), then the web application that shares it.</summary>
public static class ServerApp
{
    /// <summary>Epochs of training when no weights file is given or found.</summary>
    public const int DefaultEpochs = 3;

    /// <summary>
    /// Creates the application from command-line <paramref name="args"/> (ASP.NET's own, such as <c>--urls</c>, and
    /// <c>--weights</c>, <c>--data</c>, <c>--epochs</c>; see Program.cs), with the model ready before the first request.
    /// </summary>
    public static WebApplication Create(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // not a line per request
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default));

        // One instance for the whole process, as any shared service: NetGen models are safe to predict with from
        // every request thread at once, without a lock or a pool of copies.
        using ILoggerFactory startupLogging = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
        builder.Services.AddSingleton(LoadOrTrain(builder.Configuration, startupLogging.CreateLogger("Samples.Server")));

        WebApplication app = builder.Build();
        PredictionApi.Map(app);
        return app;
    }

    /// <summary>The model from the weights file when it exists; otherwise trained on Fashion-MNIST (and saved there, if a file was named).</summary>
    private static FashionMlp LoadOrTrain(IConfiguration configuration, ILogger log)
    {
        string? weights = configuration["weights"];
        var model = new FashionMlp(seed: 42);
        if (weights is not null && File.Exists(weights))
        {
            model.LoadWeights(weights);
            log.LogInformation("Loaded the weights from {Path}", weights);
            return model;
        }

        int epochs = int.Parse(configuration["epochs"] ?? DefaultEpochs.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        (Dataset train, Dataset test) = FashionMnist.Load(configuration["data"]);
        model.Compile(new Adam());
        model.Fit(train, epochs: epochs, batchSize: 32, seed: 42, verbose: 0);
        log.LogInformation("Trained {Epochs} epochs on {Count} images: test accuracy {Accuracy:P2}", epochs, train.Count, model.Evaluate(test).Accuracy);
        if (weights is not null)
        {
            model.SaveWeights(weights);
            log.LogInformation("Saved the weights to {Path}", weights);
        }

        return model;
    }
}
