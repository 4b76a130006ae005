#include "demo/demo.hpp"

#include "auth/accounts.hpp"
#include "auth/secret_box.hpp"
#include "auth/totp.hpp"
#include "contacts/contacts.hpp"
#include "core/random.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"
#include "families/families.hpp"
#include "geo/postcodes.hpp"
#include "matches/matches.hpp"
#include "organisations/organisations.hpp"
#include "referrals/referrals.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::demo {
namespace {

// Readable random passwords: four groups of five letters and digits (≈ 100 bits).
std::string demo_password() {
  const std::string token = random_token(24);
  std::string out;
  int in_group = 0;
  for (char ch : token) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) continue;
    if (in_group == 5) {
      out += '-';
      in_group = 0;
    }
    out += ch;
    ++in_group;
    if (out.size() >= 23) break;
  }
  return out;
}

referrals::ReferralInput referral(const std::string& name, const std::string& postcode,
                                  const std::string& number, const std::string& reason,
                                  const std::string& urgency, std::vector<int> years,
                                  std::vector<std::string> languages, const std::string& date) {
  referrals::ReferralInput in;
  in.contact_name = name;
  in.postcode = postcode;
  in.house_number = number;
  in.reason = reason;
  in.urgency = urgency;
  in.consent = true;
  in.consent_date = date;
  in.children_birth_years = std::move(years);
  in.languages = std::move(languages);
  in.referrer = {"Petra Voorbeeld", "CJG Voorbeeldstad", "p.voorbeeld@cjg.example", "010-0000000"};
  return in;
}

}  // namespace

Result<DemoResult> seed_demo(storage::Database& db, const Clock& clock,
                             const std::string& secret_key_file) {
  auto conn = db.acquire();
  auto& c = *conn;
  if (organisations::find_by_slug(c, "demo")) return fail(Error::conflict("demo.exists"));
  const auto box = auth::SecretBox::from_environment(secret_key_file);

  auto org =
      TRY(organisations::create_organisation(c, clock, "demo", "Welzijn Voorbeeldstad (demo)"));
  auto north = TRY(organisations::create_team(c, clock, org.id, "Team Noord"));
  auto south = TRY(organisations::create_team(c, clock, org.id, "Team Zuid"));

  DemoResult result{org.slug, {}};
  struct Person {
    auth::Role role;
    const char* email;
    const char* name;
    std::vector<std::string> teams;
  };
  const std::vector<Person> people = {
      {auth::Role::coordinator, "coordinator@demo.oploop.test", "Lea de Coördinator", {north.id}},
      {auth::Role::coordinator, "coordinator.zuid@demo.oploop.test", "Ravi Zuidema", {south.id}},
      {auth::Role::volunteer, "vrijwilliger@demo.oploop.test", "Geesje Vrijwilliger", {north.id}},
      {auth::Role::project_lead, "projectleider@demo.oploop.test", "Pim Projectleider", {}},
      {auth::Role::foundation, "stichting@demo.oploop.test", "Sanne Stichting", {}},
      {auth::Role::admin, "beheer@demo.oploop.test", "Bas Beheerder", {}},
  };
  std::string coordinator_id;
  std::string volunteer_user_id;
  for (const auto& person : people) {
    const std::string password = demo_password();
    auto user = TRY(auth::create_user(
        c, clock, {org.id, person.role, person.email, person.name, person.teams, password}));
    std::string secret;
    // Roles that must use 2FA get it set up, so the demo works at once; the secret is
    // printed for an authenticator app.
    if (auth::requires_two_factor(person.role)) {
      secret = auth::new_totp_secret();
      c.execute("UPDATE users SET totp_secret_sealed = ?, totp_enabled = 1 WHERE id = ?",
                {box.seal(secret), user.id});
    }
    if (coordinator_id.empty() && person.role == auth::Role::coordinator) coordinator_id = user.id;
    if (person.role == auth::Role::volunteer) volunteer_user_id = user.id;
    result.logins.push_back(
        {std::string(auth::to_string(person.role)), person.email, password, secret});
  }

  // Referrals at each step, made by the coordinator of Team Noord.
  auto principal = *auth::load_principal(c, coordinator_id);
  auth::Actor actor{principal, "127.0.0.1", clock};
  const std::string today = amsterdam_date(clock.now());
  auto r1 = TRY(referrals::create_referral(c, actor,
                                           referral("Hanna Voorbeeld", "3511 AB", "12",
                                                    "Moeder wil graag Nederlands leren en hulp bij "
                                                    "post van instanties.",
                                                    "normal", {2016, 2019}, {"ar", "nl"}, today)));
  auto r2 = TRY(referrals::create_referral(
      c, actor,
      referral("Familie Testman", "3512 CD", "7a", "Alleenstaande vader, klein netwerk, schulden.",
               "urgent", {2012}, {"nl"}, today)));
  auto r3 = TRY(referrals::create_referral(
      c, actor,
      referral("Amina Proef", "3513 EF", "101", "Net verhuisd, kinderen nog niet op school.",
               "normal", {2018, 2020, 2023}, {"so", "en"}, today)));
  TRY(referrals::create_referral(
      c, actor,
      referral("Yusuf Demo", "3514 GH", "3", "Jong gezin, zwangerschap, weinig steun.", "normal",
               {2025}, {"tr", "nl"}, today)));
  TRY(referrals::start_intake(c, actor, r3.id));
  auto family1 = TRY(referrals::accept_referral(c, actor, r1.id, {}));
  TRY(referrals::accept_referral(c, actor, r2.id, {}));
  TRY(families::add_member(c, actor, family1.id, {"Hanna", "parent", "1990-04-02"}));
  TRY(families::add_member(c, actor, family1.id, {"Lina", "child", "2016-09-14"}));
  TRY(families::add_member(c, actor, family1.id, {"Omar", "child", "2019-01-30"}));
  TRY(families::update_family(
      c, actor, family1.id,
      {.wishes = std::string("Nederlands leren, hulp bij brieven, de weg vinden naar school."),
       .needs = std::vector<std::string>{"language_selfreliance", "finances", "child_development"},
       .preferences = families::Preferences{"female", {"tue_evening", "sat_morning"}}}));

  // Postcode areas of the demo town, so distances show.
  TRY(geo::import_postcode_areas(c, read_text_file(resource_path("data/postcodes/demo-pc4.csv"))));

  // Volunteers at every step. Geesje has an account (the demo volunteer login).
  const std::string volunteer_user =
      auth::find_user_by_email(c, "vrijwilliger@demo.oploop.test")->id;
  const std::string years_ago_2 =
      std::to_string(std::stoi(today.substr(0, 4)) - 2) + today.substr(4, 3) + "-01";
  const std::string years_ago_4 =
      std::to_string(std::stoi(today.substr(0, 4)) - 4) + today.substr(4, 3) + "-01";
  struct V {
    const char* first;
    const char* last;
    const char* postcode;
    const char* gender;
    std::vector<std::string> languages, skills, availability;
    int max_families;
    std::string status;  // target state
    bool screened;
    std::string vog;  // issue date
    bool is_user;
  };
  const std::vector<V> people2 = {
      {"Geesje",
       "Vrijwilliger",
       "3512 AA",
       "female",
       {"nl", "en"},
       {"language_selfreliance", "finances", "child_development"},
       {"tue_evening", "sat_morning"},
       2,
       "available",
       true,
       years_ago_2,
       true},
      {"Joost",
       "Meeloper",
       "3513 BB",
       "male",
       {"nl", "ar"},
       {"finances", "housing"},
       {"mon_evening", "sat_morning"},
       2,
       "available",
       true,
       years_ago_2,
       false},
      {"Fatma",
       "Yildiz",
       "3521 CC",
       "female",
       {"nl", "tr"},
       {"parenting", "social_network"},
       {"wed_afternoon"},
       1,
       "available",
       true,
       years_ago_2,
       false},
      {"Karin",
       "Oud",
       "3531 DD",
       "female",
       {"nl"},
       {"mental_wellbeing"},
       {"thu_evening"},
       1,
       "available",
       true,
       years_ago_4,
       false},  // VOG lapsed: a near miss
      {"Sem",
       "Nieuw",
       "3514 EE",
       "male",
       {"nl", "so"},
       {"participation_work"},
       {"fri_evening"},
       1,
       "screening",
       false,
       "",
       false},
      {"Lotte",
       "Aanmelder",
       "3515 FF",
       "female",
       {"nl", "en"},
       {"school"},
       {},
       1,
       "applicant",
       false,
       "",
       false},
  };
  std::string geesje;
  for (const auto& p : people2) {
    volunteers::VolunteerInput in;
    in.first_name = p.first;
    in.last_name = p.last;
    in.email = text::lower_ascii(std::string(p.first)) + "@vrijwilligers.example";
    in.postcode = p.postcode;
    in.house_number = "1";
    in.gender = p.gender;
    in.languages = p.languages;
    for (const auto& s : p.skills)
      if (families::is_life_domain(s)) in.skills.push_back(s);
    in.availability = p.availability;
    in.max_families = p.max_families;
    if (p.is_user) in.user_id = volunteer_user;
    auto v = TRY(volunteers::create_volunteer(c, actor, in));
    if (p.status == "applicant") continue;
    TRY(volunteers::transition_volunteer(c, actor, v.id, "screening", ""));
    if (!p.screened && p.vog.empty()) {
      TRY(volunteers::update_screening(c, actor, v.id, {{"intake_on", today}}));
      continue;
    }
    TRY(volunteers::update_screening(c, actor, v.id,
                                     {{"intake_on", p.vog},
                                      {"vog_issued_on", p.vog},
                                      {"training_completed_on", p.vog},
                                      {"code_signed_on", p.vog},
                                      {"references_checked_on", p.vog}}));
    if (p.vog == years_ago_4) {
      // Screened once, VOG since lapsed: set available directly as it was then.
      c.execute("UPDATE volunteers SET status = 'available' WHERE id = ?", {v.id});
      volunteers::candidates_changed(c, v.organisation_id);
      continue;
    }
    TRY(volunteers::transition_volunteer(c, actor, v.id, "available", ""));
    if (p.is_user) geesje = v.id;
  }

  // Geesje already walks alongside one family, since about three months, so the volunteer
  // login opens on a family of her own; she has room for a second. Written as it happened:
  // the coordinator's actions on a clock set back to those days.
  ManualClock then(clock.now() - std::chrono::days(95));
  const auth::Actor back_then{principal, "127.0.0.1", then};
  auto r5 = TRY(referrals::create_referral(
      c, back_then,
      referral("Familie Jansen", "3512 BC", "20",
               "Moeder met drie kinderen, veel post, weinig netwerk.", "normal", {2014, 2017, 2021},
               {"nl"}, amsterdam_date(then.now()))));
  auto walked = TRY(referrals::accept_referral(c, back_then, r5.id, {}));
  then.advance(std::chrono::days(4));
  auto proposed = matches::propose_match(
      c, back_then, {walked.id, geesje, amsterdam_date(then.now() + std::chrono::days(7))});
  if (!proposed) return fail(proposed.error().error);
  then.advance(std::chrono::days(7));
  TRY(matches::transition_match(c, back_then, proposed->id, "introduction",
                                amsterdam_date(then.now()), ""));
  then.advance(std::chrono::days(14));
  TRY(matches::transition_match(c, back_then, proposed->id, "active", amsterdam_date(then.now()),
                                ""));

  // Her contacts since, as she logged them; the last is over three weeks ago, so "Vandaag"
  // shows the reminder that belongs to that (and the volunteer's next tap clears it).
  const auto geesje_principal = *auth::load_principal(c, volunteer_user_id);
  struct Visit {
    int days_ago, minutes;
    const char* kind;
    std::vector<std::string> activities;
    const char* note;
  };
  const Visit visits[] = {
      {66, 120, "visit", {"administration", "finances"}, "Samen de post gesorteerd."},
      {59, 90, "visit", {"school"}, "Gesprek met de juf voorbereid."},
      {52, 15, "phone", {}, ""},
      {45, 150, "outing", {"leisure", "transport"}, "Met de kinderen naar de bibliotheek."},
      {24, 90, "visit", {"finances", "agencies"}, "Aanvraag toeslag ingevuld."},
  };
  for (const auto& v : visits) {
    ManualClock on_the_day(clock.now() - std::chrono::days(v.days_ago));
    const auth::Actor as_geesje{geesje_principal, "127.0.0.1", on_the_day};
    TRY(contacts::log_contact(c, as_geesje, proposed->id,
                              {"final", amsterdam_date(on_the_day.now()), v.minutes, v.kind, "",
                               std::nullopt, v.activities, v.note}));
  }
  return result;
}

}  // namespace oploop::demo
