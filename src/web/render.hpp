// HTML rendering: Mustache templates under src/web/templates (kainjow), fed with nlohmann
// JSON. Rules that hold for every page:
//  - {{x}} is HTML-escaped; {{&x}} is only for HTML we rendered ourselves (the layout's
//    {{&content}}).
//  - Data is never parsed as a template: a value "{{7*7}}" shows as that text. Partials come
//    only from the template directory, never from the data.
//  - {{#t}}key{{/t}} is the catalogue text for data["lang"] (default "nl"), HTML-escaped.
//    The key may use tags ({{#t}}role.{{role}}{{/t}}); "{name}" placeholders in the text are
//    filled, escaped, from the value `name` in the current context.
//  - JSON null and "" are false in sections; numbers render as written.
// Templates are read, their partials expanded and parsed once at load; each render works on its
// own copy of the parsed template (kainjow's render is not const), so render() may run
// concurrently from any number of threads.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "i18n/catalogue.hpp"

namespace oploop::web {

class Renderer {
 public:
  // Loaded once from resource_path("src/web/templates"), texts from Catalogue::instance().
  static const Renderer& instance();
  // Every *.mustache below `dir`, named by relative path without extension ("layout",
  // "partials/form_field", "referrals/list"). Throws std::runtime_error when a template has a
  // syntax error or names a partial that does not exist.
  static Renderer load(const std::filesystem::path& dir);
  static Renderer load(const std::filesystem::path& dir, i18n::Catalogue catalogue);

  bool has(const std::string& name) const;
  // Throws std::runtime_error for an unknown template or a render error.
  std::string render(const std::string& name, const nlohmann::json& data) const;
  // Renders `name`, then "layout" with the same data plus content = that result.
  std::string page(const std::string& name, const nlohmann::json& data) const;

  struct Templates;  // defined in render.cpp

 private:
  Renderer(std::shared_ptr<const Templates> templates,
           std::shared_ptr<const i18n::Catalogue> catalogue);

  std::shared_ptr<const Templates> templates_;
  std::shared_ptr<const i18n::Catalogue> catalogue_;
};

}  // namespace oploop::web
