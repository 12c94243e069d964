using System.Text.Json.Nodes;

namespace Stack.Tests.Implementation;

/// <summary>Reads the provisioned dashboards and lists every panel and query in them.</summary>
internal static class GrafanaDashboards
{
    public static IReadOnlyList<(string File, JsonObject Json)> All() =>
        StackPaths.DashboardFiles.Select(f => (Path.GetFileName(f), (JsonObject)JsonNode.Parse(File.ReadAllText(f))!)).ToList();

    public static JsonObject Load(string file) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(StackPaths.GrafanaDashboards, file)))!;

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray().OfType<JsonObject>())
        {
            yield return panel;
            if (panel["panels"] is JsonArray nested)
            {
                foreach (var inner in nested.OfType<JsonObject>())
                {
                    yield return inner;
                }
            }
        }
    }

    public static IEnumerable<GrafanaQuery> Queries(string file, JsonObject dashboard)
    {
        foreach (var panel in Panels(dashboard))
        {
            foreach (var target in panel["targets"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var ds = (target["datasource"] ?? panel["datasource"]) as JsonObject;
                var type = ds?["type"]?.GetValue<string>() ?? "";
                var text = type switch
                {
                    "prometheus" or "loki" => target["expr"]?.GetValue<string>(),
                    "tempo" => target["query"]?.GetValue<string>(),
                    "grafana-pyroscope-datasource" => target["labelSelector"]?.GetValue<string>(),
                    _ => null,
                } ?? throw new InvalidDataException($"{file}: panel '{panel["title"]}' target {target["refId"]} has no query for datasource type '{type}'");
                yield return new GrafanaQuery(file, $"panel '{panel["title"]}' {target["refId"]}", type, ds?["uid"]?.GetValue<string>() ?? "", text,
                    target["profileTypeId"]?.GetValue<string>());
            }
        }

        foreach (var annotation in dashboard["annotations"]?["list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (annotation["expr"] is JsonValue expr)
            {
                var ds = (JsonObject)annotation["datasource"]!;
                yield return new GrafanaQuery(file, $"annotation '{annotation["name"]}'", ds["type"]!.GetValue<string>(), ds["uid"]!.GetValue<string>(), expr.GetValue<string>());
            }
        }

        foreach (var variable in Variables(dashboard).Where(v => v["type"]?.GetValue<string>() == "query"))
        {
            var ds = (JsonObject)variable["datasource"]!;
            var type = ds["type"]!.GetValue<string>();
            var where = $"variable '{variable["name"]}'";
            if (type == "grafana-pyroscope-datasource")
            {
                // Pyroscope's variable query model: {type: labelValue, profileTypeId, labelName}.
                var q = (JsonObject)variable["query"]!;
                yield return new GrafanaQuery(file, where, type, ds["uid"]!.GetValue<string>(), q["labelName"]!.GetValue<string>(), q["profileTypeId"]!.GetValue<string>());
                continue;
            }

            var query = variable["query"] is JsonObject pq ? pq["query"]!.GetValue<string>() : variable["query"]!.GetValue<string>();
            yield return new GrafanaQuery(file, where, type, ds["uid"]!.GetValue<string>(), query);
        }
    }

    /// <summary>Constant variables of every dashboard (name, value): settings shared by several panels.</summary>
    public static IEnumerable<(string Name, string Value)> Constants() =>
        All().SelectMany(d => Variables(d.Json))
            .Where(v => v["type"]?.GetValue<string>() == "constant")
            .Select(v => (v["name"]!.GetValue<string>(), v["query"]!.GetValue<string>()));

    public static IEnumerable<JsonObject> Variables(JsonObject dashboard) =>
        dashboard["templating"]?["list"]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>Every datasource reference object ({type, uid}) anywhere in the dashboard.</summary>
    public static IEnumerable<JsonObject> DatasourceRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "datasource" && value is JsonObject ds)
                    {
                        yield return ds;
                    }

                    foreach (var inner in DatasourceRefs(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in DatasourceRefs(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
