#include "matching/profile.hpp"

#include <bit>
#include <cmath>

namespace oploop::matching {
namespace {

std::uint16_t pack(const std::string& code) {
  if (code.size() != 2) return 0;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(code[0]) << 8) |
                                    static_cast<unsigned char>(code[1]));
}

Languages languages_of(const std::vector<std::string>& codes) {
  Languages out;
  for (const auto& code : codes) {
    const std::uint16_t p = pack(code);
    if (p == 0 || out.count == 4) continue;
    if (std::find(out.codes, out.codes + out.count, p) == out.codes + out.count)
      out.codes[out.count++] = p;
  }
  return out;
}

std::uint32_t domains_of(const std::vector<std::string>& codes) {
  const auto& domains = families::life_domains();
  std::uint32_t bits = 0;
  for (const auto& code : codes)
    if (auto it = std::find(domains.begin(), domains.end(), code); it != domains.end())
      bits |= 1u << (it - domains.begin());
  return bits;
}

// mon_morning → bit 0, mon_afternoon → 1, … sun_evening → 20.
std::uint32_t slots_of(const std::vector<std::string>& codes) {
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* const kParts[] = {"morning", "afternoon", "evening"};
  std::uint32_t bits = 0;
  for (const auto& code : codes)
    for (int d = 0; d < 7; ++d)
      for (int p = 0; p < 3; ++p)
        if (code == std::string(kDays[d]) + "_" + kParts[p]) bits |= 1u << (d * 3 + p);
  return bits;
}

// The weight times the share of `wanted` that `offered` covers; full when nothing is wanted.
int share(std::uint32_t wanted, std::uint32_t offered, int weight) {
  const int n = count_of(wanted);
  if (n == 0) return weight;
  return static_cast<int>(
      std::lround(weight * static_cast<double>(count_of(wanted & offered)) / n));
}

}  // namespace

int count_of(std::uint32_t bits) { return std::popcount(bits); }

FamilyProfile profile_of(const families::Family& f) {
  FamilyProfile p;
  p.languages = languages_of(f.languages);
  p.any_language = p.languages.count == 0;
  p.needs = domains_of(f.needs);
  p.availability = slots_of(f.preferences.availability);
  p.gender_wish = f.preferences.volunteer_gender == "no_preference"
                      ? std::string()
                      : f.preferences.volunteer_gender;
  return p;
}

VolunteerProfile profile_of(const volunteers::Volunteer& v) {
  VolunteerProfile p;
  p.languages = languages_of(v.languages);
  p.skills = domains_of(v.skills);
  p.availability = slots_of(v.availability);
  p.gender = v.gender;
  p.max_distance_km = v.max_distance_km;
  p.open_matches = v.open_matches;
  return p;
}

std::uint16_t shared_language_code(const FamilyProfile& f, const VolunteerProfile& v) {
  for (int i = 0; i < f.languages.count; ++i)
    for (int j = 0; j < v.languages.count; ++j)
      if (f.languages.codes[i] == v.languages.codes[j]) return f.languages.codes[i];
  return 0;
}

std::string shared_language(const FamilyProfile& f, const VolunteerProfile& v) {
  const std::uint16_t code = shared_language_code(f, v);
  if (code == 0) return "";
  return {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
}

bool gender_wish_met(const FamilyProfile& f, const VolunteerProfile& v) {
  return f.gender_wish.empty() || f.gender_wish == v.gender;
}

Points points_of(const FamilyProfile& f, const VolunteerProfile& v, const Weights& w,
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
  p.language = f.any_language || shared_language_code(f, v) != 0 ? w.language : 0;
  p.availability = share(f.availability, v.availability, w.availability);
  p.skills = share(f.needs, v.skills, w.skills);
  p.preferences = gender_wish_met(f, v) ? w.preferences : 0;
  p.capacity = v.open_matches == 0 ? w.capacity : w.capacity / 2;
  return p;
}

}  // namespace oploop::matching
