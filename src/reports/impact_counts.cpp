#include "reports/impact_counts.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "auth/policy.hpp"
#include "core/clock.hpp"

namespace oploop::reports {
namespace {

// Every query takes (organisation, team, team, …): "? IS NULL OR team_id = ?" keeps one SQL
// text for the organisation and for one team.
constexpr const char* kTeam = " AND (CAST(? AS TEXT) IS NULL OR m.team_id = ?)";

// A match runs on a day of the period when it started on or before its end and had not closed
// before its start.
constexpr const char* kRunning =
    "FROM matches m WHERE m.organisation_id = ? AND m.started_on IS NOT NULL "
    "AND m.started_on <= ? AND (m.closed_on IS NULL OR m.closed_on >= ?)";

std::optional<storage::Row> first_row(storage::Connection& c, const std::string& sql,
                                      const std::vector<storage::Value>& p) {
  auto rows = c.query(sql, p);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

int count(storage::Connection& c, const std::string& sql, const std::vector<storage::Value>& p) {
  auto row = first_row(c, sql, p);
  return row ? static_cast<int>(row->integer(0)) : 0;
}

int children_reached(storage::Connection& c, const std::vector<storage::Value>& running) {
  // Per family: the children on record, else (no household entered yet) the birth years the
  // referral gave.
  int children = 0;
  for (const auto& r :
       c.query(std::string(
                   "SELECT f.id, "
                   "(SELECT COUNT(*) FROM household_members h WHERE h.family_id = f.id "
                   " AND h.role = 'child'), "
                   "(SELECT x.children_birth_years FROM referrals x WHERE x.id = f.referral_id) "
                   "FROM families f WHERE f.id IN (SELECT m.family_id ") +
                   kRunning + kTeam + ")",
               running)) {
    const int on_record = static_cast<int>(r.integer(1));
    if (on_record > 0) {
      children += on_record;
      continue;
    }
    const auto years = nlohmann::json::parse(r.text(2), nullptr, /*allow_exceptions=*/false);
    if (years.is_array()) children += static_cast<int>(years.size());
  }
  return children;
}

std::optional<double> median(std::vector<int> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

}  // namespace

std::map<std::string, std::string> validate(const Period& period) {
  std::map<std::string, std::string> errors;
  if (period.from.empty())
    errors["from"] = "validation.required";
  else if (!is_valid_date(period.from))
    errors["from"] = "validation.date";
  if (period.to.empty())
    errors["to"] = "validation.required";
  else if (!is_valid_date(period.to))
    errors["to"] = "validation.date";
  if (errors.empty() && period.from > period.to) errors["to"] = "report.period_order";
  if (errors.empty() && add_days(period.from, 3660) < period.to)
    errors["to"] = "report.period_long";
  return errors;
}

Period default_period(const std::string& today) { return {today.substr(0, 4) + "-01-01", today}; }

Result<ImpactCounts> impact_counts(storage::Connection& c, const auth::Actor& actor,
                                   const Period& period, std::optional<std::string> team_id) {
  if (auto errors = validate(period); !errors.empty()) return fail(Error::invalid(errors));
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::report_read);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  if (team_id) {
    auto team = c.query_one("SELECT organisation_id FROM teams WHERE id = ?", {*team_id});
    if (!team || team->text(0) != p.organisation_id) return fail(Error::not_found());
  }
  if (scope == auth::Scope::team) {
    // A coordinator reports on a team of their own; with one team that is the default.
    if (!team_id && p.team_ids.size() == 1) team_id = p.team_ids.front();
    if (!team_id) return fail(Error::invalid({{"team", "report.team_required"}}));
    if (std::find(p.team_ids.begin(), p.team_ids.end(), *team_id) == p.team_ids.end())
      return fail(Error::forbidden());
  } else if (scope != auth::Scope::organisation) {
    return fail(Error::forbidden());
  }

  const storage::Value org = p.organisation_id;
  const storage::Value team = storage::optional_value(team_id);
  const std::vector<storage::Value> running = {org, period.to, period.from, team, team};
  const std::vector<storage::Value> in_period = {org, period.from, period.to, team, team};

  ImpactCounts out;
  out.period = period;
  out.team_id = team_id;
  out.families_reached =
      count(c, std::string("SELECT COUNT(DISTINCT m.family_id) ") + kRunning + kTeam, running);
  out.volunteers_active =
      count(c, std::string("SELECT COUNT(DISTINCT m.volunteer_id) ") + kRunning + kTeam, running);
  out.children_reached = children_reached(c, running);
  out.matches_started = count(c,
                              std::string("SELECT COUNT(*) FROM matches m WHERE "
                                          "m.organisation_id = ? AND m.started_on >= ? AND "
                                          "m.started_on <= ?") +
                                  kTeam,
                              in_period);

  std::vector<int> durations;
  for (const auto& r : c.query(std::string("SELECT m.started_on, m.closed_on, m.closure_reason "
                                           "FROM matches m WHERE m.organisation_id = ? AND "
                                           "m.status = 'closed' AND m.closed_on >= ? AND "
                                           "m.closed_on <= ?") +
                                   kTeam,
                               in_period)) {
    ++out.matches_closed;
    ++out.closure_reasons[r.text(2).empty() ? "unknown" : r.text(2)];
    if (!r.text(0).empty()) durations.push_back(days_between(r.text(0), r.text(1)));
  }
  out.median_duration_days = median(std::move(durations));

  if (auto r = first_row(c,
                         std::string("SELECT COUNT(*), COALESCE(SUM(m.minutes), 0), "
                                     "COALESCE(SUM(m.outside_office_hours), 0) FROM contacts m "
                                     "WHERE m.organisation_id = ? AND m.status = 'final' AND "
                                     "m.on_date >= ? AND m.on_date <= ?") +
                             kTeam,
                         in_period)) {
    out.contacts = static_cast<int>(r->integer(0));
    out.contact_minutes = r->integer(1);
    out.contacts_outside_office_hours = static_cast<int>(r->integer(2));
  }

  // The funnel follows the referrals received in the period (a cohort), so each stage is a
  // share of the one before it.
  if (auto r = first_row(
          c,
          std::string(
              "SELECT COUNT(*), "
              "COALESCE(SUM(CASE WHEN m.status IN ('in_intake', 'accepted') THEN 1 ELSE 0 END), "
              "0), "
              "COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM matches x WHERE x.family_id = "
              " m.family_id AND x.started_on IS NOT NULL) THEN 1 ELSE 0 END), 0), "
              "COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM matches x WHERE x.family_id = "
              " m.family_id AND x.started_on IS NOT NULL AND x.status = 'closed') THEN 1 ELSE 0 "
              "END), 0) "
              "FROM referrals m WHERE m.organisation_id = ? AND m.created_at >= ? AND "
              "m.created_at < ?") +
              kTeam,
          {org, to_rfc3339(amsterdam_time(period.from, 0, 0)),
           to_rfc3339(amsterdam_time(add_days(period.to, 1), 0, 0)), team, team})) {
    out.funnel = {static_cast<int>(r->integer(0)), static_cast<int>(r->integer(1)),
                  static_cast<int>(r->integer(2)), static_cast<int>(r->integer(3))};
  }
  return out;
}

}  // namespace oploop::reports
