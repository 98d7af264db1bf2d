using GanAudio.App.Cli;

return CliApp.Run(args);
