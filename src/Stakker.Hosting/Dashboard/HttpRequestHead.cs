using System.Text;

namespace Stakker.Hosting.Dashboard;

/// <summary>The parts of an HTTP/1.1 request head the dashboard looks at</summary>
internal sealed class HttpRequestHead
{
    internal string Method = "";
    internal string Path = "";
    internal string Query = "";
    internal string? Host;
    internal long ContentLength;
    internal bool ActionHeader;

    /// <summary>Parses a head (request line and headers, without the blank line); null if malformed</summary>
    internal static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        string text = Encoding.Latin1.GetString(head);
        string[] lines = text.Split("\r\n");
        string[] first = lines[0].Split(' ');
        if (first.Length != 3 || !first[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || first[1].Length == 0 || first[1][0] != '/')
            return null;
        var r = new HttpRequestHead { Method = first[0] };
        string target = first[1];
        int q = target.IndexOf('?', StringComparison.Ordinal);
        r.Path = q < 0 ? target : target[..q];
        r.Query = q < 0 ? "" : target[(q + 1)..];
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return null;
            string name = lines[i][..colon].Trim();
            string value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) r.Host = value;
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out r.ContentLength)) return null;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) r.ContentLength = long.MaxValue;
            else if (name.Equals("X-Stakker-Action", StringComparison.OrdinalIgnoreCase)) r.ActionHeader = true;
        }
        return r;
    }

    /// <summary>A query parameter, URL-decoded; null if absent</summary>
    internal string? Param(string name)
    {
        foreach (string part in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? part : part[..eq];
            if (key == name) return Uri.UnescapeDataString((eq < 0 ? "" : part[(eq + 1)..]).Replace('+', ' '));
        }
        return null;
    }
}
