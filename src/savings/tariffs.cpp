#include "savings/tariffs.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "core/clock.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"

namespace oploop::savings {
namespace {

using auth::Action;

constexpr Cents kMaxCents = 100'000'000'00;  // € 100 million: no tariff is anywhere near

bool known_unit(const std::string& unit) {
  const auto& units = tariff_units();
  return std::find(units.begin(), units.end(), unit) != units.end();
}

// The caller's organisation, when their role may do `action` on organisation-wide settings.
Status organisation_check(const auth::Actor& actor, Action action) {
  const auto scope = auth::scope_of(actor.principal.role, action);
  if (scope != auth::Scope::organisation) return fail(Error::forbidden());
  return {};
}

}  // namespace

const std::vector<std::string>& tariff_units() {
  static const std::vector<std::string> kUnits = {"hour", "day", "month", "year", "trajectory"};
  return kUnits;
}

std::vector<Tariff> load_tariff_file(const std::string& path) {
  const auto doc = nlohmann::json::parse(read_text_file(path));
  std::vector<Tariff> out;
  std::set<std::string> seen;
  for (const auto& p : doc.at("products")) {
    Tariff t;
    t.product = p.at("code").get<std::string>();
    for (const auto& [lang, label] : p.at("label").items())
      t.label[lang] = label.get<std::string>();
    t.unit = p.at("unit").get<std::string>();
    t.amount_cents = p.at("amount_cents").get<Cents>();
    t.low_cents = p.value("low_cents", t.amount_cents);
    t.high_cents = p.value("high_cents", t.amount_cents);
    t.source = p.at("source").get<std::string>();
    t.year = p.at("year").get<int>();
    t.region = p.value("region", "");
    t.status = p.at("status").get<std::string>();
    if (!seen.insert(t.product).second || !known_unit(t.unit) ||
        !(t.low_cents <= t.amount_cents && t.amount_cents <= t.high_cents) || t.low_cents < 0 ||
        (t.status != "verified" && t.status != "indicative") || !t.label.contains("nl") ||
        !t.label.contains("en"))
      throw std::runtime_error("tariffs: bad product " + t.product + " in " + path);
    t.default_amount_cents = t.amount_cents;
    t.default_source = t.source;
    t.default_year = t.year;
    out.push_back(std::move(t));
  }
  return out;
}

const std::vector<Tariff>& default_tariffs() {
  static std::once_flag once;
  static std::vector<Tariff> tariffs;
  std::call_once(once,
                 [] { tariffs = load_tariff_file(resource_path("data/tariffs/default.json")); });
  return tariffs;
}

const Tariff* find_default(const std::string& product) {
  for (const auto& t : default_tariffs())
    if (t.product == product) return &t;
  return nullptr;
}

std::vector<Tariff> organisation_tariffs(storage::Connection& c,
                                         const std::string& organisation_id) {
  std::vector<Tariff> out = default_tariffs();
  auto rows = c.query(
      "SELECT product, amount_cents, low_cents, high_cents, source, year, updated_at "
      "FROM tariff_overrides WHERE organisation_id = ?",
      {organisation_id});
  for (const auto& r : rows) {
    for (auto& t : out) {
      if (t.product != r.text(0)) continue;
      t.amount_cents = r.integer(1);
      t.low_cents = r.integer(2);
      t.high_cents = r.integer(3);
      t.source = r.text(4);
      t.year = static_cast<int>(r.integer(5));
      t.updated_at = r.text(6);
      t.status = "organisation";
      t.overridden = true;
    }
  }
  return out;
}

Result<std::vector<Tariff>> list_tariffs(storage::Connection& c, const auth::Actor& actor) {
  TRY_STATUS(organisation_check(actor, Action::tariff_read));
  return organisation_tariffs(c, actor.principal.organisation_id);
}

Result<std::vector<Tariff>> put_tariffs(storage::Connection& c, const auth::Actor& actor,
                                        const std::vector<TariffOverride>& overrides) {
  TRY_STATUS(organisation_check(actor, Action::tariff_manage));
  std::map<std::string, std::string> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const auto& o = overrides[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    if (!find_default(o.product))
      errors[at + "product"] =
          o.product.empty() ? "validation.required" : "savings.validation.product";
    else if (!seen.insert(o.product).second)
      errors[at + "product"] = "savings.validation.duplicate_product";
    const Cents low = o.low_cents.value_or(o.amount_cents);
    const Cents high = o.high_cents.value_or(o.amount_cents);
    if (o.amount_cents < 0 || o.amount_cents > kMaxCents)
      errors[at + "amount_cents"] = "savings.validation.amount";
    if (low < 0 || low > o.amount_cents) errors[at + "low_cents"] = "savings.validation.low";
    if (high < o.amount_cents || high > kMaxCents)
      errors[at + "high_cents"] = "savings.validation.high";
    const std::string source = text::trim(o.source);
    if (source.empty())
      errors[at + "source"] = "validation.required";
    else if (source.size() > 500)
      errors[at + "source"] = "validation.too_long";
    if (o.year < 2000 || o.year > 2100) errors[at + "year"] = "savings.validation.year";
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string org = actor.principal.organisation_id;
  std::string products;
  for (const auto& o : overrides) products += (products.empty() ? "" : ",") + o.product;
  if (auto ok =
          gate.check(Action::tariff_manage, {org, std::nullopt, {}}, "update", "tariffs", org);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute("DELETE FROM tariff_overrides WHERE organisation_id = ?", {org});
  for (const auto& o : overrides)
    c.execute(
        "INSERT INTO tariff_overrides (organisation_id, product, amount_cents, low_cents, "
        "high_cents, source, year, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {org, o.product, std::int64_t{o.amount_cents},
         std::int64_t{o.low_cents.value_or(o.amount_cents)},
         std::int64_t{o.high_cents.value_or(o.amount_cents)}, text::trim(o.source),
         std::int64_t{o.year}, actor.principal.user_id, now});
  auto out = organisation_tariffs(c, org);
  tx.commit();
  return out;
}

SavingsSettings load_settings(storage::Connection& c, const std::string& organisation_id) {
  SavingsSettings s;
  auto row = c.query_one(
      "SELECT coordinator_hourly_cents, foundation_fee_cents, volunteer_expenses_monthly_cents, "
      "updated_at FROM savings_settings WHERE organisation_id = ?",
      {organisation_id});
  if (!row) return s;
  s.coordinator_hourly_cents = row->integer(0);
  s.foundation_fee_cents = row->integer(1);
  s.volunteer_expenses_monthly_cents = row->integer(2);
  s.updated_at = row->text(3);
  s.configured = true;
  return s;
}

Result<SavingsSettings> get_settings(storage::Connection& c, const auth::Actor& actor) {
  TRY_STATUS(organisation_check(actor, Action::tariff_read));
  return load_settings(c, actor.principal.organisation_id);
}

Result<SavingsSettings> put_settings(storage::Connection& c, const auth::Actor& actor,
                                     const SavingsSettings& s) {
  TRY_STATUS(organisation_check(actor, Action::tariff_manage));
  std::map<std::string, std::string> errors;
  auto check = [&](const char* field, Cents v) {
    if (v < 0 || v > kMaxCents) errors[field] = "savings.validation.amount";
  };
  check("coordinator_hourly_cents", s.coordinator_hourly_cents);
  check("foundation_fee_cents", s.foundation_fee_cents);
  check("volunteer_expenses_monthly_cents", s.volunteer_expenses_monthly_cents);
  if (!errors.empty()) return fail(Error::invalid(errors));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string org = actor.principal.organisation_id;
  if (auto ok = gate.check(Action::tariff_manage, {org, std::nullopt, {}}, "update",
                           "savings_settings", org);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute("DELETE FROM savings_settings WHERE organisation_id = ?", {org});
  c.execute(
      "INSERT INTO savings_settings (organisation_id, coordinator_hourly_cents, "
      "foundation_fee_cents, volunteer_expenses_monthly_cents, updated_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {org, std::int64_t{s.coordinator_hourly_cents}, std::int64_t{s.foundation_fee_cents},
       std::int64_t{s.volunteer_expenses_monthly_cents}, actor.principal.user_id, now});
  auto out = load_settings(c, org);
  tx.commit();
  return out;
}

}  // namespace oploop::savings
