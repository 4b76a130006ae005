#include "demo/demo.hpp"

#include "auth/accounts.hpp"
#include "auth/secret_box.hpp"
#include "auth/totp.hpp"
#include "core/random.hpp"
#include "families/families.hpp"
#include "organisations/organisations.hpp"
#include "referrals/referrals.hpp"

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
  return result;
}

}  // namespace oploop::demo
