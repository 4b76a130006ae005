// The `oploop` command line: serve, migrate, demo, org/team/user/token add, backup, restore.
// Wrong arguments print a clear message and exit with code 2.
#pragma once

namespace oploop::cli {

int run(int argc, char** argv);

}  // namespace oploop::cli
