#include "mail/outbox.hpp"

#include <spdlog/spdlog.h>

#include "core/random.hpp"

namespace oploop::mail {
namespace {
constexpr int kMaxAttempts = 8;
constexpr auto kLease = std::chrono::minutes(2);
}  // namespace

void enqueue(storage::Connection& c, const Clock& clock, const Message& m) {
  c.execute(
      "INSERT INTO mail_outbox (id, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?)",
      {new_id(), m.to, m.subject, m.text, to_rfc3339(clock.now())});
}

int deliver_pending(storage::Database& db, Mailer& mailer, const Clock& clock, int limit) {
  auto conn = db.acquire();
  const auto now = clock.now();
  const std::string now_text = to_rfc3339(now);
  auto due = conn->query(
      "SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < ? "
      "AND (locked_until IS NULL OR locked_until < ?) ORDER BY created_at LIMIT ?",
      {std::int64_t{kMaxAttempts}, now_text, std::int64_t{limit}});
  int sent = 0;
  for (const auto& row : due) {
    const std::string id = row.text(0);
    // Claim: only one process wins the lease.
    const auto claimed = conn->execute(
        "UPDATE mail_outbox SET locked_until = ? WHERE id = ? AND sent_at IS NULL "
        "AND (locked_until IS NULL OR locked_until < ?)",
        {to_rfc3339(now + kLease), id, now_text});
    if (claimed != 1) continue;
    auto msg = conn->query_one(
        "SELECT recipient, subject, body, attempts FROM mail_outbox WHERE id = ?", {id});
    if (!msg) continue;
    auto result = mailer.send({msg->text(0), msg->text(1), msg->text(2)});
    const std::int64_t attempts = msg->integer(3) + 1;
    if (result) {
      conn->execute("UPDATE mail_outbox SET sent_at = ?, attempts = ? WHERE id = ?",
                    {to_rfc3339(clock.now()), attempts, id});
      ++sent;
    } else {
      // Back off: retry after 2^attempts minutes.
      const auto retry = now + std::chrono::minutes(1LL << std::min<std::int64_t>(attempts, 10));
      conn->execute(
          "UPDATE mail_outbox SET attempts = ?, locked_until = ?, last_error = ? WHERE id = ?",
          {attempts, to_rfc3339(retry), result.error().message, id});
      spdlog::warn("mail delivery failed (attempt {})", attempts);
    }
  }
  return sent;
}

}  // namespace oploop::mail
