#include "contacts/contacts.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "auth/policy.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::contacts {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "SELECT c.id, c.organisation_id, c.team_id, c.match_id, c.status, c.on_date, c.minutes, "
    "c.kind, c.at_time, c.outside_office_hours, c.activities, c.note, c.created_by, "
    "c.created_at, c.updated_at, c.seen_by, c.seen_at, c.reply, cu.name, su.name, c.final_at "
    "FROM contacts c JOIN users cu ON cu.id = c.created_by "
    "LEFT JOIN users su ON su.id = c.seen_by ";

constexpr const char* kRunning = "('introduction', 'active', 'stepping_down')";

std::vector<std::string> string_list(const std::string& s) {
  std::vector<std::string> out;
  auto j = json::parse(s, nullptr, false);
  if (j.is_array())
    for (const auto& x : j)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// Stored activities in the catalogue's order, each once: migration 0009 may have turned a list
// holding both "health" and "physical_health" into one holding the latter twice.
std::vector<std::string> activities_of(const std::string& stored) {
  const auto codes = string_list(stored);
  std::vector<std::string> out;
  for (const auto& code : activity_codes())
    if (std::ranges::find(codes, code) != codes.end()) out.push_back(code);
  for (const auto& code : codes)  // none expected; kept rather than hidden
    if (std::ranges::find(out, code) == out.end()) out.push_back(code);
  return out;
}

Contact contact_from(const storage::Row& r) {
  Contact x;
  x.id = r.text(0);
  x.organisation_id = r.text(1);
  x.team_id = r.optional_text(2);
  x.match_id = r.text(3);
  x.status = r.text(4);
  x.date = r.text(5);
  if (auto m = r.optional_integer(6)) x.minutes = static_cast<int>(*m);
  x.kind = r.text(7);
  x.time = r.text(8);
  x.outside_office_hours = r.boolean(9);
  x.activities = activities_of(r.text(10));
  x.note = r.text(11);
  x.created_by = r.text(12);
  x.created_at = r.text(13);
  x.updated_at = r.text(14);
  x.seen_by = r.text(15);
  x.seen_at = r.text(16);
  x.reply = r.text(17);
  x.created_by_name = r.text(18);
  x.seen_by_name = r.text(19);
  x.final_at = r.text(20);
  return x;
}

// Locks the contact's row for the rest of the transaction (PostgreSQL; SQLite has one writer),
// so that of two corrections or "gezien" marks at once the second waits for the first and reads
// its values: both land in the history and neither undoes the other.
void lock_contact(storage::Connection& c, const std::string& id) {
  if (c.dialect() == storage::Dialect::postgres)
    c.query("SELECT id FROM contacts WHERE id = ? FOR UPDATE", {id});
}

std::optional<Contact> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE c.id = ?", {id});
  if (!row) return std::nullopt;
  return contact_from(*row);
}

void load_revisions(storage::Connection& c, Contact& x) {
  for (const auto& r :
       c.query("SELECT r.changed_by, u.name, r.changed_at, r.previous FROM contact_revisions r "
               "JOIN users u ON u.id = r.changed_by WHERE r.contact_id = ? "
               "ORDER BY r.changed_at, r.id",
               {x.id}))
    x.revisions.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
}

// The match with what the policy needs: its organisation and team, and its volunteer's
// account, who owns the match (and so its contacts) only while it runs.
struct MatchRecord {
  MatchSummary summary;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string volunteer_user_id;
};

std::string start_date_of(const std::string& introduction, const std::string& started,
                          const std::string& created_at) {
  if (!introduction.empty()) return introduction;
  if (!started.empty()) return started;
  return created_at.substr(0, 10);
}

MatchRecord match_from(const storage::Row& r) {
  MatchRecord m;
  m.summary.id = r.text(0);
  m.organisation_id = r.text(1);
  m.team_id = r.optional_text(2);
  m.summary.status = r.text(3);
  m.volunteer_user_id = r.text(4);
  m.summary.family_id = r.text(5);
  m.summary.family_name = r.text(6);
  m.summary.volunteer_name = r.text(7);
  m.summary.start_date = start_date_of(r.text(8), r.text(9), r.text(10));
  const std::string& s = m.summary.status;
  m.summary.running = s == "introduction" || s == "active" || s == "stepping_down";
  return m;
}

constexpr const char* kMatchColumns =
    "SELECT m.id, m.organisation_id, m.team_id, m.status, v.user_id, m.family_id, "
    "f.display_name, v.first_name || ' ' || v.last_name, m.introduction_date, m.started_on, "
    "m.created_at FROM matches m JOIN volunteers v ON v.id = m.volunteer_id "
    "JOIN families f ON f.id = m.family_id ";

std::optional<MatchRecord> load_match(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kMatchColumns) + "WHERE m.id = ?", {id});
  if (!row) return std::nullopt;
  return match_from(*row);
}

auth::ResourceRef resource_of(const MatchRecord& m) {
  std::vector<std::string> owners;
  if (m.summary.running && !m.volunteer_user_id.empty()) owners.push_back(m.volunteer_user_id);
  return {m.organisation_id, m.team_id, owners};
}

// The policy's decision, written to the access log through the gate when it refuses; the
// caller logs the success once it knows what it did, so that one entry says it. `staff_only`:
// a volunteer who may see the record is still refused (403) — one who may not gets 404.
Status decide(auth::Gate& gate, const auth::Actor& actor, auth::Action action,
              const auth::ResourceRef& resource, std::string_view event,
              std::string_view object_type, const std::string& object_id, bool staff_only = false) {
  auto ok = auth::check(actor.principal, action, resource);
  if (ok && staff_only && actor.principal.role == auth::Role::volunteer)
    ok = fail(Error::forbidden());
  if (ok) return {};
  if (ok.error().kind == ErrorKind::not_found)
    gate.missing(event, object_type, object_id);
  else
    gate.deny(event, object_type, object_id, std::string(auth::to_string(action)));
  return ok;
}

// The values of a contact, whole, as they will be stored.
struct Values {
  std::string status;
  std::string date;
  std::optional<int> minutes;
  std::string kind;
  std::string time;
  std::optional<bool> outside_office_hours;
  std::vector<std::string> activities;
  std::string note;
};

Values values_of(const ContactInput& in) {
  return {in.status.empty() ? "final" : in.status,
          in.date,
          in.minutes,
          in.kind,
          in.time,
          in.outside_office_hours,
          in.activities,
          in.note};
}

Values values_of(const Contact& x) {
  return {x.status,     x.date, x.minutes, x.kind, x.time, x.outside_office_hours,
          x.activities, x.note};
}

// Every rule on the values themselves (the match's start date is checked with the match).
std::map<std::string, std::string> validate(Values& v, const std::string& today) {
  std::map<std::string, std::string> errors;
  if (v.status != "draft" && v.status != "final") errors["status"] = "validation.choice";
  const bool final = v.status != "draft";
  if (v.date.empty())
    errors["date"] = "validation.required";
  else if (!is_valid_date(v.date))
    errors["date"] = "validation.date";
  else if (v.date > today)
    errors["date"] = "validation.date_future";
  if (!v.minutes) {
    if (final) errors["minutes"] = "contact.minutes_required";
  } else if (*v.minutes < kMinutesMin || *v.minutes > kMinutesMax) {
    errors["minutes"] = "contact.minutes_range";
  }
  if (v.kind.empty()) {
    if (final) errors["kind"] = "contact.kind_required";
  } else if (!is_kind(v.kind)) {
    errors["kind"] = "validation.choice";
  }
  v.time = text::trim(v.time);
  if (!v.time.empty() && !is_valid_time(v.time)) errors["time"] = "contact.time";
  std::vector<std::string> activities;
  for (const auto& code : activity_codes())  // the catalogue's order, each once
    if (std::ranges::find(v.activities, code) != v.activities.end()) activities.push_back(code);
  for (const auto& code : v.activities)
    if (!is_activity(code)) errors["activities"] = "contact.activity_unknown";
  v.activities = activities;
  v.note = text::trim(v.note);
  if (text::length(v.note) > static_cast<std::size_t>(kNoteMaxLength))
    errors["note"] = "contact.note_too_long";
  else if (text::has_control_characters(v.note))
    errors["note"] = "validation.characters";
  return errors;
}

// With a time, whether the contact was outside office hours follows from it; without one the
// caller says so (default no) — but a Saturday or Sunday always is.
bool office_hours_flag(const Values& v) {
  if (!v.time.empty()) return outside_office_hours(v.date, v.time);
  return v.outside_office_hours.value_or(false) || is_weekend(v.date);
}

storage::Value minutes_value(const std::optional<int>& m) {
  return m ? storage::Value{std::int64_t{*m}} : storage::Value{storage::Null{}};
}

json previous_json(const Contact& x) {
  return {{"status", x.status},
          {"date", x.date},
          {"minutes", x.minutes ? json(*x.minutes) : json(nullptr)},
          {"kind", x.kind.empty() ? json(nullptr) : json(x.kind)},
          {"time", x.time.empty() ? json(nullptr) : json(x.time)},
          {"outside_office_hours", x.outside_office_hours},
          {"activities", x.activities},
          {"note", x.note}};
}

// The day (Europe/Amsterdam) the contact became final: its correction window starts there.
std::string final_day(const Contact& x) {
  const std::string& at = x.final_at.empty() ? x.created_at : x.final_at;
  try {
    return amsterdam_date(parse_rfc3339(at));
  } catch (const std::invalid_argument&) {
    return at.substr(0, 10);
  }
}

}  // namespace

bool may_correct(const auth::Principal& p, const Contact& contact, const std::string& today) {
  if (!auth::allowed(p, auth::Action::contact_log)) return false;
  if (p.role != auth::Role::volunteer) return true;
  if (contact.created_by != p.user_id) return false;
  // A draft is unfinished work: its author may finish it whenever they get to it.
  if (contact.status == "draft") return true;
  return days_between(final_day(contact), today) <= kVolunteerCorrectionDays;
}

Result<Contact> log_contact(storage::Connection& c, const auth::Actor& actor,
                            const std::string& match_id, const ContactInput& input) {
  const std::string today = amsterdam_date(actor.clock.now());
  Values v = values_of(input);
  auto errors = validate(v, today);
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string object = "match:" + match_id;
  auto m = load_match(c, match_id);
  Status ok = m ? decide(gate, actor, auth::Action::contact_log, resource_of(*m), "create",
                         "contact", object)
                : Status(fail(gate.missing("create", "contact", object)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!m->summary.running) {
    gate.deny("create", "contact", object, "match_not_running");
    tx.commit();
    return fail(Error::conflict("contact.match_not_running"));
  }
  if (!errors.contains("date") && v.date < m->summary.start_date)
    errors["date"] = "contact.date_before_match";
  if (!errors.empty()) return fail(Error::invalid(errors));

  Contact x;
  x.id = new_id();
  x.created_at = x.updated_at = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO contacts (id, organisation_id, team_id, match_id, status, on_date, minutes, "
      "kind, at_time, outside_office_hours, activities, note, created_by, created_at, "
      "updated_at, final_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {x.id, m->organisation_id, storage::optional_value(m->team_id), match_id, v.status, v.date,
       minutes_value(v.minutes), storage::null_if_empty(v.kind), storage::null_if_empty(v.time),
       std::int64_t{office_hours_flag(v) ? 1 : 0}, json(v.activities).dump(), v.note,
       actor.principal.user_id, x.created_at, x.updated_at,
       v.status == "final" ? storage::Value{x.created_at} : storage::Value{storage::Null{}}});
  gate.log("create", "contact", x.id, "match=" + match_id + ",status=" + v.status);
  auto created = load(c, x.id);
  tx.commit();
  return *created;
}

Result<Contact> correct_contact(storage::Connection& c, const auth::Actor& actor,
                                const std::string& id, const ContactPatch& patch) {
  const std::string today = amsterdam_date(actor.clock.now());
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  lock_contact(c, id);
  auto old = load(c, id);
  auto m = old ? load_match(c, old->match_id) : std::nullopt;
  Status ok =
      m ? decide(gate, actor, auth::Action::contact_log, resource_of(*m), "update", "contact", id)
        : Status(fail(gate.missing("update", "contact", id)));
  if (ok && actor.principal.role == auth::Role::volunteer &&
      old->created_by != actor.principal.user_id) {
    // A volunteer corrects only what they logged themselves.
    gate.deny("update", "contact", id, "not_own_contact");
    ok = fail(Error::forbidden());
  }
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  const auto& p = actor.principal;
  if (!may_correct(p, *old, today)) {
    gate.deny("update", "contact", id, "too_old");
    tx.commit();
    return fail(Error::conflict("contact.too_old_to_correct"));
  }
  Values v = values_of(*old);
  if (patch.status) v.status = *patch.status;
  if (patch.date) v.date = *patch.date;
  if (patch.minutes) v.minutes = *patch.minutes;
  if (patch.kind) v.kind = *patch.kind;
  if (patch.time) v.time = *patch.time;
  // Without a time, the stored flag stands unless the correction says otherwise.
  v.outside_office_hours =
      patch.outside_office_hours ? *patch.outside_office_hours : old->outside_office_hours;
  if (patch.activities) v.activities = *patch.activities;
  if (patch.note) v.note = *patch.note;
  auto errors = validate(v, today);
  // A date that did not change stands, even when the match's start was moved after it.
  if (!errors.contains("date") && v.date != old->date && v.date < m->summary.start_date)
    errors["date"] = "contact.date_before_match";
  if (!errors.empty()) return fail(Error::invalid(errors));
  if (old->status == "final" && v.status == "draft")
    return fail(Error::conflict("contact.final_stays_final"));

  Contact next = *old;
  next.status = v.status;
  next.date = v.date;
  next.minutes = v.minutes;
  next.kind = v.kind;
  next.time = v.time;
  next.outside_office_hours = office_hours_flag(v);
  next.activities = v.activities;
  next.note = v.note;
  const json before = previous_json(*old);
  const json after = previous_json(next);
  std::string changed;
  for (const auto& [key, value] : after.items())
    if (before.at(key) != value) changed += (changed.empty() ? "" : ",") + key;
  if (!changed.empty()) {
    const std::string now = to_rfc3339(actor.clock.now());
    c.execute(
        "INSERT INTO contact_revisions (id, contact_id, previous, changed_by, changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {new_id(), id, before.dump(), p.user_id, now});
    // Finishing a draft starts the volunteer's correction window.
    const bool finalised = old->status == "draft" && next.status == "final";
    c.execute(
        "UPDATE contacts SET status = ?, on_date = ?, minutes = ?, kind = ?, at_time = ?, "
        "outside_office_hours = ?, activities = ?, note = ?, updated_at = ?, "
        "final_at = COALESCE(final_at, ?) WHERE id = ?",
        {next.status, next.date, minutes_value(next.minutes), storage::null_if_empty(next.kind),
         storage::null_if_empty(next.time), std::int64_t{next.outside_office_hours ? 1 : 0},
         json(next.activities).dump(), next.note, now,
         finalised ? storage::Value{now} : storage::Value{storage::Null{}}, id});
  }
  // Names of the fields that changed, never their values.
  gate.log("update", "contact", id, "fields=" + changed);
  auto fresh = load(c, id);
  load_revisions(c, *fresh);
  tx.commit();
  return *fresh;
}

Result<Contact> mark_seen(storage::Connection& c, const auth::Actor& actor, const std::string& id,
                          const std::string& reply_in) {
  const std::string reply = text::trim(reply_in);
  std::map<std::string, std::string> errors;
  if (text::length(reply) > static_cast<std::size_t>(kReplyMaxLength))
    errors["reply"] = "contact.reply_too_long";
  else if (text::has_control_characters(reply))
    errors["reply"] = "validation.characters";
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  lock_contact(c, id);
  auto x = load(c, id);
  auto m = x ? load_match(c, x->match_id) : std::nullopt;
  Status ok = m ? decide(gate, actor, auth::Action::contact_log, resource_of(*m), "seen", "contact",
                         id, /*staff_only=*/true)
                : Status(fail(gate.missing("seen", "contact", id)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!m->summary.running) {
    gate.deny("seen", "contact", id, "match_not_running");
    tx.commit();
    return fail(Error::conflict("contact.match_not_running"));
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  const std::string now = to_rfc3339(actor.clock.now());
  // An empty reply is only the mark: an earlier reply stands (the volunteer may have read it).
  c.execute("UPDATE contacts SET seen_by = ?, seen_at = ?, reply = COALESCE(?, reply) WHERE id = ?",
            {actor.principal.user_id, now, storage::null_if_empty(reply), id});
  gate.log("seen", "contact", id, reply.empty() ? "" : "reply");
  auto fresh = load(c, id);
  tx.commit();
  return *fresh;
}

Result<Contact> get_contact(storage::Connection& c, const auth::Actor& actor,
                            const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto x = load(c, id);
  auto m = x ? load_match(c, x->match_id) : std::nullopt;
  Status ok = m ? gate.check(auth::Action::contact_list, resource_of(*m), "view", "contact", id)
                : Status(fail(gate.missing("view", "contact", id)));
  if (ok) load_revisions(c, *x);
  tx.commit();
  if (!ok) return fail(ok.error());
  return *x;
}

Result<ContactList> list_contacts(storage::Connection& c, const auth::Actor& actor,
                                  const std::string& match_id, const ContactFilter& filter) {
  if (filter.status && *filter.status != "draft" && *filter.status != "final")
    return fail(Error::invalid({{"status", "validation.choice"}}));
  const auto keys = keyset(filter.page);
  if (!keys) return fail(Error::invalid({{"cursor", "validation.cursor"}}));
  // The sort key is "<date>|<created_at>"; anything else is a cursor we did not make.
  std::string before_date, before_created;
  if (keys->has_cursor) {
    const auto bar = keys->key.find('|');
    if (bar == std::string::npos || !is_valid_date(keys->key.substr(0, bar)))
      return fail(Error::invalid({{"cursor", "validation.cursor"}}));
    before_date = keys->key.substr(0, bar);
    before_created = keys->key.substr(bar + 1);
  }
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string object = "match:" + match_id;
  auto m = load_match(c, match_id);
  Status ok = m ? decide(gate, actor, auth::Action::contact_list, resource_of(*m), "list",
                         "contact", object)
                : Status(fail(gate.missing("list", "contact", object)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  const storage::Value cursor =
      keys->has_cursor ? storage::Value{before_date} : storage::Value{storage::Null{}};
  auto rows = c.query(std::string(kColumns) +
                          "WHERE c.match_id = ? "
                          "AND (CAST(? AS TEXT) IS NULL OR c.status = ?) "
                          "AND (CAST(? AS TEXT) IS NULL OR c.on_date < ? OR (c.on_date = ? AND "
                          "(c.created_at < ? OR (c.created_at = ? AND c.id < ?)))) "
                          "ORDER BY c.on_date DESC, c.created_at DESC, c.id DESC LIMIT ?",
                      {match_id, storage::optional_value(filter.status),
                       storage::optional_value(filter.status), cursor, before_date, before_date,
                       before_created, before_created, keys->id, std::int64_t{keys->limit + 1}});
  ContactList out;
  out.match = m->summary;
  out.page = page_from_rows<Contact>(rows, keys->limit, contact_from,
                                     [](const Contact& x) { return x.date + "|" + x.created_at; });
  gate.log("list", "contact", object, listed_ids(out.page));
  tx.commit();
  return out;
}

Result<ContactDefaults> contact_defaults(storage::Connection& c, const auth::Actor& actor,
                                         const std::string& match_id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = load_match(c, match_id);
  Status ok =
      m ? decide(gate, actor, auth::Action::contact_log, resource_of(*m), "view", "match", match_id)
        : Status(fail(gate.missing("view", "match", match_id)));
  if (!ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (!m->summary.running) return fail(Error::conflict("contact.match_not_running"));
  ContactDefaults d;
  d.match = m->summary;
  d.date = amsterdam_date(actor.clock.now());
  // The usual duration and kind: those of the last complete contact this user logged.
  if (auto last = c.query_one(
          "SELECT minutes, kind FROM contacts WHERE created_by = ? AND status = 'final' "
          "AND minutes IS NOT NULL AND kind IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1",
          {actor.principal.user_id})) {
    d.minutes = static_cast<int>(last->integer(0));
    d.kind = last->text(1);
  }
  gate.log("view", "match", match_id, "contact_form");
  tx.commit();
  return d;
}

Result<std::vector<OwnMatch>> own_matches(storage::Connection& c, const auth::Actor& actor) {
  const auto& p = actor.principal;
  if (auth::scope_of(p.role, auth::Action::contact_list) != auth::Scope::own)
    return fail(Error::forbidden());
  storage::Transaction tx(c);
  std::vector<OwnMatch> out;
  std::string ids = "ids=";
  for (const auto& r :
       c.query(std::string(kMatchColumns) +
                   "WHERE m.organisation_id = ? AND v.user_id = ? AND m.status IN " + kRunning +
                   " ORDER BY m.created_at, m.id",
               {p.organisation_id, p.user_id})) {
    OwnMatch o{match_from(r).summary, ""};
    // Drafts count: the contact took place, only its details are missing.
    if (auto last =
            c.query_one("SELECT MAX(on_date) FROM contacts WHERE match_id = ?", {o.match.id});
        last && !last->is_null(0))
      o.last_contact_date = last->text(0);
    ids += (out.empty() ? "" : ",") + o.match.id;
    out.push_back(std::move(o));
  }
  auth::Gate(c, actor).log("list", "match", "", ids);
  tx.commit();
  return out;
}

}  // namespace oploop::contacts
