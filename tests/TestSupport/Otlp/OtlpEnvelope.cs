namespace TestSupport.Otlp;

/// <summary>
/// The envelope all three OTLP export requests share: request{1 resource_*} → Resource*{1 resource, 2 scope_*} →
/// Scope*{1 scope, 2 items}, with Resource{1 attributes} and InstrumentationScope{1 name}. Each signal's decoder reads
/// only its own items.
/// </summary>
public static class OtlpEnvelope
{
    /// <summary>Every item (span, log record or metric) of <paramref name="request"/>, with the scope and resource it came under.</summary>
    public static IEnumerable<(ReadOnlyMemory<byte> Item, string ScopeName, IReadOnlyDictionary<string, string> Resource)> Items(
        ReadOnlyMemory<byte> request)
    {
        foreach (var resourceItems in ProtoReader.Messages(request, 1))
        {
            var resource = OtlpAttributes.Read(ProtoReader.Bytes(resourceItems, 1), 1);
            foreach (var scopeItems in ProtoReader.Messages(resourceItems, 2))
            {
                var scopeName = ProtoReader.String(ProtoReader.Bytes(scopeItems, 1), 1) ?? "";
                foreach (var item in ProtoReader.Messages(scopeItems, 2))
                {
                    yield return (item, scopeName, resource);
                }
            }
        }
    }
}
