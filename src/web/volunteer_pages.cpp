// Volunteer pages: the list with filters, registering a volunteer, and a volunteer's page with
// the screening checklist (what is missing), eligibility, lifecycle actions and matches.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "core/text.hpp"
#include "families/family.hpp"
#include "i18n/catalogue.hpp"
#include "matches/matches.hpp"
#include "organisations/organisations.hpp"
#include "referrals/referral.hpp"
#include "volunteers/volunteers.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

const std::vector<std::string> kStatuses = {"applicant", "screening", "available",
                                            "matched",   "paused",    "stopped"};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

nlohmann::json volunteer_view(const app::RequestContext& ctx, const volunteers::Volunteer& v) {
  const std::string today = amsterdam_date(ctx.services.clock.now());
  nlohmann::json blockers = nlohmann::json::array();
  for (const auto& b : volunteers::blockers(v, today)) {
    std::map<std::string, std::string> args;
    if (!b.date.empty()) args["date"] = format_date_nl(b.date);
    blockers.push_back(i18n::Catalogue::instance().text(ctx.language, b.message, args));
  }
  nlohmann::json skills = nlohmann::json::array();
  for (const auto& s : v.skills) skills.push_back(t(ctx, "domain." + s));
  nlohmann::json availability = nlohmann::json::array();
  for (const auto& s : v.availability) availability.push_back(t(ctx, "slot." + s));
  return {{"id", v.id},
          {"name", v.first_name + " " + v.last_name},
          {"status", v.status},
          {"status_label", t(ctx, "volunteer.status." + v.status)},
          {"email", v.email},
          {"phone", v.phone},
          {"address",
           v.postcode.empty() ? "" : text::display_postcode(v.postcode) + " " + v.house_number},
          {"languages", language_list(ctx, v.languages)},
          {"skills", skills},
          {"availability", availability},
          {"gender", t(ctx, "volunteer.gender." + (v.gender.empty() ? "unknown" : v.gender))},
          {"preferences", v.preferences},
          {"max_families", v.max_families},
          {"max_distance_km", v.max_distance_km},
          {"open_matches", v.open_matches},
          {"eligible", blockers.empty()},
          {"blockers", blockers},
          {"vog_valid_until", v.vog_valid_until.empty() ? "" : display_date(v.vog_valid_until)},
          {"vog_lapsing", volunteers::vog_lapsing(v, today)},
          {"stop_reason", v.stop_reason}};
}

http::Response list(app::RequestContext& ctx) {
  volunteers::VolunteerFilter filter;
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{})) {
    if (v.empty()) continue;
    if (k == "status") filter.status = v;
    if (k == "language") filter.language = v;
    if (k == "team") filter.team_id = v;
    if (k == "cursor") filter.page.cursor = v;
    if (k != "cursor") values[k] = v;
  }
  filter.page.limit = 50;
  auto conn = ctx.services.db.acquire();
  auto result = volunteers::list_volunteers(*conn, ctx.actor(), filter);
  std::map<std::string, std::string> errors;
  if (!result && result.error().kind == ErrorKind::invalid) {
    errors = result.error().fields;
    result = volunteers::list_volunteers(*conn, ctx.actor(), {});
  }
  if (!result) return error_page(ctx, result.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& v : result->items) items.push_back(volunteer_view(ctx, v));
  std::vector<Choice> statuses{{"", "volunteers.filter.any"}};
  for (const auto& s : kStatuses) statuses.push_back({s, "volunteer.status." + s});
  std::vector<Choice> teams{{"", "volunteers.filter.any"}};
  for (const auto& team : organisations::list_teams(*conn, ctx.principal->organisation_id))
    teams.push_back({team.id, team.name});
  auto data = Form(values, errors, "filter-")
                  .select("status", "volunteers.filter.status", statuses)
                  .text("language", "volunteers.filter.language",
                        {.hint = "volunteers.filter.language_hint",
                         .width = "house-number-size",
                         .maxlength = 2})
                  .select("team", "volunteers.filter.team", teams)
                  .json();
  data["items"] = items;
  data["empty"] = items.empty();
  if (result->next_cursor) {
    std::string q;
    for (auto& [k, v] : values.items())
      q += k + "=" + http::percent_encode(v.get<std::string>()) + "&";
    data["next_href"] =
        "/vrijwilligers?" + q + "cursor=" + http::percent_encode(*result->next_cursor);
  }
  return page(ctx, "volunteers/list", "volunteers.title", data);
}

std::vector<Choice> domain_choices() {
  std::vector<Choice> out;
  for (const auto& d : families::life_domains()) out.push_back({d, "domain." + d});
  return out;
}

std::vector<Choice> slot_choices() {
  std::vector<Choice> out;
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
    for (const char* part : {"morning", "afternoon", "evening"})
      out.push_back({std::string(day) + "_" + part, std::string("slot.") + day + "_" + part});
  return out;
}

nlohmann::json profile_form(const nlohmann::json& values,
                            const std::map<std::string, std::string>& errors,
                            const std::vector<std::string>& skills,
                            const std::vector<std::string>& availability) {
  return Form(values, errors)
      .text("first_name", "volunteer.field.first_name",
            {.autocomplete = "off", .required = true, .maxlength = 100})
      .text("last_name", "volunteer.field.last_name",
            {.autocomplete = "off", .required = true, .maxlength = 100})
      .text("email", "volunteer.field.email",
            {.type = "email", .autocomplete = "off", .maxlength = 254})
      .text("phone", "volunteer.field.phone", {.type = "tel", .maxlength = 40})
      .text("postcode", "volunteer.field.postcode",
            {.hint = "referral.hint.postcode", .width = "postal-code-nl-size", .maxlength = 7})
      .text("house_number", "volunteer.field.house_number",
            {.width = "house-number-size", .maxlength = 10})
      .select("gender", "volunteer.field.gender",
              {{"", "volunteer.gender.unknown"},
               {"female", "volunteer.gender.female"},
               {"male", "volunteer.gender.male"},
               {"other", "volunteer.gender.other"}})
      .text("languages", "volunteer.field.languages",
            {.hint = "referral.hint.languages", .maxlength = 100})
      .checkboxes("skills", domain_choices(), skills)
      .checkboxes("availability", slot_choices(), availability)
      .select("max_families", "volunteer.field.max_families", {{"1", "1"}, {"2", "2"}, {"3", "3"}},
              {.required = true})
      .text("max_distance_km", "volunteer.field.max_distance_km",
            {.type = "number",
             .inputmode = "numeric",
             .width = "house-number-size",
             .required = true})
      .textarea("preferences", "volunteer.field.preferences", {.maxlength = 2000, .rows = 3})
      .json();
}

http::Response new_form(app::RequestContext& ctx) {
  return page(ctx, "volunteers/new", "volunteers.new_title",
              profile_form({{"max_families", "1"}, {"max_distance_km", "10"}}, {}, {}, {}));
}

// What the shared profile form needs to edit rather than create.
nlohmann::json editing(const std::string& volunteer_id) {
  return {{"editing", true},
          {"form_action", "/vrijwilligers/" + volunteer_id + "/bewerken"},
          {"cancel_href", "/vrijwilligers/" + volunteer_id}};
}

int number_or(const std::string& s, int fallback) {
  try {
    return std::stoi(s);
  } catch (const std::exception&) {
    return fallback;
  }
}

const char* const kProfileFields[] = {"first_name",   "last_name",       "email",      "phone",
                                      "postcode",     "house_number",    "gender",     "languages",
                                      "max_families", "max_distance_km", "preferences"};

// The profile as the form sent it.
volunteers::VolunteerInput profile_from(const app::RequestContext& ctx) {
  volunteers::VolunteerInput in;
  in.first_name = ctx.field("first_name");
  in.last_name = ctx.field("last_name");
  in.email = ctx.field("email");
  in.phone = ctx.field("phone");
  in.postcode = ctx.field("postcode");
  in.house_number = ctx.field("house_number");
  in.gender = ctx.field("gender");
  in.languages = referrals::parse_code_list(ctx.field("languages"));
  in.skills = ctx.fields("skills");
  in.availability = ctx.fields("availability");
  in.max_families = number_or(ctx.field("max_families"), 0);
  in.max_distance_km = number_or(ctx.field("max_distance_km"), 0);
  in.preferences = ctx.field("preferences");
  return in;
}

// The form again with what was sent and the errors (422).
http::Response profile_errors(app::RequestContext& ctx, const volunteers::VolunteerInput& in,
                              const Error& error, const std::string& volunteer_id) {
  nlohmann::json values;
  for (const char* f : kProfileFields) values[f] = ctx.field(f);
  auto data = profile_form(values, error.fields, in.skills, in.availability);
  if (!volunteer_id.empty()) data.update(editing(volunteer_id));
  return page(ctx, "volunteers/new",
              volunteer_id.empty() ? "volunteers.new_title" : "volunteers.edit_title", data, 422);
}

http::Response create(app::RequestContext& ctx) {
  const auto in = profile_from(ctx);
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::create_volunteer(*conn, ctx.actor(), in);
  if (!v) {
    if (v.error().kind != ErrorKind::invalid) return error_page(ctx, v.error());
    return profile_errors(ctx, in, v.error(), "");
  }
  flash(ctx, "volunteer.created");
  return http::Response::redirect("/vrijwilligers/" + v->id);
}

http::Response edit_form(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::get_volunteer(*conn, ctx.actor(), ctx.param("id"));
  if (!v) return error_page(ctx, v.error());
  auto data = profile_form({{"first_name", v->first_name},
                            {"last_name", v->last_name},
                            {"email", v->email},
                            {"phone", v->phone},
                            {"postcode", text::display_postcode(v->postcode)},
                            {"house_number", v->house_number},
                            {"gender", v->gender},
                            {"languages", join(v->languages)},
                            {"max_families", std::to_string(v->max_families)},
                            {"max_distance_km", std::to_string(v->max_distance_km)},
                            {"preferences", v->preferences}},
                           {}, v->skills, v->availability);
  data.update(editing(v->id));
  return page(ctx, "volunteers/new", "volunteers.edit_title", data);
}

http::Response update(app::RequestContext& ctx) {
  const auto in = profile_from(ctx);
  volunteers::VolunteerPatch patch;
  patch.first_name = in.first_name;
  patch.last_name = in.last_name;
  patch.email = in.email;
  patch.phone = in.phone;
  patch.postcode = in.postcode;
  patch.house_number = in.house_number;
  patch.gender = in.gender;
  patch.preferences = in.preferences;
  patch.languages = in.languages;
  patch.skills = in.skills;
  patch.availability = in.availability;
  patch.max_families = in.max_families;
  patch.max_distance_km = in.max_distance_km;
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::update_volunteer(*conn, ctx.actor(), ctx.param("id"), patch);
  if (!v) {
    if (v.error().kind != ErrorKind::invalid) return error_page(ctx, v.error());
    return profile_errors(ctx, in, v.error(), ctx.param("id"));
  }
  flash(ctx, "volunteer.updated");
  return http::Response::redirect("/vrijwilligers/" + v->id);
}

nlohmann::json screening_form(const volunteers::Volunteer& v, const nlohmann::json& values,
                              const std::map<std::string, std::string>& errors) {
  nlohmann::json vals = values;
  if (vals.empty()) {
    const auto& s = v.screening;
    vals = {{"intake_on", s.intake_on},
            {"vog_issued_on", s.vog_issued_on},
            {"training_completed_on", s.training_completed_on},
            {"code_signed_on", s.code_signed_on},
            {"references_checked_on", s.references_checked_on}};
  }
  Form form(vals, errors, "screening-");
  for (const char* f : {"intake_on", "vog_issued_on", "training_completed_on", "code_signed_on",
                        "references_checked_on"})
    form.text(f, std::string("screening.") + f, {.type = "date"});
  return form.json();
}

http::Response show_with(app::RequestContext& ctx, int status, const nlohmann::json& extra) {
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::get_volunteer(*conn, ctx.actor(), ctx.param("id"));
  if (!v) return error_page(ctx, v.error());
  nlohmann::json checklist = nlohmann::json::array();
  const auto& s = v->screening;
  for (auto [key, date] : {std::pair{"intake_on", s.intake_on},
                           {"vog_issued_on", s.vog_issued_on},
                           {"training_completed_on", s.training_completed_on},
                           {"code_signed_on", s.code_signed_on},
                           {"references_checked_on", s.references_checked_on}})
    checklist.push_back({{"label", t(ctx, std::string("screening.") + key)},
                         {"done", !date.empty()},
                         {"date", date.empty() ? "" : display_date(date)}});
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& to : kStatuses)
    if (volunteers::may_move(v->status, to) && to != "stopped")
      actions.push_back({{"to", to}, {"label", t(ctx, "volunteer.to." + to)}});
  nlohmann::json match_items = nlohmann::json::array();
  matches::MatchFilter filter;
  filter.volunteer_id = v->id;
  if (auto page_ = matches::list_matches(*conn, ctx.actor(), filter))
    for (const auto& m : page_->items)
      match_items.push_back({{"id", m.id},
                             {"family_name", m.family_name},
                             {"status_label", t(ctx, "match.status." + m.status)}});
  nlohmann::json data = {
      {"volunteer", volunteer_view(ctx, *v)},
      {"checklist", checklist},
      {"can_manage", auth::allowed(*ctx.principal, auth::Action::volunteer_manage)},
      {"actions", actions},
      {"can_stop", volunteers::may_move(v->status, "stopped")},
      {"matches", match_items},
      {"has_matches", !match_items.empty()},
      {"screening_form",
       screening_form(*v, extra.value("screening_values", nlohmann::json::object()),
                      extra.contains("screening_errors")
                          ? extra["screening_errors"].get<std::map<std::string, std::string>>()
                          : std::map<std::string, std::string>{})},
      {"stop_form", Form(extra.value("stop_values", nlohmann::json::object()),
                         extra.contains("stop_errors")
                             ? extra["stop_errors"].get<std::map<std::string, std::string>>()
                             : std::map<std::string, std::string>{},
                         "stop-")
                        .textarea("reason", "volunteer.field.stop_reason",
                                  {.required = true, .maxlength = 2000, .rows = 2})
                        .json()}};
  if (extra.contains("problem")) data["problem"] = extra["problem"];
  return page(ctx, "volunteers/show", "volunteer.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return show_with(ctx, 200, nlohmann::json::object());
}

http::Response screening(app::RequestContext& ctx) {
  std::map<std::string, std::string> dates;
  nlohmann::json values;
  for (const char* f : {"intake_on", "vog_issued_on", "training_completed_on", "code_signed_on",
                        "references_checked_on"}) {
    if (!ctx.has_field(f)) continue;
    dates[f] = ctx.field(f);
    values[f] = ctx.field(f);
  }
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::update_screening(*conn, ctx.actor(), ctx.param("id"), dates);
  if (!v) {
    if (v.error().kind != ErrorKind::invalid) return error_page(ctx, v.error());
    return show_with(ctx, 422,
                     {{"screening_values", values}, {"screening_errors", v.error().fields}});
  }
  flash(ctx, "volunteer.screening_saved");
  return http::Response::redirect("/vrijwilligers/" + v->id);
}

http::Response transition(app::RequestContext& ctx) {
  const std::string to = ctx.field("to");
  auto conn = ctx.services.db.acquire();
  auto v = volunteers::transition_volunteer(*conn, ctx.actor(), ctx.param("id"), to,
                                            ctx.field("reason"));
  if (!v) {
    const auto& e = v.error();
    if (e.kind == ErrorKind::invalid && to == "stopped")
      return show_with(
          ctx, 422,
          {{"stop_errors", e.fields}, {"stop_values", {{"reason", ctx.field("reason")}}}});
    if (e.kind == ErrorKind::conflict || e.kind == ErrorKind::invalid)
      return show_with(
          ctx, 409,
          {{"problem", t(ctx, e.kind == ErrorKind::conflict ? e.message : "error.invalid")}});
    return error_page(ctx, e);
  }
  flash(ctx, "volunteer.status_changed");
  return http::Response::redirect("/vrijwilligers/" + v->id);
}

}  // namespace

void add_volunteer_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/vrijwilligers", Action::volunteer_list, list);
  router.add("GET", "/vrijwilligers/nieuw", Action::volunteer_manage, new_form);
  router.add("POST", "/vrijwilligers", Action::volunteer_manage, create);
  router.add("GET", "/vrijwilligers/{id}", Action::volunteer_read, show);
  router.add("GET", "/vrijwilligers/{id}/bewerken", Action::volunteer_manage, edit_form);
  router.add("POST", "/vrijwilligers/{id}/bewerken", Action::volunteer_manage, update);
  router.add("POST", "/vrijwilligers/{id}/screening", Action::volunteer_manage, screening);
  router.add("POST", "/vrijwilligers/{id}/status", Action::volunteer_manage, transition);
}

}  // namespace oploop::web
