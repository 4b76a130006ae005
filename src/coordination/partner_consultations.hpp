// Partner consultations (netwerkoverleg, SPEC §2.8): a coordinator's consultation with an agency
// around a family — consultatiebureau, midwife, social services, school, the referrer, the GP.
// Staff only: a consultation belongs to its family's organisation and team, and is read and
// written within that scope (another organisation's family is unknown, another team's is 403).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::coordination {

struct PartnerConsultation {
  std::string id;
  std::string organisation_id;
  std::string family_id;
  std::string family_name;
  std::optional<std::string> team_id;  // the family's team (decides who may read it)
  std::string partner_kind;
  std::string partner_name;
  std::string date;
  std::string summary;
  std::string created_by, created_by_name, created_at;
};

struct ConsultationInput {
  std::string family_id;
  std::string partner_kind;
  std::string partner_name;
  std::string date;
  std::string summary;  // ≤ 4000 characters
};

struct ConsultationFilter {
  std::optional<std::string> family_id;
  std::optional<std::string> partner_kind;
  std::optional<std::string> from, to;
  PageRequest page;
};

// consultatiebureau, midwife, social_services, school, referrer, gp, other.
const std::vector<std::string>& partner_kinds();

Result<PartnerConsultation> record_consultation(storage::Connection& c, const auth::Actor& actor,
                                                const ConsultationInput& input);
Result<PartnerConsultation> get_consultation(storage::Connection& c, const auth::Actor& actor,
                                             const std::string& id);
// Newest first, within the caller's scope.
Result<Page<PartnerConsultation>> list_consultations(storage::Connection& c,
                                                     const auth::Actor& actor,
                                                     const ConsultationFilter& filter);
// One family's consultations: 404 for a family the caller cannot know, 403 for another team's.
Result<Page<PartnerConsultation>> family_consultations(storage::Connection& c,
                                                       const auth::Actor& actor,
                                                       const std::string& family_id,
                                                       const PageRequest& page);

}  // namespace oploop::coordination
