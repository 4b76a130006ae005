#include "matching/plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "auth/gate.hpp"
#include "families/families.hpp"
#include "geo/postcodes.hpp"
#include "matching/assignment.hpp"
#include "matching/suggestions.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::matching {
namespace {

bool in_scope(const auth::Principal& p, const std::string& organisation_id,
              const std::optional<std::string>& team_id) {
  return auth::check(p, auth::Action::matching_suggest, {organisation_id, team_id, {}}).has_value();
}

}  // namespace

Result<Plan> make_plan(storage::Connection& c, const auth::Actor& actor,
                       const std::optional<std::vector<std::string>>& family_ids,
                       const std::optional<std::vector<std::string>>& volunteer_ids) {
  const auth::Principal& p = actor.principal;
  const std::string today = amsterdam_date(actor.clock.now());
  storage::Transaction tx(c);

  std::vector<families::Family> families;
  for (auto& f : families::waiting_families(c, p.organisation_id))
    if (in_scope(p, f.organisation_id, f.team_id)) families.push_back(std::move(f));
  std::vector<volunteers::Volunteer> volunteers;
  for (auto& v : volunteers::candidates(c, p.organisation_id))
    if (in_scope(p, v.organisation_id, v.team_id) && volunteers::blockers(v, today).empty())
      volunteers.push_back(std::move(v));

  // A requested id that is not a waiting family / eligible volunteer in scope is an error the
  // caller should see, not something silently dropped.
  auto restrict = [](auto& items, const std::vector<std::string>& ids,
                     const char* field) -> Status {
    std::set<std::string> wanted(ids.begin(), ids.end());
    std::erase_if(items, [&](const auto& item) { return !wanted.count(item.id); });
    if (items.size() != wanted.size()) return fail(Error::invalid({{field, "plan.unknown_ids"}}));
    return {};
  };
  if (family_ids) TRY_STATUS(restrict(families, *family_ids, "family_ids"));
  if (volunteer_ids) TRY_STATUS(restrict(volunteers, *volunteer_ids, "volunteer_ids"));

  const Weights weights = weights_for(c, p.organisation_id);
  const auto areas = geo::areas_of_volunteers(c, p.organisation_id);
  AssignmentProblem problem;
  problem.families = static_cast<int>(families.size());
  problem.volunteers = static_cast<int>(volunteers.size());
  for (const auto& v : volunteers) problem.capacity.push_back(v.max_families - v.open_matches);
  problem.score.resize(families.size() * volunteers.size());
  for (std::size_t f = 0; f < families.size(); ++f) {
    const auto family_area = geo::area_of(c, families[f].postcode);
    for (std::size_t v = 0; v < volunteers.size(); ++v) {
      std::optional<double> km;
      if (family_area && volunteers[v].postcode.size() >= 4) {
        if (auto it = areas.find(volunteers[v].postcode.substr(0, 4)); it != areas.end())
          km = geo::distance_km(*family_area, it->second);
      }
      // Beyond the volunteer's own travel limit a pair is not proposed at all.
      problem.score[f * volunteers.size() + v] =
          km && *km > volunteers[v].max_distance_km
              ? std::nan("")
              : score(families[f], volunteers[v], weights, km).score;
    }
  }
  const Assignment solved = solve(problem);

  Plan plan;
  plan.families_considered = problem.families;
  plan.volunteers_considered = problem.volunteers;
  std::vector<bool> assigned(families.size(), false);
  for (const auto& [f, v] : solved.pairs) {
    const auto& family = families[f];
    const auto& volunteer = volunteers[v];
    const int s = static_cast<int>(std::lround(problem.score[f * volunteers.size() + v]));
    plan.assignments.push_back({family.id, family.display_name, volunteer.id,
                                volunteer.first_name + " " + volunteer.last_name, s});
    plan.total_score += s;
    assigned[f] = true;
  }
  for (std::size_t f = 0; f < families.size(); ++f)
    if (!assigned[f]) plan.unassigned_family_ids.push_back(families[f].id);
  auth::Gate(c, actor).log("plan", "family", "",
                           "families=" + std::to_string(plan.families_considered) +
                               ",volunteers=" + std::to_string(plan.volunteers_considered));
  tx.commit();
  return plan;
}

}  // namespace oploop::matching
