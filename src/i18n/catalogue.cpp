// Text catalogues. Each data/i18n/<lang>.json is one flat JSON object of key -> text; a file
// that is not exactly that is a deployment error, so load() throws rather than limping on
// with half a catalogue.
#include "i18n/catalogue.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/resources.hpp"

namespace oploop::i18n {
namespace {

constexpr std::string_view kSourceLanguage = "nl";
constexpr std::string_view kSupported[] = {"nl", "en"};

std::map<std::string, std::string> parse_file(const std::filesystem::path& file);

}  // namespace

std::vector<std::filesystem::path> catalogue_files(const std::string& directory,
                                                   const std::string& lang) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files{fs::path(directory) / (lang + ".json")};
  std::vector<fs::path> parts;
  if (fs::is_directory(fs::path(directory) / lang))
    for (const auto& entry : fs::directory_iterator(fs::path(directory) / lang))
      if (entry.path().extension() == ".json") parts.push_back(entry.path());
  std::sort(parts.begin(), parts.end());
  files.insert(files.end(), parts.begin(), parts.end());
  return files;
}

namespace {

std::map<std::string, std::string> parse_file(const std::filesystem::path& file) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_text_file(file));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("catalogue " + file.string() + ": " + e.what());
  }
  if (!doc.is_object()) throw std::runtime_error("catalogue " + file.string() + ": not an object");
  std::map<std::string, std::string> texts;
  for (const auto& [key, value] : doc.items()) {
    if (!value.is_string()) {
      throw std::runtime_error("catalogue " + file.string() + ": \"" + key + "\" is not a string");
    }
    texts.emplace(key, value.get<std::string>());
  }
  return texts;
}

bool is_placeholder_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// One pass, so a substituted value is never scanned for placeholders itself.
std::string fill_placeholders(const std::string& text,
                              const std::map<std::string, std::string>& args) {
  if (args.empty()) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t end = i + 1;
      while (end < text.size() && is_placeholder_char(text[end])) ++end;
      if (end < text.size() && text[end] == '}' && end > i + 1) {
        auto found = args.find(text.substr(i + 1, end - i - 1));
        if (found != args.end()) {
          out += found->second;
          i = end + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// q-value of one Accept-Language entry's parameters (";q=0.8"); 1 when absent, 0 when garbled.
double quality(std::string_view params) {
  double q = 1.0;
  std::size_t pos = 0;
  while (pos < params.size()) {
    std::size_t next = params.find(';', pos);
    std::string_view param = trim(params.substr(pos, next - pos));
    if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      std::string value(param.substr(2));
      char* end = nullptr;
      q = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || q < 0 || q > 1) q = 0;
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return q;
}

}  // namespace

const Catalogue& Catalogue::instance() {
  static const Catalogue catalogue = load(resource_path("data/i18n").string());
  return catalogue;
}

Catalogue Catalogue::load(const std::string& directory) {
  Catalogue catalogue;
  for (std::string_view lang : kSupported) {
    for (const auto& file : catalogue_files(directory, std::string(lang))) {
      auto& texts = catalogue.texts_[std::string(lang)];
      for (auto& [key, text] : parse_file(file))
        if (!texts.emplace(key, std::move(text)).second)
          throw std::runtime_error("catalogue " + file.string() + ": \"" + key +
                                   "\" is already in another file");
    }
  }
  return catalogue;
}

std::string Catalogue::text(const std::string& lang, const std::string& key,
                            const std::map<std::string, std::string>& args) const {
  for (const std::string& candidate : {lang, std::string(kSourceLanguage)}) {
    auto texts = texts_.find(candidate);
    if (texts == texts_.end()) continue;
    auto found = texts->second.find(key);
    if (found != texts->second.end()) return fill_placeholders(found->second, args);
  }
  return key;  // visible in the page, and the catalogue test keeps it from shipping
}

std::string Catalogue::language_name(const std::string& lang, const std::string& code) const {
  return has(lang, "language." + code) ? text(lang, "language." + code) : code;
}

std::string Catalogue::text_naming_language(const std::string& lang, const std::string& key,
                                            std::map<std::string, std::string> args) const {
  if (auto it = args.find("language"); it != args.end())
    it->second = language_name(lang, it->second);
  return text(lang, key, args);
}

bool Catalogue::has(const std::string& lang, const std::string& key) const {
  auto texts = texts_.find(lang);
  return texts != texts_.end() && texts->second.contains(key);
}

const std::map<std::string, std::string>& Catalogue::all(const std::string& lang) const {
  static const std::map<std::string, std::string> empty;
  auto texts = texts_.find(lang);
  if (texts == texts_.end()) texts = texts_.find(std::string(kSourceLanguage));
  return texts == texts_.end() ? empty : texts->second;
}

std::string language_from_accept(const std::string& accept_language) {
  // The supported language with the highest q wins; on a tie the earlier entry. "en-GB"
  // counts as "en"; "*" and unknown languages do not change the default.
  std::string best(kSourceLanguage);
  double best_q = 0;
  std::string_view header(accept_language);
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t next = header.find(',', pos);
    std::string_view entry = trim(header.substr(pos, next - pos));
    std::size_t semicolon = entry.find(';');
    std::string tag = lowercase(trim(entry.substr(0, semicolon)));
    std::string primary = tag.substr(0, tag.find('-'));
    double q = semicolon == std::string_view::npos ? 1.0 : quality(entry.substr(semicolon + 1));
    bool supported =
        std::ranges::find(kSupported, std::string_view(primary)) != std::end(kSupported);
    if (supported && q > best_q) {
      best = primary;
      best_q = q;
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return best;
}

}  // namespace oploop::i18n
