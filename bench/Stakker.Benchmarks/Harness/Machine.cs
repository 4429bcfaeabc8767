using System.Runtime;
using System.Runtime.InteropServices;

namespace Stakker.Benchmarks;

/// <summary>The one-line description of the machine printed before every run</summary>
static class Machine
{
    public static string Describe()
    {
        string cpu = CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString();
        string gc = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? " non-concurrent" : " concurrent");
        return $"Machine: {cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, " +
               $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), GC {gc}";
    }

    static string? CpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (!line.StartsWith("model name", StringComparison.Ordinal)) continue;
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0) return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
