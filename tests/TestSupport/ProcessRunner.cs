using System.Diagnostics;
using System.Text;

namespace TestSupport;

/// <summary>Runs a command to completion with a deadline, capturing its output.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> args,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? env = null,
        string? stdin = null)
    {
        using var process = new Process { StartInfo = CreateStartInfo(file, args, workingDirectory, env) };
        process.StartInfo.RedirectStandardInput = stdin is not null;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish within {timeout}.\n{stdout}\n{stderr}");
        }

        // The parameterless wait flushes the asynchronous output readers.
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts a long-running child (a server) with its output sent to a log file.</summary>
    public static Process StartBackground(
        string file, IEnumerable<string> args, string logFile, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var process = new Process { StartInfo = CreateStartInfo(file, args, workingDirectory, env) };
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo CreateStartInfo(
        string file, IEnumerable<string> args, string? workingDirectory, IReadOnlyDictionary<string, string>? env)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            // An empty value removes the variable (also one the test runner itself has).
            foreach (var (key, value) in env)
            {
                if (value.Length == 0) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        }

        return info;
    }
}
