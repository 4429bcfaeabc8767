using Microsoft.CodeAnalysis;

namespace Stakker.Remote.Generators;

internal static class Rules
{
    const string Category = "Stakker.Remote";

    public static readonly DiagnosticDescriptor InterfaceShape = new(
        "STKR001", "Remote interface must be top-level and non-generic",
        "Remote interface '{0}' must be declared at namespace level and must not be generic", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor MethodShape = new(
        "STKR002", "Remote method cannot cross the wire",
        "Remote member '{0}' cannot cross the wire: {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor Overload = new(
        "STKR003", "Remote methods cannot be overloaded",
        "Remote method '{0}' is overloaded; a method's wire identity is its name, so give each a name of its own", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor IdCollision = new(
        "STKR004", "Remote method ids collide",
        "Remote methods '{0}' and '{1}' hash to the same wire id; rename one", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor ArgumentType = new(
        "STKR005", "Remote argument type cannot be serialised safely",
        "Parameter '{0}' of remote method '{1}': {2}", Category, DiagnosticSeverity.Error, true);
}
