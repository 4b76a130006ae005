// Text catalogues: data/i18n/nl.json and en.json, flat objects of key -> text, plus the module
// parts data/i18n/<lang>/*.json (one per module, so that work on one module never touches the
// texts of another); a key may be in only one file. Dutch is the source; English falls back to
// Dutch, and a missing key shows the key itself (and is caught by the catalogue test, which
// checks both languages have the same keys).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace oploop::i18n {

class Catalogue {
 public:
  static const Catalogue& instance();  // loaded once from resource_path("data/i18n")
  static Catalogue load(const std::string& directory);

  // `lang` is "nl" or "en"; `args` replace "{name}" placeholders.
  std::string text(const std::string& lang, const std::string& key,
                   const std::map<std::string, std::string>& args = {}) const;
  // A language's name ("Somalisch" for "so"); the code itself when the catalogue has none.
  std::string language_name(const std::string& lang, const std::string& code) const;
  // text(), with the argument "language" (a code) put as its name.
  std::string text_naming_language(const std::string& lang, const std::string& key,
                                   std::map<std::string, std::string> args) const;
  bool has(const std::string& lang, const std::string& key) const;
  const std::map<std::string, std::string>& all(const std::string& lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> texts_;  // lang -> key -> text
};

// "nl" or "en" from an Accept-Language header (default "nl").
// The files of one language: <directory>/<lang>.json, then <directory>/<lang>/*.json by name.
std::vector<std::filesystem::path> catalogue_files(const std::string& directory,
                                                   const std::string& lang);

std::string language_from_accept(const std::string& accept_language);

}  // namespace oploop::i18n
