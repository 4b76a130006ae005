#include "coordination/support_sessions.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "auth/gate.hpp"
#include "coordination/checks.hpp"
#include "coordination/week.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "organisations/organisations.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::coordination {
namespace {

using auth::Action;

constexpr const char* kColumns =
    "SELECT s.id, s.organisation_id, s.team_id, s.kind, s.title, s.held_on, s.start_time, "
    "s.duration_minutes, s.basic_training, s.notes, s.created_by, s.created_at, s.updated_at "
    "FROM support_sessions s ";

SupportSession session_from(const storage::Row& r) {
  SupportSession s;
  s.id = r.text(0);
  s.organisation_id = r.text(1);
  s.team_id = r.optional_text(2);
  s.kind = r.text(3);
  s.title = r.text(4);
  s.date = r.text(5);
  s.start_time = r.text(6);
  s.duration_minutes = static_cast<int>(r.integer(7));
  s.basic_training = r.boolean(8);
  s.notes = r.text(9);
  s.created_by = r.text(10);
  s.created_at = r.text(11);
  s.updated_at = r.text(12);
  return s;
}

void load_attendees(storage::Connection& c, SupportSession& s) {
  s.attendees.clear();
  for (const auto& r :
       c.query("SELECT a.volunteer_id, v.first_name || ' ' || v.last_name, a.attended, v.user_id, "
               "a.marked_at, a.training_recorded "
               "FROM support_session_attendees a JOIN volunteers v ON v.id = a.volunteer_id "
               "WHERE a.session_id = ? ORDER BY v.last_name, v.first_name, v.id",
               {s.id}))
    s.attendees.push_back(
        {r.text(0), r.text(1), r.boolean(2), r.optional_text(3), !r.is_null(4), r.boolean(5)});
}

std::optional<SupportSession> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE s.id = ?", {id});
  if (!row) return std::nullopt;
  SupportSession s = session_from(*row);
  load_attendees(c, s);
  return s;
}

// The volunteers invited are the ones for whom the session is "own".
auth::ResourceRef resource_of(const SupportSession& s) {
  std::vector<std::string> owners;
  for (const auto& a : s.attendees)
    if (a.user_id) owners.push_back(*a.user_id);
  return {s.organisation_id, s.team_id, owners};
}

// What a volunteer may see of a session: no notes, and of the attendance only their own.
SupportSession narrowed(SupportSession s, const auth::Principal& p) {
  if (p.role != auth::Role::volunteer) return s;
  s.notes.clear();
  std::erase_if(s.attendees, [&](const Attendee& a) { return a.user_id != p.user_id; });
  return s;
}

std::unexpected<SessionError> refuse(Error e, std::vector<std::string> unknown = {}) {
  return std::unexpected(SessionError{std::move(e), std::move(unknown)});
}

std::vector<std::string> distinct(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids)
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  return out;
}

// The invitees among `ids` within the caller's scope for managing sessions; the others (absent,
// of another organisation or another team) are unknown to the caller.
std::vector<std::string> unknown_volunteers(storage::Connection& c, const auth::Principal& p,
                                            const std::vector<std::string>& ids) {
  const auth::Scope scope = auth::scope_of(p.role, Action::support_session_manage);
  std::vector<std::string> unknown;
  for (const auto& id : ids) {
    auto row = c.query_one("SELECT organisation_id, team_id FROM volunteers WHERE id = ?", {id});
    bool known = row && row->text(0) == p.organisation_id;
    if (known && scope != auth::Scope::organisation && !row->is_null(1))
      known = std::find(p.team_ids.begin(), p.team_ids.end(), row->text(1)) != p.team_ids.end();
    if (!known) unknown.push_back(id);
  }
  return unknown;
}

std::map<std::string, std::string> validate_fields(SessionInput& in) {
  std::map<std::string, std::string> errors;
  const auto& kinds = session_kinds();
  if (std::find(kinds.begin(), kinds.end(), in.kind) == kinds.end())
    errors["kind"] = in.kind.empty() ? "validation.required" : "validation.choice";
  in.title = text::trim(in.title);
  if (auto e = single_line_error(in.title, 200)) errors["title"] = *e;
  if (auto e = date_error(in.date)) errors["date"] = *e;
  in.start_time = text::trim(in.start_time);
  if (!in.start_time.empty() && !is_clock_time(in.start_time))
    errors["start_time"] = "coordination.validation.time";
  if (in.duration_minutes < 1 || in.duration_minutes > kMaxMinutes)
    errors["duration_minutes"] = "coordination.validation.minutes";
  if (in.basic_training && in.kind != "training")
    errors["basic_training"] = "coordination.validation.basic_training_kind";
  if (auto e = multi_line_error(in.notes, 4000)) errors["notes"] = *e;
  in.volunteer_ids = distinct(in.volunteer_ids);
  if (in.kind == "supervision" && in.volunteer_ids.size() != 1)
    errors["volunteer_ids"] = "coordination.validation.supervision_one";
  return errors;
}

// A team named by the caller: of their organisation (else unknown, 422) and, for a coordinator,
// one of their own teams (else 403, checked by the gate on the session's resource).
Status check_team(storage::Connection& c, const auth::Principal& p,
                  const std::optional<std::string>& team_id) {
  if (!team_id) return {};
  auto team = organisations::find_team_by_id(c, *team_id);
  if (!team || team->organisation_id != p.organisation_id)
    return fail(Error::invalid({{"team_id", "validation.choice"}}));
  return {};
}

void invite(storage::Connection& c, const std::string& session_id,
            const std::vector<std::string>& volunteer_ids) {
  for (const auto& v : volunteer_ids)
    c.execute(
        "INSERT INTO support_session_attendees (session_id, volunteer_id, attended) "
        "VALUES (?, ?, 0)",
        {session_id, v});
}

bool is_basic_training(const SupportSession& s) { return s.kind == "training" && s.basic_training; }

void set_training_recorded(storage::Connection& c, const std::string& session_id,
                           const std::string& volunteer_id, bool recorded) {
  c.execute(
      "UPDATE support_session_attendees SET training_recorded = ? "
      "WHERE session_id = ? AND volunteer_id = ?",
      {std::int64_t{recorded ? 1 : 0}, session_id, volunteer_id});
}

// A basic training completes the screening of everyone marked present (when not yet done), and
// remembers for whom it did so. Never with a date after today: a training that has not taken
// place completes nothing.
void complete_trainings(storage::Connection& c, auth::Gate& gate, const SupportSession& s) {
  if (!is_basic_training(s)) return;
  if (s.date > amsterdam_date(gate.actor().clock.now())) return;
  for (const auto& a : s.attendees) {
    if (!a.attended || a.training_recorded) continue;
    if (volunteers::record_basic_training(c, gate.actor().clock, a.volunteer_id, s.date)) {
      set_training_recorded(c, s.id, a.volunteer_id, true);
      gate.log("update", "volunteer", a.volunteer_id,
               "training_completed_on=" + s.date + ",support_session=" + s.id);
    }
  }
}

// The training date `session` set for `a` (on `date`) moves to `to` ("": undone), as long as the
// volunteer's screening still holds that date (one entered by hand since stays). The volunteers
// module owns the screening; this is the one write back that session attendance makes besides
// volunteers::record_basic_training, and it follows that function's rules (candidate index,
// access log).
void move_training(storage::Connection& c, auth::Gate& gate, const SupportSession& session,
                   const Attendee& a, const std::string& date, const std::string& to) {
  const auto changed = c.execute(
      "UPDATE volunteers SET training_completed_on = ?, updated_at = ? "
      "WHERE id = ? AND training_completed_on = ?",
      {storage::null_if_empty(to), to_rfc3339(gate.actor().clock.now()), a.volunteer_id, date});
  set_training_recorded(c, session.id, a.volunteer_id, changed > 0 && !to.empty());
  if (changed == 0) return;
  volunteers::candidates_changed(c, session.organisation_id);
  gate.log("update", "volunteer", a.volunteer_id,
           "training_completed_on=" + to + ",support_session=" + session.id);
}

// After a change to a session, the training dates its attendance set follow it: undone for an
// attendee no longer present (or no longer invited) or when the session is no longer a basic
// training, moved along when its date moved; then anyone newly present is completed.
void follow_trainings(storage::Connection& c, auth::Gate& gate, const SupportSession& before,
                      const SupportSession& after) {
  for (const auto& a : before.attendees) {
    if (!a.training_recorded) continue;
    auto now = std::find_if(after.attendees.begin(), after.attendees.end(),
                            [&](const Attendee& x) { return x.volunteer_id == a.volunteer_id; });
    const bool still = now != after.attendees.end() && now->attended && is_basic_training(after);
    if (!still)
      move_training(c, gate, after, a, before.date, "");
    else if (after.date != before.date)
      move_training(c, gate, after, a, before.date, after.date);
  }
  if (auto fresh = load(c, after.id)) complete_trainings(c, gate, *fresh);
}

bool attendance_recorded(const SupportSession& s) {
  return std::any_of(s.attendees.begin(), s.attendees.end(),
                     [](const Attendee& a) { return a.marked; });
}

std::string scope_name(auth::Scope scope) {
  switch (scope) {
    case auth::Scope::organisation:
    case auth::Scope::all:
      return "organisation";
    case auth::Scope::team:
      return "team";
    default:
      return "own";
  }
}

// Whether the caller plans for the whole organisation (a project lead) or for their teams.
bool organisation_wide(const auth::Principal& p) {
  return auth::scope_of(p.role, Action::support_session_manage) == auth::Scope::organisation;
}

std::string sort_key(const SupportSession& s) { return s.date + " " + s.start_time; }

}  // namespace

const std::vector<std::string>& session_kinds() {
  static const std::vector<std::string> kKinds = {"supervision", "peer_group", "training",
                                                  "theme_meeting"};
  return kKinds;
}

SessionResult<SupportSession> create_session(storage::Connection& c, const auth::Actor& actor,
                                             const SessionInput& input) {
  const auth::Principal& p = actor.principal;
  SessionInput in = input;
  auto errors = validate_fields(in);
  if (!errors.empty()) return refuse(Error::invalid(errors));
  // Without a team a coordinator's session belongs to their own team; a project lead's to the
  // whole organisation (only they may plan for everyone).
  if (in.team_id && in.team_id->empty()) in.team_id.reset();
  if (!in.team_id && !organisation_wide(p) && !p.team_ids.empty()) in.team_id = p.team_ids.front();

  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  if (auto ok = check_team(c, p, in.team_id); !ok) return refuse(ok.error());
  if (auto unknown = unknown_volunteers(c, p, in.volunteer_ids); !unknown.empty())
    return refuse(Error::invalid({{"volunteer_ids", "coordination.validation.unknown_volunteers"}}),
                  unknown);
  SupportSession s;
  s.id = new_id();
  s.organisation_id = p.organisation_id;
  s.team_id = in.team_id;
  std::string invited = "volunteers=";
  for (std::size_t i = 0; i < in.volunteer_ids.size(); ++i)
    invited += (i ? "," : "") + in.volunteer_ids[i];
  if (auto ok = check_with_details(gate, Action::support_session_manage, resource_of(s), "create",
                                   "support_session", s.id, invited);
      !ok) {
    tx.commit();
    return refuse(ok.error());
  }
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO support_sessions (id, organisation_id, team_id, kind, title, held_on, "
      "start_time, duration_minutes, basic_training, notes, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.id, s.organisation_id, storage::optional_value(s.team_id), in.kind, in.title, in.date,
       storage::null_if_empty(in.start_time), std::int64_t{in.duration_minutes},
       std::int64_t{in.basic_training ? 1 : 0}, in.notes, p.user_id, now, now});
  invite(c, s.id, in.volunteer_ids);
  auto created = load(c, s.id);
  tx.commit();
  return *created;
}

SessionResult<SupportSession> update_session(storage::Connection& c, const auth::Actor& actor,
                                             const std::string& id, const SessionPatch& patch) {
  const auth::Principal& p = actor.principal;
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto s = load(c, id);
  if (!s) {
    Error e = gate.missing("update", "support_session", id);
    tx.commit();
    return refuse(e);
  }
  if (auto ok = gate.check(Action::support_session_manage, resource_of(*s), "update",
                           "support_session", id);
      !ok) {
    tx.commit();
    return refuse(ok.error());
  }
  SessionInput in{patch.kind.value_or(s->kind),
                  patch.title.value_or(s->title),
                  patch.date.value_or(s->date),
                  patch.start_time.value_or(s->start_time),
                  patch.duration_minutes.value_or(s->duration_minutes),
                  patch.team_id.value_or(s->team_id),
                  {},
                  patch.basic_training.value_or(s->basic_training),
                  patch.notes.value_or(s->notes)};
  if (patch.volunteer_ids) {
    in.volunteer_ids = *patch.volunteer_ids;
  } else {
    for (const auto& a : s->attendees) in.volunteer_ids.push_back(a.volunteer_id);
  }
  if (in.team_id && in.team_id->empty()) in.team_id.reset();
  auto errors = validate_fields(in);
  if (!in.team_id && s->team_id && !organisation_wide(p)) errors["team_id"] = "validation.required";
  // Who came is a fact about a day that has been: that day cannot lie in the future.
  if (!errors.contains("date") && attendance_recorded(*s) &&
      in.date > amsterdam_date(actor.clock.now()))
    errors["date"] = "coordination.validation.date_after_attendance";
  if (!errors.empty()) return refuse(Error::invalid(errors));
  if (in.team_id != s->team_id) {
    if (auto ok = check_team(c, p, in.team_id); !ok) return refuse(ok.error());
    // Moving a session to a team outside the caller's own is as refused as editing one there.
    if (auto ok = gate.check(Action::support_session_manage, {s->organisation_id, in.team_id, {}},
                             "update", "support_session", id);
        !ok) {
      tx.commit();
      return refuse(ok.error());
    }
  }
  // Only newly named invitees need checking: those already invited stay, even when the caller
  // could not invite them today.
  std::vector<std::string> added;
  for (const auto& v : in.volunteer_ids)
    if (std::none_of(s->attendees.begin(), s->attendees.end(),
                     [&](const Attendee& a) { return a.volunteer_id == v; }))
      added.push_back(v);
  if (auto unknown = unknown_volunteers(c, p, added); !unknown.empty())
    return refuse(Error::invalid({{"volunteer_ids", "coordination.validation.unknown_volunteers"}}),
                  unknown);
  c.execute(
      "UPDATE support_sessions SET kind = ?, title = ?, held_on = ?, start_time = ?, "
      "duration_minutes = ?, team_id = ?, basic_training = ?, notes = ?, updated_at = ? "
      "WHERE id = ?",
      {in.kind, in.title, in.date, storage::null_if_empty(in.start_time),
       std::int64_t{in.duration_minutes}, storage::optional_value(in.team_id),
       std::int64_t{in.basic_training ? 1 : 0}, in.notes, to_rfc3339(actor.clock.now()), id});
  for (const auto& a : s->attendees)
    if (std::find(in.volunteer_ids.begin(), in.volunteer_ids.end(), a.volunteer_id) ==
        in.volunteer_ids.end())
      c.execute("DELETE FROM support_session_attendees WHERE session_id = ? AND volunteer_id = ?",
                {id, a.volunteer_id});
  invite(c, id, added);
  // Turning an already held session into a basic training completes its attendees' screening;
  // turning it into something else, or removing an attendee, undoes what it completed.
  follow_trainings(c, gate, *s, *load(c, id));
  auto fresh = load(c, id);
  tx.commit();
  return *fresh;
}

SessionResult<SupportSession> record_attendance(storage::Connection& c, const auth::Actor& actor,
                                                const std::string& id,
                                                const std::vector<std::string>& attended) {
  const auth::Principal& p = actor.principal;
  const std::vector<std::string> present = distinct(attended);
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto s = load(c, id);
  if (!s) {
    Error e = gate.missing("update", "support_session", id);
    tx.commit();
    return refuse(e);
  }
  std::string details = "attended=";
  for (std::size_t i = 0; i < present.size(); ++i) details += (i ? "," : "") + present[i];
  if (auto ok = check_with_details(gate, Action::support_session_manage, resource_of(*s), "update",
                                   "support_session", id, details);
      !ok) {
    tx.commit();
    return refuse(ok.error());
  }
  if (s->date > amsterdam_date(actor.clock.now()))
    return refuse(Error::conflict("coordination.attendance_before_date"));
  std::vector<std::string> added;
  for (const auto& v : present)
    if (std::none_of(s->attendees.begin(), s->attendees.end(),
                     [&](const Attendee& a) { return a.volunteer_id == v; }))
      added.push_back(v);
  if (auto unknown = unknown_volunteers(c, p, added); !unknown.empty())
    return refuse(Error::invalid({{"volunteer_ids", "coordination.validation.unknown_volunteers"}}),
                  unknown);
  if (s->kind == "supervision" && s->attendees.size() + added.size() != 1)
    return refuse(Error::invalid({{"volunteer_ids", "coordination.validation.supervision_one"}}));
  invite(c, id, added);
  const std::string now = to_rfc3339(actor.clock.now());
  std::vector<std::string> everyone;
  for (const auto& a : s->attendees) everyone.push_back(a.volunteer_id);
  everyone.insert(everyone.end(), added.begin(), added.end());
  for (const auto& v : everyone) {
    const bool came = std::find(present.begin(), present.end(), v) != present.end();
    c.execute(
        "UPDATE support_session_attendees SET attended = ?, marked_by = ?, marked_at = ? "
        "WHERE session_id = ? AND volunteer_id = ?",
        {std::int64_t{came ? 1 : 0}, p.user_id, now, id, v});
  }
  c.execute("UPDATE support_sessions SET updated_at = ? WHERE id = ?", {now, id});
  follow_trainings(c, gate, *s, *load(c, id));
  auto fresh = load(c, id);
  tx.commit();
  return *fresh;
}

Result<SupportSession> get_session(storage::Connection& c, const auth::Actor& actor,
                                   const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto s = load(c, id);
  Status ok =
      s ? gate.check(Action::support_session_list, resource_of(*s), "view", "support_session", id)
        : Status(fail(gate.missing("view", "support_session", id)));
  tx.commit();
  if (!ok) return fail(ok.error());
  return narrowed(*s, actor.principal);
}

Result<Page<SupportSession>> list_sessions(storage::Connection& c, const auth::Actor& actor,
                                           const SessionFilter& filter) {
  const auth::Principal& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, Action::support_session_list);
  if (scope == auth::Scope::none) return fail(Error::forbidden());
  std::map<std::string, std::string> errors;
  if (filter.from && !is_valid_date(*filter.from)) errors["from"] = "validation.date";
  if (filter.to && !is_valid_date(*filter.to)) errors["to"] = "validation.date";
  const auto& kinds = session_kinds();
  if (filter.kind && std::find(kinds.begin(), kinds.end(), *filter.kind) == kinds.end())
    errors["kind"] = "validation.choice";
  const auto keys = keyset(filter.page);
  if (!keys) errors["cursor"] = "validation.cursor";
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string scope_value = scope_name(scope);
  // Soonest first by default (what is coming up); newest first for looking back.
  const std::string order =
      filter.newest_first
          ? "AND (CAST(? AS TEXT) IS NULL OR s.held_on || ' ' || COALESCE(s.start_time, '') < ? "
            "OR (s.held_on || ' ' || COALESCE(s.start_time, '') = ? AND s.id < ?)) "
            "ORDER BY s.held_on DESC, COALESCE(s.start_time, '') DESC, s.id DESC LIMIT ?"
          : "AND (CAST(? AS TEXT) IS NULL OR s.held_on || ' ' || COALESCE(s.start_time, '') > ? "
            "OR (s.held_on || ' ' || COALESCE(s.start_time, '') = ? AND s.id > ?)) "
            "ORDER BY s.held_on, COALESCE(s.start_time, ''), s.id LIMIT ?";
  storage::Transaction tx(c);
  auto rows = c.query(
      std::string(kColumns) +
          "WHERE s.organisation_id = ? "
          "AND (? = 'organisation' "
          "OR (? = 'team' AND (s.team_id IS NULL OR s.team_id IN "
          "(SELECT team_id FROM user_teams WHERE user_id = ?))) "
          "OR (? = 'own' AND EXISTS (SELECT 1 FROM support_session_attendees a "
          "JOIN volunteers v ON v.id = a.volunteer_id WHERE a.session_id = s.id "
          "AND v.user_id = ?))) "
          "AND (CAST(? AS TEXT) IS NULL OR s.held_on >= ?) "
          "AND (CAST(? AS TEXT) IS NULL OR s.held_on <= ?) "
          "AND (CAST(? AS TEXT) IS NULL OR s.kind = ?) "
          "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM support_session_attendees f "
          "WHERE f.session_id = s.id AND f.volunteer_id = ?)) " +
          order,
      {p.organisation_id, scope_value, scope_value, p.user_id, scope_value, p.user_id,
       storage::optional_value(filter.from), storage::optional_value(filter.from),
       storage::optional_value(filter.to), storage::optional_value(filter.to),
       storage::optional_value(filter.kind), storage::optional_value(filter.kind),
       storage::optional_value(filter.volunteer_id), storage::optional_value(filter.volunteer_id),
       keys->has_cursor ? storage::Value{keys->key} : storage::Value{storage::Null{}}, keys->key,
       keys->key, keys->id, std::int64_t{keys->limit + 1}});
  auto page = page_from_rows<SupportSession>(rows, keys->limit, session_from, sort_key);
  for (auto& s : page.items) {
    load_attendees(c, s);
    s = narrowed(std::move(s), p);
  }
  auth::Gate(c, actor).log("list", "support_session", "", listed_ids(page));
  tx.commit();
  return page;
}

std::vector<SupportSession> sessions_this_week(storage::Connection& c, const auth::Actor& actor) {
  if (!auth::allowed(actor.principal, Action::support_session_list)) return {};
  const std::string today = amsterdam_date(actor.clock.now());
  SessionFilter filter;
  filter.from = week_start(today);
  filter.to = week_end(today);
  filter.page.limit = 200;
  auto page = list_sessions(c, actor, filter);
  if (!page) return {};
  return std::move(page->items);
}

std::vector<VolunteerChoice> invitable_volunteers(storage::Connection& c,
                                                  const auth::Actor& actor) {
  const auth::Principal& p = actor.principal;
  const auth::Scope scope = auth::scope_of(p.role, Action::support_session_manage);
  if (scope == auth::Scope::none) return {};
  const std::string scope_value = scope_name(scope);
  storage::Transaction tx(c);
  std::vector<VolunteerChoice> out;
  std::string ids = "ids=";
  for (const auto& r : c.query("SELECT v.id, v.first_name || ' ' || v.last_name FROM volunteers v "
                               "WHERE v.organisation_id = ? AND v.status <> 'stopped' "
                               "AND (? = 'organisation' OR v.team_id IS NULL OR v.team_id IN "
                               "(SELECT team_id FROM user_teams WHERE user_id = ?)) "
                               "ORDER BY v.last_name, v.first_name, v.id",
                               {p.organisation_id, scope_value, p.user_id})) {
    ids += (out.empty() ? "" : ",") + r.text(0);
    out.push_back({r.text(0), r.text(1)});
  }
  auth::Gate(c, actor).log("list", "volunteer", "", ids);
  tx.commit();
  return out;
}

}  // namespace oploop::coordination
