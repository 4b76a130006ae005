// Families (gezinnen): created when a referral is accepted after intake; they wait on the
// waiting list until matched with a volunteer. States: waiting → matched → closed.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop::families {

struct HouseholdMember {
  std::string id;
  std::string first_name;
  std::string role;        // parent, child, other
  std::string birth_date;  // YYYY-MM-DD or empty
};

struct FormalCare {
  std::string agency;
  std::string contact;
  std::string since;  // YYYY-MM-DD or empty
};

struct Preferences {
  std::string volunteer_gender;           // "", female, male, no_preference
  std::vector<std::string> availability;  // slot codes like mon_evening
};

struct Family {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::optional<std::string> referral_id;
  std::string status;  // waiting, matched, closed
  std::string display_name;
  std::string postcode;  // normalised
  std::string house_number;
  std::string city;
  std::string phone;
  std::vector<std::string> languages;
  std::vector<std::string> needs;  // life-domain codes
  std::string wishes;
  Preferences preferences;
  std::vector<FormalCare> formal_care;
  std::optional<std::string> coordinator_id;
  std::string consent_date;
  std::string waiting_since;  // YYYY-MM-DD
  std::string created_at;
  std::string updated_at;
  std::vector<HouseholdMember> members;
};

// Partial update: only the fields present are changed.
struct FamilyPatch {
  std::optional<std::string> display_name, postcode, house_number, city, phone, wishes;
  std::optional<std::vector<std::string>> languages, needs;
  std::optional<Preferences> preferences;
  std::optional<std::vector<FormalCare>> formal_care;
  std::optional<std::optional<std::string>> coordinator_id, team_id;
};

struct MemberInput {
  std::string first_name;
  std::string role;
  std::string birth_date;
};

// The nine life domains (SPEC appendix), and availability slot codes.
const std::vector<std::string>& life_domains();
bool is_life_domain(const std::string& code);
bool is_availability_slot(const std::string& code);  // mon..sun × morning/afternoon/evening

}  // namespace oploop::families
