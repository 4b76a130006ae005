// Reminder rules (reminders/reminders.hpp, SPEC §2.8) on a controlled date: each rule fires on
// the day its threshold is reached and not the day before, disappears when its condition goes
// (a contact logged, a VOG renewed, a referral handled, a concern acknowledged), and shows only
// within the policy's scope (coordinator: own teams; project lead: organisation; nobody else).
#include <gtest/gtest.h>

#include <algorithm>

#include "auth/accounts.hpp"
#include "i18n/catalogue.hpp"
#include "reminders/reminders.hpp"
#include "support/api_data.hpp"
#include "support/concern_fixture.hpp"
#include "volunteers/volunteers.hpp"

namespace oploop::testing {
namespace {

using reminders::Reminder;
using reminders::Rule;

class Reminders : public ConcernFixture {
 protected:
  void TearDown() override { reminders::restore_standard_rules(); }

  std::vector<Reminder> due(const std::string& user_key, const std::string& today,
                            SeededOrganisation* org = nullptr) {
    auto conn = app_->db().acquire();
    const auto principal =
        auth::load_principal(*conn, (org ? *org : app_->a).users.at(user_key).id);
    EXPECT_TRUE(principal.has_value());
    const auth::Actor actor{*principal, "127.0.0.1", app_->clock()};
    return reminders::due_for(*conn, actor, today);
  }
  // The coordinator's reminders of `rule` about `subject`.
  std::vector<Reminder> of(Rule rule, const std::string& subject, const std::string& today,
                           const std::string& user_key = "coordinator") {
    auto all = due(user_key, today);
    std::erase_if(all,
                  [&](const Reminder& r) { return r.rule != rule || r.subject_id != subject; });
    return all;
  }
  bool fires(Rule rule, const std::string& subject, const std::string& today) {
    return !of(rule, subject, today).empty();
  }
  std::string text_of(const std::string& sql, const std::string& id) {
    auto conn = app_->db().acquire();
    return conn->query_one(sql, {id})->text(0);
  }
  std::string volunteer_of(const std::string& match) {
    return text_of("SELECT volunteer_id FROM matches WHERE id = ?", match);
  }
  // A referral that stays "new", made by the coordinator at the clock's time.
  std::string new_referral(const std::string& name) { return create_referral(*coordinator_, name); }
  HttpResult put_screening(const std::string& volunteer, const json& dates) {
    return coordinator_->request("PUT", "/api/v1/volunteers/" + volunteer + "/screening",
                                 dates.dump(), {{"Content-Type", "application/json"}});
  }
};

TEST(WorkingDays, CountMondayToFridayAfterTheDay) {
  // Friday 6 February 2026: the fifth working day after it is Friday 13 February.
  EXPECT_EQ(reminders::working_days_between("2026-02-06", "2026-02-08"), 0);
  EXPECT_EQ(reminders::working_days_between("2026-02-06", "2026-02-12"), 4);
  EXPECT_EQ(reminders::working_days_between("2026-02-06", "2026-02-13"), 5);
  EXPECT_EQ(reminders::working_days_between("2026-02-06", "2026-02-06"), 0);
  EXPECT_EQ(reminders::working_days_between("2026-02-06", "2026-02-01"), 0);
}

TEST(RuleNames, EveryRuleHasANameAndAReasonInBothLanguages) {
  EXPECT_EQ(reminders::all_rules().size(), 8u);
  const auto& cat = i18n::Catalogue::instance();
  for (const Rule r : reminders::all_rules()) {
    EXPECT_NE(reminders::to_string(r), "unknown");
    for (const std::string lang : {"nl", "en"}) {
      EXPECT_TRUE(cat.has(lang, "reminder." + std::string(reminders::to_string(r))));
      EXPECT_TRUE(cat.has(lang, "digest.rule." + std::string(reminders::to_string(r))));
    }
  }
}

TEST_P(Reminders, NoContactFiresAfter21DaysFromTheStartAndFromTheLastContact) {
  const std::string match = running_match();
  const std::string start = text_of("SELECT started_on FROM matches WHERE id = ?", match);
  ASSERT_EQ(start, "2026-02-03");
  EXPECT_FALSE(fires(Rule::no_contact, match, "2026-02-23"));  // day 20
  const auto due21 = of(Rule::no_contact, match, "2026-02-24");
  ASSERT_EQ(due21.size(), 1u);
  EXPECT_EQ(due21[0].subject_kind, "match");
  EXPECT_EQ(due21[0].href, "/koppelingen/" + match);
  EXPECT_EQ(due21[0].since, "2026-02-03");
  EXPECT_EQ(due21[0].why_key, "reminder.no_contact");
  EXPECT_EQ(due21[0].params.at("days"), "21");
  EXPECT_EQ(due21[0].team_id, app_->a.team_id);

  // A contact on 20 February: the 21 days start again from there.
  clock_.set(parse_rfc3339("2026-02-20T11:00:00Z"));
  auto logged = coordinator_->post_json(
      "/api/v1/matches/" + match + "/contacts",
      json({{"date", "2026-02-20"}, {"minutes", 60}, {"kind", "visit"}}).dump());
  ASSERT_EQ(logged.status, 201) << logged.body;
  EXPECT_FALSE(fires(Rule::no_contact, match, "2026-02-24"));
  EXPECT_FALSE(fires(Rule::no_contact, match, "2026-03-12"));
  const auto again = of(Rule::no_contact, match, "2026-03-13");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].since, "2026-02-20");
}

TEST_P(Reminders, MatchesAt21And24Months) {
  const std::string match = running_match();  // started 2026-02-03
  EXPECT_FALSE(fires(Rule::match_21_months, match, "2027-11-02"));
  const auto at21 = of(Rule::match_21_months, match, "2027-11-03");
  ASSERT_EQ(at21.size(), 1u);
  EXPECT_EQ(at21[0].params.at("months"), "21");
  EXPECT_EQ(at21[0].since, "2026-02-03");
  EXPECT_TRUE(fires(Rule::match_21_months, match, "2028-02-02"));
  EXPECT_FALSE(fires(Rule::match_24_months, match, "2028-02-02"));
  // At 24 months the one replaces the other.
  EXPECT_FALSE(fires(Rule::match_21_months, match, "2028-02-03"));
  const auto at24 = of(Rule::match_24_months, match, "2028-02-03");
  ASSERT_EQ(at24.size(), 1u);
  EXPECT_EQ(at24[0].params.at("months"), "24");
}

TEST_P(Reminders, VogLapsingSixtyDaysAheadAndLapsedUntilRenewed) {
  const std::string match = running_match();
  const std::string volunteer = volunteer_of(match);  // VOG of 2025-01-15, valid three years
  EXPECT_FALSE(fires(Rule::vog_lapsing, volunteer, "2027-11-15"));  // 61 days ahead
  const auto lapsing = of(Rule::vog_lapsing, volunteer, "2027-11-16");
  ASSERT_EQ(lapsing.size(), 1u);
  EXPECT_EQ(lapsing[0].subject_kind, "volunteer");
  EXPECT_EQ(lapsing[0].href, "/vrijwilligers/" + volunteer);
  EXPECT_EQ(lapsing[0].params.at("date"), "2028-01-15");
  EXPECT_EQ(lapsing[0].why_key, "reminder.vog_lapsing");
  const auto lapsed = of(Rule::vog_lapsing, volunteer, "2028-01-15");
  ASSERT_EQ(lapsed.size(), 1u);
  EXPECT_EQ(lapsed[0].why_key, "reminder.vog_lapsed");
  EXPECT_TRUE(fires(Rule::vog_lapsing, volunteer, "2029-06-01"));

  // Renewed (through the domain call: the fixture's API tokens do not live until 2027): gone.
  clock_.set(parse_rfc3339("2027-11-16T11:00:00Z"));
  {
    auto conn = app_->db().acquire();
    const auto p = auth::load_principal(*conn, app_->a.users.at("coordinator").id);
    ASSERT_TRUE(p);
    const auth::Actor actor{*p, "127.0.0.1", app_->clock()};
    ASSERT_TRUE(
        volunteers::update_screening(*conn, actor, volunteer, {{"vog_issued_on", "2027-11-10"}}));
  }
  EXPECT_FALSE(fires(Rule::vog_lapsing, volunteer, "2027-11-16"));
  EXPECT_FALSE(fires(Rule::vog_lapsing, volunteer, "2028-01-15"));
}

TEST_P(Reminders, TrainingMissingForAVolunteerInScreeningUntilTrained) {
  auto created = coordinator_->post_json("/api/v1/volunteers", json({{"first_name", "Tom"},
                                                                     {"last_name", "Nieuw"},
                                                                     {"postcode", "3511 AB"},
                                                                     {"languages", {"nl"}}})
                                                                   .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string volunteer = json::parse(created.body).value("id", "");
  ASSERT_EQ(put_screening(volunteer, {{"intake_on", "2026-01-10"}, {"vog_issued_on", "2026-01-15"}})
                .status,
            200);
  // An applicant is not yet expected to be trained.
  EXPECT_FALSE(fires(Rule::training_missing, volunteer, "2026-02-03"));
  ASSERT_EQ(
      coordinator_
          ->post_json("/api/v1/volunteers/" + volunteer + "/transition", R"({"to": "screening"})")
          .status,
      200);
  const auto missing = of(Rule::training_missing, volunteer, "2026-02-03");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].href, "/vrijwilligers/" + volunteer);
  EXPECT_EQ(missing[0].label, "Tom Nieuw");

  ASSERT_EQ(put_screening(volunteer, {{"training_completed_on", "2026-02-02"}}).status, 200);
  EXPECT_FALSE(fires(Rule::training_missing, volunteer, "2026-02-03"));
}

TEST_P(Reminders, ReferralUntouchedAfterFiveWorkingDaysUntilHandled) {
  // In on Friday 6 February 2026, 21:00 in Amsterdam: the weekend does not count.
  clock_.set(parse_rfc3339("2026-02-06T20:00:00Z"));
  const std::string referral = new_referral("Familie Regen");
  EXPECT_FALSE(fires(Rule::referral_untouched, referral, "2026-02-12"));
  const auto untouched = of(Rule::referral_untouched, referral, "2026-02-13");
  ASSERT_EQ(untouched.size(), 1u);
  EXPECT_EQ(untouched[0].subject_kind, "referral");
  EXPECT_EQ(untouched[0].href, "/aanmeldingen/" + referral);
  EXPECT_EQ(untouched[0].since, "2026-02-06");
  EXPECT_EQ(untouched[0].params.at("days"), "5");

  clock_.set(parse_rfc3339("2026-02-13T09:00:00Z"));
  ASSERT_EQ(coordinator_
                ->post_json("/api/v1/referrals/" + referral + "/accept",
                            json({{"display_name", "Familie Regen"}}).dump())
                .status,
            201);
  EXPECT_FALSE(fires(Rule::referral_untouched, referral, "2026-02-13"));
}

TEST_P(Reminders, UrgentConcernUntilAcknowledged) {
  const std::string match = running_match();
  const std::string worry = raised(*as("volunteer"), match, "worry");
  EXPECT_FALSE(fires(Rule::concern_unacknowledged, worry, "2026-02-03"));
  const std::string urgent = raised(*as("volunteer"), match, "urgent");
  const auto open = of(Rule::concern_unacknowledged, urgent, "2026-02-03");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].subject_kind, "concern");
  EXPECT_EQ(open[0].href, "/signalen/" + urgent);
  EXPECT_EQ(open[0].since, "2026-02-03");
  ASSERT_EQ(act(*coordinator_, urgent, "acknowledge").status, 200);
  EXPECT_FALSE(fires(Rule::concern_unacknowledged, urgent, "2026-02-03"));
}

TEST_P(Reminders, OnlyWithinThePolicysScope) {
  const std::string match = running_match();
  raised(*as("volunteer"), match, "urgent");
  new_referral("Familie Regen");
  const std::string late = "2026-06-01";  // no contact, untouched referral, open concern
  const auto mine = due("coordinator", late);
  EXPECT_GE(mine.size(), 3u);
  EXPECT_EQ(due("project_lead", late).size(), mine.size());
  // Another team's coordinator, the volunteer, the foundation, the administrator and another
  // organisation's coordinator see none.
  EXPECT_TRUE(due("other_coordinator", late).empty());
  EXPECT_TRUE(due("volunteer", late).empty());
  EXPECT_TRUE(due("foundation", late).empty());
  EXPECT_TRUE(due("admin", late).empty());
  EXPECT_TRUE(due("coordinator", late, &app_->b).empty());
  // The digest counts the same as the list.
  auto conn = app_->db().acquire();
  const auto counts =
      reminders::counts_for_coordinator(*conn, app_->a.users.at("coordinator").id, late);
  int total = 0;
  for (const auto& [rule, n] : counts) total += n;
  EXPECT_EQ(total, static_cast<int>(mine.size()));
  EXPECT_EQ(counts.at(Rule::concern_unacknowledged), 1);
  EXPECT_EQ(counts.at(Rule::referral_untouched), 1);
  const auto none =
      reminders::counts_for_coordinator(*conn, app_->a.users.at("other_coordinator").id, late);
  for (const auto& [rule, n] : none) EXPECT_EQ(n, 0) << reminders::to_string(rule);
}

TEST_P(Reminders, OrderedByRuleThenOldestFirst) {
  const std::string first = running_match("volunteer", "Familie Een");
  add_user("volunteer2", auth::Role::volunteer, app_->a.team_id);
  const std::string second = running_match("volunteer2", "Familie Twee");
  const auto all = due("coordinator", "2026-06-01");
  std::vector<std::string> no_contact;
  for (const auto& r : all)
    if (r.rule == Rule::no_contact) no_contact.push_back(r.subject_id);
  // Both started on 3 February (the fixture's transition date), so the id breaks the tie; a
  // contact on the second makes the first the older condition.
  clock_.set(parse_rfc3339("2026-03-01T11:00:00Z"));
  ASSERT_EQ(
      coordinator_
          ->post_json("/api/v1/matches/" + first + "/contacts",
                      json({{"date", "2026-03-01"}, {"minutes", 30}, {"kind", "phone"}}).dump())
          .status,
      201);
  std::vector<std::string> after;
  for (const auto& r : due("coordinator", "2026-06-01"))
    if (r.rule == Rule::no_contact) after.push_back(r.subject_id);
  EXPECT_EQ(after, (std::vector<std::string>{second, first}));
  EXPECT_EQ(no_contact.size(), 2u);
}

TEST_P(Reminders, DueForIsAccessLoggedAsAListOfItsSubjects) {
  const std::string match = running_match();
  due("coordinator", "2026-06-01");
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE event = 'list' AND object_type = 'match' "
                   "AND user_id = ? AND details LIKE ?",
                   {app_->a.users.at("coordinator").id, "%" + match + "%"}),
            1);
}

TEST_P(Reminders, ARegisteredRuleShowsUpInDueFor) {
  const std::string match = running_match();
  EXPECT_FALSE(fires(Rule::measurement_due, match, "2026-02-10"));  // nothing until registered
  const std::string team = app_->a.team_id;
  reminders::add_rule(Rule::measurement_due,
                      [match, team](storage::Connection&, const std::string& organisation_id,
                                    const std::string& today) {
                        std::vector<Reminder> out;
                        if (today >= "2026-02-10")
                          out.push_back({Rule::measurement_due,
                                         "match",
                                         match,
                                         team,
                                         "/koppelingen/" + match,
                                         "",
                                         "2026-02-03",
                                         "reminder.measurement_due",
                                         {{"wave", "interim"}}});
                        (void)organisation_id;
                        return out;
                      });
  EXPECT_FALSE(fires(Rule::measurement_due, match, "2026-02-09"));
  EXPECT_TRUE(fires(Rule::measurement_due, match, "2026-02-10"));
  // Scoped like the others.
  EXPECT_TRUE(due("other_coordinator", "2026-02-10").empty());
  auto conn = app_->db().acquire();
  EXPECT_EQ(
      reminders::counts_for_coordinator(*conn, app_->a.users.at("coordinator").id, "2026-02-10")
          .at(Rule::measurement_due),
      1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Reminders, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
