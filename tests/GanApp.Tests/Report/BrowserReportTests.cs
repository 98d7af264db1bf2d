using GanAudio.App.Report;
using Microsoft.Playwright;

namespace GanApp.Tests.Report;

/// <summary>Opens report.html from disk in Debian's Chromium (driven by Playwright, never a downloaded browser) and checks
/// what a reader sees: the loss plot decoded, an audio player whose WAV source loads, and the metrics table.</summary>
public class BrowserReportTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ReportOpensInChromium()
    {
        Assert.SkipWhen(!File.Exists(Chromium), $"chromium not installed ({Chromium} missing; run .ci/install-browser.sh)");
        var driver = Path.Combine(AppContext.BaseDirectory, ".playwright");
        Assert.SkipWhen(!Directory.Exists(driver), $"Playwright's driver is not beside the tests ({driver} missing: a bundle of tools/gpu/pack.sh leaves it out)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var f = new ReportFixture();
        var path = ReportBuilder.Write(f.Run, new ReportOptions());
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        var width = await page.EvaluateAsync<int>(
            "async () => { const i = document.getElementById('loss-plot'); if (!i.complete) await new Promise(r => i.addEventListener('load', r)); return i.naturalWidth; }");
        output.WriteLine($"loss plot natural width {width}");
        Assert.True(width > 0, "the loss plot did not load");
        var historyWidth = await page.EvaluateAsync<int>(
            "async () => { const i = document.getElementById('metrics-history-plot'); if (!i.complete) await new Promise(r => i.addEventListener('load', r)); return i.naturalWidth; }");
        Assert.Equal(900, historyWidth);

        var duration = await page.EvaluateAsync<double>(
            "async () => { const a = document.querySelector('audio'); if (a.readyState < 1) await new Promise((ok, fail) => { a.addEventListener('loadedmetadata', ok); a.addEventListener('error', () => fail(new Error('audio error ' + (a.error && a.error.code)))); a.load(); }); return a.duration; }");
        output.WriteLine($"first audio duration {duration} s");
        Assert.True(duration > 0, "the audio element has no duration");
        Assert.InRange(duration, 1.0, 1.1); // 16384 samples at 16 kHz

        int rows = await page.Locator("#metrics tr").CountAsync();
        Assert.True(rows >= 8, $"metrics table has {rows} rows");
        Assert.Equal("2.50 ± 0.10", (await page.Locator("#metrics tr:nth-child(2) td:nth-child(2)").InnerTextAsync()).Trim());
    }
}
