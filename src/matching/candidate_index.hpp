// The candidate index: every matching candidate of an organisation (volunteers::candidates),
// with their compiled profiles and area centres, kept in memory between requests. Reading
// 15,000 volunteers from the database takes ~50 ms; suggestions must answer in 10.
//
// Correct across processes: the index is stored under the data versions (storage/versions.hpp)
// of the organisation's candidates and of the postcode areas, read before the data. Every write
// that changes a candidate — a volunteer's profile, screening or state, a match opened or
// closed — bumps the organisation's version in its own transaction (volunteers::
// candidates_changed), and a postcode import bumps the areas' version, so the next request in
// any process sees a different version and rebuilds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/postcodes.hpp"
#include "matching/profile.hpp"
#include "storage/database.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::matching {

struct CandidateIndex {
  std::vector<volunteers::Volunteer> volunteers;  // ordered by id
  std::vector<VolunteerProfile> profiles;         // same order
  std::vector<std::optional<geo::Coordinates>> areas;
};

// The organisation's index, from memory when its versions are unchanged. Call inside the
// request's transaction. Keeps the indexes of at most 64 organisations (least recently used
// dropped).
std::shared_ptr<const CandidateIndex> candidate_index(storage::Connection& c,
                                                      const std::string& organisation_id);

}  // namespace oploop::matching
