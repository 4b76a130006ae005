// Reminder rules (SPEC §2.8): conditions in the data that ask a coordinator to act. They are
// computed from the data on a given day, not stored: a reminder disappears as soon as the
// condition is gone (a contact logged, a VOG renewed), and there is nothing to keep in step.
// The dashboards ("Vandaag") list them with their reason; the weekly digest counts them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "storage/database.hpp"

namespace oploop::reminders {

enum class Rule {
  no_contact,              // running match without a logged contact for 21 days
  match_21_months,         // time to plan the farewell
  match_24_months,         // the two years are over
  vog_lapsing,             // VOG older than its validity minus 60 days (or lapsed)
  training_missing,        // screened volunteer without the basic training
  referral_untouched,      // referral still new after 5 working days
  concern_unacknowledged,  // urgent concern not acknowledged
  measurement_due,         // the measurements issue plugs its rule in here
};

std::string_view to_string(Rule r);  // "no_contact", …
// Every rule, most pressing first (urgent concerns, then matches, volunteers, referrals): the
// order of the dashboard's list and of the digest.
const std::vector<Rule>& all_rules();

struct Reminder {
  Rule rule;
  std::string subject_kind;  // "match", "volunteer", "referral", "concern"
  std::string subject_id;
  std::string team_id;
  std::string href;     // the page where it is handled: "/koppelingen/{id}", …
  std::string label;    // who it is about, for the signed-in page only ("Gezin Jansen – Eva")
  std::string since;    // ISO date the condition began (last contact, VOG date, referral date)
  std::string why_key;  // catalogue key of the reason; params below, never names
  std::map<std::string, std::string> params;  // {"days","23"}, {"months","21"}, {"date",…}
};

// The reminders `actor` may see on `today` (YYYY-MM-DD, Europe/Amsterdam), per the policy's
// scope (coordinator: own teams; project lead: organisation; others: none), oldest condition
// first within a rule. Access-logged as a read of the subjects listed.
std::vector<Reminder> due_for(storage::Connection& c, const auth::Actor& actor,
                              const std::string& today);

// Counts per rule for one coordinator's teams, for the weekly digest: no names, no log entry
// (counts are not personal data).
std::map<Rule, int> counts_for_coordinator(storage::Connection& c, const std::string& user_id,
                                           const std::string& today);

// One rule's query: the reminders of one organisation on `today`, before the policy narrows
// them to what an actor may see (due_for does that, and the sorting). A rule fills every field;
// `label` may hold names (only the signed-in page shows it), nothing else may. Reminders of
// another rule than the one registered are dropped.
using RuleFn = std::function<std::vector<Reminder>(
    storage::Connection& c, const std::string& organisation_id, const std::string& today)>;

// Sets the query of `rule`, replacing the one it had: the registration point for rules that
// live in other modules (the measurements issue plugs measurement_due in here; until then that
// rule yields nothing). Safe to call while other threads compute reminders.
void add_rule(Rule rule, RuleFn fn);
// Puts back the standard queries of every rule (for tests that added one).
void restore_standard_rules();

// The Mon–Fri days after `from` up to and including `to` (0 when `to` is not after `from`).
// Public holidays are not known to Oploop and count as working days.
int working_days_between(const std::string& from, const std::string& to);

}  // namespace oploop::reminders
