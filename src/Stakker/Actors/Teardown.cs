using System.Diagnostics;
using Stakker.Returns;

namespace Stakker.Actors;

/// <summary>Ends actors without recursion: the Core's work list of endings in progress</summary>
/// <remarks>
/// <para>Ending an actor disposes its state; a state's <c>Dispose</c> usually disposes its children's
/// owners, which ends those children, whose states own more children. Done by recursion, a chain of
/// owners a few thousand deep overflows a 1 MB stack. Here each ending is two steps on an explicit
/// stack instead:</para>
/// <list type="number">
/// <item><b>Begin</b>: the Prep calls are dropped and the state is disposed. An actor ended while that
/// runs (an owner disposed by the <c>Dispose</c>, a <c>Kill</c>) is not ended inside it: its ending
/// is pushed above this one.</item>
/// <item><b>Finish</b>, once every ending pushed above has finished: held Rets answer "no value",
/// async ties end, the owner is told.</item>
/// </list>
/// <para>The endings pushed by one step run in the order they were pushed, each with its whole
/// subtree, before the step's own actor finishes. So a subtree still ends depth first and every
/// child's owner hears of it before the parent's owner hears of the parent, at any depth, in
/// constant stack.</para>
/// <para>An exception from user code in either step (a <c>Dispose</c>, a Ret's callback, a dropped
/// call's "no value") belongs to the actor being ended: the other steps still run, the cause its
/// owner hears carries the error (<see cref="StopCause.TeardownError"/>), and
/// <see cref="Core.ActorEnded"/> reports it. Nothing thrown here reaches another actor's code or
/// escapes <see cref="Core.Run"/>.</para>
/// </remarks>
internal sealed class Teardown(Core core)
{
    struct Step
    {
        internal ActorCellBase Cell;
        internal StopCause Cause;
        internal Exception? Error;
        internal bool Begun;
    }

    Step[] _steps = new Step[8];
    int _count;
    bool _running;

    /// <summary>True while a state's <c>Dispose</c> runs: owners disposed now end their actors with it</summary>
    internal bool InStateDispose { get; private set; }

    /// <summary>Ends <paramref name="cell"/> with <paramref name="cause"/> (first ending wins)</summary>
    /// <remarks>Returns once the actor and everything ended by its ending have finished, unless an
    /// ending is already in progress on this Core: then it is queued behind the current step and
    /// finishes before that loop returns.</remarks>
    internal void End(ActorCellBase cell, StopCause cause)
    {
        if (cell.State == ActorState.Zombie) return;
        // Zombie at once: from here calls to it are dropped and a second ending does nothing.
        cell.State = ActorState.Zombie;
        cell.PendingStop = null;
        if (_running)
        {
            Push(cell, cause);
            return;
        }
        _running = true;
        try
        {
            // The first ending's own step lives here, not on the list: an actor that ends nothing
            // else (the usual case) costs no list traffic at all.
            Exception? error = Begin(cell);
            if (_count > 0) RunSteps();
            Finish(cell, cause, error);
            if (_count > 0) RunSteps();   // endings started by its owner's notify callback or an observer
        }
        finally { _running = false; }
    }

    void Push(ActorCellBase cell, StopCause cause)
    {
        if (_count == _steps.Length) Array.Resize(ref _steps, _steps.Length * 2);
        _steps[_count++] = new Step { Cell = cell, Cause = cause };
    }

    /// <summary>Runs the endings pushed by the first one's Begin (and all they push in turn) to the end</summary>
    void RunSteps()
    {
        if (_count > 1) Array.Reverse(_steps, 0, _count);
        while (_count > 0)
        {
            int top = _count - 1;
            if (!_steps[top].Begun)
            {
                _steps[top].Begun = true;
                Exception? error = Begin(_steps[top].Cell);
                // Begin may have pushed (and grown the array): index again.
                if (error is not null) _steps[top].Error ??= error;
                // Pushed in order, popped from the top: reverse them so the first pushed ends first.
                if (_count - top > 2) Array.Reverse(_steps, top + 1, _count - top - 1);
            }
            else
            {
                Step step = _steps[top];
                _steps[top] = default;
                _count = top;
                Finish(step.Cell, step.Cause, step.Error);
                if (_count - top > 1) Array.Reverse(_steps, top, _count - top);   // ended by its callbacks: in order
            }
        }
        if (_steps.Length > 1024) _steps = new Step[8];   // a deep ending's list is not kept
    }

    /// <summary>Drops the Prep calls and disposes the state</summary>
    Exception? Begin(ActorCellBase cell)
    {
        Exception? error = null;
        object? value = cell.TakeValue();
        Calls.CallQueue prep = cell.Prep.TakeAll();
        while (prep.Pop() is { } call)
        {
            try { call.Drop(core); }
            catch (Exception ex) { error ??= ex; }
        }
        if (value is IDisposable d)
        {
            InStateDispose = true;
            try { d.Dispose(); }
            catch (Exception ex) { error ??= ex; }
            finally { InStateDispose = false; }
        }
        return error;
    }

    /// <summary>Answers held Rets with "no value", ends async ties, tells the owner and the observers</summary>
    void Finish(ActorCellBase cell, StopCause cause, Exception? error)
    {
        if (RetHolding.AbandonAllHeldBy(cell) is { } retError) error ??= retError;
        if (cell.EndExtras() is { } extrasError) error ??= extrasError;
        if (error is not null)
            cause = cause.WithTeardownError(new ActorTeardownException(
                $"Ending {cell.Name} threw while dropping its calls, disposing its state or answering its Rets; the actor has ended regardless.", error));
        Ret<StopCause> notify = cell.Notify;
        cell.Notify = default;
        Exception? notifyError = null;
        try { notify.AnswerInternal(cause); }
        catch (Exception ex) { notifyError = ex; }
        cell.AssertInvariants();
        core.ReportEnded(cell, cause, notifyError);
    }

    [Conditional("DEBUG")]
    internal void AssertIdle() => Debug.Assert(_count == 0 && !_running && !InStateDispose, "No ending is in progress between handlers.");
}
