#include "dashboard/team_overview.hpp"

#include <map>

#include "auth/policy.hpp"

namespace oploop::dashboard {
namespace {

// One grouped count per figure; each query counts one table for one organisation, so the
// page costs six index scans however many teams there are.
constexpr const char* kNewReferrals =
    "SELECT team_id, COUNT(*) FROM referrals WHERE organisation_id = ? AND status = 'new' "
    "GROUP BY team_id";
constexpr const char* kWaitingFamilies =
    "SELECT team_id, COUNT(*) FROM families WHERE organisation_id = ? AND status = 'waiting' "
    "GROUP BY team_id";
constexpr const char* kRunningMatches =
    "SELECT team_id, COUNT(*) FROM matches WHERE organisation_id = ? "
    "AND status IN ('introduction', 'active', 'stepping_down') GROUP BY team_id";
constexpr const char* kOpenConcerns =
    "SELECT team_id, COUNT(*) FROM concerns WHERE organisation_id = ? "
    "AND status IN ('open', 'acknowledged') GROUP BY team_id";
constexpr const char* kUrgentOpen =
    "SELECT team_id, COUNT(*) FROM concerns WHERE organisation_id = ? AND status = 'open' "
    "AND severity = 'urgent' GROUP BY team_id";
constexpr const char* kAvailableVolunteers =
    "SELECT team_id, COUNT(*) FROM volunteers WHERE organisation_id = ? AND status = 'available' "
    "GROUP BY team_id";

std::map<std::string, int> counts(storage::Connection& c, const char* sql,
                                  const std::string& organisation_id) {
  std::map<std::string, int> out;
  for (const auto& row : c.query(sql, {organisation_id}))
    out[row.text(0)] = static_cast<int>(row.integer(1));
  return out;
}

}  // namespace

Result<std::vector<TeamFigures>> team_overview(storage::Connection& c, const auth::Actor& actor) {
  const auto& p = actor.principal;
  if (auth::scope_of(p.role, auth::Action::team_overview) != auth::Scope::organisation)
    return fail(Error::forbidden());
  const auto referrals = counts(c, kNewReferrals, p.organisation_id);
  const auto waiting = counts(c, kWaitingFamilies, p.organisation_id);
  const auto running = counts(c, kRunningMatches, p.organisation_id);
  const auto concerns = counts(c, kOpenConcerns, p.organisation_id);
  const auto urgent = counts(c, kUrgentOpen, p.organisation_id);
  const auto available = counts(c, kAvailableVolunteers, p.organisation_id);
  const auto at = [](const std::map<std::string, int>& m, const std::string& team) {
    const auto it = m.find(team);
    return it == m.end() ? 0 : it->second;
  };
  std::vector<TeamFigures> out;
  for (const auto& row : c.query("SELECT id, name FROM teams WHERE organisation_id = ? "
                                 "ORDER BY name",
                                 {p.organisation_id})) {
    const std::string team = row.text(0);
    out.push_back({team, row.text(1), at(referrals, team), at(waiting, team), at(running, team),
                   at(concerns, team), at(urgent, team), at(available, team)});
  }
  return out;
}

}  // namespace oploop::dashboard
