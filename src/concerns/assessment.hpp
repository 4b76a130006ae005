// The assessment framework (afwegingskader) of the meldcode: the questions a coordinator must
// answer in step 4, in order, each yes or no. They are data (data/meldcode/afwegingskader.json,
// with Dutch and English texts and what each answer means), not code, so a new version of the
// framework is a new file.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace oploop::concerns {

struct AssessmentQuestion {
  std::string code;
  int number = 0;
  std::map<std::string, std::string> text;  // by language: nl, en
  std::map<std::string, std::string> hint;  // what each answer leads to, by language
  std::string report_if;                    // "yes"/"no": this answer means report to Veilig Thuis
  std::string close_if;                     // this answer means close and record
  std::string help_if;  // the answer needed for the coordinator to organise help themselves
};

struct AssessmentAnswer {
  std::string answer;  // yes, no
  std::string explanation;
};
using AssessmentAnswers = std::map<std::string, AssessmentAnswer>;  // by question code

class AssessmentFramework {
 public:
  // Loaded once from resource_path("data/meldcode/afwegingskader.json").
  static const AssessmentFramework& instance();
  // Throws std::runtime_error for a file that is not a valid framework.
  static AssessmentFramework load(const std::filesystem::path& file);

  const std::string& version() const { return version_; }
  const std::string& source() const { return source_; }
  const std::vector<AssessmentQuestion>& questions() const { return questions_; }

  // The framework's advice for a full set of answers: "close" (no suspicion),
  // "report_veilig_thuis", "both" (report and organise help) or "organise_help"; "" when an
  // answer is missing. The coordinator decides in step 5; this only says what the framework says.
  std::string advice(const AssessmentAnswers& answers) const;

 private:
  std::string version_;
  std::string source_;
  std::vector<AssessmentQuestion> questions_;
};

// A question's text or hint in `language` (Dutch when that language has none).
std::string in_language(const std::map<std::string, std::string>& texts,
                        const std::string& language);

}  // namespace oploop::concerns
