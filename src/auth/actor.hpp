// The caller of a domain operation: who (principal), from where, and the clock. Every
// domain call that touches personal data takes an Actor.
#pragma once

#include <string>

#include "auth/principal.hpp"
#include "core/clock.hpp"

namespace oploop::auth {

struct Actor {
  const Principal& principal;
  std::string client_ip;
  const Clock& clock;
};

}  // namespace oploop::auth
