// `oploop serve`: migrate if needed, then serve HTTP until SIGTERM/SIGINT, with the mail
// worker running beside it.
#pragma once

#include "app/config.hpp"

namespace oploop::cli {

int serve(app::Config config);

}  // namespace oploop::cli
