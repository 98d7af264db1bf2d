using System.CommandLine;
using GanAudio.App.Data;
using GanAudio.App.Evaluation;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary><c>GanApp classifier train</c>: trains the evaluation classifier on a folder of audio (or the built-in tones)
/// with a split by source clip, prints held-out accuracy, and saves the classifier folder.</summary>
public static class ClassifierCommand
{
    public static Command Create()
    {
        var cmd = new Command("classifier", "The genre/class classifier used by 'GanApp eval'.");
        var train = new Command("train", "Train a classifier on a folder of audio (GTZAN layout: one sub-folder per class), or on the built-in tones without --data.");
        var data = new Option<string?>("--data") { Description = "Folder of audio; omit for the built-in synthetic tones" };
        var outDir = new Option<string>("--out") { Description = "Classifier folder to write", Required = true };
        var genres = new Option<string[]?>("--genres") { Description = "Classes (sub-folders) to use, e.g. --genres classical metal", AllowMultipleArgumentsPerToken = true };
        var defaults = new ClassifierTrainOptions(); // the one source of the defaults (the tones override some below)
        var length = new Option<int>("--length") { Description = "Samples per segment (the generator's clip length)", DefaultValueFactory = _ => defaults.SegmentLength };
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate (Hz)", DefaultValueFactory = _ => defaults.FrontEnd.SampleRate };
        var epochs = new Option<int?>("--epochs") { Description = $"Training epochs (default {defaults.Epochs}; 60 for the tones)" };
        var heldOut = new Option<double>("--held-out") { Description = "Share of each class's clips held out", DefaultValueFactory = _ => defaults.HeldOutFraction };
        var folds = new Option<int>("--folds") { Description = "Also report k-fold cross-validated accuracy by clip (0 = off)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Random seed (split, weights, augmentation)", DefaultValueFactory = _ => 0 };
        var arch = new Option<string>("--arch") { Description = "Net: conv (default) or stats (time-pooled band statistics)", DefaultValueFactory = _ => defaults.Architecture };
        var statBands = new Option<int>("--stat-bands") { Description = "Stats net: bands the statistics are taken over (divides 64)", DefaultValueFactory = _ => defaults.StatBands };
        var hidden = new Option<int>("--hidden") { Description = "Hidden (feature) units", DefaultValueFactory = _ => defaults.HiddenUnits };
        var decay = new Option<double>("--weight-decay") { Description = "Adam weight decay", DefaultValueFactory = _ => defaults.WeightDecay };
        var trainHop = new Option<int?>("--train-hop") { Description = "Hop between training segments (default length/4; the length for the tones)" };
        var bandShift = new Option<int?>("--band-shift") { Description = "Augmentation: largest random mel-band shift. Giving it or --conv-bands turns off the choice of setting by cross-validation (then the default is " + $"{defaults.MaxBandShift}; 0 for the tones)" };
        var members = new Option<int>("--members") { Description = "Nets in the ensemble (different seeds, probabilities averaged)", DefaultValueFactory = _ => defaults.Members };
        var bag = new Option<bool>("--bag-clips") { Description = "Each ensemble member trains without one clip per class (default true; --bag-clips false: all members see every clip)", DefaultValueFactory = _ => defaults.BagClips };
        var convBands = new Option<int?>("--conv-bands") { Description = $"Conv net: mel bands averaged into this many before the first layer (divides 64). Without it and --band-shift, the setting is chosen by cross-validation on the training part among: {string.Join(", ", ClassifierSelection.Candidates.Select(c => $"{c.Name} ({c.ConvBands} bands, band shift {c.MaxBandShift})"))}; with one of them, the default is {defaults.ConvBands} (64 for the tones)" };
        var channels = new Option<int[]?>("--channels") { Description = $"Conv net: channels of the conv layers (default {string.Join(" ", defaults.Channels)})", AllowMultipleArgumentsPerToken = true };
        var timeShift = new Option<int>("--time-shift") { Description = "Augmentation: largest random shift over time, in frames", DefaultValueFactory = _ => defaults.MaxTimeShift };
        var mixup = new Option<double>("--mixup") { Description = "Mixup strength (0: off)", DefaultValueFactory = _ => defaults.Mixup };
        foreach (var o in new Option[] { timeShift, mixup, data, outDir, genres, length, rate, epochs, heldOut, folds, seed, arch, statBands, hidden, decay, trainHop, bandShift, members, bag, convBands, channels }) train.Options.Add(o);
        train.SetAction(parse => CliApp.Guard(parse, () =>
        {
            int len = parse.GetValue(length), sr = parse.GetValue(rate), k = parse.GetValue(folds);
            if (len < 2048) throw new UsageException($"--length {len}: use at least 2048 samples");
            if (sr is < 8000 or > 192000) throw new UsageException($"--sample-rate {sr}: use 8000 to 192000 Hz");
            if (parse.GetValue(heldOut) is <= 0 or >= 1) throw new UsageException("--held-out must be between 0 and 1");
            if (parse.GetValue(epochs) is < 1) throw new UsageException($"--epochs {parse.GetValue(epochs)}: a classifier needs at least 1 epoch");
            if (k is 1 or < 0) throw new UsageException("--folds must be 0 or at least 2");
            if (parse.GetValue(arch) is not (ClassifierNet.Conv or ClassifierNet.Stats)) throw new UsageException($"--arch {parse.GetValue(arch)}: use conv or stats");
            if (parse.GetValue(statBands) is var sb && (sb <= 0 || 64 % sb != 0)) throw new UsageException($"--stat-bands {sb}: use a divisor of 64");
            if (parse.GetValue(members) is < 1 or > 16) throw new UsageException($"--members {parse.GetValue(members)}: use 1 to 16");
            if (parse.GetValue(convBands) is int cb && (cb <= 0 || 64 % cb != 0)) throw new UsageException($"--conv-bands {cb}: use a divisor of 64");
            string? folder = parse.GetValue(data);
            AudioDataset ds;
            bool tones = folder is null;
            string grouping = "by clip";
            if (tones) ds = ToneSynth.GenerateDataset(new ToneSynthOptions { SampleRate = sr, Length = len, Seed = 1 });
            else
            {
                if (!Directory.Exists(folder)) throw new UsageException($"--data {folder}: folder not found");
                try
                {
                    ds = AudioDataset.Load(folder!, new DatasetOptions { SampleRate = sr, Genres = parse.GetValue(genres) }, m => Console.Error.WriteLine(m));
                    ds = ClipGroups.Assign(ds, folder!, out grouping);
                }
                catch (DatasetException e)
                {
                    throw new UsageException($"--data {folder}: {e.Message}");
                }
            }
            if (ds.Genres.Count < 2) throw new UsageException($"--data: a classifier needs at least two classes (sub-folders); found {ds.Genres.Count}");
            bool manual = parse.GetValue(convBands) is not null || parse.GetValue(bandShift) is not null;
            var options = new ClassifierTrainOptions
            {
                FrontEnd = new MelParameters { SampleRate = sr, MaxHz = Math.Min(8000, sr / 2.0) },
                SegmentLength = len,
                Architecture = parse.GetValue(arch)!,
                StatBands = parse.GetValue(statBands),
                HiddenUnits = parse.GetValue(hidden),
                MaxTimeShift = parse.GetValue(timeShift),
                Mixup = parse.GetValue(mixup),
                Channels = parse.GetValue(channels) is { Length: > 0 } ch ? ch : defaults.Channels,
                Members = parse.GetValue(members),
                BagClips = parse.GetValue(bag),
                ConvBands = parse.GetValue(convBands) ?? (tones ? 64 : defaults.ConvBands), // pitch classes need every band
                Select = manual is false, // no setting given: cross-validate the candidates on the training part
                WeightDecay = parse.GetValue(decay),
                TrainHop = parse.GetValue(trainHop) ?? (tones ? len : len / 4),
                MaxBandShift = parse.GetValue(bandShift) ?? (tones ? 0 : defaults.MaxBandShift), // pitch classes must not be shifted
                Epochs = parse.GetValue(epochs) ?? (tones ? 60 : defaults.Epochs),
                HeldOutFraction = parse.GetValue(heldOut),
                Seed = parse.GetValue(seed),
                DataLabel = folder ?? "built-in tones",
            };
            Console.WriteLine($"data: {ds.Clips.Count} clips, classes {string.Join(", ", ds.Genres)}; held out {grouping}" +
                              (ClipGroups.HasGroups(ds) ? $" ({ds.Clips.Select(ClipGroups.KeyOf).Distinct().Count()} groups)" : ""));
            if (k >= 2)
            {
                var acc = ClassifierTraining.CrossValidate(ds, options, k, Console.WriteLine);
                Console.WriteLine($"{k}-fold cross-validation {(ClipGroups.HasGroups(ds) ? "by group" : "by clip")}: held-out segment accuracy mean {acc.Average(a => a.Segments):P1}, " +
                                  $"worst fold {acc.Min(a => a.Segments):P1}; clip accuracy mean {acc.Average(a => a.Clips):P1}");
            }
            using var clf = ClassifierTraining.Train(ds, options, Console.WriteLine);
            clf.Save(parse.GetValue(outDir)!);
            var i = clf.Info;
            Console.WriteLine($"held-out accuracy: {i.HeldOutAccuracy:P1} on {i.HeldOutSegments} segments of {i.HeldOutClips} held-out clips " +
                              $"({i.HeldOutClipAccuracy:P0} of the clips; train {i.TrainAccuracy:P1})");
            foreach (var (name, a) in i.HeldOutPerClass) Console.WriteLine($"  {name}: {a:P1}");
            Console.WriteLine(i.Setting is null ? $"setting: given ({i.ConvBands} bands, band shift {i.MaxBandShift})"
                : $"setting: {i.Setting} ({i.ConvBands} bands, band shift {i.MaxBandShift}, ≥ {i.MinSteps} steps" +
                  (i.SelectionScores is { Count: > 0 } sc ? $"; chosen by cross-validation on the training part: {string.Join(", ", sc.Select(kv => $"{kv.Key} {kv.Value:P1}"))})" : ")"));
            Console.WriteLine($"classifier written to {Path.GetFullPath(parse.GetValue(outDir)!)}");
            return 0;
        }));
        cmd.Subcommands.Add(train);
        return cmd;
    }
}
