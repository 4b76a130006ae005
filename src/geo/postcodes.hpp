// Where people live, roughly: the centre of their four-digit postcode area (PC4). Distances
// between two postcodes are great-circle distances between those centres. A postcode whose
// area is unknown has no distance (shown as "afstand onbekend"), never a guessed one.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::geo {

struct Coordinates {
  double latitude = 0;
  double longitude = 0;
};

std::optional<Coordinates> area_of(storage::Connection& c, const std::string& postcode);
// The centres of the given four-digit areas that are known, by PC4.
std::map<std::string, Coordinates> areas_of(storage::Connection& c,
                                            const std::set<std::string>& pc4s);
// The data-version scope of the postcode areas (storage/versions.hpp): bumped by an import.
inline constexpr std::string_view kAreasScope = "postcode_areas";
double distance_km(const Coordinates& a, const Coordinates& b);  // haversine, R = 6371 km

struct ImportReport {
  int rows = 0;     // areas written (inserted or updated)
  int skipped = 0;  // never: any bad row fails the whole import
};

// Loads a CSV of PC4 areas: a header naming a postcode column (pc4, postcode, postcode4) and
// latitude/longitude columns (latitude|lat, longitude|lon|lng), separated by ',' or ';'.
// All-or-nothing: a bad row fails the import with its line number in the message.
Result<ImportReport> import_postcode_areas(storage::Connection& c, const std::string& csv_text);

}  // namespace oploop::geo
