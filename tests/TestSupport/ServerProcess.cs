using System.Diagnostics;

namespace TestSupport;

/// <summary>What the servers the tests start from Debian's packages (Prometheus, Alertmanager) share: their
/// <c>-/ready</c> wait and their shutdown.</summary>
public static class ServerProcess
{
    /// <summary>Waits until <c>GET -/ready</c> answers 2xx; fails at once, with the log, if the process exits.</summary>
    public static Task WaitReadyAsync(Process process, HttpClient http, string name, Func<string> log, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {process.ExitCode}: {log()}");
                }

                try
                {
                    using var response = await http.GetAsync("-/ready");
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false; // Not listening yet.
                }
            },
            timeout,
            $"{name} ready (-/ready)",
            log,
            TimeSpan.FromMilliseconds(200));

    /// <summary>Kills the process tree, waits for it, and removes its temporary folder (best effort).</summary>
    public static async Task StopAsync(Process process, string? directory = null)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        if (directory is null) return;
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
