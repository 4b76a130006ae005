#include "web/view_models.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/catalogue.hpp"
#include "web/page.hpp"

namespace oploop::web {
// Common languages have a name in the catalogue; others show their ISO code.
std::string language_list(const app::RequestContext& ctx, const std::vector<std::string>& codes) {
  const auto& cat = i18n::Catalogue::instance();
  std::string out;
  for (const auto& code : codes)
    out += (out.empty() ? "" : ", ") + cat.language_name(ctx.language, code);
  return out;
}

std::string display_date(const std::string& value) {
  if (value.size() == 10) return format_date_nl(value);
  if (value.size() >= 20) {
    try {
      return format_date_nl(amsterdam_date(parse_rfc3339(value)));
    } catch (const std::exception&) {
      return value;
    }
  }
  return value;
}

nlohmann::json referral_view(const app::RequestContext& ctx, const referrals::Referral& r) {
  std::string years;
  for (int y : r.children_birth_years) years += (years.empty() ? "" : ", ") + std::to_string(y);
  const std::string langs = language_list(ctx, r.languages);
  const std::string today = amsterdam_date(ctx.services.clock.now());
  const std::string created = amsterdam_date(parse_rfc3339(r.created_at));
  return {
      {"id", r.id},
      {"status", r.status},
      {"status_label", t(ctx, "referral.status." + r.status)},
      {"is_new", r.status == "new"},
      {"open", r.status == "new" || r.status == "in_intake"},
      {"can_start_intake", r.status == "new"},
      {"urgent", r.urgency == "urgent"},
      {"urgency_label", t(ctx, "referral.urgency." + r.urgency)},
      {"source_label", t(ctx, "referral.source." + r.source)},
      {"contact_name", r.contact_name},
      {"postcode", text::display_postcode(r.postcode)},
      {"house_number", r.house_number},
      {"reason", r.reason},
      {"consent_date", display_date(r.consent_date)},
      {"children_birth_years", years},
      {"languages", langs},
      {"other_care", r.other_care},
      {"referrer",
       {{"name", r.referrer.name},
        {"organisation", r.referrer.organisation},
        {"email", r.referrer.email},
        {"phone", r.referrer.phone}}},
      {"decline_reason", r.decline_reason},
      {"family_id", r.family_id.value_or("")},
      {"created", display_date(r.created_at)},
      {"days_old", days_between(created, today)},
  };
}

nlohmann::json family_view(const app::RequestContext& ctx, const families::Family& f) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : f.members) {
    members.push_back({{"first_name", m.first_name},
                       {"role_label", t(ctx, "member.role." + m.role)},
                       {"birth_date", m.birth_date.empty() ? "" : display_date(m.birth_date)}});
  }
  nlohmann::json needs = nlohmann::json::array();
  for (const auto& n : f.needs) needs.push_back(t(ctx, "domain." + n));
  const std::string langs = language_list(ctx, f.languages);
  nlohmann::json care = nlohmann::json::array();
  for (const auto& c : f.formal_care)
    care.push_back({{"agency", c.agency},
                    {"contact", c.contact},
                    {"since", c.since.empty() ? "" : display_date(c.since)}});
  const std::string today = amsterdam_date(ctx.services.clock.now());
  return {
      {"id", f.id},
      {"status", f.status},
      {"status_label", t(ctx, "family.status." + f.status)},
      {"display_name", f.display_name},
      {"postcode", text::display_postcode(f.postcode)},
      {"house_number", f.house_number},
      {"city", f.city},
      {"phone", f.phone},
      {"languages", langs},
      {"wishes", f.wishes},
      {"needs", needs},
      {"has_needs", !needs.empty()},
      {"formal_care", care},
      {"has_formal_care", !care.empty()},
      {"members", members},
      {"has_members", !members.empty()},
      {"waiting_since", f.waiting_since.empty() ? "" : display_date(f.waiting_since)},
      {"days_waiting", f.waiting_since.empty() ? 0 : days_between(f.waiting_since, today)},
      {"days_unit",
       t(ctx, f.waiting_since.empty() || days_between(f.waiting_since, today) != 1 ? "family.days"
                                                                                   : "family.day")},
  };
}

const char* concern_badge(const std::string& severity) {
  if (severity == "urgent") return "danger";
  if (severity == "worry") return "warning";
  return "neutral";
}

}  // namespace oploop::web
