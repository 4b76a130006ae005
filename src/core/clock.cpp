// UTC text forms of time, strict parsing, and the local date in Amsterdam.
//
// Local time comes from the IANA tz database through Howard Hinnant's date/tz (libdate-tz,
// built with USE_OS_TZDB so it reads /usr/share/zoneinfo; libstdc++ 12 has no
// std::chrono::locate_zone). Where the database has no answer — no tzdata installed (a bare
// container), or times after the last transition its zone file lists (2037) — the EU rule
// applies: CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October
// 01:00 UTC, CET (UTC+1) otherwise, the rule Europe/Amsterdam has followed since 1996.
#include "core/clock.hpp"

// Debian's libdate-tz is built against the system tz database; the header must agree.
#ifndef USE_OS_TZDB
#define USE_OS_TZDB 1
#endif
#include <date/tz.h>

#include <cstdio>
#include <optional>
#include <stdexcept>

#include "core/clock_detail.hpp"

namespace oploop {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` digits at `pos`; nullopt when any is not a digit.
std::optional<int> digits(const std::string& s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

// "YYYY-MM-DD" at the start of `s` (year 0001..9999, a real calendar day).
std::optional<sys_days> parse_date_prefix(const std::string& s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !m || !d || *y < 1) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y},
                                  std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

sys_days parse_date_or_throw(const std::string& s) {
  auto d = s.size() == 10 ? parse_date_prefix(s) : std::nullopt;
  if (!d) throw std::invalid_argument("not a valid date (YYYY-MM-DD): " + s);
  return *d;
}

std::string format_date(sys_days d) {
  std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

sys_days last_sunday(std::chrono::year y, std::chrono::month m) {
  return sys_days{
      std::chrono::year_month_weekday_last{y, m, std::chrono::Sunday[std::chrono::last]}};
}

// The EU summer-time rule, used only when the tz database is unavailable.
std::chrono::seconds eu_amsterdam_offset(TimePoint t) {
  auto utc_day = std::chrono::floor<days>(t);
  auto year = std::chrono::year_month_day{utc_day}.year();
  auto dst_start = last_sunday(year, std::chrono::March) + std::chrono::hours{1};
  auto dst_end = last_sunday(year, std::chrono::October) + std::chrono::hours{1};
  bool summer = t >= dst_start && t < dst_end;
  return std::chrono::hours{summer ? 2 : 1};
}

// Debian's zone files list transitions up to 2037 and date/tz does not read their POSIX
// footer, so it would answer CET for every later summer. When the listed transitions end on a
// return from summer time, later times follow the EU rule instead.
struct AmsterdamZone {
  const date::time_zone* zone = nullptr;  // null without a tz database
  date::sys_seconds rule_from = date::sys_seconds::max();
};

const AmsterdamZone& amsterdam_zone() {
  static const AmsterdamZone z = [] {
    AmsterdamZone out;
    try {
      out.zone = date::locate_zone("Europe/Amsterdam");
    } catch (const std::exception&) {
      return out;
    }
    auto last = out.zone->get_info(std::chrono::sys_days{std::chrono::year{2200} / 1 / 1});
    auto before = out.zone->get_info(last.begin - std::chrono::seconds{1});
    if (before.save != std::chrono::minutes{0}) out.rule_from = last.begin;
    return out;
  }();
  return z;
}

}  // namespace

std::string to_rfc3339(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto day = std::chrono::floor<days>(secs);
  std::chrono::hh_mm_ss<std::chrono::seconds> hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", format_date(day).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string to_date(TimePoint t) { return format_date(std::chrono::floor<days>(t)); }

// RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM). "T" and "Z" may be
// lower case (RFC 3339 §5.6 note); leap second 60 is refused (system_clock has none).
TimePoint parse_rfc3339(const std::string& s) {
  auto invalid = [&s]() { return std::invalid_argument("not an RFC 3339 timestamp: " + s); };
  auto date = parse_date_prefix(s);
  if (!date || s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
    throw invalid();
  auto hh = digits(s, 11, 2), mm = digits(s, 14, 2), ss = digits(s, 17, 2);
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) throw invalid();
  TimePoint t =
      *date + std::chrono::hours{*hh} + std::chrono::minutes{*mm} + std::chrono::seconds{*ss};
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    std::int64_t nanos = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (pos - start < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) throw invalid();
    for (std::size_t n = pos - start; n < 9; ++n) nanos *= 10;
    t += std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{nanos});
  }
  if (pos >= s.size()) throw invalid();
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return t;
  if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) throw invalid();
    auto offset = std::chrono::hours{*oh} + std::chrono::minutes{*om};
    // Local time = UTC + offset, so UTC = local - offset.
    return s[pos] == '+' ? t - offset : t + offset;
  }
  throw invalid();
}

bool is_valid_date(const std::string& s) { return s.size() == 10 && parse_date_prefix(s); }

int days_between(const std::string& from_date, const std::string& to_date) {
  return static_cast<int>((parse_date_or_throw(to_date) - parse_date_or_throw(from_date)).count());
}

std::string amsterdam_date(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto& z = amsterdam_zone();
  if (!z.zone || secs >= z.rule_from) return detail::amsterdam_date_eu_rule(t);
  return format_date(std::chrono::floor<days>(secs + z.zone->get_info(secs).offset));
}

std::string detail::amsterdam_date_eu_rule(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  return format_date(std::chrono::floor<days>(secs + eu_amsterdam_offset(secs)));
}

namespace {

sys_days days_of(const std::string& iso_date) {
  auto d = parse_date_prefix(iso_date);
  if (!d || iso_date.size() != 10) throw std::invalid_argument("not a date: " + iso_date);
  return *d;
}

std::chrono::seconds amsterdam_offset(std::chrono::sys_seconds t) {
  const auto& z = amsterdam_zone();
  if (!z.zone || t >= z.rule_from) return eu_amsterdam_offset(t);
  return std::chrono::duration_cast<std::chrono::seconds>(z.zone->get_info(t).offset);
}

}  // namespace

TimePoint amsterdam_time(const std::string& iso_date, int hour, int minute) {
  const auto local = std::chrono::sys_seconds{days_of(iso_date)} + std::chrono::hours{hour} +
                     std::chrono::minutes{minute};
  // The offset at the instant itself: try winter time, and take summer time when that
  // instant is in summer.
  auto utc = local - std::chrono::hours{1};
  utc = local - amsterdam_offset(utc);
  return TimePoint{utc};
}

std::string add_days(const std::string& iso_date, int n) {
  return format_date(days_of(iso_date) + days{n});
}

int iso_weekday(const std::string& iso_date) {
  return static_cast<int>(std::chrono::weekday{days_of(iso_date)}.iso_encoding());
}

// Display helper: text that is not a valid date is shown as it is rather than failing a page.
std::string format_date_nl(const std::string& iso_date) {
  if (!is_valid_date(iso_date)) return iso_date;
  return iso_date.substr(8, 2) + "-" + iso_date.substr(5, 2) + "-" + iso_date.substr(0, 4);
}

}  // namespace oploop
