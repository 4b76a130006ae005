#include "matching/suggestions.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "families/families.hpp"
#include "geo/postcodes.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::matching {
namespace {

int share(const std::vector<std::string>& wanted, const std::vector<std::string>& offered,
          int weight, int& matched) {
  matched = 0;
  for (const auto& w : wanted)
    if (std::find(offered.begin(), offered.end(), w) != offered.end()) ++matched;
  if (wanted.empty()) return weight;
  return static_cast<int>(std::lround(weight * static_cast<double>(matched) / wanted.size()));
}

std::string format_km(double km) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", km);
  std::string s = buf;
  for (char& ch : s)
    if (ch == '.') ch = ',';  // Dutch decimal comma
  return s;
}

}  // namespace

Suggestion score(const families::Family& f, const volunteers::Volunteer& v, const Weights& w,
                 std::optional<double> distance_km) {
  Suggestion s;
  s.volunteer_id = v.id;
  s.volunteer_name = v.first_name + " " + v.last_name;
  s.distance_km = distance_km;

  // Distance.
  {
    Reason r{"distance", 0, w.distance, "", {}};
    if (!distance_km) {
      r.points = w.distance / 2;
      r.explanation = "suggestion.distance_unknown";
    } else {
      const double d = *distance_km, max = std::max(1, v.max_distance_km);
      r.args["km"] = format_km(d);
      r.args["max"] = std::to_string(v.max_distance_km);
      if (d <= 2.0) {
        r.points = w.distance;
        r.explanation = "suggestion.distance_near";
      } else if (d >= max) {
        r.points = 0;
        r.explanation = "suggestion.distance_too_far";
      } else {
        r.points = static_cast<int>(std::lround(w.distance * (max - d) / (max - 2.0)));
        r.explanation = "suggestion.distance";
      }
    }
    s.reasons.push_back(r);
  }
  // Language.
  {
    Reason r{"language", 0, w.language, "suggestion.language_none", {}};
    for (const auto& l : f.languages) {
      if (std::find(v.languages.begin(), v.languages.end(), l) != v.languages.end()) {
        r.points = w.language;
        r.explanation = "suggestion.language_shared";
        r.args["language"] = l;
        break;
      }
    }
    if (f.languages.empty()) {
      r.points = w.language;
      r.explanation = "suggestion.language_unknown";
    }
    s.reasons.push_back(r);
  }
  // Availability.
  {
    int matched = 0;
    Reason r{"availability",
             share(f.preferences.availability, v.availability, w.availability, matched),
             w.availability,
             "",
             {}};
    r.explanation = f.preferences.availability.empty() ? "suggestion.availability_any"
                                                       : "suggestion.availability";
    r.args["matched"] = std::to_string(matched);
    r.args["wanted"] = std::to_string(f.preferences.availability.size());
    s.reasons.push_back(r);
  }
  // Skills against needs.
  {
    int matched = 0;
    Reason r{"skills", share(f.needs, v.skills, w.skills, matched), w.skills, "", {}};
    r.explanation = f.needs.empty() ? "suggestion.skills_any" : "suggestion.skills";
    r.args["matched"] = std::to_string(matched);
    r.args["wanted"] = std::to_string(f.needs.size());
    s.reasons.push_back(r);
  }
  // Preferences.
  {
    Reason r{"preferences", w.preferences, w.preferences, "suggestion.preferences_met", {}};
    const auto& wish = f.preferences.volunteer_gender;
    if (!wish.empty() && wish != "no_preference" && wish != v.gender) {
      r.points = 0;
      r.explanation = "suggestion.preferences_gender";
    }
    s.reasons.push_back(r);
  }
  // Capacity.
  {
    Reason r{"capacity", 0, w.capacity, "", {}};
    r.args["open"] = std::to_string(v.open_matches);
    r.args["max"] = std::to_string(v.max_families);
    if (v.open_matches == 0) {
      r.points = w.capacity;
      r.explanation = "suggestion.capacity_free";
    } else {
      r.points = w.capacity / 2;
      r.explanation = "suggestion.capacity_room";
    }
    s.reasons.push_back(r);
  }
  for (const auto& r : s.reasons) s.score += r.points;
  s.score = std::clamp(s.score, 0, 100);
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
  // The areas of every candidate in one query, not one per volunteer.
  const auto areas = geo::areas_of_volunteers(c, family->organisation_id);
  Suggestions out;
  for (const auto& v : volunteers::candidates(c, family->organisation_id)) {
    // Only volunteers the caller could propose (their team's, or without a team), as the plan
    // does: another team's volunteer would only be refused at "propose".
    if (!auth::check(actor.principal, auth::Action::matching_suggest,
                     {v.organisation_id, v.team_id, {}}))
      continue;
    std::optional<double> km;
    if (family_area && v.postcode.size() >= 4) {
      if (auto it = areas.find(v.postcode.substr(0, 4)); it != areas.end())
        km = geo::distance_km(*family_area, it->second);
    }
    auto blockers = volunteers::blockers(v, today);
    if (!blockers.empty()) {
      out.near_misses.push_back({v.id, v.first_name + " " + v.last_name, blockers});
      continue;
    }
    out.items.push_back(score(*family, v, weights, km));
  }
  std::sort(out.items.begin(), out.items.end(), [](const Suggestion& a, const Suggestion& b) {
    if (a.score != b.score) return a.score > b.score;
    const double da = a.distance_km.value_or(1e9), db = b.distance_km.value_or(1e9);
    if (da != db) return da < db;
    return a.volunteer_id < b.volunteer_id;
  });
  if (static_cast<int>(out.items.size()) > limit) out.items.resize(limit);
  tx.commit();
  return out;
}

}  // namespace oploop::matching
