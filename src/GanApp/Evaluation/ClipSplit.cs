using GanAudio.App.Data;

namespace GanAudio.App.Evaluation;

/// <summary>A split of a dataset by source clip (never by segment): within each class, a seeded shuffle of its clips puts
/// round(count·fraction) of them (at least one when the class has two or more) in the second part. When clips have groups
/// (<see cref="ClipGroups"/>: a speaker's words), whole groups are split instead, across all classes at once, so no group
/// is on both sides.</summary>
public static class ClipSplit
{
    public static (AudioDataset First, AudioDataset Second) Split(AudioDataset ds, double fraction, ulong seed)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in (0, 1)");
        if (ClipGroups.HasGroups(ds))
        {
            var groups = ShuffledGroups(ds, seed);
            int take = groups.Count < 2 ? 0 : Math.Clamp((int)Math.Round(groups.Count * fraction), 1, groups.Count - 1);
            var held = groups.Take(take).ToHashSet();
            return ByGroup(ds, held.Contains);
        }
        var first = new List<Clip>();
        var second = new List<Clip>();
        for (int label = 0; label < ds.Genres.Count; label++)
        {
            var clips = Shuffled(ds, label, seed);
            int take = clips.Count < 2 ? 0 : Math.Clamp((int)Math.Round(clips.Count * fraction), 1, clips.Count - 1);
            second.AddRange(clips.Take(take));
            first.AddRange(clips.Skip(take));
        }
        return (new AudioDataset(ds.Genres, ds.SampleRate, first), new AudioDataset(ds.Genres, ds.SampleRate, second));
    }

    /// <summary>Fold <paramref name="fold"/> of <paramref name="folds"/> by clip: within each class (seeded shuffle), clip i
    /// is held out when i mod folds = fold.</summary>
    public static (AudioDataset Train, AudioDataset HeldOut) Fold(AudioDataset ds, int folds, int fold, ulong seed)
    {
        if (folds < 2 || fold < 0 || fold >= folds) throw new ArgumentOutOfRangeException(nameof(fold), $"fold {fold} of {folds}");
        if (ClipGroups.HasGroups(ds))
        {
            var groups = ShuffledGroups(ds, seed);
            var heldGroups = Enumerable.Range(0, groups.Count).Where(i => i % folds == fold).Select(i => groups[i]).ToHashSet();
            return ByGroup(ds, heldGroups.Contains);
        }
        var train = new List<Clip>();
        var held = new List<Clip>();
        for (int label = 0; label < ds.Genres.Count; label++)
        {
            var clips = Shuffled(ds, label, seed);
            for (int i = 0; i < clips.Count; i++) (i % folds == fold ? held : train).Add(clips[i]);
        }
        return (new AudioDataset(ds.Genres, ds.SampleRate, train), new AudioDataset(ds.Genres, ds.SampleRate, held));
    }

    /// <summary>The distinct group keys, sorted, then in a seeded shuffle.</summary>
    private static List<string> ShuffledGroups(AudioDataset ds, ulong seed)
    {
        var groups = ds.Clips.Select(ClipGroups.KeyOf).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();
        var rng = new SeededRandom(SeededRandom.Mix(seed, 0x9a0b_5UL));
        for (int i = groups.Count - 1; i > 0; i--)
        {
            int j = (int)rng.NextLong(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }
        return groups;
    }

    private static (AudioDataset Train, AudioDataset HeldOut) ByGroup(AudioDataset ds, Func<string, bool> held)
    {
        var rest = ds.Clips.Where(c => !held(ClipGroups.KeyOf(c))).ToList();
        var heldOut = ds.Clips.Where(c => held(ClipGroups.KeyOf(c))).ToList();
        return (new AudioDataset(ds.Genres, ds.SampleRate, rest), new AudioDataset(ds.Genres, ds.SampleRate, heldOut));
    }

    private static List<Clip> Shuffled(AudioDataset ds, int label, ulong seed)
    {
        var clips = ds.Clips.Where(c => c.Label == label).ToList();
        var rng = new SeededRandom(SeededRandom.Mix(seed, (ulong)label));
        for (int i = clips.Count - 1; i > 0; i--)
        {
            int j = (int)rng.NextLong(i + 1);
            (clips[i], clips[j]) = (clips[j], clips[i]);
        }
        return clips;
    }

    /// <summary>Peak-normalised segments of <paramref name="length"/> samples every <paramref name="hop"/> (short clips
    /// zero-padded; near-silent segments dropped), with their labels and source clips.</summary>
    public static (List<float[]> Segments, List<int> Labels, List<string> Sources) Segments(AudioDataset ds, int length, int hop, int? maxPerClip = null)
    {
        var opts = new DatasetOptions
        {
            SampleRate = ds.SampleRate,
            SegmentLength = length,
            Hop = hop,
            SilenceThresholdDb = -50,
            UseCache = false,
        };
        // a tail shorter than a segment is dropped (zero-padded, it is partly silence: on gtzan-mini the padded last
        // segment of every held-out classical clip, 18 of 18 over 9 folds, was called metal); only a clip shorter than one segment is padded
        var segs = new List<float[]>();
        var labels = new List<int>();
        var sources = new List<string>();
        foreach (var clip in ds.Clips)
        {
            SegmentedDataset one;
            try
            {
                one = new SegmentedDataset(new AudioDataset(ds.Genres, ds.SampleRate, [clip]),
                    opts with { Last = clip.Samples.Length < length ? LastSegment.Pad : LastSegment.Drop });
            }
            catch (DatasetException)
            {
                continue; // a silent clip gives no segments
            }
            int count = one.Count, take = maxPerClip is int m ? Math.Min(m, count) : count;
            for (int t = 0; t < take; t++)
            {
                int item = take == count ? t : (int)((long)t * count / take); // spread evenly over the clip
                var x = new float[length];
                labels.Add(one.Fill(item, 0, x));
                segs.Add(x);
                sources.Add(clip.Source);
            }
        }
        return (segs, labels, sources);
    }
}
