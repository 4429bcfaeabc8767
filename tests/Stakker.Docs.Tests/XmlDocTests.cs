using System.Reflection;
using System.Xml.Linq;

namespace Stakker.Docs.Tests;

/// <summary>
/// Every public type of the four libraries has a summary a reader can use. The compiler's CS1591
/// (an error here: the libraries generate their XML docs and treat warnings as errors) sees a missing
/// comment but not an empty one, so this reads the shipped XML files.
/// </summary>
public class XmlDocTests
{
    public static TheoryData<string> Libraries() =>
        new("Stakker", "Stakker.IO", "Stakker.Hosting", "Stakker.Testing");

    [Theory]
    [MemberData(nameof(Libraries))]
    public void EveryPublicTypeHasASummary(string library)
    {
        var docs = Load(library);
        var missing = Assembly.Load(library).GetExportedTypes()
            .Select(t => "T:" + t.FullName!.Replace('+', '.'))
            .Where(id => !docs.TryGetValue(id, out var member) || !HasSummary(member))
            .Order().ToList();
        Assert.True(missing.Count == 0, $"{library}: public types without a summary: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void NoDocumentedMemberIsEmpty(string library)
    {
        var empty = Load(library).Where(kv => !HasSummary(kv.Value) && !HasAnyText(kv.Value))
            .Select(kv => kv.Key).Order().ToList();
        Assert.True(empty.Count == 0, $"{library}: doc comments with neither text nor inheritdoc: {string.Join(", ", empty)}");
    }

    [Fact]
    public void AnEmptySummaryIsCaught()
    {
        Assert.False(HasSummary(XElement.Parse("<member name='T:X'><summary>  </summary></member>")));
        Assert.True(HasSummary(XElement.Parse("<member name='T:X'><summary>A <see cref='T:Y'/></summary></member>")));
        Assert.False(HasAnyText(XElement.Parse("<member name='M:X.F'><summary/><returns> </returns></member>")));
    }

    static Dictionary<string, XElement> Load(string library)
    {
        string path = Path.Combine(AppContext.BaseDirectory, library + ".xml");
        Assert.True(File.Exists(path), $"{path} is missing: does {library} still generate its XML docs?");
        return XDocument.Load(path).Descendants("member")
            .ToDictionary(m => (string)m.Attribute("name")!, m => m);
    }

    // A member may be documented by its returns, value or exception alone (an internal constructor that
    // only says what it throws), but not by an empty comment.
    static bool HasAnyText(XElement member) =>
        member.Value.Trim().Length > 0 || member.Descendants().Any(d => d.Attribute("cref") is not null);

    // Text, a cref, or an inheritdoc (whose source the compiler has checked) all count; whitespace does not.
    static bool HasSummary(XElement member) =>
        member.Element("inheritdoc") is not null ||
        member.Element("summary") is { } s && (s.Value.Trim().Length > 0 || s.Descendants().Any(d => d.Attribute("cref") is not null));
}
