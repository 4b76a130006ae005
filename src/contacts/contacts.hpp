// Contact operations: log, correct, read and list the contacts of a match, and the
// coordinator's "gezien" mark. Every call goes through the gate (policy + access log):
//  - a volunteer logs and reads contacts of their own running matches only (any other match is
//    404, as if it did not exist); they may finish a draft they logged themselves at any time,
//    and correct a final one up to and including the 7th day after it became final (later: 409);
//  - coordinators (their teams) and project leads (their organisation) read everything, log and
//    correct at any time, and mark contacts seen with an optional short reply;
//  - new contacts and "gezien" marks only on a match in introduction, active or stepping_down
//    (else 409); a correction by staff is a rectification and may come later too.
// Every correction keeps the values it replaced, who changed them and when. Corrections and
// "gezien" marks lock the contact's row, so two at once are serialised and both are kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "contacts/contact.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::contacts {

// A new contact as sent. Adapters pass what they could read: a number they could not read
// as minutes arrives as a value out of range (so it is refused naming "minutes").
struct ContactInput {
  std::string status;  // draft or final; "" is final
  std::string date;
  std::optional<int> minutes;
  std::string kind;
  std::string time;                          // HH:MM or ""
  std::optional<bool> outside_office_hours;  // used only when no time is given
  std::vector<std::string> activities;
  std::string note;
};

// A correction: only the fields present change. minutes = nullopt-inside clears them, kind ""
// and time "" clear those (a final contact refuses a missing duration or kind).
struct ContactPatch {
  std::optional<std::string> status;
  std::optional<std::string> date;
  std::optional<std::optional<int>> minutes;
  std::optional<std::string> kind;
  std::optional<std::string> time;
  std::optional<bool> outside_office_hours;
  std::optional<std::vector<std::string>> activities;
  std::optional<std::string> note;
};

// The match the contacts belong to, as far as a contact page shows it.
struct MatchSummary {
  std::string id;
  std::string family_id;
  std::string family_name;
  std::string volunteer_name;
  std::string status;
  std::string start_date;  // no contact may be dated before it
  bool running = false;    // introduction, active or stepping_down
};

struct ContactFilter {
  std::optional<std::string> status;  // draft or final
  PageRequest page;
};

struct ContactList {
  MatchSummary match;
  Page<Contact> page;  // newest first: by date, then by when it was logged
};

// What the form for a new contact starts with: today, and the volunteer's usual duration and
// kind (those of the last contact they logged; else 60 minutes and a visit).
struct ContactDefaults {
  MatchSummary match;
  std::string date;
  int minutes = 60;
  std::string kind = "visit";
};

// A running match of the signed-in volunteer with the day of its last contact ("" when none).
struct OwnMatch {
  MatchSummary match;
  std::string last_contact_date;
};

Result<Contact> log_contact(storage::Connection& c, const auth::Actor& actor,
                            const std::string& match_id, const ContactInput& input);
Result<Contact> correct_contact(storage::Connection& c, const auth::Actor& actor,
                                const std::string& id, const ContactPatch& patch);
// The coordinator's "gezien" mark, with an optional reply (≤ 500 characters). Marking again
// with a reply replaces the reply; marking again without one keeps the earlier reply. Staff
// only: a volunteer gets 403 on their own contacts.
Result<Contact> mark_seen(storage::Connection& c, const auth::Actor& actor, const std::string& id,
                          const std::string& reply);
// One contact with its corrections.
Result<Contact> get_contact(storage::Connection& c, const auth::Actor& actor,
                            const std::string& id);
Result<ContactList> list_contacts(storage::Connection& c, const auth::Actor& actor,
                                  const std::string& match_id, const ContactFilter& filter);
Result<ContactDefaults> contact_defaults(storage::Connection& c, const auth::Actor& actor,
                                         const std::string& match_id);
// The actor's own running matches (a volunteer's families), oldest match first.
Result<std::vector<OwnMatch>> own_matches(storage::Connection& c, const auth::Actor& actor);

// Whether this principal may correct this contact today (for showing the edit link; the
// correction itself decides again). Assumes the principal may read the contact.
bool may_correct(const auth::Principal& p, const Contact& contact, const std::string& today);

}  // namespace oploop::contacts
