#include "families/families.hpp"

#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "matches/matches.hpp"

namespace oploop::families {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "SELECT id, organisation_id, team_id, referral_id, status, display_name, postcode, "
    "house_number, city, phone, languages, needs, wishes, preferences, formal_care, "
    "coordinator_id, consent_date, waiting_since, created_at, updated_at FROM families ";

std::vector<std::string> string_list(const std::string& s) {
  auto j = json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Family family_from(const storage::Row& r) {
  Family f;
  f.id = r.text(0);
  f.organisation_id = r.text(1);
  f.team_id = r.optional_text(2);
  f.referral_id = r.optional_text(3);
  f.status = r.text(4);
  f.display_name = r.text(5);
  f.postcode = r.text(6);
  f.house_number = r.text(7);
  f.city = r.text(8);
  f.phone = r.text(9);
  f.languages = string_list(r.text(10));
  f.needs = string_list(r.text(11));
  f.wishes = r.text(12);
  auto prefs = json::parse(r.text(13), nullptr, false);
  if (prefs.is_object()) {
    f.preferences.volunteer_gender = prefs.value("volunteer_gender", "");
    if (prefs.contains("availability") && prefs["availability"].is_array())
      for (const auto& v : prefs["availability"])
        if (v.is_string()) f.preferences.availability.push_back(v.get<std::string>());
  }
  auto care = json::parse(r.text(14), nullptr, false);
  if (care.is_array())
    for (const auto& v : care)
      if (v.is_object())
        f.formal_care.push_back(
            {v.value("agency", ""), v.value("contact", ""), v.value("since", "")});
  f.coordinator_id = r.optional_text(15);
  f.consent_date = r.text(16);
  f.waiting_since = r.text(17);
  f.created_at = r.text(18);
  f.updated_at = r.text(19);
  return f;
}

std::string preferences_json(const Preferences& p) {
  return json{{"volunteer_gender", p.volunteer_gender}, {"availability", p.availability}}.dump();
}

std::string formal_care_json(const std::vector<FormalCare>& care) {
  json arr = json::array();
  for (const auto& c : care)
    arr.push_back({{"agency", c.agency}, {"contact", c.contact}, {"since", c.since}});
  return arr.dump();
}

auth::ResourceRef resource_of(storage::Connection& c, const Family& f) {
  return {f.organisation_id, f.team_id, matches::family_owners(c, f.id)};
}

void load_members(storage::Connection& c, Family& f) {
  for (const auto& r :
       c.query("SELECT id, first_name, role, birth_date FROM household_members WHERE family_id = ? "
               "ORDER BY CASE role WHEN 'parent' THEN 0 WHEN 'child' THEN 1 ELSE 2 END, "
               "birth_date, first_name",
               {f.id})) {
    f.members.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  }
}

void validate_codes(const std::vector<std::string>& codes, bool (*valid)(const std::string&),
                    const char* field, const char* message,
                    std::map<std::string, std::string>& errors) {
  for (const auto& code : codes)
    if (!valid(code)) errors[field] = message;
}

bool is_language(const std::string& s) { return text::is_language_code(s); }

// Loads a family for `action` through the gate. On refusal the transaction is committed —
// it holds only the access-log entry of the attempt — and the error returned.
Result<Family> load_checked(storage::Connection& c, storage::Transaction& tx,
                            const auth::Actor& actor, const std::string& id, auth::Action action,
                            const char* event) {
  auth::Gate gate(c, actor);
  auto family = load_family(c, id);
  Status ok = family ? gate.check(action, resource_of(c, *family), event, "family", id)
                     : Status(fail(gate.missing(event, "family", id)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  return *family;
}

}  // namespace

std::optional<Family> load_family(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", {id});
  if (!row) return std::nullopt;
  Family f = family_from(*row);
  load_members(c, f);
  return f;
}

std::vector<Family> waiting_families(storage::Connection& c, const std::string& organisation_id) {
  std::vector<Family> out;
  for (const auto& r :
       c.query(std::string(kColumns) +
                   "WHERE organisation_id = ? AND status = 'waiting' ORDER BY waiting_since, id",
               {organisation_id}))
    out.push_back(family_from(r));
  return out;
}

void insert_family(storage::Connection& c, const Family& f) {
  c.execute(
      "INSERT INTO families (id, organisation_id, team_id, referral_id, status, display_name, "
      "postcode, house_number, city, phone, languages, needs, wishes, preferences, formal_care, "
      "coordinator_id, consent_date, waiting_since, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {f.id,
       f.organisation_id,
       storage::optional_value(f.team_id),
       storage::optional_value(f.referral_id),
       f.status,
       f.display_name,
       f.postcode,
       f.house_number,
       f.city,
       f.phone,
       json(f.languages).dump(),
       json(f.needs).dump(),
       f.wishes,
       preferences_json(f.preferences),
       formal_care_json(f.formal_care),
       storage::optional_value(f.coordinator_id),
       storage::null_if_empty(f.consent_date),
       storage::null_if_empty(f.waiting_since),
       f.created_at,
       f.updated_at});
}

Result<Page<Family>> list_families(storage::Connection& c, const auth::Actor& actor,
                                   const FamilyFilter& filter) {
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::family_list);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  if (filter.status && *filter.status != "waiting" && *filter.status != "matched" &&
      *filter.status != "closed")
    return fail(Error::invalid({{"status", "validation.choice"}}));
  const auto keys = keyset(filter.page);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  const int limit = keys->limit;
  const std::string& after_key = keys->key;
  const std::string& after_id = keys->id;
  storage::Transaction tx(c);
  // Sorted by waiting time (longest first), then id: the waiting list order.
  // The scope is part of the key: organisation always, then team or own.
  const std::string scope_name = scope == auth::Scope::organisation ? "organisation"
                                 : scope == auth::Scope::team       ? "team"
                                                                    : "own";
  auto rows =
      c.query(std::string(kColumns) +
                  "WHERE organisation_id = ? "
                  "AND (? = 'organisation' "
                  "OR (? = 'team' AND (team_id IS NULL OR team_id IN "
                  "(SELECT team_id FROM user_teams WHERE user_id = ?))) "
                  "OR (? = 'own' AND id IN (SELECT m.family_id FROM matches m JOIN volunteers v "
                  "ON v.id = m.volunteer_id WHERE v.user_id = ? AND m.status IN ('introduction', "
                  "'active', 'stepping_down')))) "
                  "AND (CAST(? AS TEXT) IS NULL OR status = ?) "
                  "AND (CAST(? AS TEXT) IS NULL OR COALESCE(waiting_since, '') > ? "
                  "OR (COALESCE(waiting_since, '') = ? AND id > ?)) "
                  "ORDER BY COALESCE(waiting_since, ''), id LIMIT ?",
              {p.organisation_id, scope_name, scope_name, p.user_id, scope_name, p.user_id,
               storage::optional_value(filter.status), storage::optional_value(filter.status),
               keys->has_cursor ? storage::Value{after_key} : storage::Value{storage::Null{}},
               after_key, after_key, after_id, std::int64_t{limit + 1}});
  auto page = page_from_rows<Family>(rows, limit, family_from,
                                     [](const Family& f) { return f.waiting_since; });
  for (auto& f : page.items) load_members(c, f);
  auth::Gate(c, actor).log("list", "family", "", listed_ids(page));
  tx.commit();
  return page;
}

Result<Family> get_family(storage::Connection& c, const auth::Actor& actor, const std::string& id) {
  storage::Transaction tx(c);
  auto family = TRY(load_checked(c, tx, actor, id, auth::Action::family_read, "view"));
  tx.commit();
  return family;
}

Result<Family> update_family(storage::Connection& c, const auth::Actor& actor,
                             const std::string& id, const FamilyPatch& patch) {
  std::map<std::string, std::string> errors;
  std::optional<std::string> postcode;
  if (patch.display_name) {
    if (text::trim(*patch.display_name).empty())
      errors["display_name"] = "validation.required";
    else if (text::length(*patch.display_name) > 200)
      errors["display_name"] = "validation.too_long";
  }
  if (patch.postcode) {
    postcode = text::normalise_postcode(*patch.postcode);
    if (!postcode) errors["postcode"] = "validation.postcode";
  }
  if (patch.house_number && !text::is_house_number(text::trim(*patch.house_number)))
    errors["house_number"] = "validation.house_number";
  if (patch.city && text::length(*patch.city) > 100) errors["city"] = "validation.too_long";
  if (patch.phone && text::length(*patch.phone) > 40) errors["phone"] = "validation.too_long";
  if (patch.wishes && text::length(*patch.wishes) > 4000) errors["wishes"] = "validation.too_long";
  if (patch.languages)
    validate_codes(*patch.languages, is_language, "languages", "validation.language", errors);
  if (patch.needs)
    validate_codes(*patch.needs, is_life_domain, "needs", "validation.choice", errors);
  if (patch.preferences) {
    const auto& g = patch.preferences->volunteer_gender;
    if (!g.empty() && g != "female" && g != "male" && g != "no_preference")
      errors["preferences.volunteer_gender"] = "validation.choice";
    validate_codes(patch.preferences->availability, is_availability_slot,
                   "preferences.availability", "validation.choice", errors);
  }
  if (patch.formal_care) {
    for (const auto& fc : *patch.formal_care) {
      if (text::trim(fc.agency).empty()) errors["formal_care"] = "validation.required";
      if (!fc.since.empty() && !is_valid_date(fc.since)) errors["formal_care"] = "validation.date";
    }
  }
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction tx(c);
  auto family = TRY(load_checked(c, tx, actor, id, auth::Action::family_update, "update"));
  // References must stay inside the organisation.
  if (patch.coordinator_id && *patch.coordinator_id) {
    auto u = c.query_one("SELECT organisation_id, role FROM users WHERE id = ?",
                         {**patch.coordinator_id});
    if (!u || u->text(0) != family.organisation_id || u->text(1) != "coordinator")
      return fail(Error::invalid({{"coordinator_id", "validation.choice"}}));
  }
  if (patch.team_id && *patch.team_id) {
    auto t = c.query_one("SELECT organisation_id FROM teams WHERE id = ?", {**patch.team_id});
    if (!t || t->text(0) != family.organisation_id)
      return fail(Error::invalid({{"team_id", "validation.choice"}}));
  }
  Family f = family;
  if (patch.display_name) f.display_name = text::trim(*patch.display_name);
  if (postcode) f.postcode = *postcode;
  if (patch.house_number) f.house_number = text::trim(*patch.house_number);
  if (patch.city) f.city = text::trim(*patch.city);
  if (patch.phone) f.phone = text::trim(*patch.phone);
  if (patch.wishes) f.wishes = *patch.wishes;
  if (patch.languages) f.languages = *patch.languages;
  if (patch.needs) f.needs = *patch.needs;
  if (patch.preferences) f.preferences = *patch.preferences;
  if (patch.formal_care) f.formal_care = *patch.formal_care;
  if (patch.coordinator_id) f.coordinator_id = *patch.coordinator_id;
  if (patch.team_id) f.team_id = *patch.team_id;
  f.updated_at = to_rfc3339(actor.clock.now());
  c.execute(
      "UPDATE families SET display_name = ?, postcode = ?, house_number = ?, city = ?, phone = ?, "
      "wishes = ?, languages = ?, needs = ?, preferences = ?, formal_care = ?, coordinator_id = ?, "
      "team_id = ?, updated_at = ? WHERE id = ? AND organisation_id = ?",
      {f.display_name, f.postcode, f.house_number, f.city, f.phone, f.wishes,
       json(f.languages).dump(), json(f.needs).dump(), preferences_json(f.preferences),
       formal_care_json(f.formal_care), storage::optional_value(f.coordinator_id),
       storage::optional_value(f.team_id), f.updated_at, f.id, f.organisation_id});
  tx.commit();
  return f;
}

Result<HouseholdMember> add_member(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& family_id, const MemberInput& input) {
  std::map<std::string, std::string> errors;
  const std::string first_name = text::trim(input.first_name);
  if (first_name.empty())
    errors["first_name"] = "validation.required";
  else if (text::length(first_name) > 100)
    errors["first_name"] = "validation.too_long";
  if (input.role != "parent" && input.role != "child" && input.role != "other")
    errors["role"] = "validation.choice";
  if (!input.birth_date.empty()) {
    if (!is_valid_date(input.birth_date))
      errors["birth_date"] = "validation.date";
    else if (input.birth_date > to_date(actor.clock.now()) || input.birth_date < "1900-01-01")
      errors["birth_date"] = "validation.date_range";
  }
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction tx(c);
  TRY(load_checked(c, tx, actor, family_id, auth::Action::family_update, "update"));
  HouseholdMember m{new_id(), first_name, input.role, input.birth_date};
  c.execute(
      "INSERT INTO household_members (id, family_id, first_name, role, birth_date, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {m.id, family_id, m.first_name, m.role, storage::null_if_empty(m.birth_date),
       to_rfc3339(actor.clock.now())});
  c.execute("UPDATE families SET updated_at = ? WHERE id = ?",
            {to_rfc3339(actor.clock.now()), family_id});
  tx.commit();
  return m;
}

}  // namespace oploop::families
