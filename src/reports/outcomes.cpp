#include "reports/outcomes.hpp"

#include <map>

#include "measurements/instrument.hpp"

namespace oploop::reports {
namespace {

struct Taken {
  int version = 1;
  std::string date;
  measurements::Answers answers;
};

// family id -> wave -> the measurement's answers.
using ByFamily = std::map<std::string, std::map<int, Taken>>;

ByFamily load(storage::Connection& c, const std::string& organisation_id,
              const std::optional<std::string>& team_id, const std::string& instrument,
              const std::string& respondent) {
  ByFamily out;
  const storage::Value team = storage::optional_value(team_id);
  for (const auto& r :
       c.query("SELECT m.family_id, m.wave, m.instrument_version, m.taken_on, a.item_code, "
               "a.value FROM measurements m JOIN measurement_answers a ON a.measurement_id = m.id "
               "JOIN families f ON f.id = m.family_id "
               "WHERE m.organisation_id = ? AND m.instrument = ? AND m.respondent = ? "
               "AND (CAST(? AS TEXT) IS NULL OR f.team_id = ?)",
               std::vector<storage::Value>{organisation_id, instrument, respondent, team, team})) {
    Taken& t = out[r.text(0)][static_cast<int>(r.integer(1))];
    t.version = static_cast<int>(r.integer(2));
    t.date = r.text(3);
    t.answers[r.text(4)] = static_cast<int>(r.integer(5));
  }
  return out;
}

std::map<std::string, double> scores(const std::string& instrument, const Taken& t) {
  const auto* found = measurements::InstrumentCatalogue::instance().find(instrument, t.version);
  return found ? measurements::domain_scores(*found, t.answers) : std::map<std::string, double>{};
}

}  // namespace

std::vector<OutcomeComparison> outcomes(storage::Connection& c, const std::string& organisation_id,
                                        const std::optional<std::string>& team_id,
                                        const Period& period) {
  const auto& catalogue = measurements::InstrumentCatalogue::instance();
  std::vector<OutcomeComparison> out;
  for (const auto& [instrument, respondent] :
       {std::pair<std::string, std::string>{"family_questionnaire", "family"},
        {"coordinator_assessment", "coordinator"}}) {
    const auto* current = catalogue.current(instrument);
    if (!current) continue;
    const ByFamily taken = load(c, organisation_id, team_id, instrument, respondent);
    for (const int to_wave : {2, 1}) {
      std::map<std::string, std::vector<stats::Pair>> pairs;  // domain -> pairs
      for (const auto& [family, waves] : taken) {
        const auto before = waves.find(0), after = waves.find(to_wave);
        if (before == waves.end() || after == waves.end()) continue;
        if (after->second.date < period.from || after->second.date > period.to) continue;
        const auto from_scores = scores(instrument, before->second);
        for (const auto& [domain, score] : scores(instrument, after->second))
          if (auto b = from_scores.find(domain); b != from_scores.end())
            pairs[domain].push_back({b->second, score});
      }
      OutcomeComparison comparison{instrument, respondent, 0, to_wave, {}};
      // The nine life domains only: satisfaction and the report mark are not changes to test.
      for (const auto& domain : current->domains()) {
        if (domain == "satisfaction" || domain == "report_mark") continue;
        const auto& domain_pairs = pairs[domain];
        comparison.domains.push_back({domain, stats::summarise(domain_pairs, kReportTies)});
      }
      out.push_back(std::move(comparison));
    }
  }
  return out;
}

}  // namespace oploop::reports
