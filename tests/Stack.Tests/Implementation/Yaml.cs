using YamlDotNet.RepresentationModel;

namespace Stack.Tests.Implementation;

/// <summary>Small read helpers over YamlDotNet's representation model.</summary>
internal static class Yaml
{
    public static YamlMappingNode LoadFile(string path) => Load(File.ReadAllText(path), path);

    public static YamlMappingNode Load(string text, string what)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"{what}: expected one YAML document with a mapping at the top");
        }

        return root;
    }

    public static string Save(YamlMappingNode root)
    {
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Map(this YamlNode? node, string key) => node.Get(key) as YamlMappingNode;

    public static string? Str(this YamlNode? node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Seq(this YamlNode? node, string key) =>
        node.Get(key) is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<string> Scalars(this YamlNode? node, string key) =>
        node.Seq(key).OfType<YamlScalarNode>().Select(s => s.Value ?? "");

    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node) =>
        node is YamlMappingNode map
            ? map.Children.Select(kv => new KeyValuePair<string, YamlNode>(((YamlScalarNode)kv.Key).Value ?? "", kv.Value))
            : [];

    /// <summary>Every scalar under <paramref name="node"/>, with its dotted path.</summary>
    public static IEnumerable<(string Path, string Value)> AllScalars(YamlNode node, string path = "")
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                yield return (path, scalar.Value ?? "");
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    foreach (var item in AllScalars(value, path.Length == 0 ? ((YamlScalarNode)key).Value! : path + "." + ((YamlScalarNode)key).Value))
                    {
                        yield return item;
                    }
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    foreach (var item in AllScalars(seq.Children[i], $"{path}[{i}]"))
                    {
                        yield return item;
                    }
                }

                break;
        }
    }
}
