#include "jobs/digest.hpp"

#include <vector>

#include "i18n/catalogue.hpp"
#include "mail/outbox.hpp"

namespace oploop::jobs {

bool DigestCounts::nothing() const {
  if (open_concerns || new_referrals || waiting_families) return false;
  for (const auto& [rule, n] : reminders)
    if (n) return false;
  return true;
}

DigestCounts digest_counts(storage::Connection& c, const std::string& user_id,
                           const std::string& today) {
  DigestCounts out;
  // The coordinator's teams, plus what is not yet assigned to a team (policy: team scope).
  auto row = c.query_one(
      "SELECT "
      "(SELECT COUNT(*) FROM concerns x WHERE x.organisation_id = u.organisation_id "
      " AND x.status <> 'resolved' AND (x.team_id IS NULL OR x.team_id IN "
      " (SELECT team_id FROM user_teams WHERE user_id = u.id))), "
      "(SELECT COUNT(*) FROM referrals x WHERE x.organisation_id = u.organisation_id "
      " AND x.status = 'new' AND (x.team_id IS NULL OR x.team_id IN "
      " (SELECT team_id FROM user_teams WHERE user_id = u.id))), "
      "(SELECT COUNT(*) FROM families x WHERE x.organisation_id = u.organisation_id "
      " AND x.status = 'waiting' AND (x.team_id IS NULL OR x.team_id IN "
      " (SELECT team_id FROM user_teams WHERE user_id = u.id))) "
      "FROM users u WHERE u.id = ?",
      {user_id});
  if (row) {
    out.open_concerns = static_cast<int>(row->integer(0));
    out.new_referrals = static_cast<int>(row->integer(1));
    out.waiting_families = static_cast<int>(row->integer(2));
  }
  out.reminders = reminders::counts_for_coordinator(c, user_id, today);
  return out;
}

DigestMail digest_mail(const std::string& language, const DigestCounts& counts,
                       const std::string& base_url, const std::string& today) {
  const auto& cat = i18n::Catalogue::instance();
  const std::string lang = language == "en" ? "en" : "nl";
  auto text = [&](const std::string& key, std::map<std::string, std::string> args = {}) {
    return cat.text(lang, key, args);
  };
  std::string body = text("digest.body.intro", {{"date", format_date_nl(today)}}) + "\n";
  // Nothing to report still sends a mail: a coordinator who hears nothing cannot tell a quiet
  // week from a digest that stopped working.
  if (counts.nothing()) {
    body += text("digest.body.nothing") + "\n" + base_url + "/\n\n";
  } else {
    body += text("digest.body.open_concerns", {{"count", std::to_string(counts.open_concerns)},
                                               {"link", base_url + "/signalen"}}) +
            "\n";
    body += text("digest.body.new_referrals", {{"count", std::to_string(counts.new_referrals)},
                                               {"link", base_url + "/aanmeldingen"}}) +
            "\n";
    body +=
        text("digest.body.waiting_families", {{"count", std::to_string(counts.waiting_families)},
                                              {"link", base_url + "/wachtlijst"}}) +
        "\n";
    body += text("digest.body.reminders", {{"link", base_url + "/"}});
    for (const auto rule : reminders::all_rules()) {
      const auto n = counts.reminders.find(rule);
      const int count = n == counts.reminders.end() ? 0 : n->second;
      if (count == 0) continue;
      body += text("digest.rule." + std::string(reminders::to_string(rule)),
                   {{"count", std::to_string(count)}}) +
              "\n";
    }
    body += "\n";
  }
  body += text("digest.body.footer");
  return {text("digest.subject"), body};
}

int send_weekly_digest(storage::Connection& c, const Clock& clock, const std::string& base_url,
                       const std::string& today) {
  struct Recipient {
    std::string id, email, language;
  };
  std::vector<Recipient> to;
  for (const auto& r : c.query("SELECT id, email, language FROM users "
                               "WHERE role = 'coordinator' AND active = 1 ORDER BY id"))
    to.push_back({r.text(0), r.text(1), r.text(2)});
  for (const auto& r : to) {
    const auto mail = digest_mail(r.language, digest_counts(c, r.id, today), base_url, today);
    mail::enqueue(c, clock, {r.email, mail.subject, mail.body});
  }
  return static_cast<int>(to.size());
}

}  // namespace oploop::jobs
