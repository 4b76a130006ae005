// The volunteer's part of the home page ("Vandaag" on a phone): a card per family of their
// running matches, with the day of the last contact and one big button to log a contact.
// Kept apart from home_page.cpp, whose staff part changes on its own.
#pragma once

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "storage/database.hpp"

namespace oploop::web {

// {"my_matches": [{match_id, family_id, family_name, last_contact, new_contact_href,
// raise_concern_href, contacts_href}], "has_family": bool} for
// templates/contacts/volunteer_home.mustache.
nlohmann::json volunteer_home(app::RequestContext& ctx, storage::Connection& c);

}  // namespace oploop::web
