#include "matching/candidate_index.hpp"

#include <list>
#include <mutex>
#include <set>
#include <unordered_map>

#include "storage/versions.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::matching {
namespace {

constexpr std::size_t kMaxOrganisations = 64;

struct Entry {
  std::string versions;
  std::shared_ptr<const CandidateIndex> index;
  std::list<std::string>::iterator recent;  // position in Cache::recent
};

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, Entry> entries;  // by organisation id
  std::list<std::string> recent;                   // most recently used first
};

Cache& cache() {
  static Cache instance;
  return instance;
}

std::shared_ptr<const CandidateIndex> build(storage::Connection& c,
                                            const std::string& organisation_id) {
  auto index = std::make_shared<CandidateIndex>();
  index->volunteers = volunteers::candidates(c, organisation_id);
  std::set<std::string> pc4s;
  for (const auto& v : index->volunteers)
    if (v.postcode.size() >= 4) pc4s.insert(v.postcode.substr(0, 4));
  const auto areas = geo::areas_of(c, pc4s);
  index->profiles.reserve(index->volunteers.size());
  index->areas.reserve(index->volunteers.size());
  for (const auto& v : index->volunteers) {
    index->profiles.push_back(profile_of(v));
    std::optional<geo::Coordinates> area;
    if (v.postcode.size() >= 4)
      if (auto it = areas.find(v.postcode.substr(0, 4)); it != areas.end()) area = it->second;
    index->areas.push_back(area);
  }
  return index;
}

}  // namespace

std::shared_ptr<const CandidateIndex> candidate_index(storage::Connection& c,
                                                      const std::string& organisation_id) {
  // The versions first: data read after them is at least as new as they say.
  const std::string versions = storage::versions_of(
      c, {volunteers::candidates_scope(organisation_id), std::string(geo::kAreasScope)});
  Cache& k = cache();
  {
    std::lock_guard lock(k.mutex);
    if (auto it = k.entries.find(organisation_id);
        it != k.entries.end() && it->second.versions == versions) {
      k.recent.splice(k.recent.begin(), k.recent, it->second.recent);
      return it->second.index;
    }
  }
  // Built outside the lock: two requests may both build, and either result is right.
  auto index = build(c, organisation_id);
  std::lock_guard lock(k.mutex);
  if (auto it = k.entries.find(organisation_id); it != k.entries.end()) {
    it->second.versions = versions;
    it->second.index = index;
    k.recent.splice(k.recent.begin(), k.recent, it->second.recent);
  } else {
    k.recent.push_front(organisation_id);
    k.entries.emplace(organisation_id, Entry{versions, index, k.recent.begin()});
    if (k.entries.size() > kMaxOrganisations) {
      k.entries.erase(k.recent.back());
      k.recent.pop_back();
    }
  }
  return index;
}

}  // namespace oploop::matching
