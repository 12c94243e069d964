using System.Globalization;

namespace Articles.Api.Data;

/// <summary>A validated <c>page</c> (1-based) and <c>size</c> pair from the query string.</summary>
public readonly record struct PageRequest(int Page, int Size)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public long Offset => (long)(Page - 1) * Size;

    /// <summary>Parses the raw query values; missing values take the defaults (page 1, size 20).</summary>
    public static bool TryParse(string? page, string? size, out PageRequest request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var p = 1;
        var s = DefaultSize;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out p) || p < 1))
        {
            errors["page"] = ["page must be an integer of at least 1."];
        }

        if (size is not null && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out s) || s < 1 || s > MaxSize))
        {
            errors["size"] = [$"size must be an integer between 1 and {MaxSize}."];
        }

        request = new PageRequest(p, s);
        return errors.Count == 0;
    }
}
