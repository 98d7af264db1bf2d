using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>Decodes scanned files into mono clips at the target rate, in parallel, in a deterministic order.</summary>
internal static class DatasetLoader
{
    public static AudioDataset Decode(ScanResult scan, DatasetOptions options, Action<string>? log)
    {
        var results = new (float[]? Samples, string? Error, IReadOnlyList<string> Warnings)[scan.Files.Count];
        Parallel.For(0, scan.Files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var f = scan.Files[i];
            try
            {
                var audio = AudioFile.Read(f.FullPath);
                var mono = audio.ToMono(options.Channels);
                results[i] = (Resampler.Resample(mono, audio.SampleRate, options.SampleRate), null, audio.Warnings);
            }
            catch (AudioFormatException e)
            {
                results[i] = (null, e.Reason.Length > 0 ? e.Reason : e.Message, []);
            }
            catch (ArgumentException e) // resampling ratio too extreme
            {
                results[i] = (null, e.Message, []);
            }
        });

        var clips = new List<Clip>();
        var skipped = new List<SkippedFile>();
        for (int i = 0; i < results.Length; i++)
        {
            var f = scan.Files[i];
            var (samples, error, warnings) = results[i];
            foreach (var w in warnings) log?.Invoke($"warning: {f.RelativePath}: {w}");
            if (samples is null)
            {
                skipped.Add(new SkippedFile(f.RelativePath, error!));
                log?.Invoke($"warning: skipped {f.RelativePath}: {error}");
            }
            else clips.Add(new Clip(f.RelativePath, scan.LabelOf(f.Genre), samples));
        }
        return new AudioDataset(scan.Genres, options.SampleRate, clips, skipped);
    }
}
