namespace Stack.Tests.Implementation;

/// <summary>Every alerting rule of prometheus/rules with its severity label and annotations.</summary>
internal static class AlertRules
{
    public sealed record Alert(string File, string Name, string Expr, string Severity, IReadOnlyDictionary<string, string> Annotations);

    public static IReadOnlyList<Alert> All() =>
        StackPaths.RuleFiles
            .SelectMany(file => Yaml.LoadFile(file).Seq("groups")
                .SelectMany(g => g.Seq("rules"))
                .Where(r => r.Str("alert") is not null)
                .Select(r => new Alert(
                    Path.GetFileName(file),
                    r.Str("alert")!,
                    r.Str("expr")!,
                    r.Map("labels").Str("severity") ?? "",
                    r.Map("annotations").Entries().ToDictionary(e => e.Key, e => (e.Value as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value ?? ""))))
            .ToList();

    public static string SeverityOf(string alertname) => All().Single(a => a.Name == alertname).Severity;
}
