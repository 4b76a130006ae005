#include "i18n/catalogue.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>

#include "core/resources.hpp"

namespace oploop::i18n {
namespace {

namespace fs = std::filesystem;

// Every file of a language (the main one and the module parts), each as written.
std::vector<std::pair<fs::path, nlohmann::ordered_json>> raw_files(const std::string& lang) {
  std::vector<std::pair<fs::path, nlohmann::ordered_json>> out;
  for (const auto& file : catalogue_files(resource_path("data/i18n").string(), lang))
    out.emplace_back(file, nlohmann::ordered_json::parse(read_text_file(file)));
  return out;
}

std::set<std::string> placeholders(const std::string& text) {
  static const std::regex placeholder(R"(\{([A-Za-z0-9_]+)\})");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), placeholder), end; it != end; ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

// A directory of catalogue files written by the test, removed afterwards.
class ScratchCatalogue {
 public:
  ScratchCatalogue() {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("oploop-catalogue-" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  ~ScratchCatalogue() { fs::remove_all(dir_); }
  void write(const std::string& lang, const std::string& content) const {
    std::ofstream(dir_ / (lang + ".json")) << content;
  }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

TEST(CatalogueFiles, BothParseAsFlatObjectsOfText) {
  for (const std::string lang : {"nl", "en"}) {
    for (const auto& [file, doc] : raw_files(lang)) {
      ASSERT_TRUE(doc.is_object()) << file;
      for (const auto& [key, value] : doc.items()) {
        EXPECT_TRUE(value.is_string()) << file << ": " << key;
      }
    }
  }
  EXPECT_NO_THROW(Catalogue::load(resource_path("data/i18n").string()));
}

TEST(CatalogueFiles, HaveTheSameKeysInSortedOrder) {
  std::vector<std::string> nl_keys, en_keys;
  for (auto [lang, keys] : {std::pair{"nl", &nl_keys}, std::pair{"en", &en_keys}}) {
    for (const auto& [file, doc] : raw_files(lang)) {
      std::vector<std::string> in_file;
      for (const auto& [key, value] : doc.items()) in_file.push_back(key);
      EXPECT_TRUE(std::ranges::is_sorted(in_file)) << "sort " << file << " by key";
      keys->insert(keys->end(), in_file.begin(), in_file.end());
    }
  }
  std::set<std::string> nl_set(nl_keys.begin(), nl_keys.end());
  std::set<std::string> en_set(en_keys.begin(), en_keys.end());
  for (const auto& key : nl_set) EXPECT_TRUE(en_set.contains(key)) << "en.json lacks " << key;
  for (const auto& key : en_set) EXPECT_TRUE(nl_set.contains(key)) << "nl.json lacks " << key;
}

TEST(CatalogueFiles, HaveNoEmptyTexts) {
  const Catalogue catalogue = Catalogue::load(resource_path("data/i18n").string());
  for (const std::string lang : {"nl", "en"}) {
    for (const auto& [key, text] : catalogue.all(lang)) {
      EXPECT_FALSE(text.find_first_not_of(" \t\n") == std::string::npos) << lang << ": " << key;
    }
  }
}

TEST(CatalogueFiles, UseTheSamePlaceholdersInBothLanguages) {
  const Catalogue catalogue = Catalogue::load(resource_path("data/i18n").string());
  for (const auto& [key, text] : catalogue.all("nl")) {
    EXPECT_EQ(placeholders(text), placeholders(catalogue.text("en", key))) << key;
  }
}

TEST(CatalogueFiles, CoverTheErrorKeysOfResult) {
  const Catalogue catalogue = Catalogue::load(resource_path("data/i18n").string());
  for (const std::string key :
       {"error.not_found", "error.forbidden", "error.unauthorized", "error.invalid",
        "error.conflict", "error.rate_limited", "error.bad_request", "error.internal", "error.csrf",
        "password.too_short", "password.too_long", "password.like_email", "password.common"}) {
    EXPECT_TRUE(catalogue.has("nl", key)) << key;
    EXPECT_TRUE(catalogue.has("en", key)) << key;
  }
}

// Every literal {{#t}}key{{/t}} in a template must exist, or the page shows the bare key.
TEST(CatalogueFiles, CoverEveryKeyTheTemplatesUse) {
  const Catalogue catalogue = Catalogue::load(resource_path("data/i18n").string());
  static const std::regex literal_key(R"(\{\{#t\}\}\s*([A-Za-z0-9_.]+)\s*\{\{/t\}\})");
  int found = 0;
  for (const auto& entry : fs::recursive_directory_iterator(resource_path("src/web/templates"))) {
    if (entry.path().extension() != ".mustache") continue;
    const std::string source = read_text_file(entry.path());
    for (std::sregex_iterator it(source.begin(), source.end(), literal_key), end; it != end; ++it) {
      ++found;
      EXPECT_TRUE(catalogue.has("nl", (*it)[1].str()))
          << entry.path().filename() << " uses " << (*it)[1].str();
    }
  }
  EXPECT_GT(found, 10);
}

TEST(Catalogue, KnowsDutchLoginTexts) {
  const Catalogue& catalogue = Catalogue::instance();
  EXPECT_EQ(catalogue.text("nl", "login.failed"), "E-mailadres of wachtwoord klopt niet.");
  EXPECT_EQ(catalogue.text("nl", "validation.postcode"), "Vul een postcode in zoals 1234 AB.");
  EXPECT_EQ(catalogue.text("en", "nav.home"), "Today");
}

TEST(Catalogue, FillsPlaceholdersOnceAndLeavesUnknownOnes) {
  ScratchCatalogue files;
  files.write("nl", R"({"greeting": "Hallo {name}, u heeft {count} taken en {other}.",
                        "only_nl": "Alleen Nederlands"})");
  files.write("en", R"({"greeting": "Hello {name}, you have {count} tasks and {other}."})");
  const Catalogue catalogue = Catalogue::load(files.dir());
  EXPECT_EQ(catalogue.text("nl", "greeting", {{"name", "{count}"}, {"count", "3"}}),
            "Hallo {count}, u heeft 3 taken en {other}.");
  EXPECT_EQ(catalogue.text("en", "greeting", {{"name", "Sam"}, {"count", "2"}}),
            "Hello Sam, you have 2 tasks and {other}.");
}

TEST(Catalogue, FallsBackToDutchThenToTheKey) {
  ScratchCatalogue files;
  files.write("nl", R"({"only_nl": "Alleen Nederlands"})");
  files.write("en", R"({})");
  const Catalogue catalogue = Catalogue::load(files.dir());
  EXPECT_EQ(catalogue.text("en", "only_nl"), "Alleen Nederlands");
  EXPECT_EQ(catalogue.text("fr", "only_nl"), "Alleen Nederlands");
  EXPECT_EQ(catalogue.text("en", "no.such.key"), "no.such.key");
  EXPECT_TRUE(catalogue.has("nl", "only_nl"));
  EXPECT_FALSE(catalogue.has("en", "only_nl"));
  EXPECT_EQ(catalogue.all("fr").size(), 1u);  // unknown language: the Dutch texts
}

TEST(Catalogue, RefusesFilesThatAreNotFlatText) {
  ScratchCatalogue files;
  files.write("en", R"({"a": "A"})");
  files.write("nl", R"({"a": {"nested": "no"}})");
  EXPECT_THROW(Catalogue::load(files.dir()), std::runtime_error);
  files.write("nl", R"(["a"])");
  EXPECT_THROW(Catalogue::load(files.dir()), std::runtime_error);
  files.write("nl", R"({"a": "A",)");
  EXPECT_THROW(Catalogue::load(files.dir()), std::runtime_error);
  fs::remove(fs::path(files.dir()) / "nl.json");
  EXPECT_THROW(Catalogue::load(files.dir()), std::runtime_error);
}

TEST(Catalogue, AddsTheModulePartsAndRefusesAKeyInTwoFiles) {
  ScratchCatalogue files;
  files.write("nl", R"({"a": "A"})");
  files.write("en", R"({"a": "A"})");
  fs::create_directories(fs::path(files.dir()) / "nl");
  std::ofstream(fs::path(files.dir()) / "nl" / "contacts.json") << R"({"contact.b": "B"})";
  std::ofstream(fs::path(files.dir()) / "nl" / "README.md") << "not a catalogue";
  const Catalogue catalogue = Catalogue::load(files.dir());
  EXPECT_EQ(catalogue.text("nl", "contact.b"), "B");
  EXPECT_EQ(catalogue.text("nl", "a"), "A");
  std::ofstream(fs::path(files.dir()) / "nl" / "other.json") << R"({"a": "again"})";
  EXPECT_THROW(Catalogue::load(files.dir()), std::runtime_error);
}

TEST(LanguageFromAccept, PicksTheBestSupportedLanguage) {
  EXPECT_EQ(language_from_accept(""), "nl");
  EXPECT_EQ(language_from_accept("en"), "en");
  EXPECT_EQ(language_from_accept("nl"), "nl");
  EXPECT_EQ(language_from_accept("en-GB,en;q=0.9,nl;q=0.8"), "en");
  EXPECT_EQ(language_from_accept("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"), "nl");
  EXPECT_EQ(language_from_accept("EN-us"), "en");
  EXPECT_EQ(language_from_accept("de-DE,de;q=0.9,en;q=0.5"), "en");
  EXPECT_EQ(language_from_accept("nl;q=0.5, en;q=0.8"), "en");
  EXPECT_EQ(language_from_accept("en;q=0.8, nl;q=0.8"), "en");  // a tie keeps the first
}

TEST(LanguageFromAccept, DefaultsToDutch) {
  EXPECT_EQ(language_from_accept("fr-FR,fr;q=0.9"), "nl");
  EXPECT_EQ(language_from_accept("*"), "nl");
  EXPECT_EQ(language_from_accept("en;q=0"), "nl");       // q=0 means "not this one"
  EXPECT_EQ(language_from_accept("en;q=banana"), "nl");  // garbled q counts as 0
  EXPECT_EQ(language_from_accept(" , ;q=1,,"), "nl");
  EXPECT_EQ(language_from_accept("english"), "nl");  // not a language tag we know
}

}  // namespace
}  // namespace oploop::i18n
