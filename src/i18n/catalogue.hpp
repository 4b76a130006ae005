// Text catalogues: data/i18n/nl.json and en.json, flat objects of key -> text. Dutch is the
// source; English falls back to Dutch, and a missing key shows the key itself (and is caught
// by the catalogue test, which checks both files have the same keys).
#pragma once

#include <map>
#include <string>

namespace oploop::i18n {

class Catalogue {
 public:
  static const Catalogue& instance();  // loaded once from resource_path("data/i18n")
  static Catalogue load(const std::string& directory);

  // `lang` is "nl" or "en"; `args` replace "{name}" placeholders.
  std::string text(const std::string& lang, const std::string& key,
                   const std::map<std::string, std::string>& args = {}) const;
  bool has(const std::string& lang, const std::string& key) const;
  const std::map<std::string, std::string>& all(const std::string& lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> texts_;  // lang -> key -> text
};

// "nl" or "en" from an Accept-Language header (default "nl").
std::string language_from_accept(const std::string& accept_language);

}  // namespace oploop::i18n
