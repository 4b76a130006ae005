// Who is asking: the signed-in user as the session or token proves it. The tenant
// (organisation, role, teams) always comes from here, never from the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oploop::auth {

enum class Role { volunteer, coordinator, project_lead, foundation, admin };

std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);
// Roles that must have TOTP two-factor before they reach any page.
bool requires_two_factor(Role r);

struct Principal {
  std::string user_id;
  std::string organisation_id;
  Role role = Role::volunteer;
  std::vector<std::string> team_ids;
  std::string name;
  std::string email;
  std::string language = "nl";  // "nl" or "en"
  bool via_token = false;       // bearer token (no CSRF) rather than session cookie
  std::string session_id_hash;  // when via a session
  std::string csrf_token;       // when via a session
};

}  // namespace oploop::auth
