// Reading JSON request bodies and query strings for the API. Type mistakes become field
// errors (422), malformed JSON a 400; unknown fields are ignored (never mass-assigned: the
// adapters copy only the fields they name).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/page.hpp"
#include "core/result.hpp"

namespace oploop::api {

// The body as a JSON object; an empty body is an empty object.
Result<nlohmann::json> json_body(const app::RequestContext& ctx);

class Reader {
 public:
  explicit Reader(const nlohmann::json& object) : o_(object) {}
  bool has(const char* field) const { return o_.contains(field) && !o_.at(field).is_null(); }
  std::string string(const char* field);
  std::optional<std::string> optional_string(const char* field);
  bool boolean(const char* field);
  std::vector<int> int_list(const char* field);
  std::vector<std::string> string_list(const char* field);
  const nlohmann::json* object(const char* field);
  const nlohmann::json* array(const char* field);
  void error(const std::string& field, const std::string& key) { errors_.emplace(field, key); }
  std::map<std::string, std::string>& errors() { return errors_; }

 private:
  const nlohmann::json& o_;
  std::map<std::string, std::string> errors_;
};

// Query parameters; duplicates are refused (400) so a parameter means one thing.
Result<std::map<std::string, std::string>> query_params(const app::RequestContext& ctx);
// ?limit=&cursor= (limit 1..200, default 50).
Result<PageRequest> page_request(const std::map<std::string, std::string>& query);

}  // namespace oploop::api
