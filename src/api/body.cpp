#include "api/body.hpp"

#include <charconv>

namespace oploop::api {

Result<nlohmann::json> json_body(const app::RequestContext& ctx) {
  if (ctx.request.body.empty()) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(ctx.request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return fail(Error::bad_request("error.json_malformed"));
  if (!parsed.is_object()) return fail(Error::bad_request("error.json_object"));
  return parsed;
}

std::string Reader::string(const char* field) {
  if (!has(field)) return {};
  const auto& v = o_.at(field);
  if (!v.is_string()) {
    error(field, "validation.type_string");
    return {};
  }
  return v.get<std::string>();
}

std::optional<std::string> Reader::optional_string(const char* field) {
  if (!has(field)) return std::nullopt;
  return string(field);
}

bool Reader::boolean(const char* field) {
  if (!has(field)) return false;
  const auto& v = o_.at(field);
  if (!v.is_boolean()) {
    error(field, "validation.type_boolean");
    return false;
  }
  return v.get<bool>();
}

std::vector<int> Reader::int_list(const char* field) {
  std::vector<int> out;
  if (!has(field)) return out;
  const auto& v = o_.at(field);
  if (!v.is_array()) {
    error(field, "validation.type_array");
    return out;
  }
  for (const auto& x : v) {
    if (!x.is_number_integer() || x.get<long long>() < -100000 || x.get<long long>() > 100000) {
      error(field, "validation.type_integer");
      return {};
    }
    out.push_back(x.get<int>());
  }
  return out;
}

std::vector<std::string> Reader::string_list(const char* field) {
  std::vector<std::string> out;
  if (!has(field)) return out;
  const auto& v = o_.at(field);
  if (!v.is_array()) {
    error(field, "validation.type_array");
    return out;
  }
  for (const auto& x : v) {
    if (!x.is_string()) {
      error(field, "validation.type_string");
      return {};
    }
    out.push_back(x.get<std::string>());
  }
  return out;
}

const nlohmann::json* Reader::object(const char* field) {
  if (!has(field)) return nullptr;
  if (!o_.at(field).is_object()) {
    error(field, "validation.type_object");
    return nullptr;
  }
  return &o_.at(field);
}

const nlohmann::json* Reader::array(const char* field) {
  if (!has(field)) return nullptr;
  if (!o_.at(field).is_array()) {
    error(field, "validation.type_array");
    return nullptr;
  }
  return &o_.at(field);
}

Result<std::map<std::string, std::string>> query_params(const app::RequestContext& ctx) {
  auto parsed = http::parse_query(ctx.request.query);
  if (!parsed) return fail(Error::bad_request());
  std::map<std::string, std::string> out;
  for (auto& [k, v] : *parsed) {
    if (!out.emplace(k, v).second) return fail(Error::bad_request("error.duplicate_parameter"));
  }
  return out;
}

Result<PageRequest> page_request(const std::map<std::string, std::string>& query) {
  PageRequest page;
  if (auto it = query.find("limit"); it != query.end()) {
    int limit = 0;
    auto [ptr, ec] =
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), limit);
    if (ec != std::errc() || ptr != it->second.data() + it->second.size() || limit < 1 ||
        limit > 200)
      return fail(Error::invalid({{"limit", "validation.limit"}}));
    page.limit = limit;
  }
  if (auto it = query.find("cursor"); it != query.end() && !it->second.empty())
    page.cursor = it->second;
  return page;
}

}  // namespace oploop::api
