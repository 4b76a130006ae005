// Form fields for the partials in templates/partials: each field is a JSON object with its
// id, name, label (a catalogue key), the value the user typed, and its error (a key), so a
// form that failed validation shows again with what was typed and what to fix.
// Templates use them as {{#fields.name}}{{> partials/form_field}}{{/fields.name}}.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace oploop::web {

struct FieldOptions {
  std::string type;  // text, email, tel, date, password, number
  std::string autocomplete;
  std::string inputmode;
  std::string hint;   // catalogue key
  std::string width;  // utrecht textbox size modifier
  bool required = false;
  int maxlength = 0;
  int rows = 0;  // textareas
};

struct Choice {
  std::string value;
  std::string label;  // catalogue key or text
};

class Form {
 public:
  // `id_prefix` keeps ids unique when a page holds several forms with the same field names.
  Form(nlohmann::json values, std::map<std::string, std::string> errors,
       std::string id_prefix = "f-")
      : values_(std::move(values)), errors_(std::move(errors)), prefix_(std::move(id_prefix)) {}

  Form& text(const std::string& name, const std::string& label, FieldOptions o = {});
  Form& textarea(const std::string& name, const std::string& label, FieldOptions o = {});
  Form& select(const std::string& name, const std::string& label,
               const std::vector<Choice>& choices, FieldOptions o = {});
  Form& radios(const std::string& name, const std::string& label,
               const std::vector<Choice>& choices, FieldOptions o = {});
  Form& checkbox(const std::string& name, const std::string& label, FieldOptions o = {});
  // Several checkboxes with one name; `checked` are the chosen values.
  Form& checkboxes(const std::string& name, const std::vector<Choice>& choices,
                   const std::vector<std::string>& checked);

  // {"fields": {...}, "error_summary": {items: [...]}/absent, "values": {...}}
  nlohmann::json json() const;

  std::string id_for(const std::string& name) const { return prefix_ + name; }

 private:
  nlohmann::json base(const std::string& name, const std::string& label, const FieldOptions& o);
  std::string value(const std::string& name) const;
  nlohmann::json values_;
  std::map<std::string, std::string> errors_;
  std::string prefix_;
  std::vector<std::pair<std::string, std::string>> order_;  // (name, label) as laid out
  nlohmann::json fields_ = nlohmann::json::object();
};

}  // namespace oploop::web
