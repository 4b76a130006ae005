#include "web/form.hpp"

#include <set>

namespace oploop::web {

std::string Form::value(const std::string& name) const {
  if (!values_.is_object() || !values_.contains(name)) return {};
  const auto& v = values_.at(name);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return {};
}

nlohmann::json Form::base(const std::string& name, const std::string& label,
                          const FieldOptions& o) {
  order_.emplace_back(name, label);
  nlohmann::json f = {
      {"id", id_for(name)}, {"name", name}, {"label", label}, {"value", value(name)}};
  if (auto it = errors_.find(name); it != errors_.end()) f["error"] = it->second;
  if (!o.type.empty()) f["type"] = o.type;
  if (!o.autocomplete.empty()) f["autocomplete"] = o.autocomplete;
  if (!o.inputmode.empty()) f["inputmode"] = o.inputmode;
  if (!o.hint.empty()) f["hint"] = o.hint;
  if (!o.width.empty()) f["width"] = o.width;
  if (o.maxlength > 0) f["maxlength"] = o.maxlength;
  if (o.rows > 0) f["rows"] = o.rows;
  if (o.required)
    f["required"] = true;
  else
    f["optional"] = true;
  return f;
}

Form& Form::text(const std::string& name, const std::string& label, FieldOptions o) {
  fields_[name] = base(name, label, o);
  return *this;
}

Form& Form::textarea(const std::string& name, const std::string& label, FieldOptions o) {
  fields_[name] = base(name, label, o);
  return *this;
}

Form& Form::select(const std::string& name, const std::string& label,
                   const std::vector<Choice>& choices, FieldOptions o) {
  auto f = base(name, label, o);
  const std::string current = value(name);
  nlohmann::json options = nlohmann::json::array();
  for (const auto& c : choices)
    options.push_back({{"value", c.value}, {"label", c.label}, {"selected", c.value == current}});
  f["options"] = options;
  fields_[name] = f;
  return *this;
}

Form& Form::radios(const std::string& name, const std::string& label,
                   const std::vector<Choice>& choices, FieldOptions o) {
  auto f = base(name, label, o);
  f["legend"] = label;
  const std::string current = value(name);
  nlohmann::json options = nlohmann::json::array();
  for (const auto& c : choices)
    options.push_back({{"value", c.value}, {"label", c.label}, {"checked", c.value == current}});
  f["options"] = options;
  fields_[name] = f;
  return *this;
}

Form& Form::checkbox(const std::string& name, const std::string& label, FieldOptions o) {
  auto f = base(name, label, o);
  const auto& v =
      values_.is_object() && values_.contains(name) ? values_.at(name) : nlohmann::json();
  f["checked"] = v.is_boolean() ? v.get<bool>() : (v.is_string() && !v.get<std::string>().empty());
  f["value"] = "yes";
  fields_[name] = f;
  return *this;
}

Form& Form::checkboxes(const std::string& name, const std::vector<Choice>& choices,
                       const std::vector<std::string>& checked) {
  order_.emplace_back(name, "");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : choices) {
    nlohmann::json f = {
        {"id", id_for(name + "-" + c.value)},
        {"name", name},
        {"value", c.value},
        {"label", c.label},
        {"checked", std::find(checked.begin(), checked.end(), c.value) != checked.end()}};
    list.push_back(f);
  }
  fields_[name] = list;
  return *this;
}

nlohmann::json Form::json() const {
  nlohmann::json out = {{"fields", fields_}, {"values", values_}};
  if (!errors_.empty()) {
    // In the order of the form, each naming its field, so the list reads like the form.
    nlohmann::json items = nlohmann::json::array();
    std::set<std::string> listed;
    for (const auto& [name, label] : order_) {
      auto it = errors_.find(name);
      if (it == errors_.end() || !listed.insert(name).second) continue;
      items.push_back({{"id", id_for(name)}, {"label", label}, {"message", it->second}});
    }
    for (const auto& [field, key] : errors_)
      if (!listed.count(field))
        items.push_back({{"id", id_for(field)}, {"label", ""}, {"message", key}});
    out["error_summary"] = {{"items", items}};
  }
  return out;
}

}  // namespace oploop::web
