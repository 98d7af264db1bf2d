# Thin convenience over the dotnet commands in README.md.
#   ./build.ps1 [restore|build|test|bench|demo]
param([string]$Target = "test")
$ErrorActionPreference = "Stop"
switch ($Target) {
  "restore" { dotnet restore GanAudio.Tests.slnf }
  "build"   { dotnet build GanAudio.sln -c Release }
  "test"    { dotnet test GanAudio.Tests.slnf -c Release }
  "bench"   { dotnet run -c Release --project bench/Bench -- kernels
              dotnet run -c Release --project bench/TorchBench }
  "demo"    { dotnet run --project src/GanApp -c Release -- train }
  default   { throw "unknown target '$Target': use restore, build, test, bench or demo" }
}
