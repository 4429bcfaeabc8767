using Microsoft.CodeAnalysis.Diagnostics;

namespace Stakker.Analyzers;

/// <summary>What every Stakker rule does first: skip generated code, run concurrently, and start only
/// in a compilation that references Stakker</summary>
public abstract class StakkerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (StakkerTypes.TryCreate(start.Compilation) is { } types) Start(start, types);
        });
    }

    /// <summary>Registers the rule's actions for a compilation that references Stakker</summary>
    private protected abstract void Start(CompilationStartAnalysisContext start, StakkerTypes types);
}
