// Contact pages, made for a phone first: logging a contact (today, the usual duration and kind
// already filled in, so "Opslaan" is the only tap needed), a match's contacts (with the
// coordinator's "gezien" button and reply), and correcting a contact.
#include <charconv>

#include "app/app.hpp"
#include "auth/policy.hpp"
#include "contacts/contacts.hpp"
#include "core/text.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

using nlohmann::json;

std::vector<Choice> kind_choices() {
  std::vector<Choice> out;
  for (const auto& k : contacts::kinds()) out.push_back({k, "contact.kind." + k});
  return out;
}

std::vector<Choice> activity_choices() {
  std::vector<Choice> out;
  for (const auto& a : contacts::activity_codes()) out.push_back({a, "activity." + a});
  return out;
}

// The optional fields live in a fold-out; it is open when one of them holds something (or an
// error), so nothing the user typed is hidden.
bool more_open(const json& values, const std::vector<std::string>& activities,
               const std::map<std::string, std::string>& errors) {
  for (const char* f : {"time", "note", "outside_office_hours"})
    if (values.contains(f) && values[f].is_string() && !values[f].get<std::string>().empty())
      return true;
  for (const char* f : {"time", "note", "outside_office_hours", "activities"})
    if (errors.contains(f)) return true;
  return !activities.empty();
}

json contact_form(const json& values, const std::vector<std::string>& activities,
                  const std::map<std::string, std::string>& errors) {
  auto form =
      Form(values, errors, "contact-")
          .text("date", "contact.field.date", {.type = "date", .required = true})
          .text("minutes", "contact.field.minutes",
                {.inputmode = "numeric",
                 .hint = "contact.hint.minutes",
                 .required = true,
                 .maxlength = 3})
          .radios("kind", "contact.field.kind", kind_choices(), {.required = true})
          .text("time", "contact.field.time", {.type = "time", .hint = "contact.hint.time"})
          .checkbox("outside_office_hours", "contact.field.outside_office_hours",
                    {.hint = "contact.hint.outside_office_hours"})
          .checkboxes("activities", activity_choices(), activities)
          .textarea("note", "contact.field.note",
                    {.hint = "contact.hint.note", .maxlength = contacts::kNoteMaxLength, .rows = 4})
          .json();
  form["more_open"] = more_open(values, activities, errors);
  // The phone form stays short: the common activities first, the rarer life domains in a
  // fold-out of their own (open when one of them is ticked).
  const auto common = contacts::common_activity_codes().size();
  json all = form["fields"]["activities"];
  json first = json::array(), rest = json::array();
  bool rest_open = false;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i < common) {
      first.push_back(all[i]);
    } else {
      rest_open = rest_open || all[i].value("checked", false);
      rest.push_back(all[i]);
    }
  }
  form["fields"]["activities"] = first;
  form["fields"]["activities_more"] = rest;
  form["activities_more_open"] = rest_open;
  return form;
}

// Minutes as typed: "" is none; anything but a whole number is out of range for the domain.
std::optional<int> minutes_from(const std::string& typed) {
  const std::string s = text::trim(typed);
  if (s.empty()) return std::nullopt;
  int n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size()) return -1;
  return n;
}

contacts::ContactInput input_from(const app::RequestContext& ctx) {
  contacts::ContactInput in;
  in.status = ctx.field("status") == "draft" ? "draft" : "final";
  in.date = ctx.field("date");
  in.minutes = minutes_from(ctx.field("minutes"));
  in.kind = ctx.field("kind");
  in.time = ctx.field("time");
  in.outside_office_hours = !ctx.field("outside_office_hours").empty();
  in.activities = ctx.fields("activities");
  in.note = ctx.field("note");
  return in;
}

json typed_values(const app::RequestContext& ctx) {
  json v = json::object();
  for (const char* f : {"date", "minutes", "kind", "time", "outside_office_hours", "note"})
    v[f] = ctx.field(f);
  return v;
}

json match_view(const contacts::MatchSummary& m) {
  return {{"id", m.id},
          {"family_id", m.family_id},
          {"family_name", m.family_name},
          {"volunteer_name", m.volunteer_name},
          {"running", m.running}};
}

std::string back_href(const app::RequestContext& ctx, const std::string& match_id) {
  return ctx.principal->role == auth::Role::volunteer ? "/"
                                                      : "/koppelingen/" + match_id + "/contacten";
}

// --- a new contact ----------------------------------------------------------------------------

http::Response new_page(app::RequestContext& ctx, const contacts::ContactDefaults& d,
                        const json& values, const std::vector<std::string>& activities,
                        const std::map<std::string, std::string>& errors, int status) {
  json data = contact_form(values, activities, errors);
  data["match"] = match_view(d.match);
  data["form_action"] = "/koppelingen/" + d.match.id + "/contacten";
  data["cancel_href"] = back_href(ctx, d.match.id);
  data["can_draft"] = true;
  return page(ctx, "contacts/form", "contact.new_title", data, status);
}

http::Response new_form(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto d = contacts::contact_defaults(*conn, ctx.actor(), ctx.param("id"));
  if (!d) return error_page(ctx, d.error());
  return new_page(ctx, *d,
                  {{"date", d->date}, {"minutes", std::to_string(d->minutes)}, {"kind", d->kind}},
                  {}, {}, 200);
}

http::Response create(app::RequestContext& ctx) {
  const auto in = input_from(ctx);
  auto conn = ctx.services.db.acquire();
  auto created = contacts::log_contact(*conn, ctx.actor(), ctx.param("id"), in);
  if (!created) {
    if (created.error().kind != ErrorKind::invalid) return error_page(ctx, created.error());
    auto d = contacts::contact_defaults(*conn, ctx.actor(), ctx.param("id"));
    if (!d) return error_page(ctx, d.error());
    return new_page(ctx, *d, typed_values(ctx), in.activities, created.error().fields, 422);
  }
  flash(ctx, created->status == "draft" ? "contact.saved_draft" : "contact.saved");
  return http::Response::redirect(back_href(ctx, created->match_id));
}

// --- a match's contacts -----------------------------------------------------------------------

std::string activities_text(const app::RequestContext& ctx, const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& a : codes) out += (out.empty() ? "" : ", ") + t(ctx, "activity." + a);
  return out;
}

json contact_view(const app::RequestContext& ctx, const contacts::Contact& x,
                  const std::string& today) {
  const bool staff = ctx.principal->role != auth::Role::volunteer;
  return {{"id", x.id},
          {"date", display_date(x.date)},
          {"kind_label",
           x.kind.empty() ? t(ctx, "contact.kind.unknown") : t(ctx, "contact.kind." + x.kind)},
          {"minutes", x.minutes ? std::to_string(*x.minutes) : ""},
          {"time", x.time},
          {"outside_office_hours", x.outside_office_hours},
          {"activities", activities_text(ctx, x.activities)},
          {"note", x.note},
          {"draft", x.status == "draft"},
          {"created_by_name", x.created_by_name},
          {"seen", !x.seen_at.empty()},
          {"seen_by_name", x.seen_by_name},
          {"seen_on", x.seen_at.empty() ? "" : display_date(x.seen_at)},
          {"reply", x.reply},
          {"can_correct", contacts::may_correct(*ctx.principal, x, today)},
          {"can_mark_seen", staff && auth::allowed(*ctx.principal, auth::Action::contact_log)}};
}

// `seen_problem`: the contact whose reply was refused, with its errors and what was typed.
http::Response list_page(app::RequestContext& ctx, const std::string& match_id,
                         const std::string& cursor, const json& seen_problem, int status) {
  contacts::ContactFilter filter;
  filter.page.limit = 25;
  if (!cursor.empty()) filter.page.cursor = cursor;
  auto conn = ctx.services.db.acquire();
  auto result = contacts::list_contacts(*conn, ctx.actor(), match_id, filter);
  if (!result)
    return error_page(
        ctx, result.error().kind == ErrorKind::invalid ? Error::not_found() : result.error());
  const std::string today = amsterdam_date(ctx.services.clock.now());
  json items = json::array();
  for (const auto& x : result->page.items) {
    json item = contact_view(ctx, x, today);
    if (!result->match.running) item["can_mark_seen"] = false;
    std::map<std::string, std::string> errors;
    json values = {{"reply", x.reply}};
    if (seen_problem.value("id", "") == x.id) {
      for (auto& [k, v] : seen_problem["errors"].items()) errors[k] = v.get<std::string>();
      values["reply"] = seen_problem.value("reply", "");
    }
    item["seen_form"] =
        Form(values, errors, "seen-" + x.id + "-")
            .textarea(
                "reply", "contact.field.reply",
                {.hint = "contact.hint.reply", .maxlength = contacts::kReplyMaxLength, .rows = 2})
            .json();
    items.push_back(item);
  }
  json data = {{"match", match_view(result->match)},
               {"items", items},
               {"empty", items.empty()},
               {"can_log",
                auth::allowed(*ctx.principal, auth::Action::contact_log) && result->match.running},
               {"is_staff", ctx.principal->role != auth::Role::volunteer}};
  if (result->page.next_cursor)
    data["pagination"] = {{"next", "/koppelingen/" + match_id + "/contacten?cursor=" +
                                       http::percent_encode(*result->page.next_cursor)}};
  return page(ctx, "contacts/list", "contacts.title", data, status);
}

http::Response list(app::RequestContext& ctx) {
  std::string cursor;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "cursor") cursor = v;
  return list_page(ctx, ctx.param("id"), cursor, json::object(), 200);
}

http::Response mark_seen(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto x = contacts::mark_seen(*conn, ctx.actor(), ctx.param("id"), ctx.field("reply"));
  if (!x) {
    if (x.error().kind != ErrorKind::invalid) return error_page(ctx, x.error());
    // The reply was refused: the list again, with this contact's form showing why.
    auto contact = contacts::get_contact(*conn, ctx.actor(), ctx.param("id"));
    if (!contact) return error_page(ctx, contact.error());
    return list_page(
        ctx, contact->match_id, "",
        {{"id", contact->id}, {"errors", x.error().fields}, {"reply", ctx.field("reply")}}, 422);
  }
  flash(ctx, "contact.marked_seen");
  return http::Response::redirect("/koppelingen/" + x->match_id + "/contacten");
}

// --- correcting a contact ---------------------------------------------------------------------

http::Response edit_page(app::RequestContext& ctx, const contacts::Contact& x, const json& values,
                         const std::vector<std::string>& activities,
                         const std::map<std::string, std::string>& errors, int status) {
  json data = contact_form(values, activities, errors);
  data["editing"] = true;
  data["form_action"] = "/contacten/" + x.id;
  data["cancel_href"] = "/koppelingen/" + x.match_id + "/contacten";
  data["can_draft"] = x.status == "draft";
  return page(ctx, "contacts/form", "contact.edit_title", data, status);
}

http::Response edit_form(app::RequestContext& ctx) {
  auto conn = ctx.services.db.acquire();
  auto x = contacts::get_contact(*conn, ctx.actor(), ctx.param("id"));
  if (!x) return error_page(ctx, x.error());
  const std::string today = amsterdam_date(ctx.services.clock.now());
  if (!contacts::may_correct(*ctx.principal, *x, today))
    return error_page(ctx, ctx.principal->user_id == x->created_by
                               ? Error::conflict("contact.too_old_to_correct")
                               : Error::forbidden());
  return edit_page(ctx, *x,
                   {{"date", x->date},
                    {"minutes", x->minutes ? std::to_string(*x->minutes) : ""},
                    {"kind", x->kind},
                    {"time", x->time},
                    {"outside_office_hours", x->outside_office_hours ? "yes" : ""},
                    {"note", x->note}},
                   x->activities, {}, 200);
}

http::Response update(app::RequestContext& ctx) {
  const auto in = input_from(ctx);
  contacts::ContactPatch patch;
  patch.status = in.status;
  patch.date = in.date;
  patch.minutes = in.minutes;
  patch.kind = in.kind;
  patch.time = in.time;
  patch.outside_office_hours = in.outside_office_hours;
  patch.activities = in.activities;
  patch.note = in.note;
  auto conn = ctx.services.db.acquire();
  auto x = contacts::correct_contact(*conn, ctx.actor(), ctx.param("id"), patch);
  if (!x) {
    if (x.error().kind != ErrorKind::invalid) return error_page(ctx, x.error());
    auto current = contacts::get_contact(*conn, ctx.actor(), ctx.param("id"));
    if (!current) return error_page(ctx, current.error());
    return edit_page(ctx, *current, typed_values(ctx), in.activities, x.error().fields, 422);
  }
  flash(ctx, "contact.corrected");
  return http::Response::redirect("/koppelingen/" + x->match_id + "/contacten");
}

}  // namespace

void add_contact_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/koppelingen/{id}/contact/nieuw", Action::contact_log, new_form);
  router.add("GET", "/koppelingen/{id}/contacten", Action::contact_list, list);
  router.add("POST", "/koppelingen/{id}/contacten", Action::contact_log, create);
  router.add("GET", "/contacten/{id}/wijzigen", Action::contact_log, edit_form);
  router.add("POST", "/contacten/{id}", Action::contact_log, update);
  router.add("POST", "/contacten/{id}/gezien", Action::contact_log, mark_seen);
}

}  // namespace oploop::web
