#include "matching/plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "auth/gate.hpp"
#include "families/families.hpp"
#include "geo/postcodes.hpp"
#include "matching/assignment.hpp"
#include "matching/candidate_index.hpp"
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
                       const std::optional<std::vector<std::string>>& volunteer_ids,
                       AssignmentProblem* solved_problem) {
  const auth::Principal& p = actor.principal;
  const std::string today = amsterdam_date(actor.clock.now());
  storage::Transaction tx(c);

  std::vector<families::Family> families;
  for (auto& f : families::waiting_families(c, p.organisation_id))
    if (in_scope(p, f.organisation_id, f.team_id)) families.push_back(std::move(f));
  // The eligible volunteers in scope, as positions in the organisation's candidate index.
  const auto index = candidate_index(c, p.organisation_id);
  struct Candidate {
    std::string id;  // for restrict()
    std::size_t at;
  };
  std::vector<Candidate> volunteers;
  for (std::size_t i = 0; i < index->volunteers.size(); ++i) {
    const auto& v = index->volunteers[i];
    if (in_scope(p, v.organisation_id, v.team_id) && volunteers::eligible(v, today))
      volunteers.push_back({v.id, i});
  }

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
  std::set<std::string> family_pc4s;
  for (const auto& f : families)
    if (f.postcode.size() >= 4) family_pc4s.insert(f.postcode.substr(0, 4));
  const auto family_areas = geo::areas_of(c, family_pc4s);  // one query, not one per family
  AssignmentProblem problem;
  problem.families = static_cast<int>(families.size());
  problem.volunteers = static_cast<int>(volunteers.size());
  for (const auto& v : volunteers) {
    const auto& volunteer = index->volunteers[v.at];
    problem.capacity.push_back(volunteer.max_families - volunteer.open_matches);
  }
  problem.score.resize(families.size() * volunteers.size());
  for (std::size_t f = 0; f < families.size(); ++f) {
    const FamilyProfile fp = profile_of(families[f]);
    std::optional<geo::Coordinates> family_area;
    if (families[f].postcode.size() >= 4)
      if (auto it = family_areas.find(families[f].postcode.substr(0, 4)); it != family_areas.end())
        family_area = it->second;
    double* row = &problem.score[f * volunteers.size()];
    for (std::size_t v = 0; v < volunteers.size(); ++v) {
      const std::size_t at = volunteers[v].at;
      const VolunteerProfile& vp = index->profiles[at];
      std::optional<double> km;
      if (family_area && index->areas[at]) km = geo::distance_km(*family_area, *index->areas[at]);
      // Beyond the volunteer's own travel limit a pair is not proposed at all.
      row[v] =
          km && *km > vp.max_distance_km ? std::nan("") : points_of(fp, vp, weights, km).total();
    }
  }
  const Assignment solved = solve(problem);

  Plan plan;
  plan.families_considered = problem.families;
  plan.volunteers_considered = problem.volunteers;
  std::vector<bool> assigned(families.size(), false);
  for (const auto& [f, v] : solved.pairs) {
    const auto& family = families[f];
    const auto& volunteer = index->volunteers[volunteers[v].at];
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
  if (solved_problem) *solved_problem = std::move(problem);
  return plan;
}

}  // namespace oploop::matching
