#include "api/representations.hpp"

#include "core/text.hpp"

namespace oploop::api {
namespace {
nlohmann::json optional(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json empty_as_null(const std::string& v) {
  return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
}
}  // namespace

nlohmann::json to_json(const referrals::Referral& r) {
  return {
      {"id", r.id},
      {"status", r.status},
      {"source", r.source},
      {"contact_name", r.contact_name},
      {"postcode", text::display_postcode(r.postcode)},
      {"house_number", r.house_number},
      {"reason", r.reason},
      {"urgency", r.urgency},
      {"consent", r.consent},
      {"consent_date", r.consent_date},
      {"children_birth_years", r.children_birth_years},
      {"languages", r.languages},
      {"other_care", r.other_care},
      {"referrer",
       {{"name", r.referrer.name},
        {"organisation", r.referrer.organisation},
        {"email", r.referrer.email},
        {"phone", r.referrer.phone}}},
      {"decline_reason", empty_as_null(r.decline_reason)},
      {"family_id", optional(r.family_id)},
      {"team_id", optional(r.team_id)},
      {"created_at", r.created_at},
      {"updated_at", r.updated_at},
  };
}

nlohmann::json to_json(const families::HouseholdMember& m) {
  return {{"id", m.id},
          {"first_name", m.first_name},
          {"role", m.role},
          {"birth_date", empty_as_null(m.birth_date)}};
}

nlohmann::json to_json(const families::Family& f, auth::Role role) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : f.members) members.push_back(to_json(m));
  nlohmann::json availability = f.preferences.availability;
  nlohmann::json j = {
      {"id", f.id},
      {"status", f.status},
      {"display_name", f.display_name},
      {"postcode", text::display_postcode(f.postcode)},
      {"house_number", f.house_number},
      {"city", f.city},
      {"phone", f.phone},
      {"languages", f.languages},
      {"wishes", f.wishes},
      {"members", members},
  };
  if (role == auth::Role::volunteer) return j;  // first names, address, phone, languages, wishes
  nlohmann::json care = nlohmann::json::array();
  for (const auto& c : f.formal_care)
    care.push_back(
        {{"agency", c.agency}, {"contact", c.contact}, {"since", empty_as_null(c.since)}});
  j["needs"] = f.needs;
  j["preferences"] = {{"volunteer_gender", empty_as_null(f.preferences.volunteer_gender)},
                      {"availability", availability}};
  j["formal_care"] = care;
  j["coordinator_id"] = optional(f.coordinator_id);
  j["team_id"] = optional(f.team_id);
  j["referral_id"] = optional(f.referral_id);
  j["consent_date"] = empty_as_null(f.consent_date);
  j["waiting_since"] = empty_as_null(f.waiting_since);
  j["created_at"] = f.created_at;
  j["updated_at"] = f.updated_at;
  return j;
}

}  // namespace oploop::api
