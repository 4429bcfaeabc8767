using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace Stakker.Packaging.Tests;

/// <summary>What a package carries besides the library: readme, licence, docs, symbols with sources</summary>
[Collection(PackedFeed.Collection)]
public class PackageContentTests(PackedFeed feed)
{
    static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Theory]
    [InlineData("Stakker")]
    [InlineData("Stakker.IO")]
    [InlineData("Stakker.Hosting")]
    [InlineData("Stakker.Testing")]
    [InlineData("Stakker.Remote")]
    public void Package_CarriesReadmeLicenceDocsAndTheVersionFromOnePlace(string id)
    {
        using ZipArchive nupkg = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        XElement metadata = XDocument.Load(nupkg.GetEntry(id + ".nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(feed.Version, Field("version"));
        Assert.StartsWith(feed.VersionPrefix + "-", feed.Version);
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")!.Value);
        Assert.Equal("README.md", Field("readme"));
        Assert.NotEmpty(Field("description"));

        string readme = new StreamReader(nupkg.GetEntry("README.md")!.Open()).ReadToEnd();
        Assert.Equal(File.ReadAllText(Path.Combine(feed.RepoRoot, "src", id, "README.md")), readme);
        Assert.NotNull(nupkg.GetEntry($"lib/net10.0/{id}.dll"));
        XDocument docs = XDocument.Load(nupkg.GetEntry($"lib/net10.0/{id}.xml")!.Open());
        Assert.Contains(docs.Descendants("member"), m => m.Attribute("name")!.Value.StartsWith("T:", StringComparison.Ordinal));

        // Packages of one build depend on each other at exactly that build's version.
        foreach (XElement dep in metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value.StartsWith("Stakker", StringComparison.Ordinal)))
            Assert.Equal(feed.Version, dep.Attribute("version")!.Value);
    }

    [Theory]
    [InlineData("Stakker", "Core.cs")]
    [InlineData("Stakker.IO", "TcpStream.cs")]
    [InlineData("Stakker.Hosting", "StakkerRuntime.cs")]
    [InlineData("Stakker.Testing", "Simulation.cs")]
    public void SymbolPackage_HasAPdbWithEverySourceEmbedded_AndPathsMappedForDeterminism(string id, string someSource)
    {
        using ZipArchive snupkg = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.snupkg"));
        using var pdb = new MemoryStream();
        snupkg.GetEntry($"lib/net10.0/{id}.pdb")!.Open().CopyTo(pdb);
        pdb.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();

        var documents = reader.Documents.Select(h => (Handle: h, Name: reader.GetString(reader.GetDocument(h).Name)))
            .Where(d => d.Name.EndsWith(".cs", StringComparison.Ordinal) && !d.Name.Contains("/obj/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(documents, d => d.Name.EndsWith("/" + someSource, StringComparison.Ordinal));
        // ContinuousIntegrationBuild maps the clone's path to /_/: the same sources give the same bits anywhere.
        Assert.All(documents, d => Assert.StartsWith($"/_/src/{id}/", d.Name));
        foreach (var d in documents)
        {
            bool embedded = reader.GetCustomDebugInformation(d.Handle)
                .Any(c => reader.GetGuid(reader.GetCustomDebugInformation(c).Kind) == EmbeddedSource);
            Assert.True(embedded, d.Name + " is not embedded in the PDB");
        }
    }

    [Fact]
    public void RemotePackage_CarriesItsSourceGeneratorAsAnAnalyzer()
    {
        using ZipArchive nupkg = ZipFile.OpenRead(Path.Combine(feed.Feed, $"Stakker.Remote.{feed.Version}.nupkg"));
        Assert.NotNull(nupkg.GetEntry("analyzers/dotnet/cs/Stakker.Remote.Generators.dll"));
        Assert.Null(nupkg.GetEntry("lib/net10.0/Stakker.Remote.Generators.dll"));
    }
}
