namespace Stakker.Hosting;

/// <summary>Builds the state of a root actor on the Core's thread, from its context and services</summary>
/// <param name="cx">The new actor's context, valid during the call only (it is a <c>ref struct</c>).</param>
/// <param name="services">The actor's own scope: scoped services live as long as the actor.</param>
/// <returns>The actor's state.</returns>
public delegate T RootActorFactory<T>(Cx<T> cx, IServiceProvider services) where T : class;
