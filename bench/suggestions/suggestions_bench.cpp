// Times matching::suggest() — the suggestions for one waiting family — among 15,000 volunteers
// on a fresh SQLite database, and prints the median and p95 next to the target (≤ 10 ms); then
// matching::make_plan() — the matching plan — for 2,000 waiting families × 2,000 eligible
// volunteers of a second organisation, end to end (queries, scoring, optimiser, access log),
// next to its target (≤ 1 s). With --write-plan FILE the plan's instance is written in the
// format of tests/support/scipy_reference.py, so that bench/suggestions/run can time SciPy on
// the very same matrix.
//
//   oploop_suggestions_bench [--volunteers N] [--areas A] [--runs R] [--seed S] [--keep]
//                            [--plan-families F] [--plan-volunteers V] [--write-plan FILE]
//
// The first suggestions request of an organisation builds its candidate index (reported as
// "first"); later ones reuse it until a write changes a candidate.
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
#include "matching/plan.hpp"
#include "matching/suggestions.hpp"
#include "organisations/organisations.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace oploop;
using nlohmann::json;

constexpr double kTargetMs = 10.0;
constexpr double kPlanTargetMs = 1000.0;

struct Options {
  int volunteers = 15000;
  int areas = 100;
  int runs = 50;
  unsigned seed = 1;
  bool keep = false;  // leave the database behind (its path is printed)
  int plan_families = 2000;
  int plan_volunteers = 2000;
  std::string write_plan;  // where to write the plan's instance for SciPy ("" = nowhere)
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "suggestions_bench: %s\nusage: oploop_suggestions_bench [--volunteers N] "
               "[--areas A] [--runs R] [--seed S] [--keep] [--plan-families F] "
               "[--plan-volunteers V] [--write-plan FILE]\n",
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
    if (flag == "--write-plan") {
      o.write_plan = argv[++i];
      continue;
    }
    const int value = std::atoi(argv[++i]);
    if (flag == "--volunteers")
      o.volunteers = std::max(1, value);
    else if (flag == "--areas")
      o.areas = std::clamp(value, 1, 100);
    else if (flag == "--runs")
      o.runs = std::max(1, value);
    else if (flag == "--plan-families")
      o.plan_families = std::max(0, value);
    else if (flag == "--plan-volunteers")
      o.plan_volunteers = std::max(0, value);
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

struct VolunteerRow {
  std::string organisation_id, team_id, status;
  int number;
  std::string postcode, gender;
  std::vector<std::string> languages, skills, availability;
  int max_families, max_distance_km;
  std::string intake, vog, training, code, references, now;
};

std::string insert_volunteer(storage::Connection& c, const VolunteerRow& v) {
  const std::string id = new_id();
  c.execute(
      "INSERT INTO volunteers (id, organisation_id, team_id, status, stop_reason, first_name, "
      "last_name, email, phone, postcode, house_number, gender, languages, skills, "
      "availability, max_families, max_distance_km, preferences, intake_on, vog_issued_on, "
      "training_completed_on, code_signed_on, references_checked_on, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id,
       v.organisation_id,
       v.team_id,
       v.status,
       storage::null_if_empty(v.status == "stopped" ? "Verhuisd" : ""),
       "Vrijwilliger",
       "Nummer " + std::to_string(v.number),
       "v" + std::to_string(v.number) + "@bench.example",
       "06" + std::to_string(10000000 + v.number),
       v.postcode,
       std::to_string(1 + v.number % 200),
       v.gender,
       json(v.languages).dump(),
       json(v.skills).dump(),
       json(v.availability).dump(),
       std::int64_t{v.max_families},
       std::int64_t{v.max_distance_km},
       std::string(),
       storage::null_if_empty(v.intake),
       storage::null_if_empty(v.vog),
       storage::null_if_empty(v.training),
       storage::null_if_empty(v.code),
       storage::null_if_empty(v.references),
       v.now,
       v.now});
  return id;
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
    const std::string id = insert_volunteer(
        c, {organisation_id, team_id, status, i, postcode(), gender, languages,
            g.some(kDomains, g.between(1, 4)), g.some(slots, g.between(2, 8)), max_families,
            g.between(5, 20), intake, vog, training, code, screened ? intake : "", now});
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

// The plan's organisation: `plan_families` waiting families and `plan_volunteers` eligible
// (available, screened) volunteers with 1–3 places, over the same postcode areas.
void build_plan(storage::Connection& c, const Clock& clock, const Options& o, Generator& g,
                const std::string& organisation_id, const std::string& team_id) {
  const std::string now = to_rfc3339(clock.now());
  const std::string today = to_date(clock.now());
  storage::Transaction tx(c);
  std::vector<std::string> areas;
  for (int i = 0; i < o.areas; ++i) areas.push_back(std::to_string(3500 + i));
  const auto slots = all_slots();
  for (int i = 0; i < o.plan_volunteers; ++i) {
    std::vector<std::string> languages{"nl"};
    for (const auto& l : g.some(kOtherLanguages, g.between(0, 2))) languages.push_back(l);
    const std::string screened_on = date_days_ago(today, g.between(10, 900));
    insert_volunteer(
        c, {organisation_id, team_id, "available", i, g.pick(areas) + letters(g),
            g.chance(0.7) ? "female" : "male", languages, g.some(kDomains, g.between(1, 4)),
            g.some(slots, g.between(2, 8)), g.between(1, 3), g.between(5, 20), screened_on,
            screened_on, screened_on, screened_on, screened_on, now});
  }
  for (int i = 0; i < o.plan_families; ++i) {
    families::Family f;
    f.id = new_id();
    f.organisation_id = organisation_id;
    f.team_id = team_id;
    f.status = "waiting";
    f.display_name = "Familie " + std::to_string(i);
    f.postcode = g.pick(areas) + letters(g);
    f.house_number = "1";
    f.languages = {g.chance(0.6) ? "nl" : g.pick(kOtherLanguages)};
    f.needs = g.some(kDomains, g.between(1, 3));
    f.preferences.volunteer_gender = g.chance(0.2) ? "female" : "";
    f.preferences.availability = g.some(slots, g.between(0, 3));
    f.waiting_since = date_days_ago(today, g.between(1, 300));
    f.created_at = f.updated_at = now;
    families::insert_family(c, f);
  }
  tx.commit();
}

// The instance in the format tests/support/scipy_reference.py reads.
void write_instance(const std::string& path, const matching::AssignmentProblem& p) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + path);
  const std::int32_t shape[2] = {p.families, p.volunteers};
  std::fwrite(shape, sizeof shape, 1, out);
  for (int cap : p.capacity) {
    const std::int32_t c32 = cap;
    std::fwrite(&c32, sizeof c32, 1, out);
  }
  std::fwrite(p.score.data(), sizeof(double), p.score.size(), out);
  std::fclose(out);
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
    const double first_ms = once();      // builds the organisation's candidate index
    for (int i = 0; i < 2; ++i) once();  // warm the page cache and the statement paths
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
    std::printf("  first request (candidate index built) %.2f ms\n", first_ms);

    // The plan, in an organisation of its own.
    auto plan_org = organisations::create_organisation(*conn, clock, "plan", "Plan");
    if (!plan_org) throw std::runtime_error("could not create the plan organisation");
    auto plan_team = organisations::create_team(*conn, clock, plan_org->id, "Team Plan");
    if (!plan_team) throw std::runtime_error("could not create the plan team");
    auto plan_user = auth::create_user(*conn, clock,
                                       {plan_org->id,
                                        auth::Role::coordinator,
                                        "coordinator@plan.example",
                                        "Coordinator",
                                        {plan_team->id},
                                        std::nullopt});
    if (!plan_user) throw std::runtime_error("could not create the plan coordinator");
    const auto plan_principal = auth::load_principal(*conn, plan_user->id);
    if (!plan_principal) throw std::runtime_error("no plan principal");
    build_plan(*conn, clock, o, g, plan_org->id, plan_team->id);
    const auth::Actor plan_actor{*plan_principal, "127.0.0.1", clock};
    matching::AssignmentProblem problem;
    matching::Plan plan;
    auto plan_once = [&] {
      const auto start = std::chrono::steady_clock::now();
      auto result = matching::make_plan(*conn, plan_actor, std::nullopt, std::nullopt, &problem);
      const auto stop = std::chrono::steady_clock::now();
      if (!result) throw std::runtime_error("make_plan failed: " + result.error().message);
      plan = *result;
      return std::chrono::duration<double, std::milli>(stop - start).count();
    };
    const double plan_first_ms = plan_once();
    std::vector<double> plan_ms;
    for (int i = 0; i < 3; ++i) plan_ms.push_back(plan_once());
    const double plan_median = percentile(plan_ms, 0.5);
    const bool plan_met = plan_first_ms <= kPlanTargetMs && plan_median <= kPlanTargetMs;
    int places = 0;
    for (int cap : problem.capacity) places += cap;
    std::printf(
        "plan for %d waiting families x %d eligible volunteers (%d places), end to end:\n"
        "  first %.0f ms (candidate index built), then median %.0f ms of 3  (target <= %.0f ms: "
        "%s)\n  %zu families assigned, total score %d\n",
        plan.families_considered, plan.volunteers_considered, places, plan_first_ms, plan_median,
        kPlanTargetMs, plan_met ? "met" : "MISSED", plan.assignments.size(), plan.total_score);
    if (!o.write_plan.empty()) write_instance(o.write_plan, problem);
    std::printf("  (suggestions data built in %.1f s%s%s)\n", setup_s, o.keep ? ", kept at " : "",
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
                                         {"first_ms", first_ms},
                                         {"met", met},
                                         {"plan_families", plan.families_considered},
                                         {"plan_volunteers", plan.volunteers_considered},
                                         {"plan_places", places},
                                         {"plan_first_ms", plan_first_ms},
                                         {"plan_median_ms", plan_median},
                                         {"plan_total_score", plan.total_score},
                                         {"plan_target_ms", kPlanTargetMs},
                                         {"plan_met", plan_met}})
                                       .dump()
                                       .c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "suggestions_bench: %s\n", e.what());
    status = 1;
  }
  if (!o.keep) std::filesystem::remove_all(dir);
  return status;
}
