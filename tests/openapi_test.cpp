// SPEC §4: the JSON API is described by an OpenAPI 3.1 document at /api/v1/openapi.json. The
// document must describe exactly the routes the server has: every /api/v1 route under
// `paths` (relative to servers[0].url) with its method and its path parameters, and every
// $ref pointing at something inside the document.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <regex>
#include <set>

#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::vector<std::string> path_params(const std::string& path) {
  std::vector<std::string> out;
  static const std::regex kParam(R"(\{([^}]+)\})");
  for (auto it = std::sregex_iterator(path.begin(), path.end(), kParam);
       it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

class OpenApi : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>("sqlite");
    auto r = app_->anonymous()->get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200) << r.body;
    content_type_ = r.header("Content-Type").value_or("");
    doc_ = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc_.is_discarded()) << "not valid JSON";
  }
  std::unique_ptr<TestApp> app_;
  std::string content_type_;
  json doc_;
};

TEST_F(OpenApi, IsAnOpenApi31DocumentServedAsJson) {
  EXPECT_EQ(content_type_.rfind("application/json", 0), 0u) << content_type_;
  ASSERT_TRUE(doc_.is_object());
  EXPECT_EQ(doc_["openapi"], "3.1.0");
  ASSERT_TRUE(doc_["info"].is_object());
  EXPECT_TRUE(doc_["info"]["title"].is_string());
  EXPECT_TRUE(doc_["info"]["version"].is_string());
  ASSERT_TRUE(doc_["servers"].is_array());
  ASSERT_FALSE(doc_["servers"].empty());
  EXPECT_EQ(doc_["servers"][0]["url"], "/api/v1");
  ASSERT_TRUE(doc_["paths"].is_object());
}

TEST_F(OpenApi, EveryApiRouteIsDescribedWithItsMethodAndParameters) {
  const std::string prefix = doc_["servers"][0]["url"];
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& route : app_->app().router().routes()) {
    if (route.pattern.rfind(prefix + "/", 0) != 0) continue;
    const std::string path = route.pattern.substr(prefix.size());
    const std::string method = lower(route.method);
    routes.insert({path, method});
    SCOPED_TRACE(route.method + " " + route.pattern);
    ASSERT_TRUE(doc_["paths"].contains(path)) << "path missing: " << path;
    const auto& item = doc_["paths"][path];
    ASSERT_TRUE(item.contains(method)) << "method missing";
    const auto& op = item[method];
    ASSERT_TRUE(op.is_object());
    EXPECT_TRUE(op.contains("responses") && op["responses"].is_object() &&
                !op["responses"].empty());
    // Every {param} is declared as a required path parameter (on the operation or the path).
    for (const auto& name : path_params(path)) {
      bool declared = false;
      for (const json* params : {&op, &item}) {
        if (!params->contains("parameters")) continue;
        for (const auto& p : (*params)["parameters"])
          if (p.value("name", "") == name && p.value("in", "") == "path" &&
              p.value("required", false))
            declared = true;
      }
      EXPECT_TRUE(declared) << "path parameter {" << name << "} not declared";
    }
    // And no path parameter is declared that the path does not have.
    if (op.contains("parameters")) {
      const auto names = path_params(path);
      for (const auto& p : op["parameters"]) {
        if (p.value("in", "") == "path") {
          EXPECT_NE(std::find(names.begin(), names.end(), p.value("name", "")), names.end())
              << p.dump();
        }
      }
    }
  }
  EXPECT_GE(routes.size(), 17u);
  // Nothing described that does not exist.
  static const std::set<std::string> kMethods = {"get",   "put",     "post", "delete",
                                                 "patch", "options", "head", "trace"};
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (!kMethods.contains(method)) continue;
      EXPECT_TRUE(routes.contains({path, method}))
          << method << " " << path << " is described but not served";
    }
  }
}

TEST_F(OpenApi, EveryRefResolvesInsideTheDocument) {
  int refs = 0;
  std::function<void(const json&, const std::string&)> walk = [&](const json& node,
                                                                  const std::string& where) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        ++refs;
        ASSERT_TRUE(node["$ref"].is_string()) << where;
        const std::string ref = node["$ref"];
        ASSERT_EQ(ref.rfind("#/", 0), 0u) << where << ": " << ref << " points outside";
        const json::json_pointer pointer(ref.substr(1));
        EXPECT_TRUE(doc_.contains(pointer)) << where << ": " << ref << " does not resolve";
      }
      for (const auto& [k, v] : node.items()) walk(v, where + "/" + k);
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], where + "/" + std::to_string(i));
    }
  };
  walk(doc_, "");
  EXPECT_GT(refs, 10);
}

TEST_F(OpenApi, OperationIdsAreUnique) {
  std::set<std::string> ids;
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (op.is_object() && op.contains("operationId")) {
        EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second)
            << op["operationId"] << " twice";
      }
    }
  }
}

}  // namespace
}  // namespace oploop::testing
