#include "audit/access_log.hpp"

#include "core/random.hpp"

namespace oploop::audit {
namespace {

std::string chain_of(const Entry& e) {
  return e.organisation_id.empty() ? std::string("system") : e.organisation_id;
}

// Fields joined with a unit separator that cannot occur in them unescaped: a control
// character is never part of what we log.
std::string canonical(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                      const Entry& e) {
  std::string s;
  for (const std::string* f :
       {&prev_hash, &at, &e.user_id, &e.role, &e.organisation_id, &e.event, &e.object_type,
        &e.object_id, &e.client_ip, &e.outcome, &e.details}) {
    s += *f;
    s += '\x1f';
  }
  s += std::to_string(seq);
  return s;
}

}  // namespace

void record(storage::Connection& c, const Clock& clock, const Entry& e) {
  const std::string chain = chain_of(e);
  const std::string at = to_rfc3339(clock.now());
  // The head row serialises writers of one chain (row lock on PostgreSQL; SQLite has one
  // writer anyway). It is created first if missing — ON CONFLICT, so two first writers of a
  // new chain do not collide — and then locked and read.
  c.execute(
      "INSERT INTO access_log_heads (chain, seq, hash) VALUES (?, 0, ?) "
      "ON CONFLICT (chain) DO NOTHING",
      {chain, std::string(64, '0')});
  auto head = c.query_one(c.dialect() == storage::Dialect::postgres
                              ? "SELECT seq, hash FROM access_log_heads WHERE chain = ? FOR UPDATE"
                              : "SELECT seq, hash FROM access_log_heads WHERE chain = ?",
                          {chain});
  const std::int64_t seq = head->integer(0) + 1;
  const std::string prev_hash = head->text(1);
  const std::string hash = sha256_hex(canonical(prev_hash, seq, at, e));
  c.execute("UPDATE access_log_heads SET seq = ?, hash = ? WHERE chain = ?", {seq, hash, chain});
  c.execute(
      "INSERT INTO access_log (id, chain, seq, at, user_id, role, organisation_id, event, "
      "object_type, object_id, client_ip, outcome, details, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {new_id(), chain, seq, at, storage::null_if_empty(e.user_id), storage::null_if_empty(e.role),
       storage::null_if_empty(e.organisation_id), e.event, storage::null_if_empty(e.object_type),
       storage::null_if_empty(e.object_id), storage::null_if_empty(e.client_ip), e.outcome,
       storage::null_if_empty(e.details), prev_hash, hash});
}

std::vector<StoredEntry> find(storage::Connection& c, const Query& q) {
  // One query with optional filters written as "(? IS NULL OR col = ?)", so the SQL text
  // stays fixed and fully parameterised.
  auto opt = [](const std::optional<std::string>& v) { return storage::optional_value(v); };
  std::string before_at, before_id;
  if (q.before_cursor) {
    auto bar = q.before_cursor->find('|');
    if (bar != std::string::npos) {
      before_at = q.before_cursor->substr(0, bar);
      before_id = q.before_cursor->substr(bar + 1);
    }
  }
  auto rows = c.query(
      "SELECT id, seq, at, user_id, role, organisation_id, event, object_type, object_id, "
      "client_ip, outcome, details FROM access_log "
      "WHERE organisation_id = ? "
      "AND (CAST(? AS TEXT) IS NULL OR object_type = ?) "
      "AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
      "AND (CAST(? AS TEXT) IS NULL OR user_id = ?) "
      "AND (CAST(? AS TEXT) IS NULL OR at >= ?) "
      "AND (CAST(? AS TEXT) IS NULL OR at < ?) "
      "AND (CAST(? AS TEXT) IS NULL OR at < ? OR (at = ? AND id < ?)) "
      "ORDER BY at DESC, id DESC LIMIT ?",
      {q.organisation_id, opt(q.object_type), opt(q.object_type), opt(q.object_id),
       opt(q.object_id), opt(q.user_id), opt(q.user_id), opt(q.from), opt(q.from), opt(q.to),
       opt(q.to), storage::null_if_empty(before_at), before_at, before_at, before_id,
       std::int64_t{q.limit}});
  std::vector<StoredEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    StoredEntry s;
    s.id = r.text(0);
    s.seq = r.integer(1);
    s.at = r.text(2);
    s.entry = {r.text(5), r.text(3), r.text(4),  r.text(6), r.text(7),
               r.text(8), r.text(9), r.text(10), r.text(11)};
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::int64_t> verify_chain(storage::Connection& c, const std::string& chain) {
  auto rows = c.query(
      "SELECT seq, at, user_id, role, organisation_id, event, object_type, object_id, "
      "client_ip, outcome, details, prev_hash, hash FROM access_log WHERE chain = ? "
      "ORDER BY seq",
      {chain});
  std::string prev(64, '0');
  std::int64_t expected_seq = 1;
  for (const auto& r : rows) {
    Entry e{r.text(4), r.text(2), r.text(3), r.text(5), r.text(6),
            r.text(7), r.text(8), r.text(9), r.text(10)};
    const std::int64_t seq = r.integer(0);
    if (seq != expected_seq || r.text(11) != prev ||
        sha256_hex(canonical(prev, seq, r.text(1), e)) != r.text(12)) {
      return seq;
    }
    prev = r.text(12);
    ++expected_seq;
  }
  return std::nullopt;
}

}  // namespace oploop::audit
