namespace Observability.Reports.Implementation;

/// <summary>One line per step on stderr, so stdout stays clean for what the command prints.</summary>
internal sealed class Progress(TextWriter error)
{
    public void Step(string what) => error.WriteLine($"  … {what}");

    public void Warn(string what) => error.WriteLine($"  ! {what}");
}
