using GanAudio.App.Evaluation;
using GanAudio.App.Report;

namespace GanApp.Tests.Report;

public class ReportTests
{
    [Fact]
    public void ReportEmbedsEverythingItShows()
    {
        using var f = new ReportFixture();
        var path = ReportBuilder.Write(f.Run, new ReportOptions { RealClips = 2 });
        var html = File.ReadAllText(path);
        Assert.Contains("id=\"loss-plot\"", html);
        Assert.Contains("id=\"metrics\"", html);
        Assert.Contains("id=\"metrics-history\"", html);
        Assert.Contains("id=\"metrics-history-plot\"", html); // two evaluations with Inception Scores
        Assert.Equal(2 * 3 + 2, CountOf(html, "<audio")); // two steps of three samples, two real clips
        Assert.Equal(2 * 3 + 2, CountOf(html, "class=\"spectrogram\""));
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("src=\"file:", html);
        Assert.True(new FileInfo(path).Length < 5_000_000);
    }

    [Fact]
    public void MetricPlotNeedsTwoEvaluationsWithClassifierMetrics()
    {
        var set = new MetricSet { Count = 8, InceptionScore = 2, FrechetDistance = 10 };
        var a = new EvalEntry { Step = 10, Generated = set, Real = set with { InceptionScore = 6, FrechetDistance = 1 } };
        var b = a with { Step = 20, Generated = set with { InceptionScore = 3, FrechetDistance = 5 } };
        Assert.Null(MetricPlot.Render([a]));
        var noClassifier = new MetricSet { Count = 8, SpectralFlatness = 0.1 };
        Assert.Null(MetricPlot.Render([a with { Generated = noClassifier }, b with { Generated = noClassifier }]));
        var png = MetricPlot.Render([a, b], 640, 300)!;
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(300, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void PickSpreadsStepsAndKeepsTheLast()
    {
        Assert.Equal([1, 4, 7, 10], ReportBuilder.Pick(Enumerable.Range(1, 10).ToList(), 4));
        Assert.Equal([1, 2], ReportBuilder.Pick([1, 2], 6));
    }

    [Fact]
    public void PngHasTheRightSignatureAndSize()
    {
        var png = Spectrogram.RenderPng(Enumerable.Range(0, 4096).Select(i => (float)Math.Sin(i * 0.1)).ToArray(), 256, 128);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(31, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))); // width = frames
        Assert.Equal(128, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))); // height = bins
    }

    private static int CountOf(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
