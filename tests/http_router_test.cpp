// Route matching: literal and captured segments, one spelling per path, 405 with Allow, HEAD.
#include <gtest/gtest.h>

#include "http/router.hpp"

namespace oploop::http {
namespace {

using auth::Action;

struct Ctx {
  PathParams params;
};

Response ok(Ctx&) { return Response::text(200, "ok"); }

bool matches(const std::string& pattern, const std::string& path, PathParams* params = nullptr) {
  PathParams out;
  bool m = match_pattern(split_path(pattern), path, out);
  if (params) {
    *params = out;
  }
  return m;
}

TEST(SplitPath, KeepsEmptySegmentsSoTheyCanBeRefused) {
  EXPECT_EQ(split_path("/"), std::vector<std::string>{});
  EXPECT_EQ(split_path("/a/b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_path("/a/"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(split_path("//"), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(split_path("/api/v1/families/{id}"),
            (std::vector<std::string>{"api", "v1", "families", "{id}"}));
}

TEST(MatchPattern, LiteralSegmentsMatchExactly) {
  EXPECT_TRUE(matches("/", "/"));
  EXPECT_TRUE(matches("/login", "/login"));
  EXPECT_FALSE(matches("/login", "/Login"));
  EXPECT_FALSE(matches("/login", "/login/x"));
  EXPECT_FALSE(matches("/login/x", "/login"));
  EXPECT_FALSE(matches("/", "/login"));
}

TEST(MatchPattern, CapturesOneNonEmptySegment) {
  PathParams params;
  ASSERT_TRUE(matches("/api/v1/families/{id}", "/api/v1/families/abc123", &params));
  EXPECT_EQ(params.at("id"), "abc123");
  ASSERT_TRUE(matches("/families/{id}/contacts/{contact}", "/families/f1/contacts/c2", &params));
  EXPECT_EQ(params.at("id"), "f1");
  EXPECT_EQ(params.at("contact"), "c2");
  EXPECT_FALSE(matches("/families/{id}", "/families/"));
  EXPECT_FALSE(matches("/families/{id}", "/families/a/b"));
  ASSERT_TRUE(matches("/families/{id}", "/families/é ü", &params));  // already decoded
  EXPECT_EQ(params.at("id"), "é ü");
}

TEST(MatchPattern, TrailingSlashAndEmptySegmentsNeverMatch) {
  EXPECT_FALSE(matches("/a", "/a/"));
  EXPECT_FALSE(matches("/a/b", "/a//b"));
  EXPECT_FALSE(matches("/a/{x}", "/a//"));
  EXPECT_FALSE(matches("/", "//"));
  EXPECT_FALSE(matches("/", ""));
  EXPECT_FALSE(matches("/a", "a"));
}

TEST(MatchPattern, LeavesParamsUntouchedOnMismatch) {
  PathParams params{{"keep", "me"}};
  EXPECT_FALSE(match_pattern(split_path("/a/{id}/b"), "/a/1/c", params));
  EXPECT_EQ(params.size(), 1u);
  EXPECT_EQ(params.at("keep"), "me");
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/families", Action::family_list, ok);
    router.add("POST", "/families", Action::family_update, ok);
    router.add("GET", "/families/{id}", Action::family_read, ok);
    router.add("PUT", "/families/{id}", Action::family_update, ok);
    router.add("GET", "/families/new", Action::family_update, ok);  // after {id}: shadowed
  }
  Router<Ctx> router;
};

TEST_F(RouterTest, FindsTheFirstMatchingRouteWithItsParams) {
  auto m = router.match("GET", "/families/42");
  ASSERT_EQ(m.kind, MatchOutcome::found);
  EXPECT_EQ(router.routes()[m.index].pattern, "/families/{id}");
  EXPECT_EQ(router.routes()[m.index].action, Action::family_read);
  EXPECT_EQ(m.params.at("id"), "42");
  // Registration order decides: "/families/new" was added after "/families/{id}".
  EXPECT_EQ(router.routes()[router.match("GET", "/families/new").index].pattern, "/families/{id}");
}

TEST_F(RouterTest, WrongMethodIs405WithTheAllowedMethods) {
  auto m = router.match("DELETE", "/families/42");
  EXPECT_EQ(m.kind, MatchOutcome::method_not_allowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "PUT"}));
  auto c = router.match("PATCH", "/families");
  EXPECT_EQ(c.kind, MatchOutcome::method_not_allowed);
  EXPECT_EQ(c.allowed, (std::vector<std::string>{"GET", "POST"}));
}

TEST_F(RouterTest, HeadIsServedByGet) {
  auto m = router.match("HEAD", "/families/7");
  ASSERT_EQ(m.kind, MatchOutcome::found);
  EXPECT_EQ(router.routes()[m.index].method, "GET");
}

TEST_F(RouterTest, UnknownPathsAndOtherSpellingsAre404) {
  EXPECT_EQ(router.match("GET", "/nope").kind, MatchOutcome::not_found);
  EXPECT_EQ(router.match("GET", "/families/").kind, MatchOutcome::not_found);
  EXPECT_EQ(router.match("GET", "//families").kind, MatchOutcome::not_found);
  EXPECT_EQ(router.match("GET", "/families/1/").kind, MatchOutcome::not_found);
}

TEST_F(RouterTest, EveryRouteCarriesItsPatternSegments) {
  for (const auto& route : router.routes()) {
    EXPECT_EQ(route.segments, split_path(route.pattern));
  }
  EXPECT_EQ(router.routes().size(), 5u);
}

}  // namespace
}  // namespace oploop::http
