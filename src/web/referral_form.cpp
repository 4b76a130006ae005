#include "web/referral_form.hpp"

#include "web/form.hpp"
#include "web/page.hpp"

namespace oploop::web {

ReferralForm read_referral_form(const app::RequestContext& ctx) {
  ReferralForm f;
  auto& in = f.input;
  in.contact_name = ctx.field("contact_name");
  in.postcode = ctx.field("postcode");
  in.house_number = ctx.field("house_number");
  in.reason = ctx.field("reason");
  in.urgency = ctx.field("urgency").empty() ? "normal" : ctx.field("urgency");
  in.consent = ctx.field("consent") == "yes";
  in.consent_date = ctx.field("consent_date");
  in.other_care = ctx.field("other_care");
  in.referrer = {ctx.field("referrer_name"), ctx.field("referrer_organisation"),
                 ctx.field("referrer_email"), ctx.field("referrer_phone")};
  in.languages = referrals::parse_code_list(ctx.field("languages"));
  if (auto years = referrals::parse_year_list(ctx.field("children_birth_years")))
    in.children_birth_years = *years;
  else
    f.errors["children_birth_years"] = "validation.birth_year";
  for (const char* name :
       {"contact_name", "postcode", "house_number", "reason", "urgency", "consent_date",
        "other_care", "referrer_name", "referrer_organisation", "referrer_email", "referrer_phone",
        "languages", "children_birth_years"}) {
    f.values[name] = ctx.field(name);
  }
  f.values["consent"] = in.consent;
  return f;
}

nlohmann::json referral_form_data(const app::RequestContext& ctx, const nlohmann::json& values,
                                  const std::map<std::string, std::string>& errors) {
  // Domain errors name nested fields "referrer.email"; the form's fields are flat.
  std::map<std::string, std::string> flat;
  for (const auto& [field, key] : errors) {
    std::string name = field;
    if (name.rfind("referrer.", 0) == 0) name = "referrer_" + name.substr(9);
    flat[name] = key;
  }
  nlohmann::json v = values.is_object() ? values : nlohmann::json::object();
  if (!v.contains("urgency") || v["urgency"] == "") v["urgency"] = "normal";
  if (!v.contains("consent_date") || v["consent_date"] == "")
    v["consent_date"] = amsterdam_date(ctx.services.clock.now());
  Form form(v, flat);
  form.text("contact_name", "referral.field.contact_name",
            {.autocomplete = "off", .required = true, .maxlength = 200})
      .text("postcode", "referral.field.postcode",
            {.autocomplete = "off",
             .hint = "referral.hint.postcode",
             .width = "postal-code-nl-size",
             .required = true,
             .maxlength = 7})
      .text(
          "house_number", "referral.field.house_number",
          {.autocomplete = "off", .width = "house-number-size", .required = true, .maxlength = 10})
      .text(
          "children_birth_years", "referral.field.children_birth_years",
          {.inputmode = "numeric", .hint = "referral.hint.children_birth_years", .maxlength = 200})
      .text("languages", "referral.field.languages",
            {.hint = "referral.hint.languages", .maxlength = 100})
      .textarea("reason", "referral.field.reason",
                {.hint = "referral.hint.reason", .required = true, .maxlength = 4000, .rows = 6})
      .radios("urgency", "referral.field.urgency",
              {{"normal", "referral.urgency.normal"}, {"urgent", "referral.urgency.urgent"}},
              {.required = true})
      .textarea("other_care", "referral.field.other_care",
                {.hint = "referral.hint.other_care", .maxlength = 2000, .rows = 3})
      .text("referrer_name", "referral.field.referrer_name",
            {.autocomplete = "name", .required = true, .maxlength = 200})
      .text("referrer_organisation", "referral.field.referrer_organisation",
            {.autocomplete = "organization", .required = true, .maxlength = 200})
      .text("referrer_email", "referral.field.referrer_email",
            {.type = "email", .autocomplete = "email", .required = true, .maxlength = 254})
      .text("referrer_phone", "referral.field.referrer_phone",
            {.type = "tel", .autocomplete = "tel", .maxlength = 40})
      .checkbox("consent", "referral.field.consent",
                {.hint = "referral.hint.consent", .required = true})
      .text("consent_date", "referral.field.consent_date", {.type = "date", .required = true});
  return form.json();
}

}  // namespace oploop::web
