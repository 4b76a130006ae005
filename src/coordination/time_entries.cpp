#include "coordination/time_entries.hpp"

#include <algorithm>

#include "auth/gate.hpp"
#include "coordination/checks.hpp"
#include "coordination/support_sessions.hpp"
#include "coordination/week.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "families/families.hpp"

namespace oploop::coordination {
namespace {

using auth::Action;

constexpr const char* kColumns =
    "SELECT t.id, t.organisation_id, t.user_id, COALESCE(u.name, ''), t.worked_on, t.minutes, "
    "t.kind, t.family_id, COALESCE(f.display_name, ''), t.created_at "
    "FROM time_entries t LEFT JOIN users u ON u.id = t.user_id "
    "LEFT JOIN families f ON f.id = t.family_id ";

// The entries a list selects (never a removed one): the organisation, the caller's scope (own:
// their own entries), then the filters. Parameters: organisation, scope, user (for own), user,
// user, family, family, from, from, to, to.
constexpr const char* kWhere =
    "WHERE t.organisation_id = ? AND t.removed_at IS NULL "
    "AND (? = 'organisation' OR t.user_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR t.user_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR t.family_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR t.worked_on >= ?) "
    "AND (CAST(? AS TEXT) IS NULL OR t.worked_on <= ?) ";

TimeEntry entry_from(const storage::Row& r) {
  TimeEntry t;
  t.id = r.text(0);
  t.organisation_id = r.text(1);
  t.user_id = r.text(2);
  t.user_name = r.text(3);
  t.date = r.text(4);
  t.minutes = static_cast<int>(r.integer(5));
  t.kind = r.text(6);
  t.family_id = r.optional_text(7);
  t.family_name = r.text(8);
  t.created_at = r.text(9);
  return t;
}

std::string sort_key(const TimeEntry& t) { return t.date + " " + t.created_at; }

// An entry that was not removed.
std::optional<TimeEntry> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE t.id = ? AND t.removed_at IS NULL", {id});
  if (!row) return std::nullopt;
  return entry_from(*row);
}

auth::ResourceRef resource_of(const std::string& organisation_id, const std::string& user_id) {
  return {organisation_id, std::nullopt, {user_id}};
}

}  // namespace

const std::vector<std::string>& time_kinds() {
  static const std::vector<std::string> kKinds = {
      "intake",         "matching",       "supervision",
      "peer_group",     "training",       "partner_consultation",
      "family_support", "administration", "other"};
  return kKinds;
}

Result<TimeEntry> record_time(storage::Connection& c, const auth::Actor& actor,
                              const TimeEntryInput& input) {
  const auth::Principal& p = actor.principal;
  std::map<std::string, std::string> errors;
  if (auto e = date_error(input.date, amsterdam_date(actor.clock.now()))) errors["date"] = *e;
  if (input.minutes < 1 || input.minutes > kMaxMinutes)
    errors["minutes"] = "coordination.validation.minutes";
  const auto& kinds = time_kinds();
  if (std::find(kinds.begin(), kinds.end(), input.kind) == kinds.end())
    errors["kind"] = input.kind.empty() ? "validation.required" : "validation.choice";
  if (!errors.empty()) return fail(Error::invalid(errors));
  std::optional<std::string> family_id = input.family_id;
  if (family_id && family_id->empty()) family_id.reset();

  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string id = new_id();
  std::string details;
  if (family_id) {
    // Time for a family the caller may not see is refused like any other reach outside scope:
    // unknown (422 on the field) for another organisation's, 403 for another team's.
    auto family = families::load_family(c, *family_id);
    if (!family || family->organisation_id != p.organisation_id) {
      gate.missing("create", "time_entry", "family:" + *family_id);
      tx.commit();
      return fail(Error::invalid({{"family_id", "validation.choice"}}));
    }
    if (auto ok =
            auth::check(p, Action::family_read, {family->organisation_id, family->team_id, {}});
        !ok) {
      gate.deny("create", "time_entry", "family:" + *family_id, "family_read");
      tx.commit();
      return fail(ok.error());
    }
    details = "family=" + *family_id;
  }
  if (auto ok = check_with_details(gate, Action::time_entry_manage,
                                   resource_of(p.organisation_id, p.user_id), "create",
                                   "time_entry", id, details);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  c.execute(
      "INSERT INTO time_entries (id, organisation_id, user_id, worked_on, minutes, kind, "
      "family_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {id, p.organisation_id, p.user_id, input.date, std::int64_t{input.minutes}, input.kind,
       storage::optional_value(family_id), to_rfc3339(actor.clock.now())});
  auto created = load(c, id);
  tx.commit();
  return *created;
}

Result<TimeEntryList> list_time_entries(storage::Connection& c, const auth::Actor& actor,
                                        const TimeEntryFilter& filter) {
  const auth::Principal& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, Action::time_entry_list);
  if (scope != auth::Scope::organisation && scope != auth::Scope::own)
    return fail(Error::forbidden());
  std::map<std::string, std::string> errors;
  if (filter.from && !is_valid_date(*filter.from)) errors["from"] = "validation.date";
  if (filter.to && !is_valid_date(*filter.to)) errors["to"] = "validation.date";
  const auto keys = keyset(filter.page);
  if (!keys) errors["cursor"] = "validation.cursor";
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string scope_value = scope == auth::Scope::organisation ? "organisation" : "own";
  std::vector<storage::Value> params = {p.organisation_id,
                                        scope_value,
                                        p.user_id,
                                        storage::optional_value(filter.user_id),
                                        storage::optional_value(filter.user_id),
                                        storage::optional_value(filter.family_id),
                                        storage::optional_value(filter.family_id),
                                        storage::optional_value(filter.from),
                                        storage::optional_value(filter.from),
                                        storage::optional_value(filter.to),
                                        storage::optional_value(filter.to)};
  storage::Transaction tx(c);
  TimeEntryList out;
  out.total_minutes =
      c.query(std::string("SELECT COALESCE(SUM(t.minutes), 0) FROM time_entries t ") + kWhere,
              params)
          .front()
          .integer(0);
  params.insert(params.end(),
                {keys->has_cursor ? storage::Value{keys->key} : storage::Value{storage::Null{}},
                 keys->key, keys->key, keys->id, std::int64_t{keys->limit + 1}});
  auto rows = c.query(std::string(kColumns) + kWhere +
                          "AND (CAST(? AS TEXT) IS NULL OR t.worked_on || ' ' || t.created_at < ? "
                          "OR (t.worked_on || ' ' || t.created_at = ? AND t.id < ?)) "
                          "ORDER BY t.worked_on DESC, t.created_at DESC, t.id DESC LIMIT ?",
                      params);
  out.page = page_from_rows<TimeEntry>(rows, keys->limit, entry_from, sort_key);
  auth::Gate(c, actor).log("list", "time_entry", "", listed_ids(out.page));
  tx.commit();
  return out;
}

Status delete_time_entry(storage::Connection& c, const auth::Actor& actor, const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto entry = load(c, id);
  if (!entry) {
    Error e = gate.missing("delete", "time_entry", id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = check_with_details(
          gate, Action::time_entry_manage, resource_of(entry->organisation_id, entry->user_id),
          "delete", "time_entry", id, entry->family_id ? "family=" + *entry->family_id : "");
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!may_remove(*entry, amsterdam_date(actor.clock.now())))
    return fail(Error::conflict("coordination.time_entry_week_closed"));
  // Kept with who removed it and when, so the figures of a closed period can be explained.
  c.execute("UPDATE time_entries SET removed_at = ?, removed_by = ? WHERE id = ?",
            {to_rfc3339(actor.clock.now()), actor.principal.user_id, id});
  tx.commit();
  return {};
}

bool may_remove(const TimeEntry& entry, const std::string& today) {
  try {
    return same_week(amsterdam_date(parse_rfc3339(entry.created_at)), today);
  } catch (const std::invalid_argument&) {
    return false;
  }
}

int coordinator_minutes(storage::Connection& c, const std::string& organisation_id,
                        const std::string& from, const std::string& to,
                        const std::optional<std::string>& family_id) {
  auto row = c.query_one(
      "SELECT COALESCE(SUM(minutes), 0) FROM time_entries WHERE organisation_id = ? "
      "AND removed_at IS NULL "
      "AND (CAST(? AS TEXT) IS NULL OR worked_on >= ?) "
      "AND (CAST(? AS TEXT) IS NULL OR worked_on <= ?) "
      "AND (CAST(? AS TEXT) IS NULL OR family_id = ?)",
      {organisation_id, storage::null_if_empty(from), storage::null_if_empty(from),
       storage::null_if_empty(to), storage::null_if_empty(to), storage::optional_value(family_id),
       storage::optional_value(family_id)});
  return row ? static_cast<int>(row->integer(0)) : 0;
}

std::vector<FamilyChoice> bookable_families(storage::Connection& c, const auth::Actor& actor) {
  const auth::Principal& p = actor.principal;
  if (!auth::allowed(p, Action::time_entry_manage)) return {};
  const auth::Scope scope = auth::scope_of(p.role, Action::family_read);
  if (scope != auth::Scope::organisation && scope != auth::Scope::team) return {};
  const std::string scope_value = scope == auth::Scope::organisation ? "organisation" : "team";
  storage::Transaction tx(c);
  std::vector<FamilyChoice> out;
  std::string ids = "ids=";
  for (const auto& r : c.query("SELECT f.id, f.display_name FROM families f "
                               "WHERE f.organisation_id = ? AND f.status <> 'closed' "
                               "AND (? = 'organisation' OR f.team_id IS NULL OR f.team_id IN "
                               "(SELECT team_id FROM user_teams WHERE user_id = ?)) "
                               "ORDER BY f.display_name, f.id",
                               {p.organisation_id, scope_value, p.user_id})) {
    ids += (out.empty() ? "" : ",") + r.text(0);
    out.push_back({r.text(0), r.text(1)});
  }
  auth::Gate(c, actor).log("list", "family", "", ids);
  tx.commit();
  return out;
}

}  // namespace oploop::coordination
