// The one checkpoint for records: it asks the policy and writes the access log entry with
// the outcome, in the caller's transaction — so no domain call can check without logging or
// log without checking. Denials are logged too; the caller commits them before returning
// the error (see commit_denial).
#pragma once

#include <string>
#include <string_view>

#include "audit/access_log.hpp"
#include "auth/action.hpp"
#include "auth/actor.hpp"
#include "auth/policy.hpp"
#include "storage/database.hpp"

namespace oploop::auth {

class Gate {
 public:
  Gate(storage::Connection& c, const Actor& actor) : c_(c), actor_(actor) {}

  // Policy decision for one record, logged as `event` on `object_type:object_id`.
  Status check(Action action, const ResourceRef& resource, std::string_view event,
               std::string_view object_type, std::string_view object_id);
  // The record does not exist: log the attempt and answer not_found.
  Error missing(std::string_view event, std::string_view object_type, std::string_view object_id);
  // A successful event that needs no policy decision of its own (e.g. a list, already
  // narrowed by scope): log it.
  void log(std::string_view event, std::string_view object_type, std::string_view object_id,
           std::string details = {});
  // A refused attempt decided elsewhere (e.g. by the route's role check): log it.
  void deny(std::string_view event, std::string_view object_type, std::string_view object_id,
            std::string details = {});

  const Actor& actor() const { return actor_; }

 private:
  void write(std::string_view event, std::string_view object_type, std::string_view object_id,
             std::string_view outcome, std::string details);
  storage::Connection& c_;
  const Actor& actor_;
};

}  // namespace oploop::auth
