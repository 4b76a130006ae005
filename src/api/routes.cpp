// Every API route, and the OpenAPI 3.1 document generated from them: the paths come from
// the router itself (so the document describes exactly what exists), the descriptions and
// schemas from data/openapi/api.json and the module parts data/openapi/parts/*.json (each
// {"operations": {...}, "schemas": {...}}, so that a module's API is described beside it).
#include <algorithm>
#include <filesystem>
#include <mutex>

#include "api/handler.hpp"
#include "app/app.hpp"
#include "core/resources.hpp"

namespace oploop::api {

void add_referral_routes(app::AppRouter& router);
void add_family_routes(app::AppRouter& router);
void add_me_routes(app::AppRouter& router);
void add_audit_routes(app::AppRouter& router);
void add_volunteer_routes(app::AppRouter& router);
void add_match_routes(app::AppRouter& router);
void add_contact_routes(app::AppRouter& router);
void add_coordination_routes(app::AppRouter& router);
void add_report_routes(app::AppRouter& router);
void add_concern_routes(app::AppRouter& router);
void add_savings_routes(app::AppRouter& router);
void add_measurement_routes(app::AppRouter& router);

namespace {

// api.json with every part's operations and schemas merged in (a name in two files is an error).
nlohmann::json read_spec() {
  namespace fs = std::filesystem;
  auto spec = nlohmann::json::parse(read_text_file(resource_path("data/openapi/api.json")));
  std::vector<fs::path> parts;
  if (fs::is_directory(resource_path("data/openapi/parts")))
    for (const auto& entry : fs::directory_iterator(resource_path("data/openapi/parts")))
      if (entry.path().extension() == ".json") parts.push_back(entry.path());
  std::sort(parts.begin(), parts.end());
  auto merge = [](nlohmann::json& into, const nlohmann::json& from, const fs::path& file) {
    for (const auto& [name, value] : from.items()) {
      if (into.contains(name))
        throw std::runtime_error("openapi: " + name + " of " + file.string() + " is not new");
      into[name] = value;
    }
  };
  for (const auto& file : parts) {
    const auto part = nlohmann::json::parse(read_text_file(file));
    merge(spec["operations"], part.value("operations", nlohmann::json::object()), file);
    merge(spec["document"]["components"]["schemas"],
          part.value("schemas", nlohmann::json::object()), file);
  }
  return spec;
}

}  // namespace

nlohmann::json openapi_document(const app::AppRouter& router) {
  const auto spec = read_spec();
  nlohmann::json doc = spec.at("document");
  const auto& operations = spec.at("operations");
  doc["paths"] = nlohmann::json::object();
  for (const auto& route : router.routes()) {
    if (route.pattern.rfind("/api/v1/", 0) != 0) continue;
    const std::string path = route.pattern.substr(7);  // servers: [{url: /api/v1}]
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string key = route.method + " " + route.pattern;
    nlohmann::json op = operations.contains(key) ? operations.at(key) : nlohmann::json::object();
    if (!op.contains("summary")) op["summary"] = key;
    op["x-oploop-action"] = std::string(auth::to_string(route.action));
    nlohmann::json params = op.value("parameters", nlohmann::json::array());
    for (std::size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1)) {
      const auto end = path.find('}', at);
      params.push_back({{"name", path.substr(at + 1, end - at - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!op.contains("responses"))
      op["responses"] = {{"default", {{"$ref", "#/components/responses/Problem"}}}};
    doc["paths"][path][method] = op;
  }
  return doc;
}

void add_api_routes(app::AppRouter& router) {
  add_me_routes(router);
  add_referral_routes(router);
  add_family_routes(router);
  add_audit_routes(router);
  add_volunteer_routes(router);
  add_match_routes(router);
  add_contact_routes(router);
  add_coordination_routes(router);
  add_report_routes(router);
  add_concern_routes(router);
  add_savings_routes(router);
  add_measurement_routes(router);
  router.add("GET", "/api/v1/openapi.json", auth::Action::public_access,
             [&router](app::RequestContext&) {
               static std::once_flag once;
               static std::string body;
               std::call_once(once, [&] { body = openapi_document(router).dump(2); });
               auto res = http::Response::text(200, body, "application/json; charset=utf-8");
               res.set_header("Cache-Control", "public, max-age=300");
               return res;
             });
}

}  // namespace oploop::api

namespace oploop::app {
void add_api_routes(AppRouter& router) { api::add_api_routes(router); }
}  // namespace oploop::app
