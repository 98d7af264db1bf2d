namespace GanAudio.Tensors.Autograd;

/// <summary>Whether ops record onto the tape (per thread). <c>using (GradMode.NoGrad()) { ... }</c> turns it off.</summary>
public static class GradMode
{
    [ThreadStatic] private static int disabled;

    public static bool Enabled => disabled == 0;

    public static IDisposable NoGrad() => new Toggle(true);

    /// <summary>Turns recording back on inside a NoGrad region (used by createGraph backward passes).</summary>
    public static IDisposable EnableGrad() => new Toggle(false);

    private sealed class Toggle : IDisposable
    {
        private readonly int saved;
        private bool done;

        public Toggle(bool disable)
        {
            saved = disabled;
            disabled = disable ? disabled + 1 : 0;
        }

        public void Dispose()
        {
            if (done) return;
            done = true;
            disabled = saved;
        }
    }
}
