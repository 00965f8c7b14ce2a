#pragma once
#include "Args.h"

#include "data/Import.h"

#include <string>
#include <vector>

namespace nc::cli {

// Each returns the process exit code; errors are thrown as nc::Error and printed by main().
int trainCommand(const Args& args);
int benchCommand(const Args& args);
int predictCommand(const Args& args);
int serveCommand(const Args& args);
int importCommand(const Args& args);
int sweepCommand(const Args& args);
int compressCommand(const Args& args); // compress MODEL --quantize int8
int exportJobCommand(const Args& args); // export P.ncproj --format torchrun -o DIR
int generateCommand(const Args& args);  // generate MODEL -n 64 -o grid.png [--reconstruct] [--score C]

// The import options (--size HxW, --channels, --fit, --test-fraction, --cache-dir) for commands
// that read folder: and csv: datasets, and a progress printer (a bar on a terminal, else lines,
// or JSON events with --json).
const std::vector<std::string>& importOptionNames();
void applyImportOptions(const Args& args, DatasetOptions& options);
ImportProgress importProgressPrinter(bool json);

} // namespace nc::cli
