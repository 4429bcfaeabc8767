namespace Stakker.Docs.Tests.Cookbook;

#region doc:cookbook-several-cores-tally
sealed class Tally
{
    readonly Dictionary<string, int> _counts = [];

    public void Add(Cx<Tally> cx, string word) => _counts[word] = _counts.GetValueOrDefault(word) + 1;

    public int CountOf(string word) => _counts.GetValueOrDefault(word);
}
#endregion

public class SeveralCoresTests
{
    [Fact]
    public async Task WordsAreCountedOnTheCoreTheirKeyMapsTo()
    {
        #region doc:cookbook-several-cores
        await using var set = new CoreSet(new CoreSetOptions { Count = 2 });
        var tallies = new CrossCoreActor<Tally>[set.Count];
        for (int i = 0; i < set.Count; i++)
            tallies[i] = await set.SpawnAsync<Tally>(i, static cx => new Tally());

        foreach (string word in "the cat saw the dog and the bird".Split(' '))
            tallies[set.CoreFor(word)].Call(static (t, cx, w) => t.Add(cx, w), word);   // from any thread

        int home = set.CoreFor("the");
        int count = await set.InvokeAsync(home, core =>                                 // after those calls
            tallies[home].TryGetLocal(out Actor<Tally> tally) ? tally.Query(static (t, cx) => t.CountOf("the")) : -1);
        await set.StopAsync();                                                          // count == 3
        #endregion
        Assert.Equal(3, count);
        Assert.True(set.Completion.IsCompletedSuccessfully);
    }
}
