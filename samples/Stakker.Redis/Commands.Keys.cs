namespace Stakker.Redis;

// COPY, SORT, SORT_RO and MEMORY: name, id, arity as Redis 7.0's COMMAND reports it. All run on the keyspace.
internal static partial class Commands
{
    // A method, not a static field, for the reason given at TypeCommands.
    static (string Name, Cmd Id, int Arity)[] KeyCommands() =>
    [
        ("copy", Cmd.Copy, -3), ("sort", Cmd.Sort, -2), ("sort_ro", Cmd.SortRo, -2), ("memory", Cmd.Memory, -2),
    ];
}
