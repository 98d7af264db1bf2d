// Benchmarks: `dotnet run -c Release --project bench/Bench -- <suite>`. Suites are added per area.
Console.WriteLine("usage: GanAudio.Bench <suite>");
return 2;
