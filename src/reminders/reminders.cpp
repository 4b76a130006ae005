// The reminder rules. Each rule is a function from (organisation, today) to the reminders it
// finds, kept in one table so another module can plug its rule in (add_rule); the policy then
// narrows them to what the actor may see, per subject, with the same check the detail pages
// use. Every date is the `today` passed in, never the wall clock.
#include "reminders/reminders.hpp"

#include <algorithm>
#include <mutex>

#include "auth/accounts.hpp"
#include "auth/gate.hpp"
#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "matches/match.hpp"
#include "measurements/due.hpp"
#include "volunteers/volunteer.hpp"

namespace oploop::reminders {
namespace {

constexpr int kNoContactDays = 21;
constexpr int kFarewellMonths = 21;
constexpr int kEndMonths = 24;
constexpr int kUntouchedWorkingDays = 5;

std::string local_date(const std::string& rfc3339) {
  return amsterdam_date(parse_rfc3339(rfc3339));
}

Reminder make(Rule rule, std::string kind, std::string id, std::optional<std::string> team,
              std::string href, std::string label, std::string since,
              std::map<std::string, std::string> params) {
  return {rule,
          std::move(kind),
          std::move(id),
          team.value_or(""),
          std::move(href),
          std::move(label),
          std::move(since),
          "reminder." + std::string(to_string(rule)),
          std::move(params)};
}

// --- matches: no contact, 21 and 24 months -------------------------------------------------

struct ActiveMatch {
  std::string id;
  std::optional<std::string> team_id;
  std::string started_on;
  std::string last_contact;  // "" when none
  std::string label;
};

// The organisation's active matches with their last contact (drafts count: the contact took
// place, only its details are missing — as on the volunteer's home page).
std::vector<ActiveMatch> active_matches(storage::Connection& c,
                                        const std::string& organisation_id) {
  std::vector<ActiveMatch> out;
  for (const auto& r :
       c.query("SELECT m.id, m.team_id, COALESCE(m.started_on, ''), f.display_name, v.first_name, "
               "(SELECT MAX(ct.on_date) FROM contacts ct WHERE ct.match_id = m.id), m.created_at "
               "FROM matches m JOIN families f ON f.id = m.family_id "
               "JOIN volunteers v ON v.id = m.volunteer_id "
               "WHERE m.organisation_id = ? AND m.status = 'active'",
               {organisation_id})) {
    ActiveMatch m{r.text(0), r.optional_text(1), r.text(2), r.optional_text(5).value_or(""),
                  r.text(3) + " – " + r.text(4)};
    if (m.started_on.empty()) m.started_on = local_date(r.text(6));
    out.push_back(std::move(m));
  }
  return out;
}

Reminder match_reminder(Rule rule, const ActiveMatch& m, const std::string& since,
                        std::map<std::string, std::string> params) {
  return make(rule, "match", m.id, m.team_id, "/koppelingen/" + m.id, m.label, since,
              std::move(params));
}

std::vector<Reminder> no_contact(storage::Connection& c, const std::string& organisation_id,
                                 const std::string& today) {
  std::vector<Reminder> out;
  for (const auto& m : active_matches(c, organisation_id)) {
    // A match without any contact counts from its start.
    const std::string since = m.last_contact.empty() ? m.started_on : m.last_contact;
    const int days = days_between(since, today);
    if (days >= kNoContactDays)
      out.push_back(match_reminder(Rule::no_contact, m, since, {{"days", std::to_string(days)}}));
  }
  return out;
}

std::vector<Reminder> match_months(storage::Connection& c, const std::string& organisation_id,
                                   const std::string& today, Rule rule) {
  std::vector<Reminder> out;
  for (const auto& m : active_matches(c, organisation_id)) {
    const int months = matches::months_between(m.started_on, today);
    const bool due = rule == Rule::match_24_months
                         ? months >= kEndMonths
                         : months >= kFarewellMonths && months < kEndMonths;
    if (due)
      out.push_back(match_reminder(rule, m, m.started_on, {{"months", std::to_string(months)}}));
  }
  return out;
}

// --- volunteers: VOG and training ------------------------------------------------------------

struct VolunteerRow {
  volunteers::Volunteer v;  // status, screening and vog_valid_until filled
  std::string label;
  std::string since;  // the day the volunteer was registered
};

// The organisation's volunteers who have not stopped, with what the screening rules read.
std::vector<VolunteerRow> current_volunteers(storage::Connection& c,
                                             const std::string& organisation_id) {
  std::vector<VolunteerRow> out;
  for (const auto& r :
       c.query("SELECT v.id, v.team_id, v.status, v.first_name, v.last_name, "
               "COALESCE(v.vog_issued_on, ''), COALESCE(v.training_completed_on, ''), "
               "COALESCE(v.code_signed_on, ''), v.created_at, o.vog_validity_years "
               "FROM volunteers v JOIN organisations o ON o.id = v.organisation_id "
               "WHERE v.organisation_id = ? AND v.status <> 'stopped'",
               {organisation_id})) {
    VolunteerRow row;
    row.v.id = r.text(0);
    row.v.organisation_id = organisation_id;
    row.v.team_id = r.optional_text(1);
    row.v.status = r.text(2);
    row.v.screening.vog_issued_on = r.text(5);
    row.v.screening.training_completed_on = r.text(6);
    row.v.screening.code_signed_on = r.text(7);
    row.v.vog_valid_until =
        volunteers::vog_valid_until(row.v.screening.vog_issued_on, static_cast<int>(r.integer(9)));
    row.label = r.text(3) + " " + r.text(4);
    row.since = local_date(r.text(8));
    out.push_back(std::move(row));
  }
  return out;
}

Reminder volunteer_reminder(Rule rule, const VolunteerRow& row, const std::string& since,
                            std::map<std::string, std::string> params) {
  return make(rule, "volunteer", row.v.id, row.v.team_id, "/vrijwilligers/" + row.v.id, row.label,
              since, std::move(params));
}

std::vector<Reminder> vog_lapsing(storage::Connection& c, const std::string& organisation_id,
                                  const std::string& today) {
  std::vector<Reminder> out;
  for (const auto& row : current_volunteers(c, organisation_id)) {
    // The screening rules decide: lapsing within 60 days, or lapsed (the expiry blocker).
    const auto blockers = volunteers::blockers(row.v, today);
    const bool lapsed = std::any_of(blockers.begin(), blockers.end(),
                                    [](const auto& b) { return b.code == "vog_expired"; });
    if (!lapsed && !volunteers::vog_lapsing(row.v, today)) continue;
    Reminder r = volunteer_reminder(Rule::vog_lapsing, row, row.v.screening.vog_issued_on,
                                    {{"date", row.v.vog_valid_until}});
    if (lapsed) r.why_key = "reminder.vog_lapsed";
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Reminder> training_missing(storage::Connection& c, const std::string& organisation_id,
                                       const std::string& today) {
  std::vector<Reminder> out;
  for (const auto& row : current_volunteers(c, organisation_id)) {
    // Screening, available or matched (volunteers/volunteer.hpp): past the application, so
    // the basic training is what the coordinator should arrange.
    const auto& s = row.v.status;
    if (s != "screening" && s != "available" && s != "matched") continue;
    const auto blockers = volunteers::blockers(row.v, today);
    if (std::none_of(blockers.begin(), blockers.end(),
                     [](const auto& b) { return b.code == "training_missing"; }))
      continue;
    out.push_back(volunteer_reminder(Rule::training_missing, row, row.since, {}));
  }
  return out;
}

// --- referrals and concerns ------------------------------------------------------------------

std::vector<Reminder> referral_untouched(storage::Connection& c, const std::string& organisation_id,
                                         const std::string& today) {
  std::vector<Reminder> out;
  for (const auto& r : c.query("SELECT id, team_id, contact_name, created_at FROM referrals "
                               "WHERE organisation_id = ? AND status = 'new'",
                               {organisation_id})) {
    const std::string came_in = local_date(r.text(3));
    const int days = working_days_between(came_in, today);
    if (days < kUntouchedWorkingDays) continue;
    out.push_back(make(Rule::referral_untouched, "referral", r.text(0), r.optional_text(1),
                       "/aanmeldingen/" + r.text(0), r.text(2), came_in,
                       {{"days", std::to_string(days)}, {"date", came_in}}));
  }
  return out;
}

std::vector<Reminder> concern_unacknowledged(storage::Connection& c,
                                             const std::string& organisation_id,
                                             const std::string&) {
  std::vector<Reminder> out;
  // Urgent and still "open": nobody marked it as seen. (The four-hour mail to the rest of the
  // team is concerns/urgent_mail.hpp; the reminder stands from the moment it is raised.)
  for (const auto& r :
       c.query("SELECT c.id, c.team_id, f.display_name, c.created_at FROM concerns c "
               "JOIN families f ON f.id = c.family_id "
               "WHERE c.organisation_id = ? AND c.severity = 'urgent' AND c.status = 'open'",
               {organisation_id})) {
    const std::string raised_on = local_date(r.text(3));
    out.push_back(make(Rule::concern_unacknowledged, "concern", r.text(0), r.optional_text(1),
                       "/signalen/" + r.text(0), r.text(2), raised_on, {{"date", raised_on}}));
  }
  return out;
}

std::map<Rule, RuleFn> standard_rules() {
  return {
      {Rule::no_contact, no_contact},
      {Rule::match_21_months,
       [](storage::Connection& c, const std::string& o, const std::string& t) {
         return match_months(c, o, t, Rule::match_21_months);
       }},
      {Rule::match_24_months,
       [](storage::Connection& c, const std::string& o, const std::string& t) {
         return match_months(c, o, t, Rule::match_24_months);
       }},
      {Rule::vog_lapsing, vog_lapsing},
      {Rule::training_missing, training_missing},
      {Rule::referral_untouched, referral_untouched},
      {Rule::concern_unacknowledged, concern_unacknowledged},
      {Rule::measurement_due, measurements::due_reminders},  // measurements/due.hpp
  };
}

std::mutex& rules_mutex() {
  static std::mutex m;
  return m;
}

std::map<Rule, RuleFn>& rules() {
  static std::map<Rule, RuleFn> table = standard_rules();
  return table;
}

std::map<Rule, RuleFn> rules_now() {
  std::lock_guard lock(rules_mutex());
  return rules();
}

// Every rule's reminders in the principal's organisation that the policy lets them see, each
// rule's oldest condition first. Nothing for a role without reminders.
std::vector<Reminder> visible_to(storage::Connection& c, const auth::Principal& p,
                                 const std::string& today) {
  std::vector<Reminder> out;
  if (auth::scope_of(p.role, auth::Action::reminder_list) == auth::Scope::none) return out;
  const auto table = rules_now();
  for (const Rule rule : all_rules()) {
    const auto fn = table.find(rule);
    if (fn == table.end() || !fn->second) continue;
    auto found = fn->second(c, p.organisation_id, today);
    std::erase_if(found, [&](const Reminder& r) {
      std::optional<std::string> team;
      if (!r.team_id.empty()) team = r.team_id;
      return r.rule != rule ||
             !auth::check(p, auth::Action::reminder_list, {p.organisation_id, team, {}});
    });
    std::stable_sort(found.begin(), found.end(), [](const Reminder& a, const Reminder& b) {
      return a.since != b.since ? a.since < b.since : a.subject_id < b.subject_id;
    });
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
  }
  return out;
}

}  // namespace

std::string_view to_string(Rule r) {
  switch (r) {
    case Rule::no_contact:
      return "no_contact";
    case Rule::match_21_months:
      return "match_21_months";
    case Rule::match_24_months:
      return "match_24_months";
    case Rule::vog_lapsing:
      return "vog_lapsing";
    case Rule::training_missing:
      return "training_missing";
    case Rule::referral_untouched:
      return "referral_untouched";
    case Rule::concern_unacknowledged:
      return "concern_unacknowledged";
    case Rule::measurement_due:
      return "measurement_due";
  }
  return "unknown";
}

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> kAll = {
      Rule::concern_unacknowledged, Rule::no_contact,         Rule::match_24_months,
      Rule::match_21_months,        Rule::measurement_due,    Rule::vog_lapsing,
      Rule::training_missing,       Rule::referral_untouched,
  };
  return kAll;
}

void add_rule(Rule rule, RuleFn fn) {
  std::lock_guard lock(rules_mutex());
  rules()[rule] = std::move(fn);
}

void restore_standard_rules() {
  std::lock_guard lock(rules_mutex());
  rules() = standard_rules();
}

int working_days_between(const std::string& from, const std::string& to) {
  // Public holidays are not counted as such (Oploop has no holiday calendar): they count as
  // working days, so a reminder may come a day early around Easter or Christmas.
  int days = 0;
  for (std::string d = add_days(from, 1); d <= to; d = add_days(d, 1))
    if (iso_weekday(d) <= 5) ++days;
  return days;
}

std::vector<Reminder> due_for(storage::Connection& c, const auth::Actor& actor,
                              const std::string& today) {
  const auth::Principal& p = actor.principal;
  if (auth::scope_of(p.role, auth::Action::reminder_list) == auth::Scope::none) return {};
  storage::Transaction tx(c);
  auto out = visible_to(c, p, today);
  // Logged like a list read: one entry per kind of subject shown, with their ids.
  std::map<std::string, std::vector<std::string>> ids;
  for (const auto& r : out) {
    auto& list = ids[r.subject_kind];
    if (std::find(list.begin(), list.end(), r.subject_id) == list.end())
      list.push_back(r.subject_id);
  }
  auth::Gate gate(c, actor);
  if (ids.empty()) gate.log("list", "reminder", "", "ids=");
  for (const auto& [kind, list] : ids) {
    std::string text = "ids=";
    for (std::size_t i = 0; i < list.size(); ++i) text += (i ? "," : "") + list[i];
    gate.log("list", kind, "", text);
  }
  tx.commit();
  return out;
}

std::map<Rule, int> counts_for_coordinator(storage::Connection& c, const std::string& user_id,
                                           const std::string& today) {
  std::map<Rule, int> counts;
  for (const Rule rule : all_rules()) counts[rule] = 0;
  const auto p = auth::load_principal(c, user_id);
  if (!p || p->role != auth::Role::coordinator) return counts;
  for (const auto& r : visible_to(c, *p, today)) ++counts[r.rule];
  return counts;
}

}  // namespace oploop::reminders
