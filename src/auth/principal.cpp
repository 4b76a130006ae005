#include "auth/principal.hpp"

namespace oploop::auth {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::volunteer:
      return "volunteer";
    case Role::coordinator:
      return "coordinator";
    case Role::project_lead:
      return "project_lead";
    case Role::foundation:
      return "foundation";
    case Role::admin:
      return "admin";
  }
  return "volunteer";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r :
       {Role::volunteer, Role::coordinator, Role::project_lead, Role::foundation, Role::admin}) {
    if (to_string(r) == s) return r;
  }
  return std::nullopt;
}

bool requires_two_factor(Role r) { return r != Role::volunteer; }

}  // namespace oploop::auth
