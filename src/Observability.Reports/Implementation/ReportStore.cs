using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>The reports folder: one sub-folder per run, found by test id or by path.</summary>
internal sealed class ReportStore(string root)
{
    public string Root { get; } = root;

    public string RunFolder(string testId) => Path.Combine(Root, ReportFiles.FolderName(testId));

    /// <summary>A run by test id (under the root) or by a folder path that holds data.json.</summary>
    public RunReport Load(string idOrPath)
    {
        var byId = RunFolder(idOrPath);
        if (File.Exists(Path.Combine(byId, ReportFiles.DataFile)))
        {
            return ReportFiles.Read(byId);
        }

        if (Directory.Exists(idOrPath) && File.Exists(Path.Combine(idOrPath, ReportFiles.DataFile)))
        {
            return ReportFiles.Read(idOrPath);
        }

        throw new FileNotFoundException($"no saved report for '{idOrPath}' under {Root} (run `obs list` to see the saved runs).");
    }

    /// <summary>Saved runs, oldest window first; folders whose data.json cannot be read are listed with the reason.</summary>
    public List<(string Folder, RunReport? Report, string? Problem)> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var runs = new List<(string, RunReport?, string?)>();
        foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, ReportFiles.DataFile)))
            {
                continue;
            }

            try
            {
                runs.Add((dir, ReportFiles.Read(dir), null));
            }
            catch (InvalidDataException ex)
            {
                runs.Add((dir, null, ex.Message));
            }
        }

        return runs.OrderBy(r => r.Item2?.From ?? DateTimeOffset.MaxValue).ToList();
    }
}
