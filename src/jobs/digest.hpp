// The weekly digest (SPEC §2.8, issue 4): every Monday 08:00 Europe/Amsterdam each active
// coordinator gets one mail with counts and links only — open concerns, new referrals,
// waiting families and the reminders per rule of their teams. No names and no family data:
// a mail leaves the system, the counts are not personal data, and the links lead to pages
// that ask for a sign-in. Mails go through the outbox in the caller's (the job's)
// transaction, so a run that fails or loses its lease sends nothing.
#pragma once

#include <map>
#include <string>

#include "core/clock.hpp"
#include "reminders/reminders.hpp"
#include "storage/database.hpp"

namespace oploop::jobs {

// What one coordinator's digest counts, on `today`, within their teams (records not yet
// assigned to a team count for every team, as the policy shows them).
struct DigestCounts {
  int open_concerns = 0;  // open or acknowledged, not yet resolved
  int new_referrals = 0;
  int waiting_families = 0;
  std::map<reminders::Rule, int> reminders;
  bool nothing() const;
};

DigestCounts digest_counts(storage::Connection& c, const std::string& user_id,
                           const std::string& today);

struct DigestMail {
  std::string subject;
  std::string body;
};
// The mail in `language` ("nl" or "en"); links start with `base_url`.
DigestMail digest_mail(const std::string& language, const DigestCounts& counts,
                       const std::string& base_url, const std::string& today);

// Queues one digest per active coordinator of every organisation. Answers how many.
int send_weekly_digest(storage::Connection& c, const Clock& clock, const std::string& base_url,
                       const std::string& today);

}  // namespace oploop::jobs
