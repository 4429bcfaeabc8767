using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>The --quick mode: the BenchmarkDotNet classes, run by a small Stopwatch harness in this process</summary>
/// <remarks>
/// For each case and framework: the framework's targeted setup (Setup{Method}), a timed warm-up,
/// then <see cref="Reps"/> repetitions of about <see cref="RepSeconds"/> each, and its cleanup, so
/// no other framework's threads are alive while one is measured. Figures are medians over the
/// repetitions, divided by the benchmark's OperationsPerInvoke, the same unit BenchmarkDotNet reports.
/// Allocation is GC.GetTotalAllocatedBytes(precise: true), which counts every thread: the peers
/// allocate on their dispatcher threads, which GC.GetAllocatedBytesForCurrentThread would miss.
/// For Stakker, whose work all runs on the calling thread, the current-thread figure is printed too.
/// Process CPU time per operation (see <see cref="CpuTime"/>) is printed beside the wall time.
/// A case whose <see cref="CaseAttribute.Reference"/> is set also has a <c>Bcl</c> method: a plain
/// .NET reference point, measured the same way (after the frameworks) and shown in its own table.
/// </remarks>
static class QuickRunner
{
    const int Reps = 7;
    const double RepSeconds = 0.12;
    const double WarmupSeconds = 1.0;   // 0.4 s left tiered JIT still optimising some Stakker paths
    /// <summary>The footprint runs before the first case of this order or later: the timer cases, whose
    /// million pending peer timers would stay in the process afterwards</summary>
    const int FootprintBeforeOrder = 10;
    const string ReferenceMethod = "Bcl";

    static readonly (string Method, string Name)[] Frameworks =
    [
        ("Stakker", "Stakker"),
        ("AkkaNet", "Akka.NET"),
        ("ProtoActor", "Proto.Actor"),
    ];

    static string[]? s_only;

    sealed record Measurement(double NsPerOp, double BytesPerOp, double ThreadBytesPerOp, double MinNs, double MaxNs, double CpuNsPerOp);

    sealed record Row(CaseAttribute Case, string ClassName, Measurement?[] Results, string?[] NotApplicable, Measurement? Reference);

    public static int Run(string[] args)
    {
        var total = Stopwatch.StartNew();
        // --only=Stakker (or AkkaNet, ProtoActor; comma-separated) limits the frameworks measured.
        string[]? only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..].Split(',');
        s_only = only;
        string[] filters = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var cases = typeof(QuickRunner).Assembly.GetTypes()
            .Select(t => (Type: t, Case: t.GetCustomAttribute<CaseAttribute>()))
            .Where(x => x.Case is not null)
            .Where(x => filters.Length == 0 || filters.Any(f => x.Type.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Case!.Order)
            .ToList();
        bool footprint = (s_only is null && filters.Length == 0) || filters.Any(f => f.Equals("Footprint", StringComparison.OrdinalIgnoreCase));

        var rows = new List<Row>();
        FootprintRunner.Result? fp = null;
        foreach (var (type, info) in cases)
        {
            // The footprint goes between the message and async cases and the timer cases (whose
            // million pending peer timers would stay in the process afterwards).
            if (footprint && fp is null && info!.Order >= FootprintBeforeOrder) fp = FootprintRunner.Run();
            rows.Add(RunCase(type, info!));
        }
        if (footprint && fp is null) fp = FootprintRunner.Run();

        Console.WriteLine();
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"Quick harness: median of {Reps} repetitions of ~{RepSeconds * 1000:F0} ms after >= {WarmupSeconds * 1000:F0} ms warm-up; ns and bytes per operation.");
        Console.WriteLine();
        PrintTable(rows);
        PrintCpuTable(rows);
        PrintReferenceTable(rows);
        if (fp is not null) FootprintRunner.Print(fp);
        foreach (var row in rows)
            for (int i = 0; i < Frameworks.Length; i++)
                if (row.NotApplicable[i] is { } why) Console.WriteLine($"n/a: {row.Case.Title}, {Frameworks[i].Name}: {why}");
        Console.WriteLine();
        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    static Row RunCase(Type type, CaseAttribute info)
    {
        Console.WriteLine($"{info.Title} ({type.Name}) ...");
        object instance = Activator.CreateInstance(type)!;
        var results = new Measurement?[Frameworks.Length];
        var notApplicable = new string?[Frameworks.Length];
        for (int i = 0; i < Frameworks.Length; i++)
        {
            string name = Frameworks[i].Method;
            if (s_only is not null && !s_only.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                notApplicable[i] = "skipped (--only)";
                continue;
            }
            MethodInfo? bench = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance);
            if (bench?.GetCustomAttribute<BenchmarkAttribute>() is not { } attr)
            {
                notApplicable[i] = type.GetCustomAttributes<NotApplicableAttribute>().FirstOrDefault(a => a.Framework == name)?.Reason ?? "not measured";
                continue;
            }
            Action invoke = MakeInvoker(instance, bench);
            Invoke(type, instance, "Setup" + name);
            try
            {
                results[i] = Measure(invoke, attr.OperationsPerInvoke);
            }
            finally
            {
                Invoke(type, instance, "Cleanup" + name);
            }
            var m = results[i]!;
            Console.WriteLine($"  {Frameworks[i].Name,-12} {m.NsPerOp,10:F1} ns/{info.Unit}  (min {m.MinNs:F1}, max {m.MaxNs:F1}; CPU {m.CpuNsPerOp:F1} ns)  {m.BytesPerOp,8:F1} B/{info.Unit}" +
                              (i == 0 ? $"  (this thread: {m.ThreadBytesPerOp:F1} B)" : ""));
        }
        Measurement? reference = null;
        if (info.Reference is not null && (s_only is null || s_only.Contains(ReferenceMethod, StringComparer.OrdinalIgnoreCase)) &&
            type.GetMethod(ReferenceMethod, BindingFlags.Public | BindingFlags.Instance) is { } refBench &&
            refBench.GetCustomAttribute<BenchmarkAttribute>() is { } refAttr)
        {
            Action invoke = MakeInvoker(instance, refBench);
            Invoke(type, instance, "Setup" + ReferenceMethod);
            try
            {
                reference = Measure(invoke, refAttr.OperationsPerInvoke);
            }
            finally
            {
                Invoke(type, instance, "Cleanup" + ReferenceMethod);
            }
            Console.WriteLine($"  {"BCL ref",-12} {reference.NsPerOp,10:F1} ns/{info.Unit}  (min {reference.MinNs:F1}, max {reference.MaxNs:F1}; CPU {reference.CpuNsPerOp:F1} ns)  {reference.BytesPerOp,8:F1} B/{info.Unit}  ({info.Reference})");
        }
        return new Row(info, type.Name, results, notApplicable, reference);
    }

    static Action MakeInvoker(object instance, MethodInfo bench)
    {
        if (bench.ReturnType == typeof(Task))
        {
            var f = bench.CreateDelegate<Func<Task>>(instance);
            return () => f().GetAwaiter().GetResult();
        }
        return bench.CreateDelegate<Action>(instance);
    }

    static void Invoke(Type type, object instance, string method) =>
        (type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance) ?? throw new MissingMethodException(type.Name, method)).Invoke(instance, null);

    static Measurement Measure(Action invoke, int opsPerInvoke)
    {
        // Warm-up: long enough for tiered compilation to reach its optimised code.
        var sw = Stopwatch.StartNew();
        int invokes = 0;
        while (invokes < 5 || sw.Elapsed.TotalSeconds < WarmupSeconds)
        {
            invoke();
            invokes++;
        }
        double perInvoke = sw.Elapsed.TotalSeconds / invokes;
        int perRep = Math.Max(1, (int)Math.Round(RepSeconds / perInvoke));

        var ns = new double[Reps];
        var bytes = new double[Reps];
        var threadBytes = new double[Reps];
        var cpu = new double[Reps];
        for (int r = 0; r < Reps; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long cpuStart = CpuTime.ProcessNanoseconds();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long threadAllocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perRep; i++) invoke();
            long end = Stopwatch.GetTimestamp();
            long threadAfter = GC.GetAllocatedBytesForCurrentThread();
            long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
            long cpuEnd = CpuTime.ProcessNanoseconds();
            double ops = (double)perRep * opsPerInvoke;
            ns[r] = (end - start) * (1e9 / Stopwatch.Frequency) / ops;
            bytes[r] = (allocatedAfter - allocated) / ops;
            threadBytes[r] = (threadAfter - threadAllocated) / ops;
            cpu[r] = (cpuEnd - cpuStart) / ops;
        }
        return new Measurement(Median(ns), Median(bytes), Median(threadBytes), ns.Min(), ns.Max(), Median(cpu));
    }

    static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void PrintTable(List<Row> rows)
    {
        Console.WriteLine("| Case | per | Stakker | Akka.NET | Proto.Actor | Akka/Stakker | Proto/Stakker | Stakker B/op | Akka B/op | Proto B/op | Stakker goal |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            Measurement? s = row.Results[0], a = row.Results[1], p = row.Results[2];
            string goal = row.Case.GoalNs > 0 && s is not null
                ? $"<= {row.Case.GoalNs:F0} ns: {(s.NsPerOp <= row.Case.GoalNs ? "met" : "not met")}"
                : "";
            Console.WriteLine($"| {row.Case.Title} | {row.Case.Unit} | {Ns(s)} | {Ns(a)} | {Ns(p)} | {Ratio(a, s)} | {Ratio(p, s)} | {B(s)} | {B(a)} | {B(p)} | {goal} |");
        }
    }

    static void PrintCpuTable(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("CPU time per operation, all threads of the process (steadier than wall time on a busy machine; counts the peers' dispatcher threads too):");
        Console.WriteLine();
        Console.WriteLine("| Case | per | Stakker CPU | Akka.NET CPU | Proto.Actor CPU | Akka/Stakker | Proto/Stakker |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            Measurement? s = row.Results[0], a = row.Results[1], p = row.Results[2];
            Console.WriteLine($"| {row.Case.Title} | {row.Case.Unit} | {Cpu(s)} | {Cpu(a)} | {Cpu(p)} | {CpuRatio(a, s)} | {CpuRatio(p, s)} |");
        }
    }

    static void PrintReferenceTable(List<Row> rows)
    {
        if (!rows.Any(r => r.Reference is not null)) return;
        Console.WriteLine();
        Console.WriteLine("Plain .NET reference points (not actor frameworks; the nearest BCL construct, for scale):");
        Console.WriteLine();
        Console.WriteLine("| Case | per | Stakker | BCL reference | BCL/Stakker | Stakker B/op | BCL B/op | Stakker CPU | BCL CPU | reference |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            if (row.Reference is not { } r) continue;
            Measurement? s = row.Results[0];
            Console.WriteLine($"| {row.Case.Title} | {row.Case.Unit} | {Ns(s)} | {Ns(r)} | {Ratio(r, s)} | {B(s)} | {B(r)} | {Cpu(s)} | {Cpu(r)} | {row.Case.Reference} |");
        }
    }

    static string Cpu(Measurement? m) => m is null ? "n/a" : m.CpuNsPerOp.ToString(m.CpuNsPerOp < 100 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ns";
    static string CpuRatio(Measurement? peer, Measurement? stakker) =>
        peer is null || stakker is null || stakker.CpuNsPerOp <= 0 ? "n/a" : (peer.CpuNsPerOp / stakker.CpuNsPerOp).ToString("F1", CultureInfo.InvariantCulture) + "x";

    static string Ns(Measurement? m) => m is null ? "n/a" : m.NsPerOp.ToString(m.NsPerOp < 100 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ns";
    static string B(Measurement? m) => m is null ? "n/a" : m.BytesPerOp.ToString(m.BytesPerOp < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);
    static string Ratio(Measurement? peer, Measurement? stakker) =>
        peer is null || stakker is null ? "n/a" : (peer.NsPerOp / stakker.NsPerOp).ToString("F1", CultureInfo.InvariantCulture) + "x";
}
