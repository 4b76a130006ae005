// Instruments (vragenlijsten, SPEC §2.9): versioned measurement forms kept as data files in
// data/instruments/<code>.v<version>.json, not code. An item has a code, a label in Dutch and
// English, a life domain (or "satisfaction" / "report_mark") and a whole-number scale. The files
// are loaded once and checked at start-up: a broken file stops the start with a message naming
// the file and what is wrong, so a measurement can never be recorded against a bad form.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace oploop::measurements {

using Texts = std::map<std::string, std::string>;  // by language: nl, en

struct Scale {
  int min = 1;
  int max = 4;
  std::map<int, Texts> labels;  // the meaning of some or all points
};

struct Item {
  std::string code;
  Texts label;
  std::string domain;  // a life-domain code, "satisfaction" or "report_mark"
  Scale scale;
  bool required = true;
};

struct Instrument {
  std::string code;
  int version = 1;
  bool current = false;  // the version new measurements use
  Texts title;
  Texts description;
  std::vector<std::string> respondents;  // family, coordinator, volunteer
  std::vector<Item> items;

  const Item* item(const std::string& code) const;
  // The item's domains in the order they first appear.
  std::vector<std::string> domains() const;
};

using Answers = std::map<std::string, int>;  // item code -> point on its scale

// A domain's score is the mean of its answered items (items left empty do not count); a domain
// without answers has no score.
std::map<std::string, double> domain_scores(const Instrument& instrument, const Answers& answers);

// The respondent codes a measurement may have.
const std::vector<std::string>& respondents();
// The domains an item may have: the nine life domains, satisfaction and report_mark.
const std::vector<std::string>& item_domains();

class InstrumentCatalogue {
 public:
  // Loaded once from resource_path("data/instruments").
  static const InstrumentCatalogue& instance();
  // Every *.json file of `directory`; throws std::runtime_error naming the file and the fault.
  static InstrumentCatalogue load(const std::filesystem::path& directory);
  // One file; throws std::runtime_error as above.
  static Instrument load_file(const std::filesystem::path& file);

  // By code, then version (ascending).
  const std::vector<Instrument>& all() const { return instruments_; }
  const Instrument* find(const std::string& code, int version) const;
  // The current version of `code` (the highest marked current, else the highest).
  const Instrument* current(const std::string& code) const;

 private:
  std::vector<Instrument> instruments_;
};

// A text in `language`, Dutch when that language has none.
std::string text_in(const Texts& texts, const std::string& language);

}  // namespace oploop::measurements
