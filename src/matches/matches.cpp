#include "matches/matches.hpp"

#include <algorithm>
#include <utility>

#include "auth/gate.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "families/families.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::matches {
namespace {

constexpr const char* kColumns =
    "SELECT m.id, m.organisation_id, m.team_id, m.family_id, m.volunteer_id, m.status, "
    "m.introduction_date, m.started_on, m.stepping_down_on, m.closed_on, m.closure_reason, "
    "m.created_at, m.updated_at, f.display_name, v.first_name || ' ' || v.last_name "
    "FROM matches m JOIN families f ON f.id = m.family_id "
    "JOIN volunteers v ON v.id = m.volunteer_id ";

// Steps taken within the same second share their timestamp; the lifecycle only moves forward,
// so the state entered orders them.
constexpr const char* kLifecycleOrder =
    "CASE to_status WHEN 'proposed' THEN 0 WHEN 'introduction' THEN 1 WHEN 'active' THEN 2 "
    "WHEN 'stepping_down' THEN 3 ELSE 4 END, id";

Match match_from(const storage::Row& r) {
  Match m;
  m.id = r.text(0);
  m.organisation_id = r.text(1);
  m.team_id = r.optional_text(2);
  m.family_id = r.text(3);
  m.volunteer_id = r.text(4);
  m.status = r.text(5);
  m.introduction_date = r.text(6);
  m.started_on = r.text(7);
  m.stepping_down_on = r.text(8);
  m.closed_on = r.text(9);
  m.closure_reason = r.text(10);
  m.created_at = r.text(11);
  m.updated_at = r.text(12);
  m.family_name = r.text(13);
  m.volunteer_name = r.text(14);
  return m;
}

std::optional<Match> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE m.id = ?", {id});
  if (!row) return std::nullopt;
  Match m = match_from(*row);
  for (const auto& t :
       c.query("SELECT from_status, to_status, on_date, reason, by_user, at FROM match_transitions "
               "WHERE match_id = ? ORDER BY at, " +
                   std::string(kLifecycleOrder),
               {id}))
    m.history.push_back({t.text(0), t.text(1), t.text(2), t.text(3), t.text(4), t.text(5)});
  return m;
}

// The volunteer of a match owns it when they have an account.
auth::ResourceRef resource_of(storage::Connection& c, const Match& m) {
  std::vector<std::string> owners;
  if (auto row = c.query_one("SELECT user_id FROM volunteers WHERE id = ?", {m.volunteer_id});
      row && !row->is_null(0))
    owners.push_back(row->text(0));
  return {m.organisation_id, m.team_id, owners};
}

void record(storage::Connection& c, const Clock& clock, const std::string& id,
            const std::string& from, const std::string& to, const std::string& on_date,
            const std::string& reason, const std::string& by_user) {
  c.execute(
      "INSERT INTO match_transitions (id, match_id, from_status, to_status, on_date, reason, "
      "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {new_id(), id, from, to, on_date, storage::null_if_empty(reason), by_user,
       to_rfc3339(clock.now())});
}

void set_family_status(storage::Connection& c, const Clock& clock, const std::string& family_id,
                       const std::string& status) {
  c.execute("UPDATE families SET status = ?, updated_at = ? WHERE id = ?",
            {status, to_rfc3339(clock.now()), family_id});
}

}  // namespace

std::vector<std::string> family_owners(storage::Connection& c, const std::string& family_id) {
  std::vector<std::string> out;
  for (const auto& r :
       c.query("SELECT v.user_id FROM matches m JOIN volunteers v ON v.id = m.volunteer_id "
               "WHERE m.family_id = ? AND m.status IN ('introduction', 'active', 'stepping_down') "
               "AND v.user_id IS NOT NULL",
               {family_id}))
    out.push_back(r.text(0));
  return out;
}

std::expected<Match, ProposeError> propose_match(storage::Connection& c, const auth::Actor& actor,
                                                 const NewMatch& input) {
  auto failure = [](Error e, std::vector<volunteers::Blocker> b = {}) {
    return std::unexpected(ProposeError{std::move(e), std::move(b)});
  };
  const std::string today = amsterdam_date(actor.clock.now());
  if (!input.introduction_date.empty() && !is_valid_date(input.introduction_date))
    return failure(Error::invalid({{"introduction_date", "validation.date"}}));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto family = families::load_family(c, input.family_id);
  if (!family) {
    Error e = gate.missing("create", "match", "family:" + input.family_id);
    tx.commit();
    return failure(Error::invalid({{"family_id", "validation.choice"}}));
  }
  auto volunteer = volunteers::load_volunteer(c, input.volunteer_id);
  // Both must be of this organisation and within the coordinator's scope; one of another
  // organisation is as unknown as one that does not exist (422 naming its own field).
  const std::pair<const char*, Status> checks[] = {
      {"family_id", auth::check(actor.principal, auth::Action::match_manage,
                                {family->organisation_id, family->team_id, {}})},
      {"volunteer_id", volunteer ? auth::check(actor.principal, auth::Action::match_manage,
                                               {volunteer->organisation_id, volunteer->team_id, {}})
                                 : Status(fail(Error::not_found()))}};
  for (const auto& [field, ok] : checks) {
    if (ok) continue;
    gate.deny("create", "match", "family:" + input.family_id);
    tx.commit();
    if (ok.error().kind == ErrorKind::not_found)
      return failure(Error::invalid({{field, "validation.choice"}}));
    return failure(ok.error());
  }
  if (family->status != "waiting") return failure(Error::conflict("match.family_not_waiting"));
  auto blockers = volunteers::blockers(*volunteer, today);
  if (!blockers.empty())
    return failure(Error::invalid({{"volunteer_id", "match.volunteer_not_eligible"}}), blockers);

  Match m;
  m.id = new_id();
  m.organisation_id = family->organisation_id;
  m.team_id = family->team_id;
  m.family_id = family->id;
  m.volunteer_id = volunteer->id;
  m.status = "proposed";
  m.introduction_date = input.introduction_date;
  m.created_at = m.updated_at = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO matches (id, organisation_id, team_id, family_id, volunteer_id, status, "
      "introduction_date, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?)",
      {m.id, m.organisation_id, storage::optional_value(m.team_id), m.family_id, m.volunteer_id,
       storage::null_if_empty(m.introduction_date), actor.principal.user_id, m.created_at,
       m.updated_at});
  record(c, actor.clock, m.id, "", "proposed", today, "", actor.principal.user_id);
  set_family_status(c, actor.clock, family->id, "matched");
  volunteers::follow_matches(c, actor.clock, volunteer->id, actor.principal.user_id);
  gate.log("create", "match", m.id, "family=" + family->id + ",volunteer=" + volunteer->id);
  auto created = load(c, m.id);
  tx.commit();
  return *created;
}

Result<Match> transition_match(storage::Connection& c, const auth::Actor& actor,
                               const std::string& id, const std::string& to,
                               const std::string& on_date, const std::string& reason) {
  const auto& all = statuses();
  std::map<std::string, std::string> errors;
  if (std::find(all.begin(), all.end(), to) == all.end() || to == "proposed")
    errors["to"] = "validation.choice";
  if (on_date.empty())
    errors["date"] = "validation.required";
  else if (!is_valid_date(on_date))
    errors["date"] = "validation.date";
  const auto& reasons = closure_reasons();
  if (to == "closed" && std::find(reasons.begin(), reasons.end(), reason) == reasons.end())
    errors["reason"] = "validation.closure_reason";
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = load(c, id);
  if (!m) {
    Error e = gate.missing("update", "match", id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = gate.check(auth::Action::match_manage, resource_of(c, *m), "update", "match", id);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!may_move(m->status, to)) return fail(Error::conflict("match.illegal_transition"));
  if (on_date < m->created_at.substr(0, 10))
    return fail(Error::invalid({{"date", "match.date_before_start"}}));
  const std::string now = to_rfc3339(actor.clock.now());
  if (to == "introduction") {
    c.execute("UPDATE matches SET status = ?, introduction_date = ?, updated_at = ? WHERE id = ?",
              {to, on_date, now, id});
  } else if (to == "active") {
    c.execute("UPDATE matches SET status = ?, started_on = ?, updated_at = ? WHERE id = ?",
              {to, on_date, now, id});
  } else if (to == "stepping_down") {
    c.execute("UPDATE matches SET status = ?, stepping_down_on = ?, updated_at = ? WHERE id = ?",
              {to, on_date, now, id});
  } else {
    c.execute(
        "UPDATE matches SET status = ?, closed_on = ?, closure_reason = ?, updated_at = ? "
        "WHERE id = ?",
        {to, on_date, reason, now, id});
    if (family_returns_to_waiting(*m, reason)) {
      set_family_status(c, actor.clock, m->family_id, "waiting");
    } else {
      set_family_status(c, actor.clock, m->family_id, "closed");
    }
  }
  record(c, actor.clock, id, m->status, to, on_date, reason, actor.principal.user_id);
  volunteers::follow_matches(c, actor.clock, m->volunteer_id, actor.principal.user_id);
  auto fresh = load(c, id);
  tx.commit();
  return *fresh;
}

Result<Match> get_match(storage::Connection& c, const auth::Actor& actor, const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = load(c, id);
  Status ok = m ? gate.check(auth::Action::match_read, resource_of(c, *m), "view", "match", id)
                : Status(fail(gate.missing("view", "match", id)));
  tx.commit();
  if (!ok) return fail(ok.error());
  return *m;
}

Result<Page<Match>> list_matches(storage::Connection& c, const auth::Actor& actor,
                                 const MatchFilter& filter) {
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::match_list);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  const auto& all = statuses();
  if (filter.status && std::find(all.begin(), all.end(), *filter.status) == all.end())
    return fail(Error::invalid({{"status", "validation.choice"}}));
  const auto keys = keyset(filter.page);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  const int limit = keys->limit;
  const std::string& before_key = keys->key;
  const std::string& before_id = keys->id;
  const std::string scope_name = scope == auth::Scope::organisation ? "organisation"
                                 : scope == auth::Scope::team       ? "team"
                                                                    : "own";
  storage::Transaction tx(c);
  auto rows = c.query(
      std::string(kColumns) +
          "WHERE m.organisation_id = ? "
          "AND (? = 'organisation' "
          "OR (? = 'team' AND (m.team_id IS NULL OR m.team_id IN "
          "(SELECT team_id FROM user_teams WHERE user_id = ?))) "
          "OR (? = 'own' AND v.user_id = ? AND m.status IN ('introduction', 'active', "
          "'stepping_down'))) "
          "AND (CAST(? AS TEXT) IS NULL OR m.status = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR m.family_id = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR m.volunteer_id = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR m.created_at < ? OR (m.created_at = ? AND m.id < ?)) "
          "ORDER BY m.created_at DESC, m.id DESC LIMIT ?",
      {p.organisation_id, scope_name, scope_name, p.user_id, scope_name, p.user_id,
       storage::optional_value(filter.status), storage::optional_value(filter.status),
       storage::optional_value(filter.family_id), storage::optional_value(filter.family_id),
       storage::optional_value(filter.volunteer_id), storage::optional_value(filter.volunteer_id),
       keys->has_cursor ? storage::Value{before_key} : storage::Value{storage::Null{}}, before_key,
       before_key, before_id, std::int64_t{limit + 1}});
  auto page =
      page_from_rows<Match>(rows, limit, match_from, [](const Match& x) { return x.created_at; });
  auth::Gate(c, actor).log("list", "match", "", listed_ids(page));
  tx.commit();
  return page;
}

}  // namespace oploop::matches
