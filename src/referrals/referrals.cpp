#include "referrals/referrals.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/accounts.hpp"
#include "auth/gate.hpp"
#include "auth/throttle.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "families/families.hpp"
#include "mail/outbox.hpp"
#include "organisations/organisations.hpp"

namespace oploop::referrals {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "SELECT id, organisation_id, team_id, status, source, contact_name, postcode, house_number, "
    "reason, urgency, consent, consent_date, children_birth_years, languages, other_care, "
    "referrer_name, referrer_organisation, referrer_email, referrer_phone, decline_reason, "
    "family_id, created_at, updated_at FROM referrals ";

Referral referral_from(const storage::Row& r) {
  Referral x;
  x.id = r.text(0);
  x.organisation_id = r.text(1);
  x.team_id = r.optional_text(2);
  x.status = r.text(3);
  x.source = r.text(4);
  x.contact_name = r.text(5);
  x.postcode = r.text(6);
  x.house_number = r.text(7);
  x.reason = r.text(8);
  x.urgency = r.text(9);
  x.consent = r.boolean(10);
  x.consent_date = r.text(11);
  auto years = json::parse(r.text(12), nullptr, false);
  if (years.is_array())
    for (const auto& y : years)
      if (y.is_number_integer()) x.children_birth_years.push_back(y.get<int>());
  auto langs = json::parse(r.text(13), nullptr, false);
  if (langs.is_array())
    for (const auto& l : langs)
      if (l.is_string()) x.languages.push_back(l.get<std::string>());
  x.other_care = r.text(14);
  x.referrer = {r.text(15), r.text(16), r.text(17), r.text(18)};
  x.decline_reason = r.text(19);
  x.family_id = r.optional_text(20);
  x.created_at = r.text(21);
  x.updated_at = r.text(22);
  return x;
}

std::optional<Referral> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return referral_from(*row);
}

void check_text(const std::string& value, const char* field, std::size_t max, bool required,
                std::map<std::string, std::string>& errors) {
  if (required && text::trim(value).empty())
    errors[field] = "validation.required";
  else if (text::length(value) > max)
    errors[field] = "validation.too_long";
  else if (text::has_control_characters(value))
    errors[field] = "validation.characters";
}

// Which states may follow which. Accepting directly from "new" is allowed: a coordinator
// may record the intake and the decision at once.
bool may_move(const std::string& from, const std::string& to) {
  if (from == "new")
    return to == "in_intake" || to == "accepted" || to == "declined" || to == "withdrawn";
  if (from == "in_intake") return to == "accepted" || to == "declined" || to == "withdrawn";
  return false;
}

std::string insert(storage::Connection& c, const Clock& clock, const std::string& org_id,
                   const ReferralInput& in, const std::string& source,
                   const std::optional<std::string>& user_id) {
  const std::string id = new_id();
  const std::string now = to_rfc3339(clock.now());
  c.execute(
      "INSERT INTO referrals (id, organisation_id, team_id, status, source, contact_name, "
      "postcode, house_number, reason, urgency, consent, consent_date, consent_recorded_by, "
      "children_birth_years, languages, other_care, referrer_name, referrer_organisation, "
      "referrer_email, referrer_phone, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id,
       org_id,
       storage::optional_value(in.team_id),
       source,
       text::trim(in.contact_name),
       *text::normalise_postcode(in.postcode),
       text::trim(in.house_number),
       text::trim(in.reason),
       in.urgency,
       in.consent_date,
       storage::optional_value(user_id),
       json(in.children_birth_years).dump(),
       json(in.languages).dump(),
       text::trim(in.other_care),
       text::trim(in.referrer.name),
       text::trim(in.referrer.organisation),
       text::lower_ascii(text::trim(in.referrer.email)),
       text::trim(in.referrer.phone),
       storage::optional_value(user_id),
       now,
       now});
  return id;
}

// Loads and checks a referral for a state change; logs the attempt.
Result<Referral> load_for(storage::Connection& c, const auth::Actor& actor, const std::string& id,
                          auth::Action action, const char* event) {
  auth::Gate gate(c, actor);
  auto r = load(c, id);
  if (!r) return fail(gate.missing(event, "referral", id));
  TRY_STATUS(gate.check(action, {r->organisation_id, r->team_id, {}}, event, "referral", id));
  return *r;
}

Result<Referral> move(storage::Connection& c, const auth::Actor& actor, const std::string& id,
                      const std::string& to, const std::string& reason) {
  storage::Transaction tx(c);
  auto r = load_for(c, actor, id, auth::Action::referral_decide, "update");
  if (!r) {
    tx.commit();  // keep the access-log entry of the refusal
    return r;
  }
  if (!may_move(r->status, to)) return fail(Error::conflict("referral.illegal_transition"));
  r->status = to;
  r->decline_reason = reason;
  r->updated_at = to_rfc3339(actor.clock.now());
  c.execute("UPDATE referrals SET status = ?, decline_reason = ?, updated_at = ? WHERE id = ?",
            {to, storage::null_if_empty(reason), r->updated_at, id});
  tx.commit();
  return r;
}

}  // namespace

std::map<std::string, std::string> validate(const ReferralInput& in, const std::string& today) {
  std::map<std::string, std::string> errors;
  check_text(in.contact_name, "contact_name", 200, true, errors);
  if (text::trim(in.postcode).empty())
    errors["postcode"] = "validation.required";
  else if (!text::normalise_postcode(in.postcode))
    errors["postcode"] = "validation.postcode";
  if (text::trim(in.house_number).empty())
    errors["house_number"] = "validation.required";
  else if (!text::is_house_number(text::trim(in.house_number)))
    errors["house_number"] = "validation.house_number";
  check_text(in.reason, "reason", 4000, true, errors);
  if (in.urgency != "normal" && in.urgency != "urgent") errors["urgency"] = "validation.choice";
  if (!in.consent) errors["consent"] = "validation.consent_required";
  if (in.consent_date.empty())
    errors["consent_date"] = "validation.required";
  else if (!is_valid_date(in.consent_date))
    errors["consent_date"] = "validation.date";
  else if (in.consent_date > today)
    errors["consent_date"] = "validation.date_future";
  const int this_year = std::stoi(today.substr(0, 4));
  if (in.children_birth_years.size() > 20) errors["children_birth_years"] = "validation.too_long";
  for (int y : in.children_birth_years)
    if (y < this_year - 30 || y > this_year + 1)
      errors["children_birth_years"] = "validation.birth_year";
  if (in.languages.size() > 20) errors["languages"] = "validation.too_long";
  for (const auto& l : in.languages)
    if (!text::is_language_code(l)) errors["languages"] = "validation.language";
  check_text(in.other_care, "other_care", 2000, false, errors);
  check_text(in.referrer.name, "referrer.name", 200, true, errors);
  check_text(in.referrer.organisation, "referrer.organisation", 200, true, errors);
  if (text::trim(in.referrer.email).empty())
    errors["referrer.email"] = "validation.required";
  else if (!text::is_email(text::trim(in.referrer.email)))
    errors["referrer.email"] = "validation.email";
  check_text(in.referrer.phone, "referrer.phone", 40, false, errors);
  return errors;
}

Result<Referral> create_referral(storage::Connection& c, const auth::Actor& actor,
                                 const ReferralInput& input) {
  auto errors = validate(input, amsterdam_date(actor.clock.now()));
  if (!errors.empty()) return fail(Error::invalid(errors));
  const auth::Principal& p = actor.principal;
  storage::Transaction tx(c);
  // A coordinator's referral goes to their team unless they name another of their teams.
  ReferralInput in = input;
  if (in.team_id) {
    auto team = organisations::find_team_by_id(c, *in.team_id);
    if (!team || team->organisation_id != p.organisation_id)
      return fail(Error::invalid({{"team_id", "validation.choice"}}));
  } else if (p.role == auth::Role::coordinator && !p.team_ids.empty()) {
    in.team_id = p.team_ids.front();
  }
  auth::Gate gate(c, actor);
  if (auto ok = auth::check(p, auth::Action::referral_create, {p.organisation_id, in.team_id, {}});
      !ok) {
    gate.deny("create", "referral", "", "referral_create");
    tx.commit();
    return fail(ok.error());
  }
  const std::string id = insert(c, actor.clock, p.organisation_id, in, "staff", p.user_id);
  gate.log("create", "referral", id);
  auto created = load(c, id);
  tx.commit();
  return *created;
}

Result<Referral> submit_public_referral(storage::Connection& c, const Clock& clock,
                                        const std::string& org_slug, const ReferralInput& input,
                                        const std::string& client_ip, const std::string& base_url) {
  storage::Transaction tx(c);
  auto org = organisations::find_by_slug(c, org_slug);
  if (!org) return fail(Error::not_found());
  // Throttle before validating, so the form cannot be used to probe at speed.
  if (!auth::take(c, clock, "public-referral:" + client_ip, 10, std::chrono::hours(1)) ||
      !auth::take(c, clock, "public-referral-org:" + org->id, 500, std::chrono::hours(24))) {
    tx.commit();
    return fail(Error::rate_limited());
  }
  tx.commit();
  ReferralInput in = input;
  in.team_id.reset();  // the public form cannot choose a team
  auto errors = validate(in, amsterdam_date(clock.now()));
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction write(c);
  const std::string id = insert(c, clock, org->id, in, "public", std::nullopt);
  audit::record(
      c, clock,
      {org->id, "", "referrer", "create", "referral", id, client_ip, "success", "public_form"});
  mail::enqueue(
      c, clock,
      {text::lower_ascii(text::trim(in.referrer.email)), "Aanmelding ontvangen / Referral received",
       "Bedankt voor uw aanmelding bij " + org->name +
           ". We hebben de aanmelding goed ontvangen. Een coördinator neemt binnen "
           "vijf werkdagen contact met u op.\n\n"
           "Thank you: the referral has been received. A coordinator will contact you "
           "within five working days.\n"});
  for (const auto& coordinator : auth::coordinators_of(c, org->id, std::nullopt)) {
    mail::enqueue(c, clock,
                  {coordinator.email, "Nieuwe aanmelding / New referral",
                   "Er is een nieuwe aanmelding binnengekomen via het aanmeldformulier.\n"
                   "Bekijk de aanmelding in Oploop:\n\n" +
                       base_url + "/aanmeldingen/" + id + "\n"});
  }
  auto created = load(c, id);
  write.commit();
  return *created;
}

Result<Page<Referral>> list_referrals(storage::Connection& c, const auth::Actor& actor,
                                      const ReferralFilter& filter) {
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::referral_list);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  static const std::vector<std::string> kStatuses = {"new", "in_intake", "accepted", "declined",
                                                     "withdrawn"};
  if (filter.status &&
      std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end())
    return fail(Error::invalid({{"status", "validation.choice"}}));
  const auto keys = keyset(filter.page);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  const int limit = keys->limit;
  const std::string& before_key = keys->key;
  const std::string& before_id = keys->id;
  storage::Transaction tx(c);
  // Newest first; urgent ones are highlighted by the pages, not reordered, so paging is stable.
  auto rows = c.query(
      std::string(kColumns) +
          "WHERE organisation_id = ? "
          "AND (? = 'organisation' OR (team_id IS NULL OR team_id IN "
          "(SELECT team_id FROM user_teams WHERE user_id = ?))) "
          "AND (CAST(? AS TEXT) IS NULL OR status = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR created_at < ? OR (created_at = ? AND id < ?)) "
          "ORDER BY created_at DESC, id DESC LIMIT ?",
      {p.organisation_id, std::string(scope == auth::Scope::organisation ? "organisation" : "team"),
       p.user_id, storage::optional_value(filter.status), storage::optional_value(filter.status),
       keys->has_cursor ? storage::Value{before_key} : storage::Value{storage::Null{}}, before_key,
       before_key, before_id, std::int64_t{limit + 1}});
  auto page = page_from_rows<Referral>(rows, limit, referral_from,
                                       [](const Referral& x) { return x.created_at; });
  auth::Gate(c, actor).log("list", "referral", "", listed_ids(page));
  tx.commit();
  return page;
}

Result<Referral> get_referral(storage::Connection& c, const auth::Actor& actor,
                              const std::string& id) {
  storage::Transaction tx(c);
  auto r = load_for(c, actor, id, auth::Action::referral_read, "view");
  tx.commit();
  return r;
}

Result<Referral> start_intake(storage::Connection& c, const auth::Actor& actor,
                              const std::string& id) {
  return move(c, actor, id, "in_intake", "");
}

Result<Referral> decline_referral(storage::Connection& c, const auth::Actor& actor,
                                  const std::string& id, const std::string& reason) {
  const std::string clean = text::trim(reason);
  if (clean.empty()) return fail(Error::invalid({{"reason", "validation.required"}}));
  if (text::length(clean) > 2000) return fail(Error::invalid({{"reason", "validation.too_long"}}));
  return move(c, actor, id, "declined", clean);
}

Result<Referral> withdraw_referral(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id, const std::string& reason) {
  const std::string clean = text::trim(reason);
  if (text::length(clean) > 2000) return fail(Error::invalid({{"reason", "validation.too_long"}}));
  return move(c, actor, id, "withdrawn", clean);
}

Result<families::Family> accept_referral(storage::Connection& c, const auth::Actor& actor,
                                         const std::string& id, const AcceptInput& input) {
  if (input.display_name &&
      (text::trim(*input.display_name).empty() || text::length(*input.display_name) > 200))
    return fail(Error::invalid({{"display_name", "validation.required"}}));
  storage::Transaction tx(c);
  auto r = load_for(c, actor, id, auth::Action::referral_decide, "update");
  if (!r) {
    tx.commit();
    return fail(r.error());
  }
  if (!may_move(r->status, "accepted")) return fail(Error::conflict("referral.illegal_transition"));
  const auth::Principal& p = actor.principal;
  families::Family f;
  f.id = new_id();
  f.organisation_id = r->organisation_id;
  f.team_id = input.team_id ? input.team_id : r->team_id;
  if (!f.team_id && p.role == auth::Role::coordinator && !p.team_ids.empty())
    f.team_id = p.team_ids.front();
  if (f.team_id) {
    auto team = organisations::find_team_by_id(c, *f.team_id);
    if (!team || team->organisation_id != r->organisation_id)
      return fail(Error::invalid({{"team_id", "validation.choice"}}));
  }
  f.coordinator_id = input.coordinator_id;
  if (!f.coordinator_id && p.role == auth::Role::coordinator) f.coordinator_id = p.user_id;
  if (f.coordinator_id) {
    auto u = auth::find_user(c, *f.coordinator_id);
    if (!u || u->organisation_id != r->organisation_id || u->role != auth::Role::coordinator)
      return fail(Error::invalid({{"coordinator_id", "validation.choice"}}));
  }
  f.referral_id = r->id;
  f.status = "waiting";
  f.display_name = input.display_name ? text::trim(*input.display_name) : r->contact_name;
  f.postcode = r->postcode;
  f.house_number = r->house_number;
  f.languages = r->languages;
  f.consent_date = r->consent_date;
  if (!r->other_care.empty()) f.formal_care.push_back({r->other_care, "", ""});
  f.waiting_since = amsterdam_date(actor.clock.now());
  f.created_at = f.updated_at = to_rfc3339(actor.clock.now());
  families::insert_family(c, f);
  c.execute("UPDATE referrals SET status = 'accepted', family_id = ?, updated_at = ? WHERE id = ?",
            {f.id, f.updated_at, r->id});
  auth::Gate(c, actor).log("create", "family", f.id, "from_referral=" + r->id);
  tx.commit();
  return f;
}

}  // namespace oploop::referrals
