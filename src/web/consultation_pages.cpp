// A family's partner consultations (/gezinnen/{id}/overleg): what was discussed with which
// agency, newest first, and a form to add one. Staff only. The family page links here through
// the partial coordination/family_link.
#include "app/app.hpp"
#include "auth/policy.hpp"
#include "coordination/partner_consultations.hpp"
#include "families/families.hpp"
#include "web/form.hpp"
#include "web/page.hpp"
#include "web/view_models.hpp"

namespace oploop::web {
namespace {

std::vector<Choice> partner_choices() {
  std::vector<Choice> out;
  for (const auto& k : coordination::partner_kinds())
    out.push_back({k, "coordination.partner." + k});
  return out;
}

http::Response consultations_page(app::RequestContext& ctx, const nlohmann::json& values,
                                  const std::map<std::string, std::string>& errors, int status) {
  const std::string family_id = ctx.param("id");
  PageRequest request;
  request.limit = 50;
  for (const auto& [k, v] : http::parse_query(ctx.request.query).value_or(http::Params{}))
    if (k == "cursor" && !v.empty()) request.cursor = v;
  auto conn = ctx.services.db.acquire();
  // The consultations first: they decide whether this family exists for the caller (404/403).
  auto list = coordination::family_consultations(*conn, ctx.actor(), family_id, request);
  if (!list)
    return error_page(ctx,
                      list.error().kind == ErrorKind::invalid ? Error::not_found() : list.error());
  auto family = families::get_family(*conn, ctx.actor(), family_id);
  if (!family) return error_page(ctx, family.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : list->items)
    items.push_back({{"date", display_date(p.date)},
                     {"partner_kind", t(ctx, "coordination.partner." + p.partner_kind)},
                     {"partner_name", p.partner_name},
                     {"summary", p.summary},
                     {"by", p.created_by_name}});
  nlohmann::json form_values = values;
  if (!form_values.contains("date")) form_values["date"] = amsterdam_date(ctx.services.clock.now());
  auto data =
      Form(form_values, errors)
          .select("partner_kind", "coordination.consultation.field.partner_kind", partner_choices(),
                  {.required = true})
          .text("partner_name", "coordination.consultation.field.partner_name",
                {.autocomplete = "off", .required = true, .maxlength = 200})
          .text("date", "coordination.consultation.field.date", {.type = "date", .required = true})
          .textarea("summary", "coordination.consultation.field.summary",
                    {.hint = "coordination.consultation.hint.summary",
                     .required = true,
                     .maxlength = 4000,
                     .rows = 6})
          .json();
  data["family"] = {{"id", family->id}, {"display_name", family->display_name}};
  data["items"] = items;
  data["empty"] = items.empty();
  data["can_manage"] = auth::allowed(*ctx.principal, auth::Action::partner_consultation_manage);
  if (list->next_cursor)
    data["next_href"] =
        "/gezinnen/" + family_id + "/overleg?cursor=" + http::percent_encode(*list->next_cursor);
  return page(ctx, "coordination/consultations", "coordination.consultations.title", data, status);
}

http::Response show(app::RequestContext& ctx) {
  return consultations_page(ctx, nlohmann::json::object(), {}, 200);
}

http::Response create(app::RequestContext& ctx) {
  coordination::ConsultationInput in{ctx.param("id"), ctx.field("partner_kind"),
                                     ctx.field("partner_name"), ctx.field("date"),
                                     ctx.field("summary")};
  auto conn = ctx.services.db.acquire();
  auto created = coordination::record_consultation(*conn, ctx.actor(), in);
  if (!created) {
    const auto& e = created.error();
    // The family is in the address, not a field: an unknown one is a missing page.
    if (e.kind != ErrorKind::invalid || e.fields.contains("family_id"))
      return error_page(ctx, e.kind == ErrorKind::invalid ? Error::not_found() : e);
    return consultations_page(ctx,
                              {{"partner_kind", in.partner_kind},
                               {"partner_name", in.partner_name},
                               {"date", in.date},
                               {"summary", in.summary}},
                              e.fields, 422);
  }
  flash(ctx, "coordination.consultation.saved");
  return http::Response::redirect("/gezinnen/" + in.family_id + "/overleg");
}

}  // namespace

void add_consultation_pages(app::AppRouter& router) {
  using auth::Action;
  router.add("GET", "/gezinnen/{id}/overleg", Action::partner_consultation_list, show);
  router.add("POST", "/gezinnen/{id}/overleg", Action::partner_consultation_manage, create);
}

}  // namespace oploop::web
