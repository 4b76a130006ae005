// Mail about urgent concerns (SPEC §2.7): at once to the match's coordinator — the family's
// own coordinator, else the coordinators of the match's team — and, when nobody acknowledged
// the concern within four hours, once to the team's other coordinators. Mails go through the
// outbox in the caller's transaction; they hold a link to /signalen/{id} and nothing else of
// the case (no names, no description). Who was mailed is kept in concern_notifications.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace oploop::concerns {

constexpr std::chrono::hours kEscalateAfter{4};

// The mail to a recipient in their language: subject and body with the link.
struct UrgentMailText {
  std::string subject;
  std::string body;
};
UrgentMailText urgent_mail_text(const std::string& language, const std::string& link,
                                bool escalation);

// Queues the first mail of a new urgent concern (inside the transaction that saves it);
// `raised_by` is not mailed about their own concern. Answers how many mails were queued.
int notify_urgent_concern(storage::Connection& c, const Clock& clock, const std::string& concern_id,
                          const std::string& base_url, const std::string& raised_by);

// For the job scheduler: every urgent concern still open kEscalateAfter after it was raised
// and not yet escalated is marked escalated and mailed to the coordinators of its team who
// were not mailed before (when there are none: the organisation's project leads). Exactly once
// per concern, also with several processes (the mark is a conditional update in the same
// transaction as the mails). Opens its own transaction per concern, so call it on a connection
// that is not inside one. Answers the number of concerns escalated.
int escalate_unacknowledged_concerns(storage::Connection& c, const Clock& clock,
                                     const std::string& base_url);

}  // namespace oploop::concerns
