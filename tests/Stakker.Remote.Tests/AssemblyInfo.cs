// The tests start servers and processes on a 2-core machine and check loss bounds of about a
// second: one class at a time keeps those bounds about the code, not about the machine's load.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
