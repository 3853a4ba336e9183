import FMEvolveCLI

FMEvolve.runMain()
