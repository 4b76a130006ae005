// The meldcode (Meldcode huiselijk geweld en kindermishandeling) worked through for a concern:
// five steps in order — 1 map the signals, 2 consult a colleague and/or Veilig Thuis, 3 talk
// with the family, 4 weigh with the assessment framework (every question answered), 5 decide
// (close and record, organise help, report to Veilig Thuis, or help and report), with the help
// given and the organisations involved; a decision that departs from the framework's advice
// needs its reason. A step can be recorded only once the step before it exists. The record is
// append-only (the database refuses UPDATE and DELETE): recording a step again adds an entry
// that corrects the earlier one; both are kept and the newest counts. A correction of the
// weighing (step 4) after the decision sends the decision back for review: the meldcode is
// complete again only once step 5 is recorded after it. Staff only (volunteers pass signals on;
// they do not see the weighing).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "concerns/assessment.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::concerns {

constexpr int kMeldcodeSteps = 5;
constexpr int kAssessmentStep = 4;
constexpr int kDecisionStep = 5;

struct MeldcodeEntry {
  std::string id;
  std::string concern_id;
  int step = 0;
  std::string date;  // YYYY-MM-DD: when the step was taken
  std::string summary;
  std::string decision;       // step 5: see meldcode_decisions(); steps 1–4: free text or ""
  AssessmentAnswers answers;  // step 4
  // Step 5 only: what help was given or arranged, with which organisations, and why the
  // decision departs from the advice of step 4 ("" when it follows it).
  std::string help_given, organisations_involved, deviation_reason;
  std::string framework_version;
  std::optional<std::string> corrects_id;   // the entry this one corrects
  std::optional<std::string> corrected_by;  // the entry that corrects this one
  bool current = false;                     // the newest entry of its step
  std::string recorded_by, recorded_by_name, recorded_at;
};

struct Meldcode {
  std::string concern_id;
  std::string category;                // of the concern
  std::vector<MeldcodeEntry> entries;  // in the order they were recorded

  // The newest entry of `step`, or nullptr.
  const MeldcodeEntry* current(int step) const;
  // The first step not recorded yet, or recorded before a correction of the step before it
  // (to review); 0 when all five stand.
  int next_step() const;
  // Whether `step` was recorded but must be looked at again: the decision (step 5) when the
  // weighing was corrected after it.
  bool needs_review(int step) const;
  bool complete() const { return next_step() == 0; }
  // The framework's advice for the current step 4 ("" without one).
  std::string advice() const;
};

struct MeldcodeInput {
  int step = 0;
  std::string date;
  std::string summary;
  std::string decision;
  std::optional<AssessmentAnswers> answers;
  std::string help_given, organisations_involved, deviation_reason;  // step 5
};

// close, organise_help, report_veilig_thuis, both — the framework's advice uses the same codes.
const std::vector<std::string>& meldcode_decisions();

constexpr std::size_t kMaxSummary = 4000;
constexpr std::size_t kMaxStepDecision = 1000;
constexpr std::size_t kMaxExplanation = 2000;
constexpr std::size_t kMaxOutcomeText = 2000;

// Field → catalogue key for each broken rule (empty when valid); `today` for "not in the future".
// Answer errors are named "answers.<question code>".
std::map<std::string, std::string> validate(const MeldcodeInput& input, const std::string& today);

Result<Meldcode> get_meldcode(storage::Connection& c, const auth::Actor& actor,
                              const std::string& concern_id);
// A missing earlier step: 409 with message (and field "step") "meldcode.missing_step.<n>".
// 422 besides validate(): a date before the step before it or (a correction) after the step
// after it; a step-5 decision other than the advice without deviation_reason.
Result<MeldcodeEntry> record_meldcode_step(storage::Connection& c, const auth::Actor& actor,
                                           const std::string& concern_id,
                                           const MeldcodeInput& input);
// The step a 409 of record_meldcode_step says is missing (0 for any other error).
int missing_step_of(const Error& error);

}  // namespace oploop::concerns
