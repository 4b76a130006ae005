// Suggestions: eligible volunteers for one waiting family, ranked by a score of 0–100 built
// from six criteria, each with its points and a one-line explanation; and the near misses —
// volunteers who fit but cannot be matched yet — with their blockers. Deterministic: equal
// scores are ordered by distance (unknown last), then by volunteer id. Candidates come from the
// in-memory candidate index (matching/candidate_index.hpp); scoring is on compiled profiles
// (matching/profile.hpp).
//
// Points per criterion (weights per organisation, defaults below, adding up to 100):
//   distance      full within 2 km, falling linearly to 0 at the volunteer's maximum;
//                 half when a postcode area is unknown
//   language      full when volunteer and family share a language
//   availability  the share of the family's wished slots the volunteer has (full if none)
//   skills        the share of the family's needs the volunteer's skills cover (full if none)
//   preferences   full unless the family's volunteer-gender wish is not met
//   capacity      full when the volunteer has no family yet, half when they have room left
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "families/family.hpp"
#include "matching/profile.hpp"
#include "storage/database.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::matching {

struct Reason {
  std::string criterion;
  int points = 0;
  int max_points = 0;
  std::string explanation;  // catalogue key
  std::map<std::string, std::string> args;
};

struct Suggestion {
  std::string volunteer_id;
  std::string volunteer_name;
  int score = 0;
  std::optional<double> distance_km;
  std::vector<Reason> reasons;
};

struct NearMiss {
  std::string volunteer_id;
  std::string volunteer_name;
  std::vector<volunteers::Blocker> blockers;
};

struct Suggestions {
  std::vector<Suggestion> items;
  // The best-scoring near misses (at most `limit`), and how many there are in all.
  std::vector<NearMiss> near_misses;
  int near_misses_total = 0;
};

// The score of one pair with its reasons (no database): `distance_km` nullopt when unknown.
Suggestion score(const families::Family& f, const volunteers::Volunteer& v, const Weights& w,
                 std::optional<double> distance_km);
Suggestion score(const FamilyProfile& fp, const volunteers::Volunteer& v,
                 const VolunteerProfile& vp, const Weights& w, std::optional<double> distance_km);
Weights weights_for(storage::Connection& c, const std::string& organisation_id);

Result<Suggestions> suggest(storage::Connection& c, const auth::Actor& actor,
                            const std::string& family_id, int limit);

}  // namespace oploop::matching
