// Building full pages: the layout data every page needs (language, signed-in user,
// navigation for the role, CSRF token for forms, a flash message) around a page template.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace oploop::web {

// Renders template `name` with `data` inside the layout. `title_key` is a catalogue key.
http::Response page(app::RequestContext& ctx, const std::string& name, const std::string& title_key,
                    nlohmann::json data, int status = 200);
// The generic error page (no internals; 500 shows the request id).
http::Response error_page(app::RequestContext& ctx, int status);
// A domain error on a page: 404/403/409/429 pages; 422 should be handled by the form itself.
http::Response error_page(app::RequestContext& ctx, const Error& error);
// Translates `key` in the page's language.
std::string t(const app::RequestContext& ctx, const std::string& key);
// A one-time message shown on the next page (stored in a short-lived cookie, no personal data).
void flash(app::RequestContext& ctx, const std::string& key);

}  // namespace oploop::web
