// The outcome part of the impact report (SPEC §3): per life domain, over paired measurements of
// the same family, instrument and respondent — baseline → final and baseline → interim — the
// paired statistics of stats/paired (n, means, change, SD, % improved/same/worse, Cohen's dz
// with its 95% CI, Wilcoxon signed-rank p). A pair counts in the period when its later
// measurement was taken in it. Aggregates only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/impact_counts.hpp"
#include "stats/paired.hpp"

namespace oploop::reports {

struct DomainOutcome {
  std::string domain;
  stats::PairedSummary summary;
};

struct OutcomeComparison {
  std::string instrument;  // family_questionnaire, coordinator_assessment
  std::string respondent;  // family, coordinator
  int from_wave = 0;
  int to_wave = 2;
  std::vector<DomainOutcome> domains;  // in the instrument's domain order
};

// Ties: the normal approximation with tie correction whenever |changes| tie (scores are means
// of 4-point items, so ties are the rule); see docs/decisions/0008-statistics.md.
constexpr stats::TieHandling kReportTies = stats::TieHandling::normal_when_ties;

// For the organisation or one team (already authorised by the caller): both comparisons
// (0→2, 0→1) for the family questionnaire answered by the family and the coordinator's
// assessment.
std::vector<OutcomeComparison> outcomes(storage::Connection& c, const std::string& organisation_id,
                                        const std::optional<std::string>& team_id,
                                        const Period& period);

}  // namespace oploop::reports
