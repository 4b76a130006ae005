// SPEC §6: "policy written as one table in code, and a test that fails when a route has no
// policy". Walks every route of the real application: each route's action has a row in the
// policy table; a route without sign-in is on the explicit list of public routes below; an
// anonymous request to any other route is refused; and for the API lists, every role gets
// exactly what the table says (200 or 403), anonymous 401.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "auth/policy.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using auth::Action;

// Routes that need no account, by design. Adding a public route means adding it here, on
// purpose, in review.
const std::set<std::pair<std::string, std::string>>& public_routes() {
  static const std::set<std::pair<std::string, std::string>> kPublic = {
      // Signing in and recovering a password.
      {"GET", "/inloggen"},
      {"POST", "/inloggen"},
      {"GET", "/wachtwoord/vergeten"},
      {"POST", "/wachtwoord/vergeten"},
      {"GET", "/wachtwoord/herstel/{token}"},
      {"POST", "/wachtwoord/herstel/{token}"},
      // Choosing the language before signing in.
      {"POST", "/taal"},
      // The referrer's public form (SPEC §1: no account).
      {"GET", "/aanmelden/{slug}"},
      {"POST", "/aanmelden/{slug}"},
      {"GET", "/aanmelden/{slug}/bedankt"},
      // Operations.
      {"GET", "/healthz"},
      {"GET", "/readyz"},
      {"GET", "/metrics"},
      // The API's own description.
      {"GET", "/api/v1/openapi.json"},
  };
  return kPublic;
}

const std::vector<std::string>& role_keys() {
  static const std::vector<std::string> kKeys = {"volunteer", "coordinator", "project_lead",
                                                 "foundation", "admin"};
  return kKeys;
}

// "/api/v1/referrals/{id}/accept" → "/api/v1/referrals/x0000000000000000000000000/accept"
std::string concrete(const std::string& pattern) {
  static const std::regex kParam(R"(\{[^}]+\})");
  return std::regex_replace(pattern, kParam, "x0000000000000000000000000");
}

class Policy : public ::testing::Test {
 protected:
  void SetUp() override { app_ = std::make_unique<TestApp>("sqlite"); }
  std::unique_ptr<TestApp> app_;
};

TEST_F(Policy, EveryRouteHasAPolicyEntry) {
  const auto& routes = app_->app().router().routes();
  ASSERT_GT(routes.size(), 20u);
  for (const auto& route : routes) {
    EXPECT_TRUE(auth::has_entry(route.action))
        << route.method << " " << route.pattern << " uses action " << auth::to_string(route.action)
        << ", which has no row in the policy table";
    EXPECT_NE(auth::to_string(route.action), "unknown") << route.method << " " << route.pattern;
  }
}

TEST_F(Policy, HasEntryIsNotTriviallyTrue) {
  // An action the table does not know must be reported as missing, or the test above could
  // never fail.
  EXPECT_FALSE(auth::has_entry(static_cast<Action>(9999)));
  auth::Principal p;
  for (auto role : {auth::Role::volunteer, auth::Role::coordinator, auth::Role::project_lead,
                    auth::Role::foundation, auth::Role::admin}) {
    p.role = role;
    EXPECT_FALSE(auth::allowed(p, static_cast<Action>(9999)));
  }
}

TEST_F(Policy, OnlyTheListedRoutesArePublic) {
  std::set<std::pair<std::string, std::string>> seen_public;
  for (const auto& route : app_->app().router().routes()) {
    if (route.action != Action::public_access) continue;
    seen_public.insert({route.method, route.pattern});
    EXPECT_TRUE(public_routes().contains({route.method, route.pattern}))
        << route.method << " " << route.pattern
        << " needs no sign-in but is not on the list of public routes";
  }
  // The operational and sign-in routes must stay reachable without an account.
  for (const auto& must :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/inloggen"},
                                                        {"POST", "/inloggen"},
                                                        {"GET", "/healthz"},
                                                        {"GET", "/readyz"},
                                                        {"GET", "/api/v1/openapi.json"},
                                                        {"GET", "/aanmelden/{slug}"},
                                                        {"POST", "/aanmelden/{slug}"}})
    EXPECT_TRUE(seen_public.contains(must)) << must.first << " " << must.second;
}

TEST_F(Policy, AnonymousRequestsToEveryOtherRouteAreRefused) {
  auto anonymous = app_->anonymous();
  for (const auto& route : app_->app().router().routes()) {
    if (route.action == Action::public_access) continue;
    const std::string path = concrete(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    const bool api = path.rfind("/api/", 0) == 0;
    auto r = anonymous->request(
        route.method, path, route.method == "GET" ? "" : (api ? "{}" : "a=b"),
        {{"Content-Type", api ? "application/json" : "application/x-www-form-urlencoded"}});
    if (api) {
      EXPECT_EQ(r.status, 401) << r.body;
    } else {
      EXPECT_EQ(r.status, 303) << r.body;
      EXPECT_EQ(r.header("Location").value_or(""), "/inloggen");
    }
  }
}

TEST_F(Policy, ApiListsAnswerEachRoleAsTheTableSays) {
  int checked = 0;
  for (const auto& route : app_->app().router().routes()) {
    if (route.method != "GET" || route.pattern.rfind("/api/v1/", 0) != 0 ||
        route.pattern.find('{') != std::string::npos)
      continue;
    SCOPED_TRACE(route.pattern);
    for (const auto& key : role_keys()) {
      const auto& user = app_->a.users.at(key);
      auth::Principal p;
      p.role = user.role;
      const int expected = auth::allowed(p, route.action) ? 200 : 403;
      auto r = app_->client_as(app_->a, key)->get(route.pattern);
      EXPECT_EQ(r.status, expected) << key << ": " << r.body;
      ++checked;
    }
    const int anonymous_expected = route.action == Action::public_access ? 200 : 401;
    EXPECT_EQ(app_->anonymous()->get(route.pattern).status, anonymous_expected);
  }
  // /me, /me/tokens, /referrals, /families, /audit, /openapi.json at least.
  EXPECT_GE(checked, 6 * static_cast<int>(role_keys().size()));
}

}  // namespace
}  // namespace oploop::testing
