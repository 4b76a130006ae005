// Mustache rendering over kainjow. See render.hpp for the rules; the notes here are on how.
#include "web/render.hpp"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <map>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "core/resources.hpp"

namespace oploop::web {

namespace mustache = kainjow::mustache;

// Partials are expanded into their callers at load, and every template is parsed once then.
// kainjow parses a partial again at each use (~75 µs for a form field) and its render() is not
// const, so a render copies the parsed template (~10 µs for the layout) instead.
struct Renderer::Templates {
  std::map<std::string, mustache::mustache> parsed;  // name -> template, partials expanded
};

namespace {

constexpr const char* kTemplateExtension = ".mustache";

mustache::data to_data(const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::object: {
      mustache::data object(mustache::data::type::object);
      for (const auto& [key, item] : value.items()) object[key] = to_data(item);
      return object;
    }
    case Type::array: {
      mustache::data list(mustache::data::type::list);
      for (const auto& item : value) list.push_back(to_data(item));
      return list;
    }
    case Type::string: {
      const auto& text = value.get_ref<const std::string&>();
      // "" is false, as in most Mustache implementations, so {{#hint}} needs no extra flag.
      if (text.empty()) return mustache::data(false);
      return mustache::data(text);
    }
    case Type::boolean:
      return mustache::data(value.get<bool>());
    case Type::number_integer:
      return mustache::data(std::to_string(value.get<std::int64_t>()));
    case Type::number_unsigned:
      return mustache::data(std::to_string(value.get<std::uint64_t>()));
    case Type::number_float:
      return mustache::data(value.dump());
    case Type::null:
    case Type::discarded:
      return mustache::data(false);
    case Type::binary:
      break;
  }
  throw std::runtime_error("render: binary JSON values cannot be shown");
}

std::string trim(const std::string& s) {
  auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  auto first = std::ranges::find_if(s, not_space);
  auto last = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return first < last ? std::string(first, last) : std::string();
}

// Inverse of kainjow's html_escape, for the key of a {{#t}} section: the section is rendered
// by kainjow (escaping its {{tags}}), but the key is plain text and is escaped once on output.
std::string html_unescape(const std::string& s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

bool is_placeholder_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

// Catalogue text -> HTML: the text itself is escaped, and each "{name}" becomes the escaped
// value of `name` in the current Mustache context (rendered as "{{name}}" by kainjow). Only
// the placeholder's name, checked against [A-Za-z0-9_.], ever reaches the template parser.
std::string text_to_html(const std::string& text, const mustache::renderer& render) {
  std::string out;
  std::string literal;
  auto flush = [&] {
    out += mustache::html_escape(literal);
    literal.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t end = i + 1;
      while (end < text.size() && is_placeholder_char(text[end])) ++end;
      if (end < text.size() && text[end] == '}' && end > i + 1) {
        flush();
        out += render("{{" + text.substr(i + 1, end - i - 1) + "}}");
        i = end + 1;
        continue;
      }
    }
    literal += text[i++];
  }
  flush();
  return out;
}

// The context of one render: data lookups as usual, except that `t` is always the catalogue
// lambda (data cannot shadow it) and partials are never looked up (they were expanded at
// load), so a data value can never be parsed as a template.
class RenderContext final : public mustache::context<std::string> {
 public:
  RenderContext(const mustache::data* root, const mustache::data* t)
      : mustache::context<std::string>(root), t_(t) {}

  const mustache::data* get(const std::string& name) const override {
    if (name == "t") return t_;
    return mustache::context<std::string>::get(name);
  }

  // Every partial was expanded at load, so kainjow never asks; and data can never be one.
  const mustache::data* get_partial(const std::string& name) const override {
    throw std::runtime_error("render: partial \"" + name + "\" was not expanded");
  }

 private:
  const mustache::data* t_;
};

std::string language_of(const mustache::data& data) {
  const mustache::data* lang = data.get("lang");
  if (lang != nullptr && lang->is_string() && lang->string_value() == "en") return "en";
  return "nl";
}

std::string render_data(const Renderer::Templates& templates, const i18n::Catalogue& catalogue,
                        const std::string& name, const mustache::data& data) {
  auto found = templates.parsed.find(name);
  if (found == templates.parsed.end()) {
    throw std::runtime_error("render: unknown template \"" + name + "\"");
  }
  const std::string lang = language_of(data);
  const mustache::data t{mustache::lambda2{
      [&catalogue, &lang](const std::string& section, const mustache::renderer& render) {
        // The section may itself hold tags ("role.{{role}}"), so render it to get the key.
        const std::string key = html_unescape(trim(render(section)));
        // An unknown key shows as itself, escaped, and is never scanned for placeholders
        // (it may hold data).
        if (!catalogue.has(lang, key) && !catalogue.has("nl", key)) {
          return mustache::html_escape(key);
        }
        return text_to_html(catalogue.text(lang, key), render);
      }}};
  mustache::mustache tmpl = found->second;  // a private copy: render() is not const
  RenderContext context(&data, &t);
  std::string html = tmpl.render(context);
  if (!tmpl.is_valid()) {
    throw std::runtime_error("render: template \"" + name + "\": " + tmpl.error_message());
  }
  return html;
}

// The template text with every {{> partial}} replaced by the partial's (expanded) text. A
// partial renders in the caller's context, so this is what kainjow would do at each use, done
// once. A typo in a partial's name or a partial that includes itself stops the start-up.
std::string expand_partials(const std::string& name,
                            const std::map<std::string, std::string>& sources,
                            std::vector<std::string>& including) {
  static const std::regex partial_tag(R"(\{\{>\s*([^}\s]+)\s*\}\})");
  if (std::ranges::find(including, name) != including.end()) {
    throw std::runtime_error("template \"" + name + "\" includes itself");
  }
  including.push_back(name);
  const std::string& source = sources.at(name);
  std::string expanded;
  std::size_t copied = 0;
  for (std::sregex_iterator it(source.begin(), source.end(), partial_tag), end; it != end; ++it) {
    const std::string partial = (*it)[1].str();
    if (!sources.contains(partial)) {
      throw std::runtime_error("template \"" + name + "\" uses unknown partial \"" + partial +
                               "\"");
    }
    expanded.append(source, copied, static_cast<std::size_t>(it->position()) - copied);
    expanded += expand_partials(partial, sources, including);
    copied = static_cast<std::size_t>(it->position() + it->length());
  }
  expanded.append(source, copied);
  including.pop_back();
  return expanded;
}

std::shared_ptr<const Renderer::Templates> read_templates(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("templates: no directory " + dir.string());
  }
  std::map<std::string, std::string> sources;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != kTemplateExtension) continue;
    std::filesystem::path relative = std::filesystem::relative(entry.path(), dir);
    sources.emplace(relative.replace_extension().generic_string(), read_text_file(entry.path()));
  }
  auto templates = std::make_shared<Renderer::Templates>();
  for (const auto& [name, source] : sources) {
    std::vector<std::string> including;
    mustache::mustache parsed{expand_partials(name, sources, including)};
    if (!parsed.is_valid()) {
      throw std::runtime_error("template \"" + name + "\": " + parsed.error_message());
    }
    templates->parsed.emplace(name, std::move(parsed));
  }
  return templates;
}

}  // namespace

Renderer::Renderer(std::shared_ptr<const Templates> templates,
                   std::shared_ptr<const i18n::Catalogue> catalogue)
    : templates_(std::move(templates)), catalogue_(std::move(catalogue)) {}

const Renderer& Renderer::instance() {
  static const Renderer renderer = load(resource_path("src/web/templates"));
  return renderer;
}

Renderer Renderer::load(const std::filesystem::path& dir) {
  // Borrow the process-wide catalogue; it lives until exit.
  std::shared_ptr<const i18n::Catalogue> catalogue(&i18n::Catalogue::instance(),
                                                   [](const i18n::Catalogue*) {});
  return Renderer(read_templates(dir), std::move(catalogue));
}

Renderer Renderer::load(const std::filesystem::path& dir, i18n::Catalogue catalogue) {
  return Renderer(read_templates(dir),
                  std::make_shared<const i18n::Catalogue>(std::move(catalogue)));
}

bool Renderer::has(const std::string& name) const { return templates_->parsed.contains(name); }

std::string Renderer::render(const std::string& name, const nlohmann::json& data) const {
  return render_data(*templates_, *catalogue_, name, to_data(data));
}

std::string Renderer::page(const std::string& name, const nlohmann::json& data) const {
  mustache::data converted = to_data(data.is_null() ? nlohmann::json::object() : data);
  if (!converted.is_object()) throw std::runtime_error("render: page data must be an object");
  std::string content = render_data(*templates_, *catalogue_, name, converted);
  converted.set("content", mustache::data(content));
  return render_data(*templates_, *catalogue_, "layout", converted);
}

}  // namespace oploop::web
