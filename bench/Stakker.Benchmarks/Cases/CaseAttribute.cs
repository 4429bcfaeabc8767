namespace Stakker.Benchmarks;

/// <summary>How the quick harness names a benchmark class in its table, and in what order</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CaseAttribute(int order, string title, string unit) : Attribute
{
    public int Order { get; } = order;
    /// <summary>Row title in the quick table</summary>
    public string Title { get; } = title;
    /// <summary>What one operation is ("message", "request", "actor", "timer")</summary>
    public string Unit { get; } = unit;
    /// <summary>Stakker's goal in ns per operation (0: none)</summary>
    public double GoalNs { get; init; }
    /// <summary>What the case's optional <c>Bcl</c> method measures: a plain .NET reference point, not
    /// an actor framework, shown in its own table by the quick harness (null: no such method)</summary>
    public string? Reference { get; init; }
}

/// <summary>Why a framework has no figure in a case (shown as "n/a" in the quick table)</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class NotApplicableAttribute(string framework, string reason) : Attribute
{
    public string Framework { get; } = framework;
    public string Reason { get; } = reason;
}
