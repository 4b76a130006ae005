#include "concerns/urgent_mail.hpp"

#include <algorithm>
#include <optional>

#include "audit/access_log.hpp"
#include "auth/accounts.hpp"
#include "core/random.hpp"
#include "i18n/catalogue.hpp"
#include "mail/outbox.hpp"

namespace oploop::concerns {
namespace {

struct Recipient {
  std::string user_id;
  std::string email;
  std::string language;
};

Recipient recipient_of(const auth::User& u) { return {u.id, u.email, u.language}; }

std::vector<Recipient> team_coordinators(storage::Connection& c, const std::string& organisation_id,
                                         const std::optional<std::string>& team_id) {
  std::vector<Recipient> out;
  for (const auto& u : auth::coordinators_of(c, organisation_id, team_id))
    out.push_back(recipient_of(u));
  return out;
}

std::vector<Recipient> project_leads(storage::Connection& c, const std::string& organisation_id) {
  std::vector<Recipient> out;
  for (const auto& r :
       c.query("SELECT id, email, language FROM users WHERE organisation_id = ? AND "
               "role = 'project_lead' AND active = 1 ORDER BY email",
               {organisation_id}))
    out.push_back({r.text(0), r.text(1), r.text(2)});
  return out;
}

void drop(std::vector<Recipient>& list, const std::vector<std::string>& user_ids) {
  std::erase_if(list, [&](const Recipient& r) {
    return std::find(user_ids.begin(), user_ids.end(), r.user_id) != user_ids.end();
  });
}

void send(storage::Connection& c, const Clock& clock, const std::string& concern_id,
          const Recipient& to, const std::string& base_url, const std::string& kind) {
  const auto text =
      urgent_mail_text(to.language, base_url + "/signalen/" + concern_id, kind == "escalation");
  mail::enqueue(c, clock, {to.email, text.subject, text.body});
  c.execute(
      "INSERT INTO concern_notifications (id, concern_id, user_id, kind, at) "
      "VALUES (?, ?, ?, ?, ?)",
      {new_id(), concern_id, to.user_id, kind, to_rfc3339(clock.now())});
}

}  // namespace

UrgentMailText urgent_mail_text(const std::string& language, const std::string& link,
                                bool escalation) {
  const auto& cat = i18n::Catalogue::instance();
  const std::string lang = language == "en" ? "en" : "nl";
  const std::string kind = escalation ? "escalation" : "urgent";
  return {cat.text(lang, "concern.mail." + kind + "_subject"),
          cat.text(lang, "concern.mail." + kind + "_body", {{"link", link}})};
}

int notify_urgent_concern(storage::Connection& c, const Clock& clock, const std::string& concern_id,
                          const std::string& base_url, const std::string& raised_by) {
  auto row = c.query_one(
      "SELECT c.organisation_id, c.team_id, f.coordinator_id FROM concerns c "
      "JOIN families f ON f.id = c.family_id WHERE c.id = ?",
      {concern_id});
  if (!row) return 0;
  const std::string organisation_id = row->text(0);
  std::vector<Recipient> to;
  // The family's own coordinator knows the family best; the team when it has none (or when
  // that account is no longer an active coordinator of this organisation).
  if (auto own = row->optional_text(2)) {
    auto u = auth::find_user(c, *own);
    if (u && u->active && u->role == auth::Role::coordinator &&
        u->organisation_id == organisation_id)
      to.push_back(recipient_of(*u));
  }
  if (to.empty()) to = team_coordinators(c, organisation_id, row->optional_text(1));
  drop(to, {raised_by});
  for (const auto& r : to) send(c, clock, concern_id, r, base_url, "urgent");
  return static_cast<int>(to.size());
}

int escalate_unacknowledged_concerns(storage::Connection& c, const Clock& clock,
                                     const std::string& base_url) {
  const auto now = clock.now();
  const std::string now_text = to_rfc3339(now);
  const std::string raised_before = to_rfc3339(now - kEscalateAfter);
  std::vector<std::string> due;
  for (const auto& r :
       c.query("SELECT id FROM concerns WHERE severity = 'urgent' AND status = 'open' "
               "AND escalated_at IS NULL AND created_at <= ? ORDER BY created_at, id",
               {raised_before}))
    due.push_back(r.text(0));
  int escalated = 0;
  for (const auto& id : due) {
    storage::Transaction tx(c);
    // The mark decides: of several processes only the one whose update changed the row mails.
    if (c.execute("UPDATE concerns SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL "
                  "AND status = 'open'",
                  {now_text, id}) != 1)
      continue;
    auto row =
        c.query_one("SELECT organisation_id, team_id, raised_by FROM concerns WHERE id = ?", {id});
    const std::string organisation_id = row->text(0);
    std::vector<std::string> already{row->text(2)};
    for (const auto& n :
         c.query("SELECT user_id FROM concern_notifications WHERE concern_id = ?", {id}))
      already.push_back(n.text(0));
    auto to = team_coordinators(c, organisation_id, row->optional_text(1));
    drop(to, already);
    // Nobody else in the team: the project lead must know that an urgent concern waits.
    if (to.empty()) {
      to = project_leads(c, organisation_id);
      drop(to, already);
    }
    for (const auto& r : to) send(c, clock, id, r, base_url, "escalation");
    audit::record(c, clock,
                  {organisation_id, "", "system", "escalate", "concern", id, "", "success",
                   "recipients=" + std::to_string(to.size())});
    tx.commit();
    ++escalated;
  }
  return escalated;
}

}  // namespace oploop::concerns
