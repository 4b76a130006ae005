#include "volunteers/volunteers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "auth/gate.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "families/family.hpp"
#include "organisations/organisations.hpp"
#include "storage/versions.hpp"

namespace oploop::volunteers {
namespace {

using nlohmann::json;

// Every read also counts the volunteer's open matches and the organisation's VOG policy, so
// eligibility is always computed from fresh data.
constexpr const char* kColumns =
    "SELECT v.id, v.organisation_id, v.team_id, v.user_id, v.status, v.stop_reason, "
    "v.first_name, v.last_name, v.email, v.phone, v.postcode, v.house_number, v.gender, "
    "v.languages, v.skills, v.availability, v.max_families, v.max_distance_km, v.preferences, "
    "v.intake_on, v.vog_issued_on, v.training_completed_on, v.code_signed_on, "
    "v.references_checked_on, v.created_at, v.updated_at, "
    "(SELECT COUNT(*) FROM matches m WHERE m.volunteer_id = v.id AND m.status <> 'closed'), "
    "o.vog_validity_years "
    "FROM volunteers v JOIN organisations o ON o.id = v.organisation_id ";

// Lists are stored as JSON arrays of plain codes ('["nl","ar"]'). Matching reads three of them
// for every candidate on every request, so those are split here without a JSON parser; anything
// else (escapes, odd spacing) goes through nlohmann.
std::vector<std::string> list_of(const std::string& s) {
  std::vector<std::string> out;
  auto parsed = [&] {
    out.clear();
    auto j = json::parse(s, nullptr, false);
    if (j.is_array())
      for (const auto& x : j)
        if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
  };
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return parsed();
  if (s.size() == 2) return out;
  std::size_t i = 1;
  for (;;) {
    if (s[i] != '"') return parsed();
    const std::size_t end = s.find('"', i + 1);
    if (end == std::string::npos) return parsed();
    if (std::find(s.begin() + i + 1, s.begin() + end, '\\') != s.begin() + end) return parsed();
    out.emplace_back(s, i + 1, end - i - 1);
    i = end + 1;
    if (s[i] == ']' && i + 1 == s.size()) return out;
    if (s[i] != ',') return parsed();
    ++i;
  }
}

Volunteer volunteer_from(const storage::Row& r) {
  Volunteer v;
  v.id = r.text(0);
  v.organisation_id = r.text(1);
  v.team_id = r.optional_text(2);
  v.user_id = r.optional_text(3);
  v.status = r.text(4);
  v.stop_reason = r.text(5);
  v.first_name = r.text(6);
  v.last_name = r.text(7);
  v.email = r.text(8);
  v.phone = r.text(9);
  v.postcode = r.text(10);
  v.house_number = r.text(11);
  v.gender = r.text(12);
  v.languages = list_of(r.text(13));
  v.skills = list_of(r.text(14));
  v.availability = list_of(r.text(15));
  v.max_families = static_cast<int>(r.integer(16));
  v.max_distance_km = static_cast<int>(r.integer(17));
  v.preferences = r.text(18);
  v.screening = {r.text(19), r.text(20), r.text(21), r.text(22), r.text(23)};
  v.created_at = r.text(24);
  v.updated_at = r.text(25);
  v.open_matches = static_cast<int>(r.integer(26));
  v.vog_valid_until = vog_valid_until(v.screening.vog_issued_on, static_cast<int>(r.integer(27)));
  return v;
}

auth::ResourceRef resource_of(const Volunteer& v) {
  std::vector<std::string> owners;
  if (v.user_id) owners.push_back(*v.user_id);
  return {v.organisation_id, v.team_id, owners};
}

struct Profile {
  std::string first_name, last_name, email, phone, postcode, house_number, gender, preferences;
  std::vector<std::string> languages, skills, availability;
  int max_families = 1, max_distance_km = 10;
};

std::map<std::string, std::string> validate(Profile& p) {
  std::map<std::string, std::string> errors;
  auto required = [&](std::string& value, const char* field, std::size_t max) {
    value = text::trim(value);
    if (value.empty())
      errors[field] = "validation.required";
    else if (text::length(value) > max)
      errors[field] = "validation.too_long";
  };
  required(p.first_name, "first_name", 100);
  required(p.last_name, "last_name", 100);
  p.email = text::lower_ascii(text::trim(p.email));
  if (!p.email.empty() && !text::is_email(p.email)) errors["email"] = "validation.email";
  if (text::length(p.phone) > 40) errors["phone"] = "validation.too_long";
  if (!text::trim(p.postcode).empty()) {
    auto pc = text::normalise_postcode(p.postcode);
    if (!pc)
      errors["postcode"] = "validation.postcode";
    else
      p.postcode = *pc;
  } else {
    p.postcode.clear();
  }
  p.house_number = text::trim(p.house_number);
  if (!p.house_number.empty() && !text::is_house_number(p.house_number))
    errors["house_number"] = "validation.house_number";
  if (!p.gender.empty() && p.gender != "female" && p.gender != "male" && p.gender != "other")
    errors["gender"] = "validation.choice";
  for (const auto& l : p.languages)
    if (!text::is_language_code(l)) errors["languages"] = "validation.language";
  for (const auto& s : p.skills)
    if (!families::is_life_domain(s)) errors["skills"] = "validation.choice";
  for (const auto& a : p.availability)
    if (!families::is_availability_slot(a)) errors["availability"] = "validation.choice";
  if (p.max_families < 1 || p.max_families > 3) errors["max_families"] = "validation.max_families";
  if (p.max_distance_km < 1 || p.max_distance_km > 100)
    errors["max_distance_km"] = "validation.max_distance";
  if (text::length(p.preferences) > 2000) errors["preferences"] = "validation.too_long";
  return errors;
}

Status check_references(storage::Connection& c, const std::string& organisation_id,
                        const std::optional<std::string>& team_id,
                        const std::optional<std::string>& user_id) {
  if (team_id) {
    auto team = organisations::find_team_by_id(c, *team_id);
    if (!team || team->organisation_id != organisation_id)
      return fail(Error::invalid({{"team_id", "validation.choice"}}));
  }
  if (user_id) {
    auto u = c.query_one("SELECT organisation_id, role FROM users WHERE id = ?", {*user_id});
    if (!u || u->text(0) != organisation_id || u->text(1) != "volunteer")
      return fail(Error::invalid({{"user_id", "validation.choice"}}));
  }
  return {};
}

void record_transition(storage::Connection& c, const Clock& clock, const std::string& id,
                       const std::string& from, const std::string& to, const std::string& reason,
                       const std::string& by_user) {
  c.execute(
      "INSERT INTO volunteer_transitions (id, volunteer_id, from_status, to_status, reason, "
      "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {new_id(), id, from, to, storage::null_if_empty(reason), storage::null_if_empty(by_user),
       to_rfc3339(clock.now())});
}

Result<Volunteer> load_checked(storage::Connection& c, storage::Transaction& tx,
                               const auth::Actor& actor, const std::string& id, auth::Action action,
                               const char* event) {
  auth::Gate gate(c, actor);
  auto v = load_volunteer(c, id);
  Status ok = v ? gate.check(action, resource_of(*v), event, "volunteer", id)
                : Status(fail(gate.missing(event, "volunteer", id)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  return *v;
}

void save_profile(storage::Connection& c, const Volunteer& v) {
  c.execute(
      "UPDATE volunteers SET team_id = ?, user_id = ?, first_name = ?, last_name = ?, email = ?, "
      "phone = ?, postcode = ?, house_number = ?, gender = ?, languages = ?, skills = ?, "
      "availability = ?, max_families = ?, max_distance_km = ?, preferences = ?, updated_at = ? "
      "WHERE id = ?",
      {storage::optional_value(v.team_id), storage::optional_value(v.user_id), v.first_name,
       v.last_name, v.email, v.phone, v.postcode, v.house_number, v.gender,
       json(v.languages).dump(), json(v.skills).dump(), json(v.availability).dump(),
       std::int64_t{v.max_families}, std::int64_t{v.max_distance_km}, v.preferences, v.updated_at,
       v.id});
  candidates_changed(c, v.organisation_id);
}

}  // namespace

std::optional<Volunteer> load_volunteer(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE v.id = ?", {id});
  if (!row) return std::nullopt;
  return volunteer_from(*row);
}

std::string candidates_scope(const std::string& organisation_id) {
  return "candidates:" + organisation_id;
}

void candidates_changed(storage::Connection& c, const std::string& organisation_id) {
  storage::bump_version(c, candidates_scope(organisation_id));
}

std::vector<Volunteer> candidates(storage::Connection& c, const std::string& organisation_id) {
  // Suggestions read every candidate on every request (15,000 volunteers in 10 ms), so this
  // reads only what matching uses — the profile and screening, not contact details, intake,
  // references or timestamps, which stay empty — counts open matches in one query for the whole
  // organisation, and orders by id here (cheaper than SQLite's sorter over these rows).
  std::vector<Volunteer> out;
  auto policy =
      c.query_one("SELECT vog_validity_years FROM organisations WHERE id = ?", {organisation_id});
  if (!policy) return out;
  const int vog_years = static_cast<int>(policy->integer(0));
  std::unordered_map<std::string, int> open;
  for (const auto& r :
       c.query("SELECT volunteer_id, COUNT(*) FROM matches WHERE organisation_id = ? "
               "AND status <> 'closed' GROUP BY volunteer_id",
               {organisation_id}))
    open[r.text(0)] = static_cast<int>(r.integer(1));
  const auto rows = c.query(
      "SELECT v.id, v.team_id, v.status, v.first_name, v.last_name, v.postcode, v.gender, "
      "v.languages, v.skills, v.availability, v.max_families, v.max_distance_km, "
      "v.vog_issued_on, v.training_completed_on, v.code_signed_on FROM volunteers v "
      "WHERE v.organisation_id = ? AND v.status IN ('screening', 'available', 'matched')",
      {organisation_id});
  std::vector<std::pair<const std::string*, const storage::Row*>> by_id;
  by_id.reserve(rows.size());
  for (const auto& r : rows) by_id.emplace_back(&r.text(0), &r);
  std::sort(by_id.begin(), by_id.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  out.reserve(rows.size());
  for (const auto& [id, row] : by_id) {
    const storage::Row& r = *row;
    Volunteer& v = out.emplace_back();
    v.id = *id;
    v.organisation_id = organisation_id;
    v.team_id = r.optional_text(1);
    v.status = r.text(2);
    v.first_name = r.text(3);
    v.last_name = r.text(4);
    v.postcode = r.text(5);
    v.gender = r.text(6);
    v.languages = list_of(r.text(7));
    v.skills = list_of(r.text(8));
    v.availability = list_of(r.text(9));
    v.max_families = static_cast<int>(r.integer(10));
    v.max_distance_km = static_cast<int>(r.integer(11));
    v.screening.vog_issued_on = r.text(12);
    v.screening.training_completed_on = r.text(13);
    v.screening.code_signed_on = r.text(14);
    if (auto it = open.find(v.id); it != open.end()) v.open_matches = it->second;
    v.vog_valid_until = vog_valid_until(v.screening.vog_issued_on, vog_years);
  }
  return out;
}

Result<Volunteer> create_volunteer(storage::Connection& c, const auth::Actor& actor,
                                   const VolunteerInput& in) {
  Profile p{in.first_name,   in.last_name,    in.email,          in.phone,     in.postcode,
            in.house_number, in.gender,       in.preferences,    in.languages, in.skills,
            in.availability, in.max_families, in.max_distance_km};
  auto errors = validate(p);
  if (!errors.empty()) return fail(Error::invalid(errors));
  const auth::Principal& who = actor.principal;
  storage::Transaction tx(c);
  auto team_id = in.team_id;
  if (!team_id && who.role == auth::Role::coordinator && !who.team_ids.empty())
    team_id = who.team_ids.front();
  TRY_STATUS(check_references(c, who.organisation_id, team_id, in.user_id));
  auth::Gate gate(c, actor);
  if (auto ok =
          auth::check(who, auth::Action::volunteer_manage, {who.organisation_id, team_id, {}});
      !ok) {
    gate.deny("create", "volunteer", "", "volunteer_manage");
    tx.commit();
    return fail(ok.error());
  }
  const std::string id = new_id();
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO volunteers (id, organisation_id, team_id, user_id, status, first_name, "
      "last_name, email, phone, postcode, house_number, gender, languages, skills, availability, "
      "max_families, max_distance_km, preferences, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, 'applicant', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, who.organisation_id, storage::optional_value(team_id),
       storage::optional_value(in.user_id), p.first_name, p.last_name, p.email, text::trim(p.phone),
       p.postcode, p.house_number, p.gender, json(p.languages).dump(), json(p.skills).dump(),
       json(p.availability).dump(), std::int64_t{p.max_families}, std::int64_t{p.max_distance_km},
       p.preferences, now, now});
  candidates_changed(c, who.organisation_id);
  gate.log("create", "volunteer", id);
  auto v = load_volunteer(c, id);
  tx.commit();
  return *v;
}

Result<Page<Volunteer>> list_volunteers(storage::Connection& c, const auth::Actor& actor,
                                        const VolunteerFilter& filter) {
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::volunteer_list);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  static const std::vector<std::string> kStatuses = {"applicant", "screening", "available",
                                                     "matched",   "paused",    "stopped"};
  if (filter.status &&
      std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end())
    return fail(Error::invalid({{"status", "validation.choice"}}));
  if (filter.language && !text::is_language_code(*filter.language))
    return fail(Error::invalid({{"language", "validation.language"}}));
  const auto keys = keyset(filter.page);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  const int limit = keys->limit;
  const std::string& after_key = keys->key;
  const std::string& after_id = keys->id;
  // Languages are a JSON array of two-letter codes, so '"nl"' inside the text is exact.
  const storage::Value language = filter.language ? storage::Value{"%\"" + *filter.language + "\"%"}
                                                  : storage::Value{storage::Null{}};
  storage::Transaction tx(c);
  auto rows = c.query(
      std::string(kColumns) +
          "WHERE v.organisation_id = ? "
          "AND (? = 'organisation' OR v.team_id IS NULL OR v.team_id IN "
          "(SELECT team_id FROM user_teams WHERE user_id = ?)) "
          "AND (CAST(? AS TEXT) IS NULL OR v.status = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR v.languages LIKE ?) "
          "AND (CAST(? AS TEXT) IS NULL OR v.team_id = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR v.last_name || ' ' || v.first_name > ? "
          "OR (v.last_name || ' ' || v.first_name = ? AND v.id > ?)) "
          "ORDER BY v.last_name || ' ' || v.first_name, v.id LIMIT ?",
      {p.organisation_id, std::string(scope == auth::Scope::organisation ? "organisation" : "team"),
       p.user_id, storage::optional_value(filter.status), storage::optional_value(filter.status),
       language, language, storage::optional_value(filter.team_id),
       storage::optional_value(filter.team_id),
       keys->has_cursor ? storage::Value{after_key} : storage::Value{storage::Null{}}, after_key,
       after_key, after_id, std::int64_t{limit + 1}});
  auto page = page_from_rows<Volunteer>(rows, limit, volunteer_from, [](const Volunteer& x) {
    return x.last_name + " " + x.first_name;
  });
  auth::Gate(c, actor).log("list", "volunteer", "", listed_ids(page));
  tx.commit();
  return page;
}

Result<Volunteer> get_volunteer(storage::Connection& c, const auth::Actor& actor,
                                const std::string& id) {
  storage::Transaction tx(c);
  auto v = TRY(load_checked(c, tx, actor, id, auth::Action::volunteer_read, "view"));
  tx.commit();
  return v;
}

Result<Volunteer> update_volunteer(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id, const VolunteerPatch& patch) {
  storage::Transaction tx(c);
  auto v = TRY(load_checked(c, tx, actor, id, auth::Action::volunteer_manage, "update"));
  Profile p{patch.first_name.value_or(v.first_name),
            patch.last_name.value_or(v.last_name),
            patch.email.value_or(v.email),
            patch.phone.value_or(v.phone),
            patch.postcode.value_or(v.postcode),
            patch.house_number.value_or(v.house_number),
            patch.gender.value_or(v.gender),
            patch.preferences.value_or(v.preferences),
            patch.languages.value_or(v.languages),
            patch.skills.value_or(v.skills),
            patch.availability.value_or(v.availability),
            patch.max_families.value_or(v.max_families),
            patch.max_distance_km.value_or(v.max_distance_km)};
  auto errors = validate(p);
  if (!errors.empty()) return fail(Error::invalid(errors));
  if (patch.team_id) v.team_id = *patch.team_id;
  if (patch.user_id) v.user_id = *patch.user_id;
  TRY_STATUS(check_references(c, v.organisation_id, v.team_id, v.user_id));
  v.first_name = p.first_name;
  v.last_name = p.last_name;
  v.email = p.email;
  v.phone = text::trim(p.phone);
  v.postcode = p.postcode;
  v.house_number = p.house_number;
  v.gender = p.gender;
  v.preferences = p.preferences;
  v.languages = p.languages;
  v.skills = p.skills;
  v.availability = p.availability;
  v.max_families = p.max_families;
  v.max_distance_km = p.max_distance_km;
  v.updated_at = to_rfc3339(actor.clock.now());
  save_profile(c, v);
  tx.commit();
  return v;
}

Result<Volunteer> update_screening(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id,
                                   const std::map<std::string, std::string>& dates) {
  static const std::vector<std::string> kFields = {"intake_on", "vog_issued_on",
                                                   "training_completed_on", "code_signed_on",
                                                   "references_checked_on"};
  const std::string today = amsterdam_date(actor.clock.now());
  std::map<std::string, std::string> errors;
  for (const auto& [field, value] : dates) {
    if (std::find(kFields.begin(), kFields.end(), field) == kFields.end()) continue;
    if (value.empty()) continue;
    if (!is_valid_date(value))
      errors[field] = "validation.date";
    else if (value > today)
      errors[field] = "validation.date_future";
    else if (value < "1990-01-01")
      errors[field] = "validation.date_range";
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  storage::Transaction tx(c);
  auto v = TRY(load_checked(c, tx, actor, id, auth::Action::volunteer_manage, "update"));
  auto pick = [&](const std::string& field, const std::string& current) {
    auto it = dates.find(field);
    return it == dates.end() ? current : it->second;
  };
  v.screening = {pick("intake_on", v.screening.intake_on),
                 pick("vog_issued_on", v.screening.vog_issued_on),
                 pick("training_completed_on", v.screening.training_completed_on),
                 pick("code_signed_on", v.screening.code_signed_on),
                 pick("references_checked_on", v.screening.references_checked_on)};
  v.updated_at = to_rfc3339(actor.clock.now());
  c.execute(
      "UPDATE volunteers SET intake_on = ?, vog_issued_on = ?, training_completed_on = ?, "
      "code_signed_on = ?, references_checked_on = ?, updated_at = ? WHERE id = ?",
      {storage::null_if_empty(v.screening.intake_on),
       storage::null_if_empty(v.screening.vog_issued_on),
       storage::null_if_empty(v.screening.training_completed_on),
       storage::null_if_empty(v.screening.code_signed_on),
       storage::null_if_empty(v.screening.references_checked_on), v.updated_at, id});
  candidates_changed(c, v.organisation_id);
  auto fresh = load_volunteer(c, id);
  tx.commit();
  return *fresh;
}

Result<Volunteer> transition_volunteer(storage::Connection& c, const auth::Actor& actor,
                                       const std::string& id, const std::string& to,
                                       const std::string& reason) {
  static const std::vector<std::string> kStates = {"applicant", "screening", "available",
                                                   "matched",   "paused",    "stopped"};
  if (std::find(kStates.begin(), kStates.end(), to) == kStates.end())
    return fail(Error::invalid({{"to", "validation.choice"}}));
  const std::string clean_reason = text::trim(reason);
  if (to == "stopped" && clean_reason.empty())
    return fail(Error::invalid({{"reason", "validation.required"}}));
  if (text::length(clean_reason) > 2000)
    return fail(Error::invalid({{"reason", "validation.too_long"}}));
  storage::Transaction tx(c);
  auto v = TRY(load_checked(c, tx, actor, id, auth::Action::volunteer_manage, "update"));
  if (!may_move(v.status, to)) return fail(Error::conflict("volunteer.illegal_transition"));
  // "available" means ready to be matched: the screening must be complete.
  if (to == "available") {
    Volunteer probe = v;
    probe.status = "available";
    probe.open_matches = 0;
    for (const auto& b : blockers(probe, amsterdam_date(actor.clock.now())))
      if (b.code != "full") return fail(Error::conflict("volunteer.screening_incomplete"));
  }
  c.execute("UPDATE volunteers SET status = ?, stop_reason = ?, updated_at = ? WHERE id = ?",
            {to, storage::null_if_empty(to == "stopped" ? clean_reason : ""),
             to_rfc3339(actor.clock.now()), id});
  candidates_changed(c, v.organisation_id);
  record_transition(c, actor.clock, id, v.status, to, clean_reason, actor.principal.user_id);
  auto fresh = load_volunteer(c, id);
  tx.commit();
  return *fresh;
}

void follow_matches(storage::Connection& c, const Clock& clock, const std::string& volunteer_id,
                    const std::string& by_user) {
  auto v = load_volunteer(c, volunteer_id);
  if (!v) return;
  candidates_changed(c, v->organisation_id);  // its open matches changed, whatever its state
  std::string to = v->status;
  if (v->open_matches > 0 && v->status == "available") to = "matched";
  if (v->open_matches == 0 && v->status == "matched") to = "available";
  if (to == v->status) return;
  c.execute("UPDATE volunteers SET status = ?, updated_at = ? WHERE id = ?",
            {to, to_rfc3339(clock.now()), volunteer_id});
  record_transition(c, clock, volunteer_id, v->status, to, "", by_user);
}

bool record_basic_training(storage::Connection& c, const Clock& clock,
                           const std::string& volunteer_id, const std::string& date) {
  auto v = load_volunteer(c, volunteer_id);
  if (!v || !v->screening.training_completed_on.empty() || !is_valid_date(date)) return false;
  c.execute(
      "UPDATE volunteers SET training_completed_on = ?, updated_at = ? "
      "WHERE id = ? AND (training_completed_on IS NULL OR training_completed_on = '')",
      {date, to_rfc3339(clock.now()), volunteer_id});
  // A completed training may make the volunteer eligible: the candidate index must see it.
  candidates_changed(c, v->organisation_id);
  return true;
}

}  // namespace oploop::volunteers
