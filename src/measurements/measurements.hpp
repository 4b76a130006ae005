// Measurements (0-, 1- and 2-meting, SPEC §2.9): a family's answers to one version of an
// instrument at one wave — baseline at intake, interim after about a year, final at closure —
// by one respondent (the family, the coordinator or the volunteer). There is one per family ×
// instrument × wave × respondent (a second is a conflict); a correction replaces the answers and
// keeps the old ones as a revision. A domain's score is the mean of its items.
//
// Who: the coordinators of the family's team and the project lead record, read and correct. A
// volunteer may record the family's own answers (respondent "family") for a family of their own
// running match — they sit with the family on the sofa — but does not read or correct
// measurements. Every read and write goes through the gate and the access log.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "measurements/instrument.hpp"
#include "storage/database.hpp"

namespace oploop::measurements {

struct Revision {
  std::string date;  // the date as it was
  Answers answers;   // the answers as they were
  std::string changed_by, changed_by_name, changed_at;
};

struct Measurement {
  std::string id;
  std::string organisation_id;
  std::string family_id;
  std::optional<std::string> team_id;  // the family's team
  std::string instrument;
  int instrument_version = 1;
  int wave = 0;
  std::string respondent;
  std::string date;
  Answers answers;
  std::map<std::string, double> domain_scores;
  std::vector<Revision> history;  // oldest first
  std::string created_by, created_at, updated_at;
};

struct MeasurementInput {
  std::string instrument;
  std::optional<int> instrument_version;  // the current version when absent
  int wave = -1;
  std::string respondent;
  std::string date;
  std::map<std::string, double> answers;  // item code -> the number given
};

struct Correction {
  std::string date;
  std::map<std::string, double> answers;  // the full new set of answers
};

constexpr int kBaseline = 0;
constexpr int kInterim = 1;
constexpr int kFinal = 2;

// 404 for a family the caller cannot know, 403 for one outside their scope (and for a volunteer
// with another respondent than the family), 422 naming every wrong field — `answers.<item>` for
// an unknown item, an answer off its scale or a required item left out — and 409 when the family
// already has this instrument × wave × respondent.
Result<Measurement> record_measurement(storage::Connection& c, const auth::Actor& actor,
                                       const std::string& family_id, const MeasurementInput& input);
// A family's measurements, by wave, then date; with their corrections.
Result<std::vector<Measurement>> family_measurements(storage::Connection& c,
                                                     const auth::Actor& actor,
                                                     const std::string& family_id);
Result<Measurement> get_measurement(storage::Connection& c, const auth::Actor& actor,
                                    const std::string& id);
// Replaces the date and answers; the old ones become a revision.
Result<Measurement> correct_measurement(storage::Connection& c, const auth::Actor& actor,
                                        const std::string& id, const Correction& correction);

// Whether the family has any measurement of `wave` (no log: a yes/no for a page the caller
// already reads, such as the match page asking for the final measurement).
bool has_wave(storage::Connection& c, const std::string& family_id, int wave);

}  // namespace oploop::measurements
