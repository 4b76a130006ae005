#include "coordination/checks.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"

namespace oploop::coordination {

std::optional<std::string> single_line_error(const std::string& value, std::size_t max) {
  if (text::length(value) > max) return "validation.too_long";
  if (text::has_control_characters(value) || value.find_first_of("\r\n\t") != std::string::npos)
    return "validation.characters";
  return std::nullopt;
}

std::optional<std::string> multi_line_error(const std::string& value, std::size_t max) {
  if (text::length(value) > max) return "validation.too_long";
  if (text::has_control_characters(value)) return "validation.characters";
  return std::nullopt;
}

std::optional<std::string> date_error(const std::string& date, const std::string& today) {
  if (date.empty()) return "validation.required";
  if (!is_valid_date(date)) return "validation.date";
  if (date < "1990-01-01") return "validation.date_range";
  if (!today.empty() && date > today) return "validation.date_future";
  return std::nullopt;
}

bool is_clock_time(const std::string& v) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (v.size() != 5 || v[2] != ':' || !digit(v[0]) || !digit(v[1]) || !digit(v[3]) || !digit(v[4]))
    return false;
  return (v[0] - '0') * 10 + (v[1] - '0') < 24 && v[3] < '6';
}

Status check_with_details(auth::Gate& gate, auth::Action action, const auth::ResourceRef& resource,
                          const std::string& event, const std::string& object_type,
                          const std::string& object_id, std::string details) {
  auto decision = auth::check(gate.actor().principal, action, resource);
  if (!decision) {
    if (decision.error().kind == ErrorKind::not_found)
      return fail(gate.missing(event, object_type, object_id));
    gate.deny(event, object_type, object_id, std::string(auth::to_string(action)));
    return decision;
  }
  gate.log(event, object_type, object_id, std::move(details));
  return {};
}

}  // namespace oploop::coordination
