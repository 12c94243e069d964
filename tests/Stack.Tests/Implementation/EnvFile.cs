namespace Stack.Tests.Implementation;

/// <summary>Reads a Compose-style .env file: KEY=value lines, # comments.</summary>
internal static class EnvFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw new InvalidDataException($"{path}: not KEY=value: '{raw}'");
            }

            values[line[..eq]] = line[(eq + 1)..];
        }

        return values;
    }
}
