using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0006: a handler hands its own actor's state to another actor</summary>
/// <remarks>
/// The state of actor A, inside A's handler, is <c>this</c> (in A's own methods), the state
/// parameter of a handler lambda, or <c>co.State</c> in a coroutine. It leaks when it is an argument
/// of a call, init or spawn aimed at another actor, the answer of a Ret or the value sent on a Fwd,
/// or when a handler lambda given to another actor captures it. A call aimed at <c>cx.This</c> stays
/// within the actor and is left alone; so is any call made outside a handler.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForeignStateAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.ForeignState];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => Check(c, types), OperationKind.Invocation);
    }

    static void Check(OperationAnalysisContext c, StakkerTypes types)
    {
        var call = (IInvocationOperation)c.Operation;
        IMethodSymbol m = call.TargetMethod;
        if (!StakkerTypes.IsStakkerMember(m)) return;
        if (Target(call, types) is not { } target) return;
        HandlerContext where = HandlerContext.Of(call, c.ContainingSymbol, types);
        if (where.Kind is not (HandlerKind.Handler or HandlerKind.Coroutine) || where.ActorType is not { } self) return;

        foreach (var arg in call.Arguments)
        {
            IOperation value = Unwrap(arg.Value);
            if (StateName(value, self, types) is { } name)
            {
                c.ReportDiagnostic(Diagnostic.Create(Rules.ForeignState, arg.Syntax.GetLocation(), "This call", name, target));
            }
            else if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } d && CapturingHandlerAnalyzer.IsQueuedHandler(d.Type)
                && CapturedState(lambda, self, types) is { } captured)
            {
                c.ReportDiagnostic(Diagnostic.Create(Rules.ForeignState, Captures.Head(lambda.Syntax), "This handler lambda", captured, target));
            }
        }
    }

    /// <summary>Who receives what this call carries, if it is not this actor itself; null for calls that stay here</summary>
    static string? Target(IInvocationOperation call, StakkerTypes types)
    {
        IMethodSymbol m = call.TargetMethod;
        INamedTypeSymbol type = m.ContainingType;
        switch (m.Name)
        {
            case "Call" or "Init" or "Ask" or "Pull" or "Ret" or "RetSome" or "Fwd" when types.IsActor(type) || types.IsActorOwn(type):
                return IsSelf(call.Instance, types) ? null : type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            case "Spawn":
                return "a new actor";
            case "Answer" when types.IsRet(type):
                return "the Ret's receiver";
            case "Send" when StakkerTypes.IsOf(type, types.FwdOf) || type.BaseType is { } b && StakkerTypes.IsOf(b, types.FwdOf):
                return "the Fwd's receiver";
        }
        return null;
    }

    /// <summary>True for <c>cx.This</c> or <c>co.This</c></summary>
    static bool IsSelf(IOperation? receiver, StakkerTypes types)
    {
        receiver = receiver is null ? null : Unwrap(receiver);
        return receiver is IPropertyReferenceOperation { Property.Name: "This" } p && (types.IsCx(p.Property.ContainingType) || types.IsAsyncCx(p.Property.ContainingType));
    }

    static IOperation Unwrap(IOperation op)
    {
        while (op is IConversionOperation or IParenthesizedOperation) op = op is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)op).Operand;
        return op;
    }

    /// <summary>"'this'", "'a'" or "'co.State'" if <paramref name="value"/> is this actor's state</summary>
    static string? StateName(IOperation value, ITypeSymbol self, StakkerTypes types) => value switch
    {
        IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } i when StakkerTypes.Is(i.Type, self as INamedTypeSymbol) => "'this'",
        IParameterReferenceOperation p when SymbolEqualityComparer.Default.Equals(p.Type, self) => "'" + p.Parameter.Name + "'",
        IPropertyReferenceOperation { Property.Name: "State" } s when types.IsAsyncCx(s.Property.ContainingType) => "'" + s.Syntax + "'",
        _ => null,
    };

    /// <summary>The state a handler lambda captures from the handler around it, if any</summary>
    static string? CapturedState(IAnonymousFunctionOperation lambda, ITypeSymbol self, StakkerTypes types)
    {
        foreach (var op in lambda.Body.Descendants())
        {
            if (op is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } i && SymbolEqualityComparer.Default.Equals(i.Type, self))
                return "'this'";
            if (op is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Type, self)
                && !SymbolEqualityComparer.Default.Equals(p.Parameter.ContainingSymbol, lambda.Symbol))
                return "'" + p.Parameter.Name + "'";
        }
        return null;
    }
}
