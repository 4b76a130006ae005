// Tariffs and the programme's cost settings for the savings estimate (SPEC §5). The default
// products come from data/tariffs/default.json (each with its public source, year and whether
// the figure is verified or indicative); an organisation may override a product's amounts with
// its own source and year, and sets what the programme itself costs. Project leads edit;
// coordinators read. Not personal data: reads are not written to the access log, edits are.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "savings/money.hpp"
#include "storage/database.hpp"

namespace oploop::savings {

// hour, day, month: the quantity is units a month; year: a yearly amount, used per month
// (× months / 12); trajectory: a whole trajectory, counted once.
const std::vector<std::string>& tariff_units();

struct Tariff {
  std::string product;                       // code
  std::map<std::string, std::string> label;  // language -> label
  std::string unit;
  Cents amount_cents = 0, low_cents = 0, high_cents = 0;
  std::string source;
  int year = 0;
  std::string region;
  std::string status;  // verified, indicative, organisation (an override)
  bool overridden = false;
  // The shipped default, when overridden.
  Cents default_amount_cents = 0;
  std::string default_source;
  int default_year = 0;
  std::string updated_at;  // of the override
};

// The shipped defaults (loaded once from data/tariffs/default.json), in file order.
const std::vector<Tariff>& default_tariffs();
// Loads a tariff file (for tests and the loader); throws std::runtime_error on a bad file.
std::vector<Tariff> load_tariff_file(const std::string& path);
const Tariff* find_default(const std::string& product);

// The defaults with the organisation's overrides merged in. No checks: the caller scoped it.
std::vector<Tariff> organisation_tariffs(storage::Connection& c,
                                         const std::string& organisation_id);

struct TariffOverride {
  std::string product;
  Cents amount_cents = 0;
  std::optional<Cents> low_cents, high_cents;  // default: the amount
  std::string source;
  int year = 0;
};

// Any staff member of the organisation reads the tariffs.
Result<std::vector<Tariff>> list_tariffs(storage::Connection& c, const auth::Actor& actor);
// Replaces the organisation's overrides with `overrides` (a product may appear once; an empty
// list returns to the defaults). Errors name the line: "items[2].product".
Result<std::vector<Tariff>> put_tariffs(storage::Connection& c, const auth::Actor& actor,
                                        const std::vector<TariffOverride>& overrides);

struct SavingsSettings {
  Cents coordinator_hourly_cents = 0;
  Cents foundation_fee_cents = 0;              // per family, once
  Cents volunteer_expenses_monthly_cents = 0;  // per family per month of walking along
  bool configured = false;                     // false: never set, all zero
  std::string updated_at;
};

// No checks: the caller scoped it.
SavingsSettings load_settings(storage::Connection& c, const std::string& organisation_id);
Result<SavingsSettings> get_settings(storage::Connection& c, const auth::Actor& actor);
Result<SavingsSettings> put_settings(storage::Connection& c, const auth::Actor& actor,
                                     const SavingsSettings& settings);

}  // namespace oploop::savings
