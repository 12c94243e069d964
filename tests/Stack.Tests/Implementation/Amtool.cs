using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>amtool (Debian's prometheus-alertmanager) run offline against a configuration file.</summary>
internal static class Amtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static string Binary => Tools.Find("amtool", "OBS_AMTOOL");

    public static Task<ProcessResult> CheckConfigAsync(string configFile) =>
        ProcessRunner.RunAsync(Binary, ["check-config", configFile], Timeout);

    /// <summary>
    /// <c>amtool config routes test</c> with <c>--verify.receivers</c>: exit code 0 only when the alert with these
    /// labels reaches exactly <paramref name="receiver"/>.
    /// </summary>
    public static Task<ProcessResult> RoutesTestAsync(string configFile, string receiver, IEnumerable<string> labels) =>
        ProcessRunner.RunAsync(Binary, ["config", "routes", "test", "--config.file=" + configFile, "--verify.receivers=" + receiver, .. labels], Timeout);
}
