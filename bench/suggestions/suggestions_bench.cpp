// Times matching::suggest() — the suggestions for one waiting family — among 15,000 volunteers
// on a fresh SQLite database, and prints the median and p95 next to the target (≤ 10 ms).
//
//   oploop_suggestions_bench [--volunteers N] [--areas A] [--runs R] [--seed S] [--keep]
//
// The database is built the way the application would hold it: migrated, one organisation
// with a team and a coordinator, A four-digit postcode areas around Utrecht, N volunteers with
// a realistic spread (status, screening dates with some VOGs lapsed, languages, skills,
// availability, gender, capacity, travel limit, postcodes over the areas and a few unknown),
// the matched ones with their open matches (and those matches' families), and one waiting
// family. suggest() runs as that coordinator, the access-log entry included, as the API would
// call it (limit 10). Prints a human line and one "BENCH_JSON {...}" line for bench/…/run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "families/families.hpp"
#include "matching/suggestions.hpp"
#include "organisations/organisations.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace oploop;
using nlohmann::json;

constexpr double kTargetMs = 10.0;

struct Options {
  int volunteers = 15000;
  int areas = 100;
  int runs = 50;
  unsigned seed = 1;
  bool keep = false;  // leave the database behind (its path is printed)
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "suggestions_bench: %s\nusage: oploop_suggestions_bench [--volunteers N] "
               "[--areas A] [--runs R] [--seed S] [--keep]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) usage("missing value");
    const int value = std::atoi(argv[++i]);
    if (flag == "--volunteers")
      o.volunteers = std::max(1, value);
    else if (flag == "--areas")
      o.areas = std::clamp(value, 1, 100);
    else if (flag == "--runs")
      o.runs = std::max(1, value);
    else if (flag == "--seed")
      o.seed = static_cast<unsigned>(value);
    else
      usage("unknown option");
  }
  return o;
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}
  double uniform(double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(rng_); }
  int between(int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(between(0, static_cast<int>(v.size()) - 1))];
  }
  // `n` different elements of `v`.
  std::vector<std::string> some(const std::vector<std::string>& v, int n) {
    std::vector<std::string> copy = v;
    std::shuffle(copy.begin(), copy.end(), rng_);
    copy.resize(static_cast<std::size_t>(std::min<int>(n, static_cast<int>(copy.size()))));
    return copy;
  }

 private:
  std::mt19937 rng_;
};

const std::vector<std::string> kDomains = {"finances",
                                           "housing",
                                           "parenting",
                                           "child_development",
                                           "social_network",
                                           "mental_wellbeing",
                                           "physical_health",
                                           "participation_work",
                                           "language_selfreliance"};
const std::vector<std::string> kOtherLanguages = {"en", "ar", "tr", "pl", "ti",
                                                  "so", "fa", "uk", "es", "fr"};

std::vector<std::string> all_slots() {
  std::vector<std::string> out;
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
    for (const char* part : {"morning", "afternoon", "evening"})
      out.push_back(std::string(day) + "_" + part);
  return out;
}

std::string date_days_ago(const std::string& today, int days) {
  const auto t = parse_rfc3339(today + "T12:00:00Z") - std::chrono::days(days);
  return to_date(t);
}

std::string letters(Generator& g) {
  std::string s;
  s += static_cast<char>('A' + g.between(0, 25));
  s += static_cast<char>('A' + g.between(0, 25));
  return s;
}

struct Built {
  std::string family_id;
  int candidates = 0;  // volunteers in screening, available or matched
  int matches = 0;
};

Built build(storage::Connection& c, const Clock& clock, const Options& o, Generator& g,
            const std::string& organisation_id, const std::string& team_id) {
  Built out;
  const std::string now = to_rfc3339(clock.now());
  const std::string today = to_date(clock.now());
  storage::Transaction tx(c);

  // Postcode areas 3500–3599 spread over about 22 × 27 km around Utrecht.
  std::vector<std::string> areas;
  for (int i = 0; i < o.areas; ++i) {
    const std::string pc4 = std::to_string(3500 + i);
    c.execute("INSERT INTO postcode_areas (pc4, latitude, longitude) VALUES (?, ?, ?)",
              {pc4, g.uniform(51.98, 52.18), g.uniform(4.95, 5.35)});
    areas.push_back(pc4);
  }
  auto postcode = [&] {
    // One in fifty lives in an area the list does not know (distance unknown).
    return (g.chance(0.02) ? std::string("9999") : g.pick(areas)) + letters(g);
  };

  const auto slots = all_slots();
  for (int i = 0; i < o.volunteers; ++i) {
    const double r = g.uniform(0, 1);
    const std::string status = r < 0.55   ? "available"
                               : r < 0.70 ? "matched"
                               : r < 0.82 ? "screening"
                               : r < 0.90 ? "paused"
                               : r < 0.95 ? "stopped"
                                          : "applicant";
    const bool screened = status != "screening" && status != "applicant";
    // Screened volunteers have every date; one in twenty of their VOGs has lapsed (3–4 years).
    std::string vog, training, code, intake;
    if (screened || g.chance(0.5))
      vog = date_days_ago(today, g.chance(0.05) ? g.between(1100, 1460) : g.between(10, 1000));
    if (screened || g.chance(0.4)) training = date_days_ago(today, g.between(10, 900));
    if (screened || g.chance(0.3)) code = date_days_ago(today, g.between(10, 900));
    intake = date_days_ago(today, g.between(30, 1200));
    std::vector<std::string> languages;
    if (g.chance(0.9)) languages.push_back("nl");
    for (const auto& l : g.some(kOtherLanguages, g.between(0, 2))) languages.push_back(l);
    const double gr = g.uniform(0, 1);
    const std::string gender = gr < 0.70 ? "female" : gr < 0.98 ? "male" : "";
    const int max_families = g.chance(0.6) ? 1 : g.chance(0.75) ? 2 : 3;
    const std::string id = new_id();
    c.execute(
        "INSERT INTO volunteers (id, organisation_id, team_id, status, stop_reason, first_name, "
        "last_name, email, phone, postcode, house_number, gender, languages, skills, "
        "availability, max_families, max_distance_km, preferences, intake_on, vog_issued_on, "
        "training_completed_on, code_signed_on, references_checked_on, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id,
         organisation_id,
         team_id,
         status,
         storage::null_if_empty(status == "stopped" ? "Verhuisd" : ""),
         "Vrijwilliger",
         "Nummer " + std::to_string(i),
         "v" + std::to_string(i) + "@bench.example",
         "06" + std::to_string(10000000 + i),
         postcode(),
         std::to_string(g.between(1, 200)),
         gender,
         json(languages).dump(),
         json(g.some(kDomains, g.between(1, 4))).dump(),
         json(g.some(slots, g.between(2, 8))).dump(),
         std::int64_t{max_families},
         std::int64_t{g.between(5, 20)},
         std::string(),
         storage::null_if_empty(intake),
         storage::null_if_empty(vog),
         storage::null_if_empty(training),
         storage::null_if_empty(code),
         storage::null_if_empty(screened ? intake : ""),
         now,
         now});
    if (status != "paused" && status != "stopped" && status != "applicant") ++out.candidates;
    if (status != "matched") continue;
    // A matched volunteer has 1..max open matches, each with its own (matched) family.
    const int open = g.between(1, max_families);
    for (int m = 0; m < open; ++m) {
      families::Family f;
      f.id = new_id();
      f.organisation_id = organisation_id;
      f.team_id = team_id;
      f.status = "matched";
      f.display_name = "Gezin " + std::to_string(out.matches);
      f.postcode = postcode();
      f.house_number = "1";
      f.languages = {"nl"};
      f.needs = g.some(kDomains, 2);
      f.waiting_since = date_days_ago(today, g.between(100, 700));
      f.created_at = f.updated_at = now;
      families::insert_family(c, f);
      c.execute(
          "INSERT INTO matches (id, organisation_id, team_id, family_id, volunteer_id, status, "
          "started_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)",
          {new_id(), organisation_id, team_id, f.id, id, date_days_ago(today, g.between(30, 600)),
           now, now});
      ++out.matches;
    }
  }

  // The family we look for volunteers for.
  families::Family f;
  f.id = new_id();
  f.organisation_id = organisation_id;
  f.team_id = team_id;
  f.status = "waiting";
  f.display_name = "Familie Wachtend";
  f.postcode = areas[areas.size() / 2] + "AB";
  f.house_number = "7";
  f.languages = {"nl", "ar"};
  f.needs = {"finances", "parenting", "social_network"};
  f.preferences.volunteer_gender = "female";
  f.preferences.availability = {"mon_evening", "wed_morning", "sat_morning"};
  f.waiting_since = date_days_ago(today, 40);
  f.created_at = f.updated_at = now;
  families::insert_family(c, f);
  out.family_id = f.id;
  tx.commit();
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double rank = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(rank);
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::string dir = (std::filesystem::temp_directory_path() / "oploop-bench-suggestions-XXXXXX");
  if (!::mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string url = "sqlite:" + dir + "/bench.db";
  int status = 0;
  try {
    SystemClock clock;
    auto db = storage::Database::open(url);
    storage::migrate(*db);
    auto conn = db->acquire();
    auto org = organisations::create_organisation(*conn, clock, "bench", "Benchmark");
    if (!org) throw std::runtime_error("could not create the organisation");
    auto team = organisations::create_team(*conn, clock, org->id, "Team Bench");
    if (!team) throw std::runtime_error("could not create the team");
    auto user = auth::create_user(*conn, clock,
                                  {org->id,
                                   auth::Role::coordinator,
                                   "coordinator@bench.example",
                                   "Coordinator",
                                   {team->id},
                                   std::nullopt});
    if (!user) throw std::runtime_error("could not create the coordinator");
    const auto principal = auth::load_principal(*conn, user->id);
    if (!principal) throw std::runtime_error("no principal");

    Generator g(o.seed);
    const auto setup_start = std::chrono::steady_clock::now();
    const Built built = build(*conn, clock, o, g, org->id, team->id);
    const double setup_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();

    const auth::Actor actor{*principal, "127.0.0.1", clock};
    std::size_t items = 0, near_misses = 0;
    auto once = [&] {
      const auto start = std::chrono::steady_clock::now();
      auto result = matching::suggest(*conn, actor, built.family_id, 10);
      const auto stop = std::chrono::steady_clock::now();
      if (!result) throw std::runtime_error("suggest failed: " + result.error().message);
      items = result->items.size();
      near_misses = result->near_misses.size();
      return std::chrono::duration<double, std::milli>(stop - start).count();
    };
    for (int i = 0; i < 3; ++i) once();  // warm the page cache and the statement paths
    std::vector<double> ms;
    for (int i = 0; i < o.runs; ++i) ms.push_back(once());

    const double median = percentile(ms, 0.5), p95 = percentile(ms, 0.95);
    const bool met = p95 <= kTargetMs;
    std::printf(
        "suggestions for 1 family among %d volunteers (%d candidates, %d open matches; "
        "%zu suggestions, %zu near misses), %d runs:\n"
        "  median %.2f ms, p95 %.2f ms, min %.2f ms, max %.2f ms  (target <= %.0f ms: %s)\n",
        o.volunteers, built.candidates, built.matches, items, near_misses, o.runs, median, p95,
        *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()), kTargetMs,
        met ? "met" : "MISSED");
    std::printf("  (database built in %.1f s%s%s)\n", setup_s, o.keep ? ", kept at " : "",
                o.keep ? url.c_str() : "");
    std::printf("BENCH_JSON %s\n", json({{"volunteers", o.volunteers},
                                         {"candidates", built.candidates},
                                         {"open_matches", built.matches},
                                         {"areas", o.areas},
                                         {"suggestions", items},
                                         {"near_misses", near_misses},
                                         {"runs", o.runs},
                                         {"median_ms", median},
                                         {"p95_ms", p95},
                                         {"target_ms", kTargetMs},
                                         {"met", met}})
                                       .dump()
                                       .c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "suggestions_bench: %s\n", e.what());
    status = 1;
  }
  if (!o.keep) std::filesystem::remove_all(dir);
  return status;
}
