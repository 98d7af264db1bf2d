namespace GanAudio.Tensors.Tests;

/// <summary>TensorScope: temporaries are disposed at scope end; Keep, Escape, Release, nesting and Suspend.</summary>
public class ScopeTests
{
    private static Tensor Make() => Tensor.Zeros([2]);

    [Fact]
    public void TemporariesAreDisposedAtScopeEnd()
    {
        using var outside = Make();
        Tensor inside;
        using (var scope = TensorScope.Begin())
        {
            inside = Make() + outside;
            Assert.Same(scope, TensorScope.Current);
            Assert.True(scope.Count >= 2);
        }
        Assert.True(inside.IsDisposed);
        Assert.False(outside.IsDisposed);
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void NestedScopesDisposeTheirOwnTensorsAndRestoreTheOuterScope()
    {
        using var outer = TensorScope.Begin();
        var a = Make();
        Tensor b;
        using (var inner = TensorScope.Begin())
        {
            b = Make();
            Assert.Same(inner, TensorScope.Current);
        }
        Assert.True(b.IsDisposed);
        Assert.False(a.IsDisposed);
        Assert.Same(outer, TensorScope.Current);
        var c = Make();
        outer.Dispose();
        Assert.True(a.IsDisposed);
        Assert.True(c.IsDisposed);
    }

    [Fact]
    public void KeepHandsATensorToTheEnclosingScope()
    {
        Tensor kept;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
                kept = TensorScope.Keep(Make());
            Assert.False(kept.IsDisposed);
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void KeepInTheOutermostScopeHandsTheTensorToTheCaller()
    {
        Tensor kept;
        using (var scope = TensorScope.Begin())
            kept = TensorScope.Keep(Make());
        Assert.False(kept.IsDisposed);
        kept.Dispose();
    }

    [Fact]
    public void EscapeRemovesATensorFromEveryScope()
    {
        Tensor escaped;
        using (var outer = TensorScope.Begin())
        using (var inner = TensorScope.Begin())
            escaped = TensorScope.Escape(Make());
        Assert.False(escaped.IsDisposed);
        escaped.Dispose();
    }

    [Fact]
    public void ReleaseOnlyMovesTensorsTheScopeOwns()
    {
        using var outer = TensorScope.Begin();
        var ownedByOuter = Make();
        Tensor released;
        using (var inner = TensorScope.Begin())
        {
            released = inner.Release(Make());
            inner.Release(ownedByOuter);
        }
        Assert.False(released.IsDisposed);
        Assert.False(ownedByOuter.IsDisposed);
        outer.Dispose();
        Assert.True(released.IsDisposed);
        Assert.True(ownedByOuter.IsDisposed);
    }

    [Fact]
    public void SuspendCreatesUnownedTensors()
    {
        Tensor param, temp;
        using (var scope = TensorScope.Begin())
        {
            using (TensorScope.Suspend())
            {
                Assert.Null(TensorScope.Current);
                param = Make();
            }
            Assert.Same(scope, TensorScope.Current);
            temp = Make();
        }
        Assert.False(param.IsDisposed);
        Assert.True(temp.IsDisposed);
        param.Dispose();
    }

    /// <summary>A scope begun while suspended (say a helper that computes something for parameter initialisation)
    /// still collects its own temporaries, and Keep from it hands tensors to nobody, not to the suspended scope.</summary>
    [Fact]
    public void ScopeBegunInsideSuspendCollectsItsTemporaries()
    {
        Tensor temp, kept;
        using (var outer = TensorScope.Begin())
        {
            using (TensorScope.Suspend())
            {
                using (var inner = TensorScope.Begin())
                {
                    Assert.Same(inner, TensorScope.Current);
                    temp = Make();
                    kept = TensorScope.Keep(Make());
                }
                Assert.Null(TensorScope.Current);
            }
            Assert.Same(outer, TensorScope.Current);
        }
        Assert.True(temp.IsDisposed);
        Assert.False(kept.IsDisposed);
        kept.Dispose();
    }

    [Fact]
    public void DisposingAScopeTwiceIsHarmless()
    {
        var scope = TensorScope.Begin();
        var t = Make();
        scope.Dispose();
        scope.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void ViewsKeepStorageAliveAfterTheBaseIsDisposedByAScope()
    {
        Tensor view;
        using (var scope = TensorScope.Begin())
        {
            var baseT = Tensor.Arange(6, dtype: Kernels.DType.Float64).Reshape(2, 3);
            view = TensorScope.Keep(baseT.T());
        }
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, view.ToDoubleArray());
        view.Dispose();
    }
}
