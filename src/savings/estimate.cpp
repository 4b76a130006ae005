#include "savings/estimate.hpp"

#include <algorithm>
#include <set>

#include "auth/gate.hpp"
#include "coordination/checks.hpp"
#include "coordination/time_entries.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "families/families.hpp"

namespace oploop::savings {
namespace {

using auth::Action;

constexpr std::size_t kMaxLines = 50;
constexpr std::int64_t kMaxQuantity = 100000;  // 1000 units (hundredths)
constexpr int kMaxMonths = 120;

const Tariff* find(const std::vector<Tariff>& tariffs, const std::string& product) {
  for (const auto& t : tariffs)
    if (t.product == product) return &t;
  return nullptr;
}

// tariff × quantity × months by the unit, in cents, rounded once.
Cents line_amount(Cents tariff, const std::string& unit, std::int64_t quantity_hundredths,
                  int months) {
  if (unit == "trajectory") return divide_rounded(tariff * quantity_hundredths, 100);
  const std::int64_t per = unit == "year" ? 1200 : 100;
  return divide_rounded(tariff * quantity_hundredths * months, per);
}

std::map<std::string, std::string> validate(std::vector<CareLine>& lines, bool counterfactual) {
  std::map<std::string, std::string> errors;
  if (lines.size() > kMaxLines) errors["items"] = "savings.validation.too_many";
  const auto& levels = certainties();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& l = lines[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    if (l.product.empty())
      errors[at + "product"] = "validation.required";
    else if (!find_default(l.product))
      errors[at + "product"] = "savings.validation.product";
    if (l.quantity_hundredths <= 0 || l.quantity_hundredths > kMaxQuantity)
      errors[at + "quantity"] = "savings.validation.quantity";
    if (l.months < 1 || l.months > kMaxMonths) errors[at + "months"] = "savings.validation.months";
    if (!counterfactual) continue;
    l.estimated_by = text::trim(l.estimated_by);
    if (l.estimated_by.empty())
      errors[at + "estimated_by"] = "validation.required";
    else if (auto e = coordination::single_line_error(l.estimated_by, 200))
      errors[at + "estimated_by"] = *e;
    if (std::find(levels.begin(), levels.end(), l.certainty) == levels.end())
      errors[at + "certainty"] = l.certainty.empty() ? "validation.required" : "validation.choice";
    l.note = text::trim(l.note);
    if (auto e = coordination::multi_line_error(l.note, 1000)) errors[at + "note"] = *e;
  }
  return errors;
}

// The family, checked for `action` and logged as `event` on the family with `details`.
Result<families::Family> checked_family(storage::Connection& c, auth::Gate& gate, Action action,
                                        const std::string& family_id, const std::string& event,
                                        const std::string& details) {
  auto family = families::load_family(c, family_id);
  if (!family) return fail(gate.missing(event, "family", family_id));
  TRY_STATUS(coordination::check_with_details(gate, action,
                                              {family->organisation_id, family->team_id, {}}, event,
                                              "family", family_id, details));
  return *family;
}

std::vector<CareLine> load_lines(storage::Connection& c, const std::string& table,
                                 const std::string& family_id) {
  std::vector<CareLine> out;
  const bool counterfactual = table == "savings_counterfactual";
  auto rows =
      counterfactual
          ? c.query(
                "SELECT product, quantity_hundredths, months, estimated_by, certainty, note "
                "FROM savings_counterfactual WHERE family_id = ? ORDER BY position",
                {family_id})
          : c.query(
                "SELECT product, quantity_hundredths, months, '', '', '' "
                "FROM savings_actual_care WHERE family_id = ? ORDER BY position",
                {family_id});
  for (const auto& r : rows)
    out.push_back(
        {r.text(0), r.integer(1), static_cast<int>(r.integer(2)), r.text(3), r.text(4), r.text(5)});
  return out;
}

Result<std::vector<CareLine>> put_lines(storage::Connection& c, const auth::Actor& actor,
                                        const std::string& family_id,
                                        const std::vector<CareLine>& input, bool counterfactual) {
  const std::string what = counterfactual ? "counterfactual" : "actual_care";
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  // The right first, then the input: a caller who may not write is refused whatever they sent.
  auto family = families::load_family(c, family_id);
  if (!family) {
    Error e = gate.missing("update", "family", family_id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = auth::check(actor.principal, Action::savings_manage,
                            {family->organisation_id, family->team_id, {}});
      !ok) {
    if (ok.error().kind == ErrorKind::not_found)
      gate.missing("update", "family", family_id);
    else
      gate.deny("update", "family", family_id, "savings_manage");
    tx.commit();
    return fail(ok.error());
  }
  std::vector<CareLine> lines = input;
  if (auto errors = validate(lines, counterfactual); !errors.empty())
    return fail(Error::invalid(errors));
  gate.log("update", "family", family_id, what + "=" + std::to_string(lines.size()));
  const std::string now = to_rfc3339(actor.clock.now());
  if (counterfactual) {
    c.execute("DELETE FROM savings_counterfactual WHERE family_id = ?", {family_id});
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& l = lines[i];
      c.execute(
          "INSERT INTO savings_counterfactual (family_id, position, organisation_id, product, "
          "quantity_hundredths, months, estimated_by, certainty, note, recorded_by, recorded_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {family_id, static_cast<std::int64_t>(i), family->organisation_id, l.product,
           l.quantity_hundredths, std::int64_t{l.months}, l.estimated_by, l.certainty, l.note,
           actor.principal.user_id, now});
    }
  } else {
    c.execute("DELETE FROM savings_actual_care WHERE family_id = ?", {family_id});
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& l = lines[i];
      c.execute(
          "INSERT INTO savings_actual_care (family_id, position, organisation_id, product, "
          "quantity_hundredths, months, recorded_by, recorded_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {family_id, static_cast<std::int64_t>(i), family->organisation_id, l.product,
           l.quantity_hundredths, std::int64_t{l.months}, actor.principal.user_id, now});
    }
  }
  auto stored =
      load_lines(c, counterfactual ? "savings_counterfactual" : "savings_actual_care", family_id);
  tx.commit();
  return stored;
}

int programme_months(storage::Connection& c, const std::string& family_id,
                     const std::string& today) {
  auto rows = c.query(
      "SELECT started_on, closed_on FROM matches WHERE family_id = ? AND started_on IS NOT NULL "
      "ORDER BY started_on",
      {family_id});
  int months = 0;
  for (const auto& r : rows) {
    const std::string end = r.is_null(1) ? today : r.text(1);
    months += started_months(r.text(0), end);
  }
  return months;
}

// Everything for one family, without checks (the caller checked and logs).
FamilySavings compute_family(storage::Connection& c, const families::Family& family,
                             const std::vector<Tariff>& tariffs, const SavingsSettings& settings,
                             const std::string& today) {
  ProgrammeInputs programme;
  programme.settings = settings;
  programme.coordinator_minutes =
      coordination::coordinator_minutes(c, family.organisation_id, "", "", family.id);
  programme.programme_months = programme_months(c, family.id, today);
  auto out = compute(load_lines(c, "savings_counterfactual", family.id),
                     load_lines(c, "savings_actual_care", family.id), programme, tariffs);
  out.family_id = family.id;
  return out;
}

}  // namespace

const std::vector<std::string>& certainties() {
  static const std::vector<std::string> kLevels = {"low", "medium", "high"};
  return kLevels;
}

Totals& Totals::operator+=(const Totals& o) {
  avoided += o.avoided;
  avoided_low += o.avoided_low;
  avoided_high += o.avoided_high;
  actual += o.actual;
  actual_low += o.actual_low;
  actual_high += o.actual_high;
  programme += o.programme;
  net += o.net;
  net_low += o.net_low;
  net_high += o.net_high;
  return *this;
}

int started_months(const std::string& from, const std::string& to) {
  if (!is_valid_date(from) || !is_valid_date(to) || to <= from) return 0;
  auto part = [](const std::string& d, std::size_t at, std::size_t n) {
    return std::stoi(d.substr(at, n));
  };
  const int y1 = part(from, 0, 4), m1 = part(from, 5, 2), d1 = part(from, 8, 2);
  const int y2 = part(to, 0, 4), m2 = part(to, 5, 2), d2 = part(to, 8, 2);
  const int full = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
  return full + (d2 != d1 ? 1 : 0);
}

FamilySavings compute(const std::vector<CareLine>& counterfactual,
                      const std::vector<CareLine>& actual_care, const ProgrammeInputs& programme,
                      const std::vector<Tariff>& tariffs) {
  FamilySavings out;
  out.counterfactual = counterfactual;
  out.actual_care = actual_care;
  out.coordinator_minutes = programme.coordinator_minutes;
  out.programme_months = programme.programme_months;
  out.settings_configured = programme.settings.configured;
  Totals& t = out.totals;
  auto care = [&](const std::vector<CareLine>& lines, const std::string& section, Cents& sum,
                  Cents& low, Cents& high) {
    for (const auto& l : lines) {
      const Tariff* tariff = find(tariffs, l.product);
      if (!tariff) continue;
      SavingsLine s;
      s.section = section;
      s.item = l.product;
      s.label = tariff->label;
      s.unit = tariff->unit;
      s.rate_cents = tariff->amount_cents;
      s.rate_low_cents = tariff->low_cents;
      s.rate_high_cents = tariff->high_cents;
      s.quantity_hundredths = l.quantity_hundredths;
      s.months = l.months;
      s.amount_cents =
          line_amount(tariff->amount_cents, tariff->unit, l.quantity_hundredths, l.months);
      s.low_cents = line_amount(tariff->low_cents, tariff->unit, l.quantity_hundredths, l.months);
      s.high_cents = line_amount(tariff->high_cents, tariff->unit, l.quantity_hundredths, l.months);
      s.source = tariff->source;
      s.year = tariff->year;
      s.status = tariff->status;
      s.certainty = l.certainty;
      s.estimated_by = l.estimated_by;
      s.note = l.note;
      sum += s.amount_cents;
      low += s.low_cents;
      high += s.high_cents;
      out.lines.push_back(std::move(s));
    }
  };
  care(counterfactual, "avoided", t.avoided, t.avoided_low, t.avoided_high);
  care(actual_care, "actual", t.actual, t.actual_low, t.actual_high);

  const auto& settings = programme.settings;
  auto programme_line = [&](const std::string& item, const std::string& unit, Cents rate,
                            std::int64_t quantity_hundredths, int months, Cents amount) {
    SavingsLine s;
    s.section = "programme";
    s.item = item;
    s.unit = unit;
    s.rate_cents = s.rate_low_cents = s.rate_high_cents = rate;
    s.quantity_hundredths = quantity_hundredths;
    s.months = months;
    s.amount_cents = s.low_cents = s.high_cents = amount;
    s.source = "settings";
    s.status = "settings";
    t.programme += amount;
    out.lines.push_back(std::move(s));
  };
  programme_line(
      "coordination", "hour", settings.coordinator_hourly_cents,
      std::int64_t{programme.coordinator_minutes} * 100, 0,
      divide_rounded(
          std::int64_t{programme.coordinator_minutes} * settings.coordinator_hourly_cents, 60));
  programme_line("foundation_fee", "family", settings.foundation_fee_cents, 100, 0,
                 settings.foundation_fee_cents);
  programme_line("volunteer_expenses", "month", settings.volunteer_expenses_monthly_cents, 100,
                 programme.programme_months,
                 settings.volunteer_expenses_monthly_cents * programme.programme_months);

  t.net = t.avoided - t.actual - t.programme;
  t.net_low = t.avoided_low - t.actual_high - t.programme;
  t.net_high = t.avoided_high - t.actual_low - t.programme;
  return out;
}

Result<std::vector<CareLine>> put_counterfactual(storage::Connection& c, const auth::Actor& actor,
                                                 const std::string& family_id,
                                                 const std::vector<CareLine>& lines) {
  return put_lines(c, actor, family_id, lines, true);
}

Result<std::vector<CareLine>> put_actual_care(storage::Connection& c, const auth::Actor& actor,
                                              const std::string& family_id,
                                              const std::vector<CareLine>& lines) {
  return put_lines(c, actor, family_id, lines, false);
}

Result<FamilySavings> family_savings(storage::Connection& c, const auth::Actor& actor,
                                     const std::string& family_id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto family = checked_family(c, gate, Action::savings_read, family_id, "view", "savings");
  if (!family) {
    tx.commit();
    return fail(family.error());
  }
  auto out =
      compute_family(c, *family, organisation_tariffs(c, family->organisation_id),
                     load_settings(c, family->organisation_id), amsterdam_date(actor.clock.now()));
  tx.commit();
  return out;
}

Result<SavingsReport> savings_report(storage::Connection& c, const auth::Actor& actor,
                                     const ReportFilter& filter) {
  const auth::Principal& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, Action::savings_report);
  if (scope != auth::Scope::organisation && scope != auth::Scope::team)
    return fail(Error::forbidden());
  std::map<std::string, std::string> errors;
  // The calendar year of today by default (SPEC §3).
  const std::string year = amsterdam_date(actor.clock.now()).substr(0, 4);
  const std::string from = filter.from.empty() ? year + "-01-01" : filter.from;
  const std::string to = filter.to.empty() ? year + "-12-31" : filter.to;
  if (!is_valid_date(from)) errors["from"] = "validation.date";
  if (!is_valid_date(to)) errors["to"] = "validation.date";
  if (errors.empty() && to < from) errors["to"] = "savings.validation.period";
  storage::Transaction tx(c);
  if (filter.team) {
    auto team = c.query_one("SELECT id FROM teams WHERE id = ? AND organisation_id = ?",
                            {*filter.team, p.organisation_id});
    if (!team)
      errors["team"] = "validation.choice";
    else if (scope == auth::Scope::team &&
             std::find(p.team_ids.begin(), p.team_ids.end(), *filter.team) == p.team_ids.end())
      return fail(Error::forbidden());
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string scope_value = scope == auth::Scope::organisation ? "organisation" : "team";
  auto rows = c.query(
      "SELECT f.id FROM families f WHERE f.organisation_id = ? "
      "AND (? = 'organisation' OR f.team_id IS NULL OR f.team_id IN "
      "(SELECT team_id FROM user_teams WHERE user_id = ?)) "
      "AND (CAST(? AS TEXT) IS NULL OR f.team_id = ?) "
      "AND (EXISTS (SELECT 1 FROM savings_counterfactual s WHERE s.family_id = f.id) "
      "OR EXISTS (SELECT 1 FROM savings_actual_care s WHERE s.family_id = f.id)) "
      "AND EXISTS (SELECT 1 FROM matches m WHERE m.family_id = f.id AND m.started_on IS NOT NULL "
      "AND m.started_on <= ? AND (m.closed_on IS NULL OR m.closed_on >= ?)) "
      "ORDER BY f.id",
      {p.organisation_id, scope_value, p.user_id, storage::optional_value(filter.team),
       storage::optional_value(filter.team), to, from});
  SavingsReport report;
  report.from = from;
  report.to = to;
  report.team = filter.team;
  const auto tariffs = organisation_tariffs(c, p.organisation_id);
  const auto settings = load_settings(c, p.organisation_id);
  const std::string today = amsterdam_date(actor.clock.now());
  std::string ids;
  for (const auto& r : rows) {
    auto family = families::load_family(c, r.text(0));
    if (!family) continue;
    report.families.push_back(compute_family(c, *family, tariffs, settings, today));
    report.totals += report.families.back().totals;
    ids += (ids.empty() ? "" : ",") + family->id;
  }
  auth::Gate(c, actor).log("list", "savings_report", from + ".." + to, "ids=" + ids);
  tx.commit();
  return report;
}

}  // namespace oploop::savings
