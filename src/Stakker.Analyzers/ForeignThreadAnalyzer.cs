using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0009: an Actor&lt;T&gt; or ActorOwn&lt;T&gt; used inside code that runs on another thread</summary>
/// <remarks>The other threads recognised are those the BCL starts explicitly: a lambda or method
/// group given to <c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>new Thread</c>,
/// <c>ThreadPool.QueueUserWorkItem</c>, <c>Parallel.For/ForEach/Invoke</c> or a
/// <c>System.Threading.Timer</c>. Code inside it that posts back to a Core
/// (<c>Core.PostFromAnyThread</c>, <c>Post</c> and <c>InvokeAsync</c> of <c>CoreThread</c>, <c>CoreSet</c> and <c>SynchronizationContextDriver</c>)
/// runs on that Core again and is left alone, as is anything done with a <c>CrossCoreActor&lt;T&gt;</c>.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForeignThreadAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.ForeignThread];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        var threads = new OtherThreads(start.Compilation);
        start.RegisterOperationAction(c => Check(c, types, threads), OperationKind.Invocation);
    }

    static void Check(OperationAnalysisContext c, StakkerTypes types, OtherThreads threads)
    {
        var call = (IInvocationOperation)c.Operation;
        if (call.Instance is null || call.TargetMethod.IsStatic) return;
        if (call.TargetMethod.ContainingType is not INamedTypeSymbol owner) return;
        bool handle = SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, types.Actor) ||
                      SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, types.ActorOwn);
        if (!handle || owner.TypeArguments.Length != 1) return;
        // Ask is made for other threads: it posts through the Core's wake path.
        if (call.TargetMethod.Name == "Ask") return;
        if (threads.StartedBy(call) is not { } where) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.ForeignThread, call.Syntax.GetLocation(),
            call.TargetMethod.Name, owner.TypeArguments[0].Name, where));
    }

    /// <summary>The BCL entry points that run a delegate on another thread, and those that bring it back</summary>
    sealed class OtherThreads(Compilation c)
    {
        readonly INamedTypeSymbol? _task = c.GetTypeByMetadataName("System.Threading.Tasks.Task");
        readonly INamedTypeSymbol? _taskFactory = c.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        readonly INamedTypeSymbol? _thread = c.GetTypeByMetadataName("System.Threading.Thread");
        readonly INamedTypeSymbol? _threadPool = c.GetTypeByMetadataName("System.Threading.ThreadPool");
        readonly INamedTypeSymbol? _parallel = c.GetTypeByMetadataName("System.Threading.Tasks.Parallel");
        readonly INamedTypeSymbol? _timer = c.GetTypeByMetadataName("System.Threading.Timer");
        readonly INamedTypeSymbol? _core = c.GetTypeByMetadataName("Stakker.Core");
        readonly INamedTypeSymbol? _coreThread = c.GetTypeByMetadataName("Stakker.CoreThread");
        readonly INamedTypeSymbol? _coreSet = c.GetTypeByMetadataName("Stakker.CoreSet");
        readonly INamedTypeSymbol? _contextDriver = c.GetTypeByMetadataName("Stakker.SynchronizationContextDriver");

        /// <summary>"Task.Run" (or the like) if <paramref name="op"/> runs on a thread started there; null otherwise</summary>
        public string? StartedBy(IOperation op)
        {
            for (IOperation? o = op.Parent; o is not null; o = o.Parent)
            {
                if (o is not IAnonymousFunctionOperation and not ILocalFunctionOperation) continue;
                IOperation? use = o.Parent;
                while (use is IDelegateCreationOperation or IConversionOperation) use = use.Parent;
                if (use is IArgumentOperation { Parent: IInvocationOperation inv })
                {
                    if (BringsBack(inv.TargetMethod)) return null;
                    if (Starts(inv.TargetMethod) is { } name) return name;
                }
                else if (use is IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } ctor } }
                         && (Is(ctor.ContainingType, _thread) || Is(ctor.ContainingType, _timer)))
                    return "new " + ctor.ContainingType.Name;
            }
            return null;
        }

        string? Starts(IMethodSymbol m)
        {
            INamedTypeSymbol t = m.ContainingType;
            if (Is(t, _task) && m.Name == "Run") return "Task.Run";
            if (Is(t, _taskFactory) && m.Name == "StartNew") return "TaskFactory.StartNew";
            if (Is(t, _threadPool) && m.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem") return "ThreadPool." + m.Name;
            if (Is(t, _parallel) && m.Name is "For" or "ForEach" or "Invoke") return "Parallel." + m.Name;
            return null;
        }

        bool BringsBack(IMethodSymbol m)
        {
            INamedTypeSymbol t = m.ContainingType;
            return (Is(t, _core) && m.Name == "PostFromAnyThread") ||
                   ((Is(t, _coreThread) || Is(t, _coreSet) || Is(t, _contextDriver)) && m.Name is "Post" or "InvokeAsync");
        }

        static bool Is(INamedTypeSymbol? t, INamedTypeSymbol? want) =>
            want is not null && SymbolEqualityComparer.Default.Equals(t?.OriginalDefinition, want);
    }
}
