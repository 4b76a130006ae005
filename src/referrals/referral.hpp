// Referrals (aanmeldingen): a request for support for a family, by a coordinator or by a
// referrer through the public form. States: new → in_intake → accepted | declined | withdrawn
// (new may also go straight to accepted, declined or withdrawn). Accepting creates the
// family record on the waiting list. The family's consent (with date) is required.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop::referrals {

struct Referrer {
  std::string name;
  std::string organisation;
  std::string email;
  std::string phone;
};

struct Referral {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string status;  // new, in_intake, accepted, declined, withdrawn
  std::string source;  // staff, public
  std::string contact_name;
  std::string postcode;  // normalised "1234AB"
  std::string house_number;
  std::string reason;
  std::string urgency;  // normal, urgent
  bool consent = false;
  std::string consent_date;
  std::vector<int> children_birth_years;
  std::vector<std::string> languages;
  std::string other_care;
  Referrer referrer;
  std::string decline_reason;
  std::optional<std::string> family_id;
  std::string created_at;
  std::string updated_at;
};

// What a form or JSON body supplies; validated by the module.
struct ReferralInput {
  std::optional<std::string> team_id;
  std::string contact_name;
  std::string postcode;
  std::string house_number;
  std::string reason;
  std::string urgency = "normal";
  bool consent = false;
  std::string consent_date;
  std::vector<int> children_birth_years;
  std::vector<std::string> languages;
  std::string other_care;
  Referrer referrer;
};

// "2015, 2019 2021" → {2015, 2019, 2021}; nullopt when a part is not a number.
std::optional<std::vector<int>> parse_year_list(const std::string& text);
// "nl, ar" → {"nl", "ar"} (lowercased; validity is checked by validation).
std::vector<std::string> parse_code_list(const std::string& text);

}  // namespace oploop::referrals
