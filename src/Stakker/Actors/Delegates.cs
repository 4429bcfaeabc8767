namespace Stakker;

// Handler shapes. Pass static lambdas (`static (a, cx, x) => a.Method(cx, x)`): the compiler caches
// them, so making a call allocates nothing. Cx is a ref struct, so it cannot escape the handler.

/// <summary>A call on actor state <typeparamref name="TActor"/> with no arguments</summary>
public delegate void ActorCall<TActor>(TActor actor, Cx<TActor> cx) where TActor : class;
/// <summary>A call on actor state <typeparamref name="TActor"/> with one argument</summary>
public delegate void ActorCall<TActor, in T1>(TActor actor, Cx<TActor> cx, T1 arg1) where TActor : class;
/// <summary>A call on actor state <typeparamref name="TActor"/> with two arguments</summary>
public delegate void ActorCall<TActor, in T1, in T2>(TActor actor, Cx<TActor> cx, T1 arg1, T2 arg2) where TActor : class;
/// <summary>A call on actor state <typeparamref name="TActor"/> with three arguments</summary>
public delegate void ActorCall<TActor, in T1, in T2, in T3>(TActor actor, Cx<TActor> cx, T1 arg1, T2 arg2, T3 arg3) where TActor : class;
/// <summary>A call on actor state <typeparamref name="TActor"/> with four arguments</summary>
public delegate void ActorCall<TActor, in T1, in T2, in T3, in T4>(TActor actor, Cx<TActor> cx, T1 arg1, T2 arg2, T3 arg3, T4 arg4) where TActor : class;

/// <summary>Initialises a Prep actor: returns its state to make it Ready, or null to stay in Prep</summary>
public delegate TActor? ActorInit<TActor>(Cx<TActor> cx) where TActor : class;
/// <summary>Initialises a Prep actor from one argument</summary>
public delegate TActor? ActorInit<TActor, in T1>(Cx<TActor> cx, T1 arg1) where TActor : class;
/// <summary>Initialises a Prep actor from two arguments</summary>
public delegate TActor? ActorInit<TActor, in T1, in T2>(Cx<TActor> cx, T1 arg1, T2 arg2) where TActor : class;
/// <summary>Initialises a Prep actor from three arguments</summary>
public delegate TActor? ActorInit<TActor, in T1, in T2, in T3>(Cx<TActor> cx, T1 arg1, T2 arg2, T3 arg3) where TActor : class;
/// <summary>Initialises a Prep actor from four arguments</summary>
public delegate TActor? ActorInit<TActor, in T1, in T2, in T3, in T4>(Cx<TActor> cx, T1 arg1, T2 arg2, T3 arg3, T4 arg4) where TActor : class;

/// <summary>Reads (or changes) actor state synchronously and returns a result</summary>
public delegate TResult ActorQuery<TActor, out TResult>(TActor actor, Cx<TActor> cx) where TActor : class;
