#include "measurements/due.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "matches/match.hpp"
#include "measurements/measurements.hpp"

namespace oploop::measurements {
namespace {

const char* wave_name(int wave) {
  return wave == kBaseline ? "baseline" : wave == kInterim ? "interim" : "final";
}

// `date` plus whole months (the day clamped to the month's last day).
std::string add_months(const std::string& date, int months) {
  int y = std::stoi(date.substr(0, 4));
  int m = std::stoi(date.substr(5, 2)) + months;
  int d = std::stoi(date.substr(8, 2));
  y += (m - 1) / 12;
  m = (m - 1) % 12 + 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDays[m - 1];
  if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) last = 29;
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, std::min(d, last));
}

}  // namespace

std::vector<reminders::Reminder> due_reminders(storage::Connection& c,
                                               const std::string& organisation_id,
                                               const std::string& today) {
  // Waves taken per family of the organisation, then each match that asks for one missing.
  std::map<std::string, std::set<int>> taken;
  for (const auto& r : c.query("SELECT DISTINCT family_id, wave FROM measurements "
                               "WHERE organisation_id = ?",
                               {organisation_id}))
    taken[r.text(0)].insert(static_cast<int>(r.integer(1)));
  std::vector<reminders::Reminder> out;
  std::set<std::pair<std::string, int>> seen;  // one reminder per family and wave
  for (const auto& r :
       c.query("SELECT m.family_id, f.team_id, f.display_name, m.status, "
               "COALESCE(m.started_on, ''), COALESCE(m.closed_on, ''), m.created_at, m.id "
               "FROM matches m JOIN families f ON f.id = m.family_id "
               "WHERE m.organisation_id = ? AND m.status IN ('active', 'stepping_down', 'closed') "
               "ORDER BY m.id",
               {organisation_id})) {
    const std::string family = r.text(0);
    const std::string status = r.text(3);
    std::string started = r.text(4);
    if (started.empty()) started = amsterdam_date(parse_rfc3339(r.text(6)));
    const auto& waves = taken[family];
    auto add = [&](int wave, const std::string& since) {
      if (waves.contains(wave) || since > today || !seen.insert({family, wave}).second) return;
      reminders::Reminder rem;
      rem.rule = reminders::Rule::measurement_due;
      rem.subject_kind = "family";
      rem.subject_id = family;
      rem.team_id = r.optional_text(1).value_or("");
      rem.href = "/gezinnen/" + family + "/metingen/nieuw?golf=" + std::to_string(wave);
      rem.label = r.text(2);
      rem.since = since;
      rem.why_key = std::string("measurements.reminder.") + wave_name(wave);
      rem.params = {{"wave", std::to_string(wave)}, {"date", since}};
      out.push_back(std::move(rem));
    };
    if (status == "active") {
      add(kBaseline, started);
      if (matches::months_between(started, today) >= kInterimMonths)
        add(kInterim, add_months(started, kInterimMonths));
    } else {
      // Stepping down or closed: the final measurement (since the closing date when closed).
      const std::string closed = r.text(5);
      add(kFinal, status == "closed" && !closed.empty() ? closed : today);
    }
  }
  return out;
}

}  // namespace oploop::measurements
