#include "concerns/concerns.hpp"

#include <algorithm>

#include "auth/gate.hpp"
#include "concerns/urgent_mail.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::concerns {
namespace {

constexpr const char* kColumns =
    "SELECT c.id, c.organisation_id, c.team_id, c.match_id, c.severity, c.category, "
    "c.description, c.status, c.acknowledged_at, c.resolved_at, c.created_at, c.family_id, "
    "f.display_name, c.raised_by, u.name, c.escalated_at, c.updated_at, "
    "(SELECT MAX(e.step) FROM meldcode_entries e WHERE e.concern_id = c.id) "
    "FROM concerns c JOIN families f ON f.id = c.family_id JOIN users u ON u.id = c.raised_by ";

// The list order: urgent first — those nobody acknowledged yet on top, then acknowledged, then
// resolved — and everything else after; newest first within each. rank_of() is the same rule.
constexpr const char* kRank =
    "(CASE WHEN c.severity = 'urgent' THEN (CASE c.status WHEN 'open' THEN 0 "
    "WHEN 'acknowledged' THEN 1 ELSE 2 END) ELSE 3 END)";

int rank_of(const Concern& x) {
  if (x.severity != "urgent") return 3;
  return x.status == "open" ? 0 : x.status == "acknowledged" ? 1 : 2;
}

const std::vector<std::string> kRunning = {"introduction", "active", "stepping_down"};

Concern concern_from(const storage::Row& r) {
  Concern x;
  x.id = r.text(0);
  x.organisation_id = r.text(1);
  x.team_id = r.optional_text(2);
  x.match_id = r.text(3);
  x.severity = r.text(4);
  x.category = r.text(5);
  x.description = r.text(6);
  x.status = r.text(7);
  x.acknowledged_at = r.text(8);
  x.resolved_at = r.text(9);
  x.created_at = r.text(10);
  x.staff_view = true;
  x.family_id = r.text(11);
  x.family_name = r.text(12);
  x.raised_by = r.text(13);
  x.raised_by_name = r.text(14);
  x.escalated_at = r.text(15);
  x.updated_at = r.text(16);
  x.meldcode_step = static_cast<int>(r.integer(17));
  return x;
}

std::optional<Concern> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE c.id = ?", {id});
  if (!row) return std::nullopt;
  return concern_from(*row);
}

void load_history(storage::Connection& c, Concern& x) {
  for (const auto& r :
       c.query("SELECT a.id, a.action, a.body, a.by_user, u.name, a.at FROM concern_actions a "
               "JOIN users u ON u.id = a.by_user WHERE a.concern_id = ? ORDER BY a.seq",
               {x.id}))
    x.history.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
}

// What the one who raised a concern may see of it when they may not act on it (SPEC §1: its
// status, not the coordinator's notes).
Concern narrowed(const Concern& x) {
  Concern n;
  n.id = x.id;
  n.organisation_id = x.organisation_id;
  n.team_id = x.team_id;
  n.match_id = x.match_id;
  n.severity = x.severity;
  n.category = x.category;
  n.description = x.description;
  n.status = x.status;
  n.acknowledged_at = x.acknowledged_at;
  n.resolved_at = x.resolved_at;
  n.created_at = x.created_at;
  return n;
}

bool sees_everything(const auth::Principal& p) {
  return auth::allowed(p, auth::Action::concern_act);
}

// "Own" is the one who raised it: a volunteer reads only their own concerns.
auth::ResourceRef resource_of(const Concern& x) {
  return {x.organisation_id, x.team_id, {x.raised_by}};
}

// The policy decision for one record, logged: a refusal as Gate::check logs it, a success
// with `details` (which Gate::check cannot carry).
Status guarded(auth::Gate& gate, auth::Action action, const auth::ResourceRef& resource,
               std::string_view event, std::string_view object_type, const std::string& object_id,
               std::string details) {
  if (!auth::check(gate.actor().principal, action, resource))
    return gate.check(action, resource, event, object_type, object_id);
  gate.log(event, object_type, object_id, std::move(details));
  return {};
}

struct MatchFacts {
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string family_id, family_name, status;
  std::vector<std::string> owners;  // the volunteer's account while the match runs
};

std::optional<MatchFacts> match_facts(storage::Connection& c, const std::string& match_id) {
  auto r = c.query_one(
      "SELECT m.organisation_id, m.team_id, m.family_id, f.display_name, m.status, v.user_id "
      "FROM matches m JOIN families f ON f.id = m.family_id "
      "JOIN volunteers v ON v.id = m.volunteer_id WHERE m.id = ?",
      {match_id});
  if (!r) return std::nullopt;
  MatchFacts m{r->text(0), r->optional_text(1), r->text(2), r->text(3), r->text(4), {}};
  if (!r->is_null(5) && std::find(kRunning.begin(), kRunning.end(), m.status) != kRunning.end())
    m.owners.push_back(r->text(5));
  return m;
}

// Locks the concern row for the rest of the transaction (PostgreSQL; SQLite has one writer),
// so two coordinators acting at once are serialised and the second sees the first's state.
std::optional<std::string> locked_status(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(c.dialect() == storage::Dialect::postgres
                             ? "SELECT status FROM concerns WHERE id = ? FOR UPDATE"
                             : "SELECT status FROM concerns WHERE id = ?",
                         {id});
  if (!row) return std::nullopt;
  return row->text(0);
}

}  // namespace

Result<Concern> raise_concern(storage::Connection& c, const auth::Actor& actor,
                              const std::string& match_id, const NewConcern& input,
                              const std::string& base_url) {
  // Checked before the input, so a caller without the right is refused (and logged as such)
  // whatever they sent.
  const auto errors = validate(input);
  const auto& p = actor.principal;
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = match_facts(c, match_id);
  if (!m) {
    Error e = gate.missing("create", "concern", "match:" + match_id);
    tx.commit();
    return fail(e);
  }
  const auth::ResourceRef match_resource{m->organisation_id, m->team_id, m->owners};
  if (!auth::check(p, auth::Action::concern_raise, match_resource)) {
    auto refused = gate.check(auth::Action::concern_raise, match_resource, "create", "concern",
                              "match:" + match_id);
    tx.commit();
    return fail(refused.error());
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  if (m->status == "closed") return fail(Error::conflict("concern.match_closed"));

  const std::string id = new_id();
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO concerns (id, organisation_id, team_id, match_id, family_id, raised_by, "
      "severity, category, description, status, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
      {id, m->organisation_id, storage::optional_value(m->team_id), match_id, m->family_id,
       p.user_id, input.severity, input.category, text::trim(input.description), now, now});
  int notified = 0;
  if (input.severity == "urgent")
    notified = notify_urgent_concern(c, actor.clock, id, base_url, p.user_id);
  gate.log("create", "concern", id,
           "match=" + match_id + ",severity=" + input.severity +
               (input.severity == "urgent" ? ",notified=" + std::to_string(notified) : ""));
  auto created = load(c, id);
  tx.commit();
  return sees_everything(p) ? *created : narrowed(*created);
}

Result<RaiseTarget> raise_target(storage::Connection& c, const auth::Actor& actor,
                                 const std::string& match_id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = match_facts(c, match_id);
  Status ok = m ? gate.check(auth::Action::concern_raise,
                             {m->organisation_id, m->team_id, m->owners}, "view", "match", match_id)
                : Status(fail(gate.missing("view", "match", match_id)));
  tx.commit();
  if (!ok) return fail(ok.error());
  if (m->status == "closed") return fail(Error::conflict("concern.match_closed"));
  return RaiseTarget{match_id, m->family_name};
}

Result<Page<Concern>> list_concerns(storage::Connection& c, const auth::Actor& actor,
                                    const ConcernFilter& filter) {
  const auto& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, auth::Action::concern_list);
  if (scope == auth::Scope::none || scope == auth::Scope::aggregate)
    return fail(Error::forbidden());
  std::map<std::string, std::string> errors;
  const auto& all_statuses = statuses();
  if (filter.status &&
      std::find(all_statuses.begin(), all_statuses.end(), *filter.status) == all_statuses.end())
    errors["status"] = "validation.choice";
  const auto& all_severities = severities();
  if (filter.severity && std::find(all_severities.begin(), all_severities.end(),
                                   *filter.severity) == all_severities.end())
    errors["severity"] = "validation.choice";
  const auto keys = keyset(filter.page);
  // The cursor's sort key is "<rank>|<created_at>".
  std::int64_t after_rank = 0;
  std::string after_created;
  if (!keys)
    errors["cursor"] = "validation.cursor";
  else if (keys->has_cursor) {
    const auto& k = keys->key;
    if (k.size() < 3 || k[0] < '0' || k[0] > '3' || k[1] != '|')
      errors["cursor"] = "validation.cursor";
    else {
      after_rank = k[0] - '0';
      after_created = k.substr(2);
    }
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string scope_name = scope == auth::Scope::organisation ? "organisation"
                                 : scope == auth::Scope::team       ? "team"
                                                                    : "own";
  const std::string rank(kRank);
  storage::Transaction tx(c);
  auto rows = c.query(std::string(kColumns) +
                          "WHERE c.organisation_id = ? "
                          "AND (? = 'organisation' "
                          "OR (? = 'team' AND (c.team_id IS NULL OR c.team_id IN "
                          "(SELECT team_id FROM user_teams WHERE user_id = ?))) "
                          "OR (? = 'own' AND c.raised_by = ?)) "
                          "AND (? = 0 OR c.raised_by = ?) "
                          "AND (CAST(? AS TEXT) IS NULL OR c.status = ?) "
                          "AND (? = 0 OR c.status IN ('open', 'acknowledged')) "
                          "AND (CAST(? AS TEXT) IS NULL OR c.severity = ?) "
                          "AND (CAST(? AS TEXT) IS NULL OR c.match_id = ?) "
                          "AND (? = 0 OR " +
                          rank + " > ? OR (" + rank +
                          " = ? AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?)))) "
                          "ORDER BY " +
                          rank + ", c.created_at DESC, c.id DESC LIMIT ?",
                      {p.organisation_id,
                       scope_name,
                       scope_name,
                       p.user_id,
                       scope_name,
                       p.user_id,
                       std::int64_t{filter.raised_by_me ? 1 : 0},
                       p.user_id,
                       storage::optional_value(filter.status),
                       storage::optional_value(filter.status),
                       std::int64_t{filter.unresolved_only ? 1 : 0},
                       storage::optional_value(filter.severity),
                       storage::optional_value(filter.severity),
                       storage::optional_value(filter.match_id),
                       storage::optional_value(filter.match_id),
                       std::int64_t{keys->has_cursor ? 1 : 0},
                       after_rank,
                       after_rank,
                       after_created,
                       after_created,
                       keys->id,
                       std::int64_t{keys->limit + 1}});
  auto page = page_from_rows<Concern>(rows, keys->limit, concern_from, [](const Concern& x) {
    return std::to_string(rank_of(x)) + "|" + x.created_at;
  });
  auth::Gate(c, actor).log("list", "concern", "", listed_ids(page));
  tx.commit();
  if (!sees_everything(p))
    for (auto& x : page.items) x = narrowed(x);
  return page;
}

Result<Concern> get_concern(storage::Connection& c, const auth::Actor& actor,
                            const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto x = load(c, id);
  Status ok = x ? gate.check(auth::Action::concern_list, resource_of(*x), "view", "concern", id)
                : Status(fail(gate.missing("view", "concern", id)));
  if (ok && sees_everything(actor.principal)) load_history(c, *x);
  tx.commit();
  if (!ok) return fail(ok.error());
  return sees_everything(actor.principal) ? *x : narrowed(*x);
}

Result<Concern> act_on_concern(storage::Connection& c, const auth::Actor& actor,
                               const std::string& id, const std::string& action,
                               const std::string& text_in) {
  const auto& all = actions();
  const std::string body = text::trim(text_in);
  std::map<std::string, std::string> errors;
  if (std::find(all.begin(), all.end(), action) == all.end())
    errors["action"] = action.empty() ? "concern.action_required" : "validation.choice";
  if (body.empty() && action == "note")
    errors["text"] = "concern.note_required";
  else if (body.empty() && action == "resolve")
    errors["text"] = "concern.outcome_required";
  else if (text::length(body) > kMaxActionText)
    errors["text"] = "validation.too_long";
  else if (text::has_control_characters(body))
    errors["text"] = "validation.characters";

  // The right is checked before the input (see raise_concern).
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto x = load(c, id);
  if (!x) {
    Error e = gate.missing("update", "concern", id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = guarded(gate, auth::Action::concern_act, resource_of(*x), "update", "concern", id,
                        "action=" + action);
      !ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string status = locked_status(c, id).value_or(x->status);
  const auto next = status_after(status, action);
  if (!next)
    return fail(Error::conflict(status == "resolved" ? "concern.already_resolved"
                                                     : "concern.already_acknowledged"));
  const std::string now = to_rfc3339(actor.clock.now());
  if (action == "acknowledge")
    c.execute(
        "UPDATE concerns SET status = 'acknowledged', acknowledged_at = ?, updated_at = ? "
        "WHERE id = ?",
        {now, now, id});
  else if (action == "resolve")
    c.execute(
        "UPDATE concerns SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
        {now, now, id});
  else
    c.execute("UPDATE concerns SET updated_at = ? WHERE id = ?", {now, id});
  const auto seq =
      c.query_one("SELECT COALESCE(MAX(seq), 0) FROM concern_actions WHERE concern_id = ?", {id})
          ->integer(0) +
      1;
  c.execute(
      "INSERT INTO concern_actions (id, concern_id, seq, action, body, by_user, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {new_id(), id, seq, action, body, actor.principal.user_id, now});
  auto fresh = load(c, id);
  load_history(c, *fresh);
  tx.commit();
  return *fresh;
}

std::vector<ConcernSummary> open_concerns_for(storage::Connection& c, const auth::Actor& actor,
                                              int limit) {
  if (!auth::allowed(actor.principal, auth::Action::concern_list)) return {};
  ConcernFilter filter;
  filter.unresolved_only = true;
  filter.page.limit = std::clamp(limit, 1, 200);
  auto page = list_concerns(c, actor, filter);
  std::vector<ConcernSummary> out;
  if (!page) return out;
  for (const auto& x : page->items)
    out.push_back({x.id, x.match_id, x.family_name, x.severity, x.category, x.status, x.created_at,
                   x.severity == "urgent" && x.status == "open"});
  return out;
}

}  // namespace oploop::concerns
