namespace GanAudio.Tensors;

/// <summary>Collects the tensors created while it is current and disposes them when it ends (one per training step,
/// say). <see cref="Keep"/> hands a tensor to the enclosing scope (or to nobody), so results can outlive the scope.
/// Scopes nest per thread.</summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;
    [ThreadStatic] private static int suspended;
    private readonly List<Tensor> owned = new();
    private readonly TensorScope? parent;
    private readonly TensorScope? previous;
    private readonly int savedSuspended;
    private bool disposed;

    /// <param name="parent">where Keep/Release hand tensors (null when begun while suspended)</param>
    /// <param name="previous">the current scope to restore at Dispose</param>
    /// <param name="savedSuspended">the suspension depth to restore at Dispose</param>
    private TensorScope(TensorScope? parent, TensorScope? previous, int savedSuspended)
    {
        this.parent = parent;
        this.previous = previous;
        this.savedSuspended = savedSuspended;
    }

    public static TensorScope? Current => suspended > 0 ? null : current;

    /// <summary>Starts a scope: <c>using var scope = TensorScope.Begin();</c> A scope begun inside
    /// <see cref="Suspend"/> collects its own tensors (the suspension resumes when it ends).</summary>
    public static TensorScope Begin()
    {
        var s = new TensorScope(Current, current, suspended);
        current = s;
        suspended = 0;
        return s;
    }

    /// <summary>While the returned handle lives, new tensors belong to no scope (parameters, optimizer state).</summary>
    public static IDisposable Suspend()
    {
        suspended++;
        return new Resume();
    }

    internal static void Register(Tensor t)
    {
        var s = Current;
        if (s is null) return;
        t.Scope = s;
        s.owned.Add(t);
    }

    /// <summary>Moves <paramref name="t"/> to the enclosing scope (or to no scope) and returns it.</summary>
    public static Tensor Keep(Tensor t)
    {
        var s = t.Scope;
        if (s is null) return t;
        t.Scope = s.parent;
        s.parent?.owned.Add(t);
        return t;
    }

    /// <summary>Removes <paramref name="t"/> from every scope: the caller now owns it.</summary>
    public static Tensor Escape(Tensor t)
    {
        t.Scope = null;
        return t;
    }

    /// <summary>If this scope owns <paramref name="t"/>, hands it to the enclosing scope (or to nobody).</summary>
    public Tensor Release(Tensor t)
    {
        if (ReferenceEquals(t.Scope, this))
        {
            t.Scope = parent;
            parent?.owned.Add(t);
        }
        return t;
    }

    public int Count => owned.Count;

    /// <summary>Every tensor made while this scope was current, including those handed on since.</summary>
    internal IReadOnlyList<Tensor> Registered => owned;

    /// <summary>The tensors this scope owns now (a snapshot; disposed ones included).</summary>
    internal List<Tensor> OwnedNow() => owned.Where(t => ReferenceEquals(t.Scope, this)).ToList();

    /// <summary>Hands every tensor this scope owns to the enclosing scope (or to nobody).</summary>
    internal void ReleaseAll()
    {
        foreach (var t in OwnedNow()) Release(t);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in owned)
            if (ReferenceEquals(t.Scope, this)) t.Dispose();
        owned.Clear();
        if (ReferenceEquals(current, this))
        {
            current = previous;
            suspended = savedSuspended;
        }
    }

    private sealed class Resume : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            suspended--;
        }
    }
}
