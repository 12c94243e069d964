using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BurstLatency.Implementation;

/// <summary>
/// The one-line app as a child process. Its profiler logs each session's opening and stop at Debug level with how
/// long they took; the line's arrival time on our clock, minus that duration, is where the session's cost began.
/// </summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(double Start, double End)> _windows = [];
    private double? _opening;

    public AppProcess(string dll, int port, int managementPort, IReadOnlyList<KeyValuePair<string, string>> env, Stopwatch clock)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        // The variable must come from the variant only, never from the shell that runs the bench.
        info.Environment.Remove("DOTNET_EventPipeThreadSamplingRate");
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Observability__Management__Port"] = managementPort.ToString();
        info.Environment["Observability__Management__Address"] = "127.0.0.1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Observability.Profiling"] = "Debug";
        foreach (var (key, value) in env) info.Environment[key] = value;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, clock.Elapsed.TotalSeconds);
        _process.ErrorDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>Session windows so far, from the start of its opening to the end of its stop, in seconds of the bench's clock.</summary>
    public IReadOnlyList<(double Start, double End)> Windows
    {
        get { lock (_windows) return [.. _windows]; }
    }

    public async Task WaitReadyAsync()
    {
        using var client = new HttpClient();
        for (var i = 0; i < 240; i++)
        {
            try
            {
                using var response = await client.GetAsync(BaseAddress);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"the app at {BaseAddress} did not answer within 60 s");
    }

    private void OnLine(string? line, double now)
    {
        if (line is null) return;
        var match = SessionLine().Match(line);
        if (!match.Success) return;
        var took = double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) / 1000;
        lock (_windows)
        {
            if (match.Groups[1].Value == "opened") _opening = now - took;
            else if (_opening is { } start)
            {
                _windows.Add((start, now));
                _opening = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Profiler session (opened|stopped) in ([0-9.]+) ms")]
    private static partial Regex SessionLine();
}
