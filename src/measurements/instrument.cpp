#include "measurements/instrument.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/resources.hpp"
#include "families/family.hpp"

namespace oploop::measurements {
namespace {

using nlohmann::json;

[[noreturn]] void broken(const std::string& where, const std::string& what) {
  throw std::runtime_error("instrument " + where + ": " + what);
}

Texts texts_of(const json& o, const char* field, const std::string& where, bool required = true) {
  Texts out;
  if (!o.contains(field)) {
    if (required) broken(where, std::string(field) + " is missing");
    return out;
  }
  if (!o.at(field).is_object()) broken(where, std::string(field) + " must be {nl, en}");
  for (const auto& [lang, value] : o.at(field).items()) {
    if (!value.is_string() || value.get<std::string>().empty())
      broken(where, std::string(field) + "." + lang + " must be a text");
    out[lang] = value.get<std::string>();
  }
  for (const char* lang : {"nl", "en"})
    if (!out.contains(lang)) broken(where, std::string(field) + " lacks " + lang);
  return out;
}

// Codes become form field names and JSON keys: lowercase letters, digits and _.
void check_code(const std::string& code, const std::string& where) {
  if (code.empty() || code.size() > 60) broken(where, "code must be 1 to 60 characters");
  for (char ch : code)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      broken(where, "code \"" + code + "\" may hold only a-z, 0-9 and _");
}

bool is_small_int(const json& v) {
  return v.is_number_integer() && v.get<long long>() >= -1000 && v.get<long long>() <= 1000;
}

Scale scale_of(const json& item, const std::string& where) {
  if (!item.contains("scale") || !item.at("scale").is_object())
    broken(where, "scale {min, max, labels} is missing");
  const auto& s = item.at("scale");
  if (!s.contains("min") || !is_small_int(s.at("min")) || !s.contains("max") ||
      !is_small_int(s.at("max")))
    broken(where, "scale needs whole numbers min and max");
  Scale scale;
  scale.min = s.at("min").get<int>();
  scale.max = s.at("max").get<int>();
  if (scale.min >= scale.max) broken(where, "scale min must be below max");
  if (scale.max - scale.min > 100) broken(where, "scale has more than 100 points");
  if (s.contains("labels")) {
    if (!s.at("labels").is_object()) broken(where, "scale labels must be {point: {nl, en}}");
    for (const auto& [point, texts] : s.at("labels").items()) {
      int p = 0;
      try {
        std::size_t used = 0;
        p = std::stoi(point, &used);
        if (used != point.size()) throw std::invalid_argument(point);
      } catch (const std::exception&) {
        broken(where, "scale label \"" + point + "\" is not a point");
      }
      if (p < scale.min || p > scale.max) broken(where, "scale label " + point + " is off scale");
      scale.labels[p] = texts_of(s.at("labels"), point.c_str(), where + " scale label " + point);
    }
  }
  return scale;
}

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

const Item* Instrument::item(const std::string& item_code) const {
  for (const auto& i : items)
    if (i.code == item_code) return &i;
  return nullptr;
}

std::vector<std::string> Instrument::domains() const {
  std::vector<std::string> out;
  for (const auto& i : items)
    if (!contains(out, i.domain)) out.push_back(i.domain);
  return out;
}

std::map<std::string, double> domain_scores(const Instrument& instrument, const Answers& answers) {
  std::map<std::string, std::pair<double, int>> sums;
  for (const auto& item : instrument.items) {
    auto a = answers.find(item.code);
    if (a == answers.end()) continue;
    sums[item.domain].first += a->second;
    ++sums[item.domain].second;
  }
  std::map<std::string, double> out;
  for (const auto& [domain, s] : sums) out[domain] = s.first / s.second;
  return out;
}

const std::vector<std::string>& respondents() {
  static const std::vector<std::string> kRespondents = {"family", "coordinator", "volunteer"};
  return kRespondents;
}

const std::vector<std::string>& item_domains() {
  static const std::vector<std::string> kDomains = [] {
    std::vector<std::string> d = families::life_domains();
    d.push_back("satisfaction");
    d.push_back("report_mark");
    return d;
  }();
  return kDomains;
}

const InstrumentCatalogue& InstrumentCatalogue::instance() {
  static const InstrumentCatalogue catalogue = load(resource_path("data/instruments"));
  return catalogue;
}

Instrument InstrumentCatalogue::load_file(const std::filesystem::path& file) {
  const std::string where = file.filename().string();
  json doc;
  try {
    doc = json::parse(read_text_file(file));
  } catch (const json::exception& e) {
    broken(where, e.what());
  }
  if (!doc.is_object()) broken(where, "must be a JSON object");
  Instrument ins;
  if (!doc.contains("code") || !doc.at("code").is_string()) broken(where, "code is missing");
  ins.code = doc.at("code").get<std::string>();
  check_code(ins.code, where);
  if (!doc.contains("version") || !doc.at("version").is_number_integer() ||
      doc.at("version").get<long long>() < 1 || doc.at("version").get<long long>() > 1000)
    broken(where, "version must be a whole number from 1");
  ins.version = doc.at("version").get<int>();
  // The file name says what it holds, so two files cannot both claim one version.
  const std::string expected = ins.code + ".v" + std::to_string(ins.version) + ".json";
  if (file.filename().string() != expected) broken(where, "the file should be named " + expected);
  if (doc.contains("current") && !doc.at("current").is_boolean())
    broken(where, "current must be true or false");
  ins.current = doc.value("current", false);
  ins.title = texts_of(doc, "title", where);
  ins.description = texts_of(doc, "description", where, false);
  if (!doc.contains("respondents") || !doc.at("respondents").is_array() ||
      doc.at("respondents").empty())
    broken(where, "respondents must list family, coordinator and/or volunteer");
  for (const auto& r : doc.at("respondents")) {
    if (!r.is_string() || !contains(respondents(), r.get<std::string>()))
      broken(where, "respondent " + r.dump() + " is not family, coordinator or volunteer");
    ins.respondents.push_back(r.get<std::string>());
  }
  if (!doc.contains("items") || !doc.at("items").is_array() || doc.at("items").empty())
    broken(where, "items must be a non-empty list");
  std::set<std::string> codes;
  int number = 0;
  for (const auto& i : doc.at("items")) {
    const std::string at = where + " item " + std::to_string(++number);
    if (!i.is_object() || !i.contains("code") || !i.at("code").is_string())
      broken(at, "code is missing");
    Item item;
    item.code = i.at("code").get<std::string>();
    check_code(item.code, at);
    if (!codes.insert(item.code).second) broken(at, "code " + item.code + " is used twice");
    item.label = texts_of(i, "label", at);
    if (!i.contains("domain") || !i.at("domain").is_string() ||
        !contains(item_domains(), i.at("domain").get<std::string>()))
      broken(at, "domain must be a life-domain code, satisfaction or report_mark");
    item.domain = i.at("domain").get<std::string>();
    item.scale = scale_of(i, at);
    if (i.contains("required") && !i.at("required").is_boolean())
      broken(at, "required must be true or false");
    item.required = i.value("required", true);
    ins.items.push_back(std::move(item));
  }
  return ins;
}

InstrumentCatalogue InstrumentCatalogue::load(const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(directory))
    throw std::runtime_error("instruments: " + directory.string() + " is not a directory");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  InstrumentCatalogue catalogue;
  for (const auto& file : files) catalogue.instruments_.push_back(load_file(file));
  if (catalogue.instruments_.empty())
    throw std::runtime_error("instruments: no instrument in " + directory.string());
  std::sort(catalogue.instruments_.begin(), catalogue.instruments_.end(),
            [](const Instrument& a, const Instrument& b) {
              return a.code != b.code ? a.code < b.code : a.version < b.version;
            });
  return catalogue;
}

const Instrument* InstrumentCatalogue::find(const std::string& code, int version) const {
  for (const auto& i : instruments_)
    if (i.code == code && i.version == version) return &i;
  return nullptr;
}

const Instrument* InstrumentCatalogue::current(const std::string& code) const {
  const Instrument* marked = nullptr;
  const Instrument* highest = nullptr;
  for (const auto& i : instruments_) {
    if (i.code != code) continue;
    highest = &i;
    if (i.current) marked = &i;
  }
  return marked ? marked : highest;
}

std::string text_in(const Texts& texts, const std::string& language) {
  if (auto it = texts.find(language); it != texts.end()) return it->second;
  if (auto it = texts.find("nl"); it != texts.end()) return it->second;
  return {};
}

}  // namespace oploop::measurements
