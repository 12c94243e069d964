using TestSupport;

namespace Observability.Reports.Tests;

/// <summary>Debian's Chromium, headless, each run with a fresh empty profile and no network features.</summary>
internal static class HeadlessChromium
{
    /// <summary>The DOM of <paramref name="file"/> after it loaded, as Chromium serialises it.</summary>
    public static async Task<string> DumpDomAsync(string file)
    {
        var profile = Path.Combine(Path.GetTempPath(), "obs-chromium-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(profile);
        try
        {
            var result = await ProcessRunner.RunAsync(
                Tools.Chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--dump-dom", new Uri(Path.GetFullPath(file)).AbsoluteUri,
                ],
                TimeSpan.FromSeconds(90));
            Assert.True(result.ExitCode == 0, result.Output);
            return result.StdOut;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
