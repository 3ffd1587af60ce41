using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NetGen.Data;

namespace Samples.Server;

/// <summary>The endpoints: <c>GET /</c> describes the model, <c>POST /predict</c> classifies one image.</summary>
public static class PredictionApi
{
    private static readonly string[] s_classes = [.. FashionMnist.ClassNames];

    /// <summary>Adds the endpoints to <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => new ModelDescription(nameof(FashionMlp), FashionMlp.InputSize, FashionMlp.ParameterCount, s_classes, FashionMlp.Summary));
        app.MapPost("/predict", Predict);
    }

    /// <summary>
    /// Classifies one 28×28 image: the model is the process's singleton, shared by every request thread; each call uses
    /// its own activation scratch, so concurrent requests neither wait for each other nor mix their results.
    /// </summary>
    public static IResult Predict(PredictRequest request, FashionMlp model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        if (request.Pixels is not { Length: FashionMlp.InputSize } pixels)
        {
            return TypedResults.BadRequest(new PredictError(
                $"\"pixels\" must hold {FashionMlp.InputSize} values (a 28×28 image, row by row, scaled to 0..1); received {request.Pixels?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}."));
        }

        var probabilities = new float[FashionMlp.OutputSize];
        model.Predict(pixels, probabilities);
        int best = 0;
        for (int k = 1; k < probabilities.Length; k++)
        {
            best = probabilities[k] > probabilities[best] ? k : best;
        }

        return TypedResults.Ok(new PredictResponse(best, s_classes[best], probabilities));
    }
}

/// <summary>The body of <c>POST /predict</c>.</summary>
/// <param name="Pixels">784 values, the image row by row, each in 0..1 (a byte pixel divided by 255).</param>
public sealed record PredictRequest(float[]? Pixels);

/// <summary>The answer of <c>POST /predict</c>.</summary>
/// <param name="Class">The most probable class, 0-9.</param>
/// <param name="Label">Its name (<c>T-shirt/top</c>, …, <c>Ankle boot</c>).</param>
/// <param name="Probabilities">The probability of each class.</param>
public sealed record PredictResponse(int Class, string Label, float[] Probabilities);

/// <summary>What a bad request was missing.</summary>
public sealed record PredictError(string Error);

/// <summary>The answer of <c>GET /</c>.</summary>
public sealed record ModelDescription(string Model, int InputSize, int Parameters, IReadOnlyList<string> Classes, string Summary);

/// <summary>Serialization metadata made at build time (no reflection), for the types the API reads and writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(PredictError))]
[JsonSerializable(typeof(ModelDescription))]
public sealed partial class ServerJson : JsonSerializerContext;
