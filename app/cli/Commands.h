#pragma once
#include "Args.h"

namespace nc::cli {

// Each returns the process exit code; errors are thrown as nc::Error and printed by main().
int trainCommand(const Args& args);
int benchCommand(const Args& args);
int predictCommand(const Args& args);
int serveCommand(const Args& args);

} // namespace nc::cli
