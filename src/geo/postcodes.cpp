#include "geo/postcodes.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "core/text.hpp"
#include "storage/versions.hpp"

namespace oploop::geo {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == sep && !quoted) {
      out.push_back(text::trim(cell));
      cell.clear();
    } else {
      cell += ch;
    }
  }
  out.push_back(text::trim(cell));
  return out;
}

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i < header.size(); ++i)
    for (const char* n : names)
      if (text::lower_ascii(header[i]) == n) return static_cast<int>(i);
  return -1;
}

std::optional<double> number(std::string s) {
  for (char& ch : s)
    if (ch == ',') ch = '.';  // Dutch decimal comma
  try {
    std::size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<Coordinates> area_of(storage::Connection& c, const std::string& postcode) {
  if (postcode.size() < 4) return std::nullopt;
  auto row = c.query_one("SELECT latitude, longitude FROM postcode_areas WHERE pc4 = ?",
                         {postcode.substr(0, 4)});
  if (!row) return std::nullopt;
  return Coordinates{row->real(0), row->real(1)};
}

std::map<std::string, Coordinates> areas_of(storage::Connection& c,
                                            const std::set<std::string>& pc4s) {
  std::map<std::string, Coordinates> out;
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
    if (batch.size() == 500) flush();  // bounded parameter lists, one query per 500
  }
  flush();
  return out;
}

double distance_km(const Coordinates& a, const Coordinates& b) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (b.latitude - a.latitude) * kRad;
  const double dlon = (b.longitude - a.longitude) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

Result<ImportReport> import_postcode_areas(storage::Connection& c, const std::string& csv_text) {
  std::istringstream in(csv_text);
  std::string line;
  if (!std::getline(in, line)) return fail(Error::invalid({{"file", "postcodes.empty"}}));
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);  // UTF-8 byte order mark
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const char sep = line.find(';') != std::string::npos ? ';' : ',';
  const auto header = split(line, sep);
  const int pc = column(header, {"pc4", "postcode", "postcode4"});
  const int lat = column(header, {"latitude", "lat"});
  const int lon = column(header, {"longitude", "lon", "lng"});
  if (pc < 0 || lat < 0 || lon < 0) return fail(Error::invalid({{"header", "postcodes.header"}}));
  storage::Transaction tx(c);
  ImportReport report;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (text::trim(line).empty()) continue;
    const auto cells = split(line, sep);
    const auto bad = [&] {
      return fail(Error::invalid({{"line " + std::to_string(line_number), "postcodes.bad_row"}}));
    };
    if (static_cast<int>(cells.size()) <= std::max({pc, lat, lon})) return bad();
    const std::string code = cells[pc];
    auto la = number(cells[lat]), lo = number(cells[lon]);
    if (code.size() != 4 || code[0] < '1' || code[0] > '9' ||
        code.find_first_not_of("0123456789") != std::string::npos || !la || !lo || *la < 50.5 ||
        *la > 53.8 || *lo < 3.2 || *lo > 7.3)
      return bad();
    c.execute("DELETE FROM postcode_areas WHERE pc4 = ?", {code});
    c.execute("INSERT INTO postcode_areas (pc4, latitude, longitude) VALUES (?, ?, ?)",
              {code, *la, *lo});
    ++report.rows;
  }
  storage::bump_version(c, std::string(kAreasScope));  // cached distances are stale now
  tx.commit();
  return report;
}

}  // namespace oploop::geo
