// The counts of the impact report (SPEC §3) for a period, per organisation or one team:
// families and children reached, volunteers active, matches started and closed with the median
// duration and the closure reasons, contacts and hours with the share outside office hours, and
// the funnel referrals → intake → matched → closed. Aggregates only — no names, no ids — so
// reading them is not a read of personal data; the per-domain outcome statistics are added by
// the measurements part of the report.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::reports {

// A reporting period: both ends inclusive, YYYY-MM-DD (Europe/Amsterdam calendar days).
struct Period {
  std::string from, to;
};

// 422 field errors for a period ("from", "to"): both valid dates, from ≤ to, at most 10 years.
std::map<std::string, std::string> validate(const Period& period);
// The calendar year of `today` so far: 1 January … today (the report's default).
Period default_period(const std::string& today);

struct Funnel {
  int referrals = 0;  // received in the period
  int intake = 0;     // of those: taken into intake or accepted
  int matched = 0;    // of those: the family has had a match that started
  int closed = 0;     // of those: that match has closed
};

struct ImpactCounts {
  Period period;
  std::optional<std::string> team_id;
  int families_reached = 0;   // a match running on at least one day of the period
  int children_reached = 0;   // the children of those families
  int volunteers_active = 0;  // with a match running in the period
  int matches_started = 0;
  int matches_closed = 0;
  std::optional<double> median_duration_days;  // matches closed in the period, start → close
  int contacts = 0;                            // final contacts in the period
  long long contact_minutes = 0;
  int contacts_outside_office_hours = 0;
  std::map<std::string, int> closure_reasons;  // of the matches closed in the period
  Funnel funnel;
};

// The caller's organisation (project lead) or one of their teams (coordinator: `team_id`
// required unless they have exactly one team; another team is 403, a team of another
// organisation 404).
Result<ImpactCounts> impact_counts(storage::Connection& c, const auth::Actor& actor,
                                   const Period& period, std::optional<std::string> team_id);

}  // namespace oploop::reports
