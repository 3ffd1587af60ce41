using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetGen.IO;
using NetGen.Tests.Models;

namespace NetGen.Tests.IO;

/// <summary>A file is replaced whole or not at all, and no temporary file is left behind either way.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Creates_a_new_file_and_leaves_nothing_else()
    {
        string path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "héllo");
        Assert.Equal("héllo", File.ReadAllText(path));
        Assert.Equal([0x68, 0xC3, 0xA9], File.ReadAllBytes(path)[..3]); // UTF-8, no byte-order mark
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void Replaces_an_existing_file()
    {
        string path = _dir.File("a.bin");
        File.WriteAllBytes(path, new byte[1000]);
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], _dir.Entries());
    }

    [Fact]
    public void A_writer_that_throws_midway_leaves_the_target_unchanged_and_no_temporary_file()
    {
        string path = _dir.File("a.bin");
        File.WriteAllBytes(path, [9, 9, 9]);
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]); // enough to reach the disk through the buffer
            stream.Flush();
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", error.Message);
        Assert.Equal([9, 9, 9], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], _dir.Entries());
    }

    [Fact]
    public void A_writer_that_throws_before_the_target_exists_creates_nothing()
    {
        string path = _dir.File("new.bin");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public async Task A_canceled_async_write_leaves_the_target_unchanged_and_no_temporary_file()
    {
        string path = _dir.File("a.bin");
        File.WriteAllBytes(path, [7]);
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync(new byte[10], token);
            await cancel.CancelAsync();
            token.ThrowIfCancellationRequested();
        }, cancel.Token));
        Assert.Equal([7], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], _dir.Entries());

        await AtomicFile.WriteAsync(path, (stream, token) => stream.WriteAsync(new byte[] { 4, 5 }, token).AsTask());
        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], _dir.Entries());
    }

    [Fact]
    public void A_missing_directory_is_an_error_and_creates_nothing()
    {
        string path = Path.Combine(_dir.Path, "missing", "a.bin");
        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(path, [1]));
        Assert.Empty(_dir.Entries());

        // The message is about the file the caller named, not the hidden temporary one.
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
    }

    [Fact]
    public void A_target_that_is_a_directory_is_an_error_and_leaves_no_temporary_file()
    {
        Directory.CreateDirectory(_dir.File("taken"));
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(_dir.File("taken"), [1]));
        Assert.Equal(["taken"], _dir.Entries());
        Assert.True(Directory.Exists(_dir.File("taken")));
    }

    [Fact]
    public void A_name_near_the_file_system_limit_still_works()
    {
        // The temporary name keeps only a prefix of the target's, so it cannot outgrow the 255-byte name limit.
        string path = _dir.File(new string('w', 250) + ".bin");
        AtomicFile.WriteAllBytes(path, [1]);
        Assert.Equal([1], File.ReadAllBytes(path));
        Assert.Single(_dir.Entries());
    }

    [Fact]
    public void A_directory_name_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllBytes(_dir.Path + Path.DirectorySeparatorChar, [1]));
    }

    [Fact]
    public void In_a_read_only_directory_saving_fails_and_the_previous_file_stays_intact()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // directory permissions are ACLs there; the writer-throws tests cover the same path
        }

        var model = new Xor221(seed: 1);
        string path = _dir.File("xor.safetensors");
        model.SaveWeights(path);
        byte[] before = File.ReadAllBytes(path);
        File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (CanCreateFileIn(_dir.Path))
        {
            return; // root ignores the permission bits, so there is nothing to test; run as a normal user to cover it
        }

        model.Parameters.Fill(0.5f);
        Assert.Throws<UnauthorizedAccessException>(() => model.SaveWeights(path));
        Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.WriteAllText(_dir.File("other.txt"), "x"));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["xor.safetensors"], _dir.Entries());
    }

    [Fact]
    public async Task The_next_write_of_a_target_removes_its_stale_temporaries_and_nothing_else()
    {
        // What killed writers leave: the target's own hidden temporaries, hours old, beside files that are not ours.
        string path = _dir.File("w.safetensors");
        string[] stale = [_dir.File(".w.safetensors.0123456789ab.tmp"), _dir.File(".w.safetensors.ba9876543210.tmp")];
        string[] kept =
        [
            _dir.File(".w.safetensors.00000000000f.tmp"), // recent: maybe a writer at work in another process
            _dir.File(".other.bin.0123456789ab.tmp"),     // another target's
            _dir.File(".w.safetensors.notahexname.tmp"),  // not a name AtomicFile makes
            _dir.File(".w.safetensors.0123456789AB.tmp"),
            _dir.File("w.safetensors.0123456789ab.tmp"),
        ];
        foreach (string file in stale)
        {
            File.WriteAllBytes(file, new byte[1000]);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - AtomicFile.StaleAge - TimeSpan.FromMinutes(1));
        }

        foreach (string file in kept)
        {
            File.WriteAllBytes(file, new byte[10]);
            File.SetLastWriteTimeUtc(file, file.Contains("00000000000f", StringComparison.Ordinal) ? DateTime.UtcNow : DateTime.UtcNow.AddDays(-2));
        }

        string[] expected = [.. Array.ConvertAll(kept, f => Path.GetFileName(f)!), "w.safetensors"];
        Array.Sort(expected, StringComparer.Ordinal);
        var model = new Xor221(seed: 1);
        model.SaveWeights(path);
        Assert.Equal(expected, _dir.Entries());

        // The asynchronous write does the same.
        File.WriteAllBytes(stale[0], [1]);
        File.SetLastWriteTimeUtc(stale[0], DateTime.UtcNow.AddHours(-1));
        await AtomicFile.WriteAsync(path, (stream, token) => stream.WriteAsync(new byte[] { 1, 2 }, token).AsTask());
        Assert.Equal(expected, _dir.Entries());
    }

    [Fact]
    public async Task A_write_in_progress_keeps_its_temporary_file_while_another_write_of_the_target_completes()
    {
        string path = _dir.File("a.bin");
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task slow = Task.Run(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            stream.Flush();
            writing.Set();
            release.Wait();
            stream.WriteByte(7);
        }));
        Assert.True(writing.Wait(TimeSpan.FromSeconds(30)));
        string temp = Assert.Single(Directory.GetFiles(_dir.Path, ".a.bin.*.tmp"));
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.True(File.Exists(temp));
        release.Set();
        await slow.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(100_001, new FileInfo(path).Length); // the slow writer finished and won, as the later rename
        Assert.Equal(["a.bin"], _dir.Entries());
    }

    private static bool CanCreateFileIn(string directory)
    {
        string probe = Path.Combine(directory, "probe");
        try
        {
            File.WriteAllText(probe, "x", Encoding.ASCII);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
