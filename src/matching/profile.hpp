// Matching profiles: the parts of a family and a volunteer that scoring reads, compiled once
// into bit sets so that one pair is scored in a few dozen instructions. Suggestions score every
// candidate of an organisation per request and the plan scores every family × volunteer pair
// (4,000,000 for 2,000 × 2,000), so the per-pair cost is what matters.
//
// Lists are compared as sets: a code listed twice counts once; codes outside the known life
// domains and slots (validation refuses them on input) are ignored.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "families/family.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::matching {

struct Weights {
  int distance = 30;
  int language = 20;
  int availability = 20;
  int skills = 20;
  int preferences = 5;
  int capacity = 5;
};

// Up to four languages kept per side, as two-letter codes packed into 16 bits.
struct Languages {
  std::uint16_t codes[4] = {};
  int count = 0;
};

struct FamilyProfile {
  Languages languages;
  std::uint32_t needs = 0;         // bit per life domain
  std::uint32_t availability = 0;  // bit per slot (day × part of day)
  bool any_language = false;       // the family named no language
  std::string gender_wish;         // "" or no_preference = none
};

struct VolunteerProfile {
  Languages languages;
  std::uint32_t skills = 0;
  std::uint32_t availability = 0;
  std::string gender;
  int max_distance_km = 10;
  int open_matches = 0;
};

FamilyProfile profile_of(const families::Family& f);
VolunteerProfile profile_of(const volunteers::Volunteer& v);

// The points of each criterion for one pair; `distance_km` nullopt when unknown.
struct Points {
  int distance = 0, language = 0, availability = 0, skills = 0, preferences = 0, capacity = 0;
  int total() const {
    return std::clamp(distance + language + availability + skills + preferences + capacity, 0, 100);
  }
};
Points points_of(const FamilyProfile& f, const VolunteerProfile& v, const Weights& w,
                 std::optional<double> distance_km);

// The first of the family's languages the volunteer speaks: packed (0 when none) and as text.
std::uint16_t shared_language_code(const FamilyProfile& f, const VolunteerProfile& v);
std::string shared_language(const FamilyProfile& f, const VolunteerProfile& v);
bool gender_wish_met(const FamilyProfile& f, const VolunteerProfile& v);
int count_of(std::uint32_t bits);

}  // namespace oploop::matching
