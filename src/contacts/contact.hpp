// Contacts (contactmomenten, SPEC §2.6): what a volunteer logs after each visit, call, message
// or outing with their family. A contact is logged in seconds, so everything but the day, the
// duration and the kind is optional, and a half-filled one is kept as a draft (which may lack
// the duration and the kind too). The coordinator reacts with a "gezien" mark and a short
// reply, so the volunteer knows that what they log is read.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oploop::contacts {

struct Revision {
  std::string changed_by;       // user id
  std::string changed_by_name;  // for pages
  std::string changed_at;       // RFC 3339
  std::string previous;         // the replaced values, a JSON object
};

struct Contact {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> team_id;
  std::string match_id;
  std::string status;  // draft, final
  std::string date;    // YYYY-MM-DD
  std::optional<int> minutes;
  std::string kind;  // "" only in a draft
  std::string time;  // HH:MM, or "" when not given
  bool outside_office_hours = false;
  std::vector<std::string> activities;
  std::string note;
  std::string created_by, created_at, updated_at;
  std::string final_at;                 // RFC 3339, when it became final; "" for a draft
  std::string seen_by, seen_at, reply;  // "" until the coordinator marks it seen
  std::vector<Revision> revisions;      // oldest first; filled by get_contact only
  // For pages:
  std::string created_by_name;
  std::string seen_by_name;
};

// The kinds of contact, in the order a form offers them.
const std::vector<std::string>& kinds();
// The activity codes a contact may be tagged with, in the order a form offers them: the nine
// life domains and five practical codes, one code per meaning.
const std::vector<std::string>& activity_codes();
// The ones most contacts are about, which a phone form shows first; the rest follow them.
const std::vector<std::string>& common_activity_codes();
bool is_kind(const std::string& code);
bool is_activity(const std::string& code);

// Strict HH:MM, 00:00–23:59.
bool is_valid_time(const std::string& hh_mm);
// Outside office hours: before 08:00 or from 18:00 on, or on a Saturday or Sunday. The date
// and time are the family's local (Europe/Amsterdam) ones, as the volunteer enters them.
bool outside_office_hours(const std::string& date, const std::string& time);
bool is_weekend(const std::string& date);

// Corrections by a volunteer: their own drafts until they finalise them, and their own final
// contacts up to and including the 7th calendar day (Europe/Amsterdam) after the contact became
// final.
constexpr int kVolunteerCorrectionDays = 7;

// Limits (code points).
constexpr int kNoteMaxLength = 1000;
constexpr int kReplyMaxLength = 500;
constexpr int kMinutesMin = 1;
constexpr int kMinutesMax = 600;

}  // namespace oploop::contacts
