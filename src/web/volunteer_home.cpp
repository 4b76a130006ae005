#include "web/volunteer_home.hpp"

#include "contacts/contacts.hpp"
#include "web/view_models.hpp"

namespace oploop::web {

nlohmann::json volunteer_home(app::RequestContext& ctx, storage::Connection& c) {
  nlohmann::json items = nlohmann::json::array();
  if (auto mine = contacts::own_matches(c, ctx.actor()))
    for (const auto& o : *mine)
      items.push_back(
          {{"match_id", o.match.id},
           {"family_id", o.match.family_id},
           {"family_name", o.match.family_name},
           {"last_contact", o.last_contact_date.empty() ? "" : display_date(o.last_contact_date)},
           {"new_contact_href", "/koppelingen/" + o.match.id + "/contact/nieuw"},
           {"raise_concern_href", "/koppelingen/" + o.match.id + "/signaal/nieuw"},
           {"contacts_href", "/koppelingen/" + o.match.id + "/contacten"}});
  return {{"my_matches", items}, {"has_family", !items.empty()}};
}

}  // namespace oploop::web
