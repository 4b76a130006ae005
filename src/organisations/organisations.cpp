#include "organisations/organisations.hpp"

#include <regex>

#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::organisations {
namespace {

Organisation organisation_from(const storage::Row& r) {
  return {r.text(0), r.text(1), r.text(2), static_cast<int>(r.integer(3)),
          static_cast<int>(r.integer(4))};
}
constexpr const char* kOrgColumns =
    "SELECT id, slug, name, retention_months, vog_validity_years FROM organisations ";

}  // namespace

Result<Organisation> create_organisation(storage::Connection& c, const Clock& clock,
                                         const std::string& slug, const std::string& name) {
  std::map<std::string, std::string> errors;
  static const std::regex kSlug("^[a-z][a-z0-9-]{1,39}$");
  if (!std::regex_match(slug, kSlug)) errors["slug"] = "validation.slug";
  const std::string clean_name = text::trim(name);
  if (clean_name.empty())
    errors["name"] = "validation.required";
  else if (text::length(clean_name) > 200)
    errors["name"] = "validation.too_long";
  if (!errors.empty()) return fail(Error::invalid(errors));

  storage::Transaction tx(c);
  if (find_by_slug(c, slug)) return fail(Error::conflict("organisation.slug_taken"));
  Organisation o{new_id(), slug, clean_name, 24, 3};
  c.execute("INSERT INTO organisations (id, slug, name, created_at) VALUES (?, ?, ?, ?)",
            {o.id, o.slug, o.name, to_rfc3339(clock.now())});
  tx.commit();
  return o;
}

std::optional<Organisation> find_by_slug(storage::Connection& c, const std::string& slug) {
  auto row = c.query_one(std::string(kOrgColumns) + "WHERE slug = ?", {slug});
  if (!row) return std::nullopt;
  return organisation_from(*row);
}

std::optional<Organisation> find_by_id(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kOrgColumns) + "WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return organisation_from(*row);
}

Result<Team> create_team(storage::Connection& c, const Clock& clock,
                         const std::string& organisation_id, const std::string& name) {
  const std::string clean = text::trim(name);
  if (clean.empty()) return fail(Error::invalid({{"name", "validation.required"}}));
  if (text::length(clean) > 120) return fail(Error::invalid({{"name", "validation.too_long"}}));
  storage::Transaction tx(c);
  if (find_team(c, organisation_id, clean)) return fail(Error::conflict("team.name_taken"));
  Team t{new_id(), organisation_id, clean};
  c.execute("INSERT INTO teams (id, organisation_id, name, created_at) VALUES (?, ?, ?, ?)",
            {t.id, t.organisation_id, t.name, to_rfc3339(clock.now())});
  tx.commit();
  return t;
}

std::optional<Team> find_team(storage::Connection& c, const std::string& organisation_id,
                              const std::string& name) {
  auto row = c.query_one(
      "SELECT id, organisation_id, name FROM teams WHERE organisation_id = ? AND name = ?",
      {organisation_id, name});
  if (!row) return std::nullopt;
  return Team{row->text(0), row->text(1), row->text(2)};
}

std::optional<Team> find_team_by_id(storage::Connection& c, const std::string& team_id) {
  auto row = c.query_one("SELECT id, organisation_id, name FROM teams WHERE id = ?", {team_id});
  if (!row) return std::nullopt;
  return Team{row->text(0), row->text(1), row->text(2)};
}

std::vector<Team> list_teams(storage::Connection& c, const std::string& organisation_id) {
  std::vector<Team> out;
  for (const auto& r : c.query(
           "SELECT id, organisation_id, name FROM teams WHERE organisation_id = ? ORDER BY name",
           {organisation_id})) {
    out.push_back({r.text(0), r.text(1), r.text(2)});
  }
  return out;
}

}  // namespace oploop::organisations
