// The mail outbox: a message is queued in the same transaction as the change that causes
// it, and a background worker sends it. Leases (locked_until) make sure that several server
// processes on one database send each message once; failures are retried with back-off.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "mail/mailer.hpp"
#include "storage/database.hpp"

namespace oploop::mail {

void enqueue(storage::Connection& c, const Clock& clock, const Message& m);
// Claims and sends up to `limit` due messages; answers how many were sent.
int deliver_pending(storage::Database& db, Mailer& mailer, const Clock& clock, int limit = 20);

}  // namespace oploop::mail
