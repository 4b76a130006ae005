// Organisations (the tenant boundary) and their teams. Managed from the CLI and by the
// admin; project leads manage their own organisation's teams.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::organisations {

struct Organisation {
  std::string id;
  std::string slug;
  std::string name;
  int retention_months = 24;
  int vog_validity_years = 3;
};

struct Team {
  std::string id;
  std::string organisation_id;
  std::string name;
};

// slug: 2–40 of [a-z0-9-], starting with a letter; name 1–200 characters.
Result<Organisation> create_organisation(storage::Connection& c, const Clock& clock,
                                         const std::string& slug, const std::string& name);
std::optional<Organisation> find_by_slug(storage::Connection& c, const std::string& slug);
std::optional<Organisation> find_by_id(storage::Connection& c, const std::string& id);

Result<Team> create_team(storage::Connection& c, const Clock& clock,
                         const std::string& organisation_id, const std::string& name);
std::optional<Team> find_team(storage::Connection& c, const std::string& organisation_id,
                              const std::string& name);
std::optional<Team> find_team_by_id(storage::Connection& c, const std::string& team_id);
std::vector<Team> list_teams(storage::Connection& c, const std::string& organisation_id);

}  // namespace oploop::organisations
