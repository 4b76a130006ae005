#include "matching/suggestions.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "families/families.hpp"
#include "geo/postcodes.hpp"
#include "matching/candidate_index.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::matching {
namespace {

std::string format_km(double km) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", km);
  std::string s = buf;
  for (char& ch : s)
    if (ch == '.') ch = ',';  // Dutch decimal comma
  return s;
}

Reason share_reason(const char* criterion, int points, int weight, std::uint32_t wanted,
                    std::uint32_t offered, const char* any_key, const char* key) {
  Reason r{criterion, points, weight, wanted == 0 ? any_key : key, {}};
  r.args["matched"] = std::to_string(count_of(wanted & offered));
  r.args["wanted"] = std::to_string(count_of(wanted));
  return r;
}

}  // namespace

Suggestion score(const families::Family& f, const volunteers::Volunteer& v, const Weights& w,
                 std::optional<double> distance_km) {
  return score(profile_of(f), v, profile_of(v), w, distance_km);
}

Suggestion score(const FamilyProfile& fp, const volunteers::Volunteer& v,
                 const VolunteerProfile& vp, const Weights& w, std::optional<double> distance_km) {
  const Points p = points_of(fp, vp, w, distance_km);
  Suggestion s;
  s.volunteer_id = v.id;
  s.volunteer_name = v.first_name + " " + v.last_name;
  s.distance_km = distance_km;
  // Distance.
  {
    Reason r{"distance", p.distance, w.distance, "", {}};
    if (!distance_km) {
      r.explanation = "suggestion.distance_unknown";
    } else {
      const double d = *distance_km, max = std::max(1, vp.max_distance_km);
      r.args["km"] = format_km(d);
      r.args["max"] = std::to_string(vp.max_distance_km);
      r.explanation = d <= 2.0   ? "suggestion.distance_near"
                      : d >= max ? "suggestion.distance_too_far"
                                 : "suggestion.distance";
    }
    s.reasons.push_back(r);
  }
  // Language.
  {
    Reason r{"language", p.language, w.language, "suggestion.language_none", {}};
    if (fp.any_language) {
      r.explanation = "suggestion.language_unknown";
    } else if (std::string l = shared_language(fp, vp); !l.empty()) {
      r.explanation = "suggestion.language_shared";
      r.args["language"] = l;
    }
    s.reasons.push_back(r);
  }
  s.reasons.push_back(share_reason("availability", p.availability, w.availability, fp.availability,
                                   vp.availability, "suggestion.availability_any",
                                   "suggestion.availability"));
  s.reasons.push_back(share_reason("skills", p.skills, w.skills, fp.needs, vp.skills,
                                   "suggestion.skills_any", "suggestion.skills"));
  s.reasons.push_back(
      {"preferences",
       p.preferences,
       w.preferences,
       gender_wish_met(fp, vp) ? "suggestion.preferences_met" : "suggestion.preferences_gender",
       {}});
  // Capacity.
  {
    Reason r{"capacity",
             p.capacity,
             w.capacity,
             vp.open_matches == 0 ? "suggestion.capacity_free" : "suggestion.capacity_room",
             {}};
    r.args["open"] = std::to_string(vp.open_matches);
    r.args["max"] = std::to_string(v.max_families);
    s.reasons.push_back(r);
  }
  s.score = p.total();
  return s;
}

Weights weights_for(storage::Connection& c, const std::string& organisation_id) {
  Weights w;
  auto row = c.query_one("SELECT weights FROM matching_weights WHERE organisation_id = ?",
                         {organisation_id});
  if (!row) return w;
  auto j = nlohmann::json::parse(row->text(0), nullptr, false);
  if (!j.is_object()) return w;
  w.distance = j.value("distance", w.distance);
  w.language = j.value("language", w.language);
  w.availability = j.value("availability", w.availability);
  w.skills = j.value("skills", w.skills);
  w.preferences = j.value("preferences", w.preferences);
  w.capacity = j.value("capacity", w.capacity);
  return w;
}

Result<Suggestions> suggest(storage::Connection& c, const auth::Actor& actor,
                            const std::string& family_id, int limit) {
  if (limit < 1 || limit > 100) return fail(Error::invalid({{"limit", "validation.limit"}}));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto family = families::load_family(c, family_id);
  Status ok = family ? gate.check(auth::Action::matching_suggest,
                                  {family->organisation_id, family->team_id, {}}, "suggest",
                                  "family", family_id)
                     : Status(fail(gate.missing("suggest", "family", family_id)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  const std::string today = amsterdam_date(actor.clock.now());
  const Weights weights = weights_for(c, family->organisation_id);
  const auto family_area = geo::area_of(c, family->postcode);
  const FamilyProfile fp = profile_of(*family);
  const auto index = candidate_index(c, family->organisation_id);

  // Every candidate is ranked by score alone; only those answered get their reasons.
  struct Ranked {
    std::size_t at;  // position in the index
    int score;
    std::optional<double> km;
  };
  std::vector<Ranked> eligible, blocked;
  // Only volunteers the caller could propose (their team's, or without a team), as the plan
  // does: another team's volunteer would only be refused at "propose". Scope is per team, so
  // it is decided once per team, not once per volunteer.
  std::map<std::optional<std::string>, bool> team_in_scope;
  for (std::size_t i = 0; i < index->volunteers.size(); ++i) {
    const auto& v = index->volunteers[i];
    auto [scope, fresh] = team_in_scope.try_emplace(v.team_id, false);
    if (fresh)
      scope->second = auth::check(actor.principal, auth::Action::matching_suggest,
                                  {v.organisation_id, v.team_id, {}})
                          .has_value();
    if (!scope->second) continue;
    std::optional<double> km;
    if (family_area && index->areas[i]) km = geo::distance_km(*family_area, *index->areas[i]);
    const int points = points_of(fp, index->profiles[i], weights, km).total();
    (volunteers::eligible(v, today) ? eligible : blocked).push_back({i, points, km});
  }
  // Highest score first; equal scores nearest first (unknown distance last), then by id.
  const auto before = [&](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    const double da = a.km.value_or(1e9), db = b.km.value_or(1e9);
    if (da != db) return da < db;
    return index->volunteers[a.at].id < index->volunteers[b.at].id;
  };
  const auto best = [&](std::vector<Ranked>& ranked) {
    const auto top = std::min(ranked.size(), static_cast<std::size_t>(limit));
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top),
                      ranked.end(), before);
    ranked.resize(top);
  };
  Suggestions out;
  out.near_misses_total = static_cast<int>(blocked.size());
  best(eligible);
  best(blocked);
  for (const auto& r : eligible)
    out.items.push_back(score(fp, index->volunteers[r.at], index->profiles[r.at], weights, r.km));
  for (const auto& r : blocked) {
    const auto& v = index->volunteers[r.at];
    out.near_misses.push_back(
        {v.id, v.first_name + " " + v.last_name, volunteers::blockers(v, today)});
  }
  tx.commit();
  return out;
}

}  // namespace oploop::matching
