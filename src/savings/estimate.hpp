// The savings estimate of one family and of a period (SPEC §5, docs/decisions/0009-savings.md):
//   avoided   = Σ counterfactual line (tariff × quantity × months, by the product's unit)
//   actual    = Σ formal care actually used during the programme (the same way)
//   programme = coordinator minutes / 60 × hourly cost + foundation fee
//               + volunteer expenses a month × months walked along
//   net       = avoided − actual − programme,
// every line in whole cents, rounded half away from zero once per line; the low/high band uses
// each tariff's low and high amounts (net low = avoided low − actual high − programme). Every
// line says how it was computed and from which tariff (source, year). Staff only: a coordinator
// for the families of their teams, a project lead for the organisation; each read and write is
// in the access log with the family.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "savings/money.hpp"
#include "savings/tariffs.hpp"
#include "storage/database.hpp"

namespace oploop::savings {

// One line of a counterfactual (what would have been needed without the programme) or of the
// care actually used. estimated_by, certainty and note are for the counterfactual only.
struct CareLine {
  std::string product;
  std::int64_t quantity_hundredths = 100;  // units a month (hour/day/month), or a count
  int months = 0;                          // 0..120
  std::string estimated_by;
  std::string certainty;  // low, medium, high
  std::string note;
};

// low, medium, high.
const std::vector<std::string>& certainties();

// Replaces the family's counterfactual / actual care as a whole; answers the stored lines.
// 422 names the line: "items[1].months".
Result<std::vector<CareLine>> put_counterfactual(storage::Connection& c, const auth::Actor& actor,
                                                 const std::string& family_id,
                                                 const std::vector<CareLine>& lines);
Result<std::vector<CareLine>> put_actual_care(storage::Connection& c, const auth::Actor& actor,
                                              const std::string& family_id,
                                              const std::vector<CareLine>& lines);

// One computed figure.
struct SavingsLine {
  std::string section;  // avoided, actual, programme
  std::string item;     // a product code, or coordination, foundation_fee, volunteer_expenses
  std::map<std::string, std::string> label;  // a product's label by language (programme: none)
  std::string unit;  // the tariff's unit; "minute" for coordination, "family" for the fee
  Cents rate_cents = 0, rate_low_cents = 0, rate_high_cents = 0;  // the tariff or setting
  std::int64_t quantity_hundredths = 0;  // units a month or count; minutes ×100 for coordination
  int months = 0;
  Cents amount_cents = 0, low_cents = 0, high_cents = 0;
  std::string source;  // the tariff's source, or "settings"
  int year = 0;
  std::string status;  // verified, indicative, organisation, settings
  std::string certainty, estimated_by, note;
};

struct Totals {
  Cents avoided = 0, avoided_low = 0, avoided_high = 0;
  Cents actual = 0, actual_low = 0, actual_high = 0;
  Cents programme = 0;
  Cents net = 0, net_low = 0, net_high = 0;
  Totals& operator+=(const Totals& other);
};

struct ProgrammeInputs {
  int coordinator_minutes = 0;
  int programme_months = 0;  // started months of walking along, over the family's matches
  SavingsSettings settings;
};

struct FamilySavings {
  std::string family_id;
  std::vector<CareLine> counterfactual, actual_care;
  std::vector<SavingsLine> lines;
  Totals totals;
  int coordinator_minutes = 0;
  int programme_months = 0;
  bool settings_configured = false;
};

// The arithmetic alone (no database): lines and totals from the inputs and the tariffs. A line
// whose product has no tariff is skipped (the inputs were validated against the tariffs).
FamilySavings compute(const std::vector<CareLine>& counterfactual,
                      const std::vector<CareLine>& actual_care, const ProgrammeInputs& programme,
                      const std::vector<Tariff>& tariffs);

// Started months between two dates (inclusive of a started month): 2026-01-15 → 2026-03-14 is
// 2, → 2026-03-15 is 2, → 2026-03-16 is 3; equal dates are 0.
int started_months(const std::string& from, const std::string& to);

Result<FamilySavings> family_savings(storage::Connection& c, const auth::Actor& actor,
                                     const std::string& family_id);

struct ReportFilter {
  std::string from, to;             // YYYY-MM-DD, inclusive; "" = this calendar year's end
  std::optional<std::string> team;  // a team of the organisation
};

struct SavingsReport {
  std::string from, to;
  std::optional<std::string> team;
  std::vector<FamilySavings> families;  // by family id
  Totals totals;                        // the sum of the families
};

// Families in scope with savings inputs that were walked along in the period (a match started on
// or before `to` and not closed before `from`); each with its whole-programme figures.
Result<SavingsReport> savings_report(storage::Connection& c, const auth::Actor& actor,
                                     const ReportFilter& filter);

}  // namespace oploop::savings
