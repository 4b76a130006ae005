// Volunteers (gezinsvrijwilligers): profile, screening checklist and lifecycle.
// States: applicant → screening → available ⇄ matched, paused, stopped (with a reason).
// "matched" is set and cleared by the matches module; the others by a coordinator.
// A volunteer is eligible for a new match only when available (or matched with room left),
// screened (a valid VOG, basic training, code of conduct signed) and under capacity.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop::volunteers {

struct Screening {
  std::string intake_on;  // YYYY-MM-DD or ""
  std::string vog_issued_on;
  std::string training_completed_on;
  std::string code_signed_on;
  std::string references_checked_on;
};

struct Blocker {
  std::string code;     // status, vog_missing, vog_expired, training_missing, code_missing, full
  std::string message;  // catalogue key
  std::string date;     // a date the message names (VOG expiry), YYYY-MM-DD or ""
};

struct Volunteer {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  std::string status;
  std::string stop_reason;
  std::string first_name, last_name, email, phone;
  std::string postcode, house_number, gender;
  std::vector<std::string> languages, skills, availability;
  int max_families = 1;
  int max_distance_km = 10;
  std::string preferences;
  Screening screening;
  std::string created_at, updated_at;
  // Derived when loaded:
  int open_matches = 0;
  std::string vog_valid_until;  // issue date + the organisation's validity, or ""
};

struct VolunteerInput {
  std::optional<std::string> team_id;
  std::optional<std::string> user_id;
  std::string first_name, last_name, email, phone;
  std::string postcode, house_number, gender;
  std::vector<std::string> languages, skills, availability;
  int max_families = 1;
  int max_distance_km = 10;
  std::string preferences;
};

struct VolunteerPatch {
  std::optional<std::string> first_name, last_name, email, phone, postcode, house_number, gender,
      preferences;
  std::optional<std::vector<std::string>> languages, skills, availability;
  std::optional<int> max_families, max_distance_km;
  std::optional<std::optional<std::string>> team_id, user_id;
};

// Eligibility on `today`: the blockers (empty when eligible). `vog_validity_years` is the
// organisation's policy.
std::vector<Blocker> blockers(const Volunteer& v, const std::string& today);
bool eligible(const Volunteer& v, const std::string& today);     // no blockers
bool vog_lapsing(const Volunteer& v, const std::string& today);  // within 60 days
// The day a VOG issued on `issued_on` lapses under a policy of `validity_years` (the same date
// that many years on; 29 February becomes 1 March): Volunteer::vog_valid_until.
// "" for an empty or invalid date.
std::string vog_valid_until(const std::string& issued_on, int validity_years);
// Whether `to` may follow `from` by a coordinator's hand.
bool may_move(const std::string& from, const std::string& to);

}  // namespace oploop::volunteers
