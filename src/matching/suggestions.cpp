#include "matching/suggestions.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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

// The points of each criterion. score() adds the explanations; suggest() ranks every eligible
// volunteer by the total alone and explains only the few it answers with.
struct Points {
  int distance = 0, language = 0, availability = 0, skills = 0, preferences = 0, capacity = 0;
  int total() const {
    return std::clamp(distance + language + availability + skills + preferences + capacity, 0, 100);
  }
};

// The first of the family's languages the volunteer speaks, or nullptr.
const std::string* shared_language(const families::Family& f, const volunteers::Volunteer& v) {
  for (const auto& l : f.languages)
    if (std::find(v.languages.begin(), v.languages.end(), l) != v.languages.end()) return &l;
  return nullptr;
}

bool gender_wish_met(const families::Family& f, const volunteers::Volunteer& v) {
  const auto& wish = f.preferences.volunteer_gender;
  return wish.empty() || wish == "no_preference" || wish == v.gender;
}

Points points_of(const families::Family& f, const volunteers::Volunteer& v, const Weights& w,
                 std::optional<double> distance_km) {
  Points p;
  if (!distance_km) {
    p.distance = w.distance / 2;
  } else {
    const double d = *distance_km, max = std::max(1, v.max_distance_km);
    if (d <= 2.0)
      p.distance = w.distance;
    else if (d >= max)
      p.distance = 0;
    else
      p.distance = static_cast<int>(std::lround(w.distance * (max - d) / (max - 2.0)));
  }
  p.language = f.languages.empty() || shared_language(f, v) ? w.language : 0;
  int matched = 0;
  p.availability = share(f.preferences.availability, v.availability, w.availability, matched);
  p.skills = share(f.needs, v.skills, w.skills, matched);
  p.preferences = gender_wish_met(f, v) ? w.preferences : 0;
  p.capacity = v.open_matches == 0 ? w.capacity : w.capacity / 2;
  return p;
}

// The centres of the given four-digit areas (bounded parameter lists, one query per 500).
std::map<std::string, geo::Coordinates> areas_of(storage::Connection& c,
                                                 const std::set<std::string>& pc4s) {
  std::map<std::string, geo::Coordinates> out;
  std::vector<storage::Value> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    std::string sql = "SELECT pc4, latitude, longitude FROM postcode_areas WHERE pc4 IN (?";
    for (std::size_t i = 1; i < batch.size(); ++i) sql += ", ?";
    for (const auto& r : c.query(sql + ")", batch)) out[r.text(0)] = {r.real(1), r.real(2)};
    batch.clear();
  };
  for (const auto& pc4 : pc4s) {
    batch.emplace_back(pc4);
    if (batch.size() == 500) flush();
  }
  flush();
  return out;
}

}  // namespace

Suggestion score(const families::Family& f, const volunteers::Volunteer& v, const Weights& w,
                 std::optional<double> distance_km) {
  const Points p = points_of(f, v, w, distance_km);
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
      const double d = *distance_km, max = std::max(1, v.max_distance_km);
      r.args["km"] = format_km(d);
      r.args["max"] = std::to_string(v.max_distance_km);
      r.explanation = d <= 2.0   ? "suggestion.distance_near"
                      : d >= max ? "suggestion.distance_too_far"
                                 : "suggestion.distance";
    }
    s.reasons.push_back(r);
  }
  // Language.
  {
    Reason r{"language", p.language, w.language, "suggestion.language_none", {}};
    if (f.languages.empty()) {
      r.explanation = "suggestion.language_unknown";
    } else if (const std::string* l = shared_language(f, v)) {
      r.explanation = "suggestion.language_shared";
      r.args["language"] = *l;
    }
    s.reasons.push_back(r);
  }
  // Availability.
  {
    int matched = 0;
    share(f.preferences.availability, v.availability, w.availability, matched);
    Reason r{"availability", p.availability, w.availability, "", {}};
    r.explanation = f.preferences.availability.empty() ? "suggestion.availability_any"
                                                       : "suggestion.availability";
    r.args["matched"] = std::to_string(matched);
    r.args["wanted"] = std::to_string(f.preferences.availability.size());
    s.reasons.push_back(r);
  }
  // Skills against needs.
  {
    int matched = 0;
    share(f.needs, v.skills, w.skills, matched);
    Reason r{"skills", p.skills, w.skills, "", {}};
    r.explanation = f.needs.empty() ? "suggestion.skills_any" : "suggestion.skills";
    r.args["matched"] = std::to_string(matched);
    r.args["wanted"] = std::to_string(f.needs.size());
    s.reasons.push_back(r);
  }
  // Preferences.
  s.reasons.push_back(
      {"preferences",
       p.preferences,
       w.preferences,
       gender_wish_met(f, v) ? "suggestion.preferences_met" : "suggestion.preferences_gender",
       {}});
  // Capacity.
  {
    Reason r{"capacity",
             p.capacity,
             w.capacity,
             v.open_matches == 0 ? "suggestion.capacity_free" : "suggestion.capacity_room",
             {}};
    r.args["open"] = std::to_string(v.open_matches);
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
  Suggestions out;
  // Every eligible volunteer is ranked by score alone; only those answered get their reasons.
  struct Ranked {
    const volunteers::Volunteer* volunteer;
    int score;
    std::optional<double> km;
  };
  std::vector<Ranked> ranked;
  const auto candidates = volunteers::candidates(c, family->organisation_id);
  std::set<std::string> pc4s;
  for (const auto& v : candidates)
    if (v.postcode.size() >= 4) pc4s.insert(v.postcode.substr(0, 4));
  // The areas of every candidate in one query, not one per volunteer.
  const auto areas = family_area ? areas_of(c, pc4s) : std::map<std::string, geo::Coordinates>{};
  for (const auto& v : candidates) {
    // Only volunteers the caller could propose (their team's, or without a team), as the plan
    // does: another team's volunteer would only be refused at "propose".
    if (!auth::check(actor.principal, auth::Action::matching_suggest,
                     {v.organisation_id, v.team_id, {}}))
      continue;
    auto blockers = volunteers::blockers(v, today);
    if (!blockers.empty()) {
      out.near_misses.push_back({v.id, v.first_name + " " + v.last_name, std::move(blockers)});
      continue;
    }
    std::optional<double> km;
    if (family_area && v.postcode.size() >= 4) {
      if (auto it = areas.find(v.postcode.substr(0, 4)); it != areas.end())
        km = geo::distance_km(*family_area, it->second);
    }
    ranked.push_back({&v, points_of(*family, v, weights, km).total(), km});
  }
  // Highest score first; equal scores nearest first (unknown distance last), then by id.
  const auto before = [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    const double da = a.km.value_or(1e9), db = b.km.value_or(1e9);
    if (da != db) return da < db;
    return a.volunteer->id < b.volunteer->id;
  };
  const auto top = std::min(ranked.size(), static_cast<std::size_t>(limit));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    before);
  for (std::size_t i = 0; i < top; ++i)
    out.items.push_back(score(*family, *ranked[i].volunteer, weights, ranked[i].km));
  tx.commit();
  return out;
}

}  // namespace oploop::matching
