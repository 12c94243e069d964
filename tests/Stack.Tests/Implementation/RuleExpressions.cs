namespace Stack.Tests.Implementation;

/// <summary>Every expression of prometheus/rules, with the rule's name.</summary>
internal static class RuleExpressions
{
    public sealed record Rule(string Where, string Name, string Expr, bool IsAlert);

    public static IReadOnlyList<Rule> All() =>
        StackPaths.RuleFiles
            .SelectMany(file => Yaml.LoadFile(file).Seq("groups")
                .SelectMany(g => g.Seq("rules"))
                .Select(r =>
                {
                    var alert = r.Str("alert");
                    var name = alert ?? r.Str("record") ?? throw new InvalidDataException($"{file}: rule without alert or record");
                    return new Rule($"{Path.GetFileName(file)} {name}", name, r.Str("expr")!, alert is not null);
                }))
            .ToList();
}
