#include "coordination/partner_consultations.hpp"

#include <algorithm>

#include "auth/gate.hpp"
#include "coordination/checks.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "families/families.hpp"

namespace oploop::coordination {
namespace {

using auth::Action;

constexpr const char* kColumns =
    "SELECT p.id, p.organisation_id, p.family_id, f.display_name, f.team_id, p.partner_kind, "
    "p.partner_name, p.held_on, p.summary, p.created_by, COALESCE(u.name, ''), p.created_at "
    "FROM partner_consultations p JOIN families f ON f.id = p.family_id "
    "LEFT JOIN users u ON u.id = p.created_by ";

// Newest first: by date, then by when it was written down.
constexpr const char* kOrder =
    "AND (CAST(? AS TEXT) IS NULL OR p.held_on || ' ' || p.created_at < ? "
    "OR (p.held_on || ' ' || p.created_at = ? AND p.id < ?)) "
    "ORDER BY p.held_on DESC, p.created_at DESC, p.id DESC LIMIT ?";

PartnerConsultation consultation_from(const storage::Row& r) {
  PartnerConsultation p;
  p.id = r.text(0);
  p.organisation_id = r.text(1);
  p.family_id = r.text(2);
  p.family_name = r.text(3);
  p.team_id = r.optional_text(4);
  p.partner_kind = r.text(5);
  p.partner_name = r.text(6);
  p.date = r.text(7);
  p.summary = r.text(8);
  p.created_by = r.text(9);
  p.created_by_name = r.text(10);
  p.created_at = r.text(11);
  return p;
}

std::string sort_key(const PartnerConsultation& p) { return p.date + " " + p.created_at; }

std::optional<PartnerConsultation> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE p.id = ?", {id});
  if (!row) return std::nullopt;
  return consultation_from(*row);
}

std::map<std::string, std::string> validate(ConsultationInput& in, const std::string& today) {
  std::map<std::string, std::string> errors;
  in.family_id = text::trim(in.family_id);
  if (in.family_id.empty()) errors["family_id"] = "validation.required";
  const auto& kinds = partner_kinds();
  if (std::find(kinds.begin(), kinds.end(), in.partner_kind) == kinds.end())
    errors["partner_kind"] = in.partner_kind.empty() ? "validation.required" : "validation.choice";
  in.partner_name = text::trim(in.partner_name);
  if (in.partner_name.empty())
    errors["partner_name"] = "validation.required";
  else if (auto e = single_line_error(in.partner_name, 200))
    errors["partner_name"] = *e;
  if (auto e = date_error(in.date, today)) errors["date"] = *e;
  in.summary = text::trim(in.summary);
  if (in.summary.empty())
    errors["summary"] = "validation.required";
  else if (auto e = multi_line_error(in.summary, 4000))
    errors["summary"] = *e;
  return errors;
}

}  // namespace

const std::vector<std::string>& partner_kinds() {
  static const std::vector<std::string> kKinds = {
      "consultatiebureau", "midwife", "social_services", "school", "referrer", "gp", "other"};
  return kKinds;
}

Result<PartnerConsultation> record_consultation(storage::Connection& c, const auth::Actor& actor,
                                                const ConsultationInput& input) {
  ConsultationInput in = input;
  auto errors = validate(in, amsterdam_date(actor.clock.now()));
  if (!errors.empty()) return fail(Error::invalid(errors));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto family = families::load_family(c, in.family_id);
  // A family of another organisation is as unknown as one that does not exist: the field is
  // wrong (422), and the attempt is logged.
  if (!family || family->organisation_id != actor.principal.organisation_id) {
    gate.missing("create", "partner_consultation", "family:" + in.family_id);
    tx.commit();
    return fail(Error::invalid({{"family_id", "validation.choice"}}));
  }
  const std::string id = new_id();
  if (auto ok = check_with_details(gate, Action::partner_consultation_manage,
                                   {family->organisation_id, family->team_id, {}}, "create",
                                   "partner_consultation", id, "family=" + family->id);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  c.execute(
      "INSERT INTO partner_consultations (id, organisation_id, family_id, partner_kind, "
      "partner_name, held_on, summary, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, family->organisation_id, family->id, in.partner_kind, in.partner_name, in.date,
       in.summary, actor.principal.user_id, to_rfc3339(actor.clock.now())});
  auto created = load(c, id);
  tx.commit();
  return *created;
}

Result<PartnerConsultation> get_consultation(storage::Connection& c, const auth::Actor& actor,
                                             const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto p = load(c, id);
  Status ok = p ? check_with_details(gate, Action::partner_consultation_list,
                                     {p->organisation_id, p->team_id, {}}, "view",
                                     "partner_consultation", id, "family=" + p->family_id)
                : Status(fail(gate.missing("view", "partner_consultation", id)));
  tx.commit();
  if (!ok) return fail(ok.error());
  return *p;
}

Result<Page<PartnerConsultation>> list_consultations(storage::Connection& c,
                                                     const auth::Actor& actor,
                                                     const ConsultationFilter& filter) {
  const auth::Principal& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, Action::partner_consultation_list);
  if (scope != auth::Scope::organisation && scope != auth::Scope::team)
    return fail(Error::forbidden());
  std::map<std::string, std::string> errors;
  if (filter.from && !is_valid_date(*filter.from)) errors["from"] = "validation.date";
  if (filter.to && !is_valid_date(*filter.to)) errors["to"] = "validation.date";
  const auto& kinds = partner_kinds();
  if (filter.partner_kind &&
      std::find(kinds.begin(), kinds.end(), *filter.partner_kind) == kinds.end())
    errors["partner_kind"] = "validation.choice";
  const auto keys = keyset(filter.page);
  if (!keys) errors["cursor"] = "validation.cursor";
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string scope_value = scope == auth::Scope::organisation ? "organisation" : "team";
  storage::Transaction tx(c);
  auto rows = c.query(
      std::string(kColumns) +
          "WHERE p.organisation_id = ? "
          "AND (? = 'organisation' OR f.team_id IS NULL OR f.team_id IN "
          "(SELECT team_id FROM user_teams WHERE user_id = ?)) "
          "AND (CAST(? AS TEXT) IS NULL OR p.family_id = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR p.partner_kind = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR p.held_on >= ?) "
          "AND (CAST(? AS TEXT) IS NULL OR p.held_on <= ?) " +
          kOrder,
      {p.organisation_id, scope_value, p.user_id, storage::optional_value(filter.family_id),
       storage::optional_value(filter.family_id), storage::optional_value(filter.partner_kind),
       storage::optional_value(filter.partner_kind), storage::optional_value(filter.from),
       storage::optional_value(filter.from), storage::optional_value(filter.to),
       storage::optional_value(filter.to),
       keys->has_cursor ? storage::Value{keys->key} : storage::Value{storage::Null{}}, keys->key,
       keys->key, keys->id, std::int64_t{keys->limit + 1}});
  auto page = page_from_rows<PartnerConsultation>(rows, keys->limit, consultation_from, sort_key);
  auth::Gate(c, actor).log("list", "partner_consultation", "", listed_ids(page));
  tx.commit();
  return page;
}

Result<Page<PartnerConsultation>> family_consultations(storage::Connection& c,
                                                       const auth::Actor& actor,
                                                       const std::string& family_id,
                                                       const PageRequest& page_request) {
  const auto keys = keyset(page_request);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto family = families::load_family(c, family_id);
  const std::string object = "family:" + family_id;
  if (!family) {
    Error e = gate.missing("list", "partner_consultation", object);
    tx.commit();
    return fail(e);
  }
  if (auto ok = auth::check(actor.principal, Action::partner_consultation_list,
                            {family->organisation_id, family->team_id, {}});
      !ok) {
    if (ok.error().kind == ErrorKind::not_found)
      gate.missing("list", "partner_consultation", object);
    else
      gate.deny("list", "partner_consultation", object, "partner_consultation_list");
    tx.commit();
    return fail(ok.error());
  }
  auto rows = c.query(
      std::string(kColumns) + "WHERE p.family_id = ? " + kOrder,
      {family_id, keys->has_cursor ? storage::Value{keys->key} : storage::Value{storage::Null{}},
       keys->key, keys->key, keys->id, std::int64_t{keys->limit + 1}});
  auto page = page_from_rows<PartnerConsultation>(rows, keys->limit, consultation_from, sort_key);
  gate.log("list", "partner_consultation", object, listed_ids(page));
  tx.commit();
  return page;
}

}  // namespace oploop::coordination
