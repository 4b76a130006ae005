#include "concerns/concern.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace oploop::concerns {
namespace {

bool one_of(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

const std::vector<std::string>& severities() {
  static const std::vector<std::string> k = {"info", "worry", "urgent"};
  return k;
}

const std::vector<std::string>& categories() {
  static const std::vector<std::string> k = {
      "safety", "health", "finances", "housing", "parenting", "volunteer_wellbeing", "other"};
  return k;
}

const std::vector<std::string>& statuses() {
  static const std::vector<std::string> k = {"open", "acknowledged", "resolved"};
  return k;
}

const std::vector<std::string>& actions() {
  static const std::vector<std::string> k = {"acknowledge", "note", "resolve"};
  return k;
}

bool suggests_meldcode(const std::string& category) {
  return category == "safety" || category == "parenting";
}

std::map<std::string, std::string> validate(const NewConcern& input) {
  std::map<std::string, std::string> errors;
  if (input.severity.empty())
    errors["severity"] = "concern.severity_required";
  else if (!one_of(severities(), input.severity))
    errors["severity"] = "validation.choice";
  if (input.category.empty())
    errors["category"] = "concern.category_required";
  else if (!one_of(categories(), input.category))
    errors["category"] = "validation.choice";
  const std::string description = text::trim(input.description);
  if (description.empty())
    errors["description"] = "concern.description_required";
  else if (text::length(description) > kMaxDescription)
    errors["description"] = "validation.too_long";
  else if (text::has_control_characters(description))
    errors["description"] = "validation.characters";
  return errors;
}

std::optional<std::string> status_after(const std::string& status, const std::string& action) {
  if (status == "resolved") return std::nullopt;
  if (action == "acknowledge") {
    if (status != "open") return std::nullopt;
    return "acknowledged";
  }
  if (action == "note") return status;
  if (action == "resolve") return "resolved";
  return std::nullopt;
}

}  // namespace oploop::concerns
