#include "auth/gate.hpp"

namespace oploop::auth {

void Gate::write(std::string_view event, std::string_view object_type, std::string_view object_id,
                 std::string_view outcome, std::string details) {
  const Principal& p = actor_.principal;
  audit::record(c_, actor_.clock,
                {p.organisation_id, p.user_id, std::string(to_string(p.role)), std::string(event),
                 std::string(object_type), std::string(object_id), actor_.client_ip,
                 std::string(outcome), std::move(details)});
}

Status Gate::check(Action action, const ResourceRef& resource, std::string_view event,
                   std::string_view object_type, std::string_view object_id) {
  auto decision = auth::check(actor_.principal, action, resource);
  if (!decision) {
    write(event, object_type, object_id,
          decision.error().kind == ErrorKind::not_found ? "not_found" : "denied",
          std::string(to_string(action)));
    return decision;
  }
  write(event, object_type, object_id, "success", {});
  return {};
}

Error Gate::missing(std::string_view event, std::string_view object_type,
                    std::string_view object_id) {
  write(event, object_type, object_id, "not_found", {});
  return Error::not_found();
}

void Gate::log(std::string_view event, std::string_view object_type, std::string_view object_id,
               std::string details) {
  write(event, object_type, object_id, "success", std::move(details));
}

void Gate::deny(std::string_view event, std::string_view object_type, std::string_view object_id,
                std::string details) {
  write(event, object_type, object_id, "denied", std::move(details));
}

}  // namespace oploop::auth
