#include "storage/versions.hpp"

#include <map>

#include "core/random.hpp"

namespace oploop::storage {

void bump_version(Connection& c, const std::string& scope) {
  c.execute(
      "INSERT INTO data_versions (scope, version) VALUES (?, ?) "
      "ON CONFLICT (scope) DO UPDATE SET version = excluded.version",
      {scope, new_id()});
}

std::string versions_of(Connection& c, const std::vector<std::string>& scopes) {
  if (scopes.empty()) return "";
  std::string sql = "SELECT scope, version FROM data_versions WHERE scope IN (?";
  std::vector<Value> params{scopes.front()};
  for (std::size_t i = 1; i < scopes.size(); ++i) {
    sql += ", ?";
    params.emplace_back(scopes[i]);
  }
  std::map<std::string, std::string> found;
  for (const auto& r : c.query(sql + ")", params)) found[r.text(0)] = r.text(1);
  std::string out;
  for (const auto& s : scopes) out += found[s] + "/";
  return out;
}

}  // namespace oploop::storage
