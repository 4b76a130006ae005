// What a route handler gets: the request, its path parameters, who is asking, and the
// application's services. Shared by the web and API adapters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "auth/actor.hpp"
#include "auth/principal.hpp"
#include "auth/secret_box.hpp"
#include "auth/sessions.hpp"
#include "core/clock.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace oploop::app {

struct Services {
  storage::Database& db;
  const Clock& clock;
  const auth::SecretBox& secret_box;
  const Config& config;
};

struct RequestContext {
  http::Request& request;
  http::PathParams params;
  Services services;
  std::optional<auth::Session> session;      // any stage
  std::optional<auth::Principal> principal;  // only when fully signed in
  std::string language = "nl";
  std::string csrf_token;                // for forms on this page
  std::vector<std::string> set_cookies;  // added to the response by the dispatcher
  std::optional<http::Params> form;      // parsed urlencoded body, when it is one

  auth::Actor actor() const { return {*principal, request.remote_ip, services.clock}; }
  const std::string& param(const std::string& name) const { return params.at(name); }
  // Starts a session cookie (or clears it when raw_id is empty).
  void set_session_cookie(const std::string& raw_id);
  // The first value of a form field ("" when absent).
  std::string field(const std::string& name) const;
  bool has_field(const std::string& name) const;
  std::vector<std::string> fields(const std::string& name) const;  // every value (checkboxes)
};

}  // namespace oploop::app
