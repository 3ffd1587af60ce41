using System;
using System.IO;

namespace NetGen.Onnx;

/// <summary><c>model.ExportOnnx(path)</c>: ONNX export as an extension of every NetGen network (see <see cref="OnnxExporter"/>).</summary>
public static class NetworkOnnxExtensions
{
    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="path"/>, atomically.</summary>
    /// <inheritdoc cref="OnnxExporter.Export(Network, string, OnnxExportOptions?)"/>
    public static void ExportOnnx(this Network model, string path, OnnxExportOptions? options = null) =>
        OnnxExporter.Export(model, path, options);

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="stream"/>; the stream is left open.</summary>
    /// <inheritdoc cref="OnnxExporter.Export(Network, string, OnnxExportOptions?)"/>
    public static void ExportOnnx(this Network model, Stream stream, OnnxExportOptions? options = null) =>
        OnnxExporter.Export(model, stream, options);
}
