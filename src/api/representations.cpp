#include "api/representations.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/catalogue.hpp"

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
  if (role == auth::Role::volunteer) {
    // A volunteer sees first names, address, phone, languages and wishes (SPEC §1): no birth
    // dates, no needs assessment, no formal care.
    for (auto& m : j["members"]) m.erase("birth_date");
    return j;
  }
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

nlohmann::json to_json(const volunteers::Blocker& b, const std::string& language) {
  std::map<std::string, std::string> args;
  if (!b.date.empty()) args["date"] = format_date_nl(b.date);
  return {{"code", b.code},
          {"message", i18n::Catalogue::instance().text(language, b.message, args)}};
}

nlohmann::json to_json(const volunteers::Volunteer& v, const std::string& today,
                       const std::string& language) {
  nlohmann::json blockers = nlohmann::json::array();
  for (const auto& b : volunteers::blockers(v, today)) blockers.push_back(to_json(b, language));
  const auto& s = v.screening;
  return {
      {"id", v.id},
      {"status", v.status},
      {"stop_reason", empty_as_null(v.stop_reason)},
      {"first_name", v.first_name},
      {"last_name", v.last_name},
      {"email", v.email},
      {"phone", v.phone},
      {"postcode", text::display_postcode(v.postcode)},
      {"house_number", v.house_number},
      {"gender", empty_as_null(v.gender)},
      {"languages", v.languages},
      {"skills", v.skills},
      {"availability", v.availability},
      {"max_families", v.max_families},
      {"max_distance_km", v.max_distance_km},
      {"preferences", v.preferences},
      {"team_id", optional(v.team_id)},
      {"user_id", optional(v.user_id)},
      {"open_matches", v.open_matches},
      {"eligible", blockers.empty()},
      {"blockers", blockers},
      {"screening",
       {{"intake_on", empty_as_null(s.intake_on)},
        {"vog_issued_on", empty_as_null(s.vog_issued_on)},
        {"vog_valid_until", empty_as_null(v.vog_valid_until)},
        {"vog_lapsing", volunteers::vog_lapsing(v, today)},
        {"training_completed_on", empty_as_null(s.training_completed_on)},
        {"code_signed_on", empty_as_null(s.code_signed_on)},
        {"references_checked_on", empty_as_null(s.references_checked_on)}}},
      {"created_at", v.created_at},
      {"updated_at", v.updated_at},
  };
}

nlohmann::json to_json(const matches::Match& m) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& t : m.history)
    history.push_back({{"from", empty_as_null(t.from)},
                       {"to", t.to},
                       {"date", t.on_date},
                       {"reason", empty_as_null(t.reason)},
                       {"by_user_id", empty_as_null(t.by_user)},
                       {"at", t.at}});
  return {
      {"id", m.id},
      {"family_id", m.family_id},
      {"volunteer_id", m.volunteer_id},
      {"status", m.status},
      {"introduction_date", empty_as_null(m.introduction_date)},
      {"started_on", empty_as_null(m.started_on)},
      {"stepping_down_on", empty_as_null(m.stepping_down_on)},
      {"closed_on", empty_as_null(m.closed_on)},
      {"closure_reason", empty_as_null(m.closure_reason)},
      {"team_id", optional(m.team_id)},
      {"history", history},
      {"created_at", m.created_at},
      {"updated_at", m.updated_at},
  };
}

nlohmann::json to_json(const matching::Suggestion& s, const std::string& language) {
  const auto& cat = i18n::Catalogue::instance();
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : s.reasons)
    reasons.push_back({{"criterion", r.criterion},
                       {"points", r.points},
                       {"max_points", r.max_points},
                       {"explanation", cat.text_naming_language(language, r.explanation, r.args)}});
  return {{"volunteer_id", s.volunteer_id},
          {"volunteer_name", s.volunteer_name},
          {"score", s.score},
          {"distance_km", s.distance_km ? nlohmann::json(std::round(*s.distance_km * 10) / 10)
                                        : nlohmann::json(nullptr)},
          {"reasons", reasons}};
}

}  // namespace oploop::api
