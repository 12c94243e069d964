using System.Diagnostics;
using System.Runtime.InteropServices;
using TestSupport;

namespace Overhead.Implementation;

/// <summary>
/// One Articles.Api process of the comparison, started from the Release build with its own environment. The
/// process not under load is paused (SIGSTOP) so that its background work (exporters, sampler) does not steal
/// CPU from the other one on a small machine.
/// </summary>
internal sealed partial class ApiProcess : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private readonly Process _process;

    private ApiProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public string BaseAddress => $"http://127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    public static async Task<ApiProcess> StartAsync(
        string name, string apiDll, IReadOnlyDictionary<string, string> env, string readyPath, string logFile)
    {
        var port = FreePort.Tcp();
        var fullEnv = new Dictionary<string, string>(env)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_gcServer"] = env.GetValueOrDefault("DOTNET_gcServer", "0"),
        };
        var process = ProcessRunner.StartBackground("dotnet", [apiDll], logFile, Path.GetDirectoryName(apiDll), fullEnv);
        var api = new ApiProcess(name, process, port);
        await api.WaitReadyAsync(readyPath, logFile);
        return api;
    }

    public void Pause() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    private void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private async Task WaitReadyAsync(string readyPath, string logFile)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await client.GetAsync(BaseAddress + readyPath);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "";
        throw new InvalidOperationException($"Articles.Api ({Name}) did not become ready on {BaseAddress}{readyPath}:\n{log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited)
        {
            _process.Dispose();
            return;
        }

        try
        {
            Resume();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
