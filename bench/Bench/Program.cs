using System.Reflection;
using GanAudio.Bench;

var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
    .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name)
    .ToList();
var chosen = args.Length > 0 ? suites.FirstOrDefault(s => s.Name == args[0]) : null;
if (chosen is null)
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Bench -- <suite> [args]");
    foreach (var s in suites) Console.WriteLine($"  {s.Name,-12} {s.Description}");
    return args.Length == 0 ? 0 : 2;
}
return chosen.Run(args[1..]);
